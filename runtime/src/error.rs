//! [`Error`]: what a generated operation returns when it fails, and [`ErrorBody`], the hook
//! that decodes a non-2xx body into an operation's typed error.

use std::fmt;

use crate::operation::Operation;
use crate::{HeaderMap, Method, StatusCode};

/// How many characters of a response body [`ErrorKind::Decode`] keeps.
pub(crate) const EXCERPT_CHARS: usize = 512;

/// How many characters of a response body `Display` shows.
const DISPLAY_CHARS: usize = 200;

/// The error type parameter of an error that carries no typed body: [`Error`] is
/// `Error<Untyped>`.
///
/// It has no values, so [`Error::typed`] on an `Error<Untyped>` is always `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Untyped {}

/// A response body type that a non-2xx answer can be decoded into, e.g. the schema an
/// operation declares for its `4XX` responses.
///
/// [`Request::send_json_typed`](crate::Request::send_json_typed) calls [`decode`](Self::decode)
/// with the final status and body; the result is [`Error::typed`]. Return `None` for statuses
/// or bodies the type does not describe: the error then still has the status and the raw body.
///
/// ```
/// use forge_runtime::{ErrorBody, StatusCode};
///
/// #[derive(Debug, serde::Deserialize)]
/// struct NotFound {
///     message: String,
/// }
///
/// impl ErrorBody for NotFound {
///     fn decode(status: StatusCode, body: &[u8]) -> Option<Self> {
///         if status != StatusCode::NOT_FOUND {
///             return None;
///         }
///         serde_json::from_slice(body).ok()
///     }
/// }
///
/// let decoded = NotFound::decode(StatusCode::NOT_FOUND, br#"{"message": "gone"}"#);
/// assert_eq!(decoded.map(|e| e.message).as_deref(), Some("gone"));
/// ```
pub trait ErrorBody: Sized {
    /// Decodes the body of a non-2xx response with `status`; `None` when it does not apply.
    fn decode(status: StatusCode, body: &[u8]) -> Option<Self>;
}

impl ErrorBody for Untyped {
    fn decode(_status: StatusCode, _body: &[u8]) -> Option<Self> {
        None
    }
}

/// An operation failed: the request could not be built or sent, the server answered with a
/// non-2xx status, or the response could not be decoded.
///
/// The error knows which [`Operation`] failed, where the request went and how many attempts
/// were made, so its `Display` reads like
/// `getSmsSubscription (GET /api/v2/subscriptions/sms/{id}) at https://dialpad.com: server
/// answered 404 Not Found: ...`, or, when the retry policy tried more than once,
/// `... at https://dialpad.com after 3 attempts: server answered 503 Service Unavailable: ...`.
/// Only the scheme, host and port of the request are shown: never its path, query string or
/// user info.
///
/// Neither `Display` nor `Debug` ever contains a credential: transport errors are stored
/// without their URL (which may carry an API key in its query string), and the error holds no
/// [`Auth`](crate::Auth).
///
/// `E` is the operation's typed error body (see [`ErrorBody`] and [`Error::typed`]); plain
/// `Error` is `Error<Untyped>`, which has none.
///
/// The error is one pointer wide, so `Result<T, Error>` stays small.
pub struct Error<E = Untyped>(Box<Inner<E>>);

struct Inner<E> {
    operation: &'static Operation,
    kind: ErrorKind<E>,
    /// `scheme://host[:port]` of the request, once one was built (never path or query).
    origin: Option<Box<str>>,
    /// How many attempts were sent (0 when none was, or when not known).
    attempts: u32,
}

