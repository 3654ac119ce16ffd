//! The `oidc-thumbprint` CLI on the core library: flags and the stdin
//! query into the core's `Request` (cli, query), the answer as Terraform
//! JSON, a line or the `--chain` table (output), and the way out of the
//! process (stdout_gate, watchdog), with exit codes from the error type.
//! main.rs wires them together.

mod cli;
mod error;
mod output;
mod query;
mod stdout_gate;
mod terminal;
mod watchdog;

pub use cli::{parse_args, Invocation, Mode, USAGE};
pub use error::{CliError, Front};
pub use output::{render, Format};
pub use query::{parse_terraform_query, MAX_QUERY_BYTES};
pub use stdout_gate::{fail_and_exit, print_and_exit, report_error};
pub use terminal::table_width;
pub use watchdog::arm_watchdog;
