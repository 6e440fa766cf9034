//! The router, built by walking the descriptors: one route per endpoint,
//! with the spec's method and path template (axum 0.8 writes path variables
//! `{name}` just as the spec does). Nothing here names an endpoint.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};

use super::request::{Call, file_body_cap, read_body};
use super::state::State;
use super::{codes, faults, handlers, reply};
use crate::descriptor::{BaseUrl, Endpoint, ErrorRole, Family, Method, Version};
use crate::envelope::BLOCK_LEN;
use crate::wire::FAMILIES;

/// Body cap for endpoints of a fixed host without a file limit (1 MiB of
/// JSON is plenty).
const DEFAULT_NHN_BODY: usize = 1024 * 1024;

/// What goes in front of the endpoint paths of `family` on the emulator
/// (before the version's prefix): nothing for a family with a fixed host,
/// else the spec's base path (CLOVA's `/custom/v1/{DomainId}/{InvokeKey}`,
/// whose variables then reach the handler with the endpoint's own).
fn route_prefix(family: &Family) -> &'static str {
    match family.base_url {
        BaseUrl::Fixed { .. } => "",
        BaseUrl::PerCaller { path, .. } => path,
    }
}

pub fn router(state: Arc<State>) -> Router {
    let mut router = Router::new();
    for &family in FAMILIES {
        let prefix = route_prefix(family);
        for &version in family.versions {
            for &endpoint in family.endpoints {
                let filter = match endpoint.method {
                    Method::Get => MethodFilter::GET,
                    Method::Post => MethodFilter::POST,
                };
                let state = Arc::clone(&state);
                let handler = move |params: Result<
                    Path<HashMap<String, String>>,
                    PathRejection,
                >,
                                    request: Request| {
                    let state = Arc::clone(&state);
                    async move { dispatch(state, family, version, endpoint, params, request).await }
                };
                let path = format!("{prefix}{}", version.path_of(endpoint));
                router = router.route(&path, on(filter, handler));
            }
        }
    }
    router
        .fallback(|request: Request| async move { unmatched(&request, StatusCode::NOT_FOUND) })
        .method_not_allowed_fallback(|request: Request| async move {
            unmatched(&request, StatusCode::METHOD_NOT_ALLOWED)
        })
        // Bodies are read by `read_body` with the endpoint's own cap.
        .layer(DefaultBodyLimit::disable())
}

/// No endpoint here. Under a family's own part of the URL space (the base
/// path of a family whose callers have their own URL, or a version's
/// prefix) the family's code for the situation (`no-route`, or
/// `wrong-method` for a path that takes another method; CLOVA's 0001,
/// NHN's 4041007 and 405); elsewhere a plain 404/405, as a gateway would
/// answer for a path that is not an API.
fn unmatched(request: &Request, status: StatusCode) -> Response {
    let path = request.uri().path();
    let wrong_method = status == StatusCode::METHOD_NOT_ALLOWED;
    for &family in FAMILIES {
        let under_own_path = match family.base_url {
            BaseUrl::PerCaller { path: base, .. } => base
                .split('{')
                .next()
                .is_some_and(|root| root.len() > 1 && path.starts_with(root)),
            BaseUrl::Fixed { .. } => family.versions.iter().any(|v| {
                !v.path_prefix.is_empty()
                    && path
                        .strip_prefix(v.path_prefix)
                        .is_some_and(|rest| rest.starts_with('/'))
            }),
        };
        let role = match (wrong_method, family.base_url) {
            (true, BaseUrl::Fixed { .. }) => ErrorRole::WrongMethod,
            _ => ErrorRole::NoRoute,
        };
        if under_own_path && let Some(info) = family.code_for(role) {
            let code = codes::answer_named(family, info.code);
            return reply::error(family, None, code, path, None);
        }
    }
    status.into_response()
}

fn body_cap(family: &Family, endpoint: &Endpoint, state: &State) -> usize {
    match family.base_url {
        BaseUrl::PerCaller { .. } => state.config.clova_max_body_bytes,
        // The envelope adds up to one AES block to the image.
        BaseUrl::Fixed { .. } => {
            file_body_cap(endpoint.limits.max_file_bytes, DEFAULT_NHN_BODY) + BLOCK_LEN
        }
    }
}

async fn dispatch(
    state: Arc<State>,
    family: &'static Family,
    version: &'static Version,
    endpoint: &'static Endpoint,
    params: Result<Path<HashMap<String, String>>, PathRejection>,
    request: Request,
) -> Response {
    // The token API is another service: its calls are not numbered with
    // the OCR calls, and no OCR fault answers them.
    let token_api = handlers::issues_tokens(family);
    let call_number = state.counters.begin(endpoint, !token_api);
    let faults = &state.config.faults;
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    // Read the body before any check, so that even an early rejection
    // reaches a client that is still uploading.
    let body = read_body(body, body_cap(family, endpoint, &state)).await;
    let fault = (!token_api)
        .then(|| faults::injected(faults, call_number))
        .flatten();
    let response = if !state.rate_limits.admit(family, version, endpoint) {
        faults::answer(
            family,
            version,
            endpoint,
            faults::Injected::RateLimit,
            &path,
        )
    } else if let Some(fault) = fault {
        faults::answer(family, version, endpoint, fault, &path)
    } else {
        let outcome = match params {
            // A path variable that is not UTF-8 once decoded.
            Err(_) => Err(codes::answer(family, ErrorRole::BadPath)),
            Ok(Path(params)) => {
                let call = Call {
                    parts,
                    params,
                    body,
                    version,
                };
                handlers::of(family, endpoint)(Arc::clone(&state), family, endpoint, call).await
            }
        };
        outcome.unwrap_or_else(|code| {
            reply::error(family, Some((version, endpoint)), code, &path, None)
        })
    };
    if !token_api
        && faults::rotates_after(faults, call_number)
        && let Err(e) = state.keys.rotate().await
    {
        tracing::error!(error = %e, "key rotation failed; the old key stays");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clova_routes_sit_under_the_spec_base_path() {
        assert_eq!(
            route_prefix(&crate::wire::clova_document_ocr::FAMILY),
            "/custom/v1/{DomainId}/{InvokeKey}"
        );
        for family in FAMILIES {
            if let BaseUrl::Fixed { .. } = family.base_url {
                assert_eq!(route_prefix(family), "", "{}", family.name);
            }
        }
    }
}
