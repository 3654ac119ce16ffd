//! OIDC discovery: the thumbprint comes from the host that serves the JWKS,
//! as IAM does it, with every failure named and `discovery = "false"` offered.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::pki::{self, KeyKind, SimplePki};
use crate::common::server::{
    tls_server, tls_server_knowing_its_port, tls_server_on, HttpAnswer, HttpHandler, TestServer,
    TlsServerConfig,
};
use crate::common::{run_query, run_query_env, TempDir};
use serde_json::json;

const ISSUER_PATH: &str = "/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

fn server_with(pki: &SimplePki, handler: HttpHandler) -> TestServer {
    let mut config = TlsServerConfig::presenting(&[&pki.leaf, &pki.intermediate]);
    config.http = Some(handler);
    tls_server(config)
}

fn document(jwks_uri: &str) -> HttpAnswer {
    HttpAnswer::json(json!({"issuer": "https://x", "jwks_uri": jwks_uri, "id_token_signing_alg_values_supported": ["RS256"]}).to_string())
}

fn issuer_url(server: &TestServer) -> String {
    format!("https://localhost:{}{ISSUER_PATH}", server.port())
}

fn query(server: &TestServer, ca: &str) -> serde_json::Value {
    json!({"url": issuer_url(server), "ca_file": ca, "timeout": "5"})
}

/// A server whose discovery document points at `jwks_uri(port)`.
fn discovery_server(
    pki: &SimplePki,
    jwks_uri: impl Fn(u16) -> String + Send + Sync + 'static,
) -> TestServer {
    discovery_server_answering(pki, move |port| document(&jwks_uri(port)))
}

/// A server that answers its discovery URL with `answer(its port)`.
fn discovery_server_answering(
    pki: &SimplePki,
    answer: impl Fn(u16) -> HttpAnswer + Send + Sync + 'static,
) -> TestServer {
    tls_server_knowing_its_port(
        TlsServerConfig::presenting(&[&pki.leaf, &pki.intermediate]),
        move |port, path| {
            if path == format!("{ISSUER_PATH}/.well-known/openid-configuration") {
                answer(port)
            } else {
                HttpAnswer::status(404)
            }
        },
    )
}

#[test]
fn same_host_reuses_the_discovery_handshake() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("disc-same", "ca.pem", &pki.root.pem());
    let server = discovery_server(&pki, |port| {
        format!("https://localhost:{port}{ISSUER_PATH}/keys")
    });
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
    assert_eq!(run.field("issuer_thumbprint"), pki.intermediate.sha1());
    assert_eq!(run.field("thumbprints"), pki.intermediate.sha1());
    assert_eq!(run.field("jwks_host"), "localhost");
    assert_eq!(
        run.field("jwks_uri"),
        format!("https://localhost:{}{ISSUER_PATH}/keys", server.port())
    );
    // The discovery GET's handshake is the default profile's sample; the
    // `rsa` profile is the only other handshake.
    assert_eq!(
        server.connection_count(),
        2,
        "the JWKS host was the discovery host: one handshake per profile is enough"
    );
}

#[test]
fn jwks_uri_with_a_query_is_accepted() {
    // An issuer has no query, but nothing forbids one in jwks_uri.
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("disc-query", "ca.pem", &pki.root.pem());
    let server = discovery_server(&pki, |port| {
        format!("https://localhost:{port}/keys?version=2")
    });
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(
        run.field("jwks_uri"),
        format!("https://localhost:{}/keys?version=2", server.port())
    );
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
}

