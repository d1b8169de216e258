//! TLS through the C functions against a local HTTPS server whose certificates are made here
//! with rcgen: extra CA certificates from a file and from PEM text, the wrong-CA case, and
//! mutual TLS with Tasklist and the token endpoint.

mod common;

use common::recorder::{serve, Recorded, Reply};
use common::*;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use std::net::TcpListener;
use std::ptr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tasklist::ffi::*;

/// A certificate authority made for one test.
struct Authority {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// A certificate and its key, as PEM.
struct Leaf {
    cert_pem: String,
    key_pem: String,
    cert_der: CertificateDer<'static>,
    key_der: Vec<u8>,
}

impl Authority {
    fn new(name: &str) -> Authority {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        Authority { issuer }
    }

    fn pem(&self) -> String {
        self.issuer.pem()
    }

    fn der(&self) -> CertificateDer<'static> {
        self.issuer.der().clone()
    }

    fn leaf(&self, names: &[&str]) -> Leaf {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &self.issuer)
            .unwrap();
        Leaf {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            cert_der: cert.der().clone(),
            key_der: key.serialize_der(),
        }
    }
}

/// An HTTPS responder: the token endpoint answers a token, everything else `[]`.
/// `client_ca`: require a client certificate signed by it (mutual TLS).
struct TlsServer {
    port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TlsServer {
    fn start(server: &Leaf, client_ca: Option<&Authority>) -> TlsServer {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .unwrap();
        let builder = match client_ca {
            Some(ca) => {
                let mut roots = rustls::RootCertStore::empty();
                roots.add(ca.der()).unwrap();
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                        .build()
                        .unwrap();
                builder.with_client_cert_verifier(verifier)
            }
            None => builder.with_no_client_auth(),
        };
        let config = Arc::new(
            builder
                .with_single_cert(
                    vec![server.cert_der.clone()],
                    PrivateKeyDer::try_from(server.key_der.clone()).unwrap(),
                )
                .unwrap(),
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        // The thread ends with the test process; each connection is served on its own.
        std::thread::spawn(move || {
            for tcp in listener.incoming().flatten() {
                let (config, seen) = (config.clone(), seen.clone());
                std::thread::spawn(move || {
                    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                    let connection = rustls::ServerConnection::new(config).unwrap();
                    let stream = rustls::StreamOwned::new(connection, tcp);
                    serve(stream, &answer, |request| {
                        seen.lock().unwrap().push(request)
                    });
                });
            }
        });
        TlsServer { port, requests }
    }

    fn url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

fn answer(request: &Recorded) -> Reply {
    if request.target == "/oauth/token" {
        Reply::json(r#"{"access_token":"tls-token","token_type":"Bearer","expires_in":300}"#)
    } else {
        Reply::json("[]")
    }
}

fn search(options: &Options) -> Result<String, Failure> {
    let client = Client::new(options)?;
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

fn set_ca_pem(options: &Options, pem: &str) -> tasklist_status {
    let pem = cstring(pem);
    unsafe { tasklist_options_set_ca_pem(options.0, pem.as_ptr()) }
}

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tasklist-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn a_server_from_an_unknown_ca_is_refused_with_a_tls_error() {
    let ca = Authority::new("test CA");
    let server = TlsServer::start(&ca.leaf(&["localhost"]), None);
    let f = search(&Options::new(&server.url()).retries(0)).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_TLS", 0),
        "{f:?}"
    );

    // Trusting another CA does not help either.
    let other = Authority::new("other CA");
    let options = Options::new(&server.url()).retries(0);
    assert_eq!(set_ca_pem(&options, &other.pem()), TASKLIST_OK);
    assert_eq!(search(&options).unwrap_err().name, "TASKLIST_ERR_TLS");
    assert!(server.requests().is_empty(), "no request got through");
}

#[test]
fn extra_ca_certificates_come_from_a_file_or_from_pem_text() {
    let ca = Authority::new("test CA");
    let server = TlsServer::start(&ca.leaf(&["localhost"]), None);

    let options = Options::new(&server.url());
    let path = cstring(temp_file("ca.pem", &ca.pem()).to_str().unwrap());
    assert_eq!(
        unsafe { tasklist_options_set_ca_file(options.0, path.as_ptr()) },
        TASKLIST_OK
    );
    assert_eq!(search(&options).unwrap(), "[]");

    // Several certificates in one text; the one that signed the server is the second.
    let options = Options::new(&server.url());
    let bundle = format!("{}\n{}", Authority::new("unrelated").pem(), ca.pem());
    assert_eq!(set_ca_pem(&options, &bundle), TASKLIST_OK);
    assert_eq!(search(&options).unwrap(), "[]");
    assert_eq!(server.requests().len(), 2);

    // Text that holds no certificate is refused by the setter itself.
    assert_eq!(
        set_ca_pem(&options, "not a certificate"),
        TASKLIST_ERR_INVALID_ARGUMENT
    );
    assert_eq!(
        unsafe { tasklist_options_set_ca_pem(options.0, ptr::null()) },
        TASKLIST_OK
    );
}

#[test]
fn mutual_tls_with_tasklist_and_the_token_endpoint() {
    let ca = Authority::new("cluster CA");
    let server = TlsServer::start(&ca.leaf(&["localhost"]), Some(&ca));
    let client_cert = ca.leaf(&["tasklist-worker"]);
    let oauth = |options: &Options| {
        options.set_oauth(
            &format!("{}/oauth/token", server.url()),
            "worker",
            "worker-secret",
            None,
        );
        assert_eq!(set_ca_pem(options, &ca.pem()), TASKLIST_OK);
    };

    // Without a client certificate the server ends the handshake. With TLS 1.3 the client
    // has finished its side before the server checks for a certificate, so the refusal
    // reaches it either as the server's alert (TLS) or as the closed connection its request
    // ran into (IO): either way nothing gets through.
    let options = Options::new(&server.url()).retries(0);
    oauth(&options);
    let f = search(&options).unwrap_err();
    assert!(
        ["TASKLIST_ERR_TLS", "TASKLIST_ERR_IO"].contains(&f.name.as_str()),
        "{f:?}"
    );
    assert!(f.message.starts_with("token endpoint "), "{f:?}");
    let options = Options::new(&server.url()).retries(0);
    assert_eq!(set_ca_pem(&options, &ca.pem()), TASKLIST_OK);
    let f = search(&options).unwrap_err();
    assert!(
        ["TASKLIST_ERR_TLS", "TASKLIST_ERR_IO"].contains(&f.name.as_str()),
        "{f:?}"
    );
    assert!(server.requests().is_empty());

    // With it (PEM text), the token and the search both get through.
    let options = Options::new(&server.url());
    oauth(&options);
    let (chain, key) = (
        cstring(&client_cert.cert_pem),
        cstring(&client_cert.key_pem),
    );
    let status =
        unsafe { tasklist_options_set_client_certificate(options.0, chain.as_ptr(), key.as_ptr()) };
    assert_eq!(status, TASKLIST_OK);
    assert_eq!(search(&options).unwrap(), "[]");
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(targets, ["/oauth/token", "/v1/tasks/search"]);
    assert_eq!(
        server.requests()[1].header("authorization"),
        Some("Bearer tls-token")
    );

    // The same from files.
    let options = Options::new(&server.url());
    oauth(&options);
    let chain = cstring(
        temp_file("client.pem", &client_cert.cert_pem)
            .to_str()
            .unwrap(),
    );
    let key = cstring(
        temp_file("client.key", &client_cert.key_pem)
            .to_str()
            .unwrap(),
    );
    let status = unsafe {
        tasklist_options_set_client_certificate_files(options.0, chain.as_ptr(), key.as_ptr())
    };
    assert_eq!(status, TASKLIST_OK);
    assert_eq!(search(&options).unwrap(), "[]");
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn client_certificate_arguments_are_checked() {
    let options = Options::new("https://localhost:1");
    let junk = cstring("junk");
    assert_eq!(
        unsafe { tasklist_options_set_client_certificate(options.0, junk.as_ptr(), ptr::null()) },
        TASKLIST_ERR_NULL_ARGUMENT
    );
    assert_eq!(
        unsafe { tasklist_options_set_client_certificate(options.0, junk.as_ptr(), junk.as_ptr()) },
        TASKLIST_ERR_INVALID_ARGUMENT
    );
    assert_eq!(
        unsafe { tasklist_options_set_client_certificate(options.0, ptr::null(), ptr::null()) },
        TASKLIST_OK
    );
    // A missing file is reported when the client is built.
    let missing = cstring("/nonexistent/client.pem");
    assert_eq!(
        unsafe {
            tasklist_options_set_client_certificate_files(
                options.0,
                missing.as_ptr(),
                missing.as_ptr(),
            )
        },
        TASKLIST_OK
    );
    let mut client = ptr::null_mut();
    let mut err = ptr::null_mut();
    let status = unsafe { tasklist_client_new(options.0, &mut client, &mut err) };
    let f = take_error(status, err);
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT");
    assert!(
        f.message.contains("/nonexistent/client.pem"),
        "{}",
        f.message
    );
}

/// A certificate like `openssl req -x509 -subj /CN=localhost -addext subjectAltName=...`
/// makes: self-signed, for the server's name, and CA:TRUE (OpenSSL's default).
fn self_signed_ca_like_openssl(name: &str) -> Leaf {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![name.to_string()]).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    let cert = params.self_signed(&key).unwrap();
    Leaf {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        cert_der: cert.der().clone(),
        key_der: key.serialize_der(),
    }
}

#[test]
fn the_usual_self_signed_development_certificate_is_trusted_when_given_as_the_ca() {
    let leaf = self_signed_ca_like_openssl("localhost");
    let server = TlsServer::start(&leaf, None);
    let options = Options::new(&server.url()).retries(0);
    assert_eq!(set_ca_pem(&options, &leaf.cert_pem), TASKLIST_OK);
    assert_eq!(
        search(&options).map_err(|f| f.message),
        Ok("[]".to_string())
    );
    // Not given, it is refused, in a sentence.
    let f = search(&Options::new(&server.url()).retries(0)).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_TLS");
    assert!(
        !f.message.contains("UnknownIssuer") && !f.message.contains("InvalidCertificate"),
        "{}",
        f.message
    );
    // Trusted for its own name only.
    let other_name = self_signed_ca_like_openssl("tasklist.example");
    let server = TlsServer::start(&other_name, None);
    let options = Options::new(&server.url()).retries(0);
    assert_eq!(set_ca_pem(&options, &other_name.cert_pem), TASKLIST_OK);
    let f = search(&options).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_TLS", "{}", f.message);
    assert!(f.message.contains("localhost"), "{}", f.message);
}

#[test]
fn tls_spoken_to_a_plain_server_and_plain_http_to_a_tls_server_are_diagnosed() {
    let plain = common::recorder::Recorder::start(|_| Reply::json("[]"));
    let https_url = plain.url().replace("http://", "https://");
    let f = search(&Options::new(&https_url).retries(0)).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_TLS", "{}", f.message);
    assert!(
        f.message.contains("does not speak TLS") && f.message.contains("http://"),
        "{}",
        f.message
    );

    let ca = Authority::new("test CA");
    let server = TlsServer::start(&ca.leaf(&["localhost"]), None);
    let http_url = server.url().replace("https://", "http://");
    let f = search(&Options::new(&http_url).retries(0)).unwrap_err();
    assert!(f.message.contains("https://"), "{}: {}", f.name, f.message);
}
