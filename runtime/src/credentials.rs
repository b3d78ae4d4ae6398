//! [`Credentials`]: a client's [`Auth`] resolved into what every request carries, headers
//! and query pairs.
//!
//! Resolved once, by [`ClientCoreBuilder::build`](crate::ClientCoreBuilder::build): a
//! credential that cannot be sent, or parts of an [`Auth::all`] that would land in the same
//! place, are a build error, never a request sent with some of its credentials. This module
//! decides where each kind of credential goes; it sends nothing and logs nothing.
//!
//! | part | where it goes |
//! |------|---------------|
//! | [`Auth::Bearer`] | header `Authorization: Bearer <token>` (RFC 6750 §2.1) |
//! | [`Auth::Basic`] | header `Authorization: Basic <base64 of user:password>` (RFC 7617 §2) |
//! | [`Auth::ApiKeyHeader`] | header `<name>: <key>` |
//! | [`Auth::ApiKeyQuery`] | query pair `<name>=<key>`, both percent-encoded |

use base64::Engine as _;
use percent_encoding::utf8_percent_encode;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};

use crate::auth::Auth;
use crate::secret::Secret;
use crate::style::UNRESERVED_ONLY;

/// Where a client's credentials go on every request. No `Debug`: the query pairs hold the
/// keys in clear.
#[derive(Default)]
pub(crate) struct Credentials {
    /// Headers set on every request, each replacing any header of the same name; at most one
    /// per name, values marked sensitive.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// `name=value` query pairs, percent-encoded, appended after the request's own
    /// parameters; at most one per name.
    pub(crate) query: Vec<Secret>,
}

/// Where one part goes, for telling collisions apart.
#[derive(PartialEq, Eq)]
enum Place {
    Header(HeaderName),
    Query(String),
}

impl Credentials {
    /// Resolves `auth` (none: no credentials).
    ///
    /// # Errors
    ///
    /// A message for the build error when a header name, header value or query parameter
    /// name cannot be sent, when an [`Auth::all`] is empty, or when two of its parts would
    /// go in the same header (names compared without case, as HTTP does) or the same query
    /// parameter. The message never contains a secret.
    pub(crate) fn resolve(auth: Option<&Auth>) -> Result<Credentials, String> {
        let mut credentials = Credentials::default();
        let Some(auth) = auth else {
            return Ok(credentials);
        };
        let parts = auth.parts();
        if parts.is_empty() {
            return Err(
                "`Auth::all` was given no credential (use `no_auth` to send none)".to_owned(),
            );
        }
        let mut placed: Vec<(Place, String)> = Vec::new();
        for part in parts {
            let (place, what) = credentials.add(part)?;
            if let Some((_, earlier)) = placed.iter().find(|(seen, _)| *seen == place) {
                let location = match &place {
                    Place::Header(name) => format!("the `{name}` header"),
                    Place::Query(name) => format!("the query parameter `{name}`"),
                };
                return Err(format!(
                    "{earlier} and {what} would both be sent in {location}, which carries one \
                     credential; a request cannot satisfy both"
                ));
            }
            placed.push((place, what));
        }
        Ok(credentials)
    }

