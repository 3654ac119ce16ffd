//! Every edge and every ClientHello profile (issue 17): a handshake with
//! each address a name resolves to and each profile, the union of their
//! tops as `thumbprints`, and every handshake in `samples`. Each test uses
//! only loopback addresses (127.0.0.1 to 127.0.0.6, ::1) and servers it
//! starts.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};

use serde_json::json;

use crate::common::pki::{self, Issued, KeyKind};
use crate::common::proxy::{connect_proxy, ProxyBehaviour};
use crate::common::server::{
    tls_server_knowing_its_port, tls_server_on, HttpAnswer, TestServer, TlsServerConfig,
};
use crate::common::{run_query, run_query_env, TempDir};

/// A port free on 127.0.0.1 now, for servers that must share it across
/// addresses.
fn shared_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// An edge: a leaf for `names` under a fresh intermediate of `root`, on
/// `bind`. Its top (the intermediate) differs from every other edge's.
fn edge(bind: &str, names: &[&str], kind: KeyKind, root: &Issued) -> (TestServer, Issued) {
    let intermediate = pki::intermediate("Edge Intermediate", kind, root);
    let leaf = pki::leaf_for(names, kind, &intermediate);
    let server = tls_server_on(bind, TlsServerConfig::presenting(&[&leaf, &intermediate]));
    (server, intermediate)
}

fn sorted(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items
}

/// Two edges of `localhost`, 127.0.0.1:P and [::1]:P, present different
/// chains under one root: both tops are listed, ascending, and each
/// handshake is a sample. ECDSA servers refuse the `rsa` profile, which is
/// noted, not a failure.
#[test]
fn two_edges_of_localhost_give_both_tops() {
    let root = pki::root("Edges Root", KeyKind::Ecdsa);
    let port = shared_port();
    let (_v4, i4) = edge(
        &format!("127.0.0.1:{port}"),
        &["localhost"],
        KeyKind::Ecdsa,
        &root,
    );
    let (_v6, i6) = edge(
        &format!("[::1]:{port}"),
        &["localhost"],
        KeyKind::Ecdsa,
        &root,
    );
    let (_dir, ca) = TempDir::with_file("sample-two", "ca.pem", &root.pem());
    let run = run_query_env(
        json!({"host": "localhost", "port": port.to_string(), "ca_file": ca, "timeout": "5"}),
        &[("OIDC_THUMBPRINT_LOG", "1")],
    );
    run.assert_ok();
    let tops = sorted(vec![i4.sha1(), i6.sha1()]);
    assert_eq!(run.field("thumbprints"), tops.join(","));
    assert_eq!(run.field("thumbprint"), tops[0]);
    assert_eq!(
        run.field("samples"),
        format!(
            "127.0.0.1:{port}/default={},[::1]:{port}/default={}",
            i4.sha1(),
            i6.sha1()
        )
    );
    assert!(run.stderr.contains("has no RSA chain"), "{}", run.stderr);
}

/// `--expect` covers the union: with two edges, pinning one top is not
/// enough (IAM may meet the other edge), and pinning both is.
#[test]
fn expect_needs_every_edges_top() {
    let root = pki::root("Expect Root", KeyKind::Ecdsa);
    let port = shared_port();
    let (_one, i1) = edge(
        &format!("127.0.0.1:{port}"),
        &["edges.test"],
        KeyKind::Ecdsa,
        &root,
    );
    let (_two, i2) = edge(
        &format!("127.0.0.2:{port}"),
        &["edges.test"],
        KeyKind::Ecdsa,
        &root,
    );
    let (_dir, ca) = TempDir::with_file("sample-expect", "ca.pem", &root.pem());
    let resolve = format!("edges.test:{port}:127.0.0.1,127.0.0.2");
    let target = format!("edges.test:{port}");
    let run_expecting = |expected: &str| {
        crate::common::run_args(&[
            "--ca-file",
            &ca,
            "--resolve",
            &resolve,
            "--expect",
            expected,
            &target,
        ])
    };
    run_expecting(&i1.sha1()).assert_fails(3, &[&i2.sha1(), "not among the expected"]);
    run_expecting(&i2.sha1()).assert_fails(3, &[&i1.sha1(), "not among the expected"]);
    run_expecting(&format!("{},{}", i1.sha1(), i2.sha1())).assert_ok();
}

