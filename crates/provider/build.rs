//! Records the target triple, so that `--version` and the by-hand message say what was built and
//! a bug report says what ran (`terraform-provider-oidcthumbprint 0.2.0 (aarch64-unknown-linux-musl)`).

fn main() {
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown target".into());
    println!("cargo:rustc-env=OIDC_THUMBPRINT_TARGET={target}");
    println!("cargo:rerun-if-changed=build.rs");
}
