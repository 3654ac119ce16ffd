//! Chains that must be refused, and servers that fail: exit status 1,
//! nothing on stdout, and a message naming the host and the cause.

use std::time::Duration;

use crate::common::pki::{self, KeyKind};
use crate::common::server::{
    closed_port, garbage_server, silent_server, tls_server, TlsServerConfig,
};
use crate::common::{run_query, TempDir};
use serde_json::json;

#[test]
fn expired_leaf_is_refused() {
    let root = pki::root("Expiry Root", KeyKind::Ecdsa);
    let leaf = pki::expired_leaf(&root);
    let (_dir, ca) = TempDir::with_file("expired", "ca.pem", &root.pem());
    let server = tls_server(TlsServerConfig::presenting(&[&leaf]));
    run_query(json!({"host": "localhost", "port": server.port().to_string(), "ca_file": ca}))
        .assert_fails(1, &["TLS handshake with localhost:", "certificate expired"]);
}

/// Issue 8: rustls' own detail, kept: when it expired, and what it names.
#[test]
fn refusals_keep_the_dates_and_names_rustls_reports() {
    let root = pki::root("Detail Root", KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("detail", "ca.pem", &root.pem());
    let expired = pki::expired_leaf(&root);
    let server = tls_server(TlsServerConfig::presenting(&[&expired]));
    let today =
        run_query(json!({"host": "localhost", "port": server.port().to_string(), "ca_file": ca}));
    today.assert_fails(1, &["certificate expired on 2020-01-01 (now 20"]);

    let elsewhere = pki::leaf_for(&["a.example", "b.example"], KeyKind::Ecdsa, &root);
    let server = tls_server(TlsServerConfig::presenting(&[&elsewhere]));
    run_query(json!({"host": "localhost", "port": server.port().to_string(), "ca_file": ca}))
        .assert_fails(1, &["valid for a.example, b.example, not localhost"]);
}

/// Issue 8: a signature algorithm rustls lacks gave a 1.2 KB debug dump.
/// The leaf here is signed with ecdsa-with-SHA512 (made with openssl; rcgen
/// cannot choose the digest).
#[test]
fn an_unsupported_signature_algorithm_is_named_in_one_line() {
    let dir = TempDir::new("sha512");
    let d = dir.path();
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(d)
            .output()
            .expect("openssl (Debian package openssl) is needed for this test");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-subj",
        "/CN=SHA512 Test CA",
        "-days",
        "30",
    ]);
    openssl(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=localhost",
    ]);
    dir.write("ext.cnf", "subjectAltName=DNS:localhost\n");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-sha512",
        "-days",
        "30",
        "-extfile",
        "ext.cnf",
        "-out",
        "leaf.pem",
    ]);
    use rustls_pki_types::pem::PemObject;
    let leaf = rustls_pki_types::CertificateDer::from_pem_file(d.join("leaf.pem")).expect("leaf");
    let key = rustls_pki_types::PrivateKeyDer::from_pem_file(d.join("leaf.key")).expect("key");
    let server = tls_server(TlsServerConfig::new(vec![leaf], key));
    let ca = d.join("ca.pem").to_string_lossy().into_owned();
    let run =
        run_query(json!({"host": "localhost", "port": server.port().to_string(), "ca_file": ca}));
    run.assert_fails(1, &["ecdsa-with-SHA512", "does not support"]);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.len() < 300, "{}", run.stderr);
}

#[test]
fn wrong_host_name_is_refused() {
    let root = pki::root("Name Root", KeyKind::Ecdsa);
    let leaf = pki::leaf_for(&["not-this-host.example"], KeyKind::Ecdsa, &root);
    let (_dir, ca) = TempDir::with_file("wrong-name", "ca.pem", &root.pem());
    let server = tls_server(TlsServerConfig::presenting(&[&leaf]));
    run_query(json!({"host": "localhost", "port": server.port().to_string(), "ca_file": ca}))
        .assert_fails(1, &["localhost", "not valid for this host name"]);
}

#[test]
fn untrusted_root_is_refused() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let stranger = pki::root("Some Other Root", KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("untrusted", "ca.pem", &stranger.pem());
    let server = tls_server(TlsServerConfig::presenting(&[
        &pki.leaf,
        &pki.intermediate,
        &pki.root,
    ]));
    run_query(json!({"host": "localhost", "port": server.port().to_string(), "ca_file": ca}))
        .assert_fails(1, &["localhost", "trusted root"]);
}

#[test]
fn test_chain_is_refused_by_the_built_in_roots() {
    // Without ca_file the Mozilla roots apply, and a private chain fails.
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let server = tls_server(TlsServerConfig::presenting(&[
        &pki.leaf,
        &pki.intermediate,
        &pki.root,
    ]));
    run_query(json!({"host": "localhost", "port": server.port().to_string()}))
        .assert_fails(1, &["trusted root"]);
}

#[test]
fn a_port_nobody_listens_on_fails_at_once() {
    let port = closed_port();
    let run = run_query(json!({"host": "127.0.0.1", "port": port.to_string(), "timeout": "5"}));
    run.assert_fails(1, &[&format!("127.0.0.1:{port}"), "connection refused"])
        .assert_within(Duration::from_secs(2));
}

#[test]
fn silent_server_hits_the_deadline() {
    let server = silent_server();
    let run =
        run_query(json!({"host": "localhost", "port": server.port().to_string(), "timeout": "2"}));
    run.assert_fails(1, &["timeout", "TLS handshake with localhost"]);
    assert!(
        run.elapsed < Duration::from_secs(4),
        "took {:?}",
        run.elapsed
    );
    assert!(
        run.elapsed >= Duration::from_millis(1900),
        "gave up early: {:?}",
        run.elapsed
    );
}

#[test]
fn garbage_server_is_a_handshake_failure() {
    let server = garbage_server();
    let run =
        run_query(json!({"host": "localhost", "port": server.port().to_string(), "timeout": "5"}));
    run.assert_fails(1, &["TLS handshake with localhost"]);
    assert!(
        run.elapsed < Duration::from_secs(3),
        "took {:?}",
        run.elapsed
    );
}

/// `localhost` is 127.0.0.1 and ::1; with the server on ::1 only, the first
/// address is refused and the second must still be tried.
#[test]
fn every_address_of_a_name_is_tried() {
    use crate::common::server::tls_server_on;
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("dual-stack", "ca.pem", &pki.root.pem());
    let server = tls_server_on(
        "[::1]:0",
        TlsServerConfig::presenting(&[&pki.leaf, &pki.intermediate]),
    );
    // Make sure nothing answers on the IPv4 side of the same port.
    assert!(std::net::TcpStream::connect(("127.0.0.1", server.port())).is_err());
    let run =
        run_query(json!({"host": "localhost", "port": server.port().to_string(), "ca_file": ca}));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
}
