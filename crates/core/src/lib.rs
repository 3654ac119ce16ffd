//! The core of oidc-thumbprint: the SHA-1 thumbprint of the top CA
//! certificate an OIDC issuer presents, fetched over verified TLS, for IAM
//! OIDC providers. Front ends (the `oidc-thumbprint` CLI, the Terraform
//! provider) build a [`Request`], call [`thumbprint`] and present the
//! [`Report`].
//!
//! The core keeps no global state, never exits the process and never writes
//! to stdout or stderr: the deadline, the log sink and the environment come
//! in as values, so many requests can run at once on threads.
//!
//! ```no_run
//! use std::time::Duration;
//! use oidc_thumbprint_core::{thumbprint, Deadline, Log, Request, Target};
//!
//! let request = Request::builder(Target::region("us-east-1")?)
//!     .timeout(Duration::from_secs(5))
//!     .build()?;
//! let deadline = Deadline::starting_now(request.options().timeout);
//! let report = thumbprint(&request, deadline, Log::silent(), &|name| std::env::var(name).ok())?;
//! println!("{}", report.thumbprint());
//! # Ok::<(), oidc_thumbprint_core::Error>(())
//! ```
//!
//! Data flows one way: request → endpoint → connection (tcp, proxy, tls with
//! the verifier in trust) and discovery → chain walk → report.

mod chain;
mod connection;
mod deadline;
mod discovery;
mod endpoint;
mod error;
mod escape;
mod fingerprint;
mod io_error;
mod log;
mod partition;
mod pem;
mod proxy;
mod report;
mod request;
mod retry;
mod tcp;
mod tls;
mod trust;

pub use chain::{
    walk_bundle, walk_presented, Certificate, ChainWalk, Role, MAX_CHAIN_CERTIFICATES,
};
pub use deadline::{seconds, Deadline};
pub use discovery::jwks_uri_from_document;
pub use endpoint::{parse_port, split_authority, Endpoint, HttpsUrl, IssuerUrl};
pub use error::{Error, ErrorKind, FetchError, Hint, InputError, Result};
pub use escape::{printable, Shown, MAX_SHOWN_CHARS};
pub use fingerprint::Thumbprint;
pub use log::Log;
pub use pem::certificates_in_pem;
pub use proxy::ProxyChoice;
pub use report::{rfc3339, DiscoveryReport, Report, Source};
pub use request::{
    parse_timeout, Options, Request, RequestBuilder, Target, TrustAnchors, DEFAULT_TIMEOUT,
    MAX_TIMEOUT, MIN_TIMEOUT,
};
pub use trust::Trust;

use crate::connection::Connector;
use crate::discovery::discover;
use crate::log::note;
use crate::proxy::ProxyConfig;

/// The environment as the core reads it (proxy variables): a function from
/// a variable's name to its value, so a caller can pass its own.
pub type Environment<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// Fetches, verifies and walks the chain `request` names, within
/// `deadline`, with progress notes to `log`.
pub fn thumbprint(
    request: &Request,
    deadline: Deadline,
    log: Log<'_>,
    env: Environment<'_>,
) -> Result<Report> {
    let options = request.options();
    let connector = Connector {
        trust: Trust::new(&options.trust)?,
        proxy: ProxyConfig::resolve(&options.proxy, env)?,
        deadline,
        log,
    };
    match request.target() {
        Target::Issuer(issuer) if options.discovery => {
            let mut found = discover(&connector, issuer.discovery_url())?;
            // Hosts the discovery GET already talked to are not shaken hands
            // with again; the issuer's host is always the first of them.
            let mut walk_of = |endpoint: &Endpoint| match found.walks_seen.remove(endpoint) {
                Some(walk) => {
                    note!(log, "{endpoint} already verified during discovery");
                    Ok(walk)
                }
                None => fetch_walk(&connector, endpoint),
            };
            let issuer_endpoint = issuer.endpoint();
            let jwks_endpoint = found.jwks_uri.endpoint();
            let issuer_walk = walk_of(issuer_endpoint)?;
            let jwks_walk = if jwks_endpoint == issuer_endpoint {
                issuer_walk.clone()
            } else {
                walk_of(jwks_endpoint)?
            };
            Ok(Report {
                source: Source::Server(jwks_endpoint.clone()),
                discovery: Some(DiscoveryReport {
                    jwks_uri: found.jwks_uri.as_str().to_string(),
                    issuer_endpoint: issuer_endpoint.clone(),
                    issuer_top: issuer_walk.top().clone(),
                }),
                walk: jwks_walk,
            })
        }
        target => {
            let endpoint = target.endpoint();
            Ok(Report {
                walk: fetch_walk(&connector, endpoint)?,
                source: Source::Server(endpoint.clone()),
                discovery: None,
            })
        }
    }
}

/// Walks the PEM bundle at `path` offline (`--pem`): no server, so no
/// verification; the leaf is the certificate that issued none of the others.
/// `option` names the input in messages.
pub fn thumbprint_bundle(option: &'static str, path: &std::path::Path) -> Result<Report> {
    let name = path.display().to_string();
    let certificates =
        pem::read_certificates(path).map_err(|reason| InputError::CertificateFile {
            option,
            path: printable(&name),
            reason,
        })?;
    Ok(Report {
        walk: walk_bundle(&name, &certificates)?,
        source: Source::PemFile(name),
        discovery: None,
    })
}

fn fetch_walk(connector: &Connector, endpoint: &Endpoint) -> Result<ChainWalk> {
    connector.with_retries(&format!("TLS to {endpoint}"), || {
        connector.open(endpoint).map(|session| session.walk)
    })
}
