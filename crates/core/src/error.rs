//! The errors. Each message is the sentence a Terraform user reads in a red
//! box, so it names the input or host that failed and, where there is one,
//! the next step. A next step that names a front end's own switch (a CLI
//! flag, a query key) is the front end's to add: see [`Error::hint`].
//!
//! What kind of failure it is follows from the type: an [`InputError`] is
//! the caller's to fix, a [`FetchError`] is the world's. A new variant lands
//! in one of the two, so a front end cannot map it to the wrong exit status
//! or diagnostic.

use std::time::Duration;

use thiserror::Error;

use crate::escape::Shown;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The answer was fetched, and one of its thumbprints is not among those
    /// expected
    /// ([`crate::Report::expect_among`]).
    #[error("the top certificate of {source_name} has thumbprint {thumbprint} ({subject}, expires {not_after}), which is not among the expected {expected}")]
    NotExpected {
        source_name: Shown,
        thumbprint: String,
        subject: Shown,
        not_after: String,
        expected: String,
    },
}

/// What kind of failure an [`Error`] is, for a front end to map to an exit
/// status or a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The caller's input cannot be used.
    Input,
    /// Fetching or verifying failed: the network, the server or its
    /// certificates.
    Fetch,
    /// The answer is not among the ones expected.
    NotExpected,
}

/// A next step that only a front end can word, since it names that front
/// end's own switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// Discovery failed: turning it off thumbprints the issuer host itself.
    TurnOffDiscovery,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Input(_) => ErrorKind::Input,
            Error::Fetch(_) => ErrorKind::Fetch,
            Error::NotExpected { .. } => ErrorKind::NotExpected,
        }
    }

    pub fn hint(&self) -> Option<Hint> {
        match self {
            Error::Fetch(FetchError::Discovery { .. }) => Some(Hint::TurnOffDiscovery),
            _ => None,
        }
    }

    /// The input an [`InputError`] names (`timeout`, `ca_file`), for a
    /// front end that points at it (the provider's attribute path).
    pub fn input(&self) -> Option<&'static str> {
        match self {
            Error::Input(InputError::InvalidInput { input, .. }) => Some(input),
            Error::Input(InputError::CertificateFile { option, .. }) => Some(option),
            _ => None,
        }
    }

    /// Bad input: the value is quoted escaped and cut, since it may hold
    /// anything (a 1 MB URL, an ESC).
    pub fn invalid(input: &'static str, value: &str, reason: impl Into<String>) -> Self {
        InputError::InvalidInput {
            input,
            value: crate::escape::printable(value),
            reason: reason.into(),
        }
        .into()
    }
}

/// Bad input: what the caller gave cannot be used.
#[derive(Debug, Error)]
pub enum InputError {
    #[error("{0}")]
    Usage(String),

    #[error("invalid {input} \"{value}\": {reason}")]
    InvalidInput {
        input: &'static str,
        value: Shown,
        reason: String,
    },

    /// `ca_file` / `--ca-file` or `--pem`: `option` names which.
    #[error("cannot read {option} {path}: {reason}")]
    CertificateFile {
        option: &'static str,
        path: Shown,
        reason: String,
    },
}

/// A failure to fetch or verify: the input was fine, the network,
/// the server or its certificates were not.
#[derive(Debug, Error)]
pub enum FetchError {
    #[error("cannot resolve {host}: {reason}")]
    Resolve { host: String, reason: String },

    #[error("cannot connect to {endpoint}: {reason}")]
    Connect { endpoint: String, reason: String },

    #[error("proxy {proxy} {reason} (while opening a tunnel to {endpoint})")]
    Proxy {
        proxy: String,
        endpoint: String,
        reason: String,
    },

    #[error("TLS set-up failed: {0}")]
    TlsSetup(String),

    #[error("TLS handshake with {endpoint} failed: {reason}")]
    Handshake { endpoint: String, reason: String },

    #[error("{source_name} did not present a certificate chain")]
    NoChain { source_name: Shown },

    #[error("{source_name} presented {count} certificates, more than the {limit} a certificate chain may hold")]
    ChainTooLong {
        source_name: Shown,
        count: usize,
        limit: usize,
    },

    #[error("certificate {position} from {source_name} cannot be parsed: {reason}")]
    BadCertificate {
        source_name: Shown,
        position: usize,
        reason: String,
    },

    #[error("the certificates from {source_name} have no top: the chain loops: {names}")]
    ChainLoops { source_name: Shown, names: String },

    #[error("{source_name} holds {count} certificates that issued none of the others ({subjects}); keep one chain per file")]
    AmbiguousLeaf {
        source_name: Shown,
        count: usize,
        subjects: String,
    },

    #[error("OIDC discovery at {url} failed: {reason}")]
    Discovery { url: Shown, reason: String },

    /// One handshake of a host's samples was refused: the run fails rather
    /// than list the other edges' thumbprints around a bad one.
    #[error("{source} (at {at}, with the {profile} ClientHello profile)")]
    Edge {
        at: String,
        profile: &'static str,
        source: Box<Error>,
    },

    #[error("the edges of {source_name} present {count} different top certificates ({thumbprints}), more than the {limit} an IAM OIDC provider can list; check which edges are stale, or pin the thumbprints")]
    TooManyTops {
        source_name: Shown,
        count: usize,
        thumbprints: String,
        limit: usize,
    },

    #[error("gave up after {elapsed:.1?}: the {timeout} s timeout ran out while {stage}; raise timeout if the network is slow")]
    Timeout {
        stage: String,
        /// As the user wrote it (`2.5`).
        timeout: String,
        elapsed: Duration,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
