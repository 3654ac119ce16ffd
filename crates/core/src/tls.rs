//! The rustls handshake over a deadline-bound stream, and TLS failures in
//! the words of this program's messages. The session keeps the walk of the
//! chain its verifier checked (trust.rs), which is what the thumbprint is
//! taken from.

use std::io::{self, Read, Write};

use rustls::{ClientConnection, HandshakeKind, StreamOwned};
use rustls_pki_types::UnixTime;

use crate::chain::ChainWalk;
use crate::deadline::Deadline;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::error::FetchError;
use crate::escape::printable;
use crate::io_error::{describe_io, is_timeout, is_transient_io};
use crate::retry::AttemptError;
use crate::tcp::DeadlineStream;
use crate::trust::{Profile, Trust};

/// A TLS session whose chain was verified, host name included, with the
/// walk over the chain the server presented.
pub struct TlsSession {
    pub walk: ChainWalk,
    stream: StreamOwned<ClientConnection, DeadlineStream>,
}

impl Read for TlsSession {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

impl Write for TlsSession {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

/// Why a handshake failed, for sampling to tell a bad edge from an
/// unreachable one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The chain was refused, could not be walked, or TLS itself failed:
    /// never unioned around.
    Refused,
    /// The server answered `handshake_failure` before sending any
    /// certificate: it has no chain for this profile's signature schemes
    /// (an ECDSA-only server asked for RSA).
    NoChainForProfile,
    /// The connection failed or timed out: the edge was not reached.
    Unreachable,
}

/// A failed handshake: the error, whether another attempt could help, and
/// what kind of failure it was.
#[derive(Debug)]
pub struct HandshakeError {
    pub attempt: AttemptError,
    pub kind: FailureKind,
}

impl From<Box<HandshakeError>> for AttemptError {
    fn from(e: Box<HandshakeError>) -> Self {
        e.attempt
    }
}

/// A full, verified handshake with `endpoint` over `stream`, offering
/// `profile`'s signature schemes.
pub fn handshake(
    trust: &Trust,
    endpoint: &Endpoint,
    stream: DeadlineStream,
    deadline: &Deadline,
    profile: Profile,
) -> Result<TlsSession, Box<HandshakeError>> {
    let failed = |reason: String| FetchError::Handshake {
        endpoint: endpoint.to_string(),
        reason,
    };
    let refused = |error: Error| {
        Box::new(HandshakeError {
            attempt: AttemptError::Final(error),
            kind: FailureKind::Refused,
        })
    };
    let (config, verifier) = trust.for_one_handshake(&endpoint.to_string(), profile);
    let connection = ClientConnection::new(config, endpoint.server_name())
        .map_err(|e| refused(failed(e.to_string()).into()))?;
    let mut stream = StreamOwned::new(connection, stream);
    while stream.conn.is_handshaking() {
        if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
            // The chain verified, and the walk over it failed (a loop, a
            // certificate that does not parse): that is the answer.
            let walked = verifier.take_walk();
            if let Some(Err(walk_error)) = walked {
                return Err(refused(walk_error));
            }
            if is_timeout(&e) && deadline.expired() {
                return Err(Box::new(HandshakeError {
                    attempt: AttemptError::Final(
                        deadline.timeout_error(format!(
                            "waiting for the TLS handshake with {endpoint}"
                        )),
                    ),
                    kind: FailureKind::Unreachable,
                }));
            }
            let tls_error = e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>());
            let failure = failed(match tls_error {
                Some(tls) => describe_tls_error(tls),
                None if e.kind() == io::ErrorKind::UnexpectedEof => {
                    "the server closed the connection during the handshake".into()
                }
                None => describe_io(&e),
            });
            let kind =
                match tls_error {
                    Some(rustls::Error::AlertReceived(
                        rustls::AlertDescription::HandshakeFailure,
                    )) if walked.is_none() => FailureKind::NoChainForProfile,
                    Some(_) => FailureKind::Refused,
                    None => FailureKind::Unreachable,
                };
            // A refused certificate is an answer, not an accident: never retried.
            return Err(Box::new(HandshakeError {
                attempt: AttemptError::new(failure, tls_error.is_none() && is_transient_io(&e)),
                kind,
            }));
        }
    }
    // Resumption is off (trust.rs); should a session resume anyway, its
    // verifier saw no chain, and an earlier server's is not this one's.
    let resumed = stream.conn.handshake_kind() == Some(HandshakeKind::Resumed);
    match verifier.take_walk() {
        Some(Ok(walk)) if !resumed => Ok(TlsSession { walk, stream }),
        Some(Err(walk_error)) => Err(refused(walk_error)),
        _ => Err(refused(
            FetchError::NoChain {
                source_name: printable(&endpoint.to_string()),
            }
            .into(),
        )),
    }
}

