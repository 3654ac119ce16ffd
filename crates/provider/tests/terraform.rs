//! The provider as users get it: packed into a filesystem mirror in the
//! Registry's zip layout, installed by `terraform init`, and run by real
//! Terraform `validate`, `plan` and `apply` against loopback issuers. Every
//! run has `RUST_BACKTRACE=1`, as this machine sets it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use oidc_thumbprint_test_support::pki::{self, KeyKind, SimplePki};
use oidc_thumbprint_test_support::server::{
    closed_port, delaying_relay, silent_server, tls_server, tls_server_knowing_its_port,
    HttpAnswer, TestServer, TlsServerConfig,
};
use oidc_thumbprint_test_support::{ChainServer, TempDir};
use serde_json::Value;

const SOURCE: &str = "registry.terraform.io/oidc-thumbprint/oidcthumbprint";
const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-oidcthumbprint");
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// No Terraform command in these tests may take longer: a hang fails.
const COMMAND_LIMIT: Duration = Duration::from_secs(120);

/// The packed mirror, made once per test run by the same shell helper the
/// terraform suite and the benchmark use (scripts/lib.sh provider_mirror):
/// the Registry's zip, holding `terraform-provider-oidcthumbprint_vVERSION`,
/// under the provider's address.
fn mirror() -> &'static Path {
    static MIRROR: OnceLock<PathBuf> = OnceLock::new();
    MIRROR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("provider-mirror");
        let _ = std::fs::remove_dir_all(&root);
        let status = Command::new("bash")
            .args([
                "-c",
                "source scripts/lib.sh && provider_mirror \"$0\" \"$1\"",
            ])
            .arg(BINARY)
            .arg(&root)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .status()
            .expect("bash is needed to pack the provider zip");
        assert!(status.success(), "packing the mirror at {}", root.display());
        root
    })
}

