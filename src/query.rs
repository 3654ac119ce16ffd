//! The two ways a person or Terraform says what to thumbprint, the stdin
//! query and the CLI flags, both become one [`RawRequest`] of typed values,
//! and then the core's [`Request`]. Only the JSON side parses strings: the
//! flags parser fills the typed fields itself.

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use oidc_thumbprint_core::{
    parse_port, parse_resolve, parse_timeout, printable, Error, ProxyChoice, Request,
    ResolveChoice, ResolveEntry, Sample, Target, TrustAnchors,
};
use serde_json::Value;

use crate::error::CliError;

/// Terraform sends a few hundred bytes; anything near this is not a query.
pub const MAX_QUERY_BYTES: usize = 1024 * 1024;
const HTTPS_PORT: u16 = 443;

/// The settings as given, each already of its type, before they are checked
/// together.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RawRequest {
    pub url: Option<String>,
    pub region: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub ca_file: Option<String>,
    pub timeout: Option<Duration>,
    pub discovery: Option<bool>,
    pub proxy: Option<String>,
    pub sample: Option<Sample>,
    /// Given by the query or by flags: then `OIDC_THUMBPRINT_RESOLVE` is
    /// not read.
    pub resolve: Option<Vec<ResolveEntry>>,
}

/// How one query key's string becomes its field.
type SetKey = fn(&mut RawRequest, String) -> Result<(), CliError>;

/// Every query key, once: the parser and the "accepted keys" message both
/// read this table.
const QUERY_KEYS: &[(&str, SetKey)] = &[
    ("url", |raw, text| {
        raw.url = Some(text);
        Ok(())
    }),
    ("region", |raw, text| {
        raw.region = Some(text);
        Ok(())
    }),
    ("host", |raw, text| {
        raw.host = Some(text);
        Ok(())
    }),
    ("port", |raw, text| {
        raw.port = Some(port_from_text(&text)?);
        Ok(())
    }),
    ("ca_file", |raw, text| {
        raw.ca_file = Some(text);
        Ok(())
    }),
    ("timeout", |raw, text| {
        raw.timeout = Some(parse_timeout(&text)?);
        Ok(())
    }),
    ("discovery", |raw, text| {
        raw.discovery = Some(match text.as_str() {
            "true" => true,
            "false" => false,
            other => {
                return Err(Error::invalid("discovery", other, "use \"true\" or \"false\"").into())
            }
        });
        Ok(())
    }),
    ("proxy", |raw, text| {
        raw.proxy = Some(text);
        Ok(())
    }),
    ("sample", |raw, text| {
        raw.sample = Some(Sample::parse(&text, "sample")?);
        Ok(())
    }),
    ("resolve", |raw, text| {
        raw.resolve = Some(parse_resolve(&text, "resolve")?);
        Ok(())
    }),
];

