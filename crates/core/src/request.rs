//! What to thumbprint and how, as typed values. Front ends (the CLI's flags
//! and stdin query, the provider's attributes) turn their own input into a
//! [`Request`] through [`Request::builder`], which checks each value once, so
//! every front end gets the same rules and the same messages.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::endpoint::{Endpoint, IssuerUrl, HTTPS_PORT};
use crate::error::{Error, InputError, Result};
use crate::partition;
use crate::proxy::ProxyChoice;

/// The deadline when the caller names none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest deadline accepted: a plan held for ten minutes is broken.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);
/// Below this not even a loopback handshake fits; a smaller value is a
/// typo (`1e-10`) and is refused rather than reported as a timeout.
pub const MIN_TIMEOUT: Duration = Duration::from_millis(100);

/// The server whose chain is thumbprinted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An OIDC issuer URL (boxed: two parsed URLs dwarf an endpoint).
    Issuer(Box<IssuerUrl>),
    /// The EKS OIDC host of a region code.
    Region(Endpoint),
    Host(Endpoint),
}

impl Target {
    /// An issuer URL, `https://HOST[:PORT][/PATH]`.
    pub fn url(text: &str) -> Result<Self> {
        Ok(Target::Issuer(Box::new(IssuerUrl::parse(text)?)))
    }

    /// The EKS OIDC host of an AWS region code, in its partition.
    pub fn region(code: &str) -> Result<Self> {
        let host = partition::eks_oidc_host(code)
            .map_err(|reason| Error::invalid("region", code, reason))?;
        let endpoint = Endpoint::new(&host, HTTPS_PORT)
            .map_err(|reason| Error::invalid("region", code, reason))?;
        Ok(Target::Region(endpoint))
    }

    /// A TLS server by name or IP address (IPv6 with or without brackets).
    pub fn host(host: &str, port: u16) -> Result<Self> {
        if port == 0 {
            return Err(Error::invalid("port", "0", "use a number from 1 to 65535"));
        }
        let endpoint =
            Endpoint::new(host, port).map_err(|reason| Error::invalid("host", host, reason))?;
        Ok(Target::Host(endpoint))
    }

    /// The server whose chain is fetched first.
    pub fn endpoint(&self) -> &Endpoint {
        match self {
            Target::Issuer(issuer) => issuer.endpoint(),
            Target::Region(endpoint) | Target::Host(endpoint) => endpoint,
        }
    }
}

/// What the chain is verified against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TrustAnchors {
    /// Mozilla's roots, built in (webpki-roots).
    #[default]
    BuiltIn,
    /// The PEM certificates in a file, instead of the built-in roots.
    File(PathBuf),
    /// PEM certificates given as bytes, instead of the built-in roots.
    Pem(Vec<u8>),
}

/// Which handshakes a host gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sample {
    /// Every address the name resolves to (at most 8), each with every
    /// ClientHello profile: the thumbprints are the union of their tops.
    #[default]
    All,
    /// One handshake, the default profile, the first address that answers.
    First,
}

impl Sample {
    pub fn parse(text: &str, input: &'static str) -> Result<Self> {
        match text {
            "all" => Ok(Sample::All),
            "first" => Ok(Sample::First),
            other => Err(Error::invalid(input, other, "use \"all\" or \"first\"")),
        }
    }
}

/// `HOST:PORT:ADDR[,ADDR...]`, as curl's `--resolve`: HOST on PORT is
/// reached at these addresses, without asking a resolver; TLS still checks
/// the certificate against HOST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveEntry {
    pub host: String,
    pub port: u16,
    pub addresses: Vec<IpAddr>,
}

/// Where address overrides come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ResolveChoice {
    /// `OIDC_THUMBPRINT_RESOLVE`, read through the caller's environment.
    #[default]
    FromEnvironment,
    /// Given by the caller; the environment is not read.
    Given(Vec<ResolveEntry>),
}

/// At most this many entries and addresses: an override names a few edges.
const MAX_RESOLVE_ENTRIES: usize = 32;

