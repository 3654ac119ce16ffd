//! Walking a presented chain up to its top certificate.
//!
//! IAM wants the thumbprint of the top CA certificate the server presents.
//! The one-liner took the last PEM block by position; servers send extra or
//! reordered certificates, so position proves nothing. Here the answer is a
//! function of the *set* of presented certificates:
//!
//! - Below the trust anchor the walk is the path that verification built
//!   (webpki, with the same roots as the handshake), so a certificate off that
//!   path, an expired twin say, can never be chosen.
//! - From the anchor upward it goes on through presented certificates that
//!   link by name AND signature, because IAM's rule is the top of what is
//!   presented: the EKS endpoints present Amazon Root CA 1 cross-signed by
//!   Starfield Services G2, and that cross-signed by Starfield Class 2.
//! - Where several presented certificates could be the next link, the choice
//!   follows [`Preference`], never the order on the wire.

use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;

use crate::error::{Error, FetchError, Result};
use crate::escape::printable;
use crate::fingerprint::{sha1_thumbprint, sha256};

/// Real chains hold 2 to 5 certificates; a server sending more than this is
/// broken or hostile, and walking it would only waste the deadline.
pub const MAX_CHAIN_CERTIFICATES: usize = 20;

/// What the output shows of one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub subject: String,
    pub issuer: String,
    /// RFC 3339, UTC.
    pub not_after: String,
    pub thumbprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainWalk {
    /// Every certificate given, in the order given.
    pub certificates: Vec<Certificate>,
    /// Indices into `certificates`, from the leaf up to the top.
    pub path: Vec<usize>,
    /// How many entries at the start of `path` verification covered: the
    /// leaf and the intermediates below the trust anchor. Zero for a PEM
    /// bundle, which nothing verified.
    pub verified: usize,
}

/// A certificate's place in the walk, as the `--chain` table shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Leaf,
    /// Below the trust anchor, on the path verification built.
    Verified,
    /// The presented certificate for the trust anchor itself (its name and
    /// key, self-signed or cross-signed).
    Anchor,
    /// Above the anchor: linked by name and signature only.
    AboveAnchor,
    /// On the walk of a PEM bundle, which nothing verified.
    Link,
    /// Not on the walk.
    Off,
}

impl ChainWalk {
    /// The certificate whose thumbprint IAM wants.
    pub fn top(&self) -> &Certificate {
        // A walk always holds its leaf, so `path` is never empty.
        &self.certificates[*self.path.last().unwrap_or(&0)]
    }

    pub fn is_top(&self, index: usize) -> bool {
        self.path.last() == Some(&index)
    }

    pub fn role(&self, index: usize) -> Role {
        match self.path.iter().position(|&i| i == index) {
            None => Role::Off,
            Some(0) => Role::Leaf,
            Some(_) if self.verified == 0 => Role::Link,
            Some(step) if step < self.verified => Role::Verified,
            Some(step) if step == self.verified => Role::Anchor,
            Some(_) => Role::AboveAnchor,
        }
    }

    /// Whether the walk went past the trust anchor (checked by signature only).
    pub fn goes_above_anchor(&self) -> bool {
        self.verified > 0 && self.path.len() > self.verified + 1
    }
}

/// Walks the chain a TLS server presented: the leaf is the first certificate
/// (RFC 8446, section 4.4.2); the others may come in any order.
/// `verified_intermediates` is given the leaf and the other certificates in
/// [`Preference`] order, and returns the intermediates of the path it
/// verified, from the leaf's issuer up to the last one below the anchor.
pub fn walk_presented(
    source_name: &str,
    ders: &[Vec<u8>],
    verified_intermediates: impl FnOnce(&[u8], &[&[u8]]) -> Result<Vec<Vec<u8>>>,
) -> Result<ChainWalk> {
    let parsed = parse_all(source_name, ders)?;
    let preferences = preferences(&parsed, ders);
    let mut others: Vec<usize> = (1..ders.len()).collect();
    others.sort_by_key(|&i| preferences[i]);
    let ordered: Vec<&[u8]> = others.iter().map(|&i| ders[i].as_slice()).collect();
    let mut path = vec![0];
    for der in verified_intermediates(&ders[0], &ordered)? {
        // webpki builds paths only from the certificates it was given.
        let index = ders
            .iter()
            .position(|presented| *presented == der)
            .ok_or_else(|| FetchError::Handshake {
                endpoint: source_name.to_string(),
                reason:
                    "verification built a path through a certificate the server did not present"
                        .into(),
            })?;
        path.push(index);
    }
    let verified = path.len();
    walk_from(source_name, ders, &parsed, &preferences, path, verified)
}

