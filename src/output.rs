//! What the program prints: the Terraform JSON object, the bare thumbprint,
//! or the readable `--chain` table. Nothing here does I/O.

use std::collections::BTreeMap;

use oidc_thumbprint_core::{printable, rfc3339, Report, Role, Source, Thumbprint};

/// How a person asked to see the answer (Terraform always gets `Json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The thumbprint alone on a line.
    Thumbprint,
    Json,
    /// `--chain`: the presented chain as a table.
    Chain,
}

/// The answer in `format`; `width` is the terminal's, for `--chain`.
pub fn render(report: &Report, format: Format, width: usize) -> String {
    match format {
        Format::Thumbprint => thumbprint_line(report),
        Format::Json => terraform_json(report),
        Format::Chain => chain_table(report, width),
    }
}

/// One JSON object of strings, keys sorted, so that the same chain always
/// gives the same bytes (Terraform diffs on them).
pub fn terraform_json(report: &Report) -> String {
    let top = report.top();
    let mut fields: BTreeMap<&str, String> = BTreeMap::new();
    fields.insert("thumbprint", top.thumbprint.to_string());
    fields.insert("thumbprints", joined(&report.thumbprints()));
    fields.insert("subject", top.subject.clone());
    fields.insert("not_after", rfc3339(top.not_after));
    if !report.samples.is_empty() {
        fields.insert("samples", report.sample_labels().join(","));
    }
    match &report.source {
        Source::Server(endpoint) => {
            fields.insert("host", endpoint.host().to_string());
            fields.insert("port", endpoint.port().to_string());
        }
        Source::PemFile(path) => {
            fields.insert("pem_file", path.clone());
        }
    }
    if let Some(discovery) = &report.discovery {
        fields.insert("jwks_uri", discovery.jwks_uri.clone());
        if let Source::Server(endpoint) = &report.source {
            fields.insert("jwks_host", endpoint.host().to_string());
        }
        fields.insert("issuer_host", discovery.issuer_endpoint.host().to_string());
        fields.insert(
            "issuer_thumbprint",
            discovery.issuer_top.thumbprint.to_string(),
        );
    }
    // A JSON value's Display cannot fail, so there is no empty success to
    // print; serde_json's Map is sorted, as Terraform diffs need.
    let object: serde_json::Map<String, serde_json::Value> = fields
        .into_iter()
        .map(|(key, value)| (key.to_string(), serde_json::Value::String(value)))
        .collect();
    format!("{}\n", serde_json::Value::Object(object))
}

