//! Fault injection: servers that misbehave on purpose. Every case ends
//! within `timeout` + 1 s, with exit status 1, nothing on stdout and a
//! message naming the cause. None relies on sleeping for luck: the slow
//! cases are cut by the program's own deadline.

use std::time::Duration;

use crate::common::pki::{self, KeyKind};
use crate::common::server::{
    hang_up_server, reset_after_handshake, tls_server, trickling_relay, TlsServerConfig,
};
use crate::common::{run_query, ChainServer, TempDir};
use serde_json::json;

const TIMEOUT_SECS: u64 = 3;

#[track_caller]
fn ends_in_time(run: &crate::common::Run) {
    run.assert_within(Duration::from_secs(TIMEOUT_SECS + 1));
}

fn host_query(port: u16, ca: &str) -> serde_json::Value {
    json!({"host": "localhost", "port": port.to_string(), "ca_file": ca, "timeout": TIMEOUT_SECS.to_string()})
}

#[test]
fn connection_closed_mid_handshake() {
    let server = hang_up_server();
    let run = run_query(
        json!({"host": "localhost", "port": server.port().to_string(), "timeout": TIMEOUT_SECS.to_string()}),
    );
    run.assert_fails(
        1,
        &[
            "TLS handshake with localhost",
            "closed the connection during the handshake",
        ],
    );
    ends_in_time(&run);
    // Three attempts for each of the two ClientHello profiles.
    assert_eq!(
        server.connection_count(),
        6,
        "a dropped handshake is transient: three attempts"
    );
}

#[test]
fn slowloris_server_hello_is_cut_by_the_deadline() {
    let origin = ChainServer::start("slowloris");
    let relay = trickling_relay(origin.server.addr, Duration::from_millis(200));
    let run = run_query(host_query(relay.port(), &origin.ca_file));
    run.assert_fails(1, &["timeout ran out", "TLS handshake with localhost"]);
    ends_in_time(&run);
    assert!(
        run.elapsed >= Duration::from_secs(TIMEOUT_SECS) - Duration::from_millis(200),
        "{:?}",
        run.elapsed
    );
}

#[test]
fn fifty_certificates_are_refused() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("fifty", "ca.pem", &pki.root.pem());
    let mut chain = vec![pki.leaf.cert_der()];
    chain.extend(std::iter::repeat_n(pki.intermediate.cert_der(), 49));
    let server = tls_server(TlsServerConfig::new(chain, pki.leaf.key_der()));
    let run = run_query(host_query(server.port(), &ca));
    run.assert_fails(
        1,
        &[
            "localhost:",
            "presented 50 certificates",
            "more than the 20",
        ],
    );
    ends_in_time(&run);
}

#[test]
fn a_200_kib_certificate_is_refused() {
    let root = pki::root("Big Root", KeyKind::Ecdsa);
    let key = pki::key(KeyKind::Ecdsa);
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    // The extension's value is itself DER: an OCTET STRING of 200 KiB.
    let size = 200 * 1024;
    let mut padding = vec![
        0x04,
        0x83,
        (size >> 16) as u8,
        (size >> 8) as u8,
        size as u8,
    ];
    padding.resize(5 + size, 0x41);
    params.custom_extensions = vec![rcgen::CustomExtension::from_oid_content(
        &[1, 3, 6, 1, 4, 1, 99999, 1],
        padding,
    )];
    let big = params
        .signed_by(&key, &root.cert, &root.key)
        .expect("big leaf");
    let (_dir, ca) = TempDir::with_file("big", "ca.pem", &root.pem());
    let server = tls_server(TlsServerConfig::new(
        vec![big.der().clone()],
        rustls_pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    ));
    let run = run_query(host_query(server.port(), &ca));
    run.assert_fails(1, &["TLS handshake with localhost", "larger than 64 KiB"]);
    ends_in_time(&run);
}

#[test]
fn a_chain_that_loops_is_refused() {
    let a = pki::root("Loop A", KeyKind::Ecdsa);
    let b = pki::root("Loop B", KeyKind::Ecdsa);
    let a_by_b = pki::cross_signed(&a, &b);
    let b_by_a = pki::cross_signed(&b, &a);
    let leaf = pki::leaf(KeyKind::Ecdsa, &a);
    let (_dir, ca) = TempDir::with_file("loop", "ca.pem", &a.pem());
    let server = tls_server(TlsServerConfig::presenting(&[&leaf, &a_by_b, &b_by_a]));
    let run = run_query(host_query(server.port(), &ca));
    run.assert_fails(1, &["localhost:", "the chain loops", "Loop A", "Loop B"]);
    ends_in_time(&run);
}

#[test]
fn reset_during_the_discovery_get() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("reset", "ca.pem", &pki.root.pem());
    let server = reset_after_handshake(
        vec![pki.leaf.cert_der(), pki.intermediate.cert_der()],
        pki.leaf.key_der(),
    );
    let url = format!("https://localhost:{}/id/X", server.port());
    let run = run_query(json!({"url": url, "ca_file": ca, "timeout": TIMEOUT_SECS.to_string()}));
    run.assert_fails(
        1,
        &[
            "OIDC discovery at",
            "/id/X/.well-known/openid-configuration",
            "reset",
        ],
    );
    ends_in_time(&run);
    // Discovery fails before any sampling: its GET's three attempts.
    assert_eq!(
        server.connection_count(),
        3,
        "a reset is transient: three attempts"
    );
}
