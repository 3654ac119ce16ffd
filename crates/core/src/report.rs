//! The answer: where the certificates came from, the walk over them, what
//! discovery found, and the thumbprints IAM should list. Front ends format
//! it; the rules about it (which thumbprints, `--expect`) live here.

use time::OffsetDateTime;

use crate::chain::{Certificate, ChainWalk};
use crate::endpoint::Endpoint;
use crate::error::{Error, FetchError};
use crate::escape::{printable, Shown};
use crate::fingerprint::Thumbprint;
use crate::sampling::Sampled;
use crate::trust::Profile;

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

/// One successful handshake, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleEntry {
    /// The host it was a sample of.
    pub host: Endpoint,
    /// `ADDRESS:PORT` (IPv6 bracketed), or `HOST:PORT` through a proxy.
    pub at: String,
    pub profile: Profile,
    /// The top of the walk over what this handshake presented.
    pub top: Certificate,
}

impl SampleEntry {
    /// `ADDRESS:PORT/PROFILE=THUMBPRINT`.
    pub fn label(&self) -> String {
        format!("{}/{}={}", self.at, self.profile, self.top.thumbprint)
    }
}

/// An IAM OIDC provider lists at most this many thumbprints.
pub const MAX_THUMBPRINTS: usize = 5;

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
    /// The walk whose top is [`Report::thumbprint`].
    pub walk: ChainWalk,
    pub discovery: Option<DiscoveryReport>,
    /// Every successful handshake, sorted by label; empty for a PEM file.
    pub samples: Vec<SampleEntry>,
}

impl Report {
    /// The top certificate: the one whose thumbprint IAM wants.
    pub fn top(&self) -> &Certificate {
        self.walk.top()
    }

    /// The first of [`Report::thumbprints`].
    pub fn thumbprint(&self) -> Thumbprint {
        self.top().thumbprint
    }

    /// The distinct thumbprints an IAM OIDC provider should list: the tops
    /// of every handshake with the JWKS host, ascending, then those of the
    /// issuer host not already listed, ascending (AWS's guidance when the
    /// two hosts differ is to list both).
    pub fn thumbprints(&self) -> Vec<Thumbprint> {
        if self.samples.is_empty() {
            return vec![self.thumbprint()];
        }
        let source = match &self.source {
            Source::Server(endpoint) => Some(endpoint),
            Source::PemFile(_) => None,
        };
        let mut list = tops_of(&self.samples, source);
        if let Some(discovery) = &self.discovery {
            for top in tops_of(&self.samples, Some(&discovery.issuer_endpoint)) {
                if !list.contains(&top) {
                    list.push(top);
                }
            }
        }
        list
    }

    /// `ADDRESS:PORT/PROFILE=THUMBPRINT` for every handshake, in the
    /// samples' order, which sorts them by label.
    pub fn sample_labels(&self) -> Vec<String> {
        self.samples.iter().map(SampleEntry::label).collect()
    }

    /// Fails with [`Error::NotExpected`] unless every thumbprint the report
    /// lists is one of `expected`: a nightly check that the pinned
    /// thumbprints still cover every edge and chain IAM may meet.
    pub fn expect_among(&self, expected: &[Thumbprint]) -> Result<(), Error> {
        let Some(missing) = self
            .thumbprints()
            .into_iter()
            .find(|thumbprint| !expected.contains(thumbprint))
        else {
            return Ok(());
        };
        let top = self
            .samples
            .iter()
            .map(|s| &s.top)
            .find(|top| top.thumbprint == missing)
            .unwrap_or_else(|| self.top());
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

/// The distinct tops of `host`'s samples, ascending.
fn tops_of(samples: &[SampleEntry], host: Option<&Endpoint>) -> Vec<Thumbprint> {
    let mut tops: Vec<Thumbprint> = samples
        .iter()
        .filter(|s| Some(&s.host) == host)
        .map(|s| s.top.thumbprint)
        .collect();
    tops.sort();
    tops.dedup();
    tops
}

/// The report over the samples of the JWKS host (or the one host without
/// discovery) and, with discovery, of the issuer host. Fails when the union
/// holds more thumbprints than a provider can list: never cut silently.
pub(crate) fn from_samples(
    source: &Endpoint,
    samples: Vec<Sampled>,
    discovery: Option<(String, &Endpoint, Vec<Sampled>)>,
) -> Result<Report, Error> {
    let entries = |host: &Endpoint, samples: &[Sampled]| -> Vec<SampleEntry> {
        samples
            .iter()
            .map(|s| SampleEntry {
                host: host.clone(),
                at: s.place(host),
                profile: s.profile,
                top: s.walk.top().clone(),
            })
            .collect()
    };
    let mut all = entries(source, &samples);
    let issuer = discovery.map(|(jwks_uri, issuer_endpoint, issuer_samples)| {
        if issuer_endpoint != source {
            all.extend(entries(issuer_endpoint, &issuer_samples));
        }
        (jwks_uri, issuer_endpoint.clone(), issuer_samples)
    });
    let mut distinct: Vec<Thumbprint> = all.iter().map(|s| s.top.thumbprint).collect();
    distinct.sort();
    distinct.dedup();
    if distinct.len() > MAX_THUMBPRINTS {
        return Err(FetchError::TooManyTops {
            source_name: printable(&source.to_string()),
            count: distinct.len(),
            thumbprints: distinct
                .iter()
                .map(Thumbprint::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            limit: MAX_THUMBPRINTS,
        }
        .into());
    }
    all.sort_by_key(SampleEntry::label);
    // The walk shown is one whose top is the smallest, in sample order.
    let lowest = |host: &Endpoint, samples: &[Sampled]| -> Option<ChainWalk> {
        samples
            .iter()
            .min_by_key(|s| (s.walk.top().thumbprint, s.place(host), s.profile))
            .map(|s| s.walk.clone())
    };
    let walk = lowest(source, &samples).ok_or_else(|| FetchError::NoChain {
        source_name: printable(&source.to_string()),
    })?;
    let discovery = match issuer {
        None => None,
        Some((jwks_uri, issuer_endpoint, issuer_samples)) => {
            let issuer_walk = if issuer_endpoint == *source {
                walk.clone()
            } else {
                lowest(&issuer_endpoint, &issuer_samples).unwrap_or_else(|| walk.clone())
            };
            Some(DiscoveryReport {
                jwks_uri,
                issuer_endpoint,
                issuer_top: issuer_walk.top().clone(),
            })
        }
    };
    Ok(Report {
        source: Source::Server(source.clone()),
        walk,
        discovery,
        samples: all,
    })
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
