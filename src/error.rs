//! The errors. Each message is the sentence a Terraform user reads in the
//! red "External Program Execution Failed" box, so it names the input or
//! host that failed and, where there is one, the next step.
//!
//! The exit status follows from the type: an [`InputError`] is the caller's
//! to fix (exit 2), a [`FetchError`] is the world's (exit 1). A new variant
//! lands in one of the two, so it cannot fall into the wrong status.

use std::time::Duration;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// `--expect`: the answer was fetched, and it is not the one expected.
    #[error("the top certificate of {source_name} has thumbprint {thumbprint} ({subject}, expires {not_after}), which is not among the expected {expected}")]
    NotExpected {
        source_name: String,
        thumbprint: String,
        subject: String,
        not_after: String,
        expected: String,
    },
}

impl Error {
    /// 2 for bad input or usage, 1 for a failure to fetch or verify, 3 for
    /// a top certificate that `--expect` did not list.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 2,
            Error::Fetch(_) => 1,
            Error::NotExpected { .. } => 3,
        }
    }

    /// Bad input: the value is quoted escaped and cut, since it may hold
    /// anything (a 1 MB URL, an ESC).
    pub(crate) fn invalid(input: &'static str, value: &str, reason: impl Into<String>) -> Self {
        InputError::InvalidInput {
            input,
            value: crate::escape::printable(value),
            reason: reason.into(),
        }
        .into()
    }
}

/// Bad input or usage (exit 2): what the caller gave cannot be used.
#[derive(Debug, Error)]
pub enum InputError {
    #[error("{0}")]
    Usage(String),

    #[error("the query on stdin is empty: Terraform's data \"external\" sends a JSON object such as {{\"url\": \"https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE\"}}")]
    EmptyQuery,

    #[error("the query on stdin is larger than {limit} bytes")]
    QueryTooLarge { limit: usize },

    #[error("the query on stdin is not valid JSON: {0}")]
    QueryNotJson(String),

    #[error("the query on stdin must be a JSON object of strings, got {0}")]
    QueryNotObject(&'static str),

    #[error("query key \"{key}\" must be a string, got {found} (Terraform's data \"external\" only passes strings)")]
    QueryValueNotString { key: String, found: &'static str },

    #[error("query key \"{key}\" is given more than once; give each key once")]
    DuplicateQueryKey { key: String },

    #[error("unknown query key \"{key}\"; accepted keys: {accepted}")]
    UnknownQueryKey { key: String, accepted: &'static str },

    #[error("give exactly one of url, region or host; {0}")]
    TargetCount(String),

    #[error("invalid {input} \"{value}\": {reason}")]
    InvalidInput {
        input: &'static str,
        value: String,
        reason: String,
    },

    /// `ca_file` / `--ca-file` or `--pem`: `option` names which.
    #[error("cannot read {option} {path}: {reason}")]
    CertificateFile {
        option: &'static str,
        path: String,
        reason: String,
    },
}

/// A failure to fetch or verify (exit 1): the input was fine, the network,
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
    NoChain { source_name: String },

    #[error("{source_name} presented {count} certificates, more than the {limit} a certificate chain may hold")]
    ChainTooLong {
        source_name: String,
        count: usize,
        limit: usize,
    },

    #[error("certificate {position} from {source_name} cannot be parsed: {reason}")]
    BadCertificate {
        source_name: String,
        position: usize,
        reason: String,
    },

    #[error("the certificates from {source_name} have no top: the chain loops: {names}")]
    ChainLoops { source_name: String, names: String },

    #[error("{source_name} holds {count} certificates that issued none of the others ({subjects}); keep one chain per file")]
    AmbiguousLeaf {
        source_name: String,
        count: usize,
        subjects: String,
    },

    #[error("OIDC discovery at {url} failed: {reason}; set discovery = \"false\" (or pass --no-discovery) to thumbprint the issuer host itself")]
    Discovery { url: String, reason: String },

    #[error("gave up after {elapsed:.1?}: the {timeout} s timeout ran out while {stage}; raise timeout if the network is slow")]
    Timeout {
        stage: String,
        /// As the user wrote it (`2.5`).
        timeout: String,
        elapsed: Duration,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
