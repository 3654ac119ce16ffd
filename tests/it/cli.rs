//! The human side: flags, the bare thumbprint, --json, --chain and --pem.

use crate::common::pki::{self, KeyKind};
use crate::common::{
    amazon_root_ca_1, fixture, run_args, run_args_env, run_args_with_stdin, ChainServer, TempDir,
};

/// IAM's published thumbprints for EKS: the top of what is presented. The
/// bundle's order, and the self-signed Starfield root beside its
/// cross-signed twin, must not change the answer.
#[test]
fn eks_public_certificates_keep_their_published_thumbprints() {
    let amazon = std::fs::read_to_string(fixture("amazon-root-ca-1-by-starfield-services-g2.pem"))
        .expect("fixture");
    let starfield_cross =
        std::fs::read_to_string(fixture("starfield-services-g2-by-starfield-class-2.pem"))
            .expect("fixture");
    let starfield_self =
        std::fs::read_to_string(fixture("starfield-services-root-g2.pem")).expect("fixture");
    let (dir, alone) = TempDir::with_file("eks", "alone.pem", &amazon);
    let run = run_args(&["--pem", &alone]);
    run.assert_ok();
    assert_eq!(run.stdout, "06b25927c42a721631c1efd9431e648fa62e1e39\n");
    for (n, order) in crate::common::every_order(&[&amazon, &starfield_cross, &starfield_self])
        .iter()
        .enumerate()
    {
        let bundle = order.iter().map(|pem| pem.as_str()).collect::<String>();
        let path = dir.write(&format!("eks-{n}.pem"), &bundle);
        let run = run_args(&["--pem", &path]);
        run.assert_ok();
        assert_eq!(
            run.stdout, "9e99a48a9960b14926bb7f3b02e22da2b0ab7280\n",
            "order {n}"
        );
    }
}

#[test]
fn known_answer_amazon_root_ca_1() {
    let run = run_args(&["--pem", &amazon_root_ca_1()]);
    run.assert_ok();
    assert_eq!(run.stdout, "8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16\n");
}

#[test]
fn pem_json_matches_terraform_shape() {
    let run = run_args(&["--pem", &amazon_root_ca_1(), "--json"]);
    run.assert_ok();
    assert_eq!(
        run.field("thumbprint"),
        "8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16"
    );
    assert_eq!(run.field("not_after"), "2038-01-17T00:00:00Z");
    assert!(run.field("subject").contains("Amazon Root CA 1"));
}

#[test]
fn pem_bundle_in_any_order_finds_the_leaf() {
    let pki = pki::simple_pki(KeyKind::Ecdsa);
    let unrelated = pki::root("Unrelated CA", KeyKind::Ecdsa);
    let dir = TempDir::new("pem-order");
    // Root first, leaf last: the walk must not care.
    let bundle = format!(
        "{}{}{}",
        pki.root.pem(),
        pki.intermediate.pem(),
        pki.leaf.pem()
    );
    let path = dir.write("bundle.pem", &bundle);
    let run = run_args(&["--pem", &path]);
    run.assert_ok();
    assert_eq!(run.stdout.trim(), pki.root.sha1());

    let without_root = format!(
        "{}{}{}",
        pki.intermediate.pem(),
        unrelated.pem(),
        pki.leaf.pem()
    );
    let path = dir.write("without-root.pem", &without_root);
    // Wide enough for whole names: the width rules have a test of their own.
    let run = run_args_env(&["--pem", &path, "--chain"], &[("COLUMNS", "300")]);
    run.assert_ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    let row = |needle: &str| {
        *lines
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle}: {}", run.stdout))
    };
    assert!(
        row("CN=Test Intermediate,").contains("TOP *"),
        "{}",
        run.stdout
    );
    assert!(row(&pki.intermediate.sha1()).contains("TOP *"));
    assert!(row("CN=Unrelated CA").contains("off"), "{}", run.stdout);
    assert!(row("CN=localhost").contains("leaf"));
    assert!(run
        .stdout
        .ends_with(&format!("thumbprint {}\n", pki.intermediate.sha1())));
}

#[test]
fn a_missing_or_empty_pem_file_is_bad_input_naming_the_file() {
    let dir = TempDir::new("pem-errors");
    run_args(&["--pem", &dir.path().join("nope.pem").to_string_lossy()])
        .assert_fails(2, &["nope.pem"]);
    let empty = dir.write("empty.pem", "hello\n");
    run_args(&["--pem", &empty]).assert_fails(2, &["empty.pem", "no PEM certificates"]);
}

