//! The command line. With no arguments the program speaks Terraform's
//! external-data protocol on stdin and stdout; with arguments it is a tool
//! for people.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use lexopt::prelude::*;
use oidc_thumbprint_core::{
    parse_resolve, parse_timeout, printable, split_authority, Error, Request, Sample, Thumbprint,
    DEFAULT_TIMEOUT,
};

use crate::error::CliError;
use crate::output::Format;
use crate::query::{port_from_text, RawRequest};

type Result<T, E = CliError> = std::result::Result<T, E>;

pub const USAGE: &str = "\
oidc-thumbprint: the IAM OIDC thumbprint of an issuer, over verified TLS

Usage:
  oidc-thumbprint                      Terraform mode: a JSON query on stdin,
                                       a JSON object on stdout
  oidc-thumbprint [OPTIONS] URL        an issuer URL (https://...)
  oidc-thumbprint [OPTIONS] HOST[:PORT]
  oidc-thumbprint [OPTIONS] --region REGION
  oidc-thumbprint --pem FILE [--json | --chain]

Options:
      --region REGION    the EKS OIDC host of an AWS region (oidc.eks.REGION...)
      --ca-file FILE     trust the PEM certificates in FILE instead of the
                         built-in Mozilla roots
      --timeout SECONDS  deadline for the whole run [default: 10]
      --no-discovery     thumbprint the issuer host itself, not the host of
                         its jwks_uri
      --proxy URL|none   HTTPS proxy (http://[USER:PASSWORD@]HOST:PORT), or
                         none; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY
      --sample all|first every address and ClientHello profile (all, the
                         default), or one handshake (first)
      --resolve HOST:PORT:ADDR[,ADDR]
                         reach HOST on PORT at these addresses, as curl's
                         --resolve (repeatable; overrides
                         OIDC_THUMBPRINT_RESOLVE)
      --json             print the same JSON object as Terraform mode
      --chain            print the presented chain as a table
      --pem FILE         offline: walk the PEM bundle in FILE, no network
      --expect T1,T2     exit 3 unless every thumbprint found (every edge's
                         top) is one of these (a nightly check of pinned ones)
  -v, --verbose          report retries and progress on stderr
  -h, --help             print this help
  -V, --version          print the version

Exit status: 0 success, 1 fetch or verification failure, 2 bad input or
usage, 3 a top is not among --expect.
";

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// Read the query from stdin, answer in JSON.
    Terraform,
    Network {
        request: Request,
        format: Format,
    },
    Pem {
        path: PathBuf,
        format: Format,
        timeout: Duration,
    },
    Help,
    Version,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub mode: Mode,
    pub verbose: bool,
    /// `--expect T1,T2`: the thumbprints every live top must be among.
    pub expect: Option<Vec<Thumbprint>>,
}

pub fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Invocation> {
    let mut parser = lexopt::Parser::from_args(args);
    let mut raw = RawRequest::default();
    let mut target: Option<String> = None;
    let mut pem: Option<PathBuf> = None;
    let mut no_discovery = false;
    let mut json = false;
    let mut chain = false;
    let mut verbose = false;
    let mut expect: Option<Vec<Thumbprint>> = None;
    let mut network_flags: Vec<&'static str> = Vec::new();

    while let Some(arg) = parser.next().map_err(usage)? {
        match arg {
            Short('h') | Long("help") => {
                return Ok(Invocation {
                    mode: Mode::Help,
                    verbose,
                    expect: None,
                })
            }
            Short('V') | Long("version") => {
                return Ok(Invocation {
                    mode: Mode::Version,
                    verbose,
                    expect: None,
                })
            }
            Short('v') | Long("verbose") => verbose = true,
            Long("json") => json = true,
            Long("chain") => chain = true,
            Long("expect") => expect = Some(parse_expected(&text_value(&mut parser, "--expect")?)?),
            Long("no-discovery") => {
                no_discovery = true;
                network_flags.push("--no-discovery");
            }
            Long("pem") => pem = Some(parser.value().map_err(usage)?.into()),
            Long("region") => {
                raw.region = Some(text_value(&mut parser, "--region")?);
                network_flags.push("--region");
            }
            Long("ca-file") => {
                raw.ca_file = Some(text_value(&mut parser, "--ca-file")?);
                network_flags.push("--ca-file");
            }
            Long("timeout") => {
                raw.timeout = Some(parse_timeout(&text_value(&mut parser, "--timeout")?)?)
            }
            Long("sample") => {
                raw.sample = Some(Sample::parse(
                    &text_value(&mut parser, "--sample")?,
                    "--sample",
                )?);
                network_flags.push("--sample");
            }
            Long("resolve") => {
                let entries = parse_resolve(&text_value(&mut parser, "--resolve")?, "--resolve")?;
                raw.resolve.get_or_insert_with(Vec::new).extend(entries);
                network_flags.push("--resolve");
            }
            Long("proxy") => {
                raw.proxy = Some(text_value(&mut parser, "--proxy")?);
                network_flags.push("--proxy");
            }
            Value(value) if target.is_none() => {
                target = Some(value.into_string().map_err(|v| {
                    CliError::usage(format!(
                        "the target \"{}\" is not valid UTF-8",
                        printable(&v.to_string_lossy())
                    ))
                })?);
            }
            Value(value) => {
                return Err(CliError::usage(format!(
                    "unexpected extra argument \"{}\"; give one URL or HOST[:PORT] (see --help)",
                    printable(&value.to_string_lossy())
                )))
            }
            other => return Err(usage(other.unexpected())),
        }
    }

    if json && chain {
        return Err(CliError::usage(
            "--json and --chain cannot be used together",
        ));
    }
    let format = if json {
        Format::Json
    } else if chain {
        Format::Chain
    } else {
        Format::Thumbprint
    };

    if let Some(path) = pem {
        if let Some(flag) = network_flags.first() {
            return Err(CliError::usage(format!(
                "--pem reads a file offline; {flag} does not apply"
            )));
        }
        if target.is_some() {
            return Err(CliError::usage("--pem takes no URL or HOST argument"));
        }
        let timeout = raw.timeout.unwrap_or(DEFAULT_TIMEOUT);
        return Ok(Invocation {
            mode: Mode::Pem {
                path,
                format,
                timeout,
            },
            verbose,
            expect,
        });
    }

    if target.is_none() && raw.region.is_none() {
        if network_flags.is_empty() && raw.timeout.is_none() && !json && !chain {
            return Ok(Invocation {
                mode: Mode::Terraform,
                verbose,
                expect,
            });
        }
        return Err(CliError::usage(
            "give a URL, HOST[:PORT], --region or --pem (or no arguments for Terraform mode)",
        ));
    }
    if let Some(target) = target {
        if target.contains("://") {
            raw.url = Some(target);
        } else {
            // Split only: resolve() checks host and port like the query's.
            let (host, port) = split_authority(&target)
                .map_err(|reason| Error::invalid("host", &target, reason))?;
            raw.host = Some(host.to_string());
            // RFC 3986, section 3.2.3: an empty port is the scheme's default.
            raw.port = port
                .filter(|p| !p.is_empty())
                .map(port_from_text)
                .transpose()?;
        }
    }
    if no_discovery {
        if raw.url.is_none() {
            return Err(CliError::usage(
                "--no-discovery goes with an issuer URL only",
            ));
        }
        raw.discovery = Some(false);
    }
    Ok(Invocation {
        mode: Mode::Network {
            request: raw.into_request()?,
            format,
        },
        verbose,
        expect,
    })
}

fn text_value(parser: &mut lexopt::Parser, flag: &str) -> Result<String> {
    parser.value().map_err(usage)?.into_string().map_err(|v| {
        CliError::usage(format!(
            "the value of {flag}, \"{}\", is not valid UTF-8",
            printable(&v.to_string_lossy())
        ))
    })
}

/// `T1,T2,...`: SHA-1 thumbprints, 40 hex digits each (any case, colons
/// allowed, as `openssl x509 -fingerprint` prints them).
fn parse_expected(list: &str) -> Result<Vec<Thumbprint>> {
    list.split(',')
        .map(|text| {
            text.parse::<Thumbprint>().map_err(|_| {
                Error::invalid(
                    "--expect",
                    text.trim(),
                    "a thumbprint is 40 hex digits (SHA-1); give them comma-separated",
                )
                .into()
            })
        })
        .collect()
}

/// lexopt's words, which quote the argument: escaped and cut like any text
/// from outside.
fn usage(e: lexopt::Error) -> CliError {
    CliError::usage(format!("{} (see --help)", printable(&e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oidc_thumbprint_core::{Endpoint, Target};

    fn parse(args: &[&str]) -> Result<Invocation> {
        parse_args(args.iter().map(OsString::from))
    }

    #[test]
    fn no_arguments_is_terraform_mode() {
        assert_eq!(parse(&[]).unwrap().mode, Mode::Terraform);
        assert!(parse(&["-v"]).unwrap().verbose);
    }

    #[test]
    fn host_and_port_positional() {
        let Mode::Network { request, format } = parse(&["localhost:8443", "--chain"]).unwrap().mode
        else {
            panic!("not a network mode")
        };
        assert_eq!(
            request.target(),
            &Target::Host(Endpoint::new("localhost", 8443).unwrap())
        );
        assert_eq!(format, Format::Chain);
    }

    #[test]
    fn url_with_flags() {
        let Mode::Network { request, format } = parse(&[
            "--no-discovery",
            "--timeout",
            "3",
            "--json",
            "https://a.example/id/1",
        ])
        .unwrap()
        .mode
        else {
            panic!("not a network mode")
        };
        assert!(!request.options().discovery);
        assert_eq!(request.options().timeout.as_secs(), 3);
        assert_eq!(format, Format::Json);
    }

    #[test]
    fn usage_errors() {
        for bad in [
            &["--json", "--chain", "a"][..],
            &["--pem", "f", "--region", "us-east-1"],
            &["--pem", "f", "host"],
            &["a", "b"],
            &["--bogus"],
            &["--timeout"],
            &["--json"],
            &["--no-discovery", "host.example"],
            &["host:99999"],
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad:?}: {e}");
        }
    }
}
