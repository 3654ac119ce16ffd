//! The one way out of the process: the answer on stdout, written whole, or
//! a message on stderr, under a gate that lets only one of them start. The
//! watchdog (watchdog.rs) checks the gate, so it cannot add a failure status
//! to an answer already written.
//!
//! Every write to stderr here ignores its error: a closed stderr or
//! `/dev/full` must not turn a clean exit status into a panic (SIGABRT).

use std::io::Write;
use std::sync::Mutex;

const EXIT_FAILURE: i32 = 1;

static GATE: Mutex<()> = Mutex::new(());

/// Whether a writer holds the gate now.
pub fn writer_is_past_the_gate() -> bool {
    GATE.try_lock().is_err()
}

/// Writes `text` to stdout whole and ends the process with status 0, unless
/// the watchdog fired first. The gate is held until the process ends, so no
/// second writer can start.
pub fn print_and_exit(text: &str) -> ! {
    let _gate = GATE.lock();
    if stdout_closed_at_start() {
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
    let _gate = GATE.lock();
    report_error(message);
    std::process::exit(i32::from(code))
}

/// `error: MESSAGE` on stderr, if stderr takes it.
pub fn report_error(message: &str) {
    let _ = writeln!(std::io::stderr(), "error: {message}");
}

/// Whether fd 1 was closed when the process started (`oidc-thumbprint
/// >&-`). Rust's runtime reopens a closed fd 1 as `/dev/null` before
/// `main`, where writes succeed, so the answer would be lost with exit 0;
/// and a caller's own `/dev/null` (Python's `subprocess.DEVNULL`, Node's
/// `stdio: 'ignore'`) looks the same afterwards. So fd 1 is looked at
/// before the runtime starts, from the executable's initialisers, which the
/// loader runs before `main` (as the `ctor` crate does).
#[cfg(unix)]
fn stdout_closed_at_start() -> bool {
    closed_at_start::STDOUT.load(std::sync::atomic::Ordering::Relaxed)
}

#[cfg(not(unix))]
fn stdout_closed_at_start() -> bool {
    false
}

#[cfg(unix)]
mod closed_at_start {
    use std::sync::atomic::{AtomicBool, Ordering};

    pub static STDOUT: AtomicBool = AtomicBool::new(false);

    extern "C" fn record() {
        // SAFETY: F_GETFD only asks whether fd 1 is open; it touches no memory.
        let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } == -1;
        STDOUT.store(closed, Ordering::Relaxed);
    }

    #[cfg(not(target_vendor = "apple"))]
    #[used]
    #[link_section = ".init_array"]
    static RECORD: extern "C" fn() = record;

    #[cfg(target_vendor = "apple")]
    #[used]
    #[link_section = "__DATA,__mod_init_func"]
    static RECORD: extern "C" fn() = record;
}
