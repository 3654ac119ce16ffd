//! Arbitrary bytes on stdin: the Terraform query parser must return a
//! request or a usage error (exit 2), never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_thumbprint::parse_terraform_query;

fuzz_target!(|stdin: &[u8]| {
    if let Err(e) = parse_terraform_query(stdin) {
        assert_eq!(e.exit_code(), 2, "bad input must be a usage error: {e}");
    }
});
