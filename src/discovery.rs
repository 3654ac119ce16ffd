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
use ureq_proto::client::{Call, RecvResponseResult, SendRequestResult};
use ureq_proto::http::{Request, StatusCode, Uri};
use ureq_proto::BodyMode;

use crate::connection::{
    describe_io, is_timeout, is_transient_io, Connector, PresentedChain, TlsSession,
};
use crate::error::{Error, FetchError};
use crate::escape::printable;
use crate::query::{https_endpoint, Endpoint};
use crate::retry::{with_retries, AttemptError};

/// A discovery document is a few KiB; refuse to buffer more than this.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
const MAX_REDIRECTS: usize = 5;
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Chunk sizes, extensions and trailers around a body: a line of framing
/// longer than this is not framing.
const MAX_FRAMING_BYTES: usize = 64 * 1024;
/// 1xx answers (100 Continue, 103 Early Hints) skipped before the final one.
const MAX_INTERIM_RESPONSES: usize = 10;
/// `jwks_uri` and `Location` are URLs; the issuer chooses them, and
/// `jwks_uri` ends up in Terraform state.
pub const MAX_URL_BYTES: usize = 2048;

/// What discovery found, and the chains of every host it talked to, so that
/// a host already seen is not shaken hands with twice.
pub struct Discovery {
    pub jwks_uri: String,
    pub jwks_endpoint: Endpoint,
    pub chains_seen: HashMap<Endpoint, PresentedChain>,
}

