//! The thumbprint IAM asks for: the SHA-1 of a certificate's DER encoding.
//! It is 20 bytes here, and 40 lowercase hex digits without colons only
//! where it is shown (what the one-liner's `sed 's/://g' | awk '{print
//! tolower($2)}'` tried to produce).

use std::fmt;
use std::str::FromStr;

use sha1::{Digest, Sha1};

/// A SHA-1 certificate thumbprint: compared as bytes, shown as hex.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Thumbprint([u8; 20]);

impl Thumbprint {
    /// The thumbprint of a DER certificate.
    pub fn of(der: &[u8]) -> Self {
        Thumbprint(Sha1::digest(der).into())
    }

    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }
}

impl From<[u8; 20]> for Thumbprint {
    fn from(bytes: [u8; 20]) -> Self {
        Thumbprint(bytes)
    }
}

/// 40 lowercase hex digits, as IAM lists them.
impl fmt::Display for Thumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for Thumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Thumbprint({self})")
    }
}

/// 40 hex digits in any case, colons allowed: IAM's form and the form
/// `openssl x509 -fingerprint` prints (`9E:99:A4:...`).
impl FromStr for Thumbprint {
    type Err = &'static str;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        const WRONG: &str = "a thumbprint is 40 hex digits (SHA-1)";
        let digits: Vec<u8> = text.trim().bytes().filter(|&b| b != b':').collect();
        if digits.len() != 40 {
            return Err(WRONG);
        }
        let mut bytes = [0u8; 20];
        hex::decode_to_slice(&digits, &mut bytes).map_err(|_| WRONG)?;
        Ok(Thumbprint(bytes))
    }
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
            Thumbprint::of(b"abc").to_string(),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            Thumbprint::of(b"").to_string(),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
        assert_eq!(
            hex::encode(sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn parsed_in_iams_and_openssls_forms() {
        let iam: Thumbprint = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280".parse().unwrap();
        let openssl: Thumbprint = "9E:99:A4:8A:99:60:B1:49:26:BB:7F:3B:02:E2:2D:A2:B0:AB:72:80"
            .parse()
            .unwrap();
        assert_eq!(iam, openssl);
        assert_eq!(
            openssl.to_string(),
            "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
        );
        for bad in ["", "9e99", "zz99a48a9960b14926bb7f3b02e22da2b0ab7280", "é"] {
            assert!(bad.parse::<Thumbprint>().is_err(), "{bad}");
        }
    }
}
