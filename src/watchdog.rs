//! The last line of defence against a hang: whatever the code is doing, the
//! process ends shortly after the deadline with an error and nothing on
//! stdout. Stdout and the watchdog share one lock, so the output is either
//! written whole or not at all.

use std::io::Write;
use std::sync::{Mutex, Once};
use std::thread;
use std::time::{Duration, Instant};

use crate::error::EXIT_FAILURE;

static STDOUT_GATE: Mutex<()> = Mutex::new(());

/// Time the code's own deadline handling gets before the watchdog steps in.
const GRACE: Duration = Duration::from_millis(500);

/// When the watchdog fires, and the timeout to name in its message.
static FIRE_AT: Mutex<Option<(Instant, Duration)>> = Mutex::new(None);
static STARTED: Once = Once::new();
/// How often the watchdog looks at `FIRE_AT`, which a later `arm` may move.
const TICK: Duration = Duration::from_millis(50);

/// Ends the process with exit status 1 at `deadline` plus a short grace. A
/// later call replaces the deadline.
pub fn arm(deadline: Instant, timeout: Duration) {
    if let Ok(mut fire_at) = FIRE_AT.lock() {
        *fire_at = Some((deadline + GRACE, timeout));
    }
    STARTED.call_once(|| {
        thread::spawn(watch);
    });
}

fn watch() {
    loop {
        let armed = FIRE_AT.lock().ok().and_then(|fire_at| *fire_at);
        if let Some((fire_at, timeout)) = armed {
            let now = Instant::now();
            if now >= fire_at {
                let _gate = STDOUT_GATE.lock();
                eprintln!(
                    "error: gave up: the {} s timeout ran out; raise timeout if the network is slow",
                    timeout.as_secs_f64()
                );
                std::process::exit(EXIT_FAILURE);
            }
            thread::sleep((fire_at - now).min(TICK));
        } else {
            thread::sleep(TICK);
        }
    }
}

/// Writes `text` to stdout whole and ends the process with status 0, unless
/// the watchdog fired first. The gate is held until the process ends, so
/// the watchdog cannot add exit status 1 to a printed answer.
pub fn print_and_exit(text: &str) -> ! {
    let _gate = STDOUT_GATE.lock();
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            std::process::exit(EXIT_FAILURE)
        }
    }
}

/// Reports `message` on stderr and ends the process with `code`.
pub fn fail_and_exit(message: &str, code: i32) -> ! {
    let _gate = STDOUT_GATE.lock();
    eprintln!("error: {message}");
    std::process::exit(code)
}
