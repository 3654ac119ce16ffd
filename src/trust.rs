//! The trust anchors and the rustls client configuration: Mozilla's roots
//! from webpki-roots, or the PEM bundle in `ca_file` instead of them.

use std::path::Path;
use std::sync::Arc;

use rustls::client::Resumption;
use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::{CertificateDer, UnixTime};

use crate::error::{FetchError, InputError, Result};
use crate::escape::printable;
use crate::pem;

/// What a session is verified against, kept together so that the walk can
/// ask which path the handshake's verification stands on.
pub struct Trust {
    pub config: Arc<ClientConfig>,
    roots: Arc<RootCertStore>,
}

impl Trust {
    pub fn new(ca_file: Option<&Path>) -> Result<Self> {
        match ca_file {
            Some(path) => {
                let fail = |reason: String| InputError::CertificateFile {
                    option: "ca_file",
                    path: printable(&path.display().to_string()),
                    reason,
                };
                let anchors = pem::read_certificates(path).map_err(fail)?;
                Trust::with_anchors(anchors).map_err(|reason| fail(reason).into())
            }
            None => Trust::with_roots(RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            }),
        }
    }

    /// Trusts exactly `anchors` (DER certificates), as `ca_file` does.
    pub fn with_anchors(anchors: Vec<Vec<u8>>) -> std::result::Result<Self, String> {
        let mut roots = RootCertStore::empty();
        for (index, der) in anchors.into_iter().enumerate() {
            roots.add(CertificateDer::from(der)).map_err(|e| {
                format!(
                    "certificate {} is not a usable trust anchor: {e}",
                    index + 1
                )
            })?;
        }
        Trust::with_roots(roots).map_err(|e| e.to_string())
    }

    fn with_roots(roots: RootCertStore) -> Result<Self> {
        let roots = Arc::new(roots);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| FetchError::TlsSetup(e.to_string()))?
            .with_root_certificates(Arc::clone(&roots))
            .with_no_client_auth();
        // A resumed session presents no certificates, and rustls keys its
        // cache by name only: the chain of another port of the same host
        // would be reported as this one's. Every thumbprinted handshake is full.
        config.resumption = Resumption::disabled();
        Ok(Trust {
            config: Arc::new(config),
            roots,
        })
    }

    /// The intermediates of the path from `leaf` to one of the roots, as
    /// webpki builds it (the same function, roots and algorithms as the
    /// handshake). webpki tries candidates in the order given, so the caller
    /// orders them to make the path a function of the set, not the wire.
    pub fn verified_intermediates(
        &self,
        leaf: &[u8],
        candidates: &[&[u8]],
    ) -> std::result::Result<Vec<Vec<u8>>, String> {
        let leaf = CertificateDer::from(leaf);
        let end_entity = webpki::EndEntityCert::try_from(&leaf).map_err(|e| e.to_string())?;
        let intermediates: Vec<CertificateDer<'_>> = candidates
            .iter()
            .map(|der| CertificateDer::from(*der))
            .collect();
        // The handshake's own provider: its algorithms, not a second copy.
        let algorithms = &self
            .config
            .crypto_provider()
            .signature_verification_algorithms;
        let path = end_entity
            .verify_for_usage(
                algorithms.all,
                &self.roots.roots,
                &intermediates,
                UnixTime::now(),
                webpki::KeyUsage::server_auth(),
                None,
                None,
            )
            .map_err(|e| e.to_string())?;
        Ok(path
            .intermediate_certificates()
            .map(|cert| cert.der().to_vec())
            .collect())
    }
}
