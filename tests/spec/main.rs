//! The spec and what it generates: the committed code is exactly what the
//! generator writes (and a spec edit alone changes it), the generator's
//! golden files compile, and every example in the vendors' docs decodes
//! into its generated type.
//!
//! Run a part with its module name, e.g. `cargo test --test spec goldens`.

mod fixtures;
mod generated_code;
mod goldens;
mod new_endpoint;
mod recorded;
