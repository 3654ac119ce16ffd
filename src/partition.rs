//! AWS region codes to the DNS suffix of their partition, for the EKS OIDC
//! host `oidc.eks.<region>.<suffix>`.
//!
//! The table follows the `regionRegex` and `dnsSuffix` of each partition in the
//! AWS SDKs' partition data (`partitions.json` / `endpoints.json`). It is kept
//! here, in one place, so that a new partition is one line and one test.

/// A partition: the prefix its region codes start with, and its DNS suffix.
struct Partition {
    id: &'static str,
    /// Region codes of the partition start with one of these, then `-`.
    region_prefixes: &'static [&'static str],
    dns_suffix: &'static str,
}

// Order matters: the more specific prefixes (`us-gov`, `us-iso`, `us-isob`)
// must be tried before the commercial `us`.
const PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws-us-gov",
        region_prefixes: &["us-gov"],
        dns_suffix: "amazonaws.com",
    },
    Partition {
        id: "aws-iso",
        region_prefixes: &["us-iso"],
        dns_suffix: "c2s.ic.gov",
    },
    Partition {
        id: "aws-iso-b",
        region_prefixes: &["us-isob"],
        dns_suffix: "sc2s.sgov.gov",
    },
    Partition {
        id: "aws-iso-e",
        region_prefixes: &["eu-isoe"],
        dns_suffix: "cloud.adc-e.uk",
    },
    Partition {
        id: "aws-iso-f",
        region_prefixes: &["us-isof"],
        dns_suffix: "csp.hci.ic.gov",
    },
    Partition {
        id: "aws-eusc",
        region_prefixes: &["eusc-de"],
        dns_suffix: "amazonaws.eu",
    },
    Partition {
        id: "aws-cn",
        region_prefixes: &["cn"],
        dns_suffix: "amazonaws.com.cn",
    },
    Partition {
        id: "aws",
        region_prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        dns_suffix: "amazonaws.com",
    },
];

/// The EKS OIDC issuer host for `region`, or why `region` is not a region code.
pub fn eks_oidc_host(region: &str) -> Result<String, String> {
    let partition = partition_of(region)?;
    Ok(format!("oidc.eks.{region}.{}", partition.dns_suffix))
}

/// The partition id (`aws`, `aws-cn`, ...) of `region`.
pub fn partition_id(region: &str) -> Result<&'static str, String> {
    partition_of(region).map(|p| p.id)
}

fn partition_of(region: &str) -> Result<&'static Partition, String> {
    // Every partition's regionRegex has the shape `^<prefix>-\w+-\d+$`.
    let (prefix_and_name, number) = region
        .rsplit_once('-')
        .ok_or_else(|| "not an AWS region code such as us-east-1".to_string())?;
    let number_ok = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    let words_ok = prefix_and_name.split('-').all(|w| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if !number_ok || !words_ok || prefix_and_name.split('-').count() < 2 {
        return Err("not an AWS region code such as us-east-1".to_string());
    }
    PARTITIONS
        .iter()
        .find(|p| {
            p.region_prefixes.iter().any(|prefix| {
                prefix_and_name
                    .strip_prefix(prefix)
                    .and_then(|rest| rest.strip_prefix('-'))
                    // The part after the prefix is the region's name: one word.
                    .is_some_and(|name| !name.contains('-'))
            })
        })
        .ok_or_else(|| "not a region code of any AWS partition".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commercial() {
        assert_eq!(
            eks_oidc_host("us-west-2").unwrap(),
            "oidc.eks.us-west-2.amazonaws.com"
        );
        assert_eq!(partition_id("il-central-1").unwrap(), "aws");
        assert_eq!(partition_id("mx-central-1").unwrap(), "aws");
    }

    #[test]
    fn china() {
        assert_eq!(
            eks_oidc_host("cn-north-1").unwrap(),
            "oidc.eks.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(partition_id("cn-northwest-1").unwrap(), "aws-cn");
    }

    #[test]
    fn govcloud() {
        assert_eq!(
            eks_oidc_host("us-gov-west-1").unwrap(),
            "oidc.eks.us-gov-west-1.amazonaws.com"
        );
        assert_eq!(partition_id("us-gov-east-1").unwrap(), "aws-us-gov");
    }

    #[test]
    fn iso() {
        assert_eq!(
            eks_oidc_host("us-iso-east-1").unwrap(),
            "oidc.eks.us-iso-east-1.c2s.ic.gov"
        );
        assert_eq!(partition_id("us-iso-west-1").unwrap(), "aws-iso");
    }

    #[test]
    fn iso_b() {
        assert_eq!(
            eks_oidc_host("us-isob-east-1").unwrap(),
            "oidc.eks.us-isob-east-1.sc2s.sgov.gov"
        );
        assert_eq!(partition_id("us-isob-east-1").unwrap(), "aws-iso-b");
    }

    #[test]
    fn iso_e() {
        assert_eq!(
            eks_oidc_host("eu-isoe-west-1").unwrap(),
            "oidc.eks.eu-isoe-west-1.cloud.adc-e.uk"
        );
    }

    #[test]
    fn iso_f() {
        assert_eq!(
            eks_oidc_host("us-isof-south-1").unwrap(),
            "oidc.eks.us-isof-south-1.csp.hci.ic.gov"
        );
    }

    #[test]
    fn eusc() {
        assert_eq!(
            eks_oidc_host("eusc-de-east-1").unwrap(),
            "oidc.eks.eusc-de-east-1.amazonaws.eu"
        );
    }

    #[test]
    fn rejects_what_is_not_a_region_code() {
        for bad in [
            "",
            "us",
            "us-east",
            "us-east-",
            "-east-1",
            "US-EAST-1",
            "us-east-1a",
            "us_east_1",
            "us-east-1.evil.com",
            "xx-east-1",
            "us-east-west-1x",
            "us--1",
            "us-east-1 ",
        ] {
            assert!(eks_oidc_host(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
