//! One exchange on the wire: build the `http` request from an [`Outgoing`], run it on the
//! agent within the time that is left, read the answer's body up to the size limit, and say
//! what went wrong when no complete answer came ([`Failure`], mapped from ureq's errors).
//!
//! Kept apart from the retry loop in the parent module, which decides whether to send again:
//! this module only knows what one exchange did, including the one resend that is not a
//! retry (a kept-alive connection the server had already closed).

use crate::error::{Code, Error};
use crate::transport::connection_watch;
use crate::transport::{log_resend, Answer, AnswerHeaders, Body, Outgoing, Transport};
use std::io::ErrorKind;
use std::time::{Duration, Instant};
use ureq::http;
use ureq::RequestExt;

impl Transport {
    /// One attempt. When it fails on a kept-alive connection that the server had already
    /// closed (nothing of the answer arrived, so the server never saw the request), it is
    /// sent once more on a new connection within the same time: this is not a retry, and
    /// it is safe for writes too. `retries` is only for the log.
    pub(super) fn send_once(
        &self,
        request: &Outgoing<'_>,
        time_left: Duration,
        retries: u32,
    ) -> std::result::Result<Answer, Failure> {
        let started = Instant::now();
        match self.exchange(request, time_left, false) {
            Err(failure) if failure.stale_connection => {
                log_resend(request, &failure, started.elapsed(), retries);
                match time_left.checked_sub(started.elapsed()) {
                    Some(left) if !left.is_zero() => self.exchange(request, left, true),
                    _ => Err(Failure::out_of_time(request.label)),
                }
            }
            outcome => outcome,
        }
    }

    /// One request and its whole answer, the body read up to the size limit; `fresh` keeps
    /// it off every pooled connection.
    fn exchange(
        &self,
        request: &Outgoing<'_>,
        time_left: Duration,
        fresh: bool,
    ) -> std::result::Result<Answer, Failure> {
        let run = |r| self.run(r, time_left, fresh);
        let mut builder = http::Request::builder()
            .method(request.method.as_str())
            .uri(request.url);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        connection_watch::begin_attempt();
        let result = match request.body {
            Body::None => builder.body(()).map(|r| self.run(r, time_left, fresh)),
            Body::Json(text) => builder
                .header("content-type", "application/json")
                .body(text)
                .map(run),
            Body::Form(text) => builder
                .header("content-type", "application/x-www-form-urlencoded")
                .body(text)
                .map(run),
        };
        let mut response = result
            .map_err(|e| Failure {
                reached_server: false,
                stale_connection: false,
                error: Error::invalid_argument(format!(
                    "{}: cannot build the request: {e}",
                    request.label
                )),
            })?
            .map_err(|e| Failure::from_ureq(e, request.label))?;
        let status = response.status().as_u16();
        let headers = AnswerHeaders(std::mem::take(response.headers_mut()));
        // Bytes first: an error page in Latin-1 from a load balancer must still give its
        // status (and its retries), so only a 2xx answer has to be UTF-8.
        let bytes = response
            .body_mut()
            .with_config()
            .limit(self.max_response_bytes)
            .read_to_vec()
            .map_err(|e| Failure::from_ureq(e, request.label))?;
        let body = if (200..300).contains(&status) {
            String::from_utf8(bytes).map_err(|e| Failure {
                reached_server: true,
                stale_connection: false,
                error: Error::new(
                    Code::Decode,
                    format!(
                        "{}: the answer is not UTF-8 (bad byte at offset {})",
                        request.label,
                        e.utf8_error().valid_up_to()
                    ),
                )
                .with_answer(status, None),
            })?
        } else {
            match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            }
        };
        Ok(Answer {
            status,
            body,
            headers,
        })
    }

    /// One exchange, allowed at most `time_left` from connecting to the last body byte;
    /// `fresh` keeps it off every pooled connection.
    fn run<S: ureq::AsSendBody>(
        &self,
        request: http::Request<S>,
        time_left: Duration,
        fresh: bool,
    ) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
        let configured = request
            .with_agent(&self.agent)
            .configure()
            .timeout_global(Some(time_left));
        if fresh {
            // Pooled connections at least this old are passed over: all of them.
            configured.max_idle_age(Duration::ZERO).run()
        } else {
            configured.run()
        }
    }
}

/// A request that got no complete answer, and whether it may have reached the server
/// (which decides whether a non-idempotent request may be sent again).
pub(crate) struct Failure {
    pub reached_server: bool,
    /// The exchange broke on a pooled connection before any byte of an answer: the server
    /// had closed it, so the request never reached it.
    pub stale_connection: bool,
    pub error: Error,
}

impl Failure {
    /// The budget ran out between attempts (a retry wait ended exactly at the limit).
    pub(super) fn out_of_time(label: &str) -> Failure {
        Failure {
            reached_server: true,
            stale_connection: false,
            error: Error::new(
                Code::Timeout,
                format!("{label}: the request timeout elapsed"),
            ),
        }
    }