/// What went wrong; see [`Error::kind`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind<E = Untyped> {
    /// The request could not be built: a parameter value that cannot be rendered, a body that
    /// failed to serialize, an invalid header, an unusable path. Nothing was sent.
    InvalidRequest(String),
    /// Sending the request or receiving the response failed (connect, TLS, timeout, I/O).
    /// The stored error never carries the request URL.
    Transport(reqwest::Error),
    /// The server answered with a status outside `200..=299`, or with a 2xx status the
    /// operation does not document while it documents several (see
    /// [`Request::send_by_status`](crate::Request::send_by_status)).
    Status {
        /// The status code.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The whole response body, decoded as UTF-8 with invalid sequences replaced.
        body: String,
        /// The body decoded by the operation's [`ErrorBody`] type, when it applies.
        typed: Option<E>,
    },
    /// The server answered 2xx but the body is not what the operation expects.
    Decode {
        /// The status code.
        status: StatusCode,
        /// The first 512 characters of the body (lossy UTF-8).
        body_excerpt: String,
        /// Why decoding failed.
        source: serde_json::Error,
    },
    /// The response body is larger than the client's `max_response_bytes`; reading stopped
    /// at the limit.
    BodyTooLarge {
        /// The status code.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
    },
    /// [`paginate`](crate::paginate::paginate) fetched its maximum number of pages and the
    /// last one still pointed to a next page (a server that never stops, or a cursor that
    /// repeats). No request was sent for the page over the limit.
    TooManyPages {
        /// The maximum number of pages.
        max_pages: usize,
    },
}

impl<E> ErrorKind<E> {
    /// The same kind with the typed body `typed` makes of a status error's status
    /// (every other kind carries none).
    fn retyped<F>(self, typed: impl FnOnce(StatusCode) -> Option<F>) -> ErrorKind<F> {
        match self {
            ErrorKind::InvalidRequest(message) => ErrorKind::InvalidRequest(message),
            ErrorKind::Transport(e) => ErrorKind::Transport(e),
            ErrorKind::Status {
                status,
                headers,
                body,
                typed: _,
            } => {
                let typed = typed(status);
                ErrorKind::Status {
                    status,
                    headers,
                    body,
                    typed,
                }
            }
            ErrorKind::Decode {
                status,
                body_excerpt,
                source,
            } => ErrorKind::Decode {
                status,
                body_excerpt,
                source,
            },
            ErrorKind::BodyTooLarge { status, limit } => ErrorKind::BodyTooLarge { status, limit },
            ErrorKind::TooManyPages { max_pages } => ErrorKind::TooManyPages { max_pages },
        }
    }
}

impl<E: ErrorBody> Error<E> {
    /// A [`ErrorKind::Status`] error; `typed` is what `E` decodes from `body`.
    pub(crate) fn from_status(
        operation: &'static Operation,
        status: StatusCode,
        headers: HeaderMap,
        body: &[u8],
    ) -> Self {
        let typed = E::decode(status, body);
        Error::new(
            operation,
            ErrorKind::Status {
                status,
                headers,
                body: String::from_utf8_lossy(body).into_owned(),
                typed,
            },
        )
    }
}

impl Error {
    /// The same error at the caller's error type: a [`ErrorKind::Status`] error gets what `E`
    /// makes of `raw`, the answer's whole body as received; every other kind is unchanged.
    pub(crate) fn with_typed<E: ErrorBody>(self, raw: Option<&[u8]>) -> Error<E> {
        let Inner {
            operation,
            kind,
            origin,
            attempts,
        } = *self.0;
        Error(Box::new(Inner {
            operation,
            kind: kind.retyped(|status| raw.and_then(|raw| E::decode(status, raw))),
            origin,
            attempts,
        }))
    }
}

impl<E> Error<E> {
    /// Builds an error for `operation`.
    pub(crate) fn new(operation: &'static Operation, kind: ErrorKind<E>) -> Self {
        Error(Box::new(Inner {
            operation,
            kind,
            origin: None,
            attempts: 0,
        }))
    }

    /// The same error, noting that the request went to `url` (only its scheme, host and port
    /// are kept).
    pub(crate) fn at(mut self, url: &reqwest::Url) -> Self {
        self.0.origin = Some(url.origin().ascii_serialization().into_boxed_str());
        self
    }

    /// The same error, noting that `attempts` attempts were sent.
    pub(crate) fn after_attempts(mut self, attempts: u32) -> Self {
        self.0.attempts = attempts;
        self
    }

    /// `scheme://host[:port]` of the request (e.g. `https://dialpad.com`), when one was
    /// built; never its path, query string or user info.
    pub fn origin(&self) -> Option<&str> {
        self.0.origin.as_deref()
    }