fn describe_tls_error(error: &rustls::Error) -> String {
    use rustls::{CertificateError, Error as Tls};
    match error {
        Tls::InvalidCertificate(CertificateError::ExpiredContext { time, not_after }) => format!(
            "certificate expired on {} (now {})",
            utc_date(*not_after),
            utc_date(*time)
        ),
        Tls::InvalidCertificate(CertificateError::Expired) => "certificate expired".into(),
        Tls::InvalidCertificate(CertificateError::NotValidYetContext { time, not_before }) => {
            format!(
                "certificate is not valid until {} (now {}; check the clock)",
                utc_date(*not_before),
                utc_date(*time)
            )
        }
        Tls::InvalidCertificate(CertificateError::NotValidYet) => {
            "certificate is not valid yet (check the clock)".into()
        }
        Tls::InvalidCertificate(CertificateError::NotValidForNameContext { expected, presented }) => {
            // The names come from the server: escaped, and only the first few.
            // rustls words them as `DnsName("a.example")`; the name is inside.
            let unwrap = |n: &str| {
                n.split_once("(\"")
                    .and_then(|(_, rest)| rest.strip_suffix("\")"))
                    .map(str::to_string)
                    .unwrap_or_else(|| n.to_string())
            };
            let mut names: Vec<String> = presented
                .iter()
                .take(5)
                .map(|n| printable(&unwrap(n)).to_string())
                .collect();
            if presented.len() > names.len() {
                names.push(format!("and {} more", presented.len() - names.len()));
            }
            let expected = printable(&expected.to_str());
            if names.is_empty() {
                format!("certificate is not valid for this host name: it names no host, not {expected}")
            } else {
                format!(
                    "certificate is not valid for this host name: it is valid for {}, not {expected}",
                    names.join(", ")
                )
            }
        }
        Tls::InvalidCertificate(CertificateError::NotValidForName) => {
            "certificate is not valid for this host name".into()
        }
        Tls::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "certificate chain does not lead to a trusted root (the built-in Mozilla roots, or ca_file); \
             a TLS-intercepting proxy causes this on purpose"
                .into()
        }
        Tls::InvalidCertificate(CertificateError::BadSignature) => "certificate signature is invalid".into(),
        Tls::InvalidCertificate(
            CertificateError::UnsupportedSignatureAlgorithmContext { signature_algorithm_id, .. }
            | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext {
                signature_algorithm_id,
                ..
            },
        ) => format!(
            "a certificate in the chain is signed with {}, which rustls does not support",
            algorithm_name(signature_algorithm_id)
        ),
        Tls::InvalidCertificate(other) => format!("certificate rejected: {}", short_debug(other)),
        Tls::InvalidMessage(rustls::InvalidMessage::HandshakePayloadTooLarge) => {
            "the server sent a handshake message larger than 64 KiB (an oversized certificate chain)".into()
        }
        other => printable(&other.to_string()).to_string(),
    }
}

/// The name of the signature algorithm in a DER AlgorithmIdentifier (its
/// contents, as rustls reports them), or its dotted OID. A short table of
/// the algorithms certificates use, rather than a whole OID registry.
fn algorithm_name(algorithm_identifier: &[u8]) -> String {
    use std::borrow::Cow;
    use x509_parser::der_parser::oid::Oid;
    const NAMES: &[(&str, &str)] = &[
        ("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
        ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
        ("1.2.840.113549.1.1.10", "RSASSA-PSS"),
        ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
        ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
        ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
        ("1.2.840.113549.1.1.14", "sha224WithRSAEncryption"),
        ("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
        ("1.2.840.10045.4.3.1", "ecdsa-with-SHA224"),
        ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
        ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
        ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
        ("1.3.101.112", "Ed25519"),
        ("1.3.101.113", "Ed448"),
        ("1.2.840.10040.4.3", "dsa-with-sha1"),
        ("2.16.840.1.101.3.4.3.2", "dsa-with-sha256"),
    ];
    match algorithm_identifier {
        [0x06, len, rest @ ..] if usize::from(*len) <= rest.len() && *len < 0x80 => {
            let dotted = Oid::new(Cow::Borrowed(&rest[..usize::from(*len)])).to_id_string();
            match NAMES.iter().find(|(oid, _)| *oid == dotted) {
                Some((_, name)) => format!("{name} ({dotted})"),
                None => format!("the algorithm {dotted}"),
            }
        }
        _ => "an algorithm it cannot name".into(),
    }
}

/// The first line of a debug dump, cut short: rustls' variants for rare
/// certificate errors carry whole certificates.
fn short_debug(error: &rustls::CertificateError) -> String {
    let text = format!("{error:?}");
    let name = text.split([' ', '(', '{']).next().unwrap_or_default();
    printable(name).to_string()
}

/// `YYYY-MM-DD` (UTC) of a rustls time.
fn utc_date(time: UnixTime) -> String {
    let secs = i64::try_from(time.as_secs()).unwrap_or(i64::MAX);
    match x509_parser::time::ASN1Time::from_timestamp(secs) {
        Ok(t) => {
            let t = t.to_datetime();
            format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
        }
        Err(_) => format!("{secs} s after 1970"),
    }
}
