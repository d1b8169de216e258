//! What happened to the connection of the attempt running on this thread: was it opened for
//! this attempt or taken from the keep-alive pool, and did any byte of the answer arrive.
//!
//! A server may close an idle keep-alive connection at the moment the client starts sending
//! on it. The request then fails before any byte of an answer arrives, and the server never
//! saw it: such a failure is safe to repeat on a fresh connection, writes included. ureq's
//! errors do not say which connection was used, so the connector below marks new
//! connections and counts answer bytes in a thread-local record that the transport reads
//! after each attempt. ureq runs every request on the calling thread, connector included.

use std::cell::Cell;
use std::fmt;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// The record of one attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Progress {
    /// A connection was opened for this attempt (so it did not come from the pool).
    pub new_connection: bool,
    /// At least one byte of the answer was received.
    pub answer_started: bool,
    /// Opening the connection failed in the middle of a TLS handshake (the TCP connection
    /// was made, then the server closed it or answered something that is not TLS).
    pub handshake_failed: bool,
    /// The answer on a plain connection began like a TLS record (a handshake or an alert):
    /// the server speaks TLS.
    pub answer_was_tls: bool,
}

impl Progress {
    /// The attempt used a pooled connection and got nothing back: the server had closed it.
    pub(crate) fn failed_on_stale_connection(self) -> bool {
        !self.new_connection && !self.answer_started
    }
}

thread_local! {
    static PROGRESS: Cell<Progress> = const {
        Cell::new(Progress {
            new_connection: false,
            answer_started: false,
            handshake_failed: false,
            answer_was_tls: false,
        })
    };
}

/// Starts the record of a new attempt on this thread.
pub(crate) fn begin_attempt() {
    PROGRESS.with(|p| p.set(Progress::default()));
}

/// What the attempt that ran last on this thread did.
pub(crate) fn progress() -> Progress {
    PROGRESS.with(Cell::get)
}

fn update(change: impl FnOnce(&mut Progress)) {
    PROGRESS.with(|p| {
        let mut progress = p.get();
        change(&mut progress);
        p.set(progress);
    });
}

/// The agent's connector chain (proxy, TCP, TLS), marking each connection it opens as new
/// before it starts (so a failure while connecting or in the TLS handshake is never taken
/// for a stale pooled connection) and watching the input of what it opened.
#[derive(Debug)]
pub(crate) struct WatchingConnector<C>(C);

impl<C> WatchingConnector<C> {
    pub(crate) fn new(chain: C) -> WatchingConnector<C> {
        WatchingConnector(chain)
    }
}

impl<C: Connector<()>> Connector<()> for WatchingConnector<C> {
    type Out = Watched<C::Out>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        update(|p| p.new_connection = true);
        match self.0.connect(details, chained) {
            Ok(opened) => Ok(opened.map(Watched)),
            Err(error) => {
                if details.needs_tls() && ended_a_handshake(&error) {
                    update(|p| p.handshake_failed = true);
                }
                Err(error)
            }
        }
    }
}

/// Errors that only a TLS handshake over an open TCP connection gives: the peer closed
/// it, or sent bytes that are not TLS. (Failing to connect at all is another error.)
fn ended_a_handshake(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::Io(io) => {
            io.kind() == std::io::ErrorKind::UnexpectedEof
                || matches!(
                    io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()),
                    Some(rustls::Error::InvalidMessage(_))
                )
        }
        ureq::Error::Rustls(rustls::Error::InvalidMessage(_)) => true,
        _ => false,
    }
}

/// A transport that notes, for the attempt using it, when answer bytes arrive.
pub(crate) struct Watched<T>(T);

impl<T: Transport> Transport for Watched<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.0.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let progressed = self.0.await_input(timeout)?;
        if progressed && !progress().answer_started {
            // A TLS record starts with its type (0x15 alert, 0x16 handshake) and version
            // 3.x: an HTTP answer never does.
            let was_tls =
                !self.0.is_tls() && matches!(self.0.buffers().input(), [0x15 | 0x16, 0x03, ..]);
            update(|p| {
                p.answer_started = true;
                p.answer_was_tls = was_tls;
            });
        }
        Ok(progressed)
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

impl<T: Transport> fmt::Debug for Watched<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Watched").field(&self.0).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pooled_connection_without_answer_bytes_is_stale() {
        begin_attempt();
        assert!(progress().failed_on_stale_connection());
        update(|p| p.answer_started = true);
        assert!(!progress().failed_on_stale_connection());
        begin_attempt();
        update(|p| p.new_connection = true);
        assert!(!progress().failed_on_stale_connection());
        begin_attempt();
        assert_eq!(progress(), Progress::default());
    }
}