    /// How many attempts were sent before giving up: 1 without retries, 0 when the request
    /// was never sent (or the failure came after the response, e.g. while decoding it, and
    /// the count is not known).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// A transport error, with the URL removed so no query-string credential is kept.
    pub(crate) fn transport(operation: &'static Operation, error: reqwest::Error) -> Self {
        Error::new(operation, ErrorKind::Transport(error.without_url()))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind<E> {
        &self.0.kind
    }

    /// Consumes the error, returning what went wrong.
    pub fn into_kind(self) -> ErrorKind<E> {
        self.0.kind
    }

    /// The response body decoded by the operation's [`ErrorBody`] type, when the server
    /// answered with a non-2xx status that the type describes.
    pub fn typed(&self) -> Option<&E> {
        match &self.0.kind {
            ErrorKind::Status { typed, .. } => typed.as_ref(),
            _ => None,
        }
    }

    /// The same error without its typed body (status, headers and raw body are kept), e.g. to
    /// return it where a plain [`Error`] is expected.
    pub fn into_untyped(self) -> Error {
        let Inner {
            operation,
            kind,
            origin,
            attempts,
        } = *self.0;
        Error(Box::new(Inner {
            operation,
            kind: kind.retyped(|_| None),
            origin,
            attempts,
        }))
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.0.kind {
            ErrorKind::Status { status, .. }
            | ErrorKind::Decode { status, .. }
            | ErrorKind::BodyTooLarge { status, .. } => Some(*status),
            ErrorKind::Transport(e) => e.status(),
            ErrorKind::InvalidRequest(_) | ErrorKind::TooManyPages { .. } => None,
        }
    }

    /// The response body: the whole body for [`ErrorKind::Status`], the excerpt for
    /// [`ErrorKind::Decode`], `None` otherwise.
    pub fn body(&self) -> Option<&str> {
        match &self.0.kind {
            ErrorKind::Status { body, .. } => Some(body),
            ErrorKind::Decode { body_excerpt, .. } => Some(body_excerpt),
            _ => None,
        }
    }

    /// The response headers, for [`ErrorKind::Status`].
    pub fn headers(&self) -> Option<&HeaderMap> {
        match &self.0.kind {
            ErrorKind::Status { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The failed operation.
    pub fn operation(&self) -> &'static Operation {
        self.0.operation
    }

    /// The failed operation's `operationId`.
    pub fn operation_id(&self) -> &'static str {
        self.0.operation.id
    }

    /// The failed operation's HTTP method.
    pub fn method(&self) -> &Method {
        &self.0.operation.method
    }

    /// The failed operation's path template, e.g. `/api/v2/items/{id}`.
    pub fn path_template(&self) -> &'static str {
        self.0.operation.path
    }

    /// A short, fixed name of the kind of failure, for logs and metrics: `invalid_request`,
    /// `timeout`, `connect`, `transport`, `status`, `decode`, `body_too_large` or
    /// `too_many_pages`.
    pub(crate) fn kind_name(&self) -> &'static str {
        match &self.0.kind {
            ErrorKind::InvalidRequest(_) => "invalid_request",
            ErrorKind::Transport(e) if e.is_timeout() => "timeout",
            ErrorKind::Transport(e) if e.is_connect() => "connect",
            ErrorKind::Transport(_) => "transport",
            ErrorKind::Status { .. } => "status",
            ErrorKind::Decode { .. } => "decode",
            ErrorKind::BodyTooLarge { .. } => "body_too_large",
            ErrorKind::TooManyPages { .. } => "too_many_pages",
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(&self.0.kind, ErrorKind::Transport(e) if e.is_timeout())
    }

    /// Whether connecting to the server failed.
    pub fn is_connect(&self) -> bool {
        matches!(&self.0.kind, ErrorKind::Transport(e) if e.is_connect())
    }
}

/// At most `max` characters of `text` with control characters (newlines, tabs, ...) shown as
/// spaces, and `...` when it was cut.
fn one_line(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push_str("...");
    }
    out
}

/// The first `max` characters of `text` (never splits a character).
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