/// Three addresses behind one made-up name, through the resolve override;
/// the third is a closed port, which is tolerated. RSA servers answer both
/// profiles.
#[test]
fn three_edges_by_name_with_one_closed() {
    let root = pki::root("Named Root", KeyKind::Rsa(0));
    let port = shared_port();
    let (_one, i1) = edge(
        &format!("127.0.0.1:{port}"),
        &["edges.test"],
        KeyKind::Rsa(1),
        &root,
    );
    let (_two, i2) = edge(
        &format!("127.0.0.2:{port}"),
        &["edges.test"],
        KeyKind::Rsa(2),
        &root,
    );
    let (_dir, ca) = TempDir::with_file("sample-three", "ca.pem", &root.pem());
    let resolve = format!("edges.test:{port}:127.0.0.1,127.0.0.2,127.0.0.3");
    let run = run_query(json!({
        "host": "edges.test", "port": port.to_string(), "ca_file": ca,
        "resolve": resolve, "timeout": "5"
    }));
    run.assert_ok();
    assert_eq!(
        run.field("thumbprints"),
        sorted(vec![i1.sha1(), i2.sha1()]).join(",")
    );
    let samples = run.field("samples");
    let labels: Vec<&str> = samples.split(',').collect();
    assert_eq!(
        labels,
        vec![
            format!("127.0.0.1:{port}/default={}", i1.sha1()),
            format!("127.0.0.1:{port}/rsa={}", i1.sha1()),
            format!("127.0.0.2:{port}/default={}", i2.sha1()),
            format!("127.0.0.2:{port}/rsa={}", i2.sha1()),
        ]
    );
    assert!(!samples.contains("127.0.0.3"), "{samples}");
}

/// An `openssl s_server` that stops with the test.
struct OpensslServer(Child);

impl Drop for OpensslServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A server holding an RSA and an ECDSA certificate (`-cert` and `-dcert`)
/// picks the chain by the client's signature schemes: the default profile
/// gets the ECDSA chain and the `rsa` profile the RSA one, whose tops
/// differ. The fixture is checked with `openssl s_client -sigalgs` first.
#[test]
fn a_dual_certificate_server_gives_the_tops_of_both_chains() {
    let root = pki::root("Dual Root", KeyKind::Ecdsa);
    let rsa_intermediate = pki::intermediate("Dual RSA Intermediate", KeyKind::Rsa(3), &root);
    let ec_intermediate = pki::intermediate("Dual ECDSA Intermediate", KeyKind::Ecdsa, &root);
    let rsa_leaf = pki::leaf_for(&["127.0.0.1"], KeyKind::Rsa(1), &rsa_intermediate);
    let ec_leaf = pki::leaf_for(&["127.0.0.1"], KeyKind::Ecdsa, &ec_intermediate);
    let dir = TempDir::new("sample-dual");
    let file = |name: &str, text: String| dir.write(name, &text);
    let port = shared_port();
    let child = Command::new("openssl")
        .args([
            "s_server",
            "-quiet",
            "-accept",
            &format!("127.0.0.1:{port}"),
        ])
        .args(["-cert", &file("rsa.pem", rsa_leaf.pem())])
        .args(["-key", &file("rsa.key", rsa_leaf.key_pem())])
        .args([
            "-cert_chain",
            &file("rsa-chain.pem", rsa_intermediate.pem()),
        ])
        .args(["-dcert", &file("ec.pem", ec_leaf.pem())])
        .args(["-dkey", &file("ec.key", ec_leaf.key_pem())])
        .args(["-dcert_chain", &file("ec-chain.pem", ec_intermediate.pem())])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server (Debian package openssl)");
    let _server = OpensslServer(child);
    wait_for_port(port);
    // The fixture: an RSA-only offer gets the RSA chain.
    let shown = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-sigalgs",
        ])
        .args(["RSA-PSS+SHA256:RSA+SHA256", "-showcerts"])
        .stdin(Stdio::null())
        .output()
        .expect("openssl s_client");
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("Dual RSA Intermediate"), "{shown}");
    let ca = file("ca.pem", root.pem());
    let run = run_query(
        json!({"host": "127.0.0.1", "port": port.to_string(), "ca_file": ca, "timeout": "5"}),
    );
    run.assert_ok();
    assert_eq!(
        run.field("samples"),
        format!(
            "127.0.0.1:{port}/default={},127.0.0.1:{port}/rsa={}",
            ec_intermediate.sha1(),
            rsa_intermediate.sha1()
        )
    );
    assert_eq!(
        run.field("thumbprints"),
        sorted(vec![ec_intermediate.sha1(), rsa_intermediate.sha1()]).join(",")
    );
}

