//! The trust anchors and the rustls client configuration: Mozilla's roots
//! from webpki-roots, or the PEM bundle in `ca_file` instead of them.

use std::path::Path;
use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::error::{Error, Result};

/// A CA bundle is a few hundred KiB; a bigger file is the wrong file.
const MAX_CA_FILE_BYTES: u64 = 16 * 1024 * 1024;

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
    let pem = read_limited(path, MAX_CA_FILE_BYTES).map_err(fail)?;
    let mut roots = RootCertStore::empty();
    for (index, cert) in CertificateDer::pem_slice_iter(&pem).enumerate() {
        let cert = cert.map_err(|e| fail(format!("PEM block {} is malformed: {e}", index + 1)))?;
        roots.add(cert).map_err(|e| {
            fail(format!(
                "certificate {} is not a usable trust anchor: {e}",
                index + 1
            ))
        })?;
    }
    if roots.is_empty() {
        return Err(fail(
            "it holds no PEM certificates (-----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(roots)
}

/// Reads a file the user named, refusing directories and huge files with a
/// reason fit for a message.
pub fn read_limited(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let metadata = file.metadata().map_err(|e| e.to_string())?;
    if metadata.is_dir() {
        return Err("it is a directory".into());
    }
    // Sized up front: one read instead of a doubling series of small ones.
    let mut bytes = Vec::with_capacity(metadata.len().min(limit) as usize + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("it is larger than {limit} bytes"));
    }
    Ok(bytes)
}
