//! The shapes of a call, one function each, which the generated client
//! methods are calls to (`generated/<vendor>_clients.rs`): the generator
//! reads an endpoint's shape from its descriptor (an upload, an upload or a
//! URL, a spent Request-Key, the request type itself) and names the
//! function here. Each shapes the input into the endpoint's generated
//! request type and hands it to [`Runtime::call`], the one pipeline; none
//! knows an endpoint by name.

use crate::client::runtime::Payload;
use crate::client::{Answer, Runtime};
use crate::descriptor::{
    Checks, Endpoint, FromBody, FromParts, KeyedRequest, Operation, Request, TextBody, UrlBody,
};
use crate::error::{Error, InvalidInput};
use crate::image::{Image, ImageSource};
use crate::nhn::{Keyed, RequestKey};

/// Any request, as the caller built it.
pub(crate) async fn send<R: Request>(
    runtime: &Runtime,
    request: &R,
) -> Result<Answer<Payload<R>>, Error> {
    Ok(runtime.call(request).await?.into_answer())
}

/// One image, as the endpoint's single file part.
pub(crate) async fn upload<O>(
    runtime: &Runtime,
    image: &Image,
) -> Result<Answer<O::Response>, Error>
where
    O: Operation,
    O::Request: FromParts<Parts = (Image,)>,
{
    send(runtime, &O::Request::from_parts((image.clone(),))).await
}

/// One image, and the single-use ticket the answer carries for a later
/// call (a Request-Key), checked and timed from when the call went out.
pub(crate) async fn upload_keyed<O>(
    runtime: &Runtime,
    image: &Image,
) -> Result<Answer<Keyed<O::Response>>, Error>
where
    O: Operation,
    O::Request: FromParts<Parts = (Image,)>,
    O::Response: crate::nhn::KeyRule,
{
    let sent_at = tokio::time::Instant::now();
    let reply = runtime
        .call(&O::Request::from_parts((image.clone(),)))
        .await?;
    let request_key =
        crate::nhn::request_key::from_answer(O::ENDPOINT, &reply.headers, &reply.body, sent_at)?;
    let keyed = Keyed {
        result: reply.body,
        request_key,
    };
    Ok(Answer::new(keyed, reply.drift))
}

/// An image to upload, or a URL the service fetches it from (sent as the
/// endpoint's URL body, checked first).
pub(crate) async fn upload_or_url<O, B>(
    runtime: &Runtime,
    source: ImageSource<'_>,
) -> Result<Answer<O::Response>, Error>
where
    O: Operation,
    O::Request: FromParts<Parts = (Image,)> + FromBody<B>,
    B: UrlBody,
{
    let request = match source {
        ImageSource::File(image) => O::Request::from_parts((image.clone(),)),
        ImageSource::Url(text) => {
            O::Request::from_body(B::from_url(checked_url::<B>(O::ENDPOINT, text)?))
        }
    };
    send(runtime, &request).await
}

/// A body of one text member, built from the text (checked against the
/// spec's form for it, like every input, before anything is sent).
#[allow(
    dead_code,
    reason = "called by the generated method of an endpoint whose body is one text member; the specs decide whether one exists"
)]
pub(crate) async fn send_text<O, B>(
    runtime: &Runtime,
    text: String,
) -> Result<Answer<O::Response>, Error>
where
    O: Operation,
    O::Request: FromBody<B>,
    B: TextBody,
{
    send(runtime, &O::Request::from_body(B::from_text(text))).await
}

/// A body sent with the Request-Key an earlier call issued, which this call
/// spends: the body's checks and the key's age are tested locally first.
pub(crate) async fn spend_request_key<O, C>(
    runtime: &Runtime,
    request_key: RequestKey,
    checks: C,
) -> Result<Answer<O::Response>, Error>
where
    O: Operation,
    O::Request: KeyedRequest,
    C: Checks + Into<<O::Request as KeyedRequest>::Body>,
{
    checks.validate()?;
    request_key.check_fresh()?;
    let request = O::Request::with_request_key(request_key.value().clone(), checks.into());
    send(runtime, &request).await
}

