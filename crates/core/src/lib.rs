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
mod sampling;
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
pub use report::{rfc3339, DiscoveryReport, Report, SampleEntry, Source, MAX_THUMBPRINTS};
pub use request::{
    parse_resolve, parse_timeout, Options, Request, RequestBuilder, ResolveChoice, ResolveEntry,
    Sample, Target, TrustAnchors, DEFAULT_TIMEOUT, MAX_TIMEOUT, MIN_TIMEOUT,
};
pub use trust::Profile;

use crate::connection::Connector;
use crate::discovery::discover;
use crate::proxy::ProxyConfig;
use crate::sampling::sample_host;
use crate::trust::Trust;

/// The environment as the core reads it (proxy variables): a function from
/// a variable's name to its value, so a caller can pass its own.
pub type Environment<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// The environment variable of address overrides, read when the request
/// gives none.
pub const RESOLVE_VARIABLE: &str = "OIDC_THUMBPRINT_RESOLVE";

/// Fetches, verifies and walks the chains `request` names, every edge and
/// ClientHello profile unless it asks for one handshake, within `deadline`,
/// with progress notes to `log`.
pub fn thumbprint(
    request: &Request,
    deadline: Deadline,
    log: Log<'_>,
    env: Environment<'_>,
) -> Result<Report> {
    let options = request.options();
    let resolve = match &options.resolve {
        ResolveChoice::Given(entries) => entries.clone(),
        ResolveChoice::FromEnvironment => match env(RESOLVE_VARIABLE) {
            Some(text) if !text.trim().is_empty() => parse_resolve(&text, RESOLVE_VARIABLE)?,
            _ => Vec::new(),
        },
    };
    let connector = Connector {
        trust: Trust::new(&options.trust)?,
        proxy: ProxyConfig::resolve(&options.proxy, env)?,
        resolve,
        sample: options.sample,
        deadline,
        log,
    };
    match request.target() {
        Target::Issuer(issuer) if options.discovery => {
            let mut found = discover(&connector, issuer.discovery_url())?;
            let issuer_endpoint = issuer.endpoint();
            let jwks_endpoint = found.jwks_uri.endpoint();
            // A handshake the discovery GET made counts as a sample.
            let issuer_samples = sample_host(
                &connector,
                issuer_endpoint,
                found.samples_seen.remove(issuer_endpoint),
            )?;
            let jwks_samples = if jwks_endpoint == issuer_endpoint {
                issuer_samples.clone()
            } else {
                let seen = found.samples_seen.remove(jwks_endpoint);
                sample_host(&connector, jwks_endpoint, seen)?
            };
            report::from_samples(
                jwks_endpoint,
                jwks_samples,
                Some((
                    found.jwks_uri.as_str().to_string(),
                    issuer_endpoint,
                    issuer_samples,
                )),
            )
        }
        target => {
            let endpoint = target.endpoint();
            report::from_samples(endpoint, sample_host(&connector, endpoint, None)?, None)
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
        samples: Vec::new(),
    })
}
