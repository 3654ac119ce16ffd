//! One deadline for the whole run: DNS, every connect attempt, the proxy, the
//! handshake and discovery all draw on the same budget, so that a `terraform
//! plan` is never held longer than `timeout` (the one-liner could wait forever).

use std::io;
use std::time::{Duration, Instant};

use crate::error::{Error, FetchError};

#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    start: Instant,
    timeout: Duration,
}

impl Deadline {
    /// The run's deadline counts from process start, so reading stdin and
    /// parsing draw on it as well.
    pub fn new(start: Instant, timeout: Duration) -> Self {
        Deadline { start, timeout }
    }

    pub fn starting_now(timeout: Duration) -> Self {
        Deadline::new(Instant::now(), timeout)
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
        FetchError::Timeout {
            stage: stage.into(),
            timeout: seconds(self.timeout),
            elapsed: self.start.elapsed(),
        }
        .into()
    }
}

/// A timeout as the user wrote it: `2.5`, `10`, `0.1` (not `ceil`'s `3`).
pub fn seconds(timeout: Duration) -> String {
    format!("{}", timeout.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeout_is_quoted_as_given() {
        let e = Deadline::starting_now(Duration::from_millis(2500))
            .timeout_error("waiting")
            .to_string();
        assert!(e.contains("the 2.5 s timeout ran out while waiting"), "{e}");
        assert_eq!(seconds(Duration::from_secs(10)), "10");
        assert_eq!(seconds(Duration::from_millis(100)), "0.1");
    }
}
