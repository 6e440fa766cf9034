//! [`NhnResponse`]: the `{header, result}` wrapper of every NHN response.

use serde::{Deserialize, Serialize};

/// Every NHN answer, success or failure, arrives as HTTP 200 with this body.
/// `header.isSuccessful` decides; `result` is absent on failure.
///
/// Each NHN family module has `type Response<T> = NhnResponse<ResultHeader, T>`
/// with its own generated `ResultHeader`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "strict", serde(deny_unknown_fields))]
pub struct NhnResponse<H, T> {
    pub header: H,
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub result: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

impl<H: crate::envelope::EncryptedFields, T: crate::envelope::EncryptedFields>
    crate::envelope::EncryptedFields for NhnResponse<H, T>
{
    fn visit_encrypted(
        &mut self,
        path: &mut crate::envelope::FieldPath,
        visit: &mut crate::envelope::Visitor<'_>,
    ) -> Result<(), crate::envelope::FieldError> {
        path.push_field("result");
        let outcome = self.result.visit_encrypted(path, visit);
        path.pop();
        outcome
    }
}
