//! TLS servers the tests start on 127.0.0.1 (or ::1): a rustls server with a
//! given chain that also answers HTTP GETs, and misbehaving servers for the
//! failure cases. Each listens on an ephemeral port and lives in threads of
//! the test process, so it ends with the test.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use rustls::crypto::ring;
use rustls::{ServerConfig, ServerConnection, StreamOwned, SupportedProtocolVersion};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::pki::Issued;

/// An HTTP answer: status, extra headers, body.
pub struct HttpAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// 1xx answers sent before this one (100 Continue, 103 Early Hints).
    pub interim: Vec<u16>,
    /// Instead of a body: a chunk-size line whose extension never ends,
    /// sent until the client leaves (at most 15 s).
    pub endless_chunk_extension: bool,
    /// Write the head one byte at a time: one TLS record per byte.
    pub head_byte_by_byte: bool,
}

impl HttpAnswer {
    pub fn json(body: impl Into<Vec<u8>>) -> Self {
        HttpAnswer {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
            interim: Vec::new(),
            endless_chunk_extension: false,
            head_byte_by_byte: false,
        }
    }

    pub fn status(status: u16) -> Self {
        HttpAnswer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            interim: Vec::new(),
            endless_chunk_extension: false,
            head_byte_by_byte: false,
        }
    }

    pub fn redirect(location: &str) -> Self {
        HttpAnswer {
            status: 302,
            headers: vec![("location".into(), location.into())],
            body: Vec::new(),
            interim: Vec::new(),
            endless_chunk_extension: false,
            head_byte_by_byte: false,
        }
    }
}

pub type HttpHandler = Arc<dyn Fn(&str) -> HttpAnswer + Send + Sync>;

pub struct TlsServerConfig {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    pub versions: &'static [&'static SupportedProtocolVersion],
    pub http: Option<HttpHandler>,
    /// Send the body with `transfer-encoding: chunked`.
    pub chunked: bool,
    /// Session-ticket keys; servers given the same one accept each other's
    /// tickets, as the backends of one load balancer do.
    pub ticketer: Option<Arc<dyn rustls::server::ProducesTickets>>,
}

impl TlsServerConfig {
    /// Presents `chain` as given, signing with the key of its first
    /// certificate (the leaf).
    pub fn presenting(chain: &[&Issued]) -> Self {
        TlsServerConfig::new(
            chain.iter().map(|c| c.cert_der()).collect(),
            chain[0].key_der(),
        )
    }

    pub fn new(chain: Vec<CertificateDer<'static>>, key: PrivateKeyDer<'static>) -> Self {
        TlsServerConfig {
            chain,
            key,
            versions: rustls::ALL_VERSIONS,
            http: None,
            chunked: false,
            ticketer: None,
        }
    }
}

pub struct TestServer {
    pub addr: SocketAddr,
    /// Connections accepted so far.
    pub connections: Arc<AtomicUsize>,
}

impl TestServer {
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn connection_count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Serves `handler` for every accepted connection on `bind` (e.g. "127.0.0.1:0").
pub fn serve_raw(bind: &str, handler: impl Fn(TcpStream) + Send + Sync + 'static) -> TestServer {
    let listener = TcpListener::bind(bind).expect("bind test server");
    let addr = listener.local_addr().expect("local addr");
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    let handler = Arc::new(handler);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let handler = Arc::clone(&handler);
            thread::spawn(move || handler(stream));
        }
    });
    TestServer { addr, connections }
}

/// A TLS server answering HTTP with `answer(its own port, path)`: for
/// documents and redirects that must name the server they come from.
pub fn tls_server_knowing_its_port(
    mut config: TlsServerConfig,
    answer: impl Fn(u16, &str) -> HttpAnswer + Send + Sync + 'static,
) -> TestServer {
    let port = Arc::new(AtomicU16::new(0));
    let port_seen = Arc::clone(&port);
    config.http = Some(Arc::new(move |path| {
        answer(port_seen.load(Ordering::SeqCst), path)
    }));
    let server = tls_server(config);
    port.store(server.port(), Ordering::SeqCst);
    server
}

