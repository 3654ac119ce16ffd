//! HTTPS proxies: a CONNECT tunnel with TLS end to end, credentials from the
//! proxy URL, NO_PROXY, and every way a proxy can fail, named but never with
//! its password.

use std::time::Duration;

use crate::common::proxy::{connect_proxy, ProxyBehaviour};
use crate::common::server::closed_port;
use crate::common::{run_query_env, ChainServer};
use serde_json::json;

fn origin() -> ChainServer {
    ChainServer::start("proxy-origin")
}

fn query(origin: &ChainServer, timeout: &str) -> serde_json::Value {
    origin.host_query(timeout)
}

#[test]
fn tunnel_through_https_proxy() {
    let origin = origin();
    let proxy = connect_proxy(ProxyBehaviour::Open);
    let url = format!("http://127.0.0.1:{}", proxy.port());
    let run = run_query_env(query(&origin, "5"), &[("HTTPS_PROXY", &url)]);
    run.assert_ok();
    // Verified end to end: the origin's chain, not anything of the proxy's.
    assert_eq!(run.field("thumbprint"), origin.expected());
    // One tunnel for each ClientHello profile (the proxy picks the address).
    assert_eq!(proxy.connection_count(), 2);
    assert_eq!(origin.server.connection_count(), 2);
}

#[test]
fn all_proxy_is_used_when_https_proxy_is_unset() {
    let origin = origin();
    let proxy = connect_proxy(ProxyBehaviour::Open);
    let url = format!("http://127.0.0.1:{}", proxy.port());
    run_query_env(query(&origin, "5"), &[("ALL_PROXY", &url)]).assert_ok();
    assert_eq!(
        proxy.connection_count(),
        2,
        "one tunnel per ClientHello profile"
    );
}

#[test]
fn credentials_from_the_proxy_url() {
    let origin = origin();
    let proxy = connect_proxy(ProxyBehaviour::RequireCredentials {
        user: "alice".into(),
        password: "s3cr:t".into(),
    });
    let good = format!("http://alice:s3cr%3At@127.0.0.1:{}", proxy.port());
    let run = run_query_env(query(&origin, "5"), &[("https_proxy", &good)]);
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), origin.expected());

    // Progress notes name the proxy too, and never its password.
    let verbose = run_query_env(
        query(&origin, "5"),
        &[("https_proxy", &good), ("OIDC_THUMBPRINT_LOG", "1")],
    );
    verbose.assert_ok();
    assert!(
        verbose.stderr.contains(&format!(
            "through proxy http://***@127.0.0.1:{}",
            proxy.port()
        )),
        "{}",
        verbose.stderr
    );
    assert!(
        !verbose.stderr.contains("s3cr") && !verbose.stderr.contains("alice"),
        "the user info leaked: {}",
        verbose.stderr
    );

    let anonymous = format!("http://127.0.0.1:{}", proxy.port());
    run_query_env(query(&origin, "5"), &[("https_proxy", &anonymous)])
        .assert_fails(1, &[&anonymous, "requires credentials", "407"]);

    let wrong = format!("http://alice:hunter2@127.0.0.1:{}", proxy.port());
    let run = run_query_env(query(&origin, "5"), &[("https_proxy", &wrong)]);
    run.assert_fails(
        1,
        &[
            &format!("http://***@127.0.0.1:{}", proxy.port()),
            "rejected the credentials",
        ],
    );
    assert!(
        !run.stderr.contains("hunter2") && !run.stderr.contains("alice"),
        "the user info leaked: {}",
        run.stderr
    );
}

#[test]
fn no_proxy_bypasses_the_proxy() {
    let origin = origin();
    let proxy = connect_proxy(ProxyBehaviour::Open);
    let url = format!("http://127.0.0.1:{}", proxy.port());
    for no_proxy in ["localhost", ".localhost", "*", "example.com, localhost"] {
        let run = run_query_env(
            query(&origin, "5"),
            &[("HTTPS_PROXY", &url), ("NO_PROXY", no_proxy)],
        );
        run.assert_ok();
    }
    assert_eq!(proxy.connection_count(), 0);
}

#[test]
fn proxy_query_key_overrides_the_environment() {
    let origin = origin();
    let used = connect_proxy(ProxyBehaviour::Open);
    let ignored = connect_proxy(ProxyBehaviour::Refuse("403 Forbidden"));
    let mut q = query(&origin, "5");
    q["proxy"] = json!(format!("http://127.0.0.1:{}", used.port()));
    let env_url = format!("http://127.0.0.1:{}", ignored.port());
    run_query_env(q.clone(), &[("HTTPS_PROXY", &env_url)]).assert_ok();
    q["proxy"] = json!("none");
    run_query_env(q, &[("HTTPS_PROXY", &env_url)]).assert_ok();
    assert_eq!(
        used.connection_count(),
        2,
        "one tunnel per ClientHello profile"
    );
    assert_eq!(ignored.connection_count(), 0);
}

#[test]
fn proxy_refusals() {
    let origin = origin();
    for (status, words) in [
        ("403 Forbidden", &["403 Forbidden"][..]),
        ("502 Bad Gateway", &["502"]),
    ] {
        let proxy = connect_proxy(ProxyBehaviour::Refuse(status));
        let url = format!("http://127.0.0.1:{}", proxy.port());
        let mut expected = vec![url.as_str(), "refused the tunnel"];
        expected.extend_from_slice(words);
        run_query_env(query(&origin, "5"), &[("HTTPS_PROXY", &url)]).assert_fails(1, &expected);
        assert_eq!(
            proxy.connection_count(),
            2,
            "a refusal is an answer: not retried (one tunnel per ClientHello profile)"
        );
    }
}

