//! The CLI's errors: the core's, and what only the CLI can get wrong (its
//! flags, the stdin query). The exit status follows from the type, with no
//! wildcard arm: 2 for bad input or usage, 1 for a failure to fetch or
//! verify, 3 for a top that `--expect` did not list.

use oidc_thumbprint_core::{printable, Error, ErrorKind, FetchError, Hint, Shown};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum CliError {
    #[error(transparent)]
    Core(#[from] oidc_thumbprint_core::Error),

    #[error("{0}")]
    Usage(String),

    #[error("the query on stdin is empty: Terraform's data \"external\" sends a JSON object such as {{\"url\": \"https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE\"}}")]
    EmptyQuery,

    #[error("the query on stdin is larger than {limit} bytes")]
    QueryTooLarge { limit: usize },

    #[error("the query on stdin is not valid JSON: {0}")]
    QueryNotJson(Shown),

    #[error("the query on stdin must be a JSON object of strings, got {0}")]
    QueryNotObject(&'static str),

    #[error("query key \"{key}\" must be a string, got {found} (Terraform's data \"external\" only passes strings)")]
    QueryValueNotString { key: Shown, found: &'static str },

    #[error("query key \"{key}\" is given more than once; give each key once")]
    DuplicateQueryKey { key: Shown },

    #[error("unknown query key \"{key}\"; accepted keys: {accepted}")]
    UnknownQueryKey { key: Shown, accepted: String },

    #[error("give exactly one of url, region or host; {0}")]
    TargetCount(String),
}

/// Which front end of the CLI asked: the words of a hint name its switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    /// Terraform's data "external", with a query on stdin.
    Query,
    /// A person, with flags.
    Flags,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    /// A query key as a message shows it: escaped and cut, since it may
    /// hold anything (a newline that would forge a second `error:` line).
    pub fn unknown_key(key: &str, accepted: String) -> Self {
        CliError::UnknownQueryKey {
            key: printable(key),
            accepted,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Core(e) => match e.kind() {
                ErrorKind::Input => 2,
                ErrorKind::Fetch => 1,
                ErrorKind::NotExpected => 3,
            },
            CliError::Usage(_)
            | CliError::EmptyQuery
            | CliError::QueryTooLarge { .. }
            | CliError::QueryNotJson(_)
            | CliError::QueryNotObject(_)
            | CliError::QueryValueNotString { .. }
            | CliError::DuplicateQueryKey { .. }
            | CliError::UnknownQueryKey { .. }
            | CliError::TargetCount(_) => 2,
        }
    }

    /// The message, with the next step worded for `front`.
    pub fn message(&self, front: Front) -> String {
        let message = self.message_with_hint(front);
        match (self, front) {
            // Under Terraform, a destroy's refresh runs the program again
            // after the cluster, and with it the issuer, may be gone.
            (CliError::Core(e), Front::Query) if issuer_may_be_gone(e) => format!(
                "{message} (if this is terraform destroy and the cluster is gone, run terraform destroy -refresh=false: destroying needs no thumbprint)"
            ),
            _ => message,
        }
    }

    fn message_with_hint(&self, front: Front) -> String {
        let hint = match self {
            CliError::Core(e) => e.hint(),
            _ => None,
        };
        match (hint, front) {
            (Some(Hint::TurnOffDiscovery), Front::Query) => {
                format!("{self}; set discovery = \"false\" to thumbprint the issuer host itself")
            }
            (Some(Hint::TurnOffDiscovery), Front::Flags) => {
                format!("{self}; pass --no-discovery to thumbprint the issuer host itself")
            }
            (None, _) => self.to_string(),
        }
    }
}

/// A failure that a deleted cluster gives: its issuer's name no longer
/// resolves or answers, or its discovery document is gone (403, 404 or
/// 410: which of them EKS gives for a deleted cluster's id was not seen
/// here, where there is no AWS).
fn issuer_may_be_gone(error: &Error) -> bool {
    match error {
        Error::Fetch(FetchError::Edge { source, .. }) => issuer_may_be_gone(source),
        Error::Fetch(FetchError::Resolve { .. } | FetchError::Connect { .. }) => true,
        Error::Fetch(FetchError::Discovery { reason, .. }) => ["403", "404", "410"]
            .iter()
            .any(|status| reason.contains(&format!(" answered {status} "))),
        _ => false,
    }
}