fn wait_for_port(port: u16) {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("nothing listens on 127.0.0.1:{port}");
}

/// One edge presents a chain that does not verify: the run fails, naming
/// the address and the profile, rather than list the good edge alone.
#[test]
fn a_bad_edge_fails_the_run() {
    let root = pki::root("Good Root", KeyKind::Ecdsa);
    let stranger = pki::root("Stranger Root", KeyKind::Ecdsa);
    let port = shared_port();
    let (_good, _) = edge(
        &format!("127.0.0.1:{port}"),
        &["edges.test"],
        KeyKind::Ecdsa,
        &root,
    );
    let (_bad, _) = edge(
        &format!("127.0.0.2:{port}"),
        &["edges.test"],
        KeyKind::Ecdsa,
        &stranger,
    );
    let (_dir, ca) = TempDir::with_file("sample-bad", "ca.pem", &root.pem());
    run_query(json!({
        "host": "edges.test", "port": port.to_string(), "ca_file": ca, "timeout": "5",
        "resolve": format!("edges.test:{port}:127.0.0.1,127.0.0.2")
    }))
    .assert_fails(
        1,
        &[
            &format!("at 127.0.0.2:{port}"),
            "default ClientHello profile",
            "trusted root",
        ],
    );
}

/// Six edges with six tops: more than an IAM OIDC provider can list, so
/// exit 1 naming them all, never a silent cut.
#[test]
fn six_distinct_tops_are_refused() {
    let root = pki::root("Six Root", KeyKind::Ecdsa);
    let port = shared_port();
    let edges: Vec<(TestServer, Issued)> = (1..=6)
        .map(|n| {
            edge(
                &format!("127.0.0.{n}:{port}"),
                &["six.test"],
                KeyKind::Ecdsa,
                &root,
            )
        })
        .collect();
    let (_dir, ca) = TempDir::with_file("sample-six", "ca.pem", &root.pem());
    let addresses: Vec<String> = (1..=6).map(|n| format!("127.0.0.{n}")).collect();
    let tops: Vec<String> = edges.iter().map(|(_, i)| i.sha1()).collect();
    let words: Vec<&str> = tops
        .iter()
        .map(String::as_str)
        .chain(["6 different top certificates", "more than the 5"])
        .collect();
    run_query(json!({
        "host": "six.test", "port": port.to_string(), "ca_file": ca, "timeout": "5",
        "resolve": format!("six.test:{port}:{}", addresses.join(","))
    }))
    .assert_fails(1, &words);
}

/// `sample = "first"` is one handshake: the default profile, the first
/// address that answers, one entry in `samples`.
#[test]
fn sample_first_makes_one_handshake() {
    let root = pki::root("First Root", KeyKind::Ecdsa);
    let port = shared_port();
    let (server, intermediate) = edge(
        &format!("127.0.0.1:{port}"),
        &["127.0.0.1"],
        KeyKind::Ecdsa,
        &root,
    );
    let (_dir, ca) = TempDir::with_file("sample-first", "ca.pem", &root.pem());
    let query =
        json!({"host": "127.0.0.1", "port": port.to_string(), "ca_file": ca, "sample": "first"});
    let run = run_query(query);
    run.assert_ok();
    assert_eq!(server.connection_count(), 1);
    assert_eq!(
        run.field("samples"),
        format!("127.0.0.1:{port}/default={}", intermediate.sha1())
    );
    let run = crate::common::run_args(&[
        "--sample",
        "first",
        "--ca-file",
        &ca,
        &format!("127.0.0.1:{port}"),
    ]);
    run.assert_ok();
    assert_eq!(run.stdout.trim(), intermediate.sha1());
    assert_eq!(server.connection_count(), 2);
}

