//! The answer: where the certificates came from, the walk over them, what
//! discovery found, and the thumbprints IAM should list. Front ends format
//! it; the rules about it (which thumbprints, `--expect`) live here.

use time::OffsetDateTime;

use crate::chain::{Certificate, ChainWalk};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::escape::{printable, Shown};
use crate::fingerprint::Thumbprint;

/// Where the certificates came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Server(Endpoint),
    PemFile(String),
}

impl Source {
    /// The source as messages name it.
    pub fn shown(&self) -> Shown {
        match self {
            Source::Server(endpoint) => printable(&endpoint.to_string()),
            Source::PemFile(path) => printable(path),
        }
    }
}

/// The issuer host's side of a discovery run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveryReport {
    pub jwks_uri: String,
    pub issuer_endpoint: Endpoint,
    pub issuer_top: Certificate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub source: Source,
    pub walk: ChainWalk,
    pub discovery: Option<DiscoveryReport>,
}

impl Report {
    /// The top certificate: the one whose thumbprint IAM wants.
    pub fn top(&self) -> &Certificate {
        self.walk.top()
    }

    pub fn thumbprint(&self) -> Thumbprint {
        self.top().thumbprint
    }

    /// The distinct thumbprints an IAM OIDC provider should list, the JWKS
    /// host's first (AWS's guidance when the two hosts differ).
    pub fn thumbprints(&self) -> Vec<Thumbprint> {
        let mut list = vec![self.thumbprint()];
        if let Some(discovery) = &self.discovery {
            if discovery.issuer_top.thumbprint != self.thumbprint() {
                list.push(discovery.issuer_top.thumbprint);
            }
        }
        list
    }

    /// Fails with [`Error::NotExpected`] unless the top's thumbprint is one
    /// of `expected`: a nightly check that pinned thumbprints still hold.
    pub fn expect_one_of(&self, expected: &[Thumbprint]) -> Result<(), Error> {
        let top = self.top();
        if expected.contains(&top.thumbprint) {
            return Ok(());
        }
        Err(Error::NotExpected {
            source_name: self.source.shown(),
            thumbprint: top.thumbprint.to_string(),
            subject: printable(&top.subject),
            not_after: rfc3339(top.not_after),
            expected: expected
                .iter()
                .map(Thumbprint::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        })
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` in UTC, as Terraform's time functions read it.
pub fn rfc3339(time: OffsetDateTime) -> String {
    let t = time.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
