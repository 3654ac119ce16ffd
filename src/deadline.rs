//! One deadline for the whole run: DNS, every connect attempt, the proxy, the
//! handshake and discovery all draw on the same budget, so that a `terraform
//! plan` is never held longer than `timeout` (the one-liner could wait forever).

use std::io;
use std::time::{Duration, Instant};

use crate::error::Error;

#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    start: Instant,
    timeout: Duration,
}

impl Deadline {
    pub fn starting_now(timeout: Duration) -> Self {
        Deadline {
            start: Instant::now(),
            timeout,
        }
    }

    pub fn at(&self) -> Instant {
        self.start + self.timeout
    }

    pub fn remaining(&self) -> Duration {
        self.at().saturating_duration_since(Instant::now())
    }

    pub fn expired(&self) -> bool {
        self.remaining().is_zero()
    }

    /// The remaining time as a socket timeout; `io::ErrorKind::TimedOut` once
    /// it is spent (a zero socket timeout would mean "wait forever").
    pub fn socket_timeout(&self) -> io::Result<Duration> {
        let remaining = self.remaining();
        if remaining.is_zero() {
            Err(io::Error::new(io::ErrorKind::TimedOut, "deadline reached"))
        } else {
            Ok(remaining)
        }
    }

    pub fn timeout_error(&self, stage: impl Into<String>) -> Error {
        Error::Timeout {
            stage: stage.into(),
            timeout_secs: self.timeout.as_secs_f64().ceil() as u64,
            elapsed: self.start.elapsed(),
        }
    }
}
