//! Shared test helpers: PKI, servers, a CONNECT proxy, and running the real
//! binary the way Terraform's data "external" does.

pub use oidc_thumbprint_test_support::{
    every_order, fixture, pki, proxy, server, ChainServer, TempDir,
};

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Amazon Root CA 1, self-signed (tests/fixtures/README.md says where the
/// fixtures come from).
pub fn amazon_root_ca_1() -> String {
    fixture("amazon-root-ca-1.pem")
}

pub const BINARY: &str = env!("CARGO_BIN_EXE_oidc-thumbprint");

/// Proxy variables that would leak the developer's network into a test.
const PROXY_VARS: [&str; 8] = [
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "http_proxy",
    "HTTP_PROXY",
];

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
    pub elapsed: Duration,
}

impl Run {
    /// The JSON object on stdout, as Terraform would read it.
    pub fn json(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::from_str(&self.stdout) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => panic!(
                "stdout is not a JSON object: {:?}\nstderr: {}",
                self.stdout, self.stderr
            ),
        }
    }

    pub fn field(&self, key: &str) -> String {
        match self.json().get(key) {
            Some(serde_json::Value::String(s)) => s.clone(),
            other => panic!("key {key} is {other:?} in {}", self.stdout),
        }
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(0),
            "expected success; stderr: {}",
            self.stderr
        );
        self
    }

    /// The run ended within `limit`: the deadline held.
    #[track_caller]
    pub fn assert_within(&self, limit: Duration) -> &Self {
        assert!(
            self.elapsed < limit,
            "took {:?}, more than {limit:?}; stderr: {}",
            self.elapsed,
            self.stderr
        );
        self
    }

    /// Failure as Terraform needs it: the exit code, nothing on stdout, and
    /// a message on stderr containing each of `words`.
    #[track_caller]
    pub fn assert_fails(&self, code: i32, words: &[&str]) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "stdout: {:?} stderr: {}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "stdout must be empty on failure, got {:?}",
            self.stdout
        );
        assert!(
            self.stderr.starts_with("error: "),
            "stderr: {}",
            self.stderr
        );
        for word in words {
            assert!(
                self.stderr.contains(word),
                "stderr lacks {word:?}: {}",
                self.stderr
            );
        }
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        self
    }
}

fn finish(output: Output, started: Instant) -> Run {
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code(),
        elapsed: started.elapsed(),
    }
}

pub fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BINARY);
    command.args(args);
    for var in PROXY_VARS.iter().chain(&["OIDC_THUMBPRINT_LOG", "COLUMNS"]) {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

/// Runs the binary with `stdin` as Terraform does: no arguments, the query
/// on stdin, then stdin closed.
pub fn run_with_stdin(stdin: &[u8], env: &[(&str, &str)]) -> Run {
    run_args_with_stdin(&[], stdin, env)
}

pub fn run_args_with_stdin(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Run {
    let started = Instant::now();
    let mut child = command(args, env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start oidc-thumbprint");
    let mut pipe = child.stdin.take().expect("stdin");
    // A broken pipe is fine: the program may refuse an oversized query early.
    let _ = pipe.write_all(stdin);
    drop(pipe);
    finish(child.wait_with_output().expect("wait"), started)
}

pub fn run_query(query: serde_json::Value) -> Run {
    run_with_stdin(query.to_string().as_bytes(), &[])
}

pub fn run_query_env(query: serde_json::Value, env: &[(&str, &str)]) -> Run {
    run_with_stdin(query.to_string().as_bytes(), env)
}

pub fn run_args(args: &[&str]) -> Run {
    run_args_env(args, &[])
}

pub fn run_args_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let started = Instant::now();
    let output = command(args, env)
        .stdin(Stdio::null())
        .output()
        .expect("run oidc-thumbprint");
    finish(output, started)
}
