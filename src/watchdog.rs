//! The last line of defence against a hang: whatever any thread is doing,
//! the process ends shortly after the deadline with the deadline's own
//! message and nothing on stdout. A gate lets only one writer start, so the
//! output is written whole or not at all; the watchdog does not wait for a
//! writer that is stuck on a pipe nobody reads.
//!
//! Every write to stderr here ignores its error: a closed stderr or
//! `/dev/full` must not turn a clean exit status into a panic (SIGABRT).

use std::io::Write;
use std::sync::{Mutex, Once};
use std::thread;
use std::time::{Duration, Instant};

use crate::deadline::Deadline;
/// The exit status of a run the watchdog ends: a failure to fetch in time.
const EXIT_FAILURE: i32 = 1;

static STDOUT_GATE: Mutex<()> = Mutex::new(());

/// Time the code's own deadline handling gets before the watchdog steps in.
const GRACE: Duration = Duration::from_millis(500);
/// How long a writer already past the gate may take to finish before the
/// watchdog ends the process anyway.
const WRITER_GRACE: Duration = Duration::from_millis(100);

/// The deadline being watched and what the run was doing meanwhile.
static ARMED: Mutex<Option<(Deadline, String)>> = Mutex::new(None);
static STARTED: Once = Once::new();
/// How often the watchdog looks at `ARMED`, which a later `arm` may change.
const TICK: Duration = Duration::from_millis(50);

/// Ends the process with exit status 1 at `deadline` plus a short grace,
/// reporting the deadline's timeout error for `stage`. A later call
/// replaces the deadline.
pub fn arm_watchdog(deadline: Deadline, stage: &str) {
    if let Ok(mut armed) = ARMED.lock() {
        *armed = Some((deadline, stage.to_string()));
    }
    STARTED.call_once(|| {
        thread::spawn(watch);
    });
}

fn watch() {
    loop {
        let armed = ARMED.lock().ok().and_then(|armed| armed.clone());
        let Some((deadline, stage)) = armed else {
            thread::sleep(TICK);
            continue;
        };
        let fire_at = deadline.at() + GRACE;
        let now = Instant::now();
        if now < fire_at {
            thread::sleep((fire_at - now).min(TICK));
            continue;
        }
        if STDOUT_GATE.try_lock().is_err() {
            // A writer is past the gate: let it finish if it can.
            thread::sleep(WRITER_GRACE);
        }
        report_error(&deadline.timeout_error(stage).to_string());
        std::process::exit(EXIT_FAILURE);
    }
}

/// Writes `text` to stdout whole and ends the process with status 0, unless
/// the watchdog fired first. The gate is held until the process ends, so no
/// second writer can start.
pub fn print_and_exit(text: &str) -> ! {
    let _gate = STDOUT_GATE.lock();
    if stdout_was_closed() {
        report_error("cannot write to stdout: it is closed");
        std::process::exit(EXIT_FAILURE)
    }
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            report_error(&format!("cannot write to stdout: {e}"));
            std::process::exit(EXIT_FAILURE)
        }
    }
}

/// Reports `message` on stderr and ends the process with `code`.
pub fn fail_and_exit(message: &str, code: u8) -> ! {
    let _gate = STDOUT_GATE.lock();
    report_error(message);
    std::process::exit(i32::from(code))
}

/// `error: MESSAGE` on stderr, if stderr takes it.
pub fn report_error(message: &str) {
    let _ = writeln!(std::io::stderr(), "error: {message}");
}

/// Rust's runtime reopens a closed stdout as `/dev/null`, read-write, before
/// `main`, and writes there succeed: `oidc-thumbprint >&-` would exit 0 with
/// the answer lost. A shell's `>/dev/null` opens it write-only, so
/// `/dev/null` open read-write on fd 1 means the caller closed stdout.
#[cfg(unix)]
fn stdout_was_closed() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    // SAFETY: F_GETFL only reads the flags of fd 1; it touches no memory.
    let flags = unsafe { libc::fcntl(1, libc::F_GETFL) };
    if flags < 0 || flags & libc::O_ACCMODE != libc::O_RDWR {
        return false;
    }
    let stdout_device = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|file| file.metadata());
    match (stdout_device, std::fs::metadata("/dev/null")) {
        (Ok(stdout), Ok(null)) => stdout.rdev() == null.rdev() && stdout.dev() == null.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn stdout_was_closed() -> bool {
    false
}