    /// Adds one single credential; where it went and how to name it in a message.
    fn add(&mut self, part: &Auth) -> Result<(Place, String), String> {
        let invalid =
            |what: &str| format!("the {what} contains characters not allowed in an HTTP header");
        let (name, value, what) = match part {
            Auth::Bearer(token) => (
                AUTHORIZATION,
                HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .map_err(|_| invalid("bearer token"))?,
                "the bearer token".to_owned(),
            ),
            Auth::Basic { username, password } => {
                let pair = format!(
                    "{username}:{}",
                    password.as_ref().map_or("", Secret::expose)
                );
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                (
                    AUTHORIZATION,
                    HeaderValue::from_str(&format!("Basic {encoded}"))
                        .map_err(|_| invalid("basic credential"))?,
                    "the basic credentials".to_owned(),
                )
            }
            Auth::ApiKeyHeader { name, key } => (
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    format!("the API key header name {name:?} is not a valid HTTP header name")
                })?,
                HeaderValue::from_str(key.expose()).map_err(|_| invalid("API key"))?,
                format!("the API key header `{name}`"),
            ),
            Auth::ApiKeyQuery { name, key } => {
                if name.is_empty() {
                    return Err("the API key query parameter name is empty".to_owned());
                }
                let encode = |text: &str| utf8_percent_encode(text, UNRESERVED_ONLY).to_string();
                self.query.push(Secret::new(format!(
                    "{}={}",
                    encode(name),
                    encode(key.expose())
                )));
                return Ok((
                    Place::Query(name.clone()),
                    format!("the API key query parameter `{name}`"),
                ));
            }
            Auth::All(_) => unreachable!("`Auth::parts` flattens every list"),
        };
        let mut value = value;
        value.set_sensitive(true);
        self.headers.push((name.clone(), value));
        Ok((Place::Header(name), what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(auth: Auth) -> Result<Credentials, String> {
        Credentials::resolve(Some(&auth))
    }

    fn header_pairs(credentials: &Credentials) -> Vec<(String, String)> {
        credentials
            .headers
            .iter()
            .map(|(name, value)| {
                assert!(value.is_sensitive(), "{name} is not marked sensitive");
                (name.to_string(), value.to_str().unwrap().to_owned())
            })
            .collect()
    }

    fn query_pairs(credentials: &Credentials) -> Vec<&str> {
        credentials.query.iter().map(Secret::expose).collect()
    }

    #[test]
    fn each_kind_goes_where_its_scheme_says() {
        let none = Credentials::resolve(None).unwrap();
        assert!(none.headers.is_empty() && none.query.is_empty());

        let all = resolve(Auth::all([
            Auth::api_key_header("X-Api-Key", "hk-1"),
            Auth::api_key_query("api key", "a&b=c é"),
            Auth::basic("alice", Some("s3cret".into())),
            Auth::api_key_query("api_secret", "s-2"),
        ]))
        .unwrap();
        assert_eq!(
            header_pairs(&all),
            [
                ("x-api-key".to_owned(), "hk-1".to_owned()),
                (
                    "authorization".to_owned(),
                    // RFC 7617 §2: base64 of `alice:s3cret`.
                    "Basic YWxpY2U6czNjcmV0".to_owned()
                ),
            ]
        );
        assert_eq!(
            query_pairs(&all),
            ["api%20key=a%26b%3Dc%20%C3%A9", "api_secret=s-2"]
        );

        let bearer = resolve(Auth::bearer("tok-1")).unwrap();
        assert_eq!(
            header_pairs(&bearer),
            [("authorization".to_owned(), "Bearer tok-1".to_owned())]
        );
        let no_password = resolve(Auth::basic("bob", None)).unwrap();
        assert_eq!(
            header_pairs(&no_password),
            [("authorization".to_owned(), "Basic Ym9iOg==".to_owned())]
        );
    }

    #[test]
    fn parts_that_share_a_place_are_refused_without_secrets() {
        let cases = [
            (
                Auth::all([
                    Auth::bearer("SECRET-1"),
                    Auth::basic("u", Some("SECRET-2".into())),
                ]),
                "the bearer token and the basic credentials would both be sent in the \
                 `authorization` header",
            ),
            (
                Auth::all([Auth::bearer("SECRET-1"), Auth::bearer("SECRET-2")]),
                "the bearer token and the bearer token would both be sent in the \
                 `authorization` header",
            ),
            (
                Auth::all([
                    Auth::api_key_header("Authorization", "SECRET-1"),
                    Auth::bearer("SECRET-2"),
                ]),
                "the API key header `Authorization` and the bearer token would both be sent \
                 in the `authorization` header",
            ),
            (
                // Header names compare without case.
                Auth::all([
                    Auth::api_key_header("X-Key", "SECRET-1"),
                    Auth::api_key_query("X-Key", "ok"),
                    Auth::api_key_header("x-key", "SECRET-2"),
                ]),
                "the API key header `X-Key` and the API key header `x-key` would both be sent \
                 in the `x-key` header",
            ),
            (
                Auth::all([
                    Auth::api_key_query("key", "SECRET-1"),
                    Auth::all([Auth::api_key_query("key", "SECRET-2")]),
                ]),
                "the API key query parameter `key` and the API key query parameter `key` \
                 would both be sent in the query parameter `key`",
            ),
        ];
        for (auth, expected) in cases {
            let message = resolve(auth).err().expect(expected);
            assert!(message.starts_with(expected), "{message}");
            assert!(!message.contains("SECRET"), "{message}");
        }
        // Query parameter names are case-sensitive: two names, no collision.
        let fine = resolve(Auth::all([
            Auth::api_key_query("key", "1"),
            Auth::api_key_query("Key", "2"),
        ]));
        assert_eq!(query_pairs(&fine.unwrap()), ["key=1", "Key=2"]);
    }

    #[test]
    fn unsendable_parts_and_empty_lists_are_refused() {
        let cases = [
            (Auth::all([]), "was given no credential"),
            (
                Auth::bearer("tok\r\nX-Evil: 1"),
                "bearer token contains characters",
            ),
            (
                Auth::all([
                    Auth::api_key_query("k", "v"),
                    Auth::api_key_header("bad header", "v"),
                ]),
                "\"bad header\" is not a valid HTTP header name",
            ),
            (
                Auth::api_key_header("X-Key", "a\nb"),
                "API key contains characters",
            ),
            (Auth::api_key_query("", "k"), "name is empty"),
        ];
        for (auth, expected) in cases {
            let message = resolve(auth).err().expect(expected);
            assert!(message.contains(expected), "{message}");
            assert!(!message.contains("X-Evil"), "{message}");
        }
    }
}
