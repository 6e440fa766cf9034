// `ocrwire-codegen diff` calls the changes from `codegen/tests/diff/old` to
// `codegen/tests/diff/breaking` breaking: code written for the old side
// does not compile against the new one.

mod generated {
    include!("../../codegen/tests/diff/breaking/diff.rs");
}

mod user {
    use super::generated::*;
    include!("../../codegen/tests/diff/user.rs");
}

fn main() {}
