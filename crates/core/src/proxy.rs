//! HTTPS proxies: which proxy (if any) a connection goes through, and the
//! HTTP CONNECT tunnel (RFC 9110, section 9.3.6) that carries TLS end to end,
//! so that verification and the presented chain stay the origin's.
//!
//! The environment conventions are curl's: `https_proxy`, `HTTPS_PROXY`,
//! `all_proxy`, `ALL_PROXY`, and `no_proxy` / `NO_PROXY` with host suffixes,
//! `*`, IP addresses and CIDR ranges.

use std::fmt;
use std::io::{Read, Write};
use std::net::IpAddr;

use base64::Engine as _;

use crate::deadline::Deadline;
use crate::endpoint::{parse_authority, Endpoint};
use crate::error::{Error, FetchError, Result};
use crate::escape::printable;

/// curl's default port for a proxy URL without one.
const DEFAULT_PROXY_PORT: u16 = 1080;
const MAX_CONNECT_RESPONSE: usize = 16 * 1024;

/// Which proxy to use, as the user asked for it. The environment is read
/// later, once, where the program starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyChoice {
    /// `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY`, as curl reads them.
    FromEnvironment,
    /// `none`: connect directly whatever the environment says.
    Direct,
    /// An explicit proxy URL; the environment's proxy variables are ignored.
    Url(String),
}

#[derive(Clone, PartialEq, Eq)]
pub struct ProxyServer {
    pub endpoint: Endpoint,
    user: Option<String>,
    password: Option<String>,
}

/// Shown in messages: never the user info. A proxy URL with only a user
/// (`http://TOKEN@proxy:3128`) usually carries a token there.
impl fmt::Display for ProxyServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.user {
            Some(_) => write!(f, "http://***@{}", self.endpoint),
            None => write!(f, "http://{}", self.endpoint),
        }
    }
}

impl fmt::Debug for ProxyServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyServer({self})")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    server: Option<ProxyUrl>,
    bypass: Vec<BypassRule>,
}

/// A proxy as configured: an explicit one was checked when given; one from
/// the environment is parsed only for a host it applies to (as curl does,
/// a bad `ALL_PROXY` is no error for a host that `NO_PROXY` exempts).
#[derive(Debug, Clone, PartialEq, Eq)]
enum ProxyUrl {
    Checked(ProxyServer),
    FromVariable { name: &'static str, url: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum BypassRule {
    Everything,
    DomainSuffix(String),
    Network { network: IpAddr, prefix_len: u8 },
}

impl ProxyConfig {
    /// Resolves the user's choice against the environment, once, at start-up.
    pub fn resolve(choice: &ProxyChoice, env: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let first_set = |names: &[&'static str]| -> Option<(&'static str, String)> {
            names.iter().find_map(|&name| {
                env(name)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (name, v))
            })
        };
        match choice {
            ProxyChoice::Direct => Ok(ProxyConfig::default()),
            ProxyChoice::Url(url) => Ok(ProxyConfig {
                server: Some(ProxyUrl::Checked(parse_proxy_url("proxy", url)?)),
                bypass: Vec::new(),
            }),
            ProxyChoice::FromEnvironment => {
                let server = first_set(&["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"])
                    .map(|(name, url)| ProxyUrl::FromVariable { name, url });
                let bypass = first_set(&["no_proxy", "NO_PROXY"])
                    .map(|(_, list)| parse_no_proxy(&list))
                    .unwrap_or_default();
                Ok(ProxyConfig { server, bypass })
            }
        }
    }

    /// The proxy to reach `target` through, or `None` to connect directly.
    /// A proxy variable that applies to `target` and does not parse is bad
    /// input, naming the variable.
    pub fn for_endpoint(&self, target: &Endpoint) -> Result<Option<ProxyServer>> {
        let Some(server) = &self.server else {
            return Ok(None);
        };
        if self.bypass.iter().any(|rule| rule.matches(target.host())) {
            return Ok(None);
        }
        match server {
            ProxyUrl::Checked(server) => Ok(Some(server.clone())),
            ProxyUrl::FromVariable { name, url } => parse_proxy_url(name, url).map(Some),
        }
    }
}