struct Outcome {
    status: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl Outcome {
    fn both(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// The output with Terraform's line wrapping undone, for matching.
    fn flat(&self) -> String {
        self.both().split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn assert_ok(&self) -> &Self {
        assert_eq!(self.status, Some(0), "terraform failed:\n{}", self.both());
        self.assert_no_backtrace()
    }

    fn assert_fails(&self, words: &[&str]) -> &Self {
        assert_eq!(self.status, Some(1), "want a failure:\n{}", self.both());
        let flat = self.flat();
        for word in words {
            assert!(flat.contains(word), "missing {word:?} in:\n{}", self.both());
        }
        self.assert_no_backtrace()
    }

    fn assert_no_backtrace(&self) -> &Self {
        let both = self.both();
        for sign in [
            "stack backtrace",
            "backtrace::",
            "rust_begin_unwind",
            "panicked at",
            "/rustc/",
        ] {
            assert!(
                !both.contains(sign),
                "a backtrace reached the user:\n{both}"
            );
        }
        self
    }
}

/// A directory with `main.tf`, a CLI config that installs only from the
/// mirror, and `terraform init` done.
struct Workspace {
    dir: TempDir,
    rc: String,
}

impl Workspace {
    fn new(tag: &str, main_tf: &str) -> Self {
        Self::with_installation(tag, main_tf, &mirror_installation())
    }

    fn with_installation(tag: &str, main_tf: &str, installation: &str) -> Self {
        let dir = TempDir::new(tag);
        dir.write("main.tf", main_tf);
        let rc = dir.write("terraformrc", installation);
        let workspace = Workspace { dir, rc };
        workspace
            .terraform(&["init", "-input=false", "-no-color"], &[])
            .assert_ok();
        workspace
    }

    fn terraform(&self, args: &[&str], env: &[(&str, &str)]) -> Outcome {
        let mut command = Command::new("terraform");
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("TF_CLI_CONFIG_FILE", &self.rc)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env("RUST_BACKTRACE", "1")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .envs(env.iter().copied());
        run_limited(command)
    }

    /// `apply`, then the outputs as JSON values.
    fn apply_outputs(&self) -> serde_json::Map<String, Value> {
        self.terraform(
            &["apply", "-auto-approve", "-input=false", "-no-color"],
            &[],
        )
        .assert_ok();
        let outputs = self.terraform(&["output", "-json"], &[]);
        outputs.assert_ok();
        let json: serde_json::Map<String, Value> =
            serde_json::from_str(&outputs.stdout).expect("terraform output -json");
        json.into_iter()
            .map(|(name, output)| (name, output["value"].clone()))
            .collect()
    }
}

fn mirror_installation() -> String {
    format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{SOURCE}\"]\n  }}\n}}\n",
        mirror().display()
    )
}

/// Runs `command`, killing it after [`COMMAND_LIMIT`].
fn run_limited(mut command: Command) -> Outcome {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("terraform must be on PATH: the provider's tests run real Terraform");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > COMMAND_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("terraform ran past {COMMAND_LIMIT:?}: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Outcome {
        status: status.code(),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        took: started.elapsed(),
    }
}

fn required_providers() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    oidcthumbprint = {{\n      source  = \"oidc-thumbprint/oidcthumbprint\"\n      version = \"{VERSION}\"\n    }}\n  }}\n}}\n"
    )
}

/// HCL for a string.
fn hcl(text: &str) -> String {
    serde_json::to_string(text).expect("string")
}

#[test]
fn host_path_plans_and_applies_the_servers_top() {
    let server = ChainServer::start("tf-host");
    let tf = Workspace::new(
        "tf-host",
        &format!(
            "{}data \"oidcthumbprint_issuer\" \"x\" {{\n  host = \"localhost\"\n  port = {}\n  ca_file = {}\n  timeout = 10\n}}\n\
             output \"thumbprint\" {{ value = data.oidcthumbprint_issuer.x.thumbprint }}\n\
             output \"thumbprints\" {{ value = data.oidcthumbprint_issuer.x.thumbprints }}\n\
             output \"host\" {{ value = data.oidcthumbprint_issuer.x.host }}\n\
             output \"port\" {{ value = data.oidcthumbprint_issuer.x.port }}\n\
             output \"subject\" {{ value = data.oidcthumbprint_issuer.x.subject }}\n\
             output \"not_after\" {{ value = data.oidcthumbprint_issuer.x.not_after }}\n\
             output \"jwks_uri\" {{ value = data.oidcthumbprint_issuer.x.jwks_uri }}\n",
            required_providers(),
            server.server.port(),
            hcl(&server.ca_file),
        ),
    );
    let plan = tf.terraform(&["plan", "-input=false", "-no-color"], &[]);
    plan.assert_ok();
    assert!(plan.stdout.contains(&server.expected()), "{}", plan.stdout);
    let outputs = tf.apply_outputs();
    assert_eq!(outputs["thumbprint"], server.expected());
    assert_eq!(
        outputs["thumbprints"],
        serde_json::json!([server.expected()])
    );
    assert_eq!(outputs["host"], "localhost");
    assert_eq!(outputs["port"], server.server.port());
    assert!(outputs["subject"]
        .as_str()
        .is_some_and(|s| s.contains("Test Intermediate")));
    assert!(outputs["not_after"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    // Terraform leaves a null output out.
    assert_eq!(
        outputs.get("jwks_uri").unwrap_or(&Value::Null),
        &Value::Null
    );
}

const ISSUER_PATH: &str = "/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

/// An issuer whose discovery document points at the JWKS on `keys_port`.
fn issuer_pointing_at(pki: &SimplePki, keys_port: u16) -> TestServer {
    tls_server_knowing_its_port(
        TlsServerConfig::presenting(&[&pki.leaf, &pki.intermediate]),
        move |_, path| {
            if path == format!("{ISSUER_PATH}/.well-known/openid-configuration") {
                HttpAnswer::json(
                    serde_json::json!({
                        "issuer": "https://localhost",
                        "jwks_uri": format!("https://localhost:{keys_port}/keys"),
                    })
                    .to_string(),
                )
            } else {
                HttpAnswer::status(404)
            }
        },
    )
}

#[test]
fn url_path_follows_discovery_to_the_jwks_host() {
    let issuer_pki = pki::simple_pki(KeyKind::Ecdsa);
    let keys_root = pki::root("Keys Root", KeyKind::Ecdsa);
    let keys_intermediate = pki::intermediate("Keys Intermediate", KeyKind::Ecdsa, &keys_root);
    let keys_leaf = pki::leaf(KeyKind::Ecdsa, &keys_intermediate);
    let mut config = TlsServerConfig::presenting(&[&keys_leaf, &keys_intermediate]);
    config.http = Some(Arc::new(|_| HttpAnswer::json("{\"keys\":[]}")));
    let keys = tls_server(config);
    let issuer = issuer_pointing_at(&issuer_pki, keys.port());
    let ca_pem = format!("{}{}", issuer_pki.root.pem(), keys_root.pem());
    let tf = Workspace::new(
        "tf-url",
        &format!(
            "{}data \"oidcthumbprint_issuer\" \"x\" {{\n  url = \"https://localhost:{}{ISSUER_PATH}\"\n  ca_pem = {}\n}}\n\
             output \"all\" {{\n  value = {{ for k, v in data.oidcthumbprint_issuer.x : k => v if k != \"proxy\" }}\n}}\n",
            required_providers(),
            issuer.port(),
            hcl(&ca_pem),
        ),
    );
    let all = tf.apply_outputs()["all"].clone();
    assert_eq!(all["thumbprint"], keys_intermediate.sha1());
    assert_eq!(
        all["thumbprints"],
        serde_json::json!([keys_intermediate.sha1(), issuer_pki.intermediate.sha1()])
    );
    assert_eq!(all["issuer_thumbprint"], issuer_pki.intermediate.sha1());
    assert_eq!(
        all["jwks_uri"],
        format!("https://localhost:{}/keys", keys.port())
    );
    assert_eq!(all["port"], keys.port());
    // Two handshakes (one per ClientHello profile) on the JWKS host.
    assert_eq!(keys.connection_count(), 2);
}

#[test]
fn ca_pem_and_ca_file_replace_the_built_in_roots() {
    let server = ChainServer::start("tf-ca");
    let root = server.pki.root.pem();
    let tf = Workspace::new(
        "tf-ca",
        &format!(
            "{}data \"oidcthumbprint_issuer\" \"inline\" {{\n  host = \"localhost\"\n  port = {port}\n  ca_pem = {pem}\n}}\n\
             data \"oidcthumbprint_issuer\" \"file\" {{\n  host = \"localhost\"\n  port = {port}\n  ca_file = {file}\n}}\n\
             output \"inline\" {{ value = data.oidcthumbprint_issuer.inline.thumbprint }}\n\
             output \"file\" {{ value = data.oidcthumbprint_issuer.file.thumbprint }}\n",
            required_providers(),
            port = server.server.port(),
            pem = hcl(&root),
            file = hcl(&server.ca_file),
        ),
    );
    let outputs = tf.apply_outputs();
    assert_eq!(outputs["inline"], server.expected());
    assert_eq!(outputs["file"], server.expected());
}

#[test]
fn an_untrusted_chain_is_an_error_diagnostic_without_a_backtrace() {
    let server = ChainServer::start("tf-untrusted");
    let stranger = pki::root("Some Other Root", KeyKind::Ecdsa);
    let tf = Workspace::new(
        "tf-untrusted",
        &format!(
            "{}data \"oidcthumbprint_issuer\" \"x\" {{\n  host = \"localhost\"\n  port = {}\n  ca_pem = {}\n}}\n",
            required_providers(),
            server.server.port(),
            hcl(&stranger.pem()),
        ),
    );
    let plan = tf.terraform(&["plan", "-input=false", "-no-color"], &[]);
    plan.assert_fails(&[
        "Error: Cannot read the issuer's thumbprints",
        "with data.oidcthumbprint_issuer.x",
        "certificate chain does not lead to a trusted root",
    ]);
}

#[test]
fn a_closed_port_fails_within_its_timeout() {
    let port = closed_port();
    let tf = Workspace::new(
        "tf-closed",
        &format!(
            "{}data \"oidcthumbprint_issuer\" \"x\" {{\n  host = \"localhost\"\n  port = {port}\n  timeout = 2\n}}\n",
            required_providers(),
        ),
    );
    let plan = tf.terraform(&["plan", "-input=false", "-no-color"], &[]);
    plan.assert_fails(&["cannot connect to localhost:"]);
    assert!(plan.took < Duration::from_secs(20), "took {:?}", plan.took);
}

#[test]
fn the_provider_blocks_timeout_is_the_default_and_the_data_sources_wins() {
    // A server that accepts and never answers: only the deadline ends a read.
    let silent = silent_server();
    let port = silent.port();
    let tf = Workspace::new(
        "tf-default",
        &format!(
            "{}provider \"oidcthumbprint\" {{\n  timeout = 1.5\n}}\n\
             data \"oidcthumbprint_issuer\" \"default\" {{\n  host = \"localhost\"\n  port = {port}\n  ca_pem = {pem}\n}}\n",
            required_providers(),
            pem = hcl(&pki::root("Any", KeyKind::Ecdsa).pem()),
        ),
    );
    let plan = tf.terraform(&["plan", "-input=false", "-no-color"], &[]);
    plan.assert_fails(&["the 1.5 s timeout ran out"]);
    assert!(
        plan.took < Duration::from_secs(9),
        "the provider's 1.5 s default was not used: {:?}",
        plan.took
    );

    std::fs::write(
        tf.dir.path().join("main.tf"),
        format!(
            "{}provider \"oidcthumbprint\" {{\n  timeout = 30\n}}\n\
             data \"oidcthumbprint_issuer\" \"own\" {{\n  host = \"localhost\"\n  port = {port}\n  timeout = 1\n}}\n",
            required_providers(),
        ),
    )
    .expect("main.tf");
    let plan = tf.terraform(&["plan", "-input=false", "-no-color"], &[]);
    plan.assert_fails(&["the 1 s timeout ran out"]);
}

/// `terraform validate -json`'s error diagnostics: (summary, detail,
/// the source line the attribute range starts on).
fn validate_errors(tf: &Workspace) -> Vec<(String, String, String)> {
    let validate = tf.terraform(&["validate", "-json", "-no-color"], &[]);
    validate.assert_no_backtrace();
    let json: Value = serde_json::from_str(&validate.stdout).expect("validate -json");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["summary"].as_str().unwrap_or_default().to_string(),
                d["detail"].as_str().unwrap_or_default().to_string(),
                d["snippet"]["code"]
                    .as_str()
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn bad_combinations_fail_at_validate_on_their_attribute_without_network() {
    // A listener that counts: validate must not connect.
    let server = ChainServer::start("tf-validate");
    let port = server.server.port();
    let cases = [
        (
            format!("url  = \"https://localhost:{port}/id/X\"\n  host = \"localhost\""),
            "host = \"localhost\"",
            "got url and host",
        ),
        (
            format!("region = \"us-east-1\"\n  port = {port}"),
            "port = ",
            "port goes with host",
        ),
        (
            "host    = \"localhost\"\n  timeout = 0.01".to_string(),
            "timeout = 0.01",
            "use a number of seconds from 0.1 to 600",
        ),
        (
            "host      = \"localhost\"\n  discovery = false".to_string(),
            "discovery = false",
            "discovery goes with url",
        ),
        (
            "url = \"http://localhost/id/X\"".to_string(),
            "url = \"http://localhost/id/X\"",
            "only https:// issuer URLs",
        ),
        (
            "host    = \"localhost\"\n  ca_pem  = \"no certificate here\"\n  ca_file = \"ca.pem\""
                .to_string(),
            "ca_file = \"ca.pem\"",
            "give ca_pem or ca_file, not both",
        ),
    ];
    for (arguments, line, words) in cases {
        let tf = Workspace::new(
            "tf-validate",
            &format!(
                "{}data \"oidcthumbprint_issuer\" \"x\" {{\n  {arguments}\n}}\n",
                required_providers()
            ),
        );
        let errors = validate_errors(&tf);
        assert!(
            errors
                .iter()
                .any(|(_, detail, code)| detail.contains(words) && code.starts_with(line)),
            "want {words:?} on `{line}`, got {errors:?}"
        );
    }
    assert_eq!(server.server.connection_count(), 0, "validate connected");
}

#[test]
fn twenty_data_sources_read_at_once_and_nothing_on_stdout_but_the_handshake() {
    let server = ChainServer::start("tf-twenty");
    // Each connection waits a second before it is relayed: twenty reads one
    // after another take 20 s or more, at once (Terraform runs 10 at a time)
    // a few seconds.
    let slow = delaying_relay(server.server.addr, Duration::from_secs(1));
    // A wrapper that records what the provider writes on stdout, installed
    // as a dev override so Terraform runs it instead of the binary.
    let wrapper_dir = TempDir::new("tf-wrapper");
    let log = wrapper_dir.path().join("stdout.log");
    let wrapper = wrapper_dir.write(
        "terraform-provider-oidcthumbprint",
        &format!(
            "#!/bin/sh\n{} \"$@\" | tee -a {}\n",
            hcl(BINARY),
            hcl(&log.to_string_lossy())
        ),
    );
    make_executable(&wrapper);
    let installation = format!(
        "provider_installation {{\n  dev_overrides {{\n    \"{SOURCE}\" = \"{}\"\n  }}\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{SOURCE}\"]\n  }}\n}}\n",
        wrapper_dir.path().display(),
        mirror().display()
    );
    let tf = Workspace::with_installation(
        "tf-twenty",
        &format!(
            "{}data \"oidcthumbprint_issuer\" \"x\" {{\n  count = 20\n  host = \"localhost\"\n  port = {}\n  ca_file = {}\n}}\n\
             output \"thumbprints\" {{ value = distinct(data.oidcthumbprint_issuer.x[*].thumbprint) }}\n\
             output \"count\" {{ value = length(data.oidcthumbprint_issuer.x) }}\n",
            required_providers(),
            slow.port(),
            hcl(&server.ca_file),
        ),
        &installation,
    );
    let plan = tf.terraform(&["plan", "-input=false", "-no-color"], &[]);
    plan.assert_ok();
    assert!(
        plan.took < Duration::from_secs(15),
        "20 reads through a 1 s edge took {:?}: they did not run at once",
        plan.took
    );
    let outputs = tf.apply_outputs();
    assert_eq!(outputs["count"], 20);
    assert_eq!(
        outputs["thumbprints"],
        serde_json::json!([server.expected()])
    );
    // Each of the 20 reads made its own handshakes.
    assert!(slow.connection_count() >= 20);
    let written = std::fs::read_to_string(&log).expect("the wrapper ran");
    let lines: Vec<&str> = written.lines().collect();
    assert!(!lines.is_empty());
    for line in lines {
        let fields: Vec<&str> = line.split('|').collect();
        assert!(
            fields.len() == 6
                && fields[0] == "1"
                && fields[1] == "6"
                && fields[2] == "tcp"
                && fields[4] == "grpc",
            "not a go-plugin handshake line on stdout: {line:?}"
        );
    }
}

#[cfg(unix)]
fn make_executable(path: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn a_top_that_expires_within_30_days_is_a_warning_naming_the_date() {
    let root = pki::root("Test Root", KeyKind::Ecdsa);
    let intermediate =
        pki::intermediate_expiring_in("Rolling Intermediate", KeyKind::Ecdsa, &root, 10);
    let leaf = pki::leaf(KeyKind::Ecdsa, &intermediate);
    let server = tls_server(TlsServerConfig::presenting(&[&leaf, &intermediate]));
    let tf = Workspace::new(
        "tf-expiry",
        &format!(
            "{}data \"oidcthumbprint_issuer\" \"x\" {{\n  host = \"localhost\"\n  port = {}\n  ca_pem = {}\n}}\n\
             output \"not_after\" {{ value = data.oidcthumbprint_issuer.x.not_after }}\n",
            required_providers(),
            server.port(),
            hcl(&root.pem()),
        ),
    );
    let plan = tf.terraform(&["plan", "-input=false", "-no-color"], &[]);
    plan.assert_ok();
    let outputs = tf.apply_outputs();
    let date = outputs["not_after"]
        .as_str()
        .expect("not_after")
        .to_string();
    let flat = plan.flat();
    assert!(
        flat.contains(&format!("Warning: The top certificate expires on {date}")),
        "{}",
        plan.both()
    );
    assert!(flat.contains(&intermediate.sha1()), "{}", plan.both());
}

#[test]
fn run_by_hand_it_says_what_it_is_and_exits() {
    let mut command = Command::new(BINARY);
    command.env_remove("TF_PLUGIN_MAGIC_COOKIE");
    let outcome = run_limited(command);
    assert_eq!(outcome.status, Some(1), "{}", outcome.both());
    assert!(outcome.took < Duration::from_secs(5));
    assert_eq!(outcome.stdout, "", "nothing on stdout");
    assert!(outcome.stderr.contains("This is a Terraform provider"));
    assert!(outcome
        .stderr
        .contains(&format!("terraform-provider-oidcthumbprint {VERSION}")));
    assert!(outcome.stderr.contains("oidcthumbprint_issuer"));

    let mut command = Command::new(BINARY);
    command.arg("--version");
    let outcome = run_limited(command);
    assert_eq!(outcome.status, Some(0));
    assert!(outcome
        .stdout
        .starts_with(&format!("terraform-provider-oidcthumbprint {VERSION} (")));
}
