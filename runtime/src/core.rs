//! [`ClientCore`], its builder [`ClientCoreBuilder`] and [`BuildError`].

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::Url;

use crate::auth::Auth;
use crate::credentials::Credentials;
use crate::limit::{Limiter, RateLimit};
use crate::options::RequestOptions;
use crate::retry::RetryPolicy;

/// Default whole-request timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default connect timeout.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default limit on the size of a response body.
const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// Default `User-Agent`.
const DEFAULT_USER_AGENT: &str = concat!("forge-runtime/", env!("CARGO_PKG_VERSION"));
/// How many same-origin redirects the default HTTP client follows.
const MAX_REDIRECTS: usize = 10;

/// Configures and builds a [`ClientCore`]; generated `ClientBuilder`s wrap one.
///
/// ```
/// use std::time::Duration;
/// use forge_runtime::{Auth, ClientCoreBuilder};
///
/// let core = ClientCoreBuilder::new("https://api.example.com/")
///     .auth(Auth::bearer("token"))
///     .timeout(Duration::from_secs(5))
///     .build()?;
/// assert_eq!(core.base_url(), "https://api.example.com");
/// # Ok::<(), forge_runtime::BuildError>(())
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientCoreBuilder {
    base_url: String,
    auth: Option<Auth>,
    http_client: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    max_response_bytes: usize,
    retry: RetryPolicy,
    rate_limit: Option<RateLimit>,
}

impl ClientCoreBuilder {
    /// A builder for a client of the API served at `default_base_url` (the spec's first
    /// server), without auth and with the default limits.
    pub fn new(default_base_url: &str) -> Self {
        ClientCoreBuilder {
            base_url: default_base_url.to_owned(),
            auth: None,
            http_client: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            rate_limit: None,
        }
    }

    /// Talks to `url` instead of the default server. It may have a path prefix
    /// (`http://127.0.0.1:8080/prefix`), which is kept; a trailing `/` is ignored. It must be
    /// `http` or `https`, without query, fragment or credentials (checked by
    /// [`build`](Self::build)).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Sends `auth` with every request. A client has one `Auth` at most: this replaces any
    /// earlier `auth`, so a client never sends, say, a bearer token left over next to a later
    /// API key. Credentials that must go together (a security requirement naming several
    /// schemes) are one [`Auth::all`], whose parts are all sent on every request.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Sends no credentials (the default); removes an earlier [`auth`](Self::auth).
    pub fn no_auth(mut self) -> Self {
        self.auth = None;
        self
    }