/// Walks a PEM bundle read from a file. Files come in any order, so the leaf
/// is the certificate that issued none of the others.
pub fn walk_bundle(source_name: &str, ders: &[Vec<u8>]) -> Result<ChainWalk> {
    let parsed = parse_all(source_name, ders)?;
    let issued_nothing: Vec<usize> = (0..parsed.len())
        .filter(|&i| !(0..parsed.len()).any(|j| j != i && issued(&parsed[i], &parsed[j])))
        .collect();
    let leaf = match issued_nothing.as_slice() {
        [only] => *only,
        // A chain of self-signed certificates that sign each other has no leaf.
        [] => 0,
        several => {
            // Prefer the one end-entity certificate among them, if there is one.
            let end_entities: Vec<usize> = several
                .iter()
                .copied()
                .filter(|&i| !is_ca(&parsed[i]))
                .collect();
            match end_entities.as_slice() {
                [only] => *only,
                _ => {
                    return Err(FetchError::AmbiguousLeaf {
                        source_name: source_name.to_string(),
                        count: several.len(),
                        subjects: several
                            .iter()
                            .map(|&i| printable(&parsed[i].subject().to_string()))
                            .collect::<Vec<_>>()
                            .join("; "),
                    }
                    .into())
                }
            }
        }
    };
    walk_from(
        source_name,
        ders,
        &parsed,
        &preferences(&parsed, ders),
        vec![leaf],
        0,
    )
}

/// The order in which candidates for the same link are preferred, smallest
/// first, field by field: valid now before expired or not yet valid; then a
/// certificate that continues the walk (a cross-signed CA) before its
/// self-signed twin, so the top is the highest certificate presented; then
/// the smallest SHA-256 of the DER, so that a tie never falls to the order
/// on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Preference {
    expired_or_not_yet_valid: bool,
    self_signed: bool,
    sha256: [u8; 32],
}

/// Each certificate's [`Preference`], computed once: it costs a signature
/// check and a hash, and the walk compares it at every step.
fn preferences(parsed: &[X509Certificate<'_>], ders: &[Vec<u8>]) -> Vec<Preference> {
    parsed
        .iter()
        .zip(ders)
        .map(|(cert, der)| Preference {
            expired_or_not_yet_valid: !cert.validity().is_valid(),
            self_signed: issued(cert, cert),
            sha256: sha256(der),
        })
        .collect()
}

fn parse_all<'a>(source_name: &str, ders: &'a [Vec<u8>]) -> Result<Vec<X509Certificate<'a>>> {
    if ders.is_empty() {
        return Err(FetchError::NoChain {
            source_name: source_name.to_string(),
        }
        .into());
    }
    if ders.len() > MAX_CHAIN_CERTIFICATES {
        return Err(FetchError::ChainTooLong {
            source_name: source_name.to_string(),
            count: ders.len(),
            limit: MAX_CHAIN_CERTIFICATES,
        }
        .into());
    }
    ders.iter()
        .enumerate()
        .map(|(index, der)| {
            let bad = |reason: String| -> Error {
                FetchError::BadCertificate {
                    source_name: source_name.to_string(),
                    position: index + 1,
                    reason,
                }
                .into()
            };
            match X509Certificate::from_der(der) {
                Ok((rest, _)) if !rest.is_empty() => {
                    Err(bad("trailing bytes after the certificate".into()))
                }
                Ok((_, cert)) => Ok(cert),
                Err(e) => Err(bad(e.to_string())),
            }
        })
        .collect()
}

