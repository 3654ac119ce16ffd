//! Arbitrary PEM text and DER: the bundle reader and the chain walk (both
//! the presented-chain and the bundle orders) must never panic or loop.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_thumbprint_core::{certificates_in_pem, walk_bundle, walk_presented};
use rustls_pki_types::{CertificateDer, UnixTime};

/// Stands in for the verified path: the first two intermediates as the
/// input has them, so the walk above it gets arbitrary input.
const FIRST_TWO: &[usize] = &[1, 2];

fuzz_target!(|input: &[u8]| {
    if let Ok(ders) = certificates_in_pem(input) {
        let _ = walk_bundle("fuzz.pem", &ders);
        let _ = walk_presented("fuzz.pem", &ders, FIRST_TWO, UnixTime::now());
    }
    // The same bytes as raw DER, split at a few points into a "chain".
    let parts: Vec<CertificateDer<'_>> = input
        .split(|&b| b == 0xff)
        .map(CertificateDer::from)
        .take(8)
        .collect();
    if let Ok(walk) = walk_presented("fuzz:443", &parts, FIRST_TWO, UnixTime::now()) {
        assert!(!walk.path.is_empty() && walk.path.len() <= walk.certificates.len());
        assert_eq!(walk.top().thumbprint.to_string().len(), 40);
    }
});
