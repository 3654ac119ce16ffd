//! Parses the arguments, runs the library, maps errors to exit codes:
//! 1 for a failure to fetch or verify, 2 for bad input or usage.

use std::io::{IsTerminal, Read};
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
        eprintln!("error: internal error ({panic}); please report it");
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
        Mode::Pem { path, format } => return Ok(render(&pem::thumbprint_bundle(&path)?, format)),
        Mode::Network { request, format } => (request, format),
        Mode::Terraform => {
            if std::io::stdin().is_terminal() {
                eprint!("{USAGE}");
                return Err(Error::Usage(
                    "no query on stdin: Terraform mode reads a JSON object from stdin".into(),
                ));
            }
            // Terraform closes stdin after the query; a writer that never
            // does must not hold the run past the default deadline.
            watchdog::arm(started + DEFAULT_TIMEOUT, DEFAULT_TIMEOUT);
            (parse_terraform_query(&read_stdin()?)?, Format::Json)
        }
    };
    let timeout = request.options.timeout;
    watchdog::arm(started + timeout, timeout);
    let deadline = Deadline::starting_now(timeout.saturating_sub(started.elapsed()));
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
