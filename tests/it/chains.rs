//! Which certificate is thumbprinted, for every shape of presented chain,
//! through the real binary fed a Terraform query on stdin.

use crate::common::pki::{self, KeyKind};
use crate::common::server::{tls_server, tls_server_on, TestServer, TlsServerConfig};
use crate::common::{every_order, run_args, run_query, TempDir};
use serde_json::json;

/// Serves `chain` (leaf first) and returns the server and a ca_file that
/// trusts `anchor`.
fn serve(
    chain: &[&pki::Issued],
    leaf_key: &pki::Issued,
    anchor: &pki::Issued,
    dir: &TempDir,
) -> (TestServer, String) {
    let server = tls_server(TlsServerConfig::new(
        chain.iter().map(|c| c.cert_der()).collect(),
        leaf_key.key_der(),
    ));
    (server, dir.write("anchor.pem", &anchor.pem()))
}

fn query(server: &TestServer, ca_file: &str) -> serde_json::Value {
    json!({"host": "localhost", "port": server.port().to_string(), "ca_file": ca_file, "timeout": "5"})
}

#[test]
fn root_presented_gives_the_root() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let dir = TempDir::new("root-presented");
    let (server, ca) = serve(
        &[&pki.leaf, &pki.intermediate, &pki.root],
        &pki.leaf,
        &pki.root,
        &dir,
    );
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.root.sha1());
    assert_eq!(run.field("host"), "localhost");
    assert_eq!(run.field("port"), server.port().to_string());
    assert!(run.field("subject").contains("Test Root"));
}

#[test]
fn root_absent_gives_the_top_intermediate() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let dir = TempDir::new("root-absent");
    let (server, ca) = serve(&[&pki.leaf, &pki.intermediate], &pki.leaf, &pki.root, &dir);
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
    assert!(run.field("subject").contains("Test Intermediate"));
    let not_after = run.field("not_after");
    assert!(
        not_after.len() == 20 && not_after.ends_with('Z') && not_after.as_bytes()[10] == b'T',
        "{not_after}"
    );
}

#[test]
fn order_on_the_wire_does_not_matter() {
    let root = pki::root("Order Root", KeyKind::Ecdsa);
    let upper = pki::intermediate("Order Upper", KeyKind::Ecdsa, &root);
    let lower = pki::intermediate("Order Lower", KeyKind::Ecdsa, &upper);
    let leaf = pki::leaf(KeyKind::Ecdsa, &lower);
    let dir = TempDir::new("order");
    // Top first, then the middle: by position the one-liner would pick `lower`.
    let (server, ca) = serve(&[&leaf, &upper, &lower], &leaf, &root, &dir);
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), upper.sha1());
}

#[test]
fn extra_unrelated_ca_is_ignored() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let unrelated = pki::root("Unrelated CA", KeyKind::Ecdsa);
    let dir = TempDir::new("unrelated");
    let (server, ca) = serve(
        &[&pki.leaf, &pki.intermediate, &unrelated],
        &pki.leaf,
        &pki.root,
        &dir,
    );
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
    assert_ne!(run.field("thumbprint"), unrelated.sha1());
}

#[test]
fn two_intermediates_give_the_upper_one() {
    let root = pki::root("Two Root", KeyKind::Ecdsa);
    let upper = pki::intermediate("Two Upper", KeyKind::Ecdsa, &root);
    let lower = pki::intermediate("Two Lower", KeyKind::Ecdsa, &upper);
    let leaf = pki::leaf(KeyKind::Ecdsa, &lower);
    let dir = TempDir::new("two");
    let (server, ca) = serve(&[&leaf, &lower, &upper], &leaf, &root, &dir);
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), upper.sha1());
}

/// The real EKS endpoints present a Starfield Services root cross-signed by
/// an older root; that cross-signed certificate is the presented top.
#[test]
fn cross_signed_top_counts_as_presented() {
    let old_root = pki::root("Old Root", KeyKind::Ecdsa);
    let new_root = pki::root("New Root", KeyKind::Ecdsa);
    let new_root_cross = pki::cross_signed(&new_root, &old_root);
    let intermediate = pki::intermediate("Cross Intermediate", KeyKind::Ecdsa, &new_root);
    let leaf = pki::leaf(KeyKind::Ecdsa, &intermediate);
    let dir = TempDir::new("cross");
    let (server, ca) = serve(
        &[&leaf, &intermediate, &new_root_cross],
        &leaf,
        &old_root,
        &dir,
    );
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), new_root_cross.sha1());
    assert_ne!(new_root_cross.sha1(), new_root.sha1());
}

#[test]
fn an_rsa_2048_chain_gives_its_intermediate() {
    let root = pki::root("RSA Root", KeyKind::Rsa(0));
    let intermediate = pki::intermediate("RSA Intermediate", KeyKind::Rsa(1), &root);
    let leaf = pki::leaf(KeyKind::Rsa(2), &intermediate);
    let dir = TempDir::new("rsa");
    let (server, ca) = serve(&[&leaf, &intermediate], &leaf, &root, &dir);
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), intermediate.sha1());
}

