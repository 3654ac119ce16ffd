//! `terraform-provider-oidcthumbprint`: Terraform starts it, reads the
//! handshake line on stdout, and calls it over gRPC (src/terraform.rs).
//! Run by hand, it says what it is and exits, instead of listening for a
//! Terraform that never comes.

mod answer;
mod settings;
mod terraform;

use std::io::Write;
use std::process::ExitCode;

/// go-plugin's handshake cookie: Terraform sets it for every provider it
/// starts, and a plugin refuses to serve without it.
const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

const VERSION: &str = concat!(
    "terraform-provider-oidcthumbprint ",
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("OIDC_THUMBPRINT_TARGET"),
    ")"
);

fn by_hand_message() -> String {
    format!(
        "{VERSION}\n\
         This is a Terraform provider: Terraform starts it, it is not run by hand.\n\
         Use it from a configuration:\n\
         \n\
         terraform {{\n  required_providers {{\n    oidcthumbprint = {{\n      source = \"oidc-thumbprint/oidcthumbprint\"\n    }}\n  }}\n}}\n\
         \n\
         data \"oidcthumbprint_issuer\" \"cluster\" {{\n  url = aws_eks_cluster.this.identity[0].oidc[0].issuer\n}}\n\
         \n\
         then run `terraform init`. To thumbprint an issuer from a shell, use the oidc-thumbprint CLI.\n"
    )
}

fn main() -> ExitCode {
    // Before any thread starts: a diagnostic must never carry a backtrace,
    // and std captures one for every error while these are set.
    std::env::remove_var("RUST_BACKTRACE");
    std::env::remove_var("RUST_LIB_BACKTRACE");
    std::panic::set_hook(Box::new(|panic| {
        let _ = writeln!(
            std::io::stderr(),
            "terraform-provider-oidcthumbprint: internal error ({panic}); please report it"
        );
    }));
    let mut args = std::env::args_os().skip(1);
    match args.next() {
        Some(flag) if flag == "--version" || flag == "-V" => {
            println!("{VERSION}");
            return ExitCode::SUCCESS;
        }
        Some(_) => {
            let _ = write!(std::io::stderr(), "{}", by_hand_message());
            return ExitCode::from(2);
        }
        None => {}
    }
    if std::env::var(MAGIC_COOKIE_KEY).as_deref() != Ok(MAGIC_COOKIE_VALUE) {
        let _ = write!(std::io::stderr(), "{}", by_hand_message());
        return ExitCode::from(1);
    }
    ignore_interrupts();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return failed(&format!("cannot start the runtime: {e}")),
    };
    let served = runtime.block_on(terraform::serve());
    // A read still on its blocking thread ends by its own deadline; the
    // process need not wait for it once Terraform has gone.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => failed(&e),
    }
}

fn failed(message: &str) -> ExitCode {
    let _ = writeln!(
        std::io::stderr(),
        "terraform-provider-oidcthumbprint: {message}"
    );
    ExitCode::from(1)
}

/// Ctrl-C reaches every process in Terraform's group; Terraform itself
/// stops its providers (StopProvider, then the controller's Shutdown), as
/// go-plugin's plugins expect, so the signal is not the provider's to act on.
#[cfg(unix)]
fn ignore_interrupts() {
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler
    // code; it is done before the runtime's threads start.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}

#[cfg(not(unix))]
fn ignore_interrupts() {}
