//! The trust anchors, and the one verification of a presented chain: a
//! rustls certificate verifier that builds the path with webpki inside the
//! handshake, with the handshake's own clock, and keeps the walk over it.
//! rustls-platform-verifier's `Verifier` wraps `WebPkiServerVerifier` the
//! same way; here the wrapper is what learns which path was verified, so
//! nothing is verified twice.

use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_name, Resumption, WebPkiServerVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::server::ParsedCertificate;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, SignatureVerificationAlgorithm, UnixTime};

use crate::chain::{ChainWalk, Links};
use crate::error::{Error, FetchError, InputError, Result};
use crate::escape::{printable, Shown};
use crate::pem;
use crate::request::TrustAnchors;

/// What a ClientHello offers. Servers holding an ECDSA and an RSA
/// certificate pick the chain from the client's signature schemes, and
/// nobody documents what IAM's fetcher offers, so both are sampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Profile {
    /// rustls' normal offer (ECDSA first).
    Default,
    /// Only RSA signature schemes, so a dual-certificate server presents its
    /// RSA chain. The chain's own signatures are still verified with every
    /// algorithm.
    Rsa,
}

impl Profile {
    pub const ALL: [Profile; 2] = [Profile::Default, Profile::Rsa];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Default => "default",
            Profile::Rsa => "rsa",
        }
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One profile's client configuration and the verifier that words its
/// refusals and checks its handshake signatures.
struct ProfileConfig {
    template: ClientConfig,
    checker: Arc<WebPkiServerVerifier>,
}

/// What sessions are verified against, resolved once per request.
pub struct Trust {
    default: ProfileConfig,
    rsa: ProfileConfig,
    roots: Arc<RootCertStore>,
    /// Every algorithm, for the chain's own signatures in either profile.
    algorithms: WebPkiSupportedAlgorithms,
}

impl Trust {
    pub fn new(anchors: &TrustAnchors) -> Result<Self> {
        let from_pem = |option: &'static str, shown: Shown, text: Result<Vec<u8>, String>| {
            let fail = |reason: String| InputError::CertificateFile {
                option,
                path: shown.clone(),
                reason,
            };
            let ders = text
                .and_then(|text| pem::certificates_in_pem(&text))
                .map_err(fail)?;
            let mut roots = RootCertStore::empty();
            for (index, der) in ders.into_iter().enumerate() {
                roots.add(der).map_err(|e| {
                    fail(format!(
                        "certificate {} is not a usable trust anchor: {e}",
                        index + 1
                    ))
                })?;
            }
            Ok::<_, Error>(roots)
        };
        let roots = match anchors {
            TrustAnchors::BuiltIn => RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            },
            TrustAnchors::File(path) => from_pem(
                "ca_file",
                printable(&path.display().to_string()),
                pem::read_file(path),
            )?,
            TrustAnchors::Pem(text) => {
                from_pem("ca_pem", printable("(the PEM given)"), Ok(text.clone()))?
            }
        };
        Trust::with_roots(roots)
    }

    fn with_roots(roots: RootCertStore) -> Result<Self> {
        let roots = Arc::new(roots);
        let provider = rustls::crypto::ring::default_provider();
        let algorithms = provider.signature_verification_algorithms;
        // The ClientHello offers the schemes of `mapping`; `all` (what chain
        // signatures are checked with) stays whole.
        let mut rsa_only = provider.clone();
        rsa_only.signature_verification_algorithms = WebPkiSupportedAlgorithms {
            all: algorithms.all,
            mapping: RSA_MAPPING,
        };
        Ok(Trust {
            default: profile_config(&roots, provider)?,
            rsa: profile_config(&roots, rsa_only)?,
            roots,
            algorithms,
        })
    }

    /// A client configuration for one handshake with `profile`, whose
    /// verifier keeps the walk of the chain it verified.
    pub(crate) fn for_one_handshake(
        &self,
        source_name: &str,
        profile: Profile,
    ) -> (Arc<ClientConfig>, Arc<WalkingVerifier>) {
        let chosen = match profile {
            Profile::Default => &self.default,
            Profile::Rsa => &self.rsa,
        };
        let verifier = Arc::new(WalkingVerifier {
            roots: Arc::clone(&self.roots),
            checker: Arc::clone(&chosen.checker),
            algorithms: self.algorithms,
            source_name: source_name.to_string(),
            outcome: Mutex::new(None),
        });
        let mut config = chosen.template.clone();
        config
            .dangerous()
            .set_certificate_verifier(Arc::clone(&verifier) as Arc<dyn ServerCertVerifier>);
        (Arc::new(config), verifier)
    }

    /// Verifies `chain` (leaf first) for `server_name` at `now` and walks it,
    /// as a handshake does; for tests that need no server.
    #[cfg(test)]
    pub(crate) fn verify_and_walk(
        &self,
        chain: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> std::result::Result<ChainWalk, String> {
        let (_, verifier) = self.for_one_handshake("test", Profile::Default);
        let (leaf, intermediates) = chain.split_first().ok_or("no certificates")?;
        match verifier.verify(leaf, intermediates, server_name, now) {
            Ok(walk) => Ok(walk),
            Err(Refusal::Tls(e)) => Err(e.to_string()),
            Err(Refusal::Walk(e)) => Err(e.to_string()),
        }
    }
}

