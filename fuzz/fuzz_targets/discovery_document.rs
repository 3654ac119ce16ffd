//! Arbitrary discovery documents: jwks_uri extraction returns a URL or a
//! reason, never panics, and only ever returns https:// URLs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_thumbprint_core::jwks_uri_from_document;

fuzz_target!(|body: &[u8]| {
    if let Ok(uri) = jwks_uri_from_document(body) {
        assert!(uri.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")), "{uri}");
    }
});
