//! OIDC discovery, the way IAM does it: IAM takes the thumbprint from the
//! chain of the host serving the JSON Web Key Set, which need not be the
//! issuer's host (Google's issuer accounts.google.com serves its keys from
//! www.googleapis.com). So: GET `<issuer>/.well-known/openid-configuration`,
//! read `jwks_uri`, and thumbprint that URI's host.
//!
//! HTTP/1.1 itself (chunked bodies, content length) is ureq-proto's work;
//! this module drives it over our own verified sessions, so the proxy, the
//! deadline and the presented chain are the same as for the handshake.
//! Everything the server sends is read within bounds.

use std::collections::HashMap;
use std::io::{self, Read, Write};

use serde_json::Value;
use ureq_proto::client::state::{RecvBody, RecvResponse};
use ureq_proto::client::{Call, RecvResponseResult, SendRequestResult};
use ureq_proto::http::{Request, StatusCode};
use ureq_proto::BodyMode;

use crate::connection::Connector;
use crate::endpoint::{Endpoint, HttpsUrl, MAX_URL_BYTES};
use crate::error::{Error, FetchError};
use crate::escape::printable;
use crate::io_error::{describe_io, is_timeout, is_transient_io};
use crate::log::note;
use crate::retry::AttemptError;
use crate::sampling::Sampled;
use crate::tls::TlsSession;
use crate::trust::Profile;

/// A discovery document is a few KiB; refuse to buffer more than this.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
const MAX_REDIRECTS: usize = 5;
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Chunk sizes, extensions and trailers around a body: a line of framing
/// longer than this is not framing.
const MAX_FRAMING_BYTES: usize = 64 * 1024;
/// 1xx answers (100 Continue, 103 Early Hints) skipped before the final one.
const MAX_INTERIM_RESPONSES: usize = 10;

/// What discovery found, and a sample of every host it talked to, so that
/// a handshake already made counts.
pub struct Discovery {
    pub jwks_uri: HttpsUrl,
    pub samples_seen: HashMap<Endpoint, Sampled>,
}

