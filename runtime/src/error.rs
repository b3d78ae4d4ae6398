//! [`Error`]: what a generated operation returns when it fails.

use std::fmt;

use crate::request::Operation;
use crate::{HeaderMap, Method, StatusCode};

/// How many characters of a response body [`ErrorKind::Decode`] keeps.
pub(crate) const EXCERPT_CHARS: usize = 512;

/// How many characters of a response body `Display` shows.
const DISPLAY_CHARS: usize = 200;

/// An operation failed: the request could not be built or sent, the server answered with a
/// non-2xx status, or the response could not be decoded.
///
/// The error knows which [`Operation`] failed, so its `Display` reads like
/// `getSmsSubscription (GET /api/v2/subscriptions/sms/{id}): server answered 404 Not Found: ...`.
///
/// Neither `Display` nor `Debug` ever contains a credential: transport errors are stored
/// without their URL (which may carry an API key in its query string), and the error holds no
/// [`Auth`](crate::Auth).
///
/// The error is one pointer wide, so `Result<T, Error>` stays small.
pub struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    operation: &'static Operation,
    kind: ErrorKind,
}

/// What went wrong; see [`Error::kind`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request could not be built: a parameter value that cannot be rendered, a body that
    /// failed to serialize, an invalid header, an unusable path. Nothing was sent.
    InvalidRequest(String),
    /// Sending the request or receiving the response failed (connect, TLS, timeout, I/O).
    /// The stored error never carries the request URL.
    Transport(reqwest::Error),
    /// The server answered with a status outside `200..=299`.
    Status {
        /// The status code.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The whole response body, decoded as UTF-8 with invalid sequences replaced.
        body: String,
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
}

impl Error {
    /// Builds an error for `operation`.
    pub(crate) fn new(operation: &'static Operation, kind: ErrorKind) -> Self {
        Error(Box::new(Inner { operation, kind }))
    }

    /// A transport error, with the URL removed so no query-string credential is kept.
    pub(crate) fn transport(operation: &'static Operation, error: reqwest::Error) -> Self {
        Error::new(operation, ErrorKind::Transport(error.without_url()))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// Consumes the error, returning what went wrong.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.0.kind {
            ErrorKind::Status { status, .. }
            | ErrorKind::Decode { status, .. }
            | ErrorKind::BodyTooLarge { status, .. } => Some(*status),
            ErrorKind::Transport(e) => e.status(),
            ErrorKind::InvalidRequest(_) => None,
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

impl fmt::Display for ErrorKind {
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
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = self.0.operation;
        write!(f, "{} ({} {}): {}", op.id, op.method, op.path, self.0.kind)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("operation", &self.0.operation.id)
            .field("method", &self.0.operation.method)
            .field("path", &self.0.operation.path)
            .field("kind", &self.0.kind)
            .finish()
    }
}

impl std::error::Error for Error {
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
        Error::new(
            &OP,
            ErrorKind::Status {
                status: StatusCode::NOT_FOUND,
                headers: HeaderMap::new(),
                body: body.to_owned(),
            },
        )
    }

    #[test]
    fn error_is_small_and_thread_safe() {
        fn assert_traits<T: Send + Sync + 'static + std::error::Error>() {}
        assert_traits::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
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
        let e = Error::new(
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
        let e = Error::new(&OP, ErrorKind::InvalidRequest("bad header".into()));
        assert_eq!(
            e.to_string(),
            "getThing (GET /things/{id}): invalid request: bad header"
        );
        assert_eq!(e.status(), None);
        assert_eq!(e.body(), None);
        let e = Error::new(
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
