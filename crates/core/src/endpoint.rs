//! Servers and URLs: one grammar, one owner. Every host the program connects
//! to becomes an [`Endpoint`] once, with its TLS server name checked then,
//! and every URL it follows (the issuer's discovery URL, a redirect, the
//! `jwks_uri`) is parsed once into an [`HttpsUrl`] on `http::Uri`, after
//! friendlier checks that say what is wrong in the user's words.

use std::fmt;

use rustls_pki_types::ServerName;
use ureq_proto::http::Uri;

use crate::error::{Error, Result};

pub const HTTPS_PORT: u16 = 443;
/// URLs the issuer chooses (`jwks_uri`, `Location`) end up in messages and
/// in Terraform state; real ones are under 200 bytes.
pub const MAX_URL_BYTES: usize = 2048;

/// A TLS server to connect to: a host name or IP address, a port, and the
/// server name rustls checks the certificate against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    host: String,
    port: u16,
    server_name: ServerName<'static>,
}

impl Endpoint {
    /// `host` (a DNS name or an IP address, IPv6 with or without brackets)
    /// and `port`, or why `host` is not one, in words for a message.
    pub fn new(host: &str, port: u16) -> std::result::Result<Self, String> {
        if host.is_empty() {
            return Err("the host name is empty".into());
        }
        // `[::1]` as written in a URL: the README promises any IP address.
        let host = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            Some(inner) if inner.parse::<std::net::Ipv6Addr>().is_ok() => inner,
            _ => host,
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let server_name = ServerName::try_from(host.clone())
            .map_err(|_| "not a valid DNS name or IP address".to_string())?;
        Ok(Endpoint {
            host,
            port,
            server_name,
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn server_name(&self) -> ServerName<'static> {
        self.server_name.clone()
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// An `https://` URL the program connects to, parsed once: the text as
/// given (what the output shows), the URI (what the request sends) and the
/// server (where it is sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsUrl {
    text: String,
    uri: Uri,
    endpoint: Endpoint,
}

impl HttpsUrl {
    /// `text` as an https URL, or why not, in words for a message. User
    /// info is refused: it would be sent nowhere.
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        if text.is_empty() {
            return Err("the URL is empty".into());
        }
        if text.len() > MAX_URL_BYTES {
            return Err(format!(
                "it is {} bytes long, more than the {MAX_URL_BYTES} a URL may have here",
                text.len()
            ));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("the URL contains white space or control characters".into());
        }
        let Some((scheme, rest)) = text.split_once("://") else {
            return Err("expected https://HOST/PATH".into());
        };
        if !scheme.eq_ignore_ascii_case("https") {
            return Err("only https:// is followed".into());
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err("user info (user@) is not accepted in the URL".into());
        }
        // The request sends the URL as it is; a character HTTP does not
        // allow in one (`<`, `^`, ...) is the URL's fault, found here.
        if let Some(bad) = text.chars().find(|&c| !is_uri_char(c)) {
            return Err(format!(
                "'{}' is not allowed in a URL; percent-encode it",
                bad.escape_default()
            ));
        }
        let endpoint = parse_authority(authority, HTTPS_PORT)?;
        // RFC 3986, section 3.2.3: an empty port (`host:`) is the scheme's
        // default, and normalisation drops the colon, so the Host header
        // and the output say `host`.
        let text = match authority.strip_suffix(':') {
            Some(host) => format!("{scheme}://{host}{}", &rest[authority.len()..]),
            None => text.to_string(),
        };
        let uri: Uri = text.parse().map_err(|e| format!("not a valid URL ({e})"))?;
        Ok(HttpsUrl {
            text,
            uri,
            endpoint,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl fmt::Display for HttpsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// An OIDC issuer URL: `https://host[:port][/path]`, nothing else. A query
/// or fragment is not part of an issuer (OpenID Connect Core 1.0, section
/// 2, `iss`). Its discovery URL is made and checked with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerUrl {
    url: HttpsUrl,
    discovery: HttpsUrl,
}

impl IssuerUrl {
    pub fn parse(text: &str) -> Result<Self> {
        let invalid = |reason: &str| Error::invalid("url", text, reason);
        let rest = match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => rest,
            Some(_) => return Err(invalid("only https:// issuer URLs are accepted")),
            None if text.is_empty() => return Err(invalid("the URL is empty")),
            None => return Err(invalid("expected https://HOST/PATH")),
        };
        if rest.contains('#') {
            return Err(invalid("an issuer URL has no #fragment"));
        }
        if rest.contains('?') {
            return Err(invalid("an issuer URL has no ?query"));
        }
        let url = HttpsUrl::parse(text).map_err(|reason| invalid(&reason))?;
        // OpenID Connect Discovery 1.0, section 4: the issuer with any
        // trailing slash removed, then `/.well-known/openid-configuration`.
        let discovery = HttpsUrl::parse(&format!(
            "{}/.well-known/openid-configuration",
            url.as_str().trim_end_matches('/')
        ))
        .map_err(|reason| invalid(&reason))?;
        Ok(IssuerUrl { url, discovery })
    }

    pub fn endpoint(&self) -> &Endpoint {
        self.url.endpoint()
    }

    pub fn discovery_url(&self) -> &HttpsUrl {
        &self.discovery
    }
}

/// RFC 3986's unreserved, reserved and `%` characters: what a URL may hold.
fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

/// `HOST`, `HOST:PORT`, `[IPV6]` or `[IPV6]:PORT`, split as text.
pub fn split_authority(authority: &str) -> std::result::Result<(&str, Option<&str>), &'static str> {
    if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or("unclosed [ in an IPv6 address")?;
        match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err("expected :PORT after ]"),
            },
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, _)) if host.contains(':') => Err("write an IPv6 address as [ADDRESS]"),
            Some((host, port)) => Ok((host, Some(port))),
            None => Ok((authority, None)),
        }
    }
}

