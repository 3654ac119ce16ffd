//! Every message the program prints, with the input that produces it, pinned
//! in `tests/golden/messages.txt` (as sd snapshots its errors): a change to
//! what users read shows up in review as a change to that file.
//!
//! `UPDATE_GOLDEN=1 cargo test --test it messages` rewrites the file; review
//! the diff before committing it. Ports, temporary paths, elapsed times and
//! today's date are replaced by `PORT`, `TMP`, `T` and `DATE`.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;

use crate::common::pki::{self, KeyKind};
use crate::common::proxy::{connect_proxy, ProxyBehaviour};
use crate::common::server::{
    closed_port, garbage_server, silent_server, tls_server, tls_server_knowing_its_port,
    tls_server_on, HttpAnswer, TestServer, TlsServerConfig,
};
use crate::common::{run_args_env, run_with_stdin, ChainServer, Run, TempDir};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/messages.txt");

/// The transcript being built, and what to scrub from it.
struct Transcript {
    text: String,
    ports: Vec<u16>,
    temp: Vec<String>,
}

impl Transcript {
    fn record(&mut self, label: &str, input: &str, run: &Run) {
        let _ = write!(
            self.text,
            "## {label}\n$ {}\nexit {}\n{}",
            visible(input),
            run.code.map_or("signal".into(), |c| c.to_string()),
            run.stderr
        );
        assert!(
            run.code == Some(0) || run.stdout.is_empty(),
            "{label}: stdout on failure: {}",
            run.stdout
        );
        self.text.push('\n');
    }

    fn query(&mut self, label: &str, query: &str) {
        let run = run_with_stdin(query.as_bytes(), &[]);
        self.record(label, &format!("oidc-thumbprint <<< '{query}'"), &run);
    }

    fn query_env(&mut self, label: &str, query: &str, env: &[(&str, &str)]) {
        let run = run_with_stdin(query.as_bytes(), env);
        let shown: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let input = format!("{} oidc-thumbprint <<< '{query}'", shown.join(" "));
        self.record(label, &input, &run);
    }

    fn args(&mut self, label: &str, args: &[&str]) {
        let run = run_args_env(args, &[("COLUMNS", "100")]);
        self.record(label, &format!("oidc-thumbprint {}", args.join(" ")), &run);
    }

    fn server(&mut self, server: &TestServer) -> u16 {
        self.ports.push(server.port());
        server.port()
    }

    fn scrubbed(&self) -> String {
        let mut text = self.text.clone();
        for temp in &self.temp {
            text = text.replace(temp.as_str(), "TMP");
        }
        for port in &self.ports {
            text = text
                .replace(&format!(":{port}"), ":PORT")
                .replace(&format!("\"{port}\""), "\"PORT\"");
        }
        let text = scrub_thumbprints(&text);
        let text = scrub_after(&text, "gave up after ", ':', "T");
        let text = scrub_after(&text, "retrying in ", '\n', "T");
        scrub_after(&text, "(now ", ')', "DATE")
    }
}

