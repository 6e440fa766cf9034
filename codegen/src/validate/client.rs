//! The family's client: its type name and, per endpoint, the shape of its
//! method ([`CallKind`]), read from what the endpoint sends and answers.

use super::Validator;
use crate::model::{self, CallKind, Encoding, HeaderRole, TypeExpr};
use crate::names;
use crate::spec::{self, SpecFile};

/// Methods every client has whatever its endpoints; an endpoint whose
/// method would take one of these names is refused.
const RESERVED: &[&str] = &[
    "new",
    "from_env",
    "builder",
    "build",
    "from_async",
    "paced_rate",
    "api_version",
    "revoke_token",
    "encoding",
    "recognize",
    "recognize_as",
];

impl Validator<'_> {
    pub(super) fn client(
        &mut self,
        s: &SpecFile,
        base_url: &model::BaseUrl,
        vendor: model::Vendor,
    ) -> Option<model::Client> {
        let c = s.client.as_ref()?;
        if !names::is_upper_camel(&c.name) || !c.name.ends_with("Client") {
            self.err(
                "client.name",
                format!("`{}` must be UpperCamelCase and end in `Client`", c.name),
            );
        }
        let per_caller = matches!(base_url, model::BaseUrl::PerCaller { .. });
        match (&c.env, per_caller) {
            (None, true) => self.err(
                "client.env",
                "a family whose callers each have their own URL names the variables `from_env` reads it and the secret from",
            ),
            (Some(_), false) => self.err(
                "client.env",
                "only a family whose callers each have their own URL takes `env` (NHN's variables are shared)",
            ),
            _ => {}
        }
        let env = c.env.as_ref().map(|spec::ClientEnv { url, secret }| {
            for (at, name) in [("client.env.url", url), ("client.env.secret", secret)] {
                let screaming = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
                if !screaming {
                    self.err(at, format!("`{name}` must be SCREAMING_SNAKE_CASE"));
                }
            }
            (url.clone(), secret.clone())
        });
        for name in s.endpoints.keys() {
            let method = names::snake(name);
            if RESERVED.contains(&method.as_str()) {
                self.err(
                    format!("endpoints.{name}"),
                    format!(
                        "its client method would be `{method}`, which every client already has"
                    ),
                );
            }
        }
        Some(model::Client {
            name: c.name.clone(),
            description: c.description.clone(),
            module: match vendor {
                model::Vendor::Nhn => "nhn",
                model::Vendor::Clova => "clova",
            },
            env,
        })
    }
}

/// The shape of `e`'s client method, in order of precedence: the
/// envelope's key endpoint, a document, a spent Request-Key, a body of one
/// text member, one file part (or its URL), else the request type itself.
pub(super) fn call_kind(
    e: &model::Endpoint,
    envelope: Option<&model::Envelope>,
    types: &[model::Object],
) -> CallKind {
    if envelope.is_some_and(|env| env.public_key_endpoint == e.name) {
        return CallKind::PublicKey;
    }
    if let Some(wire) = &e.response.document_field {
        let document = types
            .iter()
            .flat_map(|t| &t.fields)
            .find_map(|f| match &f.ty {
                TypeExpr::Object(name) if &f.wire == wire => Some(name.clone()),
                _ => None,
            });
        if let Some(document) = document {
            return CallKind::Document { document };
        }
    }
    let has_path_args = e
        .path_params
        .iter()
        .any(|p| p.value == model::ParamValue::Argument);
    let spends_key = e.headers.iter().any(|h| h.role == HeaderRole::RequestKey);
    if spends_key && !has_path_args {
        if let [Encoding::Json(body)] = e.request.as_slice() {
            return CallKind::SpendsRequestKey { body: body.clone() };
        }
        return CallKind::Request;
    }
    if has_path_args || spends_key {
        return CallKind::Request;
    }
    let one_file =
        |parts: &[model::Part]| matches!(parts, [part] if part.is_file() && part.required);
    let url_body = |body: &str| {
        types.iter().find(|t| t.name == body).is_some_and(|t| {
            matches!(t.fields.as_slice(), [f] if f.required && f.ty == TypeExpr::String && !f.encrypted)
                && t.discriminated.is_none()
        })
    };
    if let [Encoding::Json(body)] = e.request.as_slice()
        && url_body(body)
        && let Some(field) = types
            .iter()
            .find(|t| &t.name == body)
            .and_then(|t| t.fields.first())
    {
        return CallKind::Text {
            body: body.clone(),
            field: field.rust.clone(),
        };
    }
    let upload = match e.request.as_slice() {
        [Encoding::Multipart(parts)] if one_file(parts) => Some(None),
        [Encoding::Multipart(parts), Encoding::Json(body)]
        | [Encoding::Json(body), Encoding::Multipart(parts)]
            if one_file(parts) && url_body(body) =>
        {
            Some(Some(body.clone()))
        }
        _ => None,
    };
    match upload {
        Some(url_body) => CallKind::Upload {
            url_body,
            issues_request_key: e.response.headers.iter().any(|h| h.single_use),
        },
        None => CallKind::Request,
    }
}