/// An authority as an endpoint, with `default_port` when it names none.
pub fn parse_authority(
    authority: &str,
    default_port: u16,
) -> std::result::Result<Endpoint, String> {
    let (host, port) = split_authority(authority)?;
    let port = match port {
        // RFC 3986, section 3.2.3: an empty port is the scheme's default.
        Some("") | None => default_port,
        Some(port) => {
            parse_port(port).map_err(|_| format!("invalid port \"{port}\": use 1 to 65535"))?
        }
    };
    Endpoint::new(host, port)
}

/// A TCP port, 1 to 65535, in decimal digits only.
pub fn parse_port(port: &str) -> std::result::Result<u16, String> {
    let digits = !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
    match port.parse::<u16>() {
        Ok(n) if digits && n > 0 => Ok(n),
        _ => Err("use a number from 1 to 65535".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_url_has_no_doubled_slash() {
        let issuer = IssuerUrl::parse("https://accounts.google.com/").unwrap();
        assert_eq!(
            issuer.discovery_url().as_str(),
            "https://accounts.google.com/.well-known/openid-configuration"
        );
        let issuer = IssuerUrl::parse(
            "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
        )
        .unwrap();
        assert_eq!(
            issuer.discovery_url().as_str(),
            "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE/.well-known/openid-configuration"
        );
        assert_eq!(issuer.endpoint().host(), "oidc.eks.us-west-2.amazonaws.com");
        assert_eq!(issuer.endpoint().port(), 443);
    }

    #[test]
    fn ipv6_with_a_port() {
        let issuer = IssuerUrl::parse("https://[::1]:8443/id/X").unwrap();
        assert_eq!(issuer.endpoint(), &Endpoint::new("::1", 8443).unwrap());
        assert_eq!(issuer.endpoint().to_string(), "[::1]:8443");
        assert_eq!(Endpoint::new("[::1]", 1).unwrap().host(), "::1");
    }

    #[test]
    fn urls_the_program_follows() {
        let url = HttpsUrl::parse("https://a.example:8443/x?y").unwrap();
        assert_eq!(url.endpoint(), &Endpoint::new("a.example", 8443).unwrap());
        assert_eq!(url.uri().path(), "/x");
        for (bad, reason) in [
            ("http://a.example/", "only https://"),
            ("https://u@a.example/", "user info"),
            ("https://a.example/a<b", "'<' is not allowed"),
            ("https://a.example:0/", "invalid port"),
            ("https:///x", "empty"),
        ] {
            let e = HttpsUrl::parse(bad).unwrap_err();
            assert!(e.contains(reason), "{bad}: {e}");
        }
        let long = format!("https://a.example/{}", "k".repeat(MAX_URL_BYTES));
        assert!(HttpsUrl::parse(&long).unwrap_err().contains("bytes long"));
    }

    /// Issue 15: `https://host:/path` was refused as `invalid port ""`.
    #[test]
    fn an_empty_port_is_the_default() {
        for text in ["https://a.example:/id/X", "https://[::1]:/id/X"] {
            let url = HttpsUrl::parse(text).unwrap();
            assert_eq!(url.endpoint().port(), 443, "{text}");
            assert_eq!(url.uri().port_u16(), None, "{text}");
            assert!(!url.as_str().contains(":/id"), "{}", url.as_str());
        }
        let issuer = IssuerUrl::parse("https://a.example:/id/X").unwrap();
        assert_eq!(
            issuer.discovery_url().as_str(),
            "https://a.example/id/X/.well-known/openid-configuration"
        );
        assert_eq!(parse_authority("proxy:", 1080).unwrap().port(), 1080);
    }

    #[test]
    fn hosts_are_checked_once_when_made() {
        assert_eq!(Endpoint::new("LocalHost.", 1).unwrap().host(), "localhost");
        assert!(Endpoint::new("a b", 1).is_err());
        assert!(Endpoint::new("", 1).is_err());
        assert_eq!(parse_port("65535"), Ok(65535));
        for bad in ["0", "65536", "-1", "+1", "x", ""] {
            assert!(parse_port(bad).is_err(), "{bad}");
        }
    }
}
