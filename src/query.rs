//! What to thumbprint and how: the Terraform query on stdin and the CLI flags
//! both become one [`Request`], validated here so that the rest of the program
//! receives plain values.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::endpoint::{parse_port, Endpoint, IssuerUrl, HTTPS_PORT};
use crate::error::{Error, InputError, Result};
use crate::partition;
use crate::proxy::ProxyChoice;

/// Terraform sends a few hundred bytes; anything near this is not a query.
pub const MAX_QUERY_BYTES: usize = 1024 * 1024;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_TIMEOUT_SECS: f64 = 600.0;
/// Below this not even a loopback handshake fits; a smaller value is a
/// typo (`1e-10`) and is refused rather than reported as a timeout.
const MIN_TIMEOUT_SECS: f64 = 0.1;

const ACCEPTED_KEYS: &str = "url, region, host, port, ca_file, timeout, discovery, proxy";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Boxed: two parsed URLs dwarf an endpoint.
    Issuer(Box<IssuerUrl>),
    /// The EKS OIDC host of a region code.
    Region(Endpoint),
    Host(Endpoint),
}

impl Target {
    /// The server whose chain is fetched first.
    pub fn endpoint(&self) -> &Endpoint {
        match self {
            Target::Issuer(issuer) => issuer.endpoint(),
            Target::Region(endpoint) | Target::Host(endpoint) => endpoint,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
    /// Follow OIDC discovery to the host serving the JWKS (url targets only).
    pub discovery: bool,
    pub proxy: ProxyChoice,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub target: Target,
    pub options: Options,
}

/// The settings as given, before validation. The CLI and the stdin query both
/// fill one of these, so both get the same checks and the same messages.
#[derive(Debug, Default, Clone)]
pub struct RawRequest {
    pub url: Option<String>,
    pub region: Option<String>,
    pub host: Option<String>,
    pub port: Option<String>,
    pub ca_file: Option<String>,
    pub timeout: Option<String>,
    pub discovery: Option<String>,
    pub proxy: Option<String>,
}

/// Parses the JSON object Terraform's `data "external"` writes to stdin.
pub fn parse_terraform_query(stdin: &[u8]) -> Result<Request> {
    raw_from_json(stdin)?.resolve()
}

fn raw_from_json(stdin: &[u8]) -> Result<RawRequest> {
    if stdin.len() > MAX_QUERY_BYTES {
        return Err(InputError::QueryTooLarge {
            limit: MAX_QUERY_BYTES,
        }
        .into());
    }
    if stdin.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::EmptyQuery.into());
    }
    let pairs = match serde_json::from_slice(stdin) {
        Ok(QueryJson::Object(pairs)) => pairs,
        Ok(QueryJson::Other(kind)) => return Err(InputError::QueryNotObject(kind).into()),
        Err(e) => return Err(InputError::QueryNotJson(e.to_string()).into()),
    };
    // serde_json keeps the last of two equal keys; a query whose meaning
    // depends on that is refused, whatever the values are.
    for (index, (key, _)) in pairs.iter().enumerate() {
        if pairs[..index].iter().any(|(earlier, _)| earlier == key) {
            return Err(Error::Input(InputError::DuplicateQueryKey {
                key: key.clone(),
            }));
        }
    }
    let mut raw = RawRequest::default();
    for (key, value) in pairs {
        let slot = match key.as_str() {
            "url" => &mut raw.url,
            "region" => &mut raw.region,
            "host" => &mut raw.host,
            "port" => &mut raw.port,
            "ca_file" => &mut raw.ca_file,
            "timeout" => &mut raw.timeout,
            "discovery" => &mut raw.discovery,
            "proxy" => &mut raw.proxy,
            _ => {
                return Err(InputError::UnknownQueryKey {
                    key,
                    accepted: ACCEPTED_KEYS,
                }
                .into())
            }
        };
        let Value::String(text) = value else {
            return Err(InputError::QueryValueNotString {
                key,
                found: json_kind(&value),
            }
            .into());
        };
        *slot = Some(text);
    }
    Ok(raw)
}

