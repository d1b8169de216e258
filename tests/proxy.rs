//! Proxies through a real one on loopback: Debian's tinyproxy, started here with a generated
//! configuration on a free port. ureq tunnels every proxied request with CONNECT, which
//! tinyproxy logs, so its log tells which requests went through it; the recording server
//! behind it answers one request per connection, so one request is one tunnel.
//!
//! Without tinyproxy these tests fail (install it with `apt-get install tinyproxy`), unless
//! TASKLIST_SKIP_PROXY_TESTS=1 says to skip them.

mod common;

use common::recorder::{Recorder, Reply};
use common::*;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::ptr;
use std::time::{Duration, Instant};
use tasklist::ffi::*;

struct Tinyproxy {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
}

impl Tinyproxy {
    /// `None` when tinyproxy is missing and skipping was asked for.
    fn start() -> Option<Tinyproxy> {
        if Command::new("tinyproxy").arg("-v").output().is_err() {
            if std::env::var("TASKLIST_SKIP_PROXY_TESTS").as_deref() == Ok("1") {
                eprintln!("tinyproxy is not installed; skipped (TASKLIST_SKIP_PROXY_TESTS=1)");
                return None;
            }
            panic!(
                "tinyproxy is not installed: `apt-get install -y tinyproxy` (or set \
                 TASKLIST_SKIP_PROXY_TESTS=1 to skip the proxy tests)"
            );
        }
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let dir =
            std::env::temp_dir().join(format!("tasklist-proxy-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("tinyproxy.conf");
        // No ConnectPort line: CONNECT is allowed to any port.
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 30\nMaxClients 20\n\
                 LogLevel Info\nLogFile \"{}\"\n",
                dir.join("tinyproxy.log").display()
            ),
        )
        .unwrap();
        let child = Command::new("tinyproxy")
            .args(["-d", "-c"])
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tinyproxy starts");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tinyproxy did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Tinyproxy {
            child,
            port,
            log: dir.join("tinyproxy.log"),
        })
    }

    /// How many CONNECT tunnels it opened to this server so far.
    fn tunnels_to(&self, server: &Recorder) -> usize {
        let target = format!("CONNECT {} ", server.url().trim_start_matches("http://"));
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .matches(&target)
            .count()
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server() -> Recorder {
    Recorder::start(|request| {
        if request.target == "/oauth/token" {
            Reply::json(r#"{"access_token":"proxied","token_type":"Bearer","expires_in":300}"#)
        } else {
            Reply::json("[]")
        }
    })
}

fn search(options: &Options) -> Result<String, Failure> {
    let client = Client::new(options)?;
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

fn set_proxy(options: &Options, url: &str) {
    let url = cstring(url);
    assert_eq!(
        unsafe { tasklist_options_set_proxy(options.0, url.as_ptr()) },
        TASKLIST_OK
    );
}

#[test]
fn an_explicit_proxy_carries_api_and_token_requests() {
    let Some(proxy) = Tinyproxy::start() else {
        return;
    };
    let server = server();
    let options = Options::new(&server.url());
    options.set_oauth(
        &format!("{}/oauth/token", server.url()),
        "id",
        "secret",
        None,
    );
    set_proxy(&options, &proxy.url());
    assert_eq!(search(&options).unwrap(), "[]");
    assert_eq!(server.requests().len(), 2);
    assert_eq!(
        proxy.tunnels_to(&server),
        2,
        "the token and the search went through"
    );

    // Without the proxy, straight to the server.
    search(&Options::new(&server.url())).unwrap();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(proxy.tunnels_to(&server), 2);

    // A proxy that is down is a connect failure, not a silent bypass.
    let options = Options::new(&server.url()).retries(0);
    set_proxy(&options, &closed_port_url());
    assert_eq!(search(&options).unwrap_err().name, "TASKLIST_ERR_CONNECT");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn the_proxy_environment_is_obeyed_only_when_asked() {
    let Some(proxy) = Tinyproxy::start() else {
        return;
    };
    let server = server();
    // Only this test touches the environment in this file.
    std::env::set_var("HTTP_PROXY", proxy.url());
    std::env::remove_var("http_proxy");
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");

    let options = Options::new(&server.url());
    search(&options).unwrap();
    assert_eq!(proxy.tunnels_to(&server), 0, "off by default");

    assert_eq!(
        unsafe { tasklist_options_set_proxy_from_env(options.0, 1) },
        TASKLIST_OK
    );
    search(&options).unwrap();
    assert_eq!(
        proxy.tunnels_to(&server),
        1,
        "HTTP_PROXY obeyed once enabled"
    );

    std::env::set_var("NO_PROXY", "localhost,127.0.0.1");
    search(&options).unwrap();
    assert_eq!(proxy.tunnels_to(&server), 1, "NO_PROXY lists the host");

    std::env::remove_var("NO_PROXY");
    std::env::remove_var("HTTP_PROXY");
    std::env::set_var("all_proxy", proxy.url());
    search(&options).unwrap();
    assert_eq!(proxy.tunnels_to(&server), 2, "all_proxy is the fallback");
    std::env::remove_var("all_proxy");
    assert_eq!(server.requests().len(), 4);
}
