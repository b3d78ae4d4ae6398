//! [`Auth`]: how a client proves who it is.

use crate::secret::Secret;

/// The credential a client sends with every request.
///
/// A client has **at most one** `Auth`: calling
/// [`ClientCoreBuilder::auth`](crate::ClientCoreBuilder::auth) again replaces the earlier
/// one, so a client never sends two credentials (never both a bearer token and an API key).
///
/// Every secret part is a [`Secret`], so `Debug` output is redacted:
///
/// ```
/// use forge_runtime::Auth;
///
/// let auth = Auth::api_key_query("apikey", "k-123");
/// let shown = format!("{auth:?}");
/// assert!(!shown.contains("k-123"));
/// assert!(shown.contains("apikey"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// An API key sent as the query parameter `name`.
    ApiKeyQuery {
        /// Name of the query parameter.
        name: String,
        /// The key.
        key: Secret,
    },
    /// An API key sent as the header `name`.
    ApiKeyHeader {
        /// Name of the header.
        name: String,
        /// The key.
        key: Secret,
    },
    /// HTTP basic authentication (`Authorization: Basic ...`).
    Basic {
        /// The user name (not secret).
        username: String,
        /// The password, if any.
        password: Option<Secret>,
    },
}

impl Auth {
    /// `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<String>) -> Self {
        Auth::Bearer(Secret::new(token))
    }

    /// An API key in the query parameter `name`, e.g. `?apikey=<key>`.
    pub fn api_key_query(name: impl Into<String>, key: impl Into<String>) -> Self {
        Auth::ApiKeyQuery {
            name: name.into(),
            key: Secret::new(key),
        }
    }

    /// An API key in the header `name`, e.g. `X-Api-Key: <key>`.
    pub fn api_key_header(name: impl Into<String>, key: impl Into<String>) -> Self {
        Auth::ApiKeyHeader {
            name: name.into(),
            key: Secret::new(key),
        }
    }

    /// HTTP basic authentication with an optional password.
    pub fn basic(username: impl Into<String>, password: Option<String>) -> Self {
        Auth::Basic {
            username: username.into(),
            password: password.map(Secret::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Auth;

    #[test]
    fn constructors_build_the_right_variant() {
        match Auth::bearer("t") {
            Auth::Bearer(t) => assert_eq!(t.expose(), "t"),
            other => panic!("unexpected {other:?}"),
        }
        match Auth::api_key_query("apikey", "k") {
            Auth::ApiKeyQuery { name, key } => {
                assert_eq!(name, "apikey");
                assert_eq!(key.expose(), "k");
            }
            other => panic!("unexpected {other:?}"),
        }
        match Auth::api_key_header("X-Api-Key", "k") {
            Auth::ApiKeyHeader { name, key } => {
                assert_eq!(name, "X-Api-Key");
                assert_eq!(key.expose(), "k");
            }
            other => panic!("unexpected {other:?}"),
        }
        match Auth::basic("me", None) {
            Auth::Basic { username, password } => {
                assert_eq!(username, "me");
                assert!(password.is_none());
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let all = [
            Auth::bearer("tok-AAA"),
            Auth::api_key_query("apikey", "tok-AAA"),
            Auth::api_key_header("X-Key", "tok-AAA"),
            Auth::basic("alice", Some("tok-AAA".into())),
        ];
        for auth in &all {
            let shown = format!("{auth:?} {auth:#?}");
            assert!(!shown.contains("tok-AAA"), "leaked: {shown}");
            assert!(shown.contains("***"));
        }
    }
}