#[test]
fn jwks_on_another_host_is_what_gets_thumbprinted() {
    let issuer_pki = pki::simple_pki(KeyKind::Ecdsa);
    let keys_root = pki::root("Keys Root", KeyKind::Ecdsa);
    let keys_intermediate = pki::intermediate("Keys Intermediate", KeyKind::Ecdsa, &keys_root);
    let keys_leaf = pki::leaf(KeyKind::Ecdsa, &keys_intermediate);
    let keys_pki = SimplePki {
        root: keys_root,
        intermediate: keys_intermediate,
        leaf: keys_leaf,
    };
    // The JWKS host listens on ::1, the issuer on 127.0.0.1: two hosts.
    let mut config = TlsServerConfig::presenting(&[&keys_pki.leaf, &keys_pki.intermediate]);
    config.http = Some(Arc::new(|_| HttpAnswer::json("{\"keys\":[]}")));
    let keys_server = tls_server_on("[::1]:0", config);
    let keys_port = keys_server.port();
    let issuer = discovery_server(&issuer_pki, move |_| {
        format!("https://[::1]:{keys_port}/keys")
    });

    let dir = TempDir::new("disc-split");
    let ca = dir.write(
        "ca.pem",
        &format!("{}{}", issuer_pki.root.pem(), keys_pki.root.pem()),
    );
    let run = run_query(query(&issuer, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), keys_pki.intermediate.sha1());
    assert_eq!(
        run.field("issuer_thumbprint"),
        issuer_pki.intermediate.sha1()
    );
    assert_eq!(
        run.field("thumbprints"),
        format!(
            "{},{}",
            keys_pki.intermediate.sha1(),
            issuer_pki.intermediate.sha1()
        )
    );
    assert_eq!(run.field("jwks_host"), "::1");
    assert_eq!(run.field("issuer_host"), "localhost");
    // One handshake per ClientHello profile.
    assert_eq!(keys_server.connection_count(), 2);
}

#[test]
fn discovery_false_thumbprints_the_issuer_host_without_http() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&requests);
    let server = server_with(
        &pki,
        Arc::new(move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
            HttpAnswer::status(500)
        }),
    );
    let (_dir, ca) = TempDir::with_file("disc-off", "ca.pem", &pki.root.pem());
    let run = run_query(json!({"url": issuer_url(&server), "ca_file": ca, "discovery": "false"}));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
    assert!(!run.json().contains_key("jwks_uri"));
    assert_eq!(requests.load(Ordering::SeqCst), 0);
}

#[test]
fn chunked_document_and_a_redirect_are_followed() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let mut config = TlsServerConfig::presenting(&[&pki.leaf, &pki.intermediate]);
    config.chunked = true;
    let server = tls_server_knowing_its_port(config, |port, path| {
        if path.ends_with("/.well-known/openid-configuration") {
            HttpAnswer::redirect("/moved/openid-configuration")
        } else if path == "/moved/openid-configuration" {
            document(&format!("https://localhost:{port}/keys"))
        } else {
            HttpAnswer::status(404)
        }
    });
    let (_dir, ca) = TempDir::with_file("disc-redirect", "ca.pem", &pki.root.pem());
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
    assert_eq!(
        run.field("jwks_uri"),
        format!("https://localhost:{}/keys", server.port())
    );
}

#[track_caller]
fn discovery_fails_with(handler: HttpHandler, words: &[&str]) -> TestServer {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let server = server_with(&pki, handler);
    let (_dir, ca) = TempDir::with_file("disc-fail", "ca.pem", &pki.root.pem());
    let run = run_query(query(&server, &ca));
    let url = format!("{}/.well-known/openid-configuration", issuer_url(&server));
    let mut expected = vec![url.as_str(), "discovery = \"false\""];
    expected.extend_from_slice(words);
    run.assert_fails(1, &expected);
    server
}

#[test]
fn missing_document() {
    let server = discovery_fails_with(Arc::new(|_| HttpAnswer::status(404)), &["404"]);
    assert_eq!(server.connection_count(), 1, "a 404 is not retried");
}

#[test]
fn document_that_is_not_json() {
    discovery_fails_with(
        Arc::new(|_| HttpAnswer::json("<html>gateway</html>")),
        &["not JSON"],
    );
}

#[test]
fn jwks_uri_that_is_not_https() {
    discovery_fails_with(
        Arc::new(|_| document("http://localhost/keys")),
        &["not an https://"],
    );
    discovery_fails_with(
        Arc::new(|_| HttpAnswer::json("{\"issuer\":\"x\"}")),
        &["no jwks_uri"],
    );
}

#[test]
fn huge_document() {
    let body = format!(
        "{{\"jwks_uri\":\"https://localhost/keys\",\"pad\":\"{}\"}}",
        "x".repeat(2 * 1024 * 1024)
    );
    discovery_fails_with(
        Arc::new(move |_| HttpAnswer::json(body.clone())),
        &["larger than 1048576 bytes"],
    );
}