#[test]
fn black_hole_proxy_hits_the_deadline() {
    let origin = origin();
    let proxy = connect_proxy(ProxyBehaviour::BlackHole);
    let url = format!("http://127.0.0.1:{}", proxy.port());
    let run = run_query_env(query(&origin, "2"), &[("HTTPS_PROXY", &url)]);
    run.assert_fails(1, &[&url, "timeout"])
        .assert_within(Duration::from_secs(4));
}

#[test]
fn unreachable_proxy() {
    let origin = origin();
    let url = format!("http://127.0.0.1:{}", closed_port());
    run_query_env(query(&origin, "5"), &[("HTTPS_PROXY", &url)])
        .assert_fails(1, &[&url, "is unreachable", "connection refused"]);
}

#[test]
fn bad_proxy_url_is_bad_input_without_the_password() {
    let origin = origin();
    let run = run_query_env(
        query(&origin, "5"),
        &[("HTTPS_PROXY", "socks5://bob:topsecret@127.0.0.1:1080")],
    );
    run.assert_fails(2, &["HTTPS_PROXY", "socks5"]);
    assert!(!run.stderr.contains("topsecret"), "{}", run.stderr);
}

#[test]
fn discovery_get_goes_through_the_proxy_too() {
    use crate::common::pki::{self, KeyKind};
    use crate::common::server::{tls_server, HttpAnswer, TlsServerConfig};
    use std::sync::{Arc, OnceLock};

    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let dir = crate::common::TempDir::new("proxy-discovery");
    let ca = dir.write("ca.pem", &pki.root.pem());
    let port: Arc<OnceLock<u16>> = Arc::new(OnceLock::new());
    let port_seen = Arc::clone(&port);
    let mut config = TlsServerConfig::presenting(&[&pki.leaf, &pki.intermediate]);
    config.http = Some(Arc::new(move |_| {
        let port = port_seen.get().copied().unwrap_or_default();
        HttpAnswer::json(format!(
            "{{\"jwks_uri\":\"https://localhost:{port}/keys\"}}"
        ))
    }));
    let issuer = tls_server(config);
    let _ = port.set(issuer.port());
    let proxy = connect_proxy(ProxyBehaviour::Open);

    let url = format!("http://127.0.0.1:{}", proxy.port());
    let query = json!({"url": format!("https://localhost:{}/id/X", issuer.port()), "ca_file": ca, "timeout": "5"});
    let run = run_query_env(query, &[("HTTPS_PROXY", &url)]);
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), pki.intermediate.sha1());
    assert_eq!(
        run.field("jwks_uri"),
        format!("https://localhost:{}/keys", issuer.port())
    );
    assert_eq!(
        proxy.connection_count(),
        2,
        "the discovery GET's tunnel is the default profile's sample; the rsa profile's is the other"
    );
    assert_eq!(issuer.connection_count(), 2);
}

/// Issue 8: `HTTP/1.1 200 OK\n\n` waited out the whole deadline, then
/// said "raise timeout".
#[test]
fn a_proxy_answering_with_bare_line_feeds_is_understood() {
    let origin = origin();
    let proxy = connect_proxy(ProxyBehaviour::OpenWithBareLineFeeds);
    let url = format!("http://127.0.0.1:{}", proxy.port());
    let run = run_query_env(query(&origin, "5"), &[("HTTPS_PROXY", &url)]);
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), origin.expected());
    run.assert_within(std::time::Duration::from_secs(2));
}

/// Issue 8: a token in the user part (`http://TOKEN@proxy`) was printed in
/// errors and `-v` notes, and a percent-encoded password printed decoded.
#[test]
fn the_whole_user_info_of_a_proxy_url_stays_secret() {
    let origin = origin();
    let proxy = connect_proxy(ProxyBehaviour::RequireCredentials {
        user: "alice".into(),
        password: "right".into(),
    });
    for user_info in ["SECRETTOKEN", "alice%3Ahunter2", "alice:hunter2"] {
        let url = format!("http://{user_info}@127.0.0.1:{}", proxy.port());
        let run = run_query_env(
            query(&origin, "5"),
            &[("https_proxy", &url), ("OIDC_THUMBPRINT_LOG", "1")],
        );
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(run.stdout.is_empty());
        let shown = format!("proxy http://***@127.0.0.1:{}", proxy.port());
        assert!(
            run.stderr.contains(&format!("through {shown}")),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("error: {shown} rejected")),
            "{}",
            run.stderr
        );
        for secret in ["SECRETTOKEN", "alice", "hunter2"] {
            assert!(
                !run.stderr.contains(secret),
                "{secret} leaked: {}",
                run.stderr
            );
        }
    }
}

/// Issue 15: `ALL_PROXY=socks5://...` with `NO_PROXY` naming the host
/// exited 2; the exempt host is reached directly, as curl does.
#[test]
fn a_bad_proxy_variable_for_an_exempt_host_does_not_fail_the_run() {
    let origin = ChainServer::start("proxy-exempt");
    for env in [
        &[
            ("ALL_PROXY", "socks5://127.0.0.1:9"),
            ("NO_PROXY", "localhost"),
        ][..],
        &[("https_proxy", "https://127.0.0.1:9"), ("no_proxy", "*")],
    ] {
        let run = run_query_env(origin.host_query("5"), env);
        run.assert_ok();
        assert_eq!(run.field("thumbprint"), origin.expected());
    }
    run_query_env(
        origin.host_query("5"),
        &[("ALL_PROXY", "socks5://127.0.0.1:9")],
    )
    .assert_fails(2, &["ALL_PROXY", "socks5"]);
}
