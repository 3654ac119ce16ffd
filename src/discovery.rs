//! OIDC discovery, the way IAM does it: IAM takes the thumbprint from the
//! chain of the host serving the JSON Web Key Set, which need not be the
//! issuer's host (Google's issuer accounts.google.com serves its keys from
//! www.googleapis.com). So: GET `<issuer>/.well-known/openid-configuration`,
//! read `jwks_uri`, and thumbprint that URI's host.
//!
//! HTTP/1.1 itself (chunked bodies, content length, redirects) is ureq-proto's
//! work; this module drives it over our own verified sessions, so the proxy,
//! the deadline and the presented chain are the same as for the handshake.

use std::collections::HashMap;
use std::io::{self, Read, Write};

use serde_json::Value;
use ureq_proto::client::state::RecvResponse;
use ureq_proto::client::{
    Call, RecvBodyResult, RecvResponseResult, RedirectAuthHeaders, SendRequestResult,
};
use ureq_proto::http::{Request, StatusCode, Uri};
use ureq_proto::BodyMode;

use crate::connection::{
    describe_io, is_timeout, is_transient_io, Connector, PresentedChain, TlsSession,
};
use crate::error::Error;
use crate::query::{https_endpoint, Endpoint};
use crate::retry::{with_retries, AttemptError};

/// A discovery document is a few KiB; refuse to buffer more than this.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
const MAX_REDIRECTS: usize = 5;
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// What discovery found, and the chains of every host it talked to, so that
/// a host already seen is not shaken hands with twice.
pub struct Discovery {
    pub jwks_uri: String,
    pub jwks_endpoint: Endpoint,
    pub chains_seen: HashMap<Endpoint, PresentedChain>,
}

/// Runs discovery from `discovery_url`, following up to five redirects.
pub fn discover(connector: &Connector, discovery_url: &str) -> Result<Discovery, Error> {
    let fail = |reason: String| Error::Discovery {
        url: discovery_url.to_string(),
        reason,
    };
    let mut chains_seen = HashMap::new();
    let mut url = discovery_url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let endpoint = https_endpoint(&url)
            .map_err(|reason| fail(format!("redirected to {url}: {reason}")))?;
        let uri: Uri = url
            .parse()
            .map_err(|e| fail(format!("{url} is not a valid URL: {e}")))?;
        let response = with_retries(
            &connector.deadline,
            connector.log,
            &format!("GET {url}"),
            || get_once(connector, &endpoint, &uri, discovery_url),
        )?;
        chains_seen.insert(endpoint, response.presented_chain);
        match response.outcome {
            Outcome::Redirect(location) => {
                connector
                    .log
                    .note(format_args!("{url} redirects to {location}"));
                url = location;
            }
            Outcome::Document(body) => {
                let jwks_uri = jwks_uri_from_document(&body).map_err(fail)?;
                let jwks_endpoint = https_endpoint(&jwks_uri).map_err(|reason| {
                    fail(format!(
                        "its jwks_uri \"{jwks_uri}\" is not usable: {reason}"
                    ))
                })?;
                return Ok(Discovery {
                    jwks_uri,
                    jwks_endpoint,
                    chains_seen,
                });
            }
        }
    }
    Err(fail(format!("more than {MAX_REDIRECTS} redirects")))
}

/// Reads `jwks_uri` out of a discovery document (OpenID Connect Discovery
/// 1.0, section 3: REQUIRED, and an https URL).
pub fn jwks_uri_from_document(body: &[u8]) -> Result<String, String> {
    if body.len() > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "the document is larger than {MAX_DOCUMENT_BYTES} bytes"
        ));
    }
    let document: Value =
        serde_json::from_slice(body).map_err(|e| format!("the document is not JSON ({e})"))?;
    let Value::Object(fields) = document else {
        return Err("the document is not a JSON object".into());
    };
    match fields.get("jwks_uri") {
        Some(Value::String(uri))
            if uri
                .get(..8)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://")) =>
        {
            Ok(uri.clone())
        }
        Some(Value::String(uri)) => Err(format!("its jwks_uri \"{uri}\" is not an https:// URL")),
        Some(_) => Err("its jwks_uri is not a string".into()),
        None => Err("the document has no jwks_uri".into()),
    }
}

