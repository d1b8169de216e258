//! A local, in-memory Camunda 8 server (Tasklist's v1 REST API as each
//! version from 8.4 to 8.10 shows it, `Config::camunda_version`) for demos,
//! tests and benchmarks. It follows `tasklist-api-v1.md`: the nine public
//! endpoints with their validation and error bodies, search paging, the
//! OAuth token endpoint, each version's cookie login and CSRF rule, Basic
//! authentication on 8.8+, bearer tokens from an external issuer checked
//! against its JWKS, and fault injection for tests.
//!
//! ```no_run
//! let emulator = tasklist_emulator::Emulator::start(tasklist_emulator::Config {
//!     addr: "127.0.0.1:0".parse().unwrap(),
//!     ..Default::default()
//! })
//! .unwrap();
//! println!("Tasklist at {}", emulator.base_url());
//! ```

mod admin;
mod api;
mod auth;
mod config;
mod dates;
mod http;
mod json_text;
mod problem;
mod profile;
mod random;
mod router;
mod store;

pub use config::{Config, CsrfMode, TokenErrorStyle, User};
pub use profile::{CamundaVersion, LoginScheme, Profile};

use std::net::SocketAddr;
use std::sync::Arc;

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    server: http::Server,
}

impl Emulator {
    /// Binds, starts the server threads and returns once it accepts.
    pub fn start(config: Config) -> std::io::Result<Emulator> {
        // Bind first: the issuer claim of our tokens names the real port.
        let listener = std::net::TcpListener::bind(config.addr)?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let app = Arc::new(router::App::new(Config { addr, ..config }, &base_url));
        let handler: http::Handler = Arc::new(move |request| app.handle(request));
        let server = http::Server::start(listener, handler)?;
        Ok(Emulator { server })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Stops accepting, closes connections and joins the threads.
    pub fn shutdown(mut self) {
        self.server.stop();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.server.stop();
    }
}
