//! Sampling a host's edges: one verified handshake for every address its
//! name resolves to and every ClientHello profile, in parallel, under the
//! one deadline. Edges that differ (two issuances of an intermediate served
//! round robin) and servers that pick a chain by the client's signature
//! schemes each show a different top; IAM may see any of them, so the
//! report lists the union.

use std::cell::Cell;
use std::time::Duration;

use crate::chain::ChainWalk;
use crate::connection::{At, Connector, Route};
use crate::endpoint::Endpoint;
use crate::error::{Error, FetchError, Result};
use crate::log::note;
use crate::request::Sample;
use crate::retry::AttemptError;
use crate::tls::FailureKind;
use crate::trust::Profile;

/// A connection that takes longer than this share of the time left is an
/// unreachable address, so that the others' answers still fit the deadline.
const CONNECT_SHARE: u32 = 2;
const MIN_CONNECT: Duration = Duration::from_millis(100);

/// A failed handshake's error and what kind of failure it was (boxed: the
/// error is large, and most outcomes are walks).
type Failure = Box<(Error, FailureKind)>;

/// Where a handshake went, with which profile, and how it ended.
type Outcome = (At, Profile, std::result::Result<ChainWalk, Failure>);

/// One successful handshake and the walk over what it presented.
#[derive(Debug, Clone)]
pub struct Sampled {
    pub at: At,
    pub profile: Profile,
    pub walk: ChainWalk,
}

impl Sampled {
    /// Where the handshake went: `ADDRESS:PORT` (IPv6 bracketed), or
    /// `HOST:PORT` when a proxy picked the address.
    pub fn place(&self, endpoint: &Endpoint) -> String {
        place(&self.at, endpoint)
    }
}

fn place(at: &At, endpoint: &Endpoint) -> String {
    match at {
        At::Address(address) => address.to_string(),
        At::Proxy(_) => endpoint.to_string(),
    }
}

/// Every sample of `endpoint` the request asks for; `already` is one the
/// discovery request made, which counts. Fails if any handshake was
/// refused (never a union around a bad edge), or if no handshake with the
/// default profile succeeded.
pub fn sample_host(
    connector: &Connector,
    endpoint: &Endpoint,
    already: Option<Sampled>,
) -> Result<Vec<Sampled>> {
    if connector.sample == Sample::First {
        return match already {
            Some(sample) => Ok(vec![sample]),
            None => {
                let (at, session) = connector
                    .with_retries(&format!("TLS to {endpoint}"), || connector.open(endpoint))?;
                Ok(vec![Sampled {
                    at,
                    profile: Profile::Default,
                    walk: session.walk,
                }])
            }
        };
    }
    if let Some(sample) = &already {
        note!(
            connector.log,
            "{endpoint} already verified during discovery: that handshake is the sample at {}/{}",
            sample.place(endpoint),
            sample.profile
        );
    }
    let places: Vec<At> = match connector.route(endpoint)? {
        Route::Proxy(proxy) => vec![At::Proxy(proxy)],
        Route::Direct(addresses) => addresses.into_iter().map(At::Address).collect(),
    };
    let wanted: Vec<(At, Profile)> = places
        .iter()
        .flat_map(|at| Profile::ALL.map(|profile| (at.clone(), profile)))
        .filter(|(at, profile)| {
            !already
                .as_ref()
                .is_some_and(|s| &s.at == at && s.profile == *profile)
        })
        .collect();
    let remaining = connector.deadline.remaining();
    let connect_within = (remaining / CONNECT_SHARE).max(MIN_CONNECT).min(remaining);
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = wanted
            .into_iter()
            .map(|(at, profile)| {
                scope.spawn(move || {
                    let outcome = handshake_at(connector, endpoint, &at, profile, connect_within);
                    (at, profile, outcome)
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|handle| handle.join().ok())
            .collect()
    });
    collect(connector, endpoint, already, outcomes)
}

/// One handshake with its retries; a failure keeps its kind.
fn handshake_at(
    connector: &Connector,
    endpoint: &Endpoint,
    at: &At,
    profile: Profile,
    connect_within: Duration,
) -> std::result::Result<ChainWalk, Failure> {
    let last_kind = Cell::new(FailureKind::Unreachable);
    let what = format!("TLS to {endpoint} at {} ({profile})", place(at, endpoint));
    connector
        .with_retries(&what, || {
            connector
                .open_at(endpoint, at, profile, connect_within)
                .map(|session| session.walk)
                .map_err(|e| {
                    last_kind.set(e.kind);
                    AttemptError::from(e)
                })
        })
        .map_err(|e| Box::new((e, last_kind.get())))
}

/// The samples in a stable order, or the failure that stops the run.
fn collect(
    connector: &Connector,
    endpoint: &Endpoint,
    already: Option<Sampled>,
    mut outcomes: Vec<Outcome>,
) -> Result<Vec<Sampled>> {
    outcomes.sort_by_key(|(at, profile, _)| (place(at, endpoint), *profile));
    let mut samples: Vec<Sampled> = already.into_iter().collect();
    let mut unreachable: Vec<Error> = Vec::new();
    for (at, profile, outcome) in outcomes {
        let shown = place(&at, endpoint);
        match outcome.map_err(|failure| *failure) {
            Ok(walk) => samples.push(Sampled { at, profile, walk }),
            Err((_, FailureKind::NoChainForProfile)) if profile == Profile::Rsa => {
                note!(
                    connector.log,
                    "{shown} has no RSA chain (handshake_failure before any certificate): not a sample"
                );
            }
            Err((_, FailureKind::Unreachable)) if profile == Profile::Rsa => {
                note!(connector.log, "{shown} ({profile}) was not reached");
            }
            Err((error, FailureKind::Unreachable)) => {
                note!(connector.log, "{shown} was not reached: {error}");
                unreachable.push(error);
            }
            Err((error, _)) => {
                return Err(FetchError::Edge {
                    at: shown,
                    profile: profile.name(),
                    source: Box::new(error),
                }
                .into())
            }
        }
    }
    if !samples.iter().any(|s| s.profile == Profile::Default) {
        return Err(no_default_sample(endpoint, unreachable));
    }
    samples.sort_by_key(|s| (s.place(endpoint), s.profile));
    for sample in &samples {
        note!(
            connector.log,
            "sample {}/{}: top {}",
            sample.place(endpoint),
            sample.profile,
            sample.walk.top().thumbprint
        );
    }
    Ok(samples)
}

/// No address answered the default profile: the addresses' connect
/// failures as one message, as a single connection attempt words them, or
/// the first other failure (a timeout).
fn no_default_sample(endpoint: &Endpoint, unreachable: Vec<Error>) -> Error {
    let connect_reasons: Option<Vec<&str>> = unreachable
        .iter()
        .map(|e| match e {
            Error::Fetch(FetchError::Connect { reason, .. }) => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    match connect_reasons {
        Some(reasons) if !reasons.is_empty() => FetchError::Connect {
            endpoint: endpoint.to_string(),
            reason: reasons.join("; "),
        }
        .into(),
        _ => unreachable.into_iter().next().unwrap_or_else(|| {
            FetchError::NoChain {
                source_name: crate::escape::printable(&endpoint.to_string()),
            }
            .into()
        }),
    }
}