#[test]
fn a_broken_pem_block_fails_naming_the_file() {
    let dir = TempDir::new("pem-broken");
    let broken = dir.write(
        "broken.pem",
        "-----BEGIN CERTIFICATE-----\nMIIBnotbase64!!\n-----END CERTIFICATE-----\n",
    );
    let run = run_args(&["--pem", &broken]);
    assert_ne!(run.code, Some(0));
    assert!(
        run.stdout.is_empty() && run.stderr.contains("broken.pem"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bundle_of_two_unrelated_roots_has_no_leaf() {
    let dir = TempDir::new("pem-two-roots");
    let two_roots = format!(
        "{}{}",
        pki::root("A", KeyKind::Ecdsa).pem(),
        pki::root("B", KeyKind::Ecdsa).pem()
    );
    let ambiguous = dir.write("two-roots.pem", &two_roots);
    run_args(&["--pem", &ambiguous])
        .assert_fails(1, &["two-roots.pem", "issued none of the others"]);
}

#[test]
fn a_host_and_port_argument_prints_the_thumbprint_alone() {
    let origin = ChainServer::start("cli-host");
    let target = format!("localhost:{}", origin.server.port());
    let run = run_args(&["--ca-file", &origin.ca_file, &target]);
    run.assert_ok();
    assert_eq!(run.stdout, format!("{}\n", origin.expected()));
}

#[test]
fn json_prints_the_object_terraform_gets() {
    let origin = ChainServer::start("cli-json");
    let target = format!("localhost:{}", origin.server.port());
    let run = run_args(&["--ca-file", &origin.ca_file, "--json", &target]);
    run.assert_ok();
    assert_eq!(run.field("thumbprint"), origin.expected());
}

#[test]
fn chain_prints_the_presented_chain_as_a_table() {
    let origin = ChainServer::start("cli-chain");
    let ca = origin.ca_file.as_str();
    let target = format!("localhost:{}", origin.server.port());
    let run = run_args(&["--ca-file", ca, "--chain", "--timeout", "5", &target]);
    run.assert_ok();
    assert!(
        run.stdout.contains(&format!("presented by {target}")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("leaf") && run.stdout.contains("TOP *"),
        "{}",
        run.stdout
    );
}

#[test]
fn help_lists_the_options() {
    let run = run_args(&["--help"]);
    run.assert_ok();
    assert!(run.stdout.contains("Usage:") && run.stdout.contains("--pem FILE"));
}

#[test]
fn version_prints_the_version() {
    let run = run_args(&["--version"]);
    run.assert_ok();
    assert_eq!(
        run.stdout,
        format!(
            "oidc-thumbprint {} ({})\n",
            env!("CARGO_PKG_VERSION"),
            env!("OIDC_THUMBPRINT_TARGET")
        )
    );
}

#[test]
fn usage_errors_exit_2_naming_the_argument() {
    run_args(&["--frobnicate"]).assert_fails(2, &["--frobnicate"]);
    run_args(&["--json", "--chain", "localhost"]).assert_fails(2, &["--json and --chain"]);
    run_args(&["--pem", "x.pem", "--region", "us-east-1"]).assert_fails(2, &["--pem", "--region"]);
    run_args(&["a.example", "b.example"]).assert_fails(2, &["b.example"]);
    run_args(&["--region", "mars-1"]).assert_fails(2, &["mars-1"]);
}

#[test]
fn terraform_mode_with_a_terminal_prints_usage_and_exits_2() {
    // A pseudo-terminal is what a person's shell gives; `script` provides one.
    let script = std::process::Command::new("script")
        .args(["-qec", crate::common::BINARY, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect(
            "`script` (util-linux, Debian package bsdutils) runs the binary on a pseudo-terminal",
        );
    let text = String::from_utf8_lossy(&script.stdout);
    assert!(text.contains("Usage:"), "{text}");
    assert!(text.contains("no query on stdin"), "{text}");
    assert_eq!(script.status.code(), Some(2), "{text}");
}

#[test]
fn terraform_mode_reads_stdin_when_piped() {
    let run = run_args_with_stdin(&[], b"{\"region\":\"eu-isoe-west-1\",\"port\":\"1\"}", &[]);
    run.assert_fails(2, &["port goes with host"]);
}

/// Issue 8: a certificate subject must not be able to forge table rows or
/// drive the terminal: control characters are escaped in `--chain`.
#[test]
fn chain_table_escapes_control_characters_in_names() {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa};
    let key = pki::key(KeyKind::Ecdsa);
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name.push(
        DnType::CommonName,
        "Evil\n2  verified TOP *  CN=Forged\u{1b}[2J",
    );
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let evil = params.self_signed(&key).expect("self-signed");
    let (_dir, path) = TempDir::with_file("evil-subject", "evil.pem", &evil.pem());
    let run = run_args_env(&["--pem", &path, "--chain"], &[("COLUMNS", "300")]);
    run.assert_ok();
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
    assert!(
        run.stdout.contains("Evil\\n2  verified TOP *"),
        "{}",
        run.stdout
    );
    // The legend, the header, one row and the thumbprint line.
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
}

/// `--chain` fits the table to `COLUMNS` (else the terminal, else 100):
/// subjects and issuers are cut from the front, keeping their `CN=`, and
/// `--json` keeps them whole.
#[test]
fn chain_table_fits_the_terminal_width() {
    let amazon = std::fs::read_to_string(fixture("amazon-root-ca-1-by-starfield-services-g2.pem"))
        .expect("fixture");
    let starfield =
        std::fs::read_to_string(fixture("starfield-services-g2-by-starfield-class-2.pem"))
            .expect("fixture");
    let (_dir, path) = TempDir::with_file("width", "eks.pem", &format!("{amazon}{starfield}"));
    for columns in ["100", "120", "200"] {
        let run = run_args_env(&["--pem", &path, "--chain"], &[("COLUMNS", columns)]);
        run.assert_ok();
        let limit: usize = columns.parse().expect("number");
        for line in run.stdout.lines() {
            assert!(line.chars().count() <= limit, "{columns}: {line:?}");
        }
        assert!(run
            .stdout
            .contains("9e99a48a9960b14926bb7f3b02e22da2b0ab7280"));
    }
    let narrow = run_args_env(&["--pem", &path, "--chain"], &[("COLUMNS", "100")]);
    assert!(narrow.stdout.contains("...") && !narrow.stdout.contains("O=Starfield Technologies"));
    // Not a terminal and no COLUMNS: 100.
    assert_eq!(run_args(&["--pem", &path, "--chain"]).stdout, narrow.stdout);
    let json = run_args(&["--pem", &path, "--json"]);
    assert!(json
        .field("subject")
        .starts_with("C=US, ST=Arizona, L=Scottsdale"));
}

/// Issue 11: `--expect T1,T2` for runs outside Terraform (a nightly job
/// checking pinned thumbprints): 0 when the live top is listed, 3 with a
/// one-line reason when it is not.
#[test]
fn expect_exits_3_when_the_live_top_is_not_listed() {
    let origin = ChainServer::start("cli-expect");
    let target = format!("localhost:{}", origin.server.port());
    let listed = format!(
        "0123456789abcdef0123456789abcdef01234567,{}",
        origin.expected()
    );
    let run = run_args(&["--ca-file", &origin.ca_file, "--expect", &listed, &target]);
    run.assert_ok();
    assert_eq!(run.stdout, format!("{}\n", origin.expected()));

    let run = run_args(&[
        "--ca-file",
        &origin.ca_file,
        "--expect",
        "0123456789ABCDEF0123456789ABCDEF01234567",
        &target,
    ]);
    run.assert_fails(
        3,
        &[
            &target,
            &origin.expected(),
            "not among the expected 0123456789abcdef",
        ],
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);

    // The offline mode takes it too, and openssl's colon form.
    let amazon = fixture("amazon-root-ca-1.pem");
    run_args(&[
        "--pem",
        &amazon,
        "--expect",
        "8D:A7:F9:65:EC:5E:FC:37:91:0F:1C:6E:59:FD:C1:CC:6A:6E:DE:16",
    ])
    .assert_ok();
    run_args(&[
        "--pem",
        &amazon,
        "--expect",
        "06b25927c42a721631c1efd9431e648fa62e1e39",
    ])
    .assert_fails(
        3,
        &[
            "8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16",
            "Amazon Root CA 1",
        ],
    );
    run_args(&["--pem", &amazon, "--expect", "not-a-thumbprint"]).assert_fails(2, &["--expect"]);
}
