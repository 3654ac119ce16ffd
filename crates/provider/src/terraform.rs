//! The plugin protocol side: the only module that names `tf-provider`.
//! Swapping that crate (docs/PROVIDER.md) rewrites this file, and
//! nothing else: the schema, the values Terraform sends turned into the
//! typed [`IssuerArguments`], and the [`Answer`] and problems turned back
//! into state and diagnostics.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use oidc_thumbprint_core::{thumbprint, Deadline, Hint, Log, Report};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, Schema,
};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{
    AttributePath, DataSource, Diagnostic, Diagnostics, DynamicDataSource, Provider,
};

use crate::answer::{expiry_warnings, Answer};
use crate::settings::{
    self, Input, IssuerArguments, Number, Problem, ProviderArguments, ProviderDefaults,
};

/// The provider's local name: data sources are `oidcthumbprint_NAME`.
pub const PROVIDER_NAME: &str = "oidcthumbprint";

/// Serves the provider until Terraform stops it.
pub async fn serve() -> Result<(), String> {
    tf_provider::serve(PROVIDER_NAME, OidcThumbprintProvider::default())
        .await
        .map_err(|e| e.to_string())
}

#[derive(Default)]
struct OidcThumbprintProvider {
    defaults: Arc<RwLock<ProviderDefaults>>,
}

/// A diagnostic built field by field: `Diagnostic::new` appends a Rust
/// backtrace whenever `RUST_BACKTRACE` is set, and a user must never see one.
fn diagnostic(summary: String, detail: String, attribute: Option<&'static str>) -> Diagnostic {
    Diagnostic {
        summary: summary.into(),
        detail: detail.into(),
        attribute: attribute.map(AttributePath::new).unwrap_or_default(),
    }
}

fn report_problems(diags: &mut Diagnostics, problems: Vec<Problem>) {
    for problem in problems {
        diags.add_error(diagnostic(
            problem.summary,
            problem.detail,
            problem.attribute,
        ));
    }
}

fn attribute(
    attr_type: AttributeType,
    constraint: AttributeConstraint,
    sensitive: bool,
    description: &str,
) -> Attribute {
    Attribute {
        attr_type,
        description: Description::markdown(description),
        constraint,
        sensitive,
        deprecated: false,
    }
}

const TIMEOUT_DESCRIPTION: &str =
    "Seconds for the whole read, from 0.1 to 600 (default 10): connecting, discovery and every handshake.";
const PROXY_DESCRIPTION: &str = "An `http://[USER:PASSWORD@]HOST[:PORT]` proxy, or `\"none\"` to go direct. Unset: `HTTPS_PROXY` and `NO_PROXY` from the environment.";

#[async_trait]
impl Provider for OidcThumbprintProvider {
    type Config<'a> = ProviderConfig;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        use AttributeConstraint::Optional;
        use AttributeType::{Number, String};
        Some(Schema {
            version: 1,
            block: Block {
                description: Description::markdown(
                    "Defaults for every `oidcthumbprint_issuer` data source; a data source's own values win.",
                ),
                attributes: HashMap::from([
                    (
                        "timeout".to_string(),
                        attribute(Number, Optional, false, TIMEOUT_DESCRIPTION),
                    ),
                    (
                        "proxy".to_string(),
                        attribute(String, Optional, true, PROXY_DESCRIPTION),
                    ),
                ]),
                ..Default::default()
            },
        })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: ProviderConfig) -> Option<()> {
        if let Err(problems) = settings::defaults(&config.arguments()) {
            report_problems(diags, problems);
        }
        Some(())
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        _terraform_version: String,
        config: ProviderConfig,
    ) -> Option<()> {
        match settings::defaults(&config.arguments()) {
            Ok(defaults) => match self.defaults.write() {
                Ok(mut slot) => *slot = defaults,
                Err(_) => diags.add_error(diagnostic(
                    "Internal error".into(),
                    "the provider's defaults are unavailable after a failed read; please report it"
                        .into(),
                    None,
                )),
            },
            Err(problems) => report_problems(diags, problems),
        }
        Some(())
    }

    fn get_data_sources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        let issuer = IssuerDataSource {
            defaults: Arc::clone(&self.defaults),
        };
        Some(HashMap::from([(
            "issuer".to_string(),
            Box::new(issuer) as Box<dyn DynamicDataSource>,
        )]))
    }
}

