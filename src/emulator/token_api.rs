//! NHN's token API: issuing and revoking User Access Key tokens.
//!
//! Checks, in order: the Basic credentials are the emulator's key pair
//! (else `invalid_client`, 401); the body is a form of the endpoint's
//! generated type (else `invalid_request`, 400); for issuance, the grant is
//! the spec's fixed one (else `unsupported_grant_type`). An issued token's
//! answer is the generated `TokenResponse`, with `expires_in` as a number
//! (as the vendor's example sends it, whatever its table says); a
//! revocation answers 200 with no body.

use std::sync::Arc;

use axum::response::IntoResponse;
use base64::Engine as _;
use zeroize::Zeroizing;

use super::reply::{Outcome, json_ok};
use super::request::{Call, credential, secret_eq};
use super::state::State;
use crate::descriptor::Endpoint;
use crate::wire::IntOrString;
use crate::wire::nhn_user_access_key_token::{
    ErrorCode as Token, RevokeRequest, TokenRequest, TokenResponse,
};

pub async fn handle(state: Arc<State>, endpoint: &'static Endpoint, call: Call) -> Outcome {
    let credentials = &state.config.credentials;
    let pair = credential(call.version, call.headers())
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .map(Zeroizing::new)
        .ok_or(Token::InvalidClient)?;
    let pair = std::str::from_utf8(&pair).map_err(|_| Token::InvalidClient)?;
    let (id, secret) = pair.split_once(':').ok_or(Token::InvalidClient)?;
    // Both compared, whatever the first says, so timing tells nothing.
    let id_ok = secret_eq(id, credentials.user_access_key_id.expose());
    let secret_ok = secret_eq(secret, credentials.secret_access_key.expose());
    if !(id_ok & secret_ok) {
        return Err(Token::InvalidClient.into());
    }
    let body = call.body.map_err(|_| Token::InvalidRequest)?;
    if endpoint.response.token.is_some() {
        let request: TokenRequest =
            serde_urlencoded::from_bytes(&body).map_err(|_| Token::InvalidRequest)?;
        if request.grant_type != TokenRequest::GRANT_TYPE {
            return Err(Token::UnsupportedGrantType.into());
        }
        let issued = state.tokens.issue();
        let lifetime = i64::try_from(state.tokens.lifetime().as_secs()).unwrap_or(i64::MAX);
        Ok(json_ok(&TokenResponse {
            access_token: issued,
            token_type: "Bearer".to_owned(),
            expires_in: IntOrString::Int(lifetime),
        }))
    } else {
        let request: RevokeRequest =
            serde_urlencoded::from_bytes(&body).map_err(|_| Token::InvalidRequest)?;
        state.tokens.revoke(request.token.expose());
        Ok(axum::http::StatusCode::OK.into_response())
    }
}
