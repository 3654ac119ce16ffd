//! The trust anchors and the rustls client configuration: Mozilla's roots
//! from webpki-roots, or the PEM bundle in `ca_file` instead of them.

use std::path::Path;
use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::CertificateDer;

use crate::error::{Error, Result};
use crate::pem;

pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>> {
    let roots = match ca_file {
        Some(path) => roots_from_file(path)?,
        None => RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        },
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Usage(format!("TLS set-up failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

fn roots_from_file(path: &Path) -> Result<RootCertStore> {
    let fail = |reason: String| Error::CaFile {
        path: path.display().to_string(),
        reason,
    };
    let mut roots = RootCertStore::empty();
    for (index, der) in pem::read_certificates(path)
        .map_err(fail)?
        .into_iter()
        .enumerate()
    {
        roots.add(CertificateDer::from(der)).map_err(|e| {
            fail(format!(
                "certificate {} is not a usable trust anchor: {e}",
                index + 1
            ))
        })?;
    }
    Ok(roots)
}