/// The query as JSON gives it: an object's members in order, duplicates
/// kept (a `serde_json::Value` would silently keep only the last), or
/// what kind of value came instead of an object.
enum QueryJson {
    Object(Vec<(String, Value)>),
    Other(&'static str),
}

impl<'de> serde::Deserialize<'de> for QueryJson {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(QueryJsonVisitor)
    }
}

struct QueryJsonVisitor;

impl<'de> serde::de::Visitor<'de> for QueryJsonVisitor {
    type Value = QueryJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<QueryJson, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = map.next_entry::<String, Value>()? {
            pairs.push(pair);
        }
        Ok(QueryJson::Object(pairs))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<QueryJson, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(QueryJson::Other("an array"))
    }

    fn visit_unit<E>(self) -> std::result::Result<QueryJson, E> {
        Ok(QueryJson::Other("null"))
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<QueryJson, E> {
        Ok(QueryJson::Other("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> std::result::Result<QueryJson, E> {
        Ok(QueryJson::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> std::result::Result<QueryJson, E> {
        Ok(QueryJson::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> std::result::Result<QueryJson, E> {
        Ok(QueryJson::Other("a number"))
    }

    fn visit_str<E>(self, _: &str) -> std::result::Result<QueryJson, E> {
        Ok(QueryJson::Other("a string"))
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl RawRequest {
    pub fn resolve(self) -> Result<Request> {
        let given: Vec<&str> = [
            ("url", self.url.is_some()),
            ("region", self.region.is_some()),
            ("host", self.host.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect();
        if given.len() != 1 {
            let detail = if given.is_empty() {
                "none was given".to_string()
            } else {
                format!("got {}", given.join(" and "))
            };
            return Err(InputError::TargetCount(detail).into());
        }
        if self.port.is_some() && self.host.is_none() {
            return Err(InputError::Usage(
                "port goes with host; with url put the port in the URL, and region always uses 443"
                    .into(),
            )
            .into());
        }
        if self.discovery.is_some() && self.url.is_none() {
            return Err(InputError::Usage(
                "discovery goes with url only: region and host are thumbprinted directly".into(),
            )
            .into());
        }

        let target = if let Some(url) = self.url {
            Target::Issuer(Box::new(IssuerUrl::parse(&url)?))
        } else if let Some(region) = self.region {
            let host = partition::eks_oidc_host(&region)
                .map_err(|reason| Error::invalid("region", &region, reason))?;
            let endpoint = Endpoint::new(&host, HTTPS_PORT)
                .map_err(|reason| Error::invalid("region", &region, reason))?;
            Target::Region(endpoint)
        } else {
            let host = self.host.unwrap_or_default();
            let port = match &self.port {
                Some(port) => {
                    parse_port(port).map_err(|reason| Error::invalid("port", port, reason))?
                }
                None => HTTPS_PORT,
            };
            let endpoint = Endpoint::new(&host, port)
                .map_err(|reason| Error::invalid("host", &host, reason))?;
            Target::Host(endpoint)
        };

        let discovery = match self.discovery.as_deref() {
            None => matches!(target, Target::Issuer(_)),
            Some("true") => true,
            Some("false") => false,
            Some(other) => {
                return Err(Error::invalid(
                    "discovery",
                    other,
                    "use \"true\" or \"false\"",
                ))
            }
        };

        let timeout = match &self.timeout {
            Some(text) => parse_timeout(text)?,
            None => DEFAULT_TIMEOUT,
        };

        let ca_file = match self.ca_file {
            Some(path) if path.is_empty() => {
                return Err(Error::invalid("ca_file", &path, "the path is empty"))
            }
            Some(path) => Some(PathBuf::from(path)),
            None => None,
        };

        let proxy = match self.proxy.as_deref() {
            None => ProxyChoice::FromEnvironment,
            Some("none") => ProxyChoice::Direct,
            Some(url) => ProxyChoice::Url(url.to_string()),
        };

        Ok(Request {
            target,
            options: Options {
                ca_file,
                timeout,
                discovery,
                proxy,
            },
        })
    }
}

pub fn parse_timeout(text: &str) -> Result<Duration> {
    match text.trim().parse::<f64>() {
        Ok(secs) if (MIN_TIMEOUT_SECS..=MAX_TIMEOUT_SECS).contains(&secs) => {
            Ok(Duration::from_secs_f64(secs))
        }
        _ => Err(Error::invalid(
            "timeout",
            text,
            format!("use a number of seconds from {MIN_TIMEOUT_SECS} to {MAX_TIMEOUT_SECS}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(json: &str) -> Result<Request> {
        parse_terraform_query(json.as_bytes())
    }

    #[test]
    fn url_query_defaults() {
        let request =
            query(r#"{"url":"https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}"#)
                .unwrap();
        let Target::Issuer(issuer) = &request.target else {
            panic!("not an issuer: {:?}", request.target)
        };
        assert_eq!(issuer.endpoint().host(), "oidc.eks.us-west-2.amazonaws.com");
        assert_eq!(issuer.endpoint().port(), 443);
        assert!(request.options.discovery);
        assert_eq!(request.options.timeout, DEFAULT_TIMEOUT);
        assert_eq!(request.options.proxy, ProxyChoice::FromEnvironment);
    }

    #[test]
    fn region_and_host_queries() {
        let request = query(r#"{"region":"cn-north-1"}"#).unwrap();
        assert_eq!(
            request.target.endpoint().host(),
            "oidc.eks.cn-north-1.amazonaws.com.cn"
        );
        assert!(!request.options.discovery);
        let request =
            query(r#"{"host":"LocalHost","port":"8443","timeout":"2.5","proxy":"none"}"#).unwrap();
        assert_eq!(
            request.target,
            Target::Host(Endpoint::new("localhost", 8443).unwrap())
        );
        assert_eq!(request.options.timeout, Duration::from_millis(2500));
        assert_eq!(request.options.proxy, ProxyChoice::Direct);
    }

    #[test]
    fn bad_queries_are_usage_errors() {
        for bad in [
            "",
            "  \n",
            "{",
            "[]",
            "\"url\"",
            "null",
            r#"{"url":1}"#,
            r#"{"url":null}"#,
            r#"{"urll":"https://x"}"#,
            r#"{}"#,
            r#"{"url":"https://a","host":"b"}"#,
            r#"{"url":"http://a"}"#,
            r#"{"url":"https://u:p@a"}"#,
            r#"{"url":"https://a/?q=1"}"#,
            r#"{"url":"https://a/#f"}"#,
            r#"{"url":"https://a:0/"}"#,
            r#"{"url":"https://a:65536/"}"#,
            r#"{"url":"https://"}"#,
            r#"{"url":"oidc.eks.us-east-1.amazonaws.com"}"#,
            r#"{"host":"a","port":"x"}"#,
            r#"{"host":"a","port":"-1"}"#,
            r#"{"host":"a b"}"#,
            r#"{"host":""}"#,
            r#"{"region":"us-east-1","port":"443"}"#,
            r#"{"region":"moon-1"}"#,
            r#"{"region":"us-east-1","discovery":"false"}"#,
            r#"{"url":"https://a","discovery":"yes"}"#,
            r#"{"host":"a","timeout":"0"}"#,
            r#"{"host":"a","timeout":"nan"}"#,
            r#"{"host":"a","timeout":"1e9"}"#,
            r#"{"host":"a","ca_file":""}"#,
        ] {
            match query(bad) {
                Err(e) => assert_eq!(e.exit_code(), 2, "{bad:?}: {e}"),
                Ok(r) => panic!("{bad:?} was accepted as {r:?}"),
            }
        }
    }

    #[test]
    fn oversized_query_is_refused_before_parsing() {
        let big = vec![b' '; MAX_QUERY_BYTES + 1];
        assert!(matches!(
            parse_terraform_query(&big),
            Err(Error::Input(InputError::QueryTooLarge { .. }))
        ));
    }

    #[test]
    fn messages_name_the_input() {
        let e = query(r#"{"url":"http://oidc.example"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("http://oidc.example") && e.contains("https"),
            "{e}"
        );
        let e = query(r#"{"hots":"x"}"#).unwrap_err().to_string();
        assert!(e.contains("\"hots\""), "{e}");
    }
}
