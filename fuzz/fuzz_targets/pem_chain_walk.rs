//! Arbitrary PEM text and DER: the bundle reader and the chain walk (both
//! the presented-chain and the bundle orders) must never panic or loop.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_thumbprint::{certificates_in_pem, walk_bundle, walk_presented};

/// Stands in for webpki: claims the first two candidates (in preference
/// order) as the verified path, so the walk above it gets arbitrary input.
fn first_two(_leaf: &[u8], candidates: &[&[u8]]) -> oidc_thumbprint::Result<Vec<Vec<u8>>> {
    Ok(candidates.iter().take(2).map(|c| c.to_vec()).collect())
}

fuzz_target!(|input: &[u8]| {
    if let Ok(ders) = certificates_in_pem(input) {
        let _ = walk_bundle("fuzz.pem", &ders);
        let _ = walk_presented("fuzz.pem", &ders, first_two);
    }
    // The same bytes as raw DER, split at a few points into a "chain".
    let parts: Vec<Vec<u8>> = input.split(|&b| b == 0xff).map(<[u8]>::to_vec).take(8).collect();
    if let Ok(walk) = walk_presented("fuzz:443", &parts, first_two) {
        assert!(!walk.path.is_empty() && walk.path.len() <= walk.certificates.len());
        assert_eq!(walk.top().thumbprint.len(), 40);
    }
});