impl<E> fmt::Display for ErrorKind<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::InvalidRequest(msg) => write!(f, "invalid request: {msg}"),
            ErrorKind::Transport(e) => {
                write!(f, "request failed: {e}")?;
                if e.is_timeout() {
                    f.write_str(" (timed out)")
                } else if e.is_connect() {
                    f.write_str(" (could not connect to the server)")
                } else {
                    Ok(())
                }
            }
            ErrorKind::Status { status, body, .. } => {
                write!(f, "server answered {status}")?;
                if body.trim().is_empty() {
                    Ok(())
                } else {
                    write!(f, ": {}", one_line(body, DISPLAY_CHARS))
                }
            }
            ErrorKind::Decode {
                status,
                body_excerpt,
                source,
            } => write!(
                f,
                "could not decode the {status} response: {source}; body starts with: {}",
                one_line(body_excerpt, DISPLAY_CHARS)
            ),
            ErrorKind::BodyTooLarge { status, limit } => write!(
                f,
                "the {status} response body is larger than the limit of {limit} bytes"
            ),
            ErrorKind::TooManyPages { max_pages } => write!(
                f,
                "stopped paginating after {max_pages} pages (the limit); the last page still \
                 pointed to a next one"
            ),
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = self.0.operation;
        match &self.0.kind {
            // Not one operation's failure: the placeholder operation says nothing.
            kind @ ErrorKind::TooManyPages { .. } => write!(f, "{kind}"),
            kind => {
                write!(f, "{} ({} {})", op.id, op.method, op.path)?;
                if let Some(origin) = &self.0.origin {
                    write!(f, " at {origin}")?;
                }
                if self.0.attempts > 1 {
                    write!(f, " after {} attempts", self.0.attempts)?;
                }
                write!(f, ": {kind}")
            }
        }
    }
}

/// The operation of an [`ErrorKind::TooManyPages`] error, which no single operation caused.
static PAGINATION: Operation = Operation {
    id: "paginate",
    method: Method::GET,
    path: "",
};

/// [`paginate`](crate::paginate::paginate) reached its maximum number of pages.
///
/// A stream's error type must be convertible from this; [`Error`] is, as an
/// [`ErrorKind::TooManyPages`] whose [`Error::operation`] is a placeholder with id `paginate`
/// and an empty path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyPages {
    /// The maximum number of pages.
    pub max_pages: usize,
}

impl fmt::Display for TooManyPages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ErrorKind::<Untyped>::TooManyPages {
            max_pages: self.max_pages,
        }
        .fmt(f)
    }
}

impl std::error::Error for TooManyPages {}