/// A server that sends one chain gives today's answer: every key but the
/// new `samples` is the same byte for byte as with one handshake.
#[test]
fn a_single_chain_server_gives_the_old_answer() {
    let root = pki::root("Single Root", KeyKind::Rsa(0));
    let port = shared_port();
    let (_server, _) = edge(
        &format!("127.0.0.1:{port}"),
        &["127.0.0.1"],
        KeyKind::Rsa(1),
        &root,
    );
    let (_dir, ca) = TempDir::with_file("sample-single", "ca.pem", &root.pem());
    let query = |sample: &str| json!({"host": "127.0.0.1", "port": port.to_string(), "ca_file": ca, "sample": sample});
    let mut all = run_query(query("all")).json();
    let mut first = run_query(query("first")).json();
    assert_eq!(
        all["samples"]
            .as_str()
            .unwrap_or_default()
            .split(',')
            .count(),
        2
    );
    all.remove("samples");
    first.remove("samples");
    assert_eq!(all, first);
}

/// Discovery with two edges on each host: the JWKS host's tops first,
/// ascending, then the issuer host's not already listed, ascending.
#[test]
fn discovery_lists_the_jwks_hosts_tops_first() {
    let root = pki::root("Discovery Edges Root", KeyKind::Ecdsa);
    let (issuer_port, keys_port) = (shared_port(), shared_port());
    let edge_with_document = |bind: String, name: &'static str| {
        let intermediate = pki::intermediate("Edge", KeyKind::Ecdsa, &root);
        let leaf = pki::leaf_for(&[name], KeyKind::Ecdsa, &intermediate);
        let mut config = TlsServerConfig::presenting(&[&leaf, &intermediate]);
        config.http = Some(std::sync::Arc::new(move |_| {
            HttpAnswer::json(format!(
                r#"{{"jwks_uri":"https://keys.test:{keys_port}/keys"}}"#
            ))
        }));
        (tls_server_on(&bind, config), intermediate)
    };
    let issuer_edges: Vec<_> = ["127.0.0.1", "127.0.0.2"]
        .map(|a| edge_with_document(format!("{a}:{issuer_port}"), "issuer.test"))
        .into();
    let key_edges: Vec<_> = ["127.0.0.3", "127.0.0.4"]
        .map(|a| edge_with_document(format!("{a}:{keys_port}"), "keys.test"))
        .into();
    let (_dir, ca) = TempDir::with_file("sample-discovery", "ca.pem", &root.pem());
    let run = run_query(json!({
        "url": format!("https://issuer.test:{issuer_port}/id/X"), "ca_file": ca, "timeout": "5",
        "resolve": format!("issuer.test:{issuer_port}:127.0.0.1,127.0.0.2 keys.test:{keys_port}:127.0.0.3,127.0.0.4")
    }));
    run.assert_ok();
    let tops =
        |edges: &[(TestServer, Issued)]| sorted(edges.iter().map(|(_, i)| i.sha1()).collect());
    let mut expected = tops(&key_edges);
    expected.extend(tops(&issuer_edges));
    assert_eq!(run.field("thumbprints"), expected.join(","));
    assert_eq!(run.field("thumbprint"), expected[0]);
    assert_eq!(run.field("issuer_thumbprint"), tops(&issuer_edges)[0]);
    assert_eq!(
        run.field("samples").split(',').count(),
        4,
        "{}",
        run.field("samples")
    );
}

