//! Parses the arguments, runs the library, maps errors to exit codes:
//! 1 for a failure to fetch or verify, 2 for bad input or usage.

use std::io::{IsTerminal, Read, Write};
use std::time::Instant;

use oidc_thumbprint::cli::{parse_args, Mode, USAGE};
use oidc_thumbprint::deadline::Deadline;
use oidc_thumbprint::error::Error;
use oidc_thumbprint::log::Log;
use oidc_thumbprint::output::{render, Format};
use oidc_thumbprint::query::{parse_terraform_query, DEFAULT_TIMEOUT, MAX_QUERY_BYTES};
use oidc_thumbprint::{pem, thumbprint, watchdog};

fn main() {
    let started = Instant::now();
    // A bug must still end as a documented failure: exit 1, nothing on stdout.
    std::panic::set_hook(Box::new(|panic| {
        watchdog::report(&format!("internal error ({panic}); please report it"));
        std::process::exit(oidc_thumbprint::error::EXIT_FAILURE);
    }));
    match try_main(started) {
        Ok(text) => watchdog::print_and_exit(&text),
        Err(e) => watchdog::fail_and_exit(&e.to_string(), e.exit_code()),
    }
}

fn try_main(started: Instant) -> Result<String, Error> {
    let invocation = parse_args(std::env::args_os().skip(1))?;
    let log = Log {
        verbose: invocation.verbose
            || std::env::var_os("OIDC_THUMBPRINT_LOG").is_some_and(|v| !v.is_empty()),
    };
    let (request, format) = match invocation.mode {
        Mode::Help => return Ok(USAGE.to_string()),
        Mode::Version => return Ok(format!("oidc-thumbprint {}\n", env!("CARGO_PKG_VERSION"))),
        Mode::Pem {
            path,
            format,
            timeout,
        } => {
            // A file on a hung network mount must not hold the run either.
            watchdog::arm(Deadline::new(started, timeout), "reading --pem");
            return Ok(render(&pem::thumbprint_bundle(&path)?, format));
        }
        Mode::Network { request, format } => (request, format),
        Mode::Terraform => {
            if std::io::stdin().is_terminal() {
                let _ = write!(std::io::stderr(), "{USAGE}");
                return Err(Error::Usage(
                    "no query on stdin: Terraform mode reads a JSON object from stdin".into(),
                ));
            }
            // Terraform closes stdin after the query; a writer that never
            // does must not hold the run past the default deadline.
            let reading = Deadline::new(started, DEFAULT_TIMEOUT);
            watchdog::arm(reading, "waiting for the query on stdin");
            (parse_terraform_query(&read_stdin()?)?, Format::Json)
        }
    };
    let deadline = Deadline::new(started, request.options.timeout);
    watchdog::arm(deadline, "fetching the certificate chain");
    let report = thumbprint(&request, deadline, log, |name| std::env::var(name).ok())?;
    Ok(render(&report, format))
}

fn read_stdin() -> Result<Vec<u8>, Error> {
    let mut query = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_QUERY_BYTES as u64 + 1)
        .read_to_end(&mut query)
        .map_err(|e| Error::Usage(format!("cannot read the query on stdin: {e}")))?;
    Ok(query)
}
