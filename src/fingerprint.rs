//! The thumbprint IAM asks for: the SHA-1 of a certificate's DER encoding,
//! as 40 lowercase hex digits without colons (what the one-liner's
//! `sed 's/://g' | awk '{print tolower($2)}'` tried to produce).

use sha1::{Digest, Sha1};

pub fn sha1_thumbprint(der: &[u8]) -> String {
    hex::encode(Sha1::digest(der))
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
    }
}