impl<E> From<TooManyPages> for Error<E> {
    fn from(value: TooManyPages) -> Self {
        Error::new(
            &PAGINATION,
            ErrorKind::TooManyPages {
                max_pages: value.max_pages,
            },
        )
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("operation", &self.0.operation.id)
            .field("method", &self.0.operation.method)
            .field("path", &self.0.operation.path)
            .field("origin", &self.0.origin)
            .field("attempts", &self.0.attempts)
            .field("kind", &self.0.kind)
            .finish()
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            ErrorKind::Transport(e) => Some(e),
            ErrorKind::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: Operation = Operation {
        id: "getThing",
        method: Method::GET,
        path: "/things/{id}",
    };

    fn status_error(body: &str) -> Error {
        Error::from_status(
            &OP,
            StatusCode::NOT_FOUND,
            HeaderMap::new(),
            body.as_bytes(),
        )
    }

    /// A typed error body covering 404 only.
    #[derive(Clone, Debug, PartialEq)]
    struct Missing {
        what: String,
    }

    impl ErrorBody for Missing {
        fn decode(status: StatusCode, body: &[u8]) -> Option<Self> {
            (status == StatusCode::NOT_FOUND).then(|| Missing {
                what: String::from_utf8_lossy(body).into_owned(),
            })
        }
    }

    #[test]
    fn error_is_small_and_thread_safe() {
        fn assert_traits<T: Send + Sync + 'static + std::error::Error>() {}
        assert_traits::<Error>();
        assert_traits::<Error<Missing>>();
        assert_traits::<TooManyPages>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        assert_eq!(
            std::mem::size_of::<Error<[u8; 4096]>>(),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn typed_bodies_are_decoded_and_can_be_dropped() {
        let e =
            Error::<Missing>::from_status(&OP, StatusCode::NOT_FOUND, HeaderMap::new(), b"thing 7");
        assert_eq!(
            e.typed(),
            Some(&Missing {
                what: "thing 7".into()
            })
        );
        assert_eq!(
            e.to_string(),
            "getThing (GET /things/{id}): server answered 404 Not Found: thing 7"
        );
        let plain = e.into_untyped();
        assert!(plain.typed().is_none());
        assert_eq!(plain.body(), Some("thing 7"));
        assert_eq!(plain.status(), Some(StatusCode::NOT_FOUND));

        let e = Error::<Missing>::from_status(
            &OP,
            StatusCode::INTERNAL_SERVER_ERROR,
            HeaderMap::new(),
            b"boom",
        );
        assert!(e.typed().is_none());
        assert_eq!(e.body(), Some("boom"));
        assert!(status_error("x").typed().is_none());
        assert!(Untyped::decode(StatusCode::NOT_FOUND, b"{}").is_none());
    }

    #[test]
    fn too_many_pages_display() {
        let e: Error = TooManyPages { max_pages: 3 }.into();
        assert_eq!(
            e.to_string(),
            "stopped paginating after 3 pages (the limit); the last page still pointed to a next one"
        );
        assert_eq!(e.to_string(), TooManyPages { max_pages: 3 }.to_string());
        assert_eq!(e.operation_id(), "paginate");
        assert_eq!(e.status(), None);
        assert!(matches!(
            e.into_kind(),
            ErrorKind::TooManyPages { max_pages: 3 }
        ));
    }

    #[test]
    fn status_display() {
        let e = status_error("{\"error\":\n\"no such thing\"}");
        assert_eq!(
            e.to_string(),
            "getThing (GET /things/{id}): server answered 404 Not Found: {\"error\": \"no such thing\"}"
        );
        assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(e.body(), Some("{\"error\":\n\"no such thing\"}"));
        assert_eq!(e.operation_id(), "getThing");
        assert_eq!(e.method(), Method::GET);
        assert_eq!(e.path_template(), "/things/{id}");
        assert!(e.headers().is_some());
        assert!(!e.is_timeout() && !e.is_connect());
        assert!(std::error::Error::source(&e).is_none());
    }

    #[test]
    fn status_display_without_body_has_no_colon_part() {
        let e = status_error("");
        assert_eq!(
            e.to_string(),
            "getThing (GET /things/{id}): server answered 404 Not Found"
        );
    }

    #[test]
    fn status_display_cuts_long_bodies_on_char_boundaries() {
        let body = "é".repeat(300);
        let shown = status_error(&body).to_string();
        assert!(
            shown.ends_with(&format!("{}...", "é".repeat(200))),
            "{shown}"
        );
    }

    #[test]
    fn decode_display_and_source() {
        let source = serde_json::from_str::<u8>("\"x\"").unwrap_err();
        let e: Error = Error::new(
            &OP,
            ErrorKind::Decode {
                status: StatusCode::OK,
                body_excerpt: "\"x\"".to_owned(),
                source,
            },
        );
        let shown = e.to_string();
        assert!(
            shown.starts_with(
                "getThing (GET /things/{id}): could not decode the 200 OK response: invalid type"
            ),
            "{shown}"
        );
        assert!(shown.ends_with("; body starts with: \"x\""), "{shown}");
        assert_eq!(e.body(), Some("\"x\""));
        let src = std::error::Error::source(&e).expect("decode errors have a source");
        assert!(src.downcast_ref::<serde_json::Error>().is_some());
    }

    #[test]
    fn other_kinds_display() {
        let e: Error = Error::new(&OP, ErrorKind::InvalidRequest("bad header".into()));
        assert_eq!(
            e.to_string(),
            "getThing (GET /things/{id}): invalid request: bad header"
        );
        assert_eq!(e.status(), None);
        assert_eq!(e.body(), None);
        let e: Error = Error::new(
            &OP,
            ErrorKind::BodyTooLarge {
                status: StatusCode::OK,
                limit: 10,
            },
        );
        assert!(e.to_string().ends_with("larger than the limit of 10 bytes"));
        assert_eq!(e.status(), Some(StatusCode::OK));
        assert!(matches!(
            e.into_kind(),
            ErrorKind::BodyTooLarge { limit: 10, .. }
        ));
    }

    #[test]
    fn excerpt_is_char_safe() {
        assert_eq!(excerpt("日本語", 2), "日本");
        assert_eq!(excerpt("ab", 5), "ab");
        assert_eq!(one_line("a\r\nb\tc", 10), "a  b c");
    }
}
