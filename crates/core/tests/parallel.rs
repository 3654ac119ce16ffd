//! The core as a long-lived caller (the Terraform provider) uses it: many
//! requests at once on threads, each with its own deadline and log sink,
//! through the typed builder, and not one byte on stdout or stderr.
//!
//! A test binary of its own without libtest's harness (Cargo.toml), so
//! that nothing else writes to fd 2 while it watches, and libtest's own
//! capture of `eprint!` cannot hide a write.

use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;

use oidc_thumbprint_core::{thumbprint, Deadline, Log, ProxyChoice, Request, Target, TrustAnchors};
use oidc_thumbprint_test_support::pki::{self, KeyKind};
use oidc_thumbprint_test_support::server::{
    tls_server_knowing_its_port, HttpAnswer, TlsServerConfig,
};

/// Points fd 1 and fd 2 at a pipe for the life of the value, then puts
/// them back and returns what was written.
struct Captured {
    saved: [i32; 2],
    /// Drains the pipe as it fills, so a writer never blocks on it.
    drained: Option<std::thread::JoinHandle<String>>,
}

impl Captured {
    fn start() -> Self {
        use std::os::fd::FromRawFd;
        let mut fds = [0; 2];
        // SAFETY: pipe fills the two fds it is given; dup and dup2 only
        // copy descriptors this test owns.
        unsafe {
            assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
            let saved = [libc::dup(1), libc::dup(2)];
            assert_eq!(libc::dup2(fds[1], 1), 1);
            assert_eq!(libc::dup2(fds[1], 2), 2);
            libc::close(fds[1]);
            let mut reader = std::fs::File::from_raw_fd(fds[0]);
            let drained = std::thread::spawn(move || {
                let mut written = Vec::new();
                let _ = reader.read_to_end(&mut written);
                String::from_utf8_lossy(&written).into_owned()
            });
            Captured {
                saved,
                drained: Some(drained),
            }
        }
    }

    fn restore(&mut self) {
        if self.saved[0] < 0 {
            return;
        }
        // SAFETY: restores the descriptors saved in start, once.
        unsafe {
            libc::dup2(self.saved[0], 1);
            libc::dup2(self.saved[1], 2);
            libc::close(self.saved[0]);
            libc::close(self.saved[1]);
        }
        self.saved = [-1, -1];
    }

    fn finish(mut self) -> String {
        self.restore();
        self.drained
            .take()
            .map(|drained| drained.join().unwrap_or_default())
            .unwrap_or_default()
    }
}

/// A panic while captured must still be seen: what was written is
/// written again to the real stderr.
impl Drop for Captured {
    fn drop(&mut self) {
        self.restore();
        if let Some(drained) = self.drained.take() {
            eprint!("{}", drained.join().unwrap_or_default());
        }
    }
}

fn main() {
    twenty_requests_at_once_each_with_its_own_deadline_and_log();
    println!("parallel: 1 passed, 0 failed");
}

fn twenty_requests_at_once_each_with_its_own_deadline_and_log() {
    // Ten issuers with discovery, ten hosts without: every request gets a
    // different chain, so an answer that crossed threads would show.
    let servers: Vec<_> = (0..20)
        .map(|n| {
            let kind = if n % 2 == 0 {
                KeyKind::Ecdsa
            } else {
                KeyKind::Rsa(n % 4)
            };
            let p = pki::simple_pki(kind);
            let server = tls_server_knowing_its_port(
                TlsServerConfig::presenting(&[&p.leaf, &p.intermediate]),
                |port, _| {
                    HttpAnswer::json(format!(r#"{{"jwks_uri":"https://localhost:{port}/keys"}}"#))
                },
            );
            (p, server)
        })
        .collect();
    let captured = Captured::start();
    let answers: Vec<(String, String, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = servers
            .iter()
            .enumerate()
            .map(|(n, (p, server))| {
                scope.spawn(move || {
                    let target = if n < 10 {
                        Target::host("localhost", server.port())
                    } else {
                        Target::url(&format!("https://localhost:{}/id/{n}", server.port()))
                    }
                    .expect("target");
                    let timeout = Duration::from_secs(5) + Duration::from_millis(n as u64);
                    let request = Request::builder(target)
                        .trust(TrustAnchors::Pem(p.root.pem().into_bytes()))
                        .timeout(timeout)
                        .proxy(ProxyChoice::Direct)
                        .build()
                        .expect("request");
                    let notes = Mutex::new(Vec::new());
                    let sink = |line: &str| notes.lock().expect("notes").push(line.to_string());
                    let report = thumbprint(
                        &request,
                        Deadline::starting_now(request.options().timeout),
                        Log::to(&sink),
                        &|_| None,
                    )
                    .expect("report");
                    let notes = notes.into_inner().expect("notes");
                    (
                        report.thumbprint().to_string(),
                        p.intermediate.sha1(),
                        notes,
                    )
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let written = captured.finish();
    assert_eq!(written, "", "the core wrote to stdout or stderr");
    assert_eq!(answers.len(), 20);
    for (n, (got, want, notes)) in answers.iter().enumerate() {
        assert_eq!(got, want, "request {n}");
        // Each request's notes, in its own sink only: its own samples, and
        // with discovery the handshake it reused.
        let port = servers[n].1.port();
        assert!(
            notes.iter().all(|note| note.contains(&format!(":{port}"))),
            "request {n}: {notes:?}"
        );
        assert!(
            notes.iter().any(|note| note.starts_with("sample ")),
            "request {n}: {notes:?}"
        );
        assert_eq!(
            n >= 10,
            notes
                .iter()
                .any(|note| note.contains("already verified during discovery")),
            "request {n}: {notes:?}"
        );
    }
}
