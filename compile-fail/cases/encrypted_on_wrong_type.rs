// The envelope sends Base64 ciphertext: only string-carrying fields can be encrypted.
use ocrwire::{EncryptedFields, Sensitive};

#[derive(EncryptedFields)]
struct Reading {
    #[encrypted]
    confidence: f64,
    #[encrypted]
    value: Option<Sensitive>,
}

fn main() {}
