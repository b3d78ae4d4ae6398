//! [`Auth`]: how a client proves who it is.
//!
//! This module only describes credentials; where each part goes on the wire, and whether
//! the parts of an [`Auth::all`] fit on one request, is settled once by
//! [`ClientCoreBuilder::build`](crate::ClientCoreBuilder::build).

use crate::secret::Secret;

/// The credentials a client sends with every request.
///
/// A client has **at most one** `Auth`: calling
/// [`ClientCoreBuilder::auth`](crate::ClientCoreBuilder::auth) again replaces the earlier
/// one, so a client never mixes credentials of different ways of authenticating (never a
/// bearer token left over next to a later API key). An API whose security requirement names
/// several schemes at once (OpenAPI 3.0.3, "Security Requirement Object": every scheme of
/// one requirement must be satisfied) gets them all in one [`Auth::all`], sent together on
/// every request.
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
    /// Every credential of the list on every request, each where its own variant says (see
    /// [`Auth::all`]).
    All(Vec<Auth>),
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

    /// Every one of `parts` on every request: the credentials of a security requirement
    /// that names several schemes (OpenAPI 3.0.3, "Security Requirement Object"), such as an
    /// API key and an API secret in two query parameters. A part that is itself an `all` is
    /// replaced by its own parts.
    ///
    /// The parts must fit on one request:
    /// [`ClientCoreBuilder::build`](crate::ClientCoreBuilder::build) refuses a list that
    /// would send two credentials in the same header (two of bearer and basic both use
    /// `Authorization`; header names compare without case) or in the same query parameter,
    /// and an empty list, rather than send some of them.
    ///
    /// ```
    /// use forge_runtime::{Auth, ClientCoreBuilder};
    ///
    /// let both = Auth::all([
    ///     Auth::api_key_query("api_key", "k-1"),
    ///     Auth::api_key_query("api_secret", "s-2"),
    /// ]);
    /// assert!(!format!("{both:?}").contains("s-2"));
    /// let core = ClientCoreBuilder::new("https://api.example.com").auth(both).build()?;
    ///
    /// // Two credentials in `Authorization` cannot be sent together.
    /// let clash = Auth::all([Auth::bearer("t"), Auth::basic("me", None)]);
    /// let refused = ClientCoreBuilder::new("https://api.example.com").auth(clash).build();
    /// assert!(refused.unwrap_err().to_string().contains("`authorization` header"));
    /// # Ok::<(), forge_runtime::BuildError>(())
    /// ```
    pub fn all(parts: impl IntoIterator<Item = Auth>) -> Self {
        let mut flat = Vec::new();
        for part in parts {
            match part {
                Auth::All(inner) => flat.extend(inner),
                single => flat.push(single),
            }
        }
        Auth::All(flat)
    }

    /// The single credentials this one consists of, in order: the parts of an
    /// [`all`](Auth::all) (nested lists flattened), or the credential itself.
    pub fn parts(&self) -> Vec<&Auth> {
        match self {
            Auth::All(parts) => parts.iter().flat_map(Auth::parts).collect(),
            single => vec![single],
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
    fn all_flattens_nested_lists_and_keeps_the_order() {
        let key = Auth::api_key_header("X-Key", "k");
        let secret = Auth::api_key_query("secret", "s");
        let bearer = Auth::bearer("t");
        let nested = Auth::all([
            key.clone(),
            Auth::all([secret.clone(), Auth::all([bearer.clone()])]),
        ]);
        assert_eq!(
            nested,
            Auth::All(vec![key.clone(), secret.clone(), bearer.clone()])
        );
        assert_eq!(nested.parts(), vec![&key, &secret, &bearer]);
        // A hand-built nested list has the same parts.
        let by_hand = Auth::All(vec![Auth::All(vec![key.clone()]), secret.clone()]);
        assert_eq!(by_hand.parts(), vec![&key, &secret]);
        assert_eq!(bearer.parts(), vec![&bearer]);
        assert!(Auth::all([]).parts().is_empty());
    }

    #[test]
    fn debug_never_shows_secrets() {
        let all = [
            Auth::bearer("tok-AAA"),
            Auth::api_key_query("apikey", "tok-AAA"),
            Auth::api_key_header("X-Key", "tok-AAA"),
            Auth::basic("alice", Some("tok-AAA".into())),
            Auth::all([
                Auth::api_key_query("apikey", "tok-AAA"),
                Auth::api_key_header("X-Key", "tok-AAA"),
                Auth::basic("alice", Some("tok-AAA".into())),
            ]),
        ];
        for auth in &all {
            let shown = format!("{auth:?} {auth:#?}");
            assert!(!shown.contains("tok-AAA"), "leaked: {shown}");
            assert!(shown.contains("***"));
        }
    }
}