enum Outcome {
    Document(Vec<u8>),
    Redirect(String),
}

struct Response {
    presented_chain: PresentedChain,
    outcome: Outcome,
}

fn get_once(
    connector: &Connector,
    endpoint: &Endpoint,
    uri: &Uri,
    discovery_url: &str,
) -> Result<Response, AttemptError> {
    let mut session = connector.open(endpoint)?;
    let fail = |reason: String, transient: bool| {
        let error = Error::Discovery {
            url: discovery_url.to_string(),
            reason,
        };
        if transient {
            AttemptError::Transient(error)
        } else {
            AttemptError::Final(error)
        }
    };
    let io_fail = |e: io::Error, doing: &str| {
        if is_timeout(&e) && connector.deadline.expired() {
            AttemptError::Final(connector.deadline.timeout_error(format!("{doing} {uri}")))
        } else {
            fail(
                format!("{doing} {uri} failed: {}", describe_io(&e)),
                is_transient_io(&e),
            )
        }
    };
    let proto = |e: ureq_proto::Error| fail(format!("bad HTTP from {endpoint}: {e}"), false);

    let request = Request::get(uri.clone())
        .header("accept", "application/json")
        .header(
            "user-agent",
            concat!("oidc-thumbprint/", env!("CARGO_PKG_VERSION")),
        )
        .header("connection", "close")
        .body(())
        .map_err(|e| fail(format!("cannot build the request: {e}"), false))?;
    let mut call = Call::new(request).map_err(proto)?.proceed();
    let mut out = vec![0u8; 8 * 1024];
    while !call.can_proceed() {
        let n = call.write(&mut out).map_err(proto)?;
        session
            .write_all(&out[..n])
            .map_err(|e| io_fail(e, "sending GET"))?;
    }
    session.flush().map_err(|e| io_fail(e, "sending GET"))?;
    let Some(SendRequestResult::RecvResponse(mut call)) = call.proceed().map_err(proto)? else {
        return Err(fail("the request unexpectedly wanted a body".into(), false));
    };

    let mut input = Vec::new();
    let status = read_head(&mut session, &mut call, &mut input).map_err(|e| match e {
        ReadError::Io(e) => io_fail(e, "reading the answer to GET"),
        ReadError::Proto(e) => proto(e),
        ReadError::TooBig => fail(
            format!("{endpoint} sent more than {MAX_HEAD_BYTES} bytes of headers"),
            false,
        ),
    })?;
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return Err(fail(format!("{endpoint} answered {status}"), true));
    }

    let (body, redirect) = match call.proceed() {
        Some(RecvResponseResult::RecvBody(mut call)) => {
            let body = read_body(&mut session, &mut call, input).map_err(|e| match e {
                ReadError::Io(e) => io_fail(e, "reading the body of"),
                ReadError::Proto(e) => proto(e),
                ReadError::TooBig => fail(
                    format!("the document is larger than {MAX_DOCUMENT_BYTES} bytes"),
                    false,
                ),
            })?;
            match call.proceed() {
                Some(RecvBodyResult::Redirect(redirect)) => (body, Some(redirect)),
                _ => (body, None),
            }
        }
        Some(RecvResponseResult::Redirect(redirect)) => (Vec::new(), Some(redirect)),
        Some(RecvResponseResult::Cleanup(_)) | None => (Vec::new(), None),
    };
    let presented_chain = std::mem::take(&mut session.presented_chain);
    if let Some(mut redirect) = redirect {
        let next = redirect
            .as_new_call(RedirectAuthHeaders::Never)
            .map_err(|e| {
                fail(
                    format!("{endpoint} answered {status} with a bad Location: {e}"),
                    false,
                )
            })?
            .ok_or_else(|| {
                fail(
                    format!("{endpoint} answered {status}, which cannot be followed"),
                    false,
                )
            })?;
        return Ok(Response {
            presented_chain,
            outcome: Outcome::Redirect(next.uri().to_string()),
        });
    }
    if !status.is_success() {
        return Err(fail(format!("{endpoint} answered {status}"), false));
    }
    Ok(Response {
        presented_chain,
        outcome: Outcome::Document(body),
    })
}

