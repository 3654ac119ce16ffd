//! Walking a presented chain up to its top certificate.
//!
//! IAM wants the thumbprint of the top CA certificate the server presents.
//! The one-liner took the last PEM block by position; servers send extra or
//! reordered certificates, so position proves nothing. Here the answer is a
//! function of the *set* of presented certificates:
//!
//! - Below the trust anchor the walk is the path that verification built
//!   (webpki, inside the handshake: trust.rs), so a certificate off that
//!   path, an expired twin say, can never be chosen.
//! - From the anchor upward it goes on through presented certificates that
//!   link by name AND signature, because IAM's rule is the top of what is
//!   presented: the EKS endpoints present Amazon Root CA 1 cross-signed by
//!   Starfield Services G2, and that cross-signed by Starfield Class 2.
//! - Where several presented certificates could be the next link, the one
//!   whose own walk goes highest wins, then [`Links::rank`]'s tie-breakers;
//!   never the order on the wire.

use rustls_pki_types::{CertificateDer, UnixTime};
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::time::ASN1Time;

use crate::error::{Error, FetchError, Result};
use crate::escape::printable;
use crate::fingerprint::{sha256, Thumbprint};

/// Real chains hold 2 to 5 certificates; a server sending more than this is
/// broken or hostile, and walking it would only waste the deadline.
pub const MAX_CHAIN_CERTIFICATES: usize = 20;

/// What a report shows of one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub subject: String,
    pub issuer: String,
    pub not_after: OffsetDateTime,
    pub thumbprint: Thumbprint,
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

/// How far a walk from a certificate goes through presented certificates.
/// Ordered worst first: a walk that can only loop back ranks below any
/// walk that ends, and a longer walk above a shorter one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    Loops,
    /// Ends after this many more links.
    Ends(usize),
}

impl Reach {
    fn one_link_more(self) -> Reach {
        match self {
            Reach::Loops => Reach::Loops,
            Reach::Ends(links) => Reach::Ends(links + 1),
        }
    }
}

/// The presented certificates parsed once, with who issued whom: the
/// signature checks the walk needs are made here, once per pair of
/// certificates whose names match.
pub(crate) struct Links<'a> {
    source_name: &'a str,
    parsed: Vec<X509Certificate<'a>>,
    ders: Vec<&'a [u8]>,
    /// `issuers[i]`: the other presented certificates that issued `i`.
    issuers: Vec<Vec<usize>>,
    self_signed: Vec<bool>,
    /// Certificates with the same subject and key are one CA: the index of
    /// the first of them. A walk that meets a CA twice is a loop.
    identity: Vec<usize>,
    valid: Vec<bool>,
    sha256: Vec<[u8; 32]>,
}

impl<'a> Links<'a> {
    /// Parses `ders`, refusing an empty chain, one longer than
    /// [`MAX_CHAIN_CERTIFICATES`] and a certificate that does not parse.
    /// Validity is judged at `now` (the handshake's own clock).
    pub(crate) fn new(source_name: &'a str, ders: Vec<&'a [u8]>, now: UnixTime) -> Result<Self> {
        if ders.is_empty() {
            return Err(FetchError::NoChain {
                source_name: printable(source_name),
            }
            .into());
        }
        if ders.len() > MAX_CHAIN_CERTIFICATES {
            return Err(FetchError::ChainTooLong {
                source_name: printable(source_name),
                count: ders.len(),
                limit: MAX_CHAIN_CERTIFICATES,
            }
            .into());
        }
        let parsed = ders
            .iter()
            .enumerate()
            .map(|(index, der)| parse(source_name, index, der))
            .collect::<Result<Vec<_>>>()?;
        let count = parsed.len();
        let now = i64::try_from(now.as_secs())
            .ok()
            .and_then(|secs| ASN1Time::from_timestamp(secs).ok());
        let mut issuers = vec![Vec::new(); count];
        let mut self_signed = vec![false; count];
        for child in 0..count {
            for issuer in 0..count {
                if issued(&parsed[issuer], &parsed[child]) {
                    if issuer == child {
                        self_signed[child] = true;
                    } else {
                        issuers[child].push(issuer);
                    }
                }
            }
        }
        let identity = (0..count)
            .map(|i| {
                (0..=i)
                    .find(|&j| same_ca(&parsed[i], &parsed[j]))
                    .unwrap_or(i)
            })
            .collect();
        let valid = parsed
            .iter()
            .map(|cert| now.is_some_and(|now| cert.validity().is_valid_at(now)))
            .collect();
        let sha256 = ders.iter().map(|der| sha256(der)).collect();
        Ok(Links {
            source_name,
            parsed,
            ders,
            issuers,
            self_signed,
            identity,
            valid,
            sha256,
        })
    }