/// Runs discovery from `discovery_url`, following up to five redirects.
pub fn discover(connector: &Connector, discovery_url: &HttpsUrl) -> Result<Discovery, Error> {
    let fail = |reason: String| -> Error {
        FetchError::Discovery {
            url: printable(discovery_url.as_str()),
            reason,
        }
        .into()
    };
    let mut samples_seen = HashMap::new();
    let mut url = discovery_url.clone();
    for _ in 0..=MAX_REDIRECTS {
        let response = connector
            .with_retries(&format!("GET {}", printable(url.as_str())), || {
                get_once(connector, &url, discovery_url)
            })?;
        samples_seen.insert(url.endpoint().clone(), response.sample);
        match response.outcome {
            Outcome::Redirect(location) => {
                // Resolved here, as a URI reference against the URL asked
                // for (RFC 3986, section 5): ureq-proto would take
                // `//host/path` for a path on the same host.
                let target = resolve_reference(url.as_str(), &location);
                note!(
                    connector.log,
                    "{} redirects to {}",
                    printable(url.as_str()),
                    printable(&target)
                );
                url = HttpsUrl::parse(&target).map_err(|reason| {
                    fail(format!("redirected to {}: {reason}", printable(&target)))
                })?;
            }
            Outcome::Document(body) => {
                let text = jwks_uri_from_document(&body).map_err(fail)?;
                let jwks_uri = HttpsUrl::parse(&text).map_err(|reason| {
                    fail(format!(
                        "its jwks_uri \"{}\" is not usable: {reason}",
                        printable(&text)
                    ))
                })?;
                return Ok(Discovery {
                    jwks_uri,
                    samples_seen,
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
    /// The `Location` of a redirect, as sent.
    Redirect(String),
}

struct Response {
    sample: Sampled,
    outcome: Outcome,
}

/// One GET of `url` on a session of its own.
fn get_once(
    connector: &Connector,
    url: &HttpsUrl,
    discovery_url: &HttpsUrl,
) -> Result<Response, AttemptError> {
    let (at, mut session) = connector.open(url.endpoint())?;
    let outcome = exchange(&mut session, url)
        .map_err(|e| e.into_attempt_error(connector, url, discovery_url))?;
    Ok(Response {
        sample: Sampled {
            at,
            profile: Profile::Default,
            walk: session.walk,
        },
        outcome,
    })
}

/// Send the request, read the head, then the body if there is a document.
fn exchange(session: &mut TlsSession, url: &HttpsUrl) -> Result<Outcome, GetError> {
    let mut call = send_request(session, url)?;
    let mut input = Vec::new();
    let head = read_head(session, &mut call, &mut input)?;
    if head.status.is_redirection() {
        return head
            .location
            .map(Outcome::Redirect)
            .ok_or(GetError::NoLocation(head.status));
    }
    if !head.status.is_success() {
        return Err(GetError::Status(head.status));
    }
    match call.proceed() {
        Some(RecvResponseResult::RecvBody(mut call)) => {
            read_body(session, &mut call, input).map(Outcome::Document)
        }
        _ => Ok(Outcome::Document(Vec::new())),
    }
}

/// Why one GET failed, in the program's words, and whether another attempt
/// could help: decided once, in [`GetError::into_attempt_error`].
enum GetError {
    /// `doing` the named step, the connection failed.
    Io {
        doing: &'static str,
        error: io::Error,
    },
    Proto(ureq_proto::Error),
    Status(StatusCode),
    NoLocation(StatusCode),
    HeadTooBig,
    BodyTooBig,
    /// The server sent something no bound admits: what it was.
    Sent(String),
}

impl GetError {
    fn io(doing: &'static str) -> impl Fn(io::Error) -> GetError {
        move |error| GetError::Io { doing, error }
    }

    fn into_attempt_error(
        self,
        connector: &Connector,
        url: &HttpsUrl,
        discovery_url: &HttpsUrl,
    ) -> AttemptError {
        let endpoint = url.endpoint();
        let shown = printable(url.as_str());
        let (reason, transient) = match self {
            GetError::Io { doing, error } => {
                if is_timeout(&error) && connector.deadline.expired() {
                    return AttemptError::Final(
                        connector.deadline.timeout_error(format!("{doing} {shown}")),
                    );
                }
                let transient = is_transient_io(&error);
                (
                    format!("{doing} {shown} failed: {}", describe_io(&error)),
                    transient,
                )
            }
            GetError::Proto(e) => (
                format!("bad HTTP from {endpoint}: {}", printable(&e.to_string())),
                false,
            ),
            // Busy or broken for a moment; a 4xx is an answer.
            GetError::Status(status) => (
                format!("{endpoint} answered {status}"),
                status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error(),
            ),
            GetError::NoLocation(status) => (
                format!("{endpoint} answered {status} without a Location"),
                false,
            ),
            GetError::HeadTooBig => (
                format!("{endpoint} sent more than {MAX_HEAD_BYTES} bytes of headers"),
                false,
            ),
            GetError::BodyTooBig => (
                format!("the document is larger than {MAX_DOCUMENT_BYTES} bytes"),
                false,
            ),
            GetError::Sent(what) => (format!("{endpoint} sent {what}"), false),
        };
        let error = FetchError::Discovery {
            url: printable(discovery_url.as_str()),
            reason,
        };
        AttemptError::new(error, transient)
    }
}

fn send_request(session: &mut TlsSession, url: &HttpsUrl) -> Result<Call<RecvResponse>, GetError> {
    let request = Request::get(url.uri().clone())
        .header("accept", "application/json")
        .header(
            "user-agent",
            concat!("oidc-thumbprint/", env!("CARGO_PKG_VERSION")),
        )
        .header("connection", "close")
        .body(())
        .map_err(|e| GetError::Sent(format!("a URL no request can carry ({e})")))?;
    let mut call = Call::new(request).map_err(GetError::Proto)?.proceed();
    let mut out = vec![0u8; 8 * 1024];
    while !call.can_proceed() {
        let n = call.write(&mut out).map_err(GetError::Proto)?;
        session
            .write_all(&out[..n])
            .map_err(GetError::io("sending GET"))?;
    }
    session.flush().map_err(GetError::io("sending GET"))?;
    match call.proceed().map_err(GetError::Proto)? {
        Some(SendRequestResult::RecvResponse(call)) => Ok(call),
        // A GET has no body to send.
        _ => Err(GetError::Sent(
            "an answer before the request was sent".into(),
        )),
    }
}

/// `reference` (a `Location`) resolved against `base`, the URL it answered
/// (RFC 3986, section 5.2), dot segments removed (section 5.2.4), as curl
/// sends it: a strict server answers 400 to `/x/../y`. The result is checked
/// like any URL the program follows: https only, the port rules, the length.
fn resolve_reference(base: &str, reference: &str) -> String {
    let resolved = merge_reference(base, reference);
    let after_scheme = resolved.find("://").map_or(0, |i| i + 3);
    let path_start = resolved[after_scheme..]
        .find(['/', '?'])
        .map_or(resolved.len(), |i| after_scheme + i);
    let (origin, path_and_query) = resolved.split_at(path_start);
    let (path, query) = match path_and_query.find('?') {
        Some(at) => path_and_query.split_at(at),
        None => (path_and_query, ""),
    };
    format!("{origin}{}{query}", remove_dot_segments(path))
}

/// RFC 3986, section 5.2.4, step by step as the RFC writes it: each output
/// segment keeps its leading `/`, so `..` removes one with its slash.
fn remove_dot_segments(path: &str) -> String {
    let mut output: Vec<&str> = Vec::new();
    let mut input = path;
    while !input.is_empty() {
        if let Some(rest) = input
            .strip_prefix("../")
            .or_else(|| input.strip_prefix("./"))
        {
            input = rest;
        } else if input.starts_with("/./") {
            input = &input[2..];
        } else if input == "/." {
            input = "/";
        } else if input.starts_with("/../") {
            input = &input[3..];
            output.pop();
        } else if input == "/.." {
            input = "/";
            output.pop();
        } else if input == "." || input == ".." {
            input = "";
        } else {
            let first = usize::from(input.starts_with('/'));
            let end = input[first..].find('/').map_or(input.len(), |i| first + i);
            output.push(&input[..end]);
            input = &input[end..];
        }
    }
    output.concat()
}

fn merge_reference(base: &str, reference: &str) -> String {
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

/// The final answer's status, its `Location` if any, and the status line
/// and headers that frame the body (length, transfer coding), for
/// ureq-proto, which decodes the body.
struct Head {
    status: StatusCode,
    location: Option<String>,
    framing: Vec<u8>,
}

/// Reads the head of the final answer, skipping 1xx answers, and hands
/// ureq-proto a head of only the lines that frame the body, so that its
/// body decoding (chunked, content length, close) stays its own. The head
/// is read here, with httparse directly, because ureq-proto parses at most
/// 128 headers: the bound is the documented 64 KiB, whatever the count.
/// The end of the head is looked for only in bytes not yet searched, so a
/// server sending one byte per TLS record costs linear time.
fn read_head(
    session: &mut TlsSession,
    call: &mut Call<RecvResponse>,
    input: &mut Vec<u8>,
) -> Result<Head, GetError> {
    let mut buf = [0u8; 8 * 1024];
    let mut interim = 0;
    let mut searched = 0;
    loop {
        if let Some(end) = end_of_head(input, searched) {
            let head = parse_head(&input[..end])?;
            if head.status.is_informational() && head.status != StatusCode::SWITCHING_PROTOCOLS {
                // RFC 9110, section 15.2: a client skips 1xx answers other
                // than 101.
                interim += 1;
                if interim > MAX_INTERIM_RESPONSES {
                    return Err(GetError::Sent(format!(
                        "more than {MAX_INTERIM_RESPONSES} interim (1xx) answers"
                    )));
                }
                input.drain(..end);
                searched = 0;
                continue;
            }
            input.drain(..end);
            let (used, response) = call
                .try_response(&head.framing, false)
                .map_err(GetError::Proto)?;
            if response.is_none() || used != head.framing.len() {
                return Err(GetError::Sent("a head its own parser cannot read".into()));
            }
            return Ok(head);
        }
        searched = input.len();
        if input.len() > MAX_HEAD_BYTES {
            return Err(GetError::HeadTooBig);
        }
        let reading = GetError::io("reading the answer to GET");
        let n = session.read(&mut buf).map_err(&reading)?;
        if n == 0 {
            return Err(reading(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection before answering",
            )));
        }
        input.extend_from_slice(&buf[..n]);
    }
}

/// Where the head in `input` ends (after its blank line), looking from a
/// little before `searched`: CRLF CRLF, or bare LFs (RFC 9112, section 2.2).
fn end_of_head(input: &[u8], searched: usize) -> Option<usize> {
    let from = searched.saturating_sub(3);
    let window = &input[from..];
    window
        .windows(2)
        .enumerate()
        .find_map(|(i, pair)| match pair {
            b"\n\n" => Some(from + i + 2),
            [b'\n', b'\r'] if window.get(i + 2) == Some(&b'\n') => Some(from + i + 3),
            _ => None,
        })
}

/// Enough header slots for any head of `bytes` bytes: the shortest header
/// line, `a:` and a bare LF, is three bytes.
fn header_slots(bytes: usize) -> Vec<httparse::Header<'static>> {
    vec![httparse::EMPTY_HEADER; bytes / 3 + 1]
}

/// The head in `head`, parsed once.
fn parse_head(head: &[u8]) -> Result<Head, GetError> {
    let mut headers = header_slots(head.len());
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(GetError::Sent("an incomplete head".into())),
        Err(e) => {
            return Err(GetError::Sent(format!(
                "a head that is not HTTP ({})",
                printable(&e.to_string())
            )))
        }
    }
    let status = response
        .code
        .and_then(|code| StatusCode::from_u16(code).ok())
        .ok_or_else(|| GetError::Sent("a status code out of range".into()))?;
    let location = match response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("location"))
    {
        None => None,
        Some(h) if h.value.len() > MAX_URL_BYTES => {
            return Err(GetError::Sent(format!(
                "a Location longer than {MAX_URL_BYTES} bytes"
            )))
        }
        Some(h) => Some(
            std::str::from_utf8(h.value)
                .map_err(|_| GetError::Sent("a Location that is not text".into()))?
                .to_string(),
        ),
    };
    let mut framing = format!("HTTP/1.1 {} X\r\n", status.as_u16()).into_bytes();
    for header in response.headers.iter() {
        let frames = header.name.eq_ignore_ascii_case("content-length")
            || header.name.eq_ignore_ascii_case("transfer-encoding");
        if frames {
            framing.extend_from_slice(header.name.as_bytes());
            framing.extend_from_slice(b": ");
            framing.extend_from_slice(header.value);
            framing.extend_from_slice(b"\r\n");
        }
    }
    framing.extend_from_slice(b"\r\n");
    if framing.len() > MAX_HEAD_BYTES {
        return Err(GetError::HeadTooBig);
    }
    Ok(Head {
        status,
        location,
        framing,
    })
}

fn read_body(
    session: &mut TlsSession,
    call: &mut Call<RecvBody>,
    mut input: Vec<u8>,
) -> Result<Vec<u8>, GetError> {
    let reading = GetError::io("reading the body of");
    let close_delimited = matches!(call.body_mode(), BodyMode::CloseDelimited);
    let mut body = Vec::new();
    let mut out = vec![0u8; 16 * 1024];
    let mut buf = [0u8; 16 * 1024];
    loop {
        if !input.is_empty() {
            let (used, produced) = call.read(&input, &mut out).map_err(GetError::Proto)?;
            input.drain(..used);
            body.extend_from_slice(&out[..produced]);
            if body.len() > MAX_DOCUMENT_BYTES {
                return Err(GetError::BodyTooBig);
            }
            if used > 0 || produced > 0 {
                continue;
            }
            // Nothing consumed: ureq-proto waits for the end of a chunk
            // size, extension or trailer line. Buffered and rescanned on
            // every read, an endless one cost seconds of CPU.
            if input.len() > MAX_FRAMING_BYTES {
                return Err(GetError::Sent(format!(
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
                return Err(reading(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the connection closed in the middle of the body",
                )))
            }
            Ok(n) => input.extend_from_slice(&buf[..n]),
            Err(e) => return Err(reading(e)),
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

    /// Issue 15: a Location with dot segments was sent raw; a strict server
    /// answers 400 to it, and curl sends the normalised path.
    #[test]
    fn dot_segments_are_removed() {
        let base = "https://a.example/id/X/.well-known/openid-configuration";
        for (reference, resolved) in [
            ("../../c/doc", "https://a.example/id/c/doc"),
            ("/x/../y/./doc", "https://a.example/y/doc"),
            ("../../../../../../doc", "https://a.example/doc"),
            ("./", "https://a.example/id/X/.well-known/"),
            ("..", "https://a.example/id/X/"),
            ("/a/b/..?q=/../x", "https://a.example/a/?q=/../x"),
            ("https://b.example/p/./q/../r", "https://b.example/p/r"),
        ] {
            assert_eq!(resolve_reference(base, reference), resolved, "{reference}");
        }
        // RFC 3986, section 5.4.1 and 5.4.2 (the RFC's own examples).
        let rfc = "https://a/b/c/d;p?q";
        for (reference, resolved) in [
            ("../g", "https://a/b/g"),
            ("../..", "https://a/"),
            ("../../g", "https://a/g"),
            ("./g", "https://a/b/c/g"),
            ("g/./h", "https://a/b/c/g/h"),
            ("g/../h", "https://a/b/c/h"),
            ("../../../g", "https://a/g"),
            ("/./g", "https://a/g"),
            ("g.", "https://a/b/c/g."),
            ("..g", "https://a/b/c/..g"),
        ] {
            assert_eq!(resolve_reference(rfc, reference), resolved, "{reference}");
        }
    }
}