/// Why reading an answer stopped; the caller words `TooBig` for its part.
enum ReadError {
    Io(io::Error),
    Proto(ureq_proto::Error),
    TooBig,
}

fn read_head(
    session: &mut TlsSession,
    call: &mut Call<RecvResponse>,
    input: &mut Vec<u8>,
) -> Result<StatusCode, ReadError> {
    let mut buf = [0u8; 8 * 1024];
    loop {
        let (used, response) = call.try_response(input, false).map_err(ReadError::Proto)?;
        input.drain(..used);
        if let Some(response) = response {
            return Ok(response.status());
        }
        if input.len() > MAX_HEAD_BYTES {
            return Err(ReadError::TooBig);
        }
        let n = session.read(&mut buf).map_err(ReadError::Io)?;
        if n == 0 {
            return Err(ReadError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection before answering",
            )));
        }
        input.extend_from_slice(&buf[..n]);
    }
}

fn read_body(
    session: &mut TlsSession,
    call: &mut Call<ureq_proto::client::state::RecvBody>,
    mut input: Vec<u8>,
) -> Result<Vec<u8>, ReadError> {
    let close_delimited = matches!(call.body_mode(), BodyMode::CloseDelimited);
    let mut body = Vec::new();
    let mut out = vec![0u8; 16 * 1024];
    let mut buf = [0u8; 16 * 1024];
    loop {
        if !input.is_empty() {
            let (used, produced) = call.read(&input, &mut out).map_err(ReadError::Proto)?;
            input.drain(..used);
            body.extend_from_slice(&out[..produced]);
            if body.len() > MAX_DOCUMENT_BYTES {
                return Err(ReadError::TooBig);
            }
            if used > 0 || produced > 0 {
                continue;
            }
        }
        if !close_delimited && call.can_proceed() {
            return Ok(body);
        }
        match session.read(&mut buf) {
            Ok(0) if close_delimited => return Ok(body),
            // Servers that end a close-delimited body without close_notify.
            Err(e) if close_delimited && e.kind() == io::ErrorKind::UnexpectedEof => {
                return Ok(body)
            }
            Ok(0) => {
                return Err(ReadError::Io(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the connection closed in the middle of the body",
                )))
            }
            Ok(n) => input.extend_from_slice(&buf[..n]),
            Err(e) => return Err(ReadError::Io(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jwks_uri() {
        let doc = br#"{"issuer":"https://a","jwks_uri":"https://keys.example/jwks","x":[1]}"#;
        assert_eq!(
            jwks_uri_from_document(doc).unwrap(),
            "https://keys.example/jwks"
        );
    }

    #[test]
    fn refuses_unusable_documents() {
        for (doc, expected) in [
            (&b"<html>"[..], "not JSON"),
            (b"[]", "not a JSON object"),
            (b"{}", "no jwks_uri"),
            (br#"{"jwks_uri":5}"#, "not a string"),
            (
                br#"{"jwks_uri":"http://keys.example/jwks"}"#,
                "not an https",
            ),
        ] {
            let e = jwks_uri_from_document(doc).unwrap_err();
            assert!(e.contains(expected), "{e}");
        }
        let huge = vec![b' '; MAX_DOCUMENT_BYTES + 1];
        assert!(jwks_uri_from_document(&huge)
            .unwrap_err()
            .contains("larger"));
    }

    /// Found by the discovery_document fuzz target: byte 8 fell inside a
    /// two-byte character and slicing there panicked.
    #[test]
    fn regression_multibyte_character_at_the_scheme_boundary() {
        let doc = "{\"jwks_uri\":\"https:/\u{0468}/keys\"}\n";
        assert!(jwks_uri_from_document(doc.as_bytes())
            .unwrap_err()
            .contains("not an https"));
        assert!(jwks_uri_from_document("{\"jwks_uri\":\"\u{0468}\"}".as_bytes()).is_err());
    }

    #[test]
    fn redirect_targets_must_be_https() {
        assert_eq!(
            https_endpoint("https://a.example:8443/x?y").unwrap(),
            Endpoint {
                host: "a.example".into(),
                port: 8443
            }
        );
        assert!(https_endpoint("http://a.example/").is_err());
        assert!(https_endpoint("https://u@a.example/").is_err());
    }
}
