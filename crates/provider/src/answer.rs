//! The core's [`Report`] as the data source's computed attributes, the same
//! facts the CLI's JSON gives, typed: a port is a number, the thumbprints a
//! list. And the warnings a plan should show.

use oidc_thumbprint_core::{rfc3339, Certificate, Report, Source};
use time::{Duration, OffsetDateTime};

/// A top that expires sooner than this is a warning: IAM stops trusting
/// the issuer when its pinned thumbprint's certificate is replaced.
pub const EXPIRY_WARNING: Duration = Duration::days(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub thumbprint: String,
    pub thumbprints: Vec<String>,
    pub subject: String,
    pub not_after: String,
    pub host: String,
    pub port: u16,
    pub jwks_uri: Option<String>,
    pub issuer_thumbprint: Option<String>,
}

impl Answer {
    pub fn of(report: &Report) -> Self {
        let top = report.top();
        let (host, port) = match &report.source {
            Source::Server(endpoint) => (endpoint.host().to_string(), endpoint.port()),
            // The provider only fetches from servers.
            Source::PemFile(path) => (path.clone(), 0),
        };
        Answer {
            thumbprint: top.thumbprint.to_string(),
            thumbprints: report
                .thumbprints()
                .iter()
                .map(ToString::to_string)
                .collect(),
            subject: top.subject.clone(),
            not_after: rfc3339(top.not_after),
            host,
            port,
            jwks_uri: report.discovery.as_ref().map(|d| d.jwks_uri.clone()),
            issuer_thumbprint: report
                .discovery
                .as_ref()
                .map(|d| d.issuer_top.thumbprint.to_string()),
        }
    }
}

/// A warning for each listed top certificate that expires within
/// [`EXPIRY_WARNING`] of `now`, naming its date.
pub fn expiry_warnings(report: &Report, now: OffsetDateTime) -> Vec<(String, String)> {
    let mut tops: Vec<&Certificate> = vec![report.top()];
    let discovery_top = report.discovery.as_ref().map(|d| &d.issuer_top);
    for top in report.samples.iter().map(|s| &s.top).chain(discovery_top) {
        if !tops.iter().any(|seen| seen.thumbprint == top.thumbprint) {
            tops.push(top);
        }
    }
    tops.into_iter()
        .filter(|top| top.not_after - now < EXPIRY_WARNING)
        .map(|top| {
            let date = rfc3339(top.not_after);
            let summary = if top.not_after <= now {
                format!("The top certificate expired on {date}")
            } else {
                format!("The top certificate expires on {date}")
            };
            let detail = format!(
                "{} (thumbprint {}) expires on {date}, within {} days: once its issuer replaces it, \
                 an IAM OIDC provider that pins this thumbprint stops trusting the issuer; \
                 re-plan after the change to pick up the new thumbprint",
                oidc_thumbprint_core::printable(&top.subject),
                top.thumbprint,
                EXPIRY_WARNING.whole_days(),
            );
            (summary, detail)
        })
        .collect()
}
