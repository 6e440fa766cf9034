//! `--color auto|always|never`: whether stderr gets colors (the `error:`
//! label, log levels, the progress bar). `auto` colors a terminal only, and
//! honours `NO_COLOR`. Standard output never carries colors: it is the
//! answers.

use std::io::IsTerminal as _;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Choice {
    #[default]
    Auto,
    Always,
    Never,
}

static FANCY: OnceLock<bool> = OnceLock::new();

pub fn set(choice: Choice) {
    let fancy = match choice {
        Choice::Always => true,
        Choice::Never => false,
        Choice::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let _ = FANCY.set(fancy);
}

/// Whether stderr gets colors and animation.
pub fn stderr_is_fancy() -> bool {
    *FANCY.get().unwrap_or(&false)
}

/// `error`, in bold red when colors are on.
pub fn error_label() -> &'static str {
    if stderr_is_fancy() {
        "\u{1b}[1;31merror\u{1b}[0m"
    } else {
        "error"
    }
}
