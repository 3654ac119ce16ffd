//! Test PKI made with rcgen: roots, intermediates, cross-signed certificates
//! and leaves for `localhost`, in ECDSA P-256 or RSA-2048. The RSA keys are
//! fixtures (tests/fixtures/rsa-2048-*.key.pem, made with `openssl genpkey`)
//! because ring, rcgen's backend here, cannot generate RSA keys.

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose,
    PKCS_ECDSA_P256_SHA256, PKCS_RSA_SHA256,
};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

const RSA_KEYS: [&str; 4] = [
    include_str!("../../../tests/fixtures/rsa-2048-1.key.pem"),
    include_str!("../../../tests/fixtures/rsa-2048-2.key.pem"),
    include_str!("../../../tests/fixtures/rsa-2048-3.key.pem"),
    include_str!("../../../tests/fixtures/rsa-2048-4.key.pem"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Ecdsa,
    /// RSA-2048 with fixture key number 0..=3.
    Rsa(usize),
}

/// A certificate with its key, able to issue others.
pub struct Issued {
    pub cert: Certificate,
    pub key: KeyPair,
    pub params: CertificateParams,
}

impl Issued {
    pub fn der(&self) -> Vec<u8> {
        self.cert.der().to_vec()
    }

    pub fn pem(&self) -> String {
        self.cert.pem()
    }

    pub fn cert_der(&self) -> CertificateDer<'static> {
        self.cert.der().clone()
    }

    /// The private key as PKCS#8 PEM, for openssl.
    pub fn key_pem(&self) -> String {
        self.key.serialize_pem()
    }

    pub fn key_der(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key.serialize_der()))
    }

    /// SHA-1 of the DER, computed here with the sha1 crate directly and
    /// cross-checked in the tests against openssl where it matters.
    pub fn sha1(&self) -> String {
        use sha1::Digest;
        hex::encode(sha1::Sha1::digest(self.der()))
    }
}

pub fn key(kind: KeyKind) -> KeyPair {
    match kind {
        KeyKind::Ecdsa => KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("ECDSA key"),
        KeyKind::Rsa(n) => {
            KeyPair::from_pem_and_sign_algo(RSA_KEYS[n], &PKCS_RSA_SHA256).expect("RSA fixture key")
        }
    }
}

fn ca_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name.push(DnType::CommonName, name);
    params
        .distinguished_name
        .push(DnType::OrganizationName, "oidc-thumbprint tests");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params
}

pub fn root(name: &str, kind: KeyKind) -> Issued {
    let key = key(kind);
    let params = ca_params(name);
    let cert = params.clone().self_signed(&key).expect("self-signed root");
    Issued { cert, key, params }
}

pub fn intermediate(name: &str, kind: KeyKind, issuer: &Issued) -> Issued {
    let key = key(kind);
    let params = ca_params(name);
    let cert = params
        .clone()
        .signed_by(&key, &issuer.cert, &issuer.key)
        .expect("intermediate");
    Issued { cert, key, params }
}

/// An intermediate that expires `days` from now: an issuer about to roll
/// its CA.
pub fn intermediate_expiring_in(name: &str, kind: KeyKind, issuer: &Issued, days: i64) -> Issued {
    let key = key(kind);
    let mut params = ca_params(name);
    params.not_after = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    let cert = params
        .clone()
        .signed_by(&key, &issuer.cert, &issuer.key)
        .expect("intermediate");
    Issued { cert, key, params }
}

/// The same subject and key as `ca`, signed by `other`: a cross-signed
/// certificate, as the EKS endpoints present for Starfield Services.
pub fn cross_signed(ca: &Issued, other: &Issued) -> Issued {
    reissued(ca, other, |_| {})
}

/// The same subject and key as `ca`, signed by `issuer`, but expired since
/// 2020: an old copy of a CA certificate that a server still sends.
pub fn expired_copy(ca: &Issued, issuer: &Issued) -> Issued {
    reissued(ca, issuer, |params| {
        params.not_before = rcgen::date_time_ymd(2019, 1, 1);
        params.not_after = rcgen::date_time_ymd(2020, 1, 1);
    })
}

/// `ca`'s subject and key in a new certificate signed by `issuer`, its
/// parameters changed by `change`.
fn reissued(ca: &Issued, issuer: &Issued, change: impl FnOnce(&mut CertificateParams)) -> Issued {
    let key = KeyPair::try_from(ca.key.serialize_der()).expect("same key");
    let mut params = ca.params.clone();
    change(&mut params);
    let cert = params
        .clone()
        .signed_by(&key, &issuer.cert, &issuer.key)
        .expect("reissued certificate");
    Issued { cert, key, params }
}

pub fn leaf(kind: KeyKind, issuer: &Issued) -> Issued {
    leaf_for(&["localhost", "127.0.0.1", "::1"], kind, issuer)
}

pub fn leaf_for(names: &[&str], kind: KeyKind, issuer: &Issued) -> Issued {
    let key = key(kind);
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .expect("leaf params");
    params.distinguished_name.push(DnType::CommonName, names[0]);
    params.is_ca = IsCa::ExplicitNoCa;
    let cert = params
        .clone()
        .signed_by(&key, &issuer.cert, &issuer.key)
        .expect("leaf");
    Issued { cert, key, params }
}

pub fn expired_leaf(issuer: &Issued) -> Issued {
    let key = key(KeyKind::Ecdsa);
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).expect("leaf params");
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.not_before = rcgen::date_time_ymd(2019, 1, 1);
    params.not_after = rcgen::date_time_ymd(2020, 1, 1);
    let cert = params
        .clone()
        .signed_by(&key, &issuer.cert, &issuer.key)
        .expect("expired leaf");
    Issued { cert, key, params }
}

/// Root → intermediate → leaf for localhost, all ECDSA.
pub struct SimplePki {
    pub root: Issued,
    pub intermediate: Issued,
    pub leaf: Issued,
}

pub fn simple_pki(kind: KeyKind) -> SimplePki {
    let root = root("Test Root", kind);
    let intermediate = intermediate("Test Intermediate", kind, &root);
    let leaf = leaf(kind, &intermediate);
    SimplePki {
        root,
        intermediate,
        leaf,
    }
}
