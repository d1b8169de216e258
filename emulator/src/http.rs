//! A small HTTP/1.1 server on std::net: one thread per connection with
//! keep-alive. Hand-written because fault injection needs the socket itself
//! (a connection dropped after half an answer cannot be expressed through a
//! framework's response type).

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

pub struct Request {
    pub method: String,
    /// The path as sent, without the query.
    pub path: String,
    /// Percent-decoded path segments, empty ones removed.
    pub segments: Vec<String>,
    /// Percent-decoded query parameters in order.
    pub query: Vec<(String, String)>,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a cookie sent in any `Cookie` header.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// True when the body is declared as JSON (`application/json`, `+json`).
    pub fn is_json(&self) -> bool {
        self.header("content-type")
            .map(|ct| {
                let ct = ct.to_ascii_lowercase();
                let mime = ct.split(';').next().unwrap_or("").trim().to_string();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false)
    }
}

/// How an answer leaves the server.
pub enum Delivery {
    Complete,
    /// Write the first bytes of a response head, then close the socket.
    DropMidAnswer,
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delivery: Delivery,
    /// The (Java) exception a controller raised to produce this answer, for
    /// the router's per-version error mapping (ApiErrorController differs
    /// between versions); never sent.
    pub exception: Option<&'static str>,
}

impl Response {
    pub fn new(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delivery: Delivery::Complete,
            exception: None,
        }
    }

    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status)
            .with_header("Content-Type", "application/json")
            .with_body(body)
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub fn raised(mut self, exception: &'static str) -> Response {
        self.exception = Some(exception);
        self
    }

    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Response {
        self.body = body.into();
        self
    }

    pub fn dropped() -> Response {
        Response {
            delivery: Delivery::DropMidAnswer,
            ..Response::new(200)
        }
    }

    fn serialize(&self, keep_alive: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 256);
        out.extend_from_slice(b"HTTP/1.1 ");
        out.extend_from_slice(self.status.to_string().as_bytes());
        out.push(b' ');
        out.extend_from_slice(reason(self.status).as_bytes());
        out.extend_from_slice(b"\r\n");
        for (name, value) in &self.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"Content-Length: ");
        out.extend_from_slice(self.body.len().to_string().as_bytes());
        out.extend_from_slice(if keep_alive {
            b"\r\nConnection: keep-alive\r\n\r\n".as_slice()
        } else {
            b"\r\nConnection: close\r\n\r\n".as_slice()
        });
        out.extend_from_slice(&self.body);
        out
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

