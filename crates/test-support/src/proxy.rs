//! A small HTTP CONNECT proxy for the tests, on 127.0.0.1, that can demand
//! Basic credentials, refuse with a status, or black-hole the request.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use base64::Engine as _;

use crate::server::{read_http_head, serve_raw, TestServer};

#[derive(Clone)]
pub enum ProxyBehaviour {
    Open,
    /// Open, but answers CONNECT with bare LF line ends (`200 OK\n\n`).
    OpenWithBareLineFeeds,
    RequireCredentials {
        user: String,
        password: String,
    },
    Refuse(&'static str),
    BlackHole,
}

pub fn connect_proxy(behaviour: ProxyBehaviour) -> TestServer {
    serve_raw("127.0.0.1:0", move |mut client| {
        let _ = client.set_read_timeout(Some(Duration::from_secs(30)));
        let Some(head) = read_http_head(&mut client).map(|h| h.replace("\r\n", "\n")) else {
            return;
        };
        let target = head
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string();
        match &behaviour {
            ProxyBehaviour::BlackHole => {
                let mut buf = [0u8; 1024];
                while matches!(client.read(&mut buf), Ok(n) if n > 0) {}
                return;
            }
            ProxyBehaviour::Refuse(status) => {
                let _ = client.write_all(
                    format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\n\r\n").as_bytes(),
                );
                return;
            }
            ProxyBehaviour::RequireCredentials { user, password } => {
                let expected =
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                let authorised = head.lines().any(|line| {
                    line.eq_ignore_ascii_case(&format!("proxy-authorization: Basic {expected}"))
                });
                if !authorised {
                    let _ = client.write_all(
                        b"HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm=\"t\"\r\ncontent-length: 0\r\n\r\n",
                    );
                    return;
                }
            }
            ProxyBehaviour::Open | ProxyBehaviour::OpenWithBareLineFeeds => {}
        }
        if !head.starts_with("CONNECT ") {
            let _ =
                client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n");
            return;
        }
        let Ok(upstream) = TcpStream::connect(&target) else {
            let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
            return;
        };
        let answer: &[u8] = match behaviour {
            ProxyBehaviour::OpenWithBareLineFeeds => b"HTTP/1.1 200 OK\n\n",
            _ => b"HTTP/1.1 200 Connection established\r\n\r\n",
        };
        let _ = client.write_all(answer);
        pipe(client, upstream);
    })
}

fn pipe(client: TcpStream, upstream: TcpStream) {
    let (Ok(mut client_read), Ok(mut upstream_read)) = (client.try_clone(), upstream.try_clone())
    else {
        return;
    };
    let mut client_write = client;
    let mut upstream_write = upstream;
    let forward = thread::spawn(move || {
        let _ = std::io::copy(&mut client_read, &mut upstream_write);
        let _ = upstream_write.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut upstream_read, &mut client_write);
    let _ = client_write.shutdown(std::net::Shutdown::Write);
    let _ = forward.join();
}