/// Climbs from the end of `path` through presented certificates until a
/// self-signed one or one whose issuer was not presented.
fn walk_from(
    source_name: &str,
    ders: &[Vec<u8>],
    parsed: &[X509Certificate<'_>],
    preferences: &[Preference],
    mut path: Vec<usize>,
    verified: usize,
) -> Result<ChainWalk> {
    let mut current = *path.last().unwrap_or(&0);
    while !preferences[current].self_signed {
        let issuer = (0..parsed.len())
            .filter(|&j| j != current && issued(&parsed[j], &parsed[current]))
            .min_by_key(|&j| preferences[j]);
        match issuer {
            None => break,
            Some(j) if path.contains(&j) => {
                let names: Vec<String> = path
                    .iter()
                    .chain(std::iter::once(&j))
                    .map(|&i| printable(&parsed[i].subject().to_string()))
                    .collect();
                return Err(FetchError::ChainLoops {
                    source_name: source_name.to_string(),
                    names: names.join(" -> "),
                }
                .into());
            }
            Some(j) => {
                path.push(j);
                current = j;
            }
        }
    }
    Ok(ChainWalk {
        certificates: parsed
            .iter()
            .zip(ders)
            .map(|(cert, der)| Certificate {
                subject: cert.subject().to_string(),
                issuer: cert.issuer().to_string(),
                not_after: rfc3339(cert),
                thumbprint: sha1_thumbprint(der),
            })
            .collect(),
        path,
        verified,
    })
}

/// Did `issuer` issue `child`? Names must match byte for byte and the
/// issuer's key must verify the child's signature.
fn issued(issuer: &X509Certificate<'_>, child: &X509Certificate<'_>) -> bool {
    child.issuer().as_raw() == issuer.subject().as_raw()
        && child.verify_signature(Some(issuer.public_key())).is_ok()
}

fn is_ca(cert: &X509Certificate<'_>) -> bool {
    matches!(cert.basic_constraints(), Ok(Some(ext)) if ext.value.ca)
}

fn rfc3339(cert: &X509Certificate<'_>) -> String {
    let t = cert.validity().not_after.to_datetime();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The integration tests' PKI helpers, shared rather than written twice;
/// these unit tests use only part of them.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../tests/it/common/pki.rs"]
mod pki;

#[cfg(test)]
mod tests {
    use super::pki::{self, KeyKind};
    use super::*;
    use crate::error::InputError;
    use crate::trust::Trust;

    fn ders(certs: &[&pki::Issued]) -> Vec<Vec<u8>> {
        certs.iter().map(|c| c.der()).collect()
    }

    /// Walks `chain` as the handshake would, trusting `anchor`.
    fn walk_trusting(anchor: &pki::Issued, chain: &[&pki::Issued]) -> Result<ChainWalk> {
        let trust = Trust::with_anchors(vec![anchor.der()]).expect("anchor");
        walk_presented("t", &ders(chain), |leaf, candidates| {
            trust
                .verified_intermediates(leaf, candidates)
                .map_err(|reason| InputError::Usage(format!("not verified: {reason}")).into())
        })
    }

    /// Every order of `rest` after `first`.
    fn every_order<'a>(
        first: &'a pki::Issued,
        rest: &[&'a pki::Issued],
    ) -> Vec<Vec<&'a pki::Issued>> {
        if rest.is_empty() {
            return vec![vec![first]];
        }
        let mut orders = Vec::new();
        for pick in 0..rest.len() {
            let mut remaining = rest.to_vec();
            let chosen = remaining.remove(pick);
            for mut tail in every_order(chosen, &remaining) {
                tail.insert(0, first);
                orders.push(tail);
            }
        }
        orders
    }

    /// The thumbprint of the top for every order of the non-leaf certificates.
    fn tops_in_every_order(
        anchor: &pki::Issued,
        leaf: &pki::Issued,
        rest: &[&pki::Issued],
    ) -> Vec<String> {
        let mut tops: Vec<String> = every_order(leaf, rest)
            .iter()
            .map(|chain| {
                walk_trusting(anchor, chain)
                    .expect("walk")
                    .top()
                    .thumbprint
                    .clone()
            })
            .collect();
        tops.dedup();
        tops
    }

    #[test]
    fn walks_leaf_to_root() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let walk = walk_trusting(&p.root, &[&p.leaf, &p.intermediate, &p.root]).unwrap();
        assert_eq!(walk.path, vec![0, 1, 2]);
        assert_eq!(walk.verified, 2);
        assert_eq!(
            [walk.role(0), walk.role(1), walk.role(2)],
            [Role::Leaf, Role::Verified, Role::Anchor]
        );
        assert_eq!(walk.top().thumbprint, p.root.sha1());
        assert!(!walk.goes_above_anchor());
    }

    #[test]
    fn a_name_match_without_the_signature_is_not_a_link() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        // Same subject as the real intermediate, different key.
        let impostor = pki::intermediate("Test Intermediate", KeyKind::Ecdsa, &p.root);
        let walk = walk_trusting(&p.root, &[&p.leaf, &impostor, &p.intermediate]).unwrap();
        assert_eq!(walk.path, vec![0, 2]);
        assert_eq!(walk.role(1), Role::Off);
        assert_eq!(walk.top().thumbprint, p.intermediate.sha1());
    }

    #[test]
    fn a_lone_leaf_is_its_own_top() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let walk = walk_trusting(&p.intermediate, &[&p.leaf]).unwrap();
        assert_eq!(walk.path, vec![0]);
        assert_eq!(walk.top().thumbprint, p.leaf.sha1());
    }

    #[test]
    fn a_bundle_stops_at_a_self_signed_certificate() {
        let root = pki::root("Alone", KeyKind::Ecdsa);
        let walk = walk_bundle("t", &ders(&[&root, &root])).unwrap();
        assert_eq!(walk.path, vec![0]);
        assert_eq!(walk.role(0), Role::Leaf);
    }

    #[test]
    fn a_cross_signed_anchor_is_the_top_when_its_signer_is_absent() {
        let old_root = pki::root("Old", KeyKind::Ecdsa);
        let new_root = pki::root("New", KeyKind::Ecdsa);
        let cross = pki::cross_signed(&new_root, &old_root);
        let intermediate = pki::intermediate("I", KeyKind::Ecdsa, &new_root);
        let leaf = pki::leaf(KeyKind::Ecdsa, &intermediate);
        let walk = walk_trusting(&new_root, &[&leaf, &cross, &intermediate]).unwrap();
        assert_eq!(walk.path, vec![0, 2, 1]);
        assert_eq!(walk.role(1), Role::Anchor);
        assert_eq!(walk.top().thumbprint, cross.sha1());
        // Presenting the old root as well extends the walk past the cross-sign.
        let walk = walk_trusting(&new_root, &[&leaf, &cross, &intermediate, &old_root]).unwrap();
        assert_eq!(walk.top().thumbprint, old_root.sha1());
        assert_eq!(walk.role(3), Role::AboveAnchor);
        assert!(walk.goes_above_anchor());
    }

    /// Issue 8: `[L, I, R, Rx]` gave R and `[L, I, Rx, R]` gave Rx. The
    /// cross-signed twin continues the walk, so it is the top in every order.
    #[test]
    fn a_cross_signed_root_is_the_top_beside_its_self_signed_twin_in_every_order() {
        let absent = pki::root("Absent X", KeyKind::Ecdsa);
        let root = pki::root("Twin", KeyKind::Ecdsa);
        let twin = pki::cross_signed(&root, &absent);
        let intermediate = pki::intermediate("I", KeyKind::Ecdsa, &root);
        let leaf = pki::leaf(KeyKind::Ecdsa, &intermediate);
        let tops = tops_in_every_order(&root, &leaf, &[&intermediate, &root, &twin]);
        assert_eq!(tops, vec![twin.sha1()]);
    }

    /// Issue 8: with `[L, I_old, I_new]`, the expired I_old was chosen
    /// although verification went through I_new.
    #[test]
    fn an_expired_twin_off_the_verified_path_is_never_chosen() {
        let root = pki::root("Root", KeyKind::Ecdsa);
        let current = pki::intermediate("Shared Intermediate", KeyKind::Ecdsa, &root);
        let expired = pki::expired_copy(&current, &root);
        let leaf = pki::leaf(KeyKind::Ecdsa, &current);
        let tops = tops_in_every_order(&root, &leaf, &[&expired, &current]);
        assert_eq!(tops, vec![current.sha1()]);
        let walk = walk_trusting(&root, &[&leaf, &expired, &current]).unwrap();
        assert_eq!(walk.role(1), Role::Off);
        assert_eq!(walk.role(2), Role::Verified);
    }

    /// Two valid candidates for one link that differ only in their bytes:
    /// the smaller SHA-256 wins, whatever the order.
    #[test]
    fn a_tie_is_broken_by_sha256_not_position() {
        let root = pki::root("Root", KeyKind::Ecdsa);
        let first = pki::intermediate("Same", KeyKind::Ecdsa, &root);
        let second = pki::cross_signed(&first, &root);
        let leaf = pki::leaf(KeyKind::Ecdsa, &first);
        let tops = tops_in_every_order(&root, &leaf, &[&first, &second]);
        let expected = [&first, &second]
            .into_iter()
            .min_by_key(|c| sha256(&c.der()))
            .expect("two")
            .sha1();
        assert_eq!(tops, vec![expected]);
    }

    #[test]
    fn a_loop_is_an_error() {
        // A and B, each cross-signed by the other: leaf -> A' -> B' -> A' ...
        let a = pki::root("Loop A", KeyKind::Ecdsa);
        let b = pki::root("Loop B", KeyKind::Ecdsa);
        let a_by_b = pki::cross_signed(&a, &b);
        let b_by_a = pki::cross_signed(&b, &a);
        let leaf = pki::leaf(KeyKind::Ecdsa, &a);
        let e = walk_trusting(&a, &[&leaf, &a_by_b, &b_by_a]).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("loops"), "{text}");
    }

    #[test]
    fn more_than_twenty_certificates_are_refused() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let many = vec![p.leaf.der(); MAX_CHAIN_CERTIFICATES + 1];
        assert!(matches!(
            walk_bundle("t", &many),
            Err(Error::Fetch(FetchError::ChainTooLong { count: 21, .. }))
        ));
    }

    #[test]
    fn unparsable_certificates_are_named_by_position() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let garbage = vec![p.leaf.der(), b"\x30\x03\x02\x01\x01".to_vec()];
        assert!(matches!(
            walk_bundle("t", &garbage),
            Err(Error::Fetch(FetchError::BadCertificate { position: 2, .. }))
        ));
        assert!(matches!(
            walk_bundle("t", &[]),
            Err(Error::Fetch(FetchError::NoChain { .. }))
        ));
        let mut trailing = p.leaf.der();
        trailing.push(0);
        assert!(matches!(
            walk_bundle("t", &[trailing]),
            Err(Error::Fetch(FetchError::BadCertificate { position: 1, .. }))
        ));
    }

    #[test]
    fn bundle_leaf_is_the_certificate_that_issued_nothing() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let walk = walk_bundle("b", &ders(&[&p.root, &p.leaf, &p.intermediate])).unwrap();
        assert_eq!(walk.path, vec![1, 2, 0]);
        assert_eq!(walk.role(2), Role::Link);
        let stranger = pki::root("Stranger", KeyKind::Ecdsa);
        let lone_cas = walk_bundle("b", &ders(&[&p.root, &stranger]));
        assert!(matches!(
            lone_cas,
            Err(Error::Fetch(FetchError::AmbiguousLeaf { count: 2, .. }))
        ));
    }
}