pub type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// A listening server; dropping it does not stop it, `stop` does.
pub struct Server {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    connections: Arc<Mutex<HashMap<u64, TcpStream>>>,
    workers: Arc<Mutex<Vec<JoinHandle<()>>>>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves an already bound listener (so callers know the port first).
    pub fn start(listener: TcpListener, handler: Handler) -> io::Result<Server> {
        let addr = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(Mutex::new(HashMap::new()));
        let workers = Arc::new(Mutex::new(Vec::new()));
        let acceptor = {
            let (stopping, connections, workers) =
                (stopping.clone(), connections.clone(), workers.clone());
            std::thread::Builder::new()
                .name("emulator-accept".into())
                .spawn(move || accept_loop(listener, handler, stopping, connections, workers))?
        };
        Ok(Server {
            addr,
            stopping,
            connections,
            workers,
            acceptor: Some(acceptor),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes open connections and joins every thread.
    pub fn stop(&mut self) {
        if self.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the blocking accept() with a connection of our own.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        for stream in self.connections.lock().unwrap().values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let workers: Vec<_> = self.workers.lock().unwrap().drain(..).collect();
        for worker in workers {
            let _ = worker.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    handler: Handler,
    stopping: Arc<AtomicBool>,
    connections: Arc<Mutex<HashMap<u64, TcpStream>>>,
    workers: Arc<Mutex<Vec<JoinHandle<()>>>>,
) {
    let next_id = AtomicU64::new(0);
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let id = next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(clone) = stream.try_clone() {
            connections.lock().unwrap().insert(id, clone);
        }
        let (handler, connections_done) = (handler.clone(), connections.clone());
        let spawned = std::thread::Builder::new()
            .name("emulator-conn".into())
            .spawn(move || {
                serve_connection(stream, &handler);
                connections_done.lock().unwrap().remove(&id);
            });
        if let Ok(handle) = spawned {
            let mut workers = workers.lock().unwrap();
            workers.retain(|w| !w.is_finished());
            workers.push(handle);
        }
    }
}

fn serve_connection(stream: TcpStream, handler: &Handler) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(16 * 1024, stream);
    loop {
        let (request, keep_alive) = match read_request(&mut reader) {
            Ok(Some(parsed)) => parsed,
            Ok(None) => return,
            Err(status) => {
                let response = Response::new(status);
                let _ = writer.write_all(&response.serialize(false));
                return;
            }
        };
        let response = handler(&request);
        match response.delivery {
            Delivery::DropMidAnswer => {
                // A believable beginning, then nothing: the client sees the
                // connection end in the middle of the head.
                let _ = writer.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: applic");
                let _ = writer.flush();
                let _ = writer.shutdown(Shutdown::Both);
                return;
            }
            Delivery::Complete => {
                if writer.write_all(&response.serialize(keep_alive)).is_err() {
                    return;
                }
            }
        }
        if !keep_alive {
            let _ = writer.shutdown(Shutdown::Write);
            return;
        }
    }
}

/// Reads one request. `Ok(None)` means the peer closed the connection
/// between requests; `Err(status)` a malformed request to answer and close.
fn read_request(reader: &mut BufReader<TcpStream>) -> Result<Option<(Request, bool)>, u16> {
    let mut line = String::new();
    // Tolerate empty lines between pipelined requests (RFC 9112 §2.2).
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => return Ok(None),
            Ok(_) if line.trim().is_empty() => continue,
            Ok(_) => break,
            Err(_) => return Ok(None),
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    let (method, target, version) = (method.to_string(), target.to_string(), version.to_string());
    let mut headers = Vec::new();
    let mut head_bytes = line.len();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => head_bytes += n,
        }
        if head_bytes > MAX_HEAD_BYTES {
            return Err(400);
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        let Some((name, value)) = trimmed.split_once(':') else {
            return Err(400);
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v): &(String, String)| v.to_ascii_lowercase())
    };
    let connection = header("connection").unwrap_or_default();
    let keep_alive = if version == "HTTP/1.0" {
        connection.contains("keep-alive")
    } else {
        !connection.contains("close")
    };
    let body = if header("transfer-encoding").is_some_and(|te| te.contains("chunked")) {
        read_chunked(reader)?
    } else if let Some(length) = header("content-length") {
        let length: usize = length.trim().parse().map_err(|_| 400u16)?;
        if length > MAX_BODY_BYTES {
            return Err(413);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).map_err(|_| 400u16)?;
        body
    } else {
        Vec::new()
    };
    let (raw_path, raw_query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    let segments = raw_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode(s, false))
        .collect();
    Ok(Some((
        Request {
            method,
            path: raw_path,
            segments,
            query: parse_form(&raw_query),
            headers,
            body,
        },
        keep_alive,
    )))
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>, u16> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).map_err(|_| 400u16)?;
        let size_text = line.trim().split(';').next().unwrap_or("");
        let size = usize::from_str_radix(size_text, 16).map_err(|_| 400u16)?;
        if body.len() + size > MAX_BODY_BYTES {
            return Err(413);
        }
        if size == 0 {
            // Skip trailers up to the empty line.
            loop {
                line.clear();
                let n = reader.read_line(&mut line).map_err(|_| 400u16)?;
                if n == 0 || line.trim().is_empty() {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..]).map_err(|_| 400u16)?;
        line.clear();
        reader.read_line(&mut line).map_err(|_| 400u16)?;
    }
}

/// `application/x-www-form-urlencoded` (also the query string).
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name, true), percent_decode(value, true))
        })
        .collect()
}

pub fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_and_plus() {
        assert_eq!(percent_decode("a%20b+c", true), "a b c");
        assert_eq!(percent_decode("a%20b+c", false), "a b+c");
        assert_eq!(percent_decode("100%", false), "100%");
        assert_eq!(percent_decode("%zz", false), "%zz");
        assert_eq!(percent_decode("%C3%A9", false), "é");
    }
}