    fn from_ureq(error: ureq::Error, label: &str) -> Failure {
        use ureq::Error as U;
        use ureq::Timeout as T;
        let watched = connection_watch::progress();
        if watched.handshake_failed {
            return Failure {
                reached_server: false,
                stale_connection: false,
                error: Error::new(
                    Code::Tls,
                    format!(
                        "{label}: the server at {} does not speak TLS (it ended the handshake): \
                         use http://?",
                        authority_in(label)
                    ),
                ),
            };
        }
        if watched.answer_was_tls {
            return Failure {
                // It could not read the request as HTTP: nothing was acted upon.
                reached_server: false,
                stale_connection: false,
                error: Error::new(
                    Code::Tls,
                    format!(
                        "{label}: the server at {} speaks TLS, not plain HTTP: use https://?",
                        authority_in(label)
                    ),
                ),
            };
        }
        let (code, reached_server, why) = match &error {
            U::Timeout(T::Connect | T::Resolve) => (
                Code::Timeout,
                false,
                "timed out while connecting".to_string(),
            ),
            U::Timeout(_) => (
                Code::Timeout,
                true,
                "timed out waiting for the answer".to_string(),
            ),
            U::HostNotFound => (Code::Connect, false, "host not found".to_string()),
            U::ConnectionFailed => (Code::Connect, false, "connection failed".to_string()),
            // rustls reports certificate and handshake problems through io::Error.
            U::Io(io) if tls_cause(io).is_some() => (
                Code::Tls,
                false,
                tls_cause(io).map(tls_sentence).unwrap_or_default(),
            ),
            U::Io(io) => match io.kind() {
                ErrorKind::ConnectionRefused => {
                    (Code::Connect, false, "connection refused".to_string())
                }
                ErrorKind::TimedOut | ErrorKind::WouldBlock => {
                    (Code::Timeout, true, format!("timed out: {io}"))
                }
                ErrorKind::InvalidData => (Code::Decode, true, format!("invalid answer: {io}")),
                _ => (Code::Io, true, format!("connection broke: {io}")),
            },
            U::BodyExceedsLimit(limit) => (
                Code::BodyTooLarge,
                true,
                format!("the answer exceeds the configured limit of {limit} bytes"),
            ),
            U::Tls(why) => (Code::Tls, false, format!("TLS failed: {why}")),
            U::Pem(e) => (Code::Tls, false, format!("bad certificate: {e}")),
            U::Rustls(e) => (Code::Tls, false, tls_sentence(e)),
            U::BadUri(uri) => (Code::InvalidArgument, false, format!("bad URL '{uri}'")),
            U::Http(e) => (Code::InvalidArgument, false, format!("bad request: {e}")),
            U::Protocol(e) => (Code::Io, true, format!("HTTP protocol error: {e}")),
            // The proxy answered the CONNECT itself: nothing reached the server.
            U::ConnectProxyFailed(why) if why.contains("407") => (
                Code::AuthFailed,
                false,
                "the proxy refused its credentials (HTTP 407 Proxy Authentication Required); \
                 check the user and password of the proxy URL"
                    .to_string(),
            ),
            U::ConnectProxyFailed(why) => {
                (Code::Connect, false, format!("the proxy failed: {why}"))
            }
            other => (Code::Io, true, other.to_string()),
        };
        let stale_connection =
            code == Code::Io && connection_watch::progress().failed_on_stale_connection();
        Failure {
            reached_server: reached_server && !stale_connection,
            stale_connection,
            error: Error::new(code, format!("{label}: {why}")),
        }
    }
}

/// `host:port` of the URL in a label ("POST https://h:8443/v1/..." -> "h:8443").
fn authority_in(label: &str) -> &str {
    let Some(at) = label.find("://") else {
        return "the base URL";
    };
    let rest = &label[at + 3..];
    rest.split(['/', ' ', '?']).next().unwrap_or(rest)
}

/// What went wrong in a TLS handshake, as a sentence with what to do about it (rustls's own
/// text is Rust debug output, `invalid peer certificate: UnknownIssuer`).
fn tls_sentence(error: &rustls::Error) -> String {
    use rustls::{AlertDescription as A, CertificateError as C, Error as E};
    match error {
        E::InvalidCertificate(why) => match why {
            C::UnknownIssuer => "TLS failed: the server's certificate is not signed by a trusted \
                 authority; add its CA (tasklist_options_set_ca_file or _set_ca_pem)"
                .into(),
            C::Expired | C::ExpiredContext { .. } => {
                "TLS failed: the server's certificate has expired".into()
            }
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "TLS failed: the server's certificate is not valid yet (check the clock)".into()
            }
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "TLS failed: the server's certificate is for another host name than the one in \
                 the URL"
                    .into()
            }
            C::Revoked => "TLS failed: the server's certificate is revoked".into(),
            C::BadSignature | C::BadEncoding => {
                "TLS failed: the server's certificate is malformed or badly signed".into()
            }
            other => format!("TLS failed: the server's certificate was refused ({other:?})"),
        },
        E::AlertReceived(A::CertificateRequired | A::BadCertificate | A::UnknownCA) => {
            "TLS failed: the server refused the client certificate (or wants one: \
             tasklist_options_set_client_certificate)"
                .into()
        }
        E::AlertReceived(A::ProtocolVersion | A::HandshakeFailure) => {
            "TLS failed: the server and the client share no TLS version or cipher (TLS 1.2 and \
             1.3 are offered)"
                .into()
        }
        E::AlertReceived(alert) => {
            format!("TLS failed: the server ended the handshake ({alert:?})")
        }
        E::InvalidMessage(_) => "TLS failed: the server's answer is not TLS".into(),
        other => format!("TLS failed: {other}"),
    }
}

fn tls_cause(io: &std::io::Error) -> Option<&rustls::Error> {
    io.get_ref()?.downcast_ref::<rustls::Error>()
}