/// The provider block as Terraform sends it.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct ProviderConfig {
    timeout: Value<TfNumber>,
    proxy: Value<String>,
}

impl ProviderConfig {
    fn arguments(&self) -> ProviderArguments {
        ProviderArguments {
            timeout: input(&self.timeout).map(|n| n.0),
            proxy: input(&self.proxy),
        }
    }
}

struct IssuerDataSource {
    defaults: Arc<RwLock<ProviderDefaults>>,
}

/// `data "oidcthumbprint_issuer"` as Terraform sends and stores it: the
/// arguments echoed back, the rest computed.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct IssuerState {
    url: Value<String>,
    region: Value<String>,
    host: Value<String>,
    port: Value<TfNumber>,
    discovery: Value<bool>,
    ca_pem: Value<String>,
    ca_file: Value<String>,
    timeout: Value<TfNumber>,
    proxy: Value<String>,
    thumbprint: Value<String>,
    thumbprints: Value<Vec<Value<String>>>,
    subject: Value<String>,
    not_after: Value<String>,
    jwks_uri: Value<String>,
    issuer_thumbprint: Value<String>,
}

impl IssuerState {
    fn arguments(&self) -> IssuerArguments {
        IssuerArguments {
            url: input(&self.url),
            region: input(&self.region),
            host: input(&self.host),
            port: input(&self.port).map(|n| n.0),
            discovery: input(&self.discovery),
            ca_pem: input(&self.ca_pem),
            ca_file: input(&self.ca_file),
            timeout: input(&self.timeout).map(|n| n.0),
            proxy: input(&self.proxy),
        }
    }

    fn answered(mut self, answer: Answer) -> Self {
        // An argument the user gave is echoed as given: Terraform keeps
        // what the configuration says.
        if self.host.is_null() {
            self.host = Value::Value(answer.host);
        }
        if self.port.is_null() {
            self.port = Value::Value(TfNumber(Number::Float(f64::from(answer.port))));
        }
        self.thumbprint = Value::Value(answer.thumbprint);
        self.thumbprints = Value::Value(answer.thumbprints.into_iter().map(Value::Value).collect());
        self.subject = Value::Value(answer.subject);
        self.not_after = Value::Value(answer.not_after);
        self.jwks_uri = answer.jwks_uri.map_or(Value::Null, Value::Value);
        self.issuer_thumbprint = answer.issuer_thumbprint.map_or(Value::Null, Value::Value);
        self
    }
}

fn input<T: Clone>(value: &Value<T>) -> Input<T> {
    match value {
        Value::Value(v) => Input::Given(v.clone()),
        Value::Null => Input::Absent,
        Value::Unknown => Input::Unknown,
    }
}

/// A Terraform number as cty's msgpack encodes it: an integer, a float, or
/// text for a number no float holds.
#[derive(Debug, Clone, PartialEq)]
struct TfNumber(Number);