#[test]
fn redirect_loop() {
    discovery_fails_with(
        Arc::new(|path| HttpAnswer::redirect(&format!("{path}x"))),
        &["more than 5 redirects"],
    );
}

#[test]
fn redirect_to_http_is_not_followed() {
    discovery_fails_with(
        Arc::new(|_| HttpAnswer::redirect("http://localhost/doc")),
        &["only https:// is followed"],
    );
}

#[test]
fn server_errors_are_retried_then_succeed() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let calls = Arc::new(AtomicUsize::new(0));
    let port = Arc::new(AtomicUsize::new(0));
    let (calls_seen, port_seen) = (Arc::clone(&calls), Arc::clone(&port));
    let server = server_with(
        &pki,
        Arc::new(move |_| match calls_seen.fetch_add(1, Ordering::SeqCst) {
            0 => HttpAnswer::status(503),
            1 => HttpAnswer::status(429),
            _ => document(&format!(
                "https://localhost:{}/keys",
                port_seen.load(Ordering::SeqCst)
            )),
        }),
    );
    port.store(server.port() as usize, Ordering::SeqCst);
    let (_dir, ca) = TempDir::with_file("disc-retry", "ca.pem", &pki.root.pem());

    let quiet = run_query(query(&server, &ca));
    quiet.assert_ok();
    assert_eq!(quiet.field("thumbprint"), pki.intermediate.sha1());
    assert!(
        quiet.stderr.is_empty(),
        "retries are reported only when asked: {}",
        quiet.stderr
    );

    calls.store(0, Ordering::SeqCst);
    let verbose = run_query_env(query(&server, &ca), &[("OIDC_THUMBPRINT_LOG", "1")]);
    verbose.assert_ok();
    assert!(
        verbose.stderr.contains("attempt 1 of 3") && verbose.stderr.contains("503"),
        "{}",
        verbose.stderr
    );
    assert!(
        verbose.stderr.contains("attempt 2 of 3") && verbose.stderr.contains("429"),
        "{}",
        verbose.stderr
    );
}

#[test]
fn persistent_server_errors_give_up_after_three_attempts() {
    let server = discovery_fails_with(Arc::new(|_| HttpAnswer::status(500)), &["500"]);
    assert_eq!(server.connection_count(), 3);
}

/// Issue 8: rustls keys its session cache by name only. Discovery on
/// localhost:P1 got a ticket, the JWKS handshake with localhost:P2 resumed
/// it without a Certificate message, and P1's chain was reported as P2's.
/// Two servers share ticket keys and present different chains.
#[test]
fn a_second_port_of_the_same_name_gets_a_full_handshake() {
    let issuer_pki = pki::simple_pki(KeyKind::Ecdsa);
    let jwks_pki = pki::simple_pki(KeyKind::Ecdsa);
    let dir = TempDir::new("disc-resume");
    let ca = dir.write(
        "ca.pem",
        &format!("{}{}", issuer_pki.root.pem(), jwks_pki.root.pem()),
    );
    let ticketer = rustls::crypto::ring::Ticketer::new().expect("ticketer");
    let mut jwks_config = TlsServerConfig::presenting(&[&jwks_pki.leaf, &jwks_pki.intermediate]);
    jwks_config.http = Some(Arc::new(|_| HttpAnswer::json("{\"keys\":[]}")));
    jwks_config.ticketer = Some(Arc::clone(&ticketer));
    let jwks = tls_server(jwks_config);
    let jwks_uri = format!("https://localhost:{}/keys", jwks.port());
    let mut issuer_config =
        TlsServerConfig::presenting(&[&issuer_pki.leaf, &issuer_pki.intermediate]);
    issuer_config.http = Some(Arc::new(move |_| document(&jwks_uri)));
    issuer_config.ticketer = Some(ticketer);
    let issuer = tls_server(issuer_config);

    let run = run_query(query(&issuer, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), jwks_pki.intermediate.sha1());
    assert_eq!(
        run.field("issuer_thumbprint"),
        issuer_pki.intermediate.sha1()
    );
}