/// Runs discovery from `discovery_url`, following up to five redirects.
pub fn discover(connector: &Connector, discovery_url: &str) -> Result<Discovery, Error> {
    let fail = |reason: String| FetchError::Discovery {
        url: printable(discovery_url),
        reason,
    };
    let mut chains_seen = HashMap::new();
    let mut url = discovery_url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let endpoint = https_endpoint(&url)
            .map_err(|reason| fail(format!("redirected to {}: {reason}", printable(&url))))?;
        let uri: Uri = url
            .parse()
            .map_err(|e| fail(format!("{} is not a valid URL: {e}", printable(&url))))?;
        let response = with_retries(
            &connector.deadline,
            connector.log,
            &format!("GET {url}"),
            || get_once(connector, &endpoint, &uri, discovery_url),
        )?;
        chains_seen.insert(endpoint, response.presented_chain);
        match response.outcome {
            Outcome::Redirect(location) => {
                let location = resolve_reference(&url, &location);
                connector.log.note(format_args!(
                    "{} redirects to {}",
                    printable(&url),
                    printable(&location)
                ));
                url = location;
            }
            Outcome::Document(body) => {
                let jwks_uri = jwks_uri_from_document(&body).map_err(fail)?;
                let jwks_endpoint = https_endpoint(&jwks_uri).map_err(|reason| {
                    fail(format!(
                        "its jwks_uri \"{}\" is not usable: {reason}",
                        printable(&jwks_uri)
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
    Err(fail(format!("more than {MAX_REDIRECTS} redirects")).into())
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
        Some(Value::String(uri)) if uri.len() > MAX_URL_BYTES => Err(format!(
            "its jwks_uri is {} bytes long, more than the {MAX_URL_BYTES} a URL may have here",
            uri.len()
        )),
        Some(Value::String(uri))
            if uri
                .get(..8)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://")) =>
        {
            Ok(uri.clone())
        }
        Some(Value::String(uri)) => Err(format!(
            "its jwks_uri \"{}\" is not an https:// URL",
            printable(uri)
        )),
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
        let error = FetchError::Discovery {
            url: printable(discovery_url),
            reason,
        };
        if transient {
            AttemptError::Transient(error.into())
        } else {
            AttemptError::Final(error.into())
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
    let head = read_head(&mut session, &mut call, &mut input).map_err(|e| match e {
        ReadError::Io(e) => io_fail(e, "reading the answer to GET"),
        ReadError::Proto(e) => proto(e),
        ReadError::TooBig => fail(
            format!("{endpoint} sent more than {MAX_HEAD_BYTES} bytes of headers"),
            false,
        ),
        ReadError::Stalled(what) => fail(format!("{endpoint} sent {what}"), false),
    })?;
    let status = head.status;
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return Err(fail(format!("{endpoint} answered {status}"), true));
    }
    let presented_chain = std::mem::take(&mut session.presented_chain);
    if status.is_redirection() {
        // Resolved here, as a URI reference against the URL asked for
        // (RFC 3986, section 5): ureq-proto would take `//host/path` for a
        // path on the same host.
        let location = head.location.ok_or_else(|| {
            fail(
                format!("{endpoint} answered {status} without a Location"),
                false,
            )
        })?;
        return Ok(Response {
            presented_chain,
            outcome: Outcome::Redirect(location),
        });
    }
    if !status.is_success() {
        return Err(fail(format!("{endpoint} answered {status}"), false));
    }
    let body = match call.proceed() {
        Some(RecvResponseResult::RecvBody(mut call)) => read_body(&mut session, &mut call, input)
            .map_err(|e| match e {
            ReadError::Io(e) => io_fail(e, "reading the body of"),
            ReadError::Proto(e) => proto(e),
            ReadError::TooBig => fail(
                format!("the document is larger than {MAX_DOCUMENT_BYTES} bytes"),
                false,
            ),
            ReadError::Stalled(what) => fail(format!("{endpoint} sent {what}"), false),
        })?,
        _ => Vec::new(),
    };
    Ok(Response {
        presented_chain,
        outcome: Outcome::Document(body),
    })
}

/// `reference` (a `Location`) resolved against `base`, the URL it answered
/// (RFC 3986, section 5.2, without dot-segment removal, which the server
/// does for the path it receives). The result is checked like any URL the
/// program follows: https only, the port rules, the length.
fn resolve_reference(base: &str, reference: &str) -> String {
    let reference = reference.split('#').next().unwrap_or_default();
    let has_scheme = reference.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    // `https://` and the authority of `base`, then its path and query.
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[after_scheme..]
        .find(['/', '?'])
        .map_or(base.len(), |i| after_scheme + i);
    let (origin, path_and_query) = base.split_at(path_start);
    let path = path_and_query.split('?').next().unwrap_or_default();
    if has_scheme {
        reference.to_string()
    } else if reference.starts_with("//") {
        format!("{}{reference}", &base[..after_scheme.saturating_sub(2)])
    } else if reference.starts_with('/') {
        format!("{origin}{reference}")
    } else if reference.starts_with('?') {
        format!("{origin}{path}{reference}")
    } else if reference.is_empty() {
        base.to_string()
    } else {
        let directory = path.rfind('/').map_or("/", |i| &path[..=i]);
        format!("{origin}{directory}{reference}")
    }
}

/// Why reading an answer stopped; the caller words `TooBig` for its part.
enum ReadError {
    Io(io::Error),
    Proto(ureq_proto::Error),
    TooBig,
    /// The input stopped making progress: what the server sent instead.
    Stalled(String),
}

/// The final answer's status and its `Location`, if any.
struct Head {
    status: StatusCode,
    location: Option<String>,
}

fn read_head(
    session: &mut TlsSession,
    call: &mut Call<RecvResponse>,
    input: &mut Vec<u8>,
) -> Result<Head, ReadError> {
    let mut buf = [0u8; 8 * 1024];
    let mut interim = 0;
    loop {
        let (used, response) = call.try_response(input, false).map_err(ReadError::Proto)?;
        input.drain(..used);
        match response {
            // RFC 9110, section 15.2: a client skips 1xx answers other than
            // 101 (ureq-proto already skips 100, returning no response).
            Some(r)
                if r.status().is_informational()
                    && r.status() != StatusCode::SWITCHING_PROTOCOLS =>
            {
                interim += 1;
            }
            Some(r) => {
                let location = match r.headers().get("location") {
                    None => None,
                    Some(value) if value.len() > MAX_URL_BYTES => {
                        return Err(ReadError::Stalled(format!(
                            "a Location longer than {MAX_URL_BYTES} bytes"
                        )))
                    }
                    Some(value) => Some(
                        value
                            .to_str()
                            .map_err(|_| ReadError::Stalled("a Location that is not text".into()))?
                            .to_string(),
                    ),
                };
                return Ok(Head {
                    status: r.status(),
                    location,
                });
            }
            None if used > 0 => interim += 1,
            None => {}
        }
        if interim > MAX_INTERIM_RESPONSES {
            return Err(ReadError::Stalled(format!(
                "more than {MAX_INTERIM_RESPONSES} interim (1xx) answers"
            )));
        }
        if used > 0 && !input.is_empty() {
            continue;
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
            // Nothing consumed: ureq-proto waits for the end of a chunk
            // size, extension or trailer line. Buffered and rescanned on
            // every read, an endless one cost seconds of CPU.
            if input.len() > MAX_FRAMING_BYTES {
                return Err(ReadError::Stalled(format!(
                    "a chunk size, extension or trailer line longer than {MAX_FRAMING_BYTES} bytes"
                )));
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
    fn locations_resolve_as_uri_references() {
        let base = "https://a.example:8443/id/X/.well-known/openid-configuration?v=1";
        for (reference, resolved) in [
            ("https://b.example/doc", "https://b.example/doc"),
            ("//b.example:9443/doc", "https://b.example:9443/doc"),
            ("/moved", "https://a.example:8443/moved"),
            ("moved", "https://a.example:8443/id/X/.well-known/moved"),
            (
                "?v=2",
                "https://a.example:8443/id/X/.well-known/openid-configuration?v=2",
            ),
            ("/moved#top", "https://a.example:8443/moved"),
            ("http://b.example/", "http://b.example/"),
        ] {
            assert_eq!(resolve_reference(base, reference), resolved, "{reference}");
        }
        assert_eq!(
            resolve_reference("https://a.example", "x"),
            "https://a.example/x"
        );
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