impl BypassRule {
    fn matches(&self, host: &str) -> bool {
        let address = host.parse::<IpAddr>().ok();
        match self {
            BypassRule::Everything => true,
            // As curl: suffix rules are for names, never for IP literals
            // (`.0.0.1` must not send 127.0.0.1 around the proxy).
            BypassRule::DomainSuffix(suffix) => {
                address.is_none()
                    && (host == suffix
                        || host
                            .strip_suffix(suffix.as_str())
                            .is_some_and(|rest| rest.ends_with('.')))
            }
            BypassRule::Network {
                network,
                prefix_len,
            } => address.is_some_and(|ip| in_network(ip, *network, *prefix_len)),
        }
    }
}

fn in_network(ip: IpAddr, network: IpAddr, prefix_len: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let bits = u32::from(prefix_len.min(32));
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let bits = u32::from(prefix_len.min(128));
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

/// curl's `NO_PROXY`: `*`, IP addresses and CIDR ranges (IPv6 with or
/// without brackets), and host-name suffixes with an optional leading `.`
/// or `*.`; a port on a name is ignored, as curl does. Entries that are
/// neither are skipped.
fn parse_no_proxy(list: &str) -> Vec<BypassRule> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .filter_map(|entry| {
            if entry == "*" {
                return Some(BypassRule::Everything);
            }
            if let Some(rule) = address_rule(entry) {
                return Some(rule);
            }
            let name = entry.trim_start_matches("*.").trim_start_matches('.');
            let name = name.split(':').next().unwrap_or(name);
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            (!name.is_empty() && name.parse::<IpAddr>().is_err())
                .then_some(BypassRule::DomainSuffix(name))
        })
        .collect()
}

/// `ADDRESS`, `[IPV6]`, `ADDRESS/BITS` or `[IPV6]/BITS`.
fn address_rule(entry: &str) -> Option<BypassRule> {
    let (address, bits) = match entry.split_once('/') {
        Some((address, bits)) => (address, Some(bits)),
        None => (entry, None),
    };
    let address = address
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .unwrap_or(address);
    let network = address.parse::<IpAddr>().ok()?;
    let widest = if network.is_ipv4() { 32 } else { 128 };
    let prefix_len = match bits {
        None => widest,
        Some(bits) => bits.parse::<u8>().ok().filter(|&n| n <= widest)?,
    };
    Some(BypassRule::Network {
        network,
        prefix_len,
    })
}

/// `http://[user[:password]@]host[:port][/]`. Only plain-HTTP proxies speak
/// CONNECT the way this program needs; the TLS inside stays end to end.
fn parse_proxy_url(input: &'static str, url: &str) -> Result<ProxyServer> {
    // Messages about a proxy URL never repeat the URL: it may hold a password.
    let invalid = |reason: &str| Error::invalid(input, &redact(url), reason);
    let rest = match url.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
        Some((scheme, _)) => {
            return Err(invalid(&format!(
                "proxy scheme {}:// is not supported; use an http:// proxy that accepts CONNECT",
                printable(scheme)
            )))
        }
        None => url,
    };
    let authority = rest.trim_end_matches('/');
    if authority.contains('/') || authority.contains('?') || authority.contains('#') {
        return Err(invalid("a proxy URL is http://[USER:PASSWORD@]HOST[:PORT]"));
    }
    let (user_info, host_port) = match authority.rsplit_once('@') {
        Some((user_info, host_port)) => (Some(user_info), host_port),
        None => (None, authority),
    };
    let endpoint = parse_authority(host_port, DEFAULT_PROXY_PORT)
        .map_err(|_| invalid("invalid proxy host or port"))?;
    let (user, password) = match user_info {
        None => (None, None),
        Some(info) => {
            let (user, password) = match info.split_once(':') {
                Some((user, password)) => (user, Some(password)),
                None => (info, None),
            };
            let decode =
                |s: &str| percent_decode(s).ok_or_else(|| invalid("bad %-escape in the user info"));
            (Some(decode(user)?), password.map(decode).transpose()?)
        }
    };
    Ok(ProxyServer {
        endpoint,
        user,
        password,
    })
}

