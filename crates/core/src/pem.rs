//! PEM certificate files, for `--pem FILE` and `ca_file`.

use std::io::Read;
use std::path::Path;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

/// A CA bundle is a few hundred KiB; a bigger file is the wrong file.
const MAX_PEM_BYTES: u64 = 16 * 1024 * 1024;

/// The DER of every certificate in the PEM file at `path`, or why there is
/// none, in words fit for a message about that file.
pub fn read_certificates(path: &Path) -> std::result::Result<Vec<CertificateDer<'static>>, String> {
    certificates_in_pem(&read_file(path)?)
}

/// The bytes of the PEM file at `path`, refusing what is not a regular file
/// or is too large to be a CA bundle.
pub fn read_file(path: &Path) -> std::result::Result<Vec<u8>, String> {
    // Checked before opening: opening a FIFO for reading waits for a writer,
    // and a device can be read forever.
    let kind = std::fs::metadata(path)
        .map_err(|e| e.to_string())?
        .file_type();
    if !kind.is_file() {
        let what = if kind.is_dir() {
            "a directory"
        } else {
            "a FIFO, socket or device"
        };
        return Err(format!("it is {what}, not a regular file"));
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let metadata = file.metadata().map_err(|e| e.to_string())?;
    // Sized up front: one read instead of a doubling series of small ones.
    let mut text = Vec::with_capacity(metadata.len().min(MAX_PEM_BYTES) as usize + 1);
    file.take(MAX_PEM_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|e| e.to_string())?;
    if text.len() as u64 > MAX_PEM_BYTES {
        return Err(format!("it is larger than {MAX_PEM_BYTES} bytes"));
    }
    Ok(text)
}

/// The DER of every `CERTIFICATE` block in `text`; other blocks are skipped.
pub fn certificates_in_pem(
    text: &[u8],
) -> std::result::Result<Vec<CertificateDer<'static>>, String> {
    let ders = CertificateDer::pem_slice_iter(text)
        .enumerate()
        .map(|(index, cert)| {
            cert.map_err(|e| format!("PEM certificate {} is malformed: {e}", index + 1))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    if ders.is_empty() {
        return Err("it holds no PEM certificates (-----BEGIN CERTIFICATE-----)".into());
    }
    Ok(ders)
}