    fn len(&self) -> usize {
        self.parsed.len()
    }

    /// How far the best walk from `index` goes, with the CAs in `used`
    /// already on the path. The walk stops at a self-signed certificate or
    /// one whose issuer was not presented. Each step picks a member of one
    /// CA not yet used, so with at most 20 certificates the search is
    /// bounded by the product of the CAs' sizes (a few thousand paths).
    fn reach(&self, index: usize, used: &mut [bool]) -> Reach {
        if self.self_signed[index] || self.issuers[index].is_empty() {
            return Reach::Ends(0);
        }
        let mut best = Reach::Loops;
        for &next in &self.issuers[index] {
            let ca = self.identity[next];
            if used[ca] {
                continue;
            }
            used[ca] = true;
            best = best.max(self.reach(next, used).one_link_more());
            used[ca] = false;
        }
        best
    }

    /// Candidates for one link sort by this key, smallest first:
    /// 1. the longest walk onward through presented certificates (so one
    ///    more certificate presented can never lower the top);
    /// 2. valid now before expired or not yet valid;
    /// 3. a cross-signed certificate before its self-signed twin (the EKS
    ///    endpoints' published thumbprint is Starfield's cross-signed G2);
    /// 4. the smallest SHA-256 of the DER, so a tie never falls to the
    ///    order on the wire.
    fn rank(
        &self,
        index: usize,
        used: &mut [bool],
    ) -> (std::cmp::Reverse<Reach>, bool, bool, [u8; 32]) {
        let ca = self.identity[index];
        let was_used = std::mem::replace(&mut used[ca], true);
        let reach = self.reach(index, used);
        used[ca] = was_used;
        (
            std::cmp::Reverse(reach),
            !self.valid[index],
            self.self_signed[index],
            self.sha256[index],
        )
    }

    /// The non-leaf certificates in the order verification should try them
    /// (webpki takes the first path that verifies), so the verified path is
    /// a function of the set, not the wire.
    pub(crate) fn offer_order(&self) -> Vec<usize> {
        let mut used = vec![false; self.len()];
        used[self.identity[0]] = true;
        let mut order: Vec<(_, usize)> = (1..self.len())
            .map(|i| (self.rank(i, &mut used), i))
            .collect();
        order.sort();
        order.into_iter().map(|(_, i)| i).collect()
    }

    pub(crate) fn der(&self, index: usize) -> &'a [u8] {
        self.ders[index]
    }

    /// Climbs from the end of `path` through presented certificates until a
    /// self-signed one or one whose issuer was not presented. `verified` is
    /// how much of `path` verification covered.
    pub(crate) fn walk(&self, mut path: Vec<usize>, verified: usize) -> Result<ChainWalk> {
        let mut used = vec![false; self.len()];
        for &i in &path {
            used[self.identity[i]] = true;
        }
        loop {
            let current = *path.last().unwrap_or(&0);
            if self.self_signed[current] || self.issuers[current].is_empty() {
                break;
            }
            let candidates: Vec<usize> = self.issuers[current]
                .iter()
                .copied()
                .filter(|&j| !used[self.identity[j]])
                .collect();
            let next = candidates
                .into_iter()
                .min_by_key(|&j| self.rank(j, &mut used));
            let Some(next) = next else {
                return Err(self.loop_error(&path, self.issuers[current][0]));
            };
            used[self.identity[next]] = true;
            path.push(next);
        }
        Ok(ChainWalk {
            certificates: self
                .parsed
                .iter()
                .zip(&self.ders)
                .map(|(cert, der)| Certificate {
                    subject: cert.subject().to_string(),
                    issuer: cert.issuer().to_string(),
                    not_after: cert.validity().not_after.to_datetime(),
                    thumbprint: Thumbprint::of(der),
                })
                .collect(),
            path,
            verified,
        })
    }

    fn loop_error(&self, path: &[usize], back_to: usize) -> Error {
        let names: Vec<String> = path
            .iter()
            .chain(std::iter::once(&back_to))
            .map(|&i| printable(&self.parsed[i].subject().to_string()).to_string())
            .collect();
        FetchError::ChainLoops {
            source_name: printable(self.source_name),
            names: names.join(" -> "),
        }
        .into()
    }
}