fn accepted_keys() -> String {
    QUERY_KEYS
        .iter()
        .map(|(key, _)| *key)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A port as text, 1 to 65535.
pub fn port_from_text(text: &str) -> Result<u16, CliError> {
    parse_port(text).map_err(|reason| Error::invalid("port", text, reason).into())
}

/// Parses the JSON object Terraform's `data "external"` writes to stdin.
pub fn parse_terraform_query(stdin: &[u8]) -> Result<Request, CliError> {
    raw_from_json(stdin)?.into_request()
}

fn raw_from_json(stdin: &[u8]) -> Result<RawRequest, CliError> {
    if stdin.len() > MAX_QUERY_BYTES {
        return Err(CliError::QueryTooLarge {
            limit: MAX_QUERY_BYTES,
        });
    }
    if stdin.iter().all(u8::is_ascii_whitespace) {
        return Err(CliError::EmptyQuery);
    }
    let pairs = match serde_json::from_slice(stdin) {
        Ok(QueryJson::Object(pairs)) => pairs,
        Ok(QueryJson::Other(kind)) => return Err(CliError::QueryNotObject(kind)),
        Err(e) => return Err(CliError::QueryNotJson(printable(&e.to_string()))),
    };
    // serde_json keeps the last of two equal keys; a query whose meaning
    // depends on that is refused, whatever the values are. A set, so that
    // 80,000 keys cost no more than reading them.
    let mut seen = HashSet::with_capacity(pairs.len());
    for (key, _) in &pairs {
        if !seen.insert(key.as_str()) {
            return Err(CliError::DuplicateQueryKey {
                key: printable(key),
            });
        }
    }
    let mut raw = RawRequest::default();
    for (key, value) in pairs {
        let Some((_, set)) = QUERY_KEYS.iter().find(|(name, _)| *name == key) else {
            return Err(CliError::unknown_key(&key, accepted_keys()));
        };
        let Value::String(text) = value else {
            return Err(CliError::QueryValueNotString {
                key: printable(&key),
                found: json_kind(&value),
            });
        };
        set(&mut raw, text)?;
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
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(QueryJsonVisitor)
    }
}

struct QueryJsonVisitor;

impl<'de> serde::de::Visitor<'de> for QueryJsonVisitor {
    type Value = QueryJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<QueryJson, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = map.next_entry::<String, Value>()? {
            pairs.push(pair);
        }
        Ok(QueryJson::Object(pairs))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<QueryJson, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(QueryJson::Other("an array"))
    }

    fn visit_unit<E>(self) -> Result<QueryJson, E> {
        Ok(QueryJson::Other("null"))
    }

    fn visit_bool<E>(self, _: bool) -> Result<QueryJson, E> {
        Ok(QueryJson::Other("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<QueryJson, E> {
        Ok(QueryJson::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<QueryJson, E> {
        Ok(QueryJson::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<QueryJson, E> {
        Ok(QueryJson::Other("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<QueryJson, E> {
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
    /// Checks the settings together and builds the core's request.
    pub fn into_request(self) -> Result<Request, CliError> {
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
            return Err(CliError::TargetCount(detail));
        }
        if self.port.is_some() && self.host.is_none() {
            return Err(CliError::usage(
                "port goes with host; with url put the port in the URL, and region always uses 443",
            ));
        }
        let target = match (self.url, self.region, self.host) {
            (Some(url), _, _) => Target::url(&url)?,
            (_, Some(region), _) => Target::region(&region)?,
            (_, _, host) => {
                Target::host(&host.unwrap_or_default(), self.port.unwrap_or(HTTPS_PORT))?
            }
        };
        let mut builder = Request::builder(target);
        if let Some(discovery) = self.discovery {
            builder = builder.discovery(discovery);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(path) = self.ca_file {
            builder = builder.trust(TrustAnchors::File(path.into()));
        }
        if let Some(sample) = self.sample {
            builder = builder.sample(sample);
        }
        if let Some(entries) = self.resolve {
            builder = builder.resolve(ResolveChoice::Given(entries));
        }
        builder = builder.proxy(match self.proxy.as_deref() {
            None => ProxyChoice::FromEnvironment,
            Some("none") => ProxyChoice::Direct,
            Some(url) => ProxyChoice::Url(url.to_string()),
        });
        Ok(builder.build()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oidc_thumbprint_core::{Endpoint, DEFAULT_TIMEOUT};

    fn query(json: &str) -> Result<Request, CliError> {
        parse_terraform_query(json.as_bytes())
    }

    #[test]
    fn url_query_defaults() {
        let request =
            query(r#"{"url":"https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}"#)
                .unwrap();
        let Target::Issuer(issuer) = request.target() else {
            panic!("not an issuer: {:?}", request.target())
        };
        assert_eq!(issuer.endpoint().host(), "oidc.eks.us-west-2.amazonaws.com");
        assert_eq!(issuer.endpoint().port(), 443);
        assert!(request.options().discovery);
        assert_eq!(request.options().timeout, DEFAULT_TIMEOUT);
        assert_eq!(request.options().proxy, ProxyChoice::FromEnvironment);
    }

    #[test]
    fn region_and_host_queries() {
        let request = query(r#"{"region":"cn-north-1"}"#).unwrap();
        assert_eq!(
            request.target().endpoint().host(),
            "oidc.eks.cn-north-1.amazonaws.com.cn"
        );
        assert!(!request.options().discovery);
        let request =
            query(r#"{"host":"LocalHost","port":"8443","timeout":"2.5","proxy":"none"}"#).unwrap();
        assert_eq!(
            request.target(),
            &Target::Host(Endpoint::new("localhost", 8443).unwrap())
        );
        assert_eq!(request.options().timeout, Duration::from_millis(2500));
        assert_eq!(request.options().proxy, ProxyChoice::Direct);
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
            r#"{"host":"a","sample":"some"}"#,
            r#"{"host":"a","resolve":"a:443"}"#,
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
            Err(CliError::QueryTooLarge { .. })
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
        assert!(
            e.contains("\"hots\"") && e.contains(&accepted_keys()),
            "{e}"
        );
    }

    /// Issue 15: a key holding a newline forged a second `error:` line.
    #[test]
    fn keys_are_quoted_escaped_and_cut() {
        for query_text in [
            "{\"x\\nerror: forged\":\"1\"}".to_string(),
            "{\"a\":\"1\",\"a\":\"2\"}".replace('a', "k\\u001b[2J"),
            "{\"x\\nerror: forged\":1}".to_string(),
            format!("{{\"{}\":\"1\"}}", "k".repeat(10_000)),
        ] {
            let e = query(&query_text).unwrap_err().to_string();
            assert!(!e.contains('\n') && !e.contains('\x1b'), "{e}");
            assert!(e.chars().count() < 600, "{} chars", e.chars().count());
        }
    }
}
