//! The data source's arguments, and the provider's defaults, into the core's
//! [`Request`]. The rules are the CLI's (the core's builder checks each
//! value); what is the provider's own is pointing each problem at its
//! attribute, and checking what is known at `terraform validate`, before
//! any network access.

use std::time::Duration;

use oidc_thumbprint_core::{
    certificates_in_pem, parse_timeout, Error, ProxyChoice, Request, Target, TrustAnchors,
};

const HTTPS_PORT: u16 = 443;

/// An argument as Terraform gives it: unset, not known until apply (during
/// validate), or a value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Input<T> {
    #[default]
    Absent,
    Unknown,
    Given(T),
}

impl<T> Input<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Input<U> {
        match self {
            Input::Given(value) => Input::Given(f(value)),
            Input::Absent => Input::Absent,
            Input::Unknown => Input::Unknown,
        }
    }

    fn is_unknown(&self) -> bool {
        matches!(self, Input::Unknown)
    }

    fn is_set(&self) -> bool {
        !matches!(self, Input::Absent)
    }

    fn given(&self) -> Option<&T> {
        match self {
            Input::Given(value) => Some(value),
            _ => None,
        }
    }
}

/// A Terraform number: whole or not, or as text when it does not fit a
/// float (cty sends those as strings).
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    Float(f64),
    Text(String),
}

impl Number {
    fn shown(&self) -> String {
        match self {
            Number::Float(value) => value.to_string(),
            Number::Text(text) => text.clone(),
        }
    }
}

/// The arguments of `data "oidcthumbprint_issuer"`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssuerArguments {
    pub url: Input<String>,
    pub region: Input<String>,
    pub host: Input<String>,
    pub port: Input<Number>,
    pub discovery: Input<bool>,
    pub ca_pem: Input<String>,
    pub ca_file: Input<String>,
    pub timeout: Input<Number>,
    pub proxy: Input<String>,
}

impl IssuerArguments {
    /// Whether an argument is not known yet (validate before apply).
    fn any_unknown(&self) -> bool {
        self.url.is_unknown()
            || self.region.is_unknown()
            || self.host.is_unknown()
            || self.port.is_unknown()
            || self.discovery.is_unknown()
            || self.ca_pem.is_unknown()
            || self.ca_file.is_unknown()
            || self.timeout.is_unknown()
            || self.proxy.is_unknown()
    }
}

/// The provider block: defaults that a data source's own values override.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderDefaults {
    pub timeout: Option<Duration>,
    pub proxy: Option<String>,
}

/// The provider block's arguments as given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderArguments {
    pub timeout: Input<Number>,
    pub proxy: Input<String>,
}

/// What is wrong, and with which argument (none: the block as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub attribute: Option<&'static str>,
    pub summary: String,
    /// The sentence the CLI prints for the same input.
    pub detail: String,
}

impl Problem {
    fn on(attribute: &'static str, summary: &str, detail: impl Into<String>) -> Self {
        Problem {
            attribute: Some(attribute),
            summary: summary.to_string(),
            detail: detail.into(),
        }
    }

    /// A core error about the input, on the attribute it names when that
    /// is one of the data source's (`url`, `ca_file`, `proxy`).
    pub fn from_core(error: &Error) -> Self {
        let attribute = error.input().and_then(|input| {
            ATTRIBUTES_NAMED_BY_CORE
                .iter()
                .copied()
                .find(|name| *name == input)
        });
        Problem {
            attribute,
            summary: match attribute {
                Some(name) => format!("Invalid {name}"),
                None => "Invalid arguments".to_string(),
            },
            detail: error.to_string(),
        }
    }
}

/// The arguments a core input error can name (its `input`).
const ATTRIBUTES_NAMED_BY_CORE: &[&str] = &[
    "url", "region", "host", "port", "timeout", "ca_file", "ca_pem", "proxy",
];

/// Every problem with what is known of `arguments`: what validate reports.
pub fn check(arguments: &IssuerArguments) -> Vec<Problem> {
    match request(arguments, &ProviderDefaults::default()) {
        Err(problems) => problems,
        Ok(_) => Vec::new(),
    }
}