/// Issue 8: `100 Continue` before the answer gave "closed the connection
/// early", and `103 Early Hints` gave "answered 103". RFC 9110 says skip them.
#[test]
fn interim_answers_before_the_document_are_skipped() {
    for interim in [vec![100], vec![103], vec![100, 103, 103]] {
        let pki = pki::simple_pki(KeyKind::Ecdsa);
        let (_dir, ca) = TempDir::with_file("disc-interim", "ca.pem", &pki.root.pem());
        let interim_sent = interim.clone();
        let server = discovery_server_answering(&pki, move |port| {
            let mut answer = document(&format!("https://localhost:{port}/keys"));
            answer.interim = interim_sent.clone();
            answer
        });
        let run = run_query(query(&server, &ca));
        run.assert_ok();
        assert_eq!(
            run.field("thumbprint"),
            pki.intermediate.sha1(),
            "{interim:?}"
        );
    }
}

/// More interim answers than any server needs are refused, not waited on.
#[test]
fn endless_interim_answers_are_refused() {
    discovery_fails_with(
        Arc::new(|_| {
            let mut answer = document("https://localhost/keys");
            answer.interim = vec![103; 50];
            answer
        }),
        &["interim (1xx) answers"],
    );
}

/// Issue 8: `Location: //host:port/path` was requested as the path
/// `//host:port/path` on the same host. It is a URI reference naming
/// another server (RFC 3986, section 4.2).
#[test]
fn a_scheme_relative_redirect_goes_to_the_host_it_names() {
    let issuer_pki = pki::simple_pki(KeyKind::Ecdsa);
    let target_pki = pki::simple_pki(KeyKind::Ecdsa);
    let dir = TempDir::new("disc-scheme-relative");
    let ca = dir.write(
        "ca.pem",
        &format!("{}{}", issuer_pki.root.pem(), target_pki.root.pem()),
    );
    let target = discovery_server(&target_pki, |port| format!("https://localhost:{port}/keys"));
    let location = format!(
        "//localhost:{}{ISSUER_PATH}/.well-known/openid-configuration",
        target.port()
    );
    let issuer = server_with(
        &issuer_pki,
        Arc::new(move |_| HttpAnswer::redirect(&location)),
    );
    let run = run_query(query(&issuer, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), target_pki.intermediate.sha1());
    assert_eq!(
        run.field("jwks_uri"),
        format!("https://localhost:{}/keys", target.port())
    );
}

/// Issue 8: a 1 MB jwks_uri gave a 1 MB stdout that landed in Terraform
/// state. A URL over 2 KiB is refused.
#[test]
fn a_jwks_uri_longer_than_two_kib_is_refused() {
    let long = format!("https://localhost/{}", "k".repeat(512 * 1024));
    let server = discovery_fails_with(
        Arc::new(move |_| document(&long)),
        &["jwks_uri is 524306 bytes long", "2048"],
    );
    assert_eq!(server.connection_count(), 1);
}

/// Issue 8: text the issuer chooses is escaped in messages: no raw ESC,
/// CR or LF reaches the terminal or forges a second line.
#[test]
fn control_characters_from_the_issuer_are_escaped_in_messages() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let server = server_with(
        &pki,
        Arc::new(|_| document("http://evil\u{1b}[2J\r\nerror: forged line")),
    );
    let (_dir, ca) = TempDir::with_file("disc-escape", "ca.pem", &pki.root.pem());
    let run = run_query(query(&server, &ca));
    run.assert_fails(1, &["not an https://", "\\x1b[2J\\r\\nerror: forged line"]);
    assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\r'));
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

/// Issue 8: a chunk extension with no CRLF made the raw buffer grow and be
/// rescanned on every read: 6.9 s of CPU in a 10 s run. Now the run ends
/// as soon as the framing is longer than any real chunk line.
#[cfg(unix)]
#[test]
fn an_endless_chunk_extension_costs_well_under_a_second_of_cpu() {
    use std::io::Read;
    use std::process::Stdio;

    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let server = server_with(
        &pki,
        Arc::new(|_| {
            let mut answer = HttpAnswer::status(200);
            answer.endless_chunk_extension = true;
            answer
        }),
    );
    let (_dir, ca) = TempDir::with_file("disc-chunk", "ca.pem", &pki.root.pem());
    let mut query = query(&server, &ca);
    query["timeout"] = json!("10");
    // Reaped below by wait4, which also reports the CPU time it used.
    #[allow(clippy::zombie_processes)]
    let mut child = crate::common::command(&[], &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let mut stdin = child.stdin.take().expect("stdin");
    std::io::Write::write_all(&mut stdin, query.to_string().as_bytes()).expect("query");
    drop(stdin);
    let started = std::time::Instant::now();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, whose pid we hold; writes only to
    // the two locals.
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(waited, child.id() as libc::pid_t);
    let elapsed = started.elapsed();
    let cpu = std::time::Duration::from_micros(
        (usage.ru_utime.tv_sec * 1_000_000
            + usage.ru_utime.tv_usec
            + usage.ru_stime.tv_sec * 1_000_000
            + usage.ru_stime.tv_usec) as u64,
    );
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut stdout)
        .expect("stdout");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 1,
        "{stderr}"
    );
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("chunk size, extension or trailer line"),
        "{stderr}"
    );
    assert!(cpu < std::time::Duration::from_millis(500), "CPU {cpu:?}");
    assert!(elapsed < std::time::Duration::from_secs(3), "{elapsed:?}");
}

