//! Test helpers: an emulator per test and a tiny raw HTTP/1.1 client, so the
//! tests see exactly the bytes the emulator sends (status, headers, body).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::Value;
use tasklist_emulator::{CamundaVersion, Config, Emulator};

/// The tests written before version profiles pin the emulator as it was
/// then (`legacy`); `profiles.rs` starts each version itself.
pub fn start(config: Config) -> Emulator {
    Emulator::start(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        admin: true,
        camunda_version: CamundaVersion::Legacy,
        ..config
    })
    .expect("emulator starts")
}

/// An emulator of one Camunda version (the v2 tests: 8.8, 8.9, 8.10),
/// with the admin API, on a free port.
pub fn start_version(version: CamundaVersion, config: Config) -> Emulator {
    Emulator::start(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        admin: true,
        camunda_version: version,
        ..config
    })
    .expect("emulator starts")
}

pub fn start_default() -> Emulator {
    start(Config::default())
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `message` of an error body.
    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// Sends one request on a fresh connection (`Connection: close`).
pub fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_reply(&raw).ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, "incomplete HTTP answer")
    })
}

pub fn parse_reply(raw: &[u8]) -> Option<Reply> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let body = raw[split + 4..].to_vec();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))?
        .1
        .parse()
        .ok()?;
    if body.len() != length {
        return None;
    }
    Some(Reply {
        status,
        headers,
        body,
    })
}

/// A client bound to one emulator and one way of authenticating.
#[derive(Clone)]
pub struct Client {
    pub addr: SocketAddr,
    pub auth: Vec<(String, String)>,
}

impl Client {
    pub fn anonymous(emulator: &Emulator) -> Client {
        Client {
            addr: emulator.addr(),
            auth: Vec::new(),
        }
    }

    /// An API user with a token of the default client.
    pub fn bearer(emulator: &Emulator) -> Client {
        let token = token(emulator.addr());
        Client {
            addr: emulator.addr(),
            auth: vec![("Authorization".into(), format!("Bearer {token}"))],
        }
    }

    /// A session user logged in with /api/login.
    pub fn session(emulator: &Emulator, user: &str, password: &str) -> Client {
        let reply = send(
            emulator.addr(),
            "POST",
            &format!("/api/login?username={user}&password={password}"),
            &[],
            b"",
        )
        .unwrap();
        assert_eq!(reply.status, 204, "login of {user}");
        let mut cookies = Vec::new();
        let mut auth = Vec::new();
        for set_cookie in reply.headers_named("set-cookie") {
            cookies.push(set_cookie.split(';').next().unwrap().to_string());
        }
        auth.push(("Cookie".to_string(), cookies.join("; ")));
        if let Some(csrf) = reply.header("x-csrf-token") {
            auth.push(("X-CSRF-TOKEN".to_string(), csrf.to_string()));
        }
        Client {
            addr: emulator.addr(),
            auth,
        }
    }

    pub fn call(&self, method: &str, path: &str, body: &str) -> Reply {
        let mut headers: Vec<(&str, &str)> = self
            .auth
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        if !body.is_empty() {
            headers.push(("Content-Type", "application/json"));
        }
        send(self.addr, method, path, &headers, body.as_bytes()).expect("request succeeds")
    }

    pub fn get(&self, path: &str) -> Reply {
        self.call("GET", path, "")
    }

    pub fn post(&self, path: &str, body: &str) -> Reply {
        self.call("POST", path, body)
    }

    pub fn patch(&self, path: &str, body: &str) -> Reply {
        self.call("PATCH", path, body)
    }

    /// POST /v1/tasks/search, expecting 200, returning the array.
    pub fn search(&self, body: &str) -> Vec<Value> {
        let reply = self.post("/v1/tasks/search", body);
        assert_eq!(reply.status, 200, "search {body}: {}", reply.text());
        reply.json().as_array().unwrap().clone()
    }
}

pub fn token(addr: SocketAddr) -> String {
    let body = r#"{"client_id":"tasklist-client","client_secret":"tasklist-secret","audience":"tasklist.camunda.io","grant_type":"client_credentials"}"#;
    let reply = send(
        addr,
        "POST",
        "/oauth/token",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["access_token"].as_str().unwrap().to_string()
}

/// Ids of notable seeded objects (GET /__emulator/data).
pub fn landmark(emulator: &Emulator, name: &str) -> String {
    let reply = send(emulator.addr(), "GET", "/__emulator/data", &[], b"").unwrap();
    reply.json()[name]
        .as_str()
        .unwrap_or_else(|| panic!("no landmark {name}"))
        .to_string()
}

pub fn ids(tasks: &[Value]) -> Vec<String> {
    tasks
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

/// Asserts a problem+json error with status, message and (maybe) instance.
pub fn assert_problem(reply: &Reply, status: u16, message: &str, with_instance: bool) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    let body = reply.json();
    assert_eq!(body["status"], status);
    assert_eq!(body["message"], message);
    if with_instance {
        let instance = body["instance"].as_str().expect("instance is a string");
        assert_eq!(instance.len(), 36, "a UUID: {instance}");
    } else {
        assert!(body["instance"].is_null(), "instance must be null: {body}");
    }
}
