//! The integration tests: the real binary, run the way Terraform runs it,
//! against servers the tests start on 127.0.0.1 and ::1. One test crate (as
//! ripgrep and fd have), so the helpers in `common` are built once.

mod common;

mod bad_input;
mod chains;
mod cli;
mod discovery;
mod exit_status;
mod faults;
mod messages;
mod output_discipline;
mod proxies;
mod refusals;
mod sampling;