    /// Sends requests with `client` (for proxies, custom TLS roots, connection pools shared
    /// with other code).
    ///
    /// The client's own settings then apply, except that the [`timeout`](Self::timeout) (60 s
    /// unless changed) is still set on every request. [`connect_timeout`](Self::connect_timeout)
    /// and the redirect policy described at [`build`](Self::build) only apply to the client
    /// this builder creates itself.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Limits the time a whole request (each attempt, when retried) may take, from connecting
    /// to reading the last byte of the response. Default: 60 seconds. A request can override
    /// it with [`RequestOptions::timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limits the time connecting may take. Default: 10 seconds.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header. Default: `forge-runtime/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest response body the client reads; a larger one fails with
    /// [`ErrorKind::BodyTooLarge`](crate::ErrorKind::BodyTooLarge) without being buffered.
    /// Default: 16 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// How failed requests are retried. Default: [`RetryPolicy::default`] (3 attempts,
    /// idempotent methods after 5xx/transport failures, every method after 429/503); use
    /// [`RetryPolicy::disabled`] to never retry. [`RequestOptions::retry`] overrides it.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Starts at most `limit.requests()` requests per `limit.per()` (every retry counts), for
    /// this client and all its clones together, waiting as needed. See [`RateLimit`].
    ///
    /// Generated clients call this with the limit their API documents; override it by calling
    /// `rate_limit` again or remove it with [`no_rate_limit`](Self::no_rate_limit) afterwards.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// No client-side rate limit (the default); removes an earlier
    /// [`rate_limit`](Self::rate_limit).
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Unless a client was given with [`http_client`](Self::http_client), a new
    /// `reqwest::Client` is created; it follows at most 10 redirects, and only those to the
    /// same origin (scheme, host and port), so a credential is never forwarded to another
    /// server.
    ///
    /// # Errors
    ///
    /// A [`BuildError`] when the base URL does not parse, is not `http`/`https`, has no host,
    /// or has a query, fragment or credentials; when the user agent or a credential cannot
    /// be sent in an HTTP header, or an API key query parameter has no name; when an
    /// [`Auth::all`] is empty or two of its parts would be sent in the same header (two of
    /// bearer, basic and an `Authorization` API key; header names compare without case) or
    /// the same query parameter; or when the HTTP client cannot be created. The message
    /// never contains a secret.
    pub fn build(self) -> Result<ClientCore, BuildError> {
        let base_url = validate_base_url(&self.base_url)?;
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            BuildError::new(BuildErrorKind::Invalid(format!(
                "the user agent {:?} contains characters not allowed in an HTTP header",
                self.user_agent
            )))
        })?;
        let credentials = Credentials::resolve(self.auth.as_ref())
            .map_err(|message| BuildError::new(BuildErrorKind::Invalid(message)))?;
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(same_origin_redirects())
                .build()
                .map_err(|e| BuildError::new(BuildErrorKind::HttpClient(e)))?,
        };
        Ok(ClientCore {
            inner: Arc::new(CoreInner {
                http,
                base_url,
                auth: self.auth,
                credentials,
                user_agent,
                timeout: self.timeout,
                max_response_bytes: self.max_response_bytes,
                retry: self.retry,
                limiter: self.rate_limit.map(Limiter::new),
                prefix_warned: AtomicBool::new(false),
            }),
            options: RequestOptions::default(),
        })
    }
}

impl fmt::Debug for ClientCoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCoreBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("auth", &self.auth)
            .field("custom_http_client", &self.http_client.is_some())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

/// Follows up to [`MAX_REDIRECTS`] redirects that stay on the original origin.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            // The 3xx response is returned to the caller as a status error.
            attempt.stop()
        }
    })
}

/// Parses and checks a base URL; returns it without trailing `/`.
fn validate_base_url(raw: &str) -> Result<String, BuildError> {
    let invalid = |reason: String| {
        BuildError::new(BuildErrorKind::BaseUrl {
            url: redact_url(raw),
            reason,
        })
    };
    let url = Url::parse(raw.trim()).map_err(|e| invalid(format!("it does not parse: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "the scheme must be http or https, not `{}`",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host".to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "it contains a user name or password; use Auth::basic instead".to_owned(),
        ));
    }
    if url.query().is_some() {
        return Err(invalid("it must not have a query (`?...`)".to_owned()));
    }
    if url.fragment().is_some() {
        return Err(invalid("it must not have a fragment (`#...`)".to_owned()));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// `raw` with any user info and query replaced by `***`, for error messages and `Debug`.
fn redact_url(raw: &str) -> String {
    let mut out = raw.to_owned();
    if let Some(scheme_end) = out.find("://") {
        let authority_start = scheme_end + 3;
        let rest = &out[authority_start..];
        let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_len].rfind('@') {
            out.replace_range(authority_start..authority_start + at, "***");
        }
    }
    if let Some(query_start) = out.find('?') {
        let query_end = out[query_start..]
            .find('#')
            .map_or(out.len(), |i| query_start + i);
        out.replace_range(query_start + 1..query_end, "***");
    }
    out
}

/// The shared, hand-written part of a generated client: HTTP client, base URL, credential,
/// limits, retry policy and rate limiter. Cheap to clone (one `Arc` plus the per-view
/// [`RequestOptions`]); clones share the connection pool and the rate limiter.
///
/// The path of `base_url` when `template` (an operation's path template) starts with it at a
/// segment boundary, e.g. `/api/v2` for `http://h/api/v2` and `/api/v2/items`: the request
/// would go to `/api/v2/api/v2/items`. `None` for a base URL without a path.
pub(crate) fn repeated_prefix<'u>(base_url: &'u str, template: &str) -> Option<&'u str> {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = &after_scheme[after_scheme.find('/')?..];
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return None;
    }
    let rest = template.strip_prefix(path)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(path)
}