#[test]
fn mixed_rsa_root_and_ecdsa_leaf() {
    let root = pki::root("Mixed Root", KeyKind::Rsa(3));
    let intermediate = pki::intermediate("Mixed Intermediate", KeyKind::Ecdsa, &root);
    let leaf = pki::leaf(KeyKind::Ecdsa, &intermediate);
    let dir = TempDir::new("mixed");
    let (server, ca) = serve(&[&leaf, &intermediate, &root], &leaf, &root, &dir);
    let run = run_query(query(&server, &ca));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), root.sha1());
}

#[test]
fn tls12_only_and_tls13_only_servers() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("versions", "anchor.pem", &pki.root.pem());
    static TLS12_ONLY: [&rustls::SupportedProtocolVersion; 1] = [&rustls::version::TLS12];
    static TLS13_ONLY: [&rustls::SupportedProtocolVersion; 1] = [&rustls::version::TLS13];
    for versions in [&TLS12_ONLY[..], &TLS13_ONLY[..]] {
        let mut config = TlsServerConfig::presenting(&[&pki.leaf, &pki.intermediate]);
        config.versions = versions;
        let server = tls_server(config);
        let run = run_query(query(&server, &ca));
        run.assert_ok();
        assert_eq!(
            run.field("thumbprint"),
            pki.intermediate.sha1(),
            "{versions:?}"
        );
    }
}

#[test]
fn output_is_deterministic() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let dir = TempDir::new("deterministic");
    let (server, ca) = serve(&[&pki.leaf, &pki.intermediate], &pki.leaf, &pki.root, &dir);
    let first = run_query(query(&server, &ca));
    let second = run_query(query(&server, &ca));
    first.assert_ok();
    assert_eq!(first.stdout, second.stdout);
    assert!(first.stdout.ends_with("}\n") && first.stdout.matches('\n').count() == 1);
    // Every value a string: Terraform's external provider refuses anything else.
    assert!(first.json().values().all(|v| v.is_string()));
}

/// Serves `leaf` followed by each order of `rest`, trusting `anchor`, and
/// returns the distinct thumbprints the binary answered.
fn thumbprints_in_every_order(
    anchor: &pki::Issued,
    leaf: &pki::Issued,
    rest: &[&pki::Issued],
    tag: &str,
) -> Vec<String> {
    let dir = TempDir::new(tag);
    let mut answers: Vec<String> = Vec::new();
    for order in every_order(rest) {
        let chain: Vec<&pki::Issued> = std::iter::once(leaf).chain(order).collect();
        let (server, ca) = serve(&chain, leaf, anchor, &dir);
        let run = run_query(query(&server, &ca));
        run.assert_ok();
        let thumbprint = run.field("thumbprint");
        if !answers.contains(&thumbprint) {
            answers.push(thumbprint);
        }
    }
    answers
}

/// Issue 8: `[L, I, R, Rx]` gave R's thumbprint and `[L, I, Rx, R]` Rx's,
/// so two backends differing only in order made plans flip. The
/// cross-signed Rx continues the walk: it is the top in all six orders.
#[test]
fn a_cross_signed_root_beside_its_self_signed_twin_gives_one_answer_in_every_order() {
    let absent = pki::root("Absent Signer", KeyKind::Ecdsa);
    let root = pki::root("Twin Root", KeyKind::Ecdsa);
    let cross = pki::cross_signed(&root, &absent);
    let intermediate = pki::intermediate("Twin Intermediate", KeyKind::Ecdsa, &root);
    let leaf = pki::leaf(KeyKind::Ecdsa, &intermediate);
    let answers =
        thumbprints_in_every_order(&root, &leaf, &[&intermediate, &root, &cross], "twin-orders");
    assert_eq!(answers, vec![cross.sha1()]);
}

/// Issue 8: with `[L, I_old, I_new]` rustls verified through I_new but the
/// walk took the expired I_old and printed a `not_after` in the past.
#[test]
fn an_expired_copy_of_the_intermediate_is_never_the_answer() {
    let root = pki::root("Renewal Root", KeyKind::Ecdsa);
    let current = pki::intermediate("Renewed Intermediate", KeyKind::Ecdsa, &root);
    let expired = pki::expired_copy(&current, &root);
    let leaf = pki::leaf(KeyKind::Ecdsa, &current);
    let answers = thumbprints_in_every_order(&root, &leaf, &[&expired, &current], "renewal");
    assert_eq!(answers, vec![current.sha1()]);
}

/// Issue 8: `"host": "[::1]"` was refused although the README says any IP
/// address works; brackets are accepted in `host`, in URLs and in
/// `HOST:PORT` arguments.
#[test]
fn a_bracketed_ipv6_address_is_accepted_in_every_form() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let (_dir, ca) = TempDir::with_file("ipv6", "ca.pem", &pki.root.pem());
    let server = tls_server_on(
        "[::1]:0",
        TlsServerConfig::presenting(&[&pki.leaf, &pki.intermediate]),
    );
    let port = server.port().to_string();
    let run = run_query(json!({"host": "[::1]", "port": port, "ca_file": ca, "timeout": "5"}));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
    assert_eq!(run.field("host"), "::1");
    let url = format!("https://[::1]:{port}/id/X");
    let run = run_query(json!({"url": url, "discovery": "false", "ca_file": ca, "timeout": "5"}));
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
    let run = run_args(&["--ca-file", &ca, "--timeout", "5", &format!("[::1]:{port}")]);
    run.assert_ok();
    assert_eq!(run.stdout.trim(), pki.intermediate.sha1());
}
