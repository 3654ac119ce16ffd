//! Opening a verified TLS session: DNS, TCP to every address the name
//! resolves to, an optional proxy tunnel, and the rustls handshake, all under
//! the run's one deadline. The session keeps the certificates the server
//! presented, which are what the thumbprint is computed from.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

use rustls::{ClientConnection, HandshakeKind, StreamOwned};
use rustls_pki_types::{ServerName, UnixTime};

use crate::deadline::Deadline;
use crate::error::{Error, FetchError};
use crate::escape::printable;
use crate::log::Log;
use crate::proxy::{open_tunnel, ProxyConfig};
use crate::query::Endpoint;
use crate::retry::AttemptError;
use crate::trust::Trust;

/// The DER certificates a server presented, in the order it sent them.
pub type PresentedChain = Vec<Vec<u8>>;

/// What opens sessions: the TLS settings, the proxy settings and the deadline,
/// resolved once at start-up.
pub struct Connector {
    pub trust: Trust,
    pub proxy: ProxyConfig,
    pub deadline: Deadline,
    pub log: Log,
}

/// A TLS session whose chain rustls has verified, host name included.
pub struct TlsSession {
    pub presented_chain: PresentedChain,
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

impl Connector {
    /// One attempt at a verified session with `endpoint`. The caller decides
    /// whether a failure is worth another attempt.
    pub fn open(&self, endpoint: &Endpoint) -> Result<TlsSession, AttemptError> {
        let server_name = ServerName::try_from(endpoint.host.clone()).map_err(|_| {
            AttemptError::Final(Error::invalid(
                "host",
                &endpoint.host,
                "not a valid DNS name or IP address",
            ))
        })?;
        let tcp = match self.proxy.for_endpoint(endpoint) {
            Some(proxy) => {
                self.log.note(format_args!(
                    "connecting to {endpoint} through proxy {proxy}"
                ));
                let tcp = self
                    .connect_tcp(&proxy.endpoint)
                    .map_err(|e| e.map(|inner| as_proxy_error(inner, proxy, endpoint)))?;
                let mut stream = DeadlineStream::new(tcp, self.deadline);
                open_tunnel(&mut stream, proxy, endpoint).map_err(|e| {
                    if self.deadline.expired() {
                        AttemptError::Final(self.deadline.timeout_error(format!(
                            "waiting for proxy {proxy} to open a tunnel to {endpoint}"
                        )))
                    } else {
                        AttemptError::Final(e)
                    }
                })?;
                stream
            }
            None => DeadlineStream::new(self.connect_tcp(endpoint)?, self.deadline),
        };
        self.handshake(endpoint, server_name, tcp)
    }

    fn handshake(
        &self,
        endpoint: &Endpoint,
        server_name: ServerName<'static>,
        stream: DeadlineStream,
    ) -> Result<TlsSession, AttemptError> {
        let connection = ClientConnection::new(Arc::clone(&self.trust.config), server_name)
            .map_err(|e| {
                AttemptError::Final(
                    FetchError::Handshake {
                        endpoint: endpoint.to_string(),
                        reason: e.to_string(),
                    }
                    .into(),
                )
            })?;
        let mut stream = StreamOwned::new(connection, stream);
        while stream.conn.is_handshaking() {
            if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
                return Err(self.handshake_failure(endpoint, e));
            }
        }
        // Resumption is off (trust.rs); should a session resume anyway, the
        // certificates rustls holds are an earlier server's, not this one's.
        if stream.conn.handshake_kind() == Some(HandshakeKind::Resumed) {
            return Err(AttemptError::Final(
                FetchError::NoChain {
                    source_name: endpoint.to_string(),
                }
                .into(),
            ));
        }
        let presented_chain: PresentedChain = stream
            .conn
            .peer_certificates()
            .map(|certs| certs.iter().map(|c| c.as_ref().to_vec()).collect())
            .unwrap_or_default();
        if presented_chain.is_empty() {
            return Err(AttemptError::Final(
                FetchError::NoChain {
                    source_name: endpoint.to_string(),
                }
                .into(),
            ));
        }
        Ok(TlsSession {
            presented_chain,
            stream,
        })
    }

