//! The thumbprint IAM asks for: the SHA-1 of a certificate's DER encoding,
//! as 40 lowercase hex digits without colons (what the one-liner's
//! `sed 's/://g' | awk '{print tolower($2)}'` tried to produce).

use sha1::{Digest, Sha1};

pub fn sha1_thumbprint(der: &[u8]) -> String {
    hex::encode(Sha1::digest(der))
}

/// SHA-256 of `der`: the last tie-breaker between candidate links, a value
/// no server can choose for a certificate it did not make.
pub fn sha256(der: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sha1_vectors() {
        // FIPS 180-2 appendix A.1 and the empty string.
        assert_eq!(
            sha1_thumbprint(b"abc"),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            sha1_thumbprint(b""),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
        assert_eq!(
            hex::encode(sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