/// Entries separated by spaces (a query key, the environment) or given one
/// by one (flags): `HOST:PORT:ADDR[,ADDR...]`, IPv6 addresses bracketed or
/// not. `input` names the input in messages.
pub fn parse_resolve(text: &str, input: &'static str) -> Result<Vec<ResolveEntry>> {
    let entries: Vec<&str> = text.split_whitespace().collect();
    if entries.len() > MAX_RESOLVE_ENTRIES {
        return Err(Error::invalid(
            input,
            text,
            format!("give at most {MAX_RESOLVE_ENTRIES} entries"),
        ));
    }
    entries
        .into_iter()
        .map(|entry| {
            let bad = |reason: &str| Error::invalid(input, entry, reason);
            let shape = "use HOST:PORT:ADDRESS[,ADDRESS...], as curl's --resolve";
            let (host, rest) = entry.split_once(':').ok_or_else(|| bad(shape))?;
            let (port, addresses) = rest.split_once(':').ok_or_else(|| bad(shape))?;
            let port = crate::endpoint::parse_port(port).map_err(|reason| bad(&reason))?;
            let host = Endpoint::new(host, port)
                .map_err(|reason| bad(&reason))?
                .host()
                .to_string();
            let addresses = addresses
                .split(',')
                .map(|address| {
                    let bare = address
                        .strip_prefix('[')
                        .and_then(|a| a.strip_suffix(']'))
                        .unwrap_or(address);
                    bare.parse::<IpAddr>()
                        .map_err(|_| bad("each ADDRESS is an IPv4 or IPv6 address"))
                })
                .collect::<Result<Vec<_>>>()?;
            if addresses.len() > MAX_RESOLVE_ENTRIES {
                return Err(bad("too many addresses"));
            }
            Ok(ResolveEntry {
                host,
                port,
                addresses,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Follow OIDC discovery to the host serving the JWKS (url targets only).
    pub discovery: bool,
    pub trust: TrustAnchors,
    pub timeout: Duration,
    pub proxy: ProxyChoice,
    pub sample: Sample,
    pub resolve: ResolveChoice,
}

/// A checked request: build one with [`Request::builder`].
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    target: Target,
    options: Options,
}

impl Request {
    /// A request for `target` with the defaults: discovery for an issuer
    /// URL, the built-in roots, a 10 s deadline, the environment's proxy.
    pub fn builder(target: Target) -> RequestBuilder {
        RequestBuilder {
            target,
            discovery: None,
            trust: TrustAnchors::BuiltIn,
            timeout: None,
            proxy: ProxyChoice::FromEnvironment,
            sample: Sample::All,
            resolve: ResolveChoice::FromEnvironment,
        }
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn options(&self) -> &Options {
        &self.options
    }
}

/// Sets a request's options one by one; [`RequestBuilder::build`] checks
/// them together.
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    target: Target,
    discovery: Option<bool>,
    trust: TrustAnchors,
    timeout: Option<Duration>,
    proxy: ProxyChoice,
    sample: Sample,
    resolve: ResolveChoice,
}

impl RequestBuilder {
    pub fn sample(mut self, sample: Sample) -> Self {
        self.sample = sample;
        self
    }

    /// Address overrides; given ones win over `OIDC_THUMBPRINT_RESOLVE`.
    pub fn resolve(mut self, resolve: ResolveChoice) -> Self {
        self.resolve = resolve;
        self
    }

    /// Whether to follow OIDC discovery; only an issuer URL has any.
    pub fn discovery(mut self, discovery: bool) -> Self {
        self.discovery = Some(discovery);
        self
    }

    pub fn trust(mut self, trust: TrustAnchors) -> Self {
        self.trust = trust;
        self
    }

    /// The deadline for the whole request, from [`MIN_TIMEOUT`] to
    /// [`MAX_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn proxy(mut self, proxy: ProxyChoice) -> Self {
        self.proxy = proxy;
        self
    }

    pub fn build(self) -> Result<Request> {
        let is_issuer = matches!(self.target, Target::Issuer(_));
        if self.discovery.is_some() && !is_issuer {
            return Err(InputError::Usage(
                "discovery goes with url only: region and host are thumbprinted directly".into(),
            )
            .into());
        }
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if !(MIN_TIMEOUT..=MAX_TIMEOUT).contains(&timeout) {
            return Err(timeout_out_of_range(&crate::deadline::seconds(timeout)));
        }
        match &self.trust {
            TrustAnchors::File(path) if path.as_os_str().is_empty() => {
                return Err(Error::invalid("ca_file", "", "the path is empty"))
            }
            _ => {}
        }
        Ok(Request {
            target: self.target,
            options: Options {
                discovery: self.discovery.unwrap_or(is_issuer),
                trust: self.trust,
                timeout,
                proxy: self.proxy,
                sample: self.sample,
                resolve: self.resolve,
            },
        })
    }
}

/// A timeout in seconds as text (`2.5`), as a query or a flag gives it.
pub fn parse_timeout(text: &str) -> Result<Duration> {
    match text.trim().parse::<f64>() {
        Ok(secs) if (MIN_TIMEOUT.as_secs_f64()..=MAX_TIMEOUT.as_secs_f64()).contains(&secs) => {
            Ok(Duration::from_secs_f64(secs))
        }
        _ => Err(timeout_out_of_range(text)),
    }
}

fn timeout_out_of_range(shown: &str) -> Error {
    Error::invalid(
        "timeout",
        shown,
        format!(
            "use a number of seconds from {} to {}",
            MIN_TIMEOUT.as_secs_f64(),
            MAX_TIMEOUT.as_secs_f64()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_target() {
        let request = Request::builder(
            Target::url("https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE").unwrap(),
        )
        .build()
        .unwrap();
        assert!(request.options().discovery);
        assert_eq!(request.options().timeout, DEFAULT_TIMEOUT);
        assert_eq!(request.options().trust, TrustAnchors::BuiltIn);
        assert_eq!(request.options().proxy, ProxyChoice::FromEnvironment);
        let request = Request::builder(Target::region("cn-north-1").unwrap())
            .build()
            .unwrap();
        assert!(!request.options().discovery);
        assert_eq!(
            request.target().endpoint().host(),
            "oidc.eks.cn-north-1.amazonaws.com.cn"
        );
    }

    #[test]
    fn the_builder_refuses_what_cannot_work() {
        let host = || Target::host("localhost", 8443).unwrap();
        for (builder, words) in [
            (
                Request::builder(host()).discovery(false),
                "discovery goes with url",
            ),
            (
                Request::builder(host()).timeout(Duration::from_millis(50)),
                "from 0.1 to 600",
            ),
            (
                Request::builder(host()).timeout(Duration::from_secs(601)),
                "from 0.1 to 600",
            ),
            (
                Request::builder(host()).trust(TrustAnchors::File(PathBuf::new())),
                "the path is empty",
            ),
        ] {
            let e = builder.build().unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Input, "{e}");
            assert!(e.to_string().contains(words), "{e}");
        }
        for bad in [
            Target::host("a b", 1),
            Target::host("a", 0),
            Target::region("moon-1"),
        ] {
            assert_eq!(bad.unwrap_err().kind(), crate::ErrorKind::Input);
        }
    }

    #[test]
    fn resolve_entries_as_curl_writes_them() {
        let entries = parse_resolve(
            "Edges.Test:8443:127.0.0.1,[::1] b.test:443:10.0.0.7",
            "resolve",
        )
        .unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].host, "edges.test");
        assert_eq!(entries[0].port, 8443);
        assert_eq!(
            entries[0].addresses,
            vec![
                "127.0.0.1".parse::<IpAddr>().unwrap(),
                "::1".parse().unwrap()
            ]
        );
        for bad in [
            "a.test",
            "a.test:443",
            "a.test:0:1.2.3.4",
            "a.test:443:nowhere",
            ":443:1.2.3.4",
        ] {
            let e = parse_resolve(bad, "resolve").unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Input, "{bad}");
            assert!(e.to_string().contains("invalid resolve"), "{e}");
        }
        assert_eq!(Sample::parse("first", "sample").unwrap(), Sample::First);
        assert!(Sample::parse("some", "sample")
            .unwrap_err()
            .to_string()
            .contains("\"some\""));
    }

    #[test]
    fn timeouts_as_text() {
        assert_eq!(parse_timeout("2.5").unwrap(), Duration::from_millis(2500));
        for bad in ["0", "nan", "1e9", "", "-1"] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }
}