pub fn tls_server(config: TlsServerConfig) -> TestServer {
    tls_server_on("127.0.0.1:0", config)
}

pub fn tls_server_on(bind: &str, config: TlsServerConfig) -> TestServer {
    // A resolver rather than with_single_cert: the latter re-parses the
    // chain, and the fault tests serve chains rustls itself would not build.
    let signing_key = ring::sign::any_supported_type(&config.key).expect("server key");
    let certified = Arc::new(rustls::sign::CertifiedKey::new(config.chain, signing_key));
    let mut server_config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_protocol_versions(config.versions)
        .expect("protocol versions")
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(FixedCert(certified)));
    if let Some(ticketer) = config.ticketer {
        server_config.ticketer = ticketer;
    }
    let server_config = Arc::new(server_config);
    let http = config.http;
    let chunked = config.chunked;
    serve_raw(bind, move |tcp| {
        let _ = tcp.set_read_timeout(Some(Duration::from_secs(20)));
        let Ok(connection) = ServerConnection::new(Arc::clone(&server_config)) else {
            return;
        };
        let mut tls = StreamOwned::new(connection, tcp);
        let Some(http) = &http else {
            // No HTTP: finish the handshake, then wait for the client to leave.
            let mut buf = [0u8; 1024];
            while matches!(tls.read(&mut buf), Ok(n) if n > 0) {}
            return;
        };
        let Some(path) = read_request_path(&mut tls) else {
            return;
        };
        let answer = http(&path);
        let _ = write_answer(&mut tls, &answer, chunked);
        tls.conn.send_close_notify();
        let _ = tls.flush();
    })
}

#[derive(Debug)]
struct FixedCert(Arc<rustls::sign::CertifiedKey>);

impl rustls::server::ResolvesServerCert for FixedCert {
    fn resolve(
        &self,
        _hello: rustls::server::ClientHello<'_>,
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(Arc::clone(&self.0))
    }
}

/// Reads an HTTP request or response head, up to the blank line, byte by
/// byte so that nothing after it is consumed.
pub fn read_http_head(stream: &mut impl Read) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

fn read_request_path(stream: &mut impl Read) -> Option<String> {
    let head = read_http_head(stream)?;
    head.split_whitespace().nth(1).map(str::to_string)
}

fn write_answer(
    stream: &mut impl Write,
    answer: &HttpAnswer,
    chunked: bool,
) -> std::io::Result<()> {
    for &status in &answer.interim {
        // 103 Early Hints carries Link headers; 100 Continue carries none.
        let hints = if status == 103 {
            "link: </keys>; rel=preload\r\n"
        } else {
            ""
        };
        stream.write_all(format!("HTTP/1.1 {status} Interim\r\n{hints}\r\n").as_bytes())?;
    }
    let mut head = format!("HTTP/1.1 {} Test\r\nconnection: close\r\n", answer.status);
    if answer.endless_chunk_extension {
        head.push_str("transfer-encoding: chunked\r\n\r\n5;ext=");
        stream.write_all(head.as_bytes())?;
        let filler = vec![b'x'; 16 * 1024];
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_secs(15) {
            stream.write_all(&filler)?;
        }
        return stream.flush();
    }
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if chunked {
        head.push_str("transfer-encoding: chunked\r\n\r\n");
        stream.write_all(head.as_bytes())?;
        for piece in answer.body.chunks(7) {
            stream.write_all(format!("{:x}\r\n", piece.len()).as_bytes())?;
            stream.write_all(piece)?;
            stream.write_all(b"\r\n")?;
        }
        stream.write_all(b"0\r\n\r\n")?;
    } else {
        head.push_str(&format!("content-length: {}\r\n\r\n", answer.body.len()));
        if answer.head_byte_by_byte {
            for byte in head.as_bytes() {
                stream.write_all(std::slice::from_ref(byte))?;
                stream.flush()?;
            }
        } else {
            stream.write_all(head.as_bytes())?;
        }
        stream.write_all(&answer.body)?;
    }
    stream.flush()
}

