//! Progress notes (retries, proxies, discovery) go to a sink the caller
//! passes: the CLI's `-v` writes them to stderr, a provider to its log, a
//! test to a buffer. The core itself never writes to stdout or stderr.

use std::fmt;

/// Where notes go; [`Log::silent`] (the default) drops them unformatted.
#[derive(Clone, Copy, Default)]
pub struct Log<'a> {
    sink: Option<&'a (dyn Fn(&str) + Sync)>,
}

impl<'a> Log<'a> {
    /// Each note is one line of text, without a trailing newline.
    pub fn to(sink: &'a (dyn Fn(&str) + Sync)) -> Self {
        Log { sink: Some(sink) }
    }

    pub fn silent() -> Self {
        Log { sink: None }
    }

    pub(crate) fn note(&self, message: fmt::Arguments<'_>) {
        if let Some(sink) = self.sink {
            sink(&message.to_string());
        }
    }
}

impl fmt::Debug for Log<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.sink.is_some() {
            "Log(sink)"
        } else {
            "Log(silent)"
        })
    }
}

/// `note!(log, "format", args..)`: a progress note, formatted only when
/// someone listens.
macro_rules! note {
    ($log:expr, $($arg:tt)*) => {
        $log.note(format_args!($($arg)*))
    };
}
pub(crate) use note;