/// Revokes the token a client holds, if any.
pub(crate) async fn revoke_token(runtime: &Runtime) -> Result<bool, Error> {
    match runtime.token_source() {
        Some(tokens) => tokens.revoke().await,
        None => Ok(false),
    }
}

/// The URL as it will be sent, if the service can fetch from it: http(s),
/// a host, and a port in the endpoint's `limits.url_ports`. Problems are
/// described without the URL, which may carry a signed token.
pub(crate) fn checked_url<B: UrlBody>(
    endpoint: &'static Endpoint,
    text: &str,
) -> Result<String, Error> {
    let refuse = |problem: String| -> Error {
        InvalidInput::Field {
            field: B::FIELD,
            for_id_type: None,
            problem,
        }
        .into()
    };
    let url = url::Url::parse(text.trim())
        .map_err(|e| refuse(format!("is not a valid absolute URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse(format!(
            "must be an http or https URL, not {}",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refuse("has no host".to_string()));
    }
    let port = url
        .port_or_known_default()
        .ok_or_else(|| refuse("names no port".to_string()))?;
    if !endpoint.limits.allows_port(port) {
        return Err(refuse(format!(
            "names port {port}; {} fetches images only from ports {}",
            endpoint.name,
            port_list(endpoint.limits.url_ports)
        )));
    }
    Ok(url.into())
}

/// `80, 443 and 10000-12000`.
fn port_list(ranges: &[(u16, u16)]) -> String {
    let items: Vec<String> = ranges
        .iter()
        .map(|&(lo, hi)| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}-{hi}")
            }
        })
        .collect();
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_general_ocr_v1::{GENERAL, GENERAL_CROPPING, ImageUrlRequest};

    #[test]
    fn ports_come_from_the_spec() {
        assert_eq!(
            GENERAL.limits.url_ports,
            [(80, 80), (443, 443), (10000, 12000)]
        );
        assert_eq!(
            port_list(GENERAL.limits.url_ports),
            "80, 443 and 10000-12000"
        );
        assert_eq!(port_list(&[(1, 2)]), "1-2");
        assert_eq!(port_list(&[]), "");
    }

    #[test]
    fn usable_urls_pass_and_others_are_refused_with_the_reason() {
        for ok in [
            "https://example.com/example.jpg",
            "http://example.com/a.png",
            "https://example.com:443/a.png",
            "http://example.com:10000/a.png",
            "http://example.com:12000/a.png",
            "  https://example.com/a.png?sig=abc  ",
        ] {
            checked_url::<ImageUrlRequest>(&GENERAL, ok).unwrap();
            checked_url::<ImageUrlRequest>(&GENERAL_CROPPING, ok).unwrap();
        }
        for (bad, problem) in [
            (
                "https://example.com:8443/a.png?sig=s3cr3t",
                "`imageUrl`: names port 8443; general fetches images only from ports 80, 443 and 10000-12000",
            ),
            ("http://example.com:9999/a.png", "names port 9999"),
            ("http://example.com:12001/a.png", "names port 12001"),
            (
                "ftp://example.com/a.png",
                "must be an http or https URL, not ftp",
            ),
            ("file:///etc/passwd", "not file"),
            ("example.com/a.png", "is not a valid absolute URL"),
            ("https://", "is not a valid absolute URL"),
            ("", "is not a valid absolute URL"),
        ] {
            let e = checked_url::<ImageUrlRequest>(&GENERAL, bad).unwrap_err();
            assert!(matches!(
                e,
                Error::Invalid(InvalidInput::Field {
                    field: "imageUrl",
                    ..
                })
            ));
            assert!(e.to_string().contains(problem), "{bad}: {e}");
            assert!(!e.to_string().contains("s3cr3t"), "{e}");
        }
    }
}
