//! Parses the arguments, runs the library, maps errors to exit codes:
//! 1 for a failure to fetch or verify, 2 for bad input or usage.

use std::io::{IsTerminal, Read, Write};
use std::time::Instant;

use oidc_thumbprint::{
    arm_watchdog, fail_and_exit, parse_args, parse_terraform_query, print_and_exit, render,
    report_error, table_width, thumbprint, thumbprint_bundle, Deadline, Error, Format, InputError,
    Log, Mode, DEFAULT_TIMEOUT, MAX_QUERY_BYTES, USAGE,
};

fn main() {
    let started = Instant::now();
    // A bug must still end as a documented failure: exit 1, nothing on stdout.
    std::panic::set_hook(Box::new(|panic| {
        report_error(&format!("internal error ({panic}); please report it"));
        std::process::exit(1);
    }));
    // Exits happen inside the stdout gate (watchdog.rs), so that the watchdog
    // cannot add a failure status to an answer already written.
    match try_main(started) {
        Ok(text) => print_and_exit(&text),
        Err(e) => fail_and_exit(&e.to_string(), e.exit_code()),
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
        Mode::Version => {
            return Ok(format!(
                "oidc-thumbprint {} ({})\n",
                env!("CARGO_PKG_VERSION"),
                env!("OIDC_THUMBPRINT_TARGET")
            ))
        }
        Mode::Pem {
            path,
            format,
            timeout,
        } => {
            // A file on a hung network mount must not hold the run either.
            arm_watchdog(Deadline::new(started, timeout), "reading --pem");
            let report = thumbprint_bundle(&path)?;
            if let Some(expected) = &invocation.expect {
                report.expect_one_of(expected)?;
            }
            return Ok(render(&report, format, table_width()));
        }
        Mode::Network { request, format } => (request, format),
        Mode::Terraform => {
            if std::io::stdin().is_terminal() {
                let _ = write!(std::io::stderr(), "{USAGE}");
                return Err(InputError::Usage(
                    "no query on stdin: Terraform mode reads a JSON object from stdin".into(),
                )
                .into());
            }
            // Terraform closes stdin after the query; a writer that never
            // does must not hold the run past the default deadline.
            let reading = Deadline::new(started, DEFAULT_TIMEOUT);
            arm_watchdog(reading, "waiting for the query on stdin");
            (parse_terraform_query(&read_stdin()?)?, Format::Json)
        }
    };
    let deadline = Deadline::new(started, request.options.timeout);
    arm_watchdog(deadline, "fetching the certificate chain");
    let report = thumbprint(&request, deadline, log, |name| std::env::var(name).ok())?;
    if let Some(expected) = &invocation.expect {
        report.expect_one_of(expected)?;
    }
    Ok(render(&report, format, table_width()))
}

fn read_stdin() -> Result<Vec<u8>, Error> {
    let mut query = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_QUERY_BYTES as u64 + 1)
        .read_to_end(&mut query)
        .map_err(|e| InputError::Usage(format!("cannot read the query on stdin: {e}")))?;
    Ok(query)
}