/// `input` with control characters written as escapes, so the transcript
/// shows what was typed without the terminal acting on it.
fn visible(input: &str) -> String {
    input
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Thumbprints of the fixtures, which stay as they are in the transcript.
const FIXTURE_THUMBPRINTS: [&str; 2] = [
    "8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16",
    "06b25927c42a721631c1efd9431e648fa62e1e39",
];

/// Every run makes a fresh PKI, so its thumbprints (40 hex digits) read
/// `SHA1` in the transcript; the fixtures' stay.
fn scrub_thumbprints(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
        let bounded = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let fixture = || {
            let digits: String = chars[i..i + 40].iter().collect();
            FIXTURE_THUMBPRINTS.contains(&digits.as_str())
        };
        if run == 40 && bounded && !fixture() {
            out.push_str("SHA1");
            i += 40;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Replaces what follows each `marker` up to `end` with `with`.
fn scrub_after(text: &str, marker: &str, end: char, with: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let (before, after) = rest.split_at(at + marker.len());
        out.push_str(before);
        match after.find(end) {
            Some(stop) => {
                out.push_str(with);
                rest = &after[stop..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn every_message_matches_the_golden_file() {
    let dir = TempDir::new("golden");
    let mut t = Transcript {
        text: String::new(),
        ports: Vec::new(),
        temp: vec![dir.path().to_string_lossy().into_owned()],
    };

    // ---- bad input: the Terraform query (exit 2) ----
    t.query("empty stdin", "");
    t.query("invalid JSON", r#"{"url": "#);
    t.query("not an object", r#"["https://x"]"#);
    t.query("a value that is not a string", r#"{"host":"a","port":443}"#);
    t.query("a key given twice", r#"{"host":"a","host":"b"}"#);
    t.query("an unknown key", r#"{"hots":"a"}"#);
    t.query("no target", r#"{}"#);
    t.query("two targets", r#"{"url":"https://a","host":"b"}"#);
    t.query(
        "port without host",
        r#"{"region":"us-east-1","port":"443"}"#,
    );
    t.query(
        "discovery without url",
        r#"{"host":"a","discovery":"false"}"#,
    );
    t.query(
        "discovery not a boolean",
        r#"{"url":"https://a","discovery":"yes"}"#,
    );
    t.query("an http issuer", r#"{"url":"http://oidc.example"}"#);
    t.query("an issuer without a scheme", r#"{"url":"oidc.example"}"#);
    t.query("user info in the issuer", r#"{"url":"https://u:p@a/"}"#);
    t.query("a query in the issuer", r#"{"url":"https://a/?q=1"}"#);
    t.query("a fragment in the issuer", r#"{"url":"https://a/#f"}"#);
    t.query(
        "a character URLs do not allow",
        r#"{"url":"https://a/x<y>"}"#,
    );
    t.query(
        "an issuer port out of range",
        r#"{"url":"https://a:65536/"}"#,
    );
    t.query("a port that is not a number", r#"{"host":"a","port":"x"}"#);
    t.query("a host with a space", r#"{"host":"a b"}"#);
    t.query("not a region code", r#"{"region":"moon-1"}"#);
    t.query(
        "a timeout below the minimum",
        r#"{"host":"a","timeout":"1e-10"}"#,
    );
    t.query("an empty ca_file", r#"{"host":"a","ca_file":""}"#);
    let missing = dir.path().join("missing.pem");
    t.query(
        "a ca_file that does not exist",
        &json!({"host": "a", "ca_file": missing}).to_string(),
    );
    t.query(
        "a ca_file that is a directory",
        &json!({"host": "a", "ca_file": dir.path()}).to_string(),
    );
    t.query(
        "a socks proxy (the password is never shown)",
        r#"{"host":"a","proxy":"socks5://alice:hunter2@p:1080"}"#,
    );
    t.query_env(
        "a proxy URL with a bad port, from the environment",
        r#"{"host":"a"}"#,
        &[("HTTPS_PROXY", "http://TOKEN@proxy:99999")],
    );

    // ---- text from outside is quoted, escaped and cut (issue 15) ----
    t.query(
        "an unknown key holding a newline (it cannot forge a second line)",
        r#"{"x\nerror: forged":"1"}"#,
    );
    t.query(
        "a key given twice, holding an escape",
        r#"{"\u001b[2J":"1","\u001b[2J":"2"}"#,
    );
    t.query(
        "an unknown key of 300 characters (cut at 200)",
        &format!(r#"{{"{}":"1"}}"#, "k".repeat(300)),
    );
    t.query(
        "a proxy scheme holding an escape",
        r#"{"host":"a","proxy":"\u001b[2Jsocks://p:1"}"#,
    );

    t.query("an invalid sample value", r#"{"host":"a","sample":"some"}"#);
    t.query(
        "a resolve entry without addresses",
        r#"{"host":"a","resolve":"a:443"}"#,
    );

    // ---- bad input: the command line (exit 2) ----
    t.args(
        "an extra argument holding an escape",
        &["a.example", "\u{1b}[2J"],
    );
    t.args("an unknown flag", &["--frobnicate"]);
    t.args("--json with --chain", &["--json", "--chain", "a.example"]);
    t.args(
        "--pem with a network flag",
        &["--pem", "x.pem", "--region", "us-east-1"],
    );
    t.args("a second target", &["a.example", "b.example"]);
    t.args(
        "--no-discovery without a URL",
        &["--no-discovery", "a.example"],
    );
    t.args("a flag without its value", &["--timeout"]);
    let missing = missing.to_string_lossy().into_owned();
    t.args("--pem of a missing file", &["--pem", &missing]);
    let no_certificates = dir.write("notes.txt", "hello\n");
    t.args(
        "--pem of a file without certificates",
        &["--pem", &no_certificates],
    );
    let two_roots = dir.write(
        "two-roots.pem",
        &format!(
            "{}{}",
            pki::root("Root A", KeyKind::Ecdsa).pem(),
            pki::root("Root B", KeyKind::Ecdsa).pem()
        ),
    );
    t.args(
        "--pem of two unrelated roots (exit 1)",
        &["--pem", &two_roots],
    );

    let amazon = &crate::common::amazon_root_ca_1();
    t.temp.push(env!("CARGO_MANIFEST_DIR").to_string());
    t.args(
        "--expect with a thumbprint that is not a SHA-1",
        &["--pem", amazon, "--expect", "abc"],
    );
    t.args(
        "--expect without the live top (exit 3)",
        &[
            "--pem",
            amazon,
            "--expect",
            "06b25927c42a721631c1efd9431e648fa62e1e39",
        ],
    );

    // ---- fetch and verify failures (exit 1) ----
    let port = closed_port();
    t.ports.push(port);
    t.query(
        "nothing listens",
        &json!({"host": "127.0.0.1", "port": port.to_string(), "timeout": "5"}).to_string(),
    );
    let origin = ChainServer::start("golden-origin");
    let origin_port = t.server(&origin.server).to_string();
    t.temp.push(origin.ca_file.clone());
    t.query(
        "a private chain against the built-in roots",
        &json!({"host": "localhost", "port": origin_port, "timeout": "5"}).to_string(),
    );
    let root = pki::root("Golden Root", KeyKind::Ecdsa);
    let (_ca_dir, ca) = TempDir::with_file("golden-ca", "ca.pem", &root.pem());
    t.temp.push(ca.clone());
    let elsewhere = pki::leaf_for(&["a.example", "b.example"], KeyKind::Ecdsa, &root);
    let wrong_name = tls_server(TlsServerConfig::presenting(&[&elsewhere]));
    let wrong_name_port = t.server(&wrong_name).to_string();
    t.query(
        "a certificate for other names",
        &json!({"host": "localhost", "port": wrong_name_port, "ca_file": ca}).to_string(),
    );
    let expired = pki::expired_leaf(&root);
    let expired_server = tls_server(TlsServerConfig::presenting(&[&expired]));
    let expired_port = t.server(&expired_server).to_string();
    t.query(
        "an expired certificate",
        &json!({"host": "localhost", "port": expired_port, "ca_file": ca}).to_string(),
    );
    let garbage = garbage_server();
    let garbage_port = t.server(&garbage).to_string();
    t.query(
        "a server that does not speak TLS",
        &json!({"host": "localhost", "port": garbage_port, "ca_file": ca, "timeout": "5"})
            .to_string(),
    );
    let silent = silent_server();
    let silent_port = t.server(&silent).to_string();
    t.query(
        "a server that never answers",
        &json!({"host": "127.0.0.1", "port": silent_port, "ca_file": ca, "timeout": "0.5"})
            .to_string(),
    );
    let a = pki::root("Loop A", KeyKind::Ecdsa);
    let b = pki::root("Loop B", KeyKind::Ecdsa);
    let looping = tls_server(TlsServerConfig::presenting(&[
        &pki::leaf(KeyKind::Ecdsa, &a),
        &pki::cross_signed(&a, &b),
        &pki::cross_signed(&b, &a),
    ]));
    let (_loop_dir, loop_ca) = TempDir::with_file("golden-loop", "ca.pem", &a.pem());
    t.temp.push(loop_ca.clone());
    let looping_port = t.server(&looping).to_string();
    t.query(
        "a chain that loops above its anchor",
        &json!({"host": "localhost", "port": looping_port, "ca_file": loop_ca}).to_string(),
    );

    // ---- sampling every edge ----
    let edges_root = pki::root("Golden Edges Root", KeyKind::Ecdsa);
    let (_edges_dir, edges_ca) = TempDir::with_file("golden-edges", "ca.pem", &edges_root.pem());
    t.temp.push(edges_ca.clone());
    let edge_port = closed_port();
    t.ports.push(edge_port);
    let edges: Vec<TestServer> = (1..=6)
        .map(|n| {
            let intermediate = pki::intermediate("Edge", KeyKind::Ecdsa, &edges_root);
            let leaf = pki::leaf_for(&["edges.test"], KeyKind::Ecdsa, &intermediate);
            tls_server_on(
                &format!("127.0.0.{n}:{edge_port}"),
                TlsServerConfig::presenting(&[&leaf, &intermediate]),
            )
        })
        .collect();
    let addresses: Vec<String> = (1..=6).map(|n| format!("127.0.0.{n}")).collect();
    t.query(
        "six edges with six tops (more than IAM lists)",
        &json!({"host": "edges.test", "port": edge_port.to_string(), "ca_file": edges_ca,
                "resolve": format!("edges.test:{edge_port}:{}", addresses.join(","))})
        .to_string(),
    );
    let stranger = pki::root("Golden Stranger", KeyKind::Ecdsa);
    let stranger_leaf = pki::leaf_for(&["edges.test"], KeyKind::Ecdsa, &stranger);
    let bad_edge = tls_server_on(
        &format!("127.0.0.7:{edge_port}"),
        TlsServerConfig::presenting(&[&stranger_leaf]),
    );
    t.query(
        "an edge whose chain does not verify",
        &json!({"host": "edges.test", "port": edge_port.to_string(), "ca_file": edges_ca,
                "resolve": format!("edges.test:{edge_port}:127.0.0.1,127.0.0.7")})
        .to_string(),
    );
    drop((edges, bad_edge));

    // ---- discovery ----
    for (label, answer) in [
        ("no discovery document", HttpAnswer::status(404)),
        ("a document that is not JSON", HttpAnswer::json("<html>")),
        ("a document without jwks_uri", HttpAnswer::json("{}")),
        (
            "a jwks_uri that is not https",
            HttpAnswer::json(r#"{"jwks_uri":"http://keys.example/\u001b[2J"}"#),
        ),
        (
            "a redirect to http",
            HttpAnswer::redirect("http://a.example/doc"),
        ),
    ] {
        let answer = std::sync::Mutex::new(Some(answer));
        let mut config = TlsServerConfig::presenting(&[&origin.pki.leaf, &origin.pki.intermediate]);
        config.http = Some(std::sync::Arc::new(move |_| {
            answer
                .lock()
                .ok()
                .and_then(|mut a| a.take())
                .unwrap_or_else(|| HttpAnswer::status(500))
        }));
        let server = tls_server(config);
        let port = t.server(&server);
        t.query(
            label,
            &json!({"url": format!("https://localhost:{port}/id/X"), "ca_file": origin.ca_file})
                .to_string(),
        );
    }

    let missing_document = tls_server(TlsServerConfig {
        http: Some(std::sync::Arc::new(|_| HttpAnswer::status(404))),
        ..TlsServerConfig::presenting(&[&origin.pki.leaf, &origin.pki.intermediate])
    });
    let missing_port = t.server(&missing_document);
    t.args(
        "discovery fails, from the command line (the hint names the flag)",
        &[
            "--ca-file",
            &origin.ca_file,
            &format!("https://localhost:{missing_port}/id/X"),
        ],
    );

    // ---- proxies ----
    let refusing = connect_proxy(ProxyBehaviour::RequireCredentials {
        user: "alice".into(),
        password: "right".into(),
    });
    let refusing_port = t.server(&refusing);
    let query = json!({"host": "localhost", "port": origin_port, "ca_file": origin.ca_file});
    t.query_env(
        "a proxy that wants credentials",
        &query.to_string(),
        &[("HTTPS_PROXY", &format!("http://127.0.0.1:{refusing_port}"))],
    );
    t.query_env(
        "a proxy that refuses the credentials given (user info hidden)",
        &query.to_string(),
        &[(
            "HTTPS_PROXY",
            &format!("http://TOKEN@127.0.0.1:{refusing_port}"),
        )],
    );
    let reason: &'static str =
        Box::leak(format!("403 {}", "Forbidden ".repeat(1_500)).into_boxed_str());
    let long_reason = connect_proxy(ProxyBehaviour::Refuse(reason));
    let long_reason_port = t.server(&long_reason);
    t.query_env(
        "a proxy whose reason phrase is 15 KB, cut",
        &query.to_string(),
        &[(
            "HTTPS_PROXY",
            &format!("http://127.0.0.1:{long_reason_port}"),
        )],
    );
    let nobody = closed_port();
    t.ports.push(nobody);
    t.query_env(
        "a proxy nobody listens on",
        &query.to_string(),
        &[("HTTPS_PROXY", &format!("http://127.0.0.1:{nobody}"))],
    );

    // ---- progress notes (-v, OIDC_THUMBPRINT_LOG) ----
    let open = connect_proxy(ProxyBehaviour::Open);
    let open_port = t.server(&open);
    t.query_env(
        "notes: through a proxy",
        &query.to_string(),
        &[
            ("HTTPS_PROXY", &format!("http://u:p@127.0.0.1:{open_port}")),
            ("OIDC_THUMBPRINT_LOG", "1"),
        ],
    );
    let attempts = std::sync::atomic::AtomicUsize::new(0);
    let flaky = tls_server_knowing_its_port(
        TlsServerConfig::presenting(&[&origin.pki.leaf, &origin.pki.intermediate]),
        move |port, path| {
            if attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                HttpAnswer::status(503)
            } else if path.ends_with("openid-configuration") {
                HttpAnswer::redirect("/keys-doc")
            } else {
                HttpAnswer::json(format!(r#"{{"jwks_uri":"https://localhost:{port}/keys"}}"#))
            }
        },
    );
    let flaky_port = t.server(&flaky);
    t.query_env(
        "notes: a retry, a redirect, a reused handshake",
        &json!({"url": format!("https://localhost:{flaky_port}/id/X"), "ca_file": origin.ca_file})
            .to_string(),
        &[("OIDC_THUMBPRINT_LOG", "1")],
    );

    let transcript = t.scrubbed();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(Path::new(GOLDEN).parent().expect("dir")).expect("mkdir");
        std::fs::write(GOLDEN, &transcript).expect("write golden file");
        return;
    }
    let golden = std::fs::read_to_string(GOLDEN)
        .expect("tests/golden/messages.txt (UPDATE_GOLDEN=1 makes it)");
    if golden != transcript {
        let (line, (want, got)) = golden
            .lines()
            .zip(transcript.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((0, ("(lengths differ)", "")));
        panic!(
            "messages changed at line {}:\n  golden: {want}\n  now:    {got}\n\
             If the change is meant, run UPDATE_GOLDEN=1 cargo test --test it messages \
             and review the diff of tests/golden/messages.txt.",
            line + 1
        );
    }
}