impl Serialize for TfNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Number::Float(value) if value.fract() == 0.0 && value.abs() < 9.0e15 => {
                serializer.serialize_i64(*value as i64)
            }
            Number::Float(value) => serializer.serialize_f64(*value),
            Number::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for TfNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = TfNumber;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, v: i64) -> Result<TfNumber, E> {
                Ok(TfNumber(Number::Float(v as f64)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<TfNumber, E> {
                Ok(TfNumber(Number::Float(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<TfNumber, E> {
                Ok(TfNumber(Number::Float(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<TfNumber, E> {
                Ok(TfNumber(Number::Text(v.to_string())))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

const ISSUER_DESCRIPTION: &str =
    "The SHA-1 thumbprints an IAM OIDC provider should list for an OIDC issuer, \
read over verified TLS: the top certificate of every chain its edges present, after OIDC discovery \
to the host that serves its JWKS. Give exactly one of `url`, `region` or `host`.";

#[async_trait]
impl DataSource for IssuerDataSource {
    type State<'a> = IssuerState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        use AttributeConstraint::{Computed, Optional, OptionalComputed};
        use AttributeType::{Bool, List, Number, String};
        let attributes = [
            ("url", String, Optional, false, "The issuer URL, `https://HOST[:PORT][/PATH]` (an EKS cluster's `identity[0].oidc[0].issuer`)."),
            ("region", String, Optional, false, "An AWS region code: the EKS OIDC host of that region, in its partition."),
            ("host", String, OptionalComputed, false, "A TLS server by name or IP address. Computed: the host whose chain gave `thumbprint` (after discovery, the JWKS host)."),
            ("port", Number, OptionalComputed, false, "The port, with `host` only (default 443). Computed: the port of `host`."),
            ("discovery", Bool, Optional, false, "Follow OIDC discovery to the host serving the JWKS (default `true`; with `url` only)."),
            ("ca_pem", String, Optional, false, "PEM certificates that replace the built-in Mozilla roots (a private CA)."),
            ("ca_file", String, Optional, false, "A PEM file of certificates that replace the built-in roots."),
            ("timeout", Number, Optional, false, TIMEOUT_DESCRIPTION),
            ("proxy", String, Optional, true, PROXY_DESCRIPTION),
            ("thumbprint", String, Computed, false, "The first of `thumbprints`: 40 lowercase hex digits."),
            ("thumbprints", List(Box::new(String)), Computed, false, "What an IAM OIDC provider should list: the top of every chain the JWKS host presents, then the issuer host's not already listed."),
            ("subject", String, Computed, false, "The subject of the top certificate."),
            ("not_after", String, Computed, false, "When the top certificate expires (RFC 3339, UTC)."),
            ("jwks_uri", String, Computed, false, "The `jwks_uri` that discovery found (null without discovery)."),
            ("issuer_thumbprint", String, Computed, false, "The thumbprint of the issuer host's top (null without discovery)."),
        ];
        Some(Schema {
            version: 1,
            block: Block {
                description: Description::markdown(ISSUER_DESCRIPTION),
                attributes: attributes
                    .into_iter()
                    .map(|(name, kind, constraint, sensitive, text)| {
                        (
                            name.to_string(),
                            attribute(kind, constraint, sensitive, text),
                        )
                    })
                    .collect(),
                ..Default::default()
            },
        })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: IssuerState) -> Option<()> {
        report_problems(diags, settings::check(&config.arguments()));
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: IssuerState,
        _meta: ValueEmpty,
    ) -> Option<IssuerState> {
        let defaults = self.defaults.read().map(|d| d.clone()).unwrap_or_default();
        let request = match settings::request(&config.arguments(), &defaults) {
            Ok(Some(request)) => request,
            Ok(None) => {
                diags.add_error(diagnostic(
                    "Arguments not known".into(),
                    "the issuer's arguments are not known yet; Terraform reads this data source once they are".into(),
                    None,
                ));
                return None;
            }
            Err(problems) => {
                report_problems(diags, problems);
                return None;
            }
        };
        // The core blocks (sockets, threads per edge) within its deadline;
        // on a blocking thread, Terraform's parallel reads run at once.
        let fetched = tokio::task::spawn_blocking(move || {
            let deadline = Deadline::starting_now(request.options().timeout);
            thumbprint(&request, deadline, Log::silent(), &|name| {
                std::env::var(name).ok()
            })
        })
        .await;
        let report: Report = match fetched {
            Ok(Ok(report)) => report,
            Ok(Err(error)) => {
                let problem = match error.kind() {
                    oidc_thumbprint_core::ErrorKind::Input => Problem::from_core(&error),
                    _ => Problem {
                        attribute: None,
                        summary: "Cannot read the issuer's thumbprints".into(),
                        detail: match error.hint() {
                            Some(Hint::TurnOffDiscovery) => format!(
                                "{error}; set discovery = false to thumbprint the issuer host itself"
                            ),
                            None => error.to_string(),
                        },
                    },
                };
                report_problems(diags, vec![problem]);
                return None;
            }
            Err(join) => {
                diags.add_error(diagnostic(
                    "Internal error".into(),
                    format!("the read stopped: {join}; please report it"),
                    None,
                ));
                return None;
            }
        };
        for (summary, detail) in expiry_warnings(&report, time::OffsetDateTime::now_utc()) {
            diags.add_warning(diagnostic(summary, detail, None));
        }
        Some(config.answered(Answer::of(&report)))
    }
}