fn joined(thumbprints: &[Thumbprint]) -> String {
    thumbprints
        .iter()
        .map(Thumbprint::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn thumbprint_line(report: &Report) -> String {
    format!("{}\n", report.thumbprint())
}

const SUBJECT: usize = 2;
const ISSUER: usize = 3;
/// A name column is never cut below this, however narrow the terminal.
const MIN_NAME_WIDTH: usize = 12;

/// Shrinks the subject and issuer columns, the widest first, until the
/// table fits `width` (the other columns are fixed-size facts).
fn fit_names_to(width: usize, widths: &mut [usize]) {
    let separators = 2 * (widths.len() - 1);
    while widths.iter().sum::<usize>() + separators > width {
        let widest = if widths[SUBJECT] >= widths[ISSUER] {
            SUBJECT
        } else {
            ISSUER
        };
        if widths[widest] <= MIN_NAME_WIDTH {
            break;
        }
        widths[widest] -= 1;
    }
}

/// `text` cut to `width` characters from the front, the cut marked with
/// `...`: a name's most specific part (`CN=...`) comes last.
fn elide(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        return text.to_string();
    }
    let kept: String = text.chars().skip(count + 3 - width.max(3)).collect();
    format!("...{kept}")
}

/// The presented chain as a table: a heading that says where it came from,
/// one row per certificate, and notes on how the walk ended. Names come from
/// the server, so they are escaped and cut (full text is in `--json`).
pub fn chain_table(report: &Report, width: usize) -> String {
    let mut text = heading(report, width);
    text.push_str(&table(table_rows(report), width));
    text.push_str(&notes(report, width));
    text.push_str(&format!("thumbprint {}\n", report.thumbprint()));
    text
}

fn heading(report: &Report, width: usize) -> String {
    let from = match &report.source {
        Source::Server(endpoint) => format!("presented by {endpoint}"),
        Source::PemFile(path) => format!("read from {}", printable(path)),
    };
    let legend = if report.walk.verified > 0 {
        "* = thumbprinted top; verified = on the path the handshake verified; \
         anchor = the trust anchor's certificate; above = above the anchor, \
         the highest walk through presented certificates, checked by \
         signature; off = not on the walk"
    } else {
        "* = thumbprinted top; link = linked by name and signature (a file \
         is not verified); off = not on the walk from the leaf"
    };
    wrap(&format!("certificates {from} ({legend})"), width)
}

const COLUMNS: usize = 6;

/// The header and one row per certificate: position, role on the walk,
/// subject, issuer, expiry and SHA-1, the top marked.
fn table_rows(report: &Report) -> Vec<[String; COLUMNS]> {
    let walk = &report.walk;
    let header = ["#", "walk", "subject", "issuer", "not after", "sha-1"].map(String::from);
    let mut rows = vec![header];
    for (index, cert) in walk.certificates.iter().enumerate() {
        let role = match walk.role(index) {
            Role::Leaf => "leaf",
            Role::Verified => "verified",
            Role::Anchor => "anchor",
            Role::AboveAnchor => "above",
            Role::Link => "link",
            Role::Off => "off",
        };
        let mark = if walk.is_top(index) { " TOP *" } else { "" };
        rows.push([
            (index + 1).to_string(),
            format!("{role}{mark}"),
            printable(&cert.subject).to_string(),
            printable(&cert.issuer).to_string(),
            // The date is enough to read; --json has the time too.
            rfc3339(cert.not_after)[..10].to_string(),
            cert.thumbprint.to_string(),
        ]);
    }
    rows
}

/// `rows` in columns fitted to `width`, the names cut first.
fn table(mut rows: Vec<[String; COLUMNS]>, width: usize) -> String {
    let mut widths: Vec<usize> = (0..COLUMNS)
        .map(|col| {
            rows.iter()
                .map(|row| row[col].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    fit_names_to(width, &mut widths);
    let mut text = String::new();
    for row in &mut rows {
        for col in [SUBJECT, ISSUER] {
            row[col] = elide(&row[col], widths[col]);
        }
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}

/// Where verification ended, whether the walk went above it, and what
/// discovery found.
fn notes(report: &Report, width: usize) -> String {
    let walk = &report.walk;
    let mut text = String::new();
    if let Some(&last_verified) = walk.verified.checked_sub(1).and_then(|i| walk.path.get(i)) {
        text.push_str(&wrap(
            &format!(
                "verification ended at the trust anchor {}",
                printable(&walk.certificates[last_verified].issuer)
            ),
            width,
        ));
    }
    if walk.goes_above_anchor() {
        text.push_str(&wrap(
            "the walk went above the trust anchor: IAM's thumbprint is the top \
             certificate presented, and those above it were checked by signature only",
            width,
        ));
    }
    if !report.samples.is_empty() {
        text.push_str(&wrap(
            &format!(
                "samples (address/profile=top): {}",
                report.sample_labels().join(" ")
            ),
            width,
        ));
    }
    if let Some(discovery) = &report.discovery {
        text.push_str(&wrap(
            &format!(
                "jwks_uri {} (from the discovery document of {}); issuer host thumbprint {}",
                printable(&discovery.jwks_uri),
                discovery.issuer_endpoint,
                discovery.issuer_top.thumbprint
            ),
            width,
        ));
    }
    text
}

/// `text` as lines of at most `width` characters, broken at spaces (a word
/// longer than the width, a URL say, gets a line of its own).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_length = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let length = word.chars().count();
        if line_length > 0 && line_length + 1 + length > width {
            out.push('\n');
            line_length = 0;
        }
        if line_length > 0 {
            out.push(' ');
            line_length += 1;
        }
        out.push_str(word);
        line_length += length;
    }
    out.push('\n');
    out
}
