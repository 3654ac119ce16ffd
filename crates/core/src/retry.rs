//! Retrying transient failures: at most three attempts, with short
//! exponential backoff and jitter, and never past the deadline. Verification
//! failures and 4xx answers are final: retrying them only hides the cause.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::thread;
use std::time::Duration;

use crate::deadline::Deadline;
use crate::error::Error;
use crate::log::{note, Log};

pub const MAX_ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(100);

#[derive(Debug)]
pub enum AttemptError {
    /// Worth another attempt: a reset, a dropped connection, a 5xx or 429.
    Transient(Error),
    Final(Error),
}

impl AttemptError {
    /// `error`, worth another attempt or not as `transient` says.
    pub fn new(error: impl Into<Error>, transient: bool) -> Self {
        if transient {
            AttemptError::Transient(error.into())
        } else {
            AttemptError::Final(error.into())
        }
    }
}

pub fn with_retries<T>(
    deadline: &Deadline,
    log: Log<'_>,
    what: &str,
    mut attempt: impl FnMut() -> Result<T, AttemptError>,
) -> Result<T, Error> {
    let mut number = 1;
    loop {
        match attempt() {
            Ok(value) => return Ok(value),
            Err(AttemptError::Final(error)) => return Err(error),
            Err(AttemptError::Transient(error)) => {
                if number >= MAX_ATTEMPTS {
                    return Err(error);
                }
                let pause = backoff(number);
                if pause >= deadline.remaining() {
                    return Err(error);
                }
                note!(
                    log,
                    "{what}: attempt {number} of {MAX_ATTEMPTS} failed ({error}); retrying in {pause:?}"
                );
                thread::sleep(pause);
                number += 1;
            }
        }
    }
}

/// 100 ms, 200 ms, ... times a jitter factor in [0.5, 1.5), so that many
/// plans failing together do not retry in lockstep.
fn backoff(attempt: u32) -> Duration {
    let base = FIRST_BACKOFF * 2u32.saturating_pow(attempt - 1);
    let random = RandomState::new().build_hasher().finish();
    let factor = 0.5 + (random % 1000) as f64 / 1000.0;
    base.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::InputError;

    fn deadline() -> Deadline {
        Deadline::starting_now(Duration::from_secs(5))
    }

    #[test]
    fn transient_failures_are_retried_up_to_three_attempts() {
        let mut calls = 0;
        let result: Result<(), Error> = with_retries(&deadline(), Log::silent(), "test", || {
            calls += 1;
            Err(AttemptError::Transient(
                InputError::Usage("reset".into()).into(),
            ))
        });
        assert!(result.is_err());
        assert_eq!(calls, 3);
    }

    #[test]
    fn final_failures_are_not_retried() {
        let mut calls = 0;
        let result: Result<(), Error> = with_retries(&deadline(), Log::silent(), "test", || {
            calls += 1;
            Err(AttemptError::Final(
                InputError::Usage("expired".into()).into(),
            ))
        });
        assert!(result.is_err());
        assert_eq!(calls, 1);
    }

    #[test]
    fn success_after_a_transient_failure() {
        let mut calls = 0;
        let result = with_retries(&deadline(), Log::silent(), "test", || {
            calls += 1;
            if calls == 1 {
                Err(AttemptError::Transient(
                    InputError::Usage("reset".into()).into(),
                ))
            } else {
                Ok(calls)
            }
        });
        assert_eq!(result.unwrap(), 2);
    }

    #[test]
    fn no_retry_past_the_deadline() {
        let spent = Deadline::starting_now(Duration::from_millis(1));
        thread::sleep(Duration::from_millis(5));
        let mut calls = 0;
        let _ = with_retries(&spent, Log::silent(), "test", || -> Result<(), _> {
            calls += 1;
            Err(AttemptError::Transient(
                InputError::Usage("reset".into()).into(),
            ))
        });
        assert_eq!(calls, 1);
    }

    #[test]
    fn backoff_grows_and_is_jittered() {
        for attempt in 1..=2 {
            let base = FIRST_BACKOFF * 2u32.pow(attempt - 1);
            let pause = backoff(attempt);
            assert!(pause >= base / 2 && pause < base * 3 / 2, "{pause:?}");
        }
    }
}