/// ring's signature schemes for RSA keys, the only ones the `rsa` profile
/// offers (rustls' own table, less ECDSA and Ed25519).
const RSA_MAPPING: &[(
    SignatureScheme,
    &[&'static dyn SignatureVerificationAlgorithm],
)] = &[
    (
        SignatureScheme::RSA_PSS_SHA512,
        &[webpki::ring::RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
    ),
    (
        SignatureScheme::RSA_PSS_SHA384,
        &[webpki::ring::RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
    ),
    (
        SignatureScheme::RSA_PSS_SHA256,
        &[webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
    ),
    (
        SignatureScheme::RSA_PKCS1_SHA512,
        &[webpki::ring::RSA_PKCS1_2048_8192_SHA512],
    ),
    (
        SignatureScheme::RSA_PKCS1_SHA384,
        &[webpki::ring::RSA_PKCS1_2048_8192_SHA384],
    ),
    (
        SignatureScheme::RSA_PKCS1_SHA256,
        &[webpki::ring::RSA_PKCS1_2048_8192_SHA256],
    ),
];

fn profile_config(
    roots: &Arc<RootCertStore>,
    provider: rustls::crypto::CryptoProvider,
) -> Result<ProfileConfig> {
    let provider = Arc::new(provider);
    let checker =
        WebPkiServerVerifier::builder_with_provider(Arc::clone(roots), Arc::clone(&provider))
            .build()
            .map_err(|e| FetchError::TlsSetup(e.to_string()))?;
    let mut template = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| FetchError::TlsSetup(e.to_string()))?
        .with_webpki_verifier(Arc::clone(&checker))
        .with_no_client_auth();
    // A resumed session presents no certificates, and rustls keys its
    // cache by name only: the chain of another port of the same host
    // would be reported as this one's. Every thumbprinted handshake is full.
    template.resumption = Resumption::disabled();
    Ok(ProfileConfig { template, checker })
}

/// Why a chain was refused: by verification (rustls' own error, which
/// tls.rs words) or by the walk (this program's error).
enum Refusal {
    Tls(rustls::Error),
    Walk(Error),
}

/// Verifies like rustls' `WebPkiServerVerifier` (webpki path building with
/// the same roots and algorithms, then the server name) and keeps the walk.
#[derive(Debug)]
pub(crate) struct WalkingVerifier {
    roots: Arc<RootCertStore>,
    /// rustls' own verifier: it words a refusal exactly as rustls does, and
    /// checks the handshake's signatures.
    checker: Arc<WebPkiServerVerifier>,
    algorithms: WebPkiSupportedAlgorithms,
    source_name: String,
    outcome: Mutex<Option<Result<ChainWalk>>>,
}

impl WalkingVerifier {
    /// The walk of the chain this handshake verified; `None` when no chain
    /// was verified (a resumed session, which is never thumbprinted). A
    /// walk that failed after verification is its error.
    pub(crate) fn take_walk(&self) -> Option<Result<ChainWalk>> {
        self.outcome
            .lock()
            .ok()
            .and_then(|mut outcome| outcome.take())
    }

    fn verify(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> std::result::Result<ChainWalk, Refusal> {
        let presented: Vec<&[u8]> = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.as_ref())
            .collect();
        let links = Links::new(&self.source_name, presented, now).map_err(Refusal::Walk)?;
        let offered_indices = links.offer_order();
        let offered: Vec<CertificateDer<'_>> = offered_indices
            .iter()
            .map(|&i| CertificateDer::from(links.der(i)))
            .collect();
        let leaf = webpki::EndEntityCert::try_from(end_entity);
        let path = leaf.as_ref().ok().and_then(|leaf| {
            leaf.verify_for_usage(
                self.algorithms.all,
                &self.roots.roots,
                &offered,
                now,
                webpki::KeyUsage::server_auth(),
                None,
                None,
            )
            .ok()
            .map(|path| {
                // webpki's path borrows the certificates it was offered, so
                // each is found by identity in that list, not by its bytes.
                path.intermediate_certificates()
                    .filter_map(|cert| {
                        offered
                            .iter()
                            .position(|o| std::ptr::eq(o.as_ref().as_ptr(), cert.der().as_ptr()))
                            .map(|position| offered_indices[position])
                    })
                    .collect::<Vec<usize>>()
            })
        });
        let Some(path) = path else {
            // Refused: rustls' verifier says why in its own terms (expiry
            // dates, unknown issuer, the algorithm by name).
            return Err(Refusal::Tls(self.refusal(
                end_entity,
                intermediates,
                server_name,
                now,
            )));
        };
        let parsed = ParsedCertificate::try_from(end_entity).map_err(Refusal::Tls)?;
        verify_server_name(&parsed, server_name).map_err(Refusal::Tls)?;
        links.walk_verified(&path).map_err(Refusal::Walk)
    }

    fn refusal(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> rustls::Error {
        match self
            .checker
            .verify_server_cert(end_entity, intermediates, server_name, &[], now)
        {
            Err(e) => e,
            // Cannot happen with the same roots, algorithms and clock; if it
            // does, the chain is still refused.
            Ok(_) => rustls::Error::General("the certificate chain could not be verified".into()),
        }
    }
}

impl ServerCertVerifier for WalkingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let (outcome, answer) = match self.verify(end_entity, intermediates, server_name, now) {
            Ok(walk) => (Some(Ok(walk)), Ok(ServerCertVerified::assertion())),
            Err(Refusal::Tls(e)) => (None, Err(e)),
            Err(Refusal::Walk(e)) => (
                Some(Err(e)),
                Err(rustls::Error::General(
                    "the presented chain cannot be walked".into(),
                )),
            ),
        };
        if let Ok(mut slot) = self.outcome.lock() {
            *slot = outcome;
        }
        answer
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.checker.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.checker.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.checker.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `rsa` profile's table is rustls' own, less every scheme that is
    /// not RSA: a change in rustls' table shows here.
    #[test]
    fn the_rsa_profile_offers_exactly_rustls_rsa_schemes() {
        let provider = rustls::crypto::ring::default_provider();
        let from_rustls: Vec<SignatureScheme> = provider
            .signature_verification_algorithms
            .mapping
            .iter()
            .map(|(scheme, _)| *scheme)
            .filter(|scheme| format!("{scheme:?}").starts_with("RSA_"))
            .collect();
        let ours: Vec<SignatureScheme> = RSA_MAPPING.iter().map(|(scheme, _)| *scheme).collect();
        assert_eq!(ours, from_rustls);
        assert!(!ours.is_empty());
    }
}
