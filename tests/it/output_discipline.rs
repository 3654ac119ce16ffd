//! Output discipline under load: 200 mixed good and bad invocations, 8 at a
//! time. Every stdout is either empty with a non-zero exit, or exactly one
//! JSON object of strings with exit 0; never both, never partial.

use std::sync::{Arc, Mutex};
use std::thread;

use crate::common::server::{closed_port, garbage_server, silent_server};
use crate::common::{run_with_stdin, ChainServer, Run};
use serde_json::json;

const INVOCATIONS: usize = 200;
const PARALLEL: usize = 8;

#[test]
fn two_hundred_mixed_invocations() {
    let origin = ChainServer::start("discipline");
    let (good, ca) = (&origin.server, origin.ca_file.as_str());
    let garbage = garbage_server();
    let silent = silent_server();
    let closed = closed_port();

    let queries: Vec<(Vec<u8>, bool)> = vec![
        (json!({"host": "localhost", "port": good.port().to_string(), "ca_file": ca}).to_string().into_bytes(), true),
        (json!({"host": "127.0.0.1", "port": good.port().to_string(), "ca_file": ca, "timeout": "5"}).to_string().into_bytes(), true),
        (json!({"host": "localhost", "port": good.port().to_string()}).to_string().into_bytes(), false),
        (json!({"host": "localhost", "port": garbage.port().to_string(), "ca_file": ca}).to_string().into_bytes(), false),
        (json!({"host": "localhost", "port": silent.port().to_string(), "timeout": "0.5"}).to_string().into_bytes(), false),
        (json!({"host": "127.0.0.1", "port": closed.to_string()}).to_string().into_bytes(), false),
        (b"{\"url\": \"http://insecure.example\"}".to_vec(), false),
        (b"not json".to_vec(), false),
        (b"".to_vec(), false),
        (b"{\"host\": 443}".to_vec(), false),
    ];
    let expected_thumbprint = origin.expected();

    let next = Arc::new(Mutex::new(0usize));
    let results: Arc<Mutex<Vec<(usize, Run)>>> = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..PARALLEL)
        .map(|_| {
            let (next, results, queries) =
                (Arc::clone(&next), Arc::clone(&results), queries.clone());
            thread::spawn(move || loop {
                let index = {
                    let mut next = next.lock().expect("lock");
                    let index = *next;
                    *next += 1;
                    index
                };
                if index >= INVOCATIONS {
                    return;
                }
                let kind = index % queries.len();
                let run = run_with_stdin(&queries[kind].0, &[]);
                results.lock().expect("lock").push((kind, run));
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("worker");
    }

    let results = results.lock().expect("lock");
    assert_eq!(results.len(), INVOCATIONS);
    let mut successes = 0;
    for (kind, run) in results.iter() {
        let should_succeed = queries[*kind].1;
        assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
        if run.code == Some(0) {
            assert!(
                should_succeed,
                "query kind {kind} succeeded: {}",
                run.stdout
            );
            let object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&run.stdout)
                    .unwrap_or_else(|e| panic!("partial or bad JSON ({e}): {:?}", run.stdout));
            assert!(
                object.values().all(|v| v.is_string()),
                "non-string value: {}",
                run.stdout
            );
            assert_eq!(
                run.stdout.trim_end().matches('\n').count(),
                0,
                "more than one line: {:?}",
                run.stdout
            );
            assert_eq!(object["thumbprint"], expected_thumbprint.as_str());
            successes += 1;
        } else {
            assert!(!should_succeed, "query kind {kind} failed: {}", run.stderr);
            assert!(run.stdout.is_empty(), "stdout on failure: {:?}", run.stdout);
            assert!(
                matches!(run.code, Some(1) | Some(2)),
                "undocumented exit {:?}: {}",
                run.code,
                run.stderr
            );
            assert!(
                run.stderr.starts_with("error: "),
                "no message: {:?}",
                run.stderr
            );
        }
    }
    assert_eq!(successes, INVOCATIONS / queries.len() * 2);
}
