//! Opening a verified TLS session: TCP to the server or to a proxy that
//! tunnels to it, then the handshake, all under the run's one deadline;
//! and the retries around an attempt.

use crate::deadline::Deadline;
use crate::endpoint::Endpoint;
use crate::error::{Error, FetchError};
use crate::log::note;
use crate::log::Log;
use crate::proxy::{open_tunnel, ProxyConfig, ProxyServer};
use crate::retry::{with_retries, AttemptError};
use crate::tcp::{self, DeadlineStream, TcpFailure};
use crate::tls::{self, TlsSession};
use crate::trust::Trust;

/// What opens sessions: the TLS settings, the proxy settings and the deadline,
/// resolved once at start-up.
pub struct Connector<'a> {
    pub trust: Trust,
    pub proxy: ProxyConfig,
    pub deadline: Deadline,
    pub log: Log<'a>,
}

impl Connector<'_> {
    /// One attempt at a verified session with `endpoint`. The caller decides
    /// whether a failure is worth another attempt.
    pub fn open(&self, endpoint: &Endpoint) -> Result<TlsSession, AttemptError> {
        let proxy = self
            .proxy
            .for_endpoint(endpoint)
            .map_err(AttemptError::Final)?;
        let stream = match &proxy {
            Some(proxy) => self.tunnel(proxy, endpoint)?,
            None => self.connect(endpoint)?,
        };
        tls::handshake(&self.trust, endpoint, stream, &self.deadline)
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
        match tcp::connect(server, &self.deadline, self.log) {
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
