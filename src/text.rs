//! Text from elsewhere (a server, a file name, a configuration), made safe
//! to show on a terminal or in a log line.
//!
//! A terminal acts on control characters: ESC starts sequences that clear
//! the screen, set the window title or write the clipboard (OSC 52), C1
//! controls (U+0080-U+009F) do the same on some terminals, and bidirectional
//! overrides (U+202A-U+202E, U+2066-U+2069) reorder what is shown so that a
//! line reads differently from what it holds. Every human-readable output
//! of the crate and the CLI passes through [`printable`], which writes each
//! such character as a visible escape (`\u{1b}`) and leaves all other
//! text, Korean included, as it is.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a terminal could act on `c`, or it hides or reorders text.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c,
            // Bidirectional embeddings, overrides and isolates, and marks.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
            // Zero-width characters and the byte-order mark.
            | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
            // Line and paragraph separators, which some terminals break on.
            | '\u{2028}' | '\u{2029}')
}

/// `text` with every character [`is_unsafe_for_terminal`] written as
/// `\u{..}`. Borrowed when there is nothing to escape.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe_for_terminal)
}

/// [`printable`] line by line: line breaks stay line breaks (and tabs stay
/// tabs), for multi-line output such as the CLI's summaries.
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| {
        c != '\n' && c != '\t' && is_unsafe_for_terminal(c)
    })
}

/// `text` with every character `escape` picks written as `\u{..}`.
fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// What an error or a log line may show of a URL the crate was given: its
/// scheme, host and port. Credentials (`user:pass@`), the path (an invoke
/// key, an app key), the query (`?token=`) and the fragment never appear;
/// text that is not a URL is not shown at all. One rule for every URL the
/// crate accepts.
pub fn url_for_display(url: &str) -> String {
    let Some((scheme, rest)) = url.trim().split_once("://") else {
        return "(not shown)".to_string();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let scheme_ok = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || host.is_empty() {
        return "(not shown)".to_string();
    }
    let tail = if after.is_empty() || after == "/" {
        ""
    } else {
        "/…"
    };
    printable(&format!("{scheme}://{host}{tail}")).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_what_a_terminal_acts_on_and_keeps_the_rest() {
        assert_eq!(printable("홍길동 1234"), "홍길동 1234");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
        assert_eq!(
            printable("a\x1b]52;c;aGk=\x07b"),
            "a\\u{1b}]52;c;aGk=\\u{7}b"
        );
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(printable("a\nb"), "a\\u{a}b");
        assert_eq!(printable_lines("a\nb\tc\rd"), "a\nb\tc\\u{d}d");
    }

    #[test]
    fn urls_show_only_scheme_host_and_port() {
        for (url, shown) in [
            (
                "https://user:pw@example.com:8443/a/b?token=abc#frag",
                "https://example.com:8443/…",
            ),
            ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
            ("https://h/custom/v1/1/invokekey", "https://h/…"),
            ("https://h?token=abc", "https://h/…"),
            ("not a url at all, maybe a secret", "(not shown)"),
            ("ftp://@", "(not shown)"),
        ] {
            assert_eq!(url_for_display(url), shown, "{url}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Whatever the URL holds in its credentials, path, query or
        /// fragment never shows.
        #[test]
        fn url_secrets_never_show(
            user in "[a-z0-9]{6,12}", pass in "[a-z0-9]{6,12}",
            path in "[a-z0-9]{6,12}", query in "[a-z0-9]{6,12}", frag in "[a-z0-9]{6,12}",
            scheme in prop::sample::select(vec!["http", "https", "ftp"]),
        ) {
            let url = format!("{scheme}://{user}:{pass}@host.test:9/{path}?q={query}#{frag}");
            let shown = url_for_display(&url);
            for secret in [&user, &pass, &path, &query, &frag] {
                prop_assert!(!shown.contains(secret.as_str()), "{shown}");
            }
        }

        /// Nothing a terminal acts on survives, and nothing else changes.
        #[test]
        fn no_terminal_control_survives(text in any::<String>()) {
            let shown = printable(&text);
            prop_assert!(!shown.chars().any(is_unsafe_for_terminal));
            let kept: String = text.chars().filter(|&c| !is_unsafe_for_terminal(c)).collect();
            let shown_kept: String = shown.chars().filter(|c| !c.is_ascii()).collect();
            let text_kept: String = kept.chars().filter(|c| !c.is_ascii()).collect();
            prop_assert_eq!(shown_kept, text_kept);
            let lines = printable_lines(&text);
            prop_assert!(!lines.chars().any(|c| c != '\n' && c != '\t' && is_unsafe_for_terminal(c)));
        }
    }
}