/// The request `arguments` make, with `defaults` for what they leave unset;
/// `Ok(None)` while an argument is not known yet.
pub fn request(
    arguments: &IssuerArguments,
    defaults: &ProviderDefaults,
) -> Result<Option<Request>, Vec<Problem>> {
    let mut problems = Vec::new();
    let targets: Vec<&'static str> = [
        ("url", arguments.url.is_set()),
        ("region", arguments.region.is_set()),
        ("host", arguments.host.is_set()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect();
    const ONE_TARGET: &str = "Give exactly one of url, region or host";
    match targets.as_slice() {
        [] => problems.push(Problem {
            attribute: None,
            summary: ONE_TARGET.to_string(),
            detail: "give exactly one of url, region or host; none was given".to_string(),
        }),
        [_] => {}
        [_, extra @ ..] => {
            let detail = format!(
                "give exactly one of url, region or host; got {}",
                targets.join(" and ")
            );
            for name in extra {
                problems.push(Problem::on(name, ONE_TARGET, detail.clone()));
            }
        }
    }
    if arguments.port.is_set() && !arguments.host.is_set() {
        problems.push(Problem::on(
            "port",
            "port goes with host",
            "port goes with host; with url put the port in the URL, and region always uses 443",
        ));
    }
    if arguments.discovery.is_set() && !arguments.url.is_set() {
        problems.push(Problem::on(
            "discovery",
            "discovery goes with url",
            "discovery goes with url only: region and host are thumbprinted directly",
        ));
    }
    if arguments.ca_pem.is_set() && arguments.ca_file.is_set() {
        problems.push(Problem::on(
            "ca_file",
            "Give ca_pem or ca_file, not both",
            "give ca_pem or ca_file, not both: each replaces the built-in roots",
        ));
    }
    let port = match arguments.port.given().map(port_number) {
        Some(Err(problem)) => {
            problems.push(problem);
            None
        }
        Some(Ok(port)) => Some(port),
        None => None,
    };
    let timeout = match arguments
        .timeout
        .given()
        .map(|t| timeout_value("timeout", t))
    {
        Some(Err(problem)) => {
            problems.push(problem);
            None
        }
        Some(Ok(timeout)) => Some(timeout),
        None => defaults.timeout,
    };
    if arguments
        .ca_file
        .given()
        .is_some_and(|path| path.is_empty())
    {
        problems.push(Problem::on(
            "ca_file",
            "Invalid ca_file",
            "invalid ca_file \"\": the path is empty",
        ));
    }
    if let Some(Err(reason)) = arguments
        .ca_pem
        .given()
        .map(|pem| certificates_in_pem(pem.as_bytes()))
    {
        problems.push(Problem::on(
            "ca_pem",
            "Invalid ca_pem",
            format!("invalid ca_pem: {reason}"),
        ));
    }
    let target = if let Some(url) = arguments.url.given() {
        Some(Target::url(url))
    } else if let Some(region) = arguments.region.given() {
        Some(Target::region(region))
    } else {
        arguments
            .host
            .given()
            .map(|host| Target::host(host, port.unwrap_or(HTTPS_PORT)))
    };
    let target = match target {
        Some(Err(error)) => {
            problems.push(Problem::from_core(&error));
            None
        }
        Some(Ok(target)) => Some(target),
        None => None,
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(target) = target.filter(|_| !arguments.any_unknown()) else {
        return Ok(None);
    };
    let mut builder = Request::builder(target);
    if let Some(discovery) = arguments.discovery.given() {
        builder = builder.discovery(*discovery);
    }
    if let Some(timeout) = timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(pem) = arguments.ca_pem.given() {
        builder = builder.trust(TrustAnchors::Pem(pem.clone().into_bytes()));
    }
    if let Some(path) = arguments.ca_file.given() {
        builder = builder.trust(TrustAnchors::File(path.into()));
    }
    let proxy = arguments.proxy.given().or(defaults.proxy.as_ref());
    builder = builder.proxy(proxy_choice(proxy.map(String::as_str)));
    builder
        .build()
        .map(Some)
        .map_err(|error| vec![Problem::from_core(&error)])
}

/// The provider block's defaults, or what is wrong with them.
pub fn defaults(arguments: &ProviderArguments) -> Result<ProviderDefaults, Vec<Problem>> {
    let timeout = match arguments.timeout.given() {
        Some(number) => Some(timeout_value("timeout", number).map_err(|p| vec![p])?),
        None => None,
    };
    Ok(ProviderDefaults {
        timeout,
        proxy: arguments.proxy.given().cloned(),
    })
}

/// `"none"` goes direct, as in the CLI's query; unset reads the
/// environment's proxy variables.
fn proxy_choice(proxy: Option<&str>) -> ProxyChoice {
    match proxy {
        None => ProxyChoice::FromEnvironment,
        Some("none") => ProxyChoice::Direct,
        Some(url) => ProxyChoice::Url(url.to_string()),
    }
}

fn port_number(number: &Number) -> Result<u16, Problem> {
    let invalid = || {
        Problem::on(
            "port",
            "Invalid port",
            format!(
                "invalid port \"{}\": use a whole number from 1 to 65535",
                number.shown()
            ),
        )
    };
    match number {
        Number::Float(value) if value.fract() == 0.0 && (1.0..=65535.0).contains(value) => {
            Ok(*value as u16)
        }
        _ => Err(invalid()),
    }
}

fn timeout_value(attribute: &'static str, number: &Number) -> Result<Duration, Problem> {
    parse_timeout(&number.shown()).map_err(|error| Problem {
        attribute: Some(attribute),
        summary: "Invalid timeout".to_string(),
        detail: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(text: &str) -> Input<String> {
        Input::Given(text.to_string())
    }

    fn attributes(problems: &[Problem]) -> Vec<Option<&'static str>> {
        problems.iter().map(|p| p.attribute).collect()
    }

    #[test]
    fn bad_combinations_point_at_the_attribute() {
        let cases = [
            (
                IssuerArguments {
                    url: given("https://issuer.test/id/X"),
                    host: given("issuer.test"),
                    ..Default::default()
                },
                Some("host"),
                "got url and host",
            ),
            (
                IssuerArguments {
                    region: given("us-east-1"),
                    port: Input::Given(Number::Float(443.0)),
                    ..Default::default()
                },
                Some("port"),
                "port goes with host",
            ),
            (
                IssuerArguments {
                    host: given("issuer.test"),
                    discovery: Input::Given(false),
                    ..Default::default()
                },
                Some("discovery"),
                "discovery goes with url",
            ),
            (
                IssuerArguments {
                    host: given("issuer.test"),
                    timeout: Input::Given(Number::Float(0.01)),
                    ..Default::default()
                },
                Some("timeout"),
                "from 0.1 to 600",
            ),
            (
                IssuerArguments {
                    host: given("issuer.test"),
                    port: Input::Given(Number::Float(70000.0)),
                    ..Default::default()
                },
                Some("port"),
                "from 1 to 65535",
            ),
            (
                IssuerArguments {
                    url: given("http://issuer.test"),
                    ..Default::default()
                },
                Some("url"),
                "only https://",
            ),
            (
                IssuerArguments {
                    region: given("moon-1"),
                    ..Default::default()
                },
                Some("region"),
                "invalid region",
            ),
            (IssuerArguments::default(), None, "none was given"),
        ];
        for (arguments, attribute, words) in cases {
            let problems = check(&arguments);
            assert_eq!(attributes(&problems), vec![attribute], "{arguments:?}");
            assert!(problems[0].detail.contains(words), "{problems:?}");
        }
    }

    #[test]
    fn unknown_values_are_checked_for_presence_only() {
        let arguments = IssuerArguments {
            url: Input::Unknown,
            host: given("issuer.test"),
            ..Default::default()
        };
        assert_eq!(attributes(&check(&arguments)), vec![Some("host")]);
        let arguments = IssuerArguments {
            url: Input::Unknown,
            ..Default::default()
        };
        assert_eq!(request(&arguments, &ProviderDefaults::default()), Ok(None));
    }

    #[test]
    fn the_data_source_overrides_the_provider_block() {
        let defaults = defaults(&ProviderArguments {
            timeout: Input::Given(Number::Float(3.0)),
            proxy: given("none"),
        })
        .unwrap();
        let arguments = IssuerArguments {
            host: given("issuer.test"),
            ..Default::default()
        };
        let request = request(&arguments, &defaults).unwrap().unwrap();
        assert_eq!(request.options().timeout, Duration::from_secs(3));
        assert_eq!(request.options().proxy, ProxyChoice::Direct);
        let arguments = IssuerArguments {
            timeout: Input::Given(Number::Float(2.5)),
            proxy: given("http://proxy.test:3128"),
            ..arguments
        };
        let request = super::request(&arguments, &defaults).unwrap().unwrap();
        assert_eq!(request.options().timeout, Duration::from_millis(2500));
        assert_eq!(
            request.options().proxy,
            ProxyChoice::Url("http://proxy.test:3128".into())
        );
        let bad = super::defaults(&ProviderArguments {
            timeout: Input::Given(Number::Text("1e400".into())),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(attributes(&bad), vec![Some("timeout")]);
    }
}
