//! Who is calling: an API user (bearer JWT, ours or an external issuer's)
//! a Basic-authenticated user (8.8+) or a session user (cookie from the
//! login path). Tasklist's rules differ
//! between the two (reference §8), so handlers receive a `Caller`.

pub mod csrf;
pub mod jwks;
pub mod jwt;
pub mod oauth;
pub mod session;

#[derive(Clone, Debug)]
pub enum Caller {
    /// Authenticated by a bearer token; `client_id` is its user id.
    Api { client_id: String },
    /// HTTP Basic (8.8+), checked on every call; no session, so an API
    /// caller for v1's rules.
    Basic { username: String, can_write: bool },
    Session {
        username: String,
        can_write: bool,
        csrf_token: String,
    },
}

impl Caller {
    pub fn user_id(&self) -> &str {
        match self {
            Caller::Api { client_id } => client_id,
            Caller::Basic { username, .. } => username,
            Caller::Session { username, .. } => username,
        }
    }

    pub fn is_api_user(&self) -> bool {
        matches!(self, Caller::Api { .. } | Caller::Basic { .. })
    }

    /// M2M clients carry write permission; session users per their role.
    pub fn can_write(&self) -> bool {
        match self {
            Caller::Api { .. } => true,
            Caller::Session { can_write, .. } | Caller::Basic { can_write, .. } => *can_write,
        }
    }
}
