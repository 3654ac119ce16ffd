//! TCP under the run's deadline: resolve a name (on a thread the deadline
//! can walk away from), connect to every address it resolves to, and a
//! stream whose every read and write is bounded by the deadline.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::deadline::Deadline;
use crate::endpoint::Endpoint;
use crate::io_error::{describe_io, is_transient_io};
use crate::log::note;
use crate::log::Log;
use crate::request::ResolveEntry;

/// Why no TCP connection was made, for the caller to word: the origin's
/// failure and a proxy's read differently.
#[derive(Debug)]
pub enum TcpFailure {
    Resolve(String),
    /// Every address refused or failed; one entry per address.
    Connect {
        tried: Vec<String>,
        transient: bool,
    },
    /// The deadline ran out first.
    TimedOut,
}

impl TcpFailure {
    /// Worth another attempt: an address was reset or timed out.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            TcpFailure::Connect {
                transient: true,
                ..
            }
        )
    }

    /// Why, in the words of a message that names the server.
    pub fn reason(&self) -> String {
        match self {
            TcpFailure::Resolve(reason) => reason.clone(),
            TcpFailure::Connect { tried, .. } => tried.join("; "),
            TcpFailure::TimedOut => "no answer in time".into(),
        }
    }
}

/// At most this many addresses of one name are sampled: real edges are a
/// handful, and each costs a handshake.
pub const MAX_ADDRESSES: usize = 8;

/// TCP to the first address of `endpoint` that answers.
pub fn connect(
    endpoint: &Endpoint,
    deadline: &Deadline,
    log: Log<'_>,
    overrides: &[ResolveEntry],
) -> Result<TcpStream, TcpFailure> {
    let addresses = resolve(endpoint, deadline, overrides, log)?;
    match connect_any(&addresses, deadline, log) {
        Ok(stream) => Ok(stream),
        Err(failures) if failures.tried.is_empty() || deadline.expired() => {
            Err(TcpFailure::TimedOut)
        }
        Err(failures) => Err(TcpFailure::Connect {
            tried: failures.tried,
            transient: failures.transient,
        }),
    }
}

/// The addresses of `endpoint`, deduplicated, at most [`MAX_ADDRESSES`]: an
/// override for its name and port first (as curl's `--resolve`, it wins
/// over the localhost rule), then an IP literal, the localhost names, and
/// the system resolver. getaddrinfo has no timeout of its own, so it runs on
/// a thread that the deadline can walk away from.
pub fn resolve(
    endpoint: &Endpoint,
    deadline: &Deadline,
    overrides: &[ResolveEntry],
    log: Log<'_>,
) -> Result<Vec<SocketAddr>, TcpFailure> {
    let (host, port) = (endpoint.host(), endpoint.port());
    if let Some(entry) = overrides
        .iter()
        .find(|entry| entry.host == host && entry.port == port)
    {
        note!(
            log,
            "{endpoint} resolved by override to {}",
            shown(&entry.addresses)
        );
        let addresses = entry.addresses.iter().map(|&ip| SocketAddr::new(ip, port));
        return Ok(distinct(addresses));
    }
    resolve_by_name(endpoint, deadline).map(distinct)
}

/// In the order given, each once, at most [`MAX_ADDRESSES`].
fn distinct(addresses: impl IntoIterator<Item = SocketAddr>) -> Vec<SocketAddr> {
    let mut kept: Vec<SocketAddr> = Vec::new();
    for address in addresses {
        if !kept.contains(&address) && kept.len() < MAX_ADDRESSES {
            kept.push(address);
        }
    }
    kept
}

fn shown(addresses: &[IpAddr]) -> String {
    addresses
        .iter()
        .map(IpAddr::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn resolve_by_name(
    endpoint: &Endpoint,
    deadline: &Deadline,
) -> Result<Vec<SocketAddr>, TcpFailure> {
    let (host, port) = (endpoint.host(), endpoint.port());
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    // RFC 6761, section 6.3: localhost names are the loopback addresses,
    // without asking a resolver (as curl and browsers do).
    if host == "localhost" || host.ends_with(".localhost") {
        return Ok(vec![
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port),
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port),
        ]);
    }
    let (sender, receiver) = mpsc::channel();
    let target = (host.to_string(), port);
    thread::spawn(move || {
        let _ = sender.send(target.to_socket_addrs().map(Iterator::collect::<Vec<_>>));
    });
    match receiver.recv_timeout(deadline.remaining()) {
        Ok(Ok(addresses)) if !addresses.is_empty() => Ok(addresses),
        Ok(Ok(_)) => Err(TcpFailure::Resolve("the name has no addresses".into())),
        Ok(Err(e)) => Err(TcpFailure::Resolve(e.to_string())),
        Err(_) => Err(TcpFailure::TimedOut),
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
    log: Log<'_>,
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
        match connect_to(*address, share) {
            Ok(stream) => return Ok(stream),
            Err(e) => {
                note!(log, "connect to {address} failed: {e}");
                failures.transient |= is_transient_io(&e);
                failures
                    .tried
                    .push(format!("{address}: {}", describe_io(&e)));
            }
        }
    }
    Err(failures)
}

/// TCP to one `address`, giving up after `within` (an address that does not
/// answer in its share of the deadline is a connect failure, not a hang).
pub fn connect_to(address: SocketAddr, within: Duration) -> io::Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&address, within)?;
    // Fewer round trips for small handshake records; harmless if refused.
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

/// A socket whose every read and write is bounded by the run's deadline, so
/// that a server trickling one byte at a time cannot stretch the run.
pub struct DeadlineStream {
    tcp: TcpStream,
    deadline: Deadline,
}

impl DeadlineStream {
    pub fn new(tcp: TcpStream, deadline: Deadline) -> Self {
        DeadlineStream { tcp, deadline }
    }

    /// The address at the other end.
    pub fn peer(&self) -> io::Result<SocketAddr> {
        self.tcp.peer_addr()
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
            connect_any(&addresses, &deadline, Log::silent()).expect("second address answers");
        assert_eq!(stream.peer_addr().expect("peer"), good);

        let listening6 = TcpListener::bind("[::1]:0").expect("bind ::1");
        let good6 = listening6.local_addr().expect("addr");
        let addresses = [closed("127.0.0.1:0"), good6];
        let stream = connect_any(&addresses, &deadline, Log::silent()).expect("IPv6 answers");
        assert_eq!(stream.peer_addr().expect("peer"), good6);
    }

    #[test]
    fn all_failures_are_reported() {
        let deadline = Deadline::starting_now(Duration::from_secs(5));
        let addresses = [closed("[::1]:0"), closed("127.0.0.1:0")];
        let failures = connect_any(&addresses, &deadline, Log::silent()).unwrap_err();
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
