//! Walking a presented chain up to its top certificate.
//!
//! IAM wants the thumbprint of the top CA certificate the server presents.
//! The one-liner took the last PEM block by position; servers send extra or
//! reordered certificates, so position proves nothing. Here a link is only a
//! link when the candidate's subject is the current certificate's issuer AND
//! the candidate's key verifies the current certificate's signature.

use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;

use crate::error::{Error, Result};
use crate::fingerprint::sha1_thumbprint;

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

    pub fn on_path(&self, index: usize) -> bool {
        self.path.contains(&index)
    }
}

/// Walks the chain a TLS server presented: the leaf is the first certificate
/// (RFC 8446, section 4.4.2); the others may come in any order.
pub fn walk_presented(source_name: &str, ders: &[Vec<u8>]) -> Result<ChainWalk> {
    let parsed = parse_all(source_name, ders)?;
    walk_from(source_name, ders, &parsed, 0)
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
                    return Err(Error::AmbiguousLeaf {
                        source_name: source_name.to_string(),
                        count: several.len(),
                        subjects: several
                            .iter()
                            .map(|&i| parsed[i].subject().to_string())
                            .collect::<Vec<_>>()
                            .join("; "),
                    })
                }
            }
        }
    };
    walk_from(source_name, ders, &parsed, leaf)
}

