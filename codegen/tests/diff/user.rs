// Code a downstream crate wrote against `codegen/tests/diff/old/diff.yaml`'s generated
// API. Included (with the generated module's items in scope) by the root
// crate's tests/spec/goldens.rs for both the old and the new side, and by
// compile-fail/src/lib.rs, one use at a time, for the breaking side.

pub fn describe(reading: &Reading) -> String {
    let kind = match &reading.kind {
        Some(Kind::Card) => "card",
        Some(Kind::Badge) => "badge",
        Some(_) => "another kind",
        None => "unknown",
    };
    let count = reading.count.map_or(0, |c| c);
    let number = reading.number.as_ref().map_or("", |n| n.expose());
    format!("{kind} x{count} {number}")
}

pub fn advice(code: &ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidParameter => "fix the input",
        ErrorCode::UnknownError => "try later",
        _ => "see the message",
    }
}

pub fn upload_limit() -> Option<u64> {
    READ.limits.max_file_bytes
}

pub fn endpoint() -> &'static str {
    READ.name
}
