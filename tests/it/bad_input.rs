//! Every kind of bad input gets exit status 2, nothing on stdout, and a
//! message naming the input, without ever touching the network.

use crate::common::{run_with_stdin, TempDir};

#[track_caller]
fn refused(stdin: &[u8], words: &[&str]) {
    let run = run_with_stdin(stdin, &[]);
    run.assert_fails(2, words)
        .assert_within(std::time::Duration::from_secs(2));
}

#[test]
fn empty_stdin() {
    refused(b"", &["empty"]);
    refused(b" \n\t", &["empty"]);
}

#[test]
fn invalid_json() {
    refused(b"{\"url\": ", &["not valid JSON"]);
    refused(b"url=https://x", &["not valid JSON"]);
}

#[test]
fn json_that_is_not_an_object() {
    refused(b"[\"https://x\"]", &["JSON object", "an array"]);
    refused(b"\"https://x\"", &["JSON object", "a string"]);
    refused(b"42", &["JSON object", "a number"]);
}

#[test]
fn non_string_values() {
    refused(
        br#"{"host":"localhost","port":443}"#,
        &["\"port\"", "a number"],
    );
    refused(br#"{"url":true}"#, &["\"url\"", "a boolean"]);
    refused(br#"{"url":{"a":"b"}}"#, &["\"url\"", "an object"]);
}

#[test]
fn unknown_key() {
    refused(
        br#"{"url":"https://oidc.example","timeuot":"5"}"#,
        &["\"timeuot\"", "accepted keys"],
    );
}

/// Issue 8: serde_json kept the last of two equal keys, so the query's
/// meaning depended on it, even when the first value was a number.
#[test]
fn a_key_given_twice() {
    refused(
        br#"{"host":"a.example","host":"b.example"}"#,
        &["\"host\"", "more than once"],
    );
    refused(
        br#"{"host":1,"host":"localhost"}"#,
        &["\"host\"", "more than once"],
    );
}

/// Issue 8: these were reported as an OIDC discovery failure (exit 1).
#[test]
fn a_url_with_characters_http_does_not_allow() {
    refused(
        br#"{"url":"https://127.0.0.1:1/a<b>"}"#,
        &["invalid url", "'<' is not allowed"],
    );
    refused(
        br#"{"url":"https://127.0.0.1:1/a^b"}"#,
        &["invalid url", "'^' is not allowed"],
    );
}

/// Issue 8: `1e-10` gave "the 0 s timeout ran out" with exit 1.
#[test]
fn a_timeout_below_the_minimum() {
    refused(
        br#"{"host":"localhost","timeout":"1e-10"}"#,
        &["invalid timeout \"1e-10\"", "from 0.1 to 600"],
    );
    refused(
        br#"{"host":"localhost","timeout":"0.05"}"#,
        &["invalid timeout", "0.1"],
    );
}

#[test]
fn none_or_several_targets() {
    refused(br#"{}"#, &["exactly one of url, region or host", "none"]);
    refused(br#"{"timeout":"5"}"#, &["exactly one", "none"]);
    refused(
        br#"{"url":"https://a.example","region":"us-east-1"}"#,
        &["exactly one", "url and region"],
    );
    refused(
        br#"{"url":"https://a.example","region":"us-east-1","host":"b"}"#,
        &["url and region and host"],
    );
}

#[test]
fn non_https_scheme() {
    refused(
        br#"{"url":"http://oidc.example/id/1"}"#,
        &["http://oidc.example/id/1", "https"],
    );
    refused(
        br#"{"url":"ftp://oidc.example"}"#,
        &["ftp://oidc.example", "https"],
    );
    refused(br#"{"url":"oidc.example/id/1"}"#, &["oidc.example/id/1"]);
}

#[test]
fn url_with_user_info_query_or_fragment() {
    refused(
        br#"{"url":"https://user:pw@oidc.example/id/1"}"#,
        &["user info"],
    );
    refused(br#"{"url":"https://oidc.example/id/1?x=1"}"#, &["query"]);
    refused(
        br#"{"url":"https://oidc.example/id/1#frag"}"#,
        &["fragment"],
    );
}

#[test]
fn invalid_ports() {
    for port in ["0", "65536", "-1", "https", "", "4 43", "1e3"] {
        let query = format!(r#"{{"host":"localhost","port":"{port}"}}"#);
        refused(query.as_bytes(), &["port"]);
    }
    refused(
        br#"{"url":"https://oidc.example:99999/id/1"}"#,
        &["port", "99999"],
    );
    // An empty port in a URL is 443 (RFC 3986, section 3.2.3; issue 15):
    // discovery::an_issuer_url_with_an_empty_port_uses_443. The port key
    // itself must name a port, so "" above is refused.
}

#[test]
fn invalid_region_codes() {
    for region in [
        "us-east",
        "US-EAST-1",
        "moon-base-1",
        "us-east-1.evil.example",
        "",
        "us east 1",
    ] {
        let query = format!(r#"{{"region":"{region}"}}"#);
        refused(query.as_bytes(), &["region"]);
    }
}

#[test]
fn invalid_host_and_options() {
    refused(br#"{"host":"bad host"}"#, &["bad host"]);
    refused(
        br#"{"host":"localhost","timeout":"soon"}"#,
        &["timeout", "soon"],
    );
    refused(br#"{"host":"localhost","timeout":"-3"}"#, &["timeout"]);
    refused(
        br#"{"region":"us-east-1","discovery":"false"}"#,
        &["discovery"],
    );
    refused(
        br#"{"url":"https://a.example","discovery":"maybe"}"#,
        &["discovery", "maybe"],
    );
}

#[test]
fn stdin_over_one_mebibyte() {
    let mut big = br#"{"host":"localhost","pad":""#.to_vec();
    big.extend(std::iter::repeat_n(b'x', 1024 * 1024 + 10));
    big.extend_from_slice(b"\"}");
    refused(&big, &["larger than 1048576 bytes"]);
}

#[test]
fn unreadable_ca_file() {
    let dir = TempDir::new("bad-ca");
    let missing = dir.path().join("missing.pem");
    let query =
        serde_json::json!({"host": "localhost", "ca_file": missing.to_string_lossy()}).to_string();
    refused(query.as_bytes(), &["ca_file", "missing.pem"]);
    let empty = dir.write("empty.pem", "no certificates here\n");
    let query = serde_json::json!({"host": "localhost", "ca_file": empty}).to_string();
    refused(query.as_bytes(), &["ca_file", "no PEM certificates"]);
}

/// A writer that never closes stdin must not hold a plan: the watchdog ends
/// the run shortly after the default 10 s deadline.
#[test]
fn stdin_never_closed_hits_the_default_deadline() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let started = Instant::now();
    let mut child = crate::common::command(&[], &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start oidc-thumbprint");
    // Keep the write end open, with half a query in it, until the child ends.
    let mut stdin = child.stdin.take().expect("stdin");
    std::io::Write::write_all(&mut stdin, b"{\"host\":").expect("write");
    let output = child.wait_with_output().expect("wait");
    drop(stdin);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(stderr.contains("10 s timeout ran out"), "{stderr}");
    assert!(
        elapsed >= Duration::from_secs(10) && elapsed < Duration::from_secs(12),
        "{elapsed:?}"
    );
}

/// Issue 15: a non-UTF-8 target was echoed raw, ESC and all.
#[test]
fn a_target_that_is_not_utf8_is_quoted_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let target = std::ffi::OsStr::from_bytes(b"\xff\x1b[2J.example");
    let output = crate::common::command(&[], &[])
        .arg(target)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(
        stderr.contains("not valid UTF-8") && stderr.contains("\\x1b[2J"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\x1b') && stderr.lines().count() == 1,
        "{stderr}"
    );
}

/// Issue 15: 80,000 distinct keys (under the 1 MiB cap) took over 10 s in
/// the duplicate-key check and ended by the stdin watchdog with exit 1.
/// Any query under the cap is answered at once: exit 2 for the keys.
#[test]
fn a_query_of_80000_keys_is_answered_at_once() {
    let distinct: Vec<String> = (0..80_000).map(|i| format!("\"k{i}\":\"v\"")).collect();
    let repeated = vec!["\"host\":\"v\""; 80_000];
    for (query, words) in [
        (
            format!("{{{}}}", distinct.join(",")),
            "unknown query key \"k0\"",
        ),
        (
            format!("{{{}}}", repeated.join(",")),
            "given more than once",
        ),
    ] {
        assert!(query.len() < oidc_thumbprint::MAX_QUERY_BYTES);
        run_with_stdin(query.as_bytes(), &[])
            .assert_within(std::time::Duration::from_secs(2))
            .assert_fails(2, &[words]);
    }
}