/// Issue 15: more than 128 response headers failed discovery with "too many
/// headers", while the README allows a head of 64 KiB. The bound is bytes:
/// 1,000 headers pass, and so does a 60 KiB head sent one byte per TLS
/// record; 70 KiB of headers is refused by its size.
#[test]
fn the_head_is_bounded_by_its_size_not_its_count_of_headers() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("disc-headers", "ca.pem", &pki.root.pem());
    let with_headers = |count: usize, value_len: usize, byte_by_byte: bool| {
        discovery_server_answering(&pki, move |port| {
            let mut answer = document(&format!("https://localhost:{port}/keys"));
            answer.head_byte_by_byte = byte_by_byte;
            answer
                .headers
                .extend((0..count).map(|i| (format!("x-header-{i}"), "v".repeat(value_len))));
            answer
        })
    };
    let many = with_headers(1_000, 1, false);
    run_query(query(&many, &ca)).assert_ok();
    let trickled = with_headers(2_000, 14, true);
    run_query(query(&trickled, &ca))
        .assert_within(std::time::Duration::from_secs(5))
        .assert_ok();
    let too_big = with_headers(3_500, 14, false);
    run_query(query(&too_big, &ca)).assert_fails(1, &["more than 65536 bytes of headers"]);
}

/// Issue 15: a Location with dot segments was sent raw, and a strict server
/// answers 400 to it; the path is sent normalised, as curl sends it.
#[test]
fn a_redirect_with_dot_segments_is_followed_normalised() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("disc-dots", "ca.pem", &pki.root.pem());
    let server = tls_server_knowing_its_port(
        TlsServerConfig::presenting(&[&pki.leaf, &pki.intermediate]),
        move |port, path| {
            let strict_refusal = path.split(['/', '?']).any(|s| s == "." || s == "..");
            if strict_refusal {
                HttpAnswer::status(400)
            } else if path == format!("{ISSUER_PATH}/.well-known/openid-configuration") {
                HttpAnswer::redirect("../../x/../moved/./doc")
            } else if path == "/id/moved/doc" {
                document(&format!("https://localhost:{port}/keys"))
            } else {
                HttpAnswer::status(404)
            }
        },
    );
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
}

/// Issue 15: `https://host:/path` was refused as `invalid port ""`; RFC
/// 3986 makes an empty port the scheme's default, 443. The server listens
/// on 127.0.0.3:443, which the suite can bind as root (CI runs it so).
#[test]
fn an_issuer_url_with_an_empty_port_uses_443() {
    let root = pki::root("Empty Port Root", KeyKind::Ecdsa);
    let leaf = pki::leaf_for(&["127.0.0.3"], KeyKind::Ecdsa, &root);
    drop(
        std::net::TcpListener::bind("127.0.0.3:443")
            .expect("binding 127.0.0.3:443 needs root (the suite runs as root in CI)"),
    );
    let server = tls_server_on(
        "127.0.0.3:443",
        TlsServerConfig::presenting(&[&leaf, &root]),
    );
    let (_dir, ca) = TempDir::with_file("disc-empty-port", "ca.pem", &root.pem());
    let run =
        run_query(json!({"url": "https://127.0.0.3:/id/X", "discovery": "false", "ca_file": ca}));
    run.assert_ok();
    assert_eq!(run.field("port"), "443");
    assert_eq!(run.field("thumbprint"), root.sha1());
    drop(server);
}