    fn handshake_failure(&self, endpoint: &Endpoint, e: io::Error) -> AttemptError {
        if is_timeout(&e) && self.deadline.expired() {
            return AttemptError::Final(
                self.deadline
                    .timeout_error(format!("waiting for the TLS handshake with {endpoint}")),
            );
        }
        let tls_error = e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>());
        let failure = FetchError::Handshake {
            endpoint: endpoint.to_string(),
            reason: match tls_error {
                Some(tls) => describe_tls_error(tls),
                None if e.kind() == io::ErrorKind::UnexpectedEof => {
                    "the server closed the connection during the handshake".into()
                }
                None => describe_io(&e),
            },
        };
        // A refused certificate is an answer, not an accident: never retried.
        if tls_error.is_none() && is_transient_io(&e) {
            AttemptError::Transient(failure.into())
        } else {
            AttemptError::Final(failure.into())
        }
    }

    /// TCP to the first address of `endpoint` that answers.
    fn connect_tcp(&self, endpoint: &Endpoint) -> Result<TcpStream, AttemptError> {
        let addresses = self.resolve(endpoint)?;
        let failures = match connect_any(&addresses, &self.deadline, self.log) {
            Ok(stream) => return Ok(stream),
            Err(failures) => failures,
        };
        if failures.tried.is_empty() || self.deadline.expired() {
            return Err(AttemptError::Final(
                self.deadline
                    .timeout_error(format!("connecting to {endpoint}")),
            ));
        }
        let error = FetchError::Connect {
            endpoint: endpoint.to_string(),
            reason: failures.tried.join("; "),
        };
        Err(if failures.transient {
            AttemptError::Transient(error.into())
        } else {
            AttemptError::Final(error.into())
        })
    }

    /// getaddrinfo has no timeout of its own, so it runs on a thread that the
    /// deadline can walk away from.
    fn resolve(&self, endpoint: &Endpoint) -> Result<Vec<SocketAddr>, AttemptError> {
        if let Ok(ip) = endpoint.host.parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, endpoint.port)]);
        }
        // RFC 6761, section 6.3: localhost names are the loopback addresses,
        // without asking a resolver (as curl and browsers do).
        if endpoint.host == "localhost" || endpoint.host.ends_with(".localhost") {
            return Ok(vec![
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), endpoint.port),
                SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), endpoint.port),
            ]);
        }
        let (sender, receiver) = mpsc::channel();
        let target = (endpoint.host.clone(), endpoint.port);
        thread::spawn(move || {
            let _ = sender.send(target.to_socket_addrs().map(Iterator::collect::<Vec<_>>));
        });
        match receiver.recv_timeout(self.deadline.remaining()) {
            Ok(Ok(addresses)) if !addresses.is_empty() => Ok(addresses),
            Ok(Ok(_)) => Err(AttemptError::Final(
                FetchError::Resolve {
                    host: endpoint.host.clone(),
                    reason: "the name has no addresses".into(),
                }
                .into(),
            )),
            Ok(Err(e)) => Err(AttemptError::Final(
                FetchError::Resolve {
                    host: endpoint.host.clone(),
                    reason: e.to_string(),
                }
                .into(),
            )),
            Err(_) => Err(AttemptError::Final(
                self.deadline
                    .timeout_error(format!("resolving {}", endpoint.host)),
            )),
        }
    }
}

/// Why no address answered: one entry per address tried.
#[derive(Debug, Default)]
pub struct ConnectFailures {
    pub tried: Vec<String>,
    /// At least one failure was worth another attempt (a reset, a timeout).
    pub transient: bool,
}

/// Tries each address in turn (a name may resolve to IPv6 and IPv4, and
/// only one of them may answer), giving each a fair share of the time left
/// so that one black-holed address cannot use up the whole deadline.
pub fn connect_any(
    addresses: &[SocketAddr],
    deadline: &Deadline,
    log: Log,
) -> Result<TcpStream, ConnectFailures> {
    let mut failures = ConnectFailures::default();
    for (index, address) in addresses.iter().enumerate() {
        let remaining = deadline.remaining();
        if remaining.is_zero() {
            break;
        }
        let left = (addresses.len() - index) as u32;
        let share = (remaining / left)
            .max(Duration::from_millis(100))
            .min(remaining);
        match TcpStream::connect_timeout(address, share) {
            Ok(stream) => {
                // Fewer round trips for small handshake records; harmless if refused.
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => {
                log.note(format_args!("connect to {address} failed: {e}"));
                failures.transient |= is_transient_io(&e);
                failures
                    .tried
                    .push(format!("{address}: {}", describe_io(&e)));
            }
        }
    }
    Err(failures)
}

fn as_proxy_error(error: Error, proxy: &crate::proxy::ProxyServer, endpoint: &Endpoint) -> Error {
    match error {
        Error::Fetch(FetchError::Connect { reason, .. } | FetchError::Resolve { reason, .. }) => {
            FetchError::Proxy {
                proxy: proxy.to_string(),
                endpoint: endpoint.to_string(),
                reason: format!("is unreachable: {reason}"),
            }
            .into()
        }
        other => other,
    }
}

pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

pub fn is_transient_io(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::TimedOut
            | io::ErrorKind::WouldBlock
            | io::ErrorKind::Interrupted
    )
}

