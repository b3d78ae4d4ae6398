//! The names the generated client writes itself, in one place: the emitter writes its fixed
//! methods from these constants and lowering keeps spec-derived names (security-scheme
//! methods, operation methods, path-parameter arguments) clear of them, so the two cannot
//! disagree. A spec whose keys are exactly these names still yields a client that compiles
//! (its items get the next free name, see [`assign`](super::assign)).

/// `Client::builder()`: starts a `ClientBuilder` configuration.
pub const BUILDER: &str = "builder";
/// `Client::from_core(core)`: wraps a runtime core configured elsewhere.
pub const FROM_CORE: &str = "from_core";
/// `Client::base_url()` (the URL in use) and `ClientBuilder::base_url(url)` (sets it).
pub const BASE_URL: &str = "base_url";
/// `Client::with_options(options)`: a client whose requests use other options.
pub const WITH_OPTIONS: &str = "with_options";
/// The `Client` field holding the runtime core (written literally: it is private to the
/// crate); no method takes its name, so that `client.core` always reads as the field.
pub const CORE: &str = "core";

/// Methods (and the field) of the generated `Client`; operation methods avoid them, and
/// [`NEW`] (clippy's
/// `new_ret_no_self` refuses a method `new` that does not return `Self`).
pub const CLIENT_METHODS: &[&str] = &[BUILDER, FROM_CORE, BASE_URL, WITH_OPTIONS, CORE, NEW];

/// `ClientBuilder::server(server)`, written when the spec lists servers.
pub const SERVER: &str = "server";
/// `ClientBuilder::http_client(client)`: a caller-configured `reqwest::Client`.
pub const HTTP_CLIENT: &str = "http_client";
/// `ClientBuilder::retry(policy)`.
pub const RETRY: &str = "retry";
/// `ClientBuilder::rate_limit(limit)`.
pub const RATE_LIMIT: &str = "rate_limit";
/// `ClientBuilder::no_rate_limit()`.
pub const NO_RATE_LIMIT: &str = "no_rate_limit";
/// `ClientBuilder::timeout(duration)`: the whole request.
pub const TIMEOUT: &str = "timeout";
/// `ClientBuilder::connect_timeout(duration)`.
pub const CONNECT_TIMEOUT: &str = "connect_timeout";
/// `ClientBuilder::user_agent(value)`.
pub const USER_AGENT: &str = "user_agent";
/// `ClientBuilder::build()`.
pub const BUILD: &str = "build";
/// Not written, but a method called `new` reads as a constructor (and clippy requires it
/// to return `Self`).
pub const NEW: &str = "new";

/// Methods of the generated `ClientBuilder`; security-scheme methods ([`BEARER_AUTH`], ...)
/// avoid them.
pub const BUILDER_METHODS: &[&str] = &[
    NEW,
    BUILD,
    BASE_URL,
    SERVER,
    HTTP_CLIENT,
    RETRY,
    RATE_LIMIT,
    NO_RATE_LIMIT,
    TIMEOUT,
    CONNECT_TIMEOUT,
    USER_AGENT,
];

/// `ClientBuilder::bearer_auth(token)`: a bearer token (HTTP `bearer`, OAuth 2, OpenID
/// Connect). Security-scheme setters are named for the kind of credential, not for the
/// spec's scheme key; the key only tells two schemes of one kind apart
/// (`bearer_auth_<key>`).
pub const BEARER_AUTH: &str = "bearer_auth";
/// `ClientBuilder::basic_auth(username, password)`: HTTP `basic` (RFC 7617).
pub const BASIC_AUTH: &str = "basic_auth";
/// `ClientBuilder::api_key(key)`: the spec's one `apiKey` scheme. With several, each
/// takes [`API_KEY`]`_query` or [`API_KEY`]`_header` when its location is its own, else
/// [`API_KEY`]`_<key>`.
pub const API_KEY: &str = "api_key";

/// Names that path parameters avoid: they are fields of the request builder (next to
/// `client`, `body` and `options`) and locals of the function that turns it into a request
/// (bound from the builder, next to `path`, `request` and `form`, a multipart body); the
/// page-following closure of `stream` binds `call`, `sent`, `page`, `next` and `more` (and
/// `fetch`, the closure itself).
pub const METHOD_LOCALS: &[&str] = &[
    "self", "client", "body", "options", "path", "request", "form", "fetch", "call", "sent",
    "page", "next", "more",
];

/// Names that query, header and cookie parameters avoid besides the path parameters': each
/// is a field of the request builder (next to `client`, `body` and `options`) and a local
/// of the function that turns it into a request (next to `path`, `request` and `form`); an
/// optional one is a setter, next to the builder's own methods; a required one is an
/// argument of the operation's method, next to `self` and `body`.
pub const REQUEST_BUILDER_METHODS: &[&str] = &[
    "self",
    "client",
    "body",
    "options",
    "path",
    "request",
    "form",
    "send",
    "send_with_response",
    "stream",
    "into_future",
];