/// Walks the chain a TLS server presented, given the path verification
/// built: `verified_intermediates` are indices into `certificates` (the leaf
/// is 0, RFC 8446 section 4.4.2), from the leaf's issuer up to the last one
/// below the trust anchor. `now` is the clock verification used.
pub fn walk_presented(
    source_name: &str,
    certificates: &[CertificateDer<'_>],
    verified_intermediates: &[usize],
    now: UnixTime,
) -> Result<ChainWalk> {
    let links = Links::new(
        source_name,
        certificates.iter().map(|c| c.as_ref()).collect(),
        now,
    )?;
    links.walk_verified(verified_intermediates)
}

impl Links<'_> {
    /// The walk above the path verification built.
    pub(crate) fn walk_verified(&self, verified_intermediates: &[usize]) -> Result<ChainWalk> {
        let mut path = vec![0];
        for &index in verified_intermediates {
            if index == 0 || index >= self.len() || path.contains(&index) {
                return Err(FetchError::Handshake {
                    endpoint: printable(self.source_name).to_string(),
                    reason:
                        "verification built a path through a certificate the server did not present"
                            .into(),
                }
                .into());
            }
            path.push(index);
        }
        let verified = path.len();
        self.walk(path, verified)
    }
}

/// Walks a PEM bundle read from a file. Files come in any order, so the leaf
/// is the certificate that issued none of the others. Nothing verified it,
/// so validity is judged by the system clock.
pub fn walk_bundle(source_name: &str, certificates: &[CertificateDer<'_>]) -> Result<ChainWalk> {
    let links = Links::new(
        source_name,
        certificates.iter().map(|c| c.as_ref()).collect(),
        UnixTime::now(),
    )?;
    let issued_something = |i: usize| links.issuers.iter().any(|issuers| issuers.contains(&i));
    let issued_nothing: Vec<usize> = (0..links.len()).filter(|&i| !issued_something(i)).collect();
    let leaf = match issued_nothing.as_slice() {
        [only] => *only,
        // A chain of self-signed certificates that sign each other has no leaf.
        [] => 0,
        several => {
            // Prefer the one end-entity certificate among them, if there is one.
            let end_entities: Vec<usize> = several
                .iter()
                .copied()
                .filter(|&i| !is_ca(&links.parsed[i]))
                .collect();
            match end_entities.as_slice() {
                [only] => *only,
                _ => {
                    return Err(FetchError::AmbiguousLeaf {
                        source_name: printable(source_name),
                        count: several.len(),
                        subjects: several
                            .iter()
                            .map(|&i| printable(&links.parsed[i].subject().to_string()).to_string())
                            .collect::<Vec<_>>()
                            .join("; "),
                    }
                    .into())
                }
            }
        }
    };
    links.walk(vec![leaf], 0)
}

fn parse<'a>(source_name: &str, index: usize, der: &'a [u8]) -> Result<X509Certificate<'a>> {
    let bad = |reason: String| -> Error {
        FetchError::BadCertificate {
            source_name: printable(source_name),
            position: index + 1,
            reason: printable(&reason).to_string(),
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
}

/// Did `issuer` issue `child`? Names must match byte for byte and the
/// issuer's key must verify the child's signature.
fn issued(issuer: &X509Certificate<'_>, child: &X509Certificate<'_>) -> bool {
    child.issuer().as_raw() == issuer.subject().as_raw()
        && child.verify_signature(Some(issuer.public_key())).is_ok()
}

/// One CA: the same subject and the same key.
fn same_ca(a: &X509Certificate<'_>, b: &X509Certificate<'_>) -> bool {
    a.subject().as_raw() == b.subject().as_raw() && a.public_key().raw == b.public_key().raw
}

fn is_ca(cert: &X509Certificate<'_>) -> bool {
    matches!(cert.basic_constraints(), Ok(Some(ext)) if ext.value.ca)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::TrustAnchors;
    use crate::trust::Trust;
    use oidc_thumbprint_test_support::every_order;
    use oidc_thumbprint_test_support::pki::{self, KeyKind};
    use rustls_pki_types::ServerName;

    fn ders(certs: &[&pki::Issued]) -> Vec<CertificateDer<'static>> {
        certs.iter().map(|c| c.cert_der()).collect()
    }

    /// Walks `chain` as the handshake would, trusting `anchors`.
    fn walk_trusting_all(
        anchors: &[&pki::Issued],
        chain: &[&pki::Issued],
    ) -> std::result::Result<ChainWalk, String> {
        let pem: String = anchors.iter().map(|a| a.pem()).collect();
        let trust = Trust::new(&TrustAnchors::Pem(pem.into_bytes())).expect("anchors");
        let name = ServerName::try_from("localhost").expect("name");
        trust.verify_and_walk(&ders(chain), &name, UnixTime::now())
    }

    fn walk_trusting(
        anchor: &pki::Issued,
        chain: &[&pki::Issued],
    ) -> std::result::Result<ChainWalk, String> {
        walk_trusting_all(&[anchor], chain)
    }

    /// The distinct tops for every order of the non-leaf certificates.
    fn tops_in_every_order(
        anchor: &pki::Issued,
        leaf: &pki::Issued,
        rest: &[&pki::Issued],
    ) -> Vec<String> {
        let mut tops: Vec<String> = every_order(rest)
            .into_iter()
            .map(|order| {
                let chain: Vec<&pki::Issued> = std::iter::once(leaf).chain(order).collect();
                walk_trusting(anchor, &chain)
                    .expect("walk")
                    .top()
                    .thumbprint
                    .to_string()
            })
            .collect();
        tops.sort();
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
        assert_eq!(walk.top().thumbprint.to_string(), p.root.sha1());
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
        assert_eq!(walk.top().thumbprint.to_string(), p.intermediate.sha1());
    }

    #[test]
    fn a_lone_leaf_is_its_own_top() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let walk = walk_trusting(&p.intermediate, &[&p.leaf]).unwrap();
        assert_eq!(walk.path, vec![0]);
        assert_eq!(walk.top().thumbprint.to_string(), p.leaf.sha1());
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
        assert_eq!(walk.top().thumbprint.to_string(), cross.sha1());
        // Presenting the old root as well extends the walk past the cross-sign.
        let walk = walk_trusting(&new_root, &[&leaf, &cross, &intermediate, &old_root]).unwrap();
        assert_eq!(walk.top().thumbprint.to_string(), old_root.sha1());
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
        let text = walk_trusting(&a, &[&leaf, &a_by_b, &b_by_a]).unwrap_err();
        assert!(text.contains("loops"), "{text}");
    }

    #[test]
    fn more_than_twenty_certificates_are_refused() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let many = vec![p.leaf.cert_der(); MAX_CHAIN_CERTIFICATES + 1];
        assert!(matches!(
            walk_bundle("t", &many),
            Err(Error::Fetch(FetchError::ChainTooLong { count: 21, .. }))
        ));
    }

    #[test]
    fn unparsable_certificates_are_named_by_position() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let garbage = vec![
            p.leaf.cert_der(),
            CertificateDer::from(b"\x30\x03\x02\x01\x01".to_vec()),
        ];
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
            walk_bundle("t", &[CertificateDer::from(trailing)]),
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

    /// Issue 15: with the anchor R trusted and `[L, I, R-by-X, R-by-Y, X]`
    /// presented (Y absent), R-by-Y won whenever its SHA-256 was smaller, so
    /// presenting one more certificate lowered the top. The walk that goes
    /// highest wins: X, in every order.
    #[test]
    fn the_top_is_the_highest_presented_certificate_in_every_order() {
        let x = pki::root("X", KeyKind::Ecdsa);
        let y = pki::root("Y", KeyKind::Ecdsa);
        let r = pki::root("R", KeyKind::Ecdsa);
        let (r_by_x, r_by_y) = (pki::cross_signed(&r, &x), pki::cross_signed(&r, &y));
        let i = pki::intermediate("I", KeyKind::Ecdsa, &r);
        let leaf = pki::leaf(KeyKind::Ecdsa, &i);
        let tops = tops_in_every_order(&r, &leaf, &[&i, &r_by_x, &r_by_y, &x]);
        assert_eq!(tops, vec![x.sha1()]);
        let walk = walk_trusting(&r, &[&leaf, &i, &r_by_y, &r_by_x, &x]).unwrap();
        assert_eq!(walk.path, vec![0, 1, 3, 4]);
        assert_eq!(
            [walk.role(2), walk.role(3), walk.role(4)],
            [Role::Off, Role::Anchor, Role::AboveAnchor]
        );
    }

    /// Three cross-signs of R: the one whose signer leads on (Y, itself
    /// cross-signed by a presented W) beats the one whose signer ends at
    /// once (X), and the one whose signer is absent (Z).
    #[test]
    fn of_three_cross_signs_the_longest_walk_wins() {
        let [w, x, y, z, r] = ["W", "X", "Y", "Z", "R"].map(|n| pki::root(n, KeyKind::Ecdsa));
        let i = pki::intermediate("I", KeyKind::Ecdsa, &r);
        let leaf = pki::leaf(KeyKind::Ecdsa, &i);
        let crosses = [&x, &y, &z].map(|signer| pki::cross_signed(&r, signer));
        let y_by_w = pki::cross_signed(&y, &w);
        let tops = tops_in_every_order(
            &r,
            &leaf,
            &[&i, &crosses[0], &crosses[1], &crosses[2], &y_by_w, &w],
        );
        assert_eq!(tops, vec![w.sha1()]);
        // X presented too: its cross-sign now ends one link up, still lower.
        let chain = [
            &leaf,
            &x,
            &crosses[0],
            &i,
            &crosses[2],
            &w,
            &crosses[1],
            &y_by_w,
        ];
        let walk = walk_trusting(&r, &chain).unwrap();
        assert_eq!(walk.top().thumbprint.to_string(), w.sha1());
    }

    /// A chain of two cross-signs (R by X, X by Y, Y self-signed) beside a
    /// twin of R whose signer is absent: the walk climbs to Y.
    #[test]
    fn a_chain_of_two_cross_signs_is_climbed_past_a_dead_end_twin() {
        let [x, y, z, r] = ["X", "Y", "Z", "R"].map(|n| pki::root(n, KeyKind::Ecdsa));
        let i = pki::intermediate("I", KeyKind::Ecdsa, &r);
        let leaf = pki::leaf(KeyKind::Ecdsa, &i);
        let (r_by_x, r_by_z, x_by_y) = (
            pki::cross_signed(&r, &x),
            pki::cross_signed(&r, &z),
            pki::cross_signed(&x, &y),
        );
        let tops = tops_in_every_order(&r, &leaf, &[&i, &r_by_z, &r_by_x, &x_by_y, &y]);
        assert_eq!(tops, vec![y.sha1()]);
    }

    /// A twin at each level: R beside R-by-X, X beside an expired copy of
    /// itself. The cross-sign leads on, and the valid X is the top.
    #[test]
    fn a_twin_at_each_level_gives_one_answer() {
        let [x, r] = ["X", "R"].map(|n| pki::root(n, KeyKind::Ecdsa));
        let i = pki::intermediate("I", KeyKind::Ecdsa, &r);
        let leaf = pki::leaf(KeyKind::Ecdsa, &i);
        let r_by_x = pki::cross_signed(&r, &x);
        let old_x = pki::expired_copy(&x, &x);
        let tops = tops_in_every_order(&r, &leaf, &[&i, &r, &r_by_x, &x, &old_x]);
        assert_eq!(tops, vec![x.sha1()]);
    }

    /// Six CAs of three certificates each, every one signed by the next CA:
    /// 3^6 walks onward. The search is bounded by the CAs, not by the
    /// certificates' orders, and the answer is the last CA's smallest hash.
    #[test]
    fn a_dense_web_of_cross_signs_is_walked_within_the_cap() {
        let cas: Vec<pki::Issued> = (0..7)
            .map(|n| pki::root(&format!("CA {n}"), KeyKind::Ecdsa))
            .collect();
        let leaf = pki::leaf(KeyKind::Ecdsa, &cas[0]);
        let mut presented = vec![leaf];
        for level in 0..6 {
            for _ in 0..3 {
                presented.push(pki::cross_signed(&cas[level], &cas[level + 1]));
            }
        }
        let chain: Vec<&pki::Issued> = presented.iter().collect();
        let started = std::time::Instant::now();
        let walk = walk_trusting(&cas[0], &chain).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(walk.path.len(), 7, "{:?}", walk.path);
        let top_level = &presented[16..19];
        let expected = top_level
            .iter()
            .min_by_key(|c| sha256(&c.der()))
            .expect("three")
            .sha1();
        assert_eq!(walk.top().thumbprint.to_string(), expected);
    }
}