/// `url` with its whole user info replaced by `***` (a message escapes it).
fn redact(url: &str) -> String {
    let shown = match url.rsplit_once('@') {
        Some((before, after)) => {
            let scheme_end = before.find("://").map_or(0, |i| i + 3);
            format!("{}***@{after}", &before[..scheme_end])
        }
        None => url.to_string(),
    };
    shown
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Asks `proxy` to open a tunnel to `target` over `stream`. On success the
/// stream carries bytes to and from `target` unchanged.
pub fn open_tunnel(
    stream: &mut (impl Read + Write),
    proxy: &ProxyServer,
    target: &Endpoint,
    deadline: &Deadline,
) -> Result<()> {
    // A proxy that stops answering is reported as the deadline running out
    // while waiting for it, not as whatever the read said then.
    let fail = |reason: String| -> Error {
        if deadline.expired() {
            deadline.timeout_error(format!(
                "waiting for proxy {proxy} to open a tunnel to {target}"
            ))
        } else {
            FetchError::Proxy {
                proxy: proxy.to_string(),
                endpoint: target.to_string(),
                reason,
            }
            .into()
        }
    };
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some(user) = &proxy.user {
        let credentials = format!("{user}:{}", proxy.password.as_deref().unwrap_or_default());
        let encoded = base64::engine::general_purpose::STANDARD.encode(credentials);
        request.push_str(&format!("Proxy-Authorization: Basic {encoded}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.flush())
        .map_err(|e| fail(format!("did not take the CONNECT request: {e}")))?;

    // Byte by byte: what follows the proxy's answer is the origin's TLS, which
    // must be left in the socket for rustls.
    let mut response = Vec::with_capacity(256);
    let mut byte = [0u8; 1];
    // A blank line ends the head; some proxies end lines with a bare LF,
    // which httparse accepts too (RFC 9112, section 2.2).
    while !(response.ends_with(b"\n\n") || response.ends_with(b"\n\r\n")) {
        if response.len() >= MAX_CONNECT_RESPONSE {
            return Err(fail(format!(
                "sent more than {MAX_CONNECT_RESPONSE} bytes of headers"
            )));
        }
        match stream.read(&mut byte) {
            Ok(0) => {
                return Err(fail(
                    "closed the connection without answering CONNECT".into(),
                ))
            }
            Ok(_) => response.push(byte[0]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(fail(format!("did not answer CONNECT: {e}"))),
        }
    }
    // Bounded by the answer's size, not by a count of headers: the
    // shortest header line, `a:` and a bare LF, is three bytes.
    let mut headers = vec![httparse::EMPTY_HEADER; response.len() / 3 + 1];
    let mut parsed = httparse::Response::new(&mut headers);
    match parsed.parse(&response) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => {
            return Err(fail(
                "answered CONNECT with something that is not HTTP".into(),
            ))
        }
    }
    let code = parsed.code.unwrap_or_default();
    // The reason phrase is the proxy's own text: escaped and cut.
    let status = format!("{code} {}", printable(parsed.reason.unwrap_or_default()))
        .trim()
        .to_string();
    match code {
        200..=299 => Ok(()),
        407 if proxy.user.is_some() => Err(fail(format!(
            "rejected the credentials in the proxy URL ({status})"
        ))),
        407 => Err(fail(format!(
            "requires credentials ({status}); put them in the proxy URL as http://USER:PASSWORD@HOST:PORT"
        ))),
        _ => Err(fail(format!("refused the tunnel ({status})"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve(vars: &[(&str, &str)]) -> Result<ProxyConfig> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ProxyConfig::resolve(&ProxyChoice::FromEnvironment, |name| {
            vars.get(name).cloned()
        })
    }

    /// The proxy `config` picks for `host`, which must be valid.
    fn proxy_for(config: &ProxyConfig, host: &str) -> Option<ProxyServer> {
        config.for_endpoint(&endpoint(host)).expect("a valid proxy")
    }

    /// The error for a proxy variable that applies to host `a`.
    fn chosen_error(vars: &[(&str, &str)]) -> Error {
        resolve(vars)
            .expect("variables are read, not parsed")
            .for_endpoint(&endpoint("a"))
            .unwrap_err()
    }

    fn endpoint(host: &str) -> Endpoint {
        Endpoint::new(host, 443).expect("endpoint")
    }

    fn no_deadline() -> Deadline {
        Deadline::starting_now(std::time::Duration::from_secs(5))
    }

    #[test]
    fn lowercase_wins_and_all_proxy_is_a_fallback() {
        let config = resolve(&[
            ("HTTPS_PROXY", "http://upper:3128"),
            ("https_proxy", "http://lower:3128"),
        ])
        .unwrap();
        assert_eq!(proxy_for(&config, "a").unwrap().endpoint.host(), "lower");
        let config = resolve(&[("ALL_PROXY", "http://all:8080")]).unwrap();
        assert_eq!(
            proxy_for(&config, "a").unwrap().endpoint,
            Endpoint::new("all", 8080).unwrap()
        );
        assert!(proxy_for(&resolve(&[]).unwrap(), "a").is_none());
    }

    /// Issue 15: a proxy variable that does not parse failed the run for a
    /// host that `NO_PROXY` exempts; curl connects directly. Chosen, it is
    /// still bad input naming the variable.
    #[test]
    fn a_bad_proxy_variable_matters_only_where_it_applies() {
        for vars in [
            &[
                ("ALL_PROXY", "socks5://127.0.0.1:9"),
                ("NO_PROXY", "127.0.0.1"),
            ][..],
            &[("https_proxy", "https://p.example:3128"), ("no_proxy", "*")],
            &[
                ("HTTPS_PROXY", "http://p:99999"),
                ("no_proxy", ".internal,127.0.0.1"),
            ],
        ] {
            let config = resolve(vars).expect("read, not parsed");
            assert_eq!(proxy_for(&config, "127.0.0.1"), None, "{vars:?}");
        }
        let e = chosen_error(&[
            ("ALL_PROXY", "socks5://127.0.0.1:9"),
            ("NO_PROXY", "127.0.0.1"),
        ]);
        assert_eq!(e.kind(), crate::ErrorKind::Input);
        assert!(e.to_string().contains("ALL_PROXY"), "{e}");
        // An explicit proxy is checked when given, whatever the host.
        assert!(ProxyConfig::resolve(&ProxyChoice::Url("socks5://p:1".into()), |_| None).is_err());
    }

    #[test]
    fn default_port_is_curls() {
        let config = resolve(&[("https_proxy", "proxy.corp")]).unwrap();
        assert_eq!(proxy_for(&config, "a").unwrap().endpoint.port(), 1080);
    }

    #[test]
    fn no_proxy_rules() {
        let config = resolve(&[
            ("https_proxy", "http://p:3128"),
            (
                "NO_PROXY",
                ".internal.example, amazonaws.com,10.0.0.0/8, ::1,192.168.1.7",
            ),
        ])
        .unwrap();
        for direct in [
            "amazonaws.com",
            "oidc.eks.us-east-1.amazonaws.com",
            "a.internal.example",
            "10.2.3.4",
            "::1",
            "192.168.1.7",
        ] {
            assert!(
                proxy_for(&config, direct).is_none(),
                "{direct} should bypass"
            );
        }
        for proxied in [
            "notamazonaws.com",
            "internal.example.org",
            "11.0.0.1",
            "192.168.1.8",
            "::2",
        ] {
            assert!(
                proxy_for(&config, proxied).is_some(),
                "{proxied} should be proxied"
            );
        }
        let star = resolve(&[("https_proxy", "http://p:3128"), ("no_proxy", "*")]).unwrap();
        assert!(proxy_for(&star, "anything").is_none());
    }

    /// Issue 8: `[::1]` and `[::1]/128` were dropped, and `.0.0.1` (a
    /// suffix rule) matched the address 127.0.0.1.
    #[test]
    fn no_proxy_brackets_and_suffixes_follow_curl() {
        let config = resolve(&[
            ("https_proxy", "http://p:3128"),
            (
                "no_proxy",
                "[::1],[fd00::]/8,.0.0.1,10.0.0.0/33,example.org:8443",
            ),
        ])
        .unwrap();
        for direct in ["::1", "fd12::7", "a.example.org"] {
            assert!(
                proxy_for(&config, direct).is_none(),
                "{direct} should bypass"
            );
        }
        for proxied in ["127.0.0.1", "10.1.2.3", "::2"] {
            assert!(
                proxy_for(&config, proxied).is_some(),
                "{proxied} should be proxied"
            );
        }
        let single =
            resolve(&[("https_proxy", "http://p:3128"), ("no_proxy", "[::1]/128")]).unwrap();
        assert!(proxy_for(&single, "::1").is_none());
    }

    /// Issue 8: a token in the user part was printed, and a percent-encoded
    /// password was printed decoded.
    #[test]
    fn user_info_is_never_shown() {
        let config = resolve(&[("https_proxy", "http://SECRETTOKEN@p:3128")]).unwrap();
        let server = proxy_for(&config, "a").unwrap();
        assert_eq!(server.to_string(), "http://***@p:3128");
        let e = chosen_error(&[("https_proxy", "ftp://alice%3Ahunter2@p:1")]).to_string();
        assert!(
            !e.contains("alice") && !e.contains("hunter2") && e.contains("***@p:1"),
            "{e}"
        );
        let e = chosen_error(&[("https_proxy", "http://SECRETTOKEN@p:99999")]).to_string();
        assert!(!e.contains("SECRETTOKEN"), "{e}");
    }

    #[test]
    fn explicit_choice_ignores_environment() {
        let config =
            ProxyConfig::resolve(&ProxyChoice::Direct, |_| Some("http://env:1".into())).unwrap();
        assert!(proxy_for(&config, "a").is_none());
        let config = ProxyConfig::resolve(&ProxyChoice::Url("http://flag:9".into()), |_| {
            Some("http://env:1".into())
        })
        .unwrap();
        assert_eq!(proxy_for(&config, "a").unwrap().endpoint.host(), "flag");
    }

    #[test]
    fn password_never_shown() {
        let config = resolve(&[("https_proxy", "http://alice:s%40cret@p:3128")]).unwrap();
        let server = proxy_for(&config, "a").unwrap();
        assert_eq!(server.password.as_deref(), Some("s@cret"));
        assert_eq!(server.to_string(), "http://***@p:3128");
        assert!(!format!("{server:?}").contains("cret"));
        assert!(!format!("{server:?}").contains("alice"));
        let e = chosen_error(&[("https_proxy", "socks5://alice:hunter2@p:1")]).to_string();
        assert!(!e.contains("hunter2") && e.contains("https_proxy"), "{e}");
    }

    #[test]
    fn tunnel_sends_basic_credentials_and_reads_only_the_answer() {
        let config = resolve(&[("https_proxy", "http://alice:pw@p:3128")]).unwrap();
        let server = proxy_for(&config, "a").unwrap().clone();
        let mut stream = FakeStream::new(b"HTTP/1.1 200 Connection established\r\n\r\nTLS");
        open_tunnel(
            &mut stream,
            &server,
            &Endpoint::new("origin", 8443).unwrap(),
            &no_deadline(),
        )
        .unwrap();
        let sent = String::from_utf8(stream.written).unwrap();
        assert!(
            sent.starts_with("CONNECT origin:8443 HTTP/1.1\r\n"),
            "{sent}"
        );
        assert!(
            sent.contains("Proxy-Authorization: Basic YWxpY2U6cHc=\r\n"),
            "{sent}"
        );
        assert_eq!(&stream.input[stream.read_at..], b"TLS");
    }

    /// Issue 15: a CONNECT answer with more than 64 headers was "not HTTP";
    /// its bound is its size (16 KiB).
    #[test]
    fn a_tunnel_answer_with_many_headers_is_understood() {
        let server = parse_proxy_url("proxy", "http://p:1").unwrap();
        let headers: String = (0..500).map(|i| format!("x-{i}: v\r\n")).collect();
        let answer = format!("HTTP/1.1 200 OK\r\n{headers}\r\n");
        assert!(answer.len() < MAX_CONNECT_RESPONSE);
        open_tunnel(
            &mut FakeStream::new(answer.as_bytes()),
            &server,
            &endpoint("o"),
            &no_deadline(),
        )
        .unwrap();
    }

    #[test]
    fn tunnel_refusals_are_named() {
        let server = parse_proxy_url("proxy", "http://p:1").unwrap();
        for (answer, expected) in [
            (
                &b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"[..],
                "requires credentials",
            ),
            (b"HTTP/1.1 403 Forbidden\r\n\r\n", "403 Forbidden"),
            (b"HTTP/1.1 502 Bad Gateway\r\n\r\n", "502"),
            (b"", "closed the connection"),
            (b"garbage\r\n\r\n", "not HTTP"),
        ] {
            let e = open_tunnel(
                &mut FakeStream::new(answer),
                &server,
                &endpoint("o"),
                &no_deadline(),
            )
            .unwrap_err();
            let text = e.to_string();
            assert!(
                text.contains(expected) && text.contains("http://p:1"),
                "{text}"
            );
        }
    }

    struct FakeStream {
        input: Vec<u8>,
        read_at: usize,
        written: Vec<u8>,
    }

    impl FakeStream {
        fn new(input: &[u8]) -> Self {
            FakeStream {
                input: input.to_vec(),
                read_at: 0,
                written: Vec::new(),
            }
        }
    }

    impl Read for FakeStream {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = (&self.input[self.read_at..]).read(buf)?;
            self.read_at += n;
            Ok(n)
        }
    }

    impl Write for FakeStream {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
