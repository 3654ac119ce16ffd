//! `--pem FILE`: the offline mode. Reads a PEM bundle and walks it the same
//! way as a presented chain, with no network and so no verification.

use std::path::Path;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::chain::walk_bundle;
use crate::error::{Error, Result};
use crate::output::{Report, Source};
use crate::trust::read_limited;

const MAX_PEM_BYTES: u64 = 16 * 1024 * 1024;

pub fn thumbprint_bundle(path: &Path) -> Result<Report> {
    let name = path.display().to_string();
    let fail = |reason: String| Error::PemBundle {
        path: name.clone(),
        reason,
    };
    let text = read_limited(path, MAX_PEM_BYTES).map_err(fail)?;
    let ders = certificates_in_pem(&text).map_err(fail)?;
    Ok(Report {
        walk: walk_bundle(&name, &ders)?,
        source: Source::PemFile(name),
        discovery: None,
    })
}

/// The DER of every `CERTIFICATE` block in `text`; other blocks are skipped.
pub fn certificates_in_pem(text: &[u8]) -> std::result::Result<Vec<Vec<u8>>, String> {
    let ders = CertificateDer::pem_slice_iter(text)
        .enumerate()
        .map(|(index, cert)| {
            cert.map(|c| c.as_ref().to_vec())
                .map_err(|e| format!("PEM certificate {} is malformed: {e}", index + 1))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    if ders.is_empty() {
        return Err("it holds no PEM certificates (-----BEGIN CERTIFICATE-----)".into());
    }
    Ok(ders)
}
