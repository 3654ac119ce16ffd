//! oidc-thumbprint: the SHA-1 thumbprint of the top CA certificate an OIDC
//! issuer presents, fetched over verified TLS, for IAM OIDC providers.
//!
//! Data flows one way: input (cli, query) → endpoint → connection (and
//! discovery) → chain walk → fingerprint → output. README "Layout" names
//! the modules of each step.

mod chain;
mod cli;
mod connection;
mod deadline;
mod discovery;
mod endpoint;
mod error;
mod escape;
mod fingerprint;
mod log;
mod output;
mod partition;
mod pem;
mod proxy;
mod query;
mod retry;
mod tcp;
mod tls;
mod trust;
mod watchdog;

// What `main` needs.
pub use cli::{parse_args, table_width, Invocation, Mode, USAGE};
pub use deadline::Deadline;
pub use error::{Error, FetchError, InputError, Result};
pub use log::Log;
pub use output::{render, Format, Report};
pub use query::{parse_terraform_query, Request, DEFAULT_TIMEOUT, MAX_QUERY_BYTES};
pub use watchdog::{arm_watchdog, fail_and_exit, print_and_exit, report_error};

// What the fuzz targets drive directly.
pub use chain::{walk_bundle, walk_presented, ChainWalk};
pub use discovery::jwks_uri_from_document;
pub use pem::certificates_in_pem;

use crate::connection::Connector;
use crate::discovery::discover;
use crate::endpoint::Endpoint;
use crate::log::note;
use crate::output::{DiscoveryReport, Source};
use crate::proxy::ProxyConfig;
use crate::query::Target;
use crate::tls::PresentedChain;
use crate::trust::Trust;

/// Fetches, verifies and walks the chain `request` names. `env` is how the
/// environment is read (proxy variables), so tests can pass their own.
pub fn thumbprint(
    request: &Request,
    deadline: Deadline,
    log: Log,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Report> {
    let options = &request.options;
    let connector = Connector {
        trust: Trust::new(options.ca_file.as_deref())?,
        proxy: ProxyConfig::resolve(&options.proxy, env)?,
        deadline,
        log,
    };
    match &request.target {
        Target::Issuer(issuer) if options.discovery => {
            let mut found = discover(&connector, issuer.discovery_url())?;
            // Hosts the discovery GET already talked to are not shaken hands
            // with again; the issuer's host is always the first of them.
            let mut chain_of = |endpoint: &Endpoint| match found.chains_seen.remove(endpoint) {
                Some(chain) => {
                    note!(log, "{endpoint} already verified during discovery");
                    Ok(chain)
                }
                None => fetch_chain(&connector, endpoint),
            };
            let issuer_endpoint = issuer.endpoint();
            let jwks_endpoint = found.jwks_uri.endpoint();
            let issuer_walk = walk(
                &connector.trust,
                issuer_endpoint,
                &chain_of(issuer_endpoint)?,
            )?;
            let jwks_walk = if jwks_endpoint == issuer_endpoint {
                issuer_walk.clone()
            } else {
                let chain = chain_of(jwks_endpoint)?;
                walk(&connector.trust, jwks_endpoint, &chain)?
            };
            Ok(Report {
                walk: jwks_walk,
                source: Source::Server(jwks_endpoint.clone()),
                discovery: Some(DiscoveryReport {
                    jwks_uri: found.jwks_uri.as_str().to_string(),
                    issuer_endpoint: issuer_endpoint.clone(),
                    issuer_top: issuer_walk.top().clone(),
                }),
            })
        }
        target => {
            let endpoint = target.endpoint();
            let chain = fetch_chain(&connector, endpoint)?;
            Ok(Report {
                walk: walk(&connector.trust, endpoint, &chain)?,
                source: Source::Server(endpoint.clone()),
                discovery: None,
            })
        }
    }
}

/// Walks the PEM bundle at `path` offline (`--pem`): no server, so no
/// verification; the leaf is the certificate that issued none of the others.
pub fn thumbprint_bundle(path: &std::path::Path) -> Result<Report> {
    let name = path.display().to_string();
    let ders = pem::read_certificates(path).map_err(|reason| InputError::CertificateFile {
        option: "--pem",
        path: escape::printable(&name),
        reason,
    })?;
    Ok(Report {
        walk: walk_bundle(&name, &ders)?,
        source: Source::PemFile(name),
        discovery: None,
    })
}

fn fetch_chain(connector: &Connector, endpoint: &Endpoint) -> Result<PresentedChain> {
    connector.with_retries(&format!("TLS to {endpoint}"), || {
        connector
            .open(endpoint)
            .map(|session| session.presented_chain)
    })
}

/// The walk over a chain the handshake verified, tied to the path that
/// verification stands on.
fn walk(trust: &Trust, endpoint: &Endpoint, chain: &PresentedChain) -> Result<ChainWalk> {
    walk_presented(&endpoint.to_string(), chain, |leaf, candidates| {
        trust
            .verified_intermediates(leaf, candidates)
            .map_err(|reason| {
                FetchError::Handshake {
                    endpoint: endpoint.to_string(),
                    reason: format!("the verified chain does not verify again: {reason}"),
                }
                .into()
            })
    })
}