/// Through a CONNECT proxy the proxy picks the address: only the profiles
/// are sampled, the samples name HOST:PORT, and an address override is
/// ignored with a note, as curl ignores `--resolve` there.
#[test]
fn through_a_proxy_only_the_profiles_are_sampled() {
    let root = pki::root("Proxied Root", KeyKind::Rsa(0));
    let intermediate = pki::intermediate("Proxied Intermediate", KeyKind::Rsa(1), &root);
    let leaf = pki::leaf_for(&["localhost"], KeyKind::Rsa(2), &intermediate);
    let server = tls_server_knowing_its_port(
        TlsServerConfig::presenting(&[&leaf, &intermediate]),
        |_, _| HttpAnswer::status(404),
    );
    let proxy = connect_proxy(ProxyBehaviour::Open);
    let (_dir, ca) = TempDir::with_file("sample-proxy", "ca.pem", &root.pem());
    let port = server.port();
    let run = run_query_env(
        json!({"host": "localhost", "port": port.to_string(), "ca_file": ca, "timeout": "5",
               "resolve": format!("localhost:{port}:127.0.0.9")}),
        &[
            ("HTTPS_PROXY", &format!("http://127.0.0.1:{}", proxy.port())),
            ("OIDC_THUMBPRINT_LOG", "1"),
        ],
    );
    run.assert_ok();
    assert_eq!(
        run.field("samples"),
        format!(
            "localhost:{port}/default={0},localhost:{port}/rsa={0}",
            intermediate.sha1()
        )
    );
    assert!(
        run.stderr.contains("override for localhost"),
        "{}",
        run.stderr
    );
}

/// The query key (or flag) wins over OIDC_THUMBPRINT_RESOLVE, which is
/// used when neither is given; an override wins over the localhost rule.
#[test]
fn resolve_precedence() {
    let root = pki::root("Precedence Root", KeyKind::Ecdsa);
    let port = shared_port();
    let (_server, intermediate) = edge(
        &format!("127.0.0.2:{port}"),
        &["localhost"],
        KeyKind::Ecdsa,
        &root,
    );
    let (_dir, ca) = TempDir::with_file("sample-precedence", "ca.pem", &root.pem());
    let base =
        json!({"host": "localhost", "port": port.to_string(), "ca_file": ca, "timeout": "5"});
    let to_server = format!("localhost:{port}:127.0.0.2");
    let nowhere = format!("localhost:{port}:127.0.0.5");
    // The environment alone: localhost is 127.0.0.2, not the loopback pair.
    let run = run_query_env(base.clone(), &[("OIDC_THUMBPRINT_RESOLVE", &to_server)]);
    run.assert_ok();
    assert_eq!(
        run.field("samples"),
        format!("127.0.0.2:{port}/default={}", intermediate.sha1())
    );
    // The query key wins over the environment.
    let mut query = base.clone();
    query["resolve"] = json!(to_server);
    run_query_env(query, &[("OIDC_THUMBPRINT_RESOLVE", &nowhere)]).assert_ok();
    let mut query = base;
    query["resolve"] = json!(nowhere);
    run_query_env(query, &[("OIDC_THUMBPRINT_RESOLVE", &to_server)])
        .assert_fails(1, &["127.0.0.5", "connection refused"]);
    // So does the flag.
    crate::common::run_args_env(
        &[
            "--resolve",
            &to_server,
            "--ca-file",
            &ca,
            &format!("localhost:{port}"),
        ],
        &[("OIDC_THUMBPRINT_RESOLVE", &nowhere)],
    )
    .assert_ok();
}

#[test]
fn invalid_sample_and_resolve_values_are_bad_input() {
    for (query, words) in [
        (
            json!({"host": "a", "sample": "some"}),
            &["invalid sample", "\"some\""][..],
        ),
        (
            json!({"host": "a", "resolve": "a:443"}),
            &["invalid resolve", "HOST:PORT:ADDRESS"],
        ),
        (
            json!({"host": "a", "resolve": "a:443:nowhere"}),
            &["invalid resolve", "IPv4 or IPv6"],
        ),
    ] {
        run_query(query).assert_fails(2, words);
    }
    crate::common::run_args(&["--sample", "every", "a.example"])
        .assert_fails(2, &["--sample", "every"]);
    run_query_env(json!({"host": "a"}), &[("OIDC_THUMBPRINT_RESOLVE", "junk")])
        .assert_fails(2, &["OIDC_THUMBPRINT_RESOLVE", "junk"]);
}