fn parse_all<'a>(source_name: &str, ders: &'a [Vec<u8>]) -> Result<Vec<X509Certificate<'a>>> {
    if ders.is_empty() {
        return Err(Error::NoChain {
            endpoint: source_name.to_string(),
        });
    }
    if ders.len() > MAX_CHAIN_CERTIFICATES {
        return Err(Error::ChainTooLong {
            source_name: source_name.to_string(),
            count: ders.len(),
            limit: MAX_CHAIN_CERTIFICATES,
        });
    }
    ders.iter()
        .enumerate()
        .map(|(index, der)| {
            let bad = |reason: String| Error::BadCertificate {
                source_name: source_name.to_string(),
                position: index + 1,
                reason,
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

fn walk_from(
    source_name: &str,
    ders: &[Vec<u8>],
    parsed: &[X509Certificate<'_>],
    leaf: usize,
) -> Result<ChainWalk> {
    let mut path = vec![leaf];
    let mut current = leaf;
    while !issued(&parsed[current], &parsed[current]) {
        let issuer =
            (0..parsed.len()).find(|&j| j != current && issued(&parsed[j], &parsed[current]));
        match issuer {
            None => break,
            Some(j) if path.contains(&j) => {
                let names: Vec<String> = path
                    .iter()
                    .chain(std::iter::once(&j))
                    .map(|&i| parsed[i].subject().to_string())
                    .collect();
                return Err(Error::BadCertificate {
                    source_name: source_name.to_string(),
                    position: j + 1,
                    reason: format!("the chain loops: {}", names.join(" -> ")),
                });
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

/// The integration tests' PKI helpers, shared rather than written twice.
#[cfg(test)]
#[path = "../tests/common/pki.rs"]
mod pki;

#[cfg(test)]
mod tests {
    use super::pki::{self, KeyKind};
    use super::*;

    fn ders(certs: &[&pki::Issued]) -> Vec<Vec<u8>> {
        certs.iter().map(|c| c.der()).collect()
    }

    #[test]
    fn walks_leaf_to_root() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let walk = walk_presented("t", &ders(&[&p.leaf, &p.intermediate, &p.root])).unwrap();
        assert_eq!(walk.path, vec![0, 1, 2]);
        assert_eq!(walk.top().thumbprint, p.root.sha1());
    }

    #[test]
    fn a_name_match_without_the_signature_is_not_a_link() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        // Same subject as the real intermediate, different key.
        let impostor = pki::intermediate("Test Intermediate", KeyKind::Ecdsa, &p.root);
        let walk = walk_presented("t", &ders(&[&p.leaf, &impostor, &p.intermediate])).unwrap();
        assert_eq!(walk.path, vec![0, 2]);
        assert_eq!(walk.top().thumbprint, p.intermediate.sha1());
    }

    #[test]
    fn a_lone_leaf_is_its_own_top() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let walk = walk_presented("t", &ders(&[&p.leaf])).unwrap();
        assert_eq!(walk.path, vec![0]);
        assert_eq!(walk.top().thumbprint, p.leaf.sha1());
    }

    #[test]
    fn stops_at_a_self_signed_certificate() {
        let root = pki::root("Alone", KeyKind::Ecdsa);
        let walk = walk_presented("t", &ders(&[&root, &root])).unwrap();
        assert_eq!(walk.path, vec![0]);
    }

    #[test]
    fn cross_signed_top() {
        let old_root = pki::root("Old", KeyKind::Ecdsa);
        let new_root = pki::root("New", KeyKind::Ecdsa);
        let cross = pki::cross_signed(&new_root, &old_root);
        let intermediate = pki::intermediate("I", KeyKind::Ecdsa, &new_root);
        let leaf = pki::leaf(KeyKind::Ecdsa, &intermediate);
        let walk = walk_presented("t", &ders(&[&leaf, &cross, &intermediate])).unwrap();
        assert_eq!(walk.path, vec![0, 2, 1]);
        assert_eq!(walk.top().thumbprint, cross.sha1());
        // Presenting the old root as well extends the walk past the cross-sign.
        let walk = walk_presented("t", &ders(&[&leaf, &cross, &intermediate, &old_root])).unwrap();
        assert_eq!(walk.top().thumbprint, old_root.sha1());
    }

    #[test]
    fn a_self_signed_root_ends_the_walk_even_beside_its_cross_signed_twin() {
        let old_root = pki::root("Old", KeyKind::Ecdsa);
        let root = pki::root("Twin", KeyKind::Ecdsa);
        let twin = pki::cross_signed(&root, &old_root);
        let intermediate = pki::intermediate("I", KeyKind::Ecdsa, &root);
        let leaf = pki::leaf(KeyKind::Ecdsa, &intermediate);
        // The twin's key also verifies the root's self-signature: without the
        // self-signed stop the walk would climb on to the twin.
        let walk = walk_presented("t", &ders(&[&leaf, &intermediate, &root, &twin])).unwrap();
        assert_eq!(walk.path, vec![0, 1, 2]);
        assert_eq!(walk.top().thumbprint, root.sha1());
    }

    #[test]
    fn a_loop_is_an_error() {
        // A and B, each cross-signed by the other: leaf -> A' -> B' -> A' ...
        let a = pki::root("Loop A", KeyKind::Ecdsa);
        let b = pki::root("Loop B", KeyKind::Ecdsa);
        let a_by_b = pki::cross_signed(&a, &b);
        let b_by_a = pki::cross_signed(&b, &a);
        let leaf = pki::leaf(KeyKind::Ecdsa, &a);
        let e = walk_presented("loop.example:443", &ders(&[&leaf, &a_by_b, &b_by_a])).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("loops") && text.contains("loop.example:443"),
            "{text}"
        );
    }

    #[test]
    fn too_many_and_unparsable_certificates() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let many = vec![p.leaf.der(); MAX_CHAIN_CERTIFICATES + 1];
        assert!(matches!(
            walk_presented("t", &many),
            Err(Error::ChainTooLong { count: 21, .. })
        ));
        let garbage = vec![p.leaf.der(), b"\x30\x03\x02\x01\x01".to_vec()];
        assert!(matches!(
            walk_presented("t", &garbage),
            Err(Error::BadCertificate { position: 2, .. })
        ));
        assert!(matches!(
            walk_presented("t", &[]),
            Err(Error::NoChain { .. })
        ));
        let mut trailing = p.leaf.der();
        trailing.push(0);
        assert!(matches!(
            walk_presented("t", &[trailing]),
            Err(Error::BadCertificate { position: 1, .. })
        ));
    }

    #[test]
    fn bundle_leaf_is_the_certificate_that_issued_nothing() {
        let p = pki::simple_pki(KeyKind::Ecdsa);
        let walk = walk_bundle("b", &ders(&[&p.root, &p.leaf, &p.intermediate])).unwrap();
        assert_eq!(walk.path, vec![1, 2, 0]);
        let stranger = pki::root("Stranger", KeyKind::Ecdsa);
        let lone_cas = walk_bundle("b", &ders(&[&p.root, &stranger]));
        assert!(matches!(
            lone_cas,
            Err(Error::AmbiguousLeaf { count: 2, .. })
        ));
    }
}
