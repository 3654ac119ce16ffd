//! Each request's deadline is its own: one that runs out fails alone,
//! while another request on another thread goes on.

use std::time::Duration;

use oidc_thumbprint_core::{thumbprint, Deadline, Log, Request, Target, TrustAnchors};
use oidc_thumbprint_test_support::pki::{self, KeyKind};
use oidc_thumbprint_test_support::server::{tls_server, TlsServerConfig};

#[test]
fn a_request_past_its_own_deadline_fails_alone() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let silent = listener.local_addr().expect("addr").port();
    let p = pki::simple_pki(KeyKind::Ecdsa);
    let answering = tls_server(TlsServerConfig::presenting(&[&p.leaf, &p.intermediate]));
    std::thread::scope(|scope| {
        let request = |port: u16, timeout: Duration| {
            Request::builder(Target::host("127.0.0.1", port).expect("target"))
                .trust(TrustAnchors::Pem(p.root.pem().into_bytes()))
                .timeout(timeout)
                .build()
                .expect("request")
        };
        let slow = request(silent, Duration::from_millis(300));
        let fast = request(answering.port(), Duration::from_secs(5));
        let slow = scope.spawn(move || {
            let started = std::time::Instant::now();
            let result = thumbprint(
                &slow,
                Deadline::starting_now(slow.options().timeout),
                Log::silent(),
                &|_| None,
            );
            (result, started.elapsed())
        });
        let fast = scope.spawn(move || {
            thumbprint(
                &fast,
                Deadline::starting_now(fast.options().timeout),
                Log::silent(),
                &|_| None,
            )
        });
        let (slow, elapsed) = slow.join().expect("slow");
        let e = slow.expect_err("a silent server cannot answer");
        assert!(e.to_string().contains("0.3 s timeout"), "{e}");
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
        let report = fast
            .join()
            .expect("fast")
            .expect("the other request is unaffected");
        assert_eq!(report.thumbprint().to_string(), p.intermediate.sha1());
    });
    drop(listener);
}