/// `Debug` shows the settings with the credential redacted.
#[derive(Clone)]
pub struct ClientCore {
    inner: Arc<CoreInner>,
    /// Overrides for the requests of this view; see [`ClientCore::with_options`].
    options: RequestOptions,
}

struct CoreInner {
    http: reqwest::Client,
    base_url: String,
    /// The credentials as given, for `Debug` (redacted).
    auth: Option<Auth>,
    /// Where they go on every request.
    credentials: Credentials,
    user_agent: HeaderValue,
    timeout: Duration,
    max_response_bytes: usize,
    retry: RetryPolicy,
    limiter: Option<Limiter>,
    /// Whether the repeated-path-prefix warning was logged (once per client).
    prefix_warned: AtomicBool,
}

impl ClientCore {
    /// The base URL requests go to, without trailing `/` (a path prefix is kept).
    ///
    /// The operation's path is appended to it as is: a base URL of
    /// `http://127.0.0.1:18080/api/v2` with a spec path `/api/v2/items` sends
    /// `/api/v2/api/v2/items`. The first such request of a client logs a `tracing` warning;
    /// pass the server's origin (`http://127.0.0.1:18080`) instead. Error messages name the
    /// origin a request went to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Logs, once per client, a warning when the base URL's path is repeated at the start of
    /// `template`.
    pub(crate) fn warn_if_prefix_repeated(&self, template: &str) {
        if let Some(prefix) = repeated_prefix(&self.inner.base_url, template) {
            if !self.inner.prefix_warned.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    base_url_path = prefix,
                    path = template,
                    "the base URL's path is also the start of the operation's path, so it is \
                     sent twice; set the base URL to the server's origin instead"
                );
            }
        }
    }

    /// A view of this client whose requests use `options` (on top of any this view already
    /// has: fields set in `options` win). It shares the connection pool, credential and rate
    /// limiter with `self`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use forge_runtime::{ClientCoreBuilder, RequestOptions, RetryPolicy};
    ///
    /// let core = ClientCoreBuilder::new("https://api.example.com").build()?;
    /// let impatient = core.with_options(
    ///     RequestOptions::new()
    ///         .timeout(Duration::from_secs(2))
    ///         .retry(RetryPolicy::disabled()),
    /// );
    /// assert_eq!(impatient.options().timeout_override(), Some(Duration::from_secs(2)));
    /// # Ok::<(), forge_runtime::BuildError>(())
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> ClientCore {
        ClientCore {
            inner: Arc::clone(&self.inner),
            options: self.options.overridden_by(&options),
        }
    }

    /// The overrides this view applies to its requests (none for a client fresh from
    /// [`ClientCoreBuilder::build`]).
    pub fn options(&self) -> &RequestOptions {
        &self.options
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    pub(crate) fn user_agent(&self) -> &HeaderValue {
        &self.inner.user_agent
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub(crate) fn max_response_bytes(&self) -> usize {
        self.inner.max_response_bytes
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) fn limiter(&self) -> Option<&Limiter> {
        self.inner.limiter.as_ref()
    }
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("ClientCore")
            .field("base_url", &inner.base_url)
            .field("auth", &inner.auth)
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("max_response_bytes", &inner.max_response_bytes)
            .field("retry", &inner.retry)
            .field("rate_limit", &inner.limiter.as_ref().map(Limiter::limit))
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// [`ClientCoreBuilder::build`] failed: the settings are unusable.
///
/// `Display` says what is wrong and quotes the base URL (with any credentials or query
/// replaced by `***`).
pub struct BuildError {
    kind: BuildErrorKind,
}

#[derive(Debug)]
enum BuildErrorKind {
    BaseUrl { url: String, reason: String },
    Invalid(String),
    HttpClient(reqwest::Error),
}

impl BuildError {
    fn new(kind: BuildErrorKind) -> Self {
        BuildError { kind }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            BuildErrorKind::BaseUrl { url, reason } => {
                write!(f, "invalid base URL {url:?}: {reason}")
            }
            BuildErrorKind::Invalid(message) => write!(f, "invalid client settings: {message}"),
            BuildErrorKind::HttpClient(e) => write!(f, "could not create the HTTP client: {e}"),
        }
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BuildError").field(&self.kind).finish()
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            BuildErrorKind::HttpClient(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_path_that_starts_the_template_is_a_repeated_prefix() {
        let base = "http://127.0.0.1:18080/api/v2";
        assert_eq!(repeated_prefix(base, "/api/v2/items"), Some("/api/v2"));
        assert_eq!(repeated_prefix(base, "/api/v2"), Some("/api/v2"));
        assert_eq!(repeated_prefix(base, "/api/v20/items"), None);
        assert_eq!(repeated_prefix(base, "/items"), None);
        assert_eq!(
            repeated_prefix("https://dialpad.com", "/api/v2/items"),
            None
        );
        assert_eq!(
            repeated_prefix("https://dialpad.com/", "/api/v2/items"),
            None
        );
    }

    fn build(url: &str) -> Result<ClientCore, BuildError> {
        ClientCoreBuilder::new(url).build()
    }

    #[test]
    fn base_url_is_normalised() {
        let cases = [
            ("https://dialpad.com", "https://dialpad.com"),
            ("https://dialpad.com/", "https://dialpad.com"),
            (
                "http://127.0.0.1:8080/prefix",
                "http://127.0.0.1:8080/prefix",
            ),
            (
                "http://127.0.0.1:8080/prefix/",
                "http://127.0.0.1:8080/prefix",
            ),
            ("HTTPS://Example.COM/a/b/", "https://example.com/a/b"),
            ("  https://example.com  ", "https://example.com"),
        ];
        for (input, expected) in cases {
            let core = build(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(core.base_url(), expected);
        }
    }

    #[test]
    fn bad_base_urls_are_rejected_with_a_reason() {
        let cases = [
            ("", "does not parse"),
            ("not a url", "does not parse"),
            ("/relative/path", "does not parse"),
            (
                "ftp://example.com",
                "scheme must be http or https, not `ftp`",
            ),
            ("file:///etc/passwd", "scheme must be http or https"),
            ("https://example.com/?a=1", "must not have a query"),
            ("https://example.com/#top", "must not have a fragment"),
            ("https://u:p@example.com", "user name or password"),
            ("http://[::1", "does not parse"),
        ];
        for (input, reason) in cases {
            let err = build(input).expect_err(input);
            let shown = err.to_string();
            assert!(shown.starts_with("invalid base URL"), "{shown}");
            assert!(shown.contains(reason), "{input}: {shown}");
            assert!(std::error::Error::source(&err).is_none());
        }
    }

    #[test]
    fn build_errors_quote_the_url_without_credentials() {
        let err = build("ftp://example.com/x").unwrap_err().to_string();
        assert!(err.contains("\"ftp://example.com/x\""), "{err}");
        let err = build("https://alice:hunter2@example.com/").unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("alice"),
            "{shown}"
        );
        assert!(shown.contains("https://***@example.com/"), "{shown}");
        let err = build("https://example.com/?apikey=hunter2").unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("https://example.com/?***"), "{shown}");
    }

    #[test]
    fn redact_url_cases() {
        assert_eq!(redact_url("https://a.b/c"), "https://a.b/c");
        assert_eq!(redact_url("https://u:p@a.b/c@d"), "https://***@a.b/c@d");
        assert_eq!(redact_url("https://a.b/?k=v#f"), "https://a.b/?***#f");
        assert_eq!(redact_url("weird@x?"), "weird@x?***");
    }

    #[test]
    fn invalid_settings_are_build_errors() {
        let err = ClientCoreBuilder::new("https://x.test")
            .user_agent("bad\nagent")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("user agent"), "{err}");

        let err = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::bearer("tok\r\nX-Evil: 1"))
            .build()
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("bearer token"), "{shown}");
        assert!(!shown.contains("X-Evil"), "{shown}");

        let err = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::api_key_header("bad header", "k"))
            .build()
            .unwrap_err();
        assert!(
            err.to_string().contains("not a valid HTTP header name"),
            "{err}"
        );

        let err = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::api_key_query("", "k"))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("name is empty"), "{err}");
    }

    /// What the client sends: headers by name and value, then the query pairs.
    fn sent(core: &ClientCore) -> (Vec<(String, String)>, Vec<String>) {
        let credentials = core.credentials();
        let headers = credentials
            .headers
            .iter()
            .map(|(name, value)| {
                assert!(value.is_sensitive(), "{name}");
                (name.to_string(), value.to_str().unwrap().to_owned())
            })
            .collect();
        let query = credentials
            .query
            .iter()
            .map(|pair| pair.expose().to_owned())
            .collect();
        (headers, query)
    }

    #[test]
    fn auth_is_replaced_not_added() {
        let core = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::bearer("first"))
            .auth(Auth::api_key_query("apikey", "second"))
            .build()
            .unwrap();
        assert_eq!(sent(&core), (vec![], vec!["apikey=second".to_owned()]));

        // A later `all` replaces the whole earlier list, and a single credential replaces
        // an `all`.
        let core = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::all([
                Auth::bearer("a"),
                Auth::api_key_query("k", "b"),
            ]))
            .auth(Auth::all([Auth::api_key_header("X-Key", "c")]))
            .build()
            .unwrap();
        assert_eq!(
            sent(&core),
            (vec![("x-key".to_owned(), "c".to_owned())], vec![])
        );
        let core = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::all([
                Auth::bearer("a"),
                Auth::api_key_query("k", "b"),
            ]))
            .auth(Auth::bearer("d"))
            .build()
            .unwrap();
        assert_eq!(
            sent(&core),
            (
                vec![("authorization".to_owned(), "Bearer d".to_owned())],
                vec![]
            )
        );

        let core = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::bearer("first"))
            .no_auth()
            .build()
            .unwrap();
        assert_eq!(sent(&core), (vec![], vec![]));
    }

    #[test]
    fn auth_header_is_sensitive() {
        let core = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::api_key_header("X-Api-Key", "k-9"))
            .build()
            .unwrap();
        assert_eq!(
            sent(&core),
            (vec![("x-api-key".to_owned(), "k-9".to_owned())], vec![])
        );
    }

    #[test]
    fn all_parts_are_sent_together_and_colliding_parts_refused() {
        let core = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::all([
                Auth::api_key_header("X-Api-Key", "hk-1"),
                Auth::api_key_query("api_key", "qk-2"),
                Auth::bearer("tok-3"),
            ]))
            .build()
            .unwrap();
        assert_eq!(
            sent(&core),
            (
                vec![
                    ("x-api-key".to_owned(), "hk-1".to_owned()),
                    ("authorization".to_owned(), "Bearer tok-3".to_owned())
                ],
                vec!["api_key=qk-2".to_owned()]
            )
        );

        let builder = ClientCoreBuilder::new("https://x.test").auth(Auth::all([
            Auth::basic("alice", Some("pw-SECRET".into())),
            Auth::bearer("tok-SECRET"),
        ]));
        let err = builder.build().unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(
            shown.starts_with(
                "invalid client settings: the basic credentials and the bearer token would \
                 both be sent in the `authorization` header"
            ),
            "{shown}"
        );
        assert!(!shown.contains("SECRET"), "{shown}");

        let err = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::all([
                Auth::api_key_query("key", "1"),
                Auth::api_key_query("key", "2"),
            ]))
            .build()
            .unwrap_err();
        assert!(
            err.to_string().contains("in the query parameter `key`"),
            "{err}"
        );
        let err = ClientCoreBuilder::new("https://x.test")
            .auth(Auth::all([]))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("no credential"), "{err}");
    }

    #[test]
    fn debug_of_several_credentials_is_redacted() {
        let builder = ClientCoreBuilder::new("https://x.test").auth(Auth::all([
            Auth::api_key_query("api_key", "qk-SECRET"),
            Auth::api_key_header("X-Api-Secret", "hk-SECRET"),
            Auth::basic("alice", Some("pw-SECRET".into())),
        ]));
        let core = builder.clone().build().unwrap();
        let shown = format!("{builder:?} {builder:#?} {core:?} {core:#?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(
            shown.contains("api_key") && shown.contains("X-Api-Secret"),
            "{shown}"
        );
    }

    #[test]
    fn defaults_and_debug() {
        let builder = ClientCoreBuilder::new("https://x.test").auth(Auth::bearer("tok-SECRET"));
        let shown = format!("{builder:?}");
        assert!(!shown.contains("tok-SECRET"), "{shown}");
        let core = builder.build().unwrap();
        assert_eq!(core.timeout(), Duration::from_secs(60));
        assert_eq!(core.max_response_bytes(), 16 * 1024 * 1024);
        assert_eq!(
            core.user_agent().to_str().unwrap(),
            concat!("forge-runtime/", env!("CARGO_PKG_VERSION"))
        );
        let clone = core.clone();
        let shown = format!("{clone:?} {clone:#?}");
        assert!(!shown.contains("tok-SECRET"), "{shown}");
        assert!(shown.contains("https://x.test"), "{shown}");
    }

    #[test]
    fn retry_rate_limit_and_views() {
        let core = build("https://x.test").unwrap();
        assert_eq!(core.retry_policy(), &RetryPolicy::default());
        assert!(core.limiter().is_none());
        assert_eq!(core.options(), &RequestOptions::default());

        let limit = RateLimit::new(10, Duration::from_secs(1));
        let core = ClientCoreBuilder::new("https://x.test")
            .rate_limit(RateLimit::new(1, Duration::from_secs(60)))
            .rate_limit(limit)
            .retry(RetryPolicy::disabled())
            .build()
            .unwrap();
        assert_eq!(core.limiter().map(Limiter::limit), Some(limit));
        assert_eq!(core.retry_policy(), &RetryPolicy::disabled());
        let shown = format!("{core:?}");
        assert!(shown.contains("requests: 10"), "{shown}");

        // Views and clones share the limiter; options stack, later fields winning.
        let view = core.with_options(RequestOptions::new().timeout(Duration::from_secs(1)));
        let view = view.with_options(RequestOptions::new().retry_non_idempotent(true));
        assert!(std::ptr::eq(
            view.limiter().unwrap(),
            core.clone().limiter().unwrap()
        ));
        assert_eq!(
            view.options(),
            &RequestOptions::new()
                .timeout(Duration::from_secs(1))
                .retry_non_idempotent(true)
        );
        assert_eq!(core.options(), &RequestOptions::default());

        let core = ClientCoreBuilder::new("https://x.test")
            .rate_limit(limit)
            .no_rate_limit()
            .build()
            .unwrap();
        assert!(core.limiter().is_none());
    }

    #[test]
    fn custom_settings_are_kept() {
        let core = ClientCoreBuilder::new("https://x.test")
            .http_client(reqwest::Client::new())
            .timeout(Duration::from_secs(3))
            .connect_timeout(Duration::from_secs(1))
            .user_agent("my-app/1.0")
            .max_response_bytes(1024)
            .build()
            .unwrap();
        assert_eq!(core.timeout(), Duration::from_secs(3));
        assert_eq!(core.max_response_bytes(), 1024);
        assert_eq!(core.user_agent().to_str().unwrap(), "my-app/1.0");
    }
}
