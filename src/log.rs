//! Progress notes (retries, proxies, discovery) on stderr, only when asked
//! for with `--verbose` or `OIDC_THUMBPRINT_LOG`: Terraform shows stderr only
//! on failure, and a clean stderr keeps a failing run's message readable.

use std::fmt;
use std::io::Write;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Log {
    pub verbose: bool,
}

impl Log {
    pub fn note(&self, message: fmt::Arguments<'_>) {
        if self.verbose {
            // A closed stderr must not turn a note into a failed run.
            let _ = writeln!(std::io::stderr(), "oidc-thumbprint: {message}");
        }
    }
}

/// `note!(log, "format", args..)`: a progress note, formatted only when
/// `log` is verbose.
macro_rules! note {
    ($log:expr, $($arg:tt)*) => {
        $log.note(format_args!($($arg)*))
    };
}
pub(crate) use note;
