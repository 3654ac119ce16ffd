//! Test helpers shared by the oidc-thumbprint crates, written once: a test
//! PKI made with rcgen, TLS servers and a CONNECT proxy on loopback, temp
//! directories, and the fixtures under `tests/fixtures/`.

pub mod pki;
pub mod proxy;
pub mod server;

use std::path::{Path, PathBuf};

/// The path of a file in the repository's `tests/fixtures/` (README there
/// says where each came from).
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    path.canonicalize()
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// A temporary directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("oidc-thumbprint-{tag}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    /// A new directory holding one file, and that file's path: most tests
    /// need exactly one `ca_file` or PEM bundle.
    pub fn with_file(tag: &str, name: &str, contents: &str) -> (Self, String) {
        let dir = TempDir::new(tag);
        let path = dir.write(name, contents);
        (dir, path)
    }

    pub fn write(&self, name: &str, contents: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write temp file");
        path.to_string_lossy().into_owned()
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

/// A server presenting the leaf and intermediate of a fresh ECDSA test PKI,
/// with a ca_file that trusts its root: the common case of most tests.
pub struct ChainServer {
    pub pki: pki::SimplePki,
    pub server: server::TestServer,
    pub ca_file: String,
    _dir: TempDir,
}

impl ChainServer {
    pub fn start(tag: &str) -> Self {
        let pki = pki::simple_pki(pki::KeyKind::Ecdsa);
        let dir = TempDir::new(tag);
        let ca_file = dir.write("ca.pem", &pki.root.pem());
        let server = server::tls_server(server::TlsServerConfig::presenting(&[
            &pki.leaf,
            &pki.intermediate,
        ]));
        ChainServer {
            pki,
            server,
            ca_file,
            _dir: dir,
        }
    }

    /// The thumbprint the server's chain must give: its intermediate's.
    pub fn expected(&self) -> String {
        self.pki.intermediate.sha1()
    }

    /// A Terraform query for `localhost` on this server.
    pub fn host_query(&self, timeout: &str) -> serde_json::Value {
        serde_json::json!({
            "host": "localhost",
            "port": self.server.port().to_string(),
            "ca_file": self.ca_file,
            "timeout": timeout,
        })
    }
}

/// Every order of `items` (all permutations): a walk must give one answer
/// whatever order a server sends its certificates in.
pub fn every_order<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut orders = Vec::new();
    for pick in 0..items.len() {
        let mut rest = items.to_vec();
        let chosen = rest.remove(pick);
        for mut order in every_order(&rest) {
            order.insert(0, chosen.clone());
            orders.push(order);
        }
    }
    orders
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