/// An I/O error in the words of this program's messages.
pub fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".into(),
        io::ErrorKind::ConnectionReset => "the connection was reset".into(),
        io::ErrorKind::UnexpectedEof => "the server closed the connection early".into(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => "no answer in time".into(),
        _ => e.to_string(),
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
                .map(|n| printable(&unwrap(n)))
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
        other => other.to_string(),
    }
}

/// The name of the signature algorithm in a DER AlgorithmIdentifier (its
/// contents, as rustls reports them), or its dotted OID.
fn algorithm_name(algorithm_identifier: &[u8]) -> String {
    use std::borrow::Cow;
    use x509_parser::der_parser::oid::Oid;
    use x509_parser::oid_registry::{format_oid, OidRegistry};
    match algorithm_identifier {
        [0x06, len, rest @ ..] if usize::from(*len) <= rest.len() && *len < 0x80 => {
            let oid = Oid::new(Cow::Borrowed(&rest[..usize::from(*len)]));
            format_oid(&oid, &OidRegistry::default().with_all_crypto())
        }
        _ => "an algorithm it cannot name".into(),
    }
}

/// The first line of a debug dump, cut short: rustls' variants for rare
/// certificate errors carry whole certificates.
fn short_debug(error: &rustls::CertificateError) -> String {
    let text = format!("{error:?}");
    let name = text.split([' ', '(', '{']).next().unwrap_or_default();
    printable(name)
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

/// A socket whose every read and write is bounded by the run's deadline, so
/// that a server trickling one byte at a time cannot stretch the run.
pub struct DeadlineStream {
    tcp: TcpStream,
    deadline: Deadline,
}

impl DeadlineStream {
    fn new(tcp: TcpStream, deadline: Deadline) -> Self {
        DeadlineStream { tcp, deadline }
    }
}

impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.tcp
            .set_read_timeout(Some(self.deadline.socket_timeout()?))?;
        self.tcp.read(buf)
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tcp
            .set_write_timeout(Some(self.deadline.socket_timeout()?))?;
        self.tcp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tcp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn closed(bind: &str) -> SocketAddr {
        TcpListener::bind(bind)
            .expect("bind")
            .local_addr()
            .expect("addr")
    }

    #[test]
    fn every_address_is_tried_in_turn() {
        let deadline = Deadline::starting_now(Duration::from_secs(5));
        let listening = TcpListener::bind("127.0.0.1:0").expect("bind");
        let good = listening.local_addr().expect("addr");
        // An IPv6 address nobody listens on first, as `localhost` often resolves.
        let addresses = [closed("[::1]:0"), good];
        let stream =
            connect_any(&addresses, &deadline, Log::default()).expect("second address answers");
        assert_eq!(stream.peer_addr().expect("peer"), good);

        let listening6 = TcpListener::bind("[::1]:0").expect("bind ::1");
        let good6 = listening6.local_addr().expect("addr");
        let addresses = [closed("127.0.0.1:0"), good6];
        let stream = connect_any(&addresses, &deadline, Log::default()).expect("IPv6 answers");
        assert_eq!(stream.peer_addr().expect("peer"), good6);
    }

    #[test]
    fn all_failures_are_reported() {
        let deadline = Deadline::starting_now(Duration::from_secs(5));
        let addresses = [closed("[::1]:0"), closed("127.0.0.1:0")];
        let failures = connect_any(&addresses, &deadline, Log::default()).unwrap_err();
        assert_eq!(failures.tried.len(), 2);
        assert!(
            failures
                .tried
                .iter()
                .all(|f| f.contains("connection refused")),
            "{:?}",
            failures.tried
        );
        assert!(!failures.transient);
    }
}