/// Accepts and never says a word.
pub fn silent_server() -> TestServer {
    serve_raw("127.0.0.1:0", |mut tcp| {
        let mut buf = [0u8; 4096];
        let _ = tcp.set_read_timeout(Some(Duration::from_secs(30)));
        while matches!(tcp.read(&mut buf), Ok(n) if n > 0) {}
    })
}

/// Answers the ClientHello with bytes that are not TLS.
pub fn garbage_server() -> TestServer {
    serve_raw("127.0.0.1:0", |mut tcp| {
        let mut buf = [0u8; 4096];
        let _ = tcp.read(&mut buf);
        let _ =
            tcp.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\nthis is not TLS at all\x00\x01\x02");
    })
}

/// A certificate for a test that never serves: a port nothing listens on.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Completes the TLS handshake, lets the client's request arrive, then
/// closes with the request unread, which makes the kernel send a reset.
pub fn reset_after_handshake(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> TestServer {
    let server_config = Arc::new(
        ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("server certificate"),
    );
    serve_raw("127.0.0.1:0", move |mut tcp| {
        let Ok(mut connection) = ServerConnection::new(Arc::clone(&server_config)) else {
            return;
        };
        while connection.is_handshaking() {
            if connection.complete_io(&mut tcp).is_err() {
                return;
            }
        }
        // Linger 0: close sends a reset, whatever is left unread.
        let _ = socket2::SockRef::from(&tcp).set_linger(Some(Duration::ZERO));
        thread::sleep(Duration::from_millis(100));
        drop(tcp);
    })
}

/// Connects to `upstream` for `client`, copies the client's bytes there on
/// a thread of its own, and gives back the two halves that carry the
/// server's bytes to the client.
fn relay_halves(client: TcpStream, upstream: SocketAddr) -> Option<(TcpStream, TcpStream)> {
    let server = TcpStream::connect(upstream).ok()?;
    let (mut client_read, mut server_write) = (client.try_clone().ok()?, server.try_clone().ok()?);
    thread::spawn(move || {
        let _ = std::io::copy(&mut client_read, &mut server_write);
    });
    Some((server, client))
}

/// Relays to `upstream` but sends the server's bytes one per `pause`, so a
/// handshake never finishes within any sane deadline (slowloris).
pub fn trickling_relay(upstream: SocketAddr, pause: Duration) -> TestServer {
    serve_raw("127.0.0.1:0", move |client| {
        let Some((mut server_read, mut client_write)) = relay_halves(client, upstream) else {
            return;
        };
        let mut byte = [0u8; 1];
        while matches!(server_read.read(&mut byte), Ok(1)) {
            if client_write.write_all(&byte).is_err() {
                return;
            }
            thread::sleep(pause);
        }
    })
}

/// Relays to `upstream` at full speed once `delay` has passed after each
/// accept: a slow edge, whose handshakes only overlap if the client makes
/// them at once.
pub fn delaying_relay(upstream: SocketAddr, delay: Duration) -> TestServer {
    serve_raw("127.0.0.1:0", move |client| {
        thread::sleep(delay);
        if let Some((mut server_read, mut client_write)) = relay_halves(client, upstream) {
            let _ = std::io::copy(&mut server_read, &mut client_write);
        }
    })
}

/// Reads the ClientHello, then hangs up without a word.
pub fn hang_up_server() -> TestServer {
    serve_raw("127.0.0.1:0", |mut tcp| {
        let mut buf = [0u8; 4096];
        let _ = tcp.read(&mut buf);
    })
}
