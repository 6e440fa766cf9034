//! `--output`: a readable summary by default, or JSON with the API's own field names.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    /// A readable summary.
    #[default]
    Text,
    /// JSON, with the API's own field names.
    Json,
}
