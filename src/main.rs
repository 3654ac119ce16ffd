//! Parses the arguments, calls the core, prints the answer, and maps errors
//! to exit codes: 1 for a failure to fetch or verify, 2 for bad input or
//! usage, 3 for a top that `--expect` did not list.

use std::io::{IsTerminal, Read, Write};
use std::time::Instant;

use oidc_thumbprint::{
    arm_watchdog, fail_and_exit, parse_args, parse_terraform_query, print_and_exit, render,
    report_error, table_width, CliError, Format, Front, Mode, MAX_QUERY_BYTES, USAGE,
};
use oidc_thumbprint_core::{thumbprint, thumbprint_bundle, Deadline, Log, DEFAULT_TIMEOUT};

fn main() {
    let started = Instant::now();
    // A bug must still end as a documented failure: exit 1, nothing on stdout.
    std::panic::set_hook(Box::new(|panic| {
        report_error(&format!("internal error ({panic}); please report it"));
        std::process::exit(1);
    }));
    let mut front = Front::Flags;
    // Exits happen inside the stdout gate, so that the watchdog cannot add
    // a failure status to an answer already written.
    match try_main(started, &mut front) {
        Ok(text) => print_and_exit(&text),
        Err(e) => fail_and_exit(&e.message(front), e.exit_code()),
    }
}

/// Progress notes for `-v` or `OIDC_THUMBPRINT_LOG`, on stderr: Terraform
/// shows stderr only on failure, and a clean stderr keeps a failing run's
/// message readable.
fn note_on_stderr(line: &str) {
    // A closed stderr must not turn a note into a failed run.
    let _ = writeln!(std::io::stderr(), "oidc-thumbprint: {line}");
}

fn try_main(started: Instant, front: &mut Front) -> Result<String, CliError> {
    let invocation = parse_args(std::env::args_os().skip(1))?;
    let verbose = invocation.verbose
        || std::env::var_os("OIDC_THUMBPRINT_LOG").is_some_and(|v| !v.is_empty());
    let log = if verbose {
        Log::to(&note_on_stderr)
    } else {
        Log::silent()
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
            let report = thumbprint_bundle("--pem", &path)?;
            if let Some(expected) = &invocation.expect {
                report.expect_among(expected)?;
            }
            return Ok(render(&report, format, table_width()));
        }
        Mode::Network { request, format } => (request, format),
        Mode::Terraform => {
            *front = Front::Query;
            if std::io::stdin().is_terminal() {
                let _ = write!(std::io::stderr(), "{USAGE}");
                return Err(CliError::usage(
                    "no query on stdin: Terraform mode reads a JSON object from stdin",
                ));
            }
            // Terraform closes stdin after the query; a writer that never
            // does must not hold the run past the default deadline.
            let reading = Deadline::new(started, DEFAULT_TIMEOUT);
            arm_watchdog(reading, "waiting for the query on stdin");
            (parse_terraform_query(&read_stdin()?)?, Format::Json)
        }
    };
    let deadline = Deadline::new(started, request.options().timeout);
    arm_watchdog(deadline, "fetching the certificate chain");
    let report = thumbprint(&request, deadline, log, &|name| std::env::var(name).ok())?;
    if let Some(expected) = &invocation.expect {
        report.expect_among(expected)?;
    }
    Ok(render(&report, format, table_width()))
}

fn read_stdin() -> Result<Vec<u8>, CliError> {
    let mut query = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_QUERY_BYTES as u64 + 1)
        .read_to_end(&mut query)
        .map_err(|e| CliError::usage(format!("cannot read the query on stdin: {e}")))?;
    Ok(query)
}
