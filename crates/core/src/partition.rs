//! AWS region codes to the DNS suffix of their partition, for the EKS OIDC
//! host `oidc.eks.<region>.<suffix>`.
//!
//! The table follows the `regionRegex` and `dnsSuffix` of each partition in the
//! AWS SDKs' partition data (`partitions.json` / `endpoints.json`). It is kept
//! here, in one place, so that a new partition is one line and one test.

/// A partition (`aws-us-gov`, ...): the prefixes its region codes start
/// with, and its DNS suffix.
struct Partition {
    /// Region codes of the partition start with one of these, then `-`.
    region_prefixes: &'static [&'static str],
    dns_suffix: &'static str,
}

// Order matters: the more specific prefixes (`us-gov`, `us-iso`, `us-isob`)
// must be tried before the commercial `us`.
const PARTITIONS: &[Partition] = &[
    Partition {
        region_prefixes: &["us-gov"],
        dns_suffix: "amazonaws.com",
    },
    Partition {
        region_prefixes: &["us-iso"],
        dns_suffix: "c2s.ic.gov",
    },
    Partition {
        region_prefixes: &["us-isob"],
        dns_suffix: "sc2s.sgov.gov",
    },
    Partition {
        region_prefixes: &["eu-isoe"],
        dns_suffix: "cloud.adc-e.uk",
    },
    Partition {
        region_prefixes: &["us-isof"],
        dns_suffix: "csp.hci.ic.gov",
    },
    Partition {
        region_prefixes: &["eusc-de"],
        dns_suffix: "amazonaws.eu",
    },
    Partition {
        region_prefixes: &["cn"],
        dns_suffix: "amazonaws.com.cn",
    },
    Partition {
        region_prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        dns_suffix: "amazonaws.com",
    },
];

/// The EKS OIDC issuer host for `region`, or why `region` is not a region code.
pub fn eks_oidc_host(region: &str) -> Result<String, String> {
    let partition = partition_of(region)?;
    Ok(format!("oidc.eks.{region}.{}", partition.dns_suffix))
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

    /// One row per partition (its id in the comment), and the commercial
    /// prefixes that share `us`'s first letters.
    #[test]
    fn each_partition_maps_to_its_dns_suffix() {
        for (region, host) in [
            // aws
            ("us-west-2", "oidc.eks.us-west-2.amazonaws.com"),
            ("il-central-1", "oidc.eks.il-central-1.amazonaws.com"),
            ("mx-central-1", "oidc.eks.mx-central-1.amazonaws.com"),
            // aws-cn
            ("cn-north-1", "oidc.eks.cn-north-1.amazonaws.com.cn"),
            ("cn-northwest-1", "oidc.eks.cn-northwest-1.amazonaws.com.cn"),
            // aws-us-gov
            ("us-gov-west-1", "oidc.eks.us-gov-west-1.amazonaws.com"),
            // aws-iso
            ("us-iso-east-1", "oidc.eks.us-iso-east-1.c2s.ic.gov"),
            // aws-iso-b
            ("us-isob-east-1", "oidc.eks.us-isob-east-1.sc2s.sgov.gov"),
            // aws-iso-e
            ("eu-isoe-west-1", "oidc.eks.eu-isoe-west-1.cloud.adc-e.uk"),
            // aws-iso-f
            ("us-isof-south-1", "oidc.eks.us-isof-south-1.csp.hci.ic.gov"),
            // aws-eusc
            ("eusc-de-east-1", "oidc.eks.eusc-de-east-1.amazonaws.eu"),
        ] {
            assert_eq!(eks_oidc_host(region).as_deref(), Ok(host), "{region}");
        }
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
