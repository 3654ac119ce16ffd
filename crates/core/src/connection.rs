//! Opening a verified TLS session: TCP to the server or to a proxy that
//! tunnels to it, then the handshake, all under the run's one deadline;
//! and the retries around an attempt.

use crate::deadline::Deadline;
use crate::endpoint::Endpoint;
use crate::error::{Error, FetchError};
use crate::log::note;
use crate::log::Log;
use crate::proxy::{open_tunnel, ProxyConfig, ProxyServer};
use crate::request::{ResolveEntry, Sample};
use crate::retry::{with_retries, AttemptError};
use crate::tcp::{self, DeadlineStream, TcpFailure};
use crate::tls::{self, FailureKind, HandshakeError, TlsSession};
use crate::trust::{Profile, Trust};

/// What opens sessions: the TLS settings, the proxy settings, the address
/// overrides and the deadline, resolved once per request.
pub struct Connector<'a> {
    pub trust: Trust,
    pub proxy: ProxyConfig,
    pub resolve: Vec<ResolveEntry>,
    pub sample: Sample,
    pub deadline: Deadline,
    pub log: Log<'a>,
}

/// How a host is reached: through a proxy, which picks the address, or
/// directly at each of its addresses.
pub enum Route {
    Proxy(ProxyServer),
    Direct(Vec<std::net::SocketAddr>),
}

/// Where one handshake goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    Proxy(ProxyServer),
    Address(std::net::SocketAddr),
}

impl Connector<'_> {
    /// One attempt at a verified session with `endpoint`, the default
    /// profile, at the first address that answers, and where it went. The
    /// caller decides whether a failure is worth another attempt.
    pub fn open(&self, endpoint: &Endpoint) -> Result<(At, TlsSession), AttemptError> {
        let proxy = self
            .proxy
            .for_endpoint(endpoint)
            .map_err(AttemptError::Final)?;
        let (at, stream) = match proxy {
            Some(proxy) => {
                let stream = self.tunnel(&proxy, endpoint)?;
                (At::Proxy(proxy), stream)
            }
            None => {
                let stream = self.connect(endpoint)?;
                let address = stream.peer().map_err(|e| {
                    AttemptError::Final(
                        FetchError::Connect {
                            endpoint: endpoint.to_string(),
                            reason: crate::io_error::describe_io(&e),
                        }
                        .into(),
                    )
                })?;
                (At::Address(address), stream)
            }
        };
        let session = tls::handshake(
            &self.trust,
            endpoint,
            stream,
            &self.deadline,
            Profile::Default,
        )?;
        Ok((at, session))
    }

    /// How `endpoint` is reached. Through a proxy an address override does
    /// not apply, as curl ignores `--resolve` there.
    pub fn route(&self, endpoint: &Endpoint) -> Result<Route, Error> {
        if let Some(proxy) = self.proxy.for_endpoint(endpoint)? {
            if self
                .resolve
                .iter()
                .any(|e| e.host == endpoint.host() && e.port == endpoint.port())
            {
                note!(
                    self.log,
                    "the address override for {endpoint} is ignored: proxy {proxy} picks the address"
                );
            }
            return Ok(Route::Proxy(proxy));
        }
        match tcp::resolve(endpoint, &self.deadline, &self.resolve, self.log) {
            Ok(addresses) => Ok(Route::Direct(addresses)),
            Err(TcpFailure::TimedOut) => Err(self
                .deadline
                .timeout_error(format!("resolving {}", endpoint.host()))),
            Err(failure) => Err(FetchError::Resolve {
                host: endpoint.host().to_string(),
                reason: failure.reason(),
            }
            .into()),
        }
    }

    /// One attempt at a verified session with `endpoint` at `at`, offering
    /// `profile`; a connection that takes more than `connect_within` is an
    /// unreachable address.
    pub fn open_at(
        &self,
        endpoint: &Endpoint,
        at: &At,
        profile: Profile,
        connect_within: std::time::Duration,
    ) -> Result<TlsSession, Box<HandshakeError>> {
        let unreachable = |attempt: AttemptError| {
            Box::new(HandshakeError {
                attempt,
                kind: FailureKind::Unreachable,
            })
        };
        let stream = match at {
            At::Proxy(proxy) => self.tunnel(proxy, endpoint).map_err(unreachable)?,
            At::Address(address) => {
                let tcp = tcp::connect_to(*address, connect_within).map_err(|e| {
                    unreachable(AttemptError::new(
                        FetchError::Connect {
                            endpoint: endpoint.to_string(),
                            reason: format!("{address}: {}", crate::io_error::describe_io(&e)),
                        },
                        crate::io_error::is_transient_io(&e),
                    ))
                })?;
                DeadlineStream::new(tcp, self.deadline)
            }
        };
        tls::handshake(&self.trust, endpoint, stream, &self.deadline, profile)
    }

    /// Runs `attempt` until it succeeds, fails for good, or has had its
    /// three tries (retry.rs), within the deadline.
    pub fn with_retries<T>(
        &self,
        what: &str,
        attempt: impl FnMut() -> Result<T, AttemptError>,
    ) -> Result<T, Error> {
        with_retries(&self.deadline, self.log, what, attempt)
    }

    fn connect(&self, endpoint: &Endpoint) -> Result<DeadlineStream, AttemptError> {
        self.tcp_to(
            endpoint,
            format!("connecting to {endpoint}"),
            |failure| match failure {
                TcpFailure::Resolve(reason) => FetchError::Resolve {
                    host: endpoint.host().to_string(),
                    reason,
                },
                other => FetchError::Connect {
                    endpoint: endpoint.to_string(),
                    reason: other.reason(),
                },
            },
        )
    }

    /// A CONNECT tunnel through `proxy` to `endpoint`; failures name the proxy.
    fn tunnel(
        &self,
        proxy: &ProxyServer,
        endpoint: &Endpoint,
    ) -> Result<DeadlineStream, AttemptError> {
        note!(self.log, "connecting to {endpoint} through proxy {proxy}");
        let mut stream = self.tcp_to(
            &proxy.endpoint,
            format!("connecting to proxy {proxy}"),
            |failure| FetchError::Proxy {
                proxy: proxy.to_string(),
                endpoint: endpoint.to_string(),
                reason: format!("is unreachable: {}", failure.reason()),
            },
        )?;
        open_tunnel(&mut stream, proxy, endpoint, &self.deadline).map_err(AttemptError::Final)?;
        Ok(stream)
    }

    /// TCP to `server` under the deadline. `failed` words a failure for
    /// whoever the server is: the origin's and a proxy's read differently.
    fn tcp_to(
        &self,
        server: &Endpoint,
        stage: String,
        failed: impl FnOnce(TcpFailure) -> FetchError,
    ) -> Result<DeadlineStream, AttemptError> {
        match tcp::connect(server, &self.deadline, self.log, &self.resolve) {
            Ok(tcp) => Ok(DeadlineStream::new(tcp, self.deadline)),
            Err(TcpFailure::TimedOut) => {
                Err(AttemptError::Final(self.deadline.timeout_error(stage)))
            }
            Err(failure) => {
                let transient = failure.is_transient();
                Err(AttemptError::new(failed(failure), transient))
            }
        }
    }
}
