//! The last line of defence against a hang: whatever any thread is doing,
//! the process ends shortly after the deadline with exit status 1 and
//! nothing on stdout. It never waits on a lock that a blocked writer may
//! hold: not the stdout gate (a writer past it gets a short grace), and not
//! stderr's (its message is written from a helper thread it does not wait
//! for, so a stderr that is a full pipe nobody reads cannot hold the exit).

use std::io::Write;
use std::sync::{mpsc, Mutex, Once};
use std::thread;
use std::time::{Duration, Instant};

use oidc_thumbprint_core::Deadline;

use crate::stdout_gate;

/// The exit status of a run the watchdog ends: a failure to fetch in time.
const EXIT_FAILURE: i32 = 1;
/// Time the code's own deadline handling gets before the watchdog steps in.
const GRACE: Duration = Duration::from_millis(500);
/// How long a writer already past the stdout gate, or the message on
/// stderr, may take before the watchdog ends the process anyway.
const WRITER_GRACE: Duration = Duration::from_millis(100);
/// How often the watchdog looks at `ARMED`, which a later `arm` may change.
const TICK: Duration = Duration::from_millis(50);

/// The deadline being watched and what the run was doing meanwhile.
static ARMED: Mutex<Option<(Deadline, String)>> = Mutex::new(None);
static STARTED: Once = Once::new();

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
        if stdout_gate::writer_is_past_the_gate() {
            // A writer is past the gate: let it finish if it can.
            thread::sleep(WRITER_GRACE);
        }
        report_within(
            &format!("error: {}\n", deadline.timeout_error(stage)),
            WRITER_GRACE,
        );
        std::process::exit(EXIT_FAILURE);
    }
}

/// Writes `message` to stderr from a helper thread, waiting at most
/// `grace` for it: the main thread may hold stderr's lock, blocked on a
/// pipe nobody reads.
fn report_within(message: &str, grace: Duration) {
    let (done, written) = mpsc::channel();
    let message = message.to_string();
    thread::spawn(move || {
        let _ = std::io::stderr().write_all(message.as_bytes());
        let _ = done.send(());
    });
    let _ = written.recv_timeout(grace);
}
