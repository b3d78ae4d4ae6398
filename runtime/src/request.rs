//! [`Operation`] (static description of an endpoint) and [`Request`] (one call being built).

use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::Url;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::auth::Auth;
use crate::core::ClientCore;
use crate::error::{excerpt, Error, ErrorKind, EXCERPT_CHARS};
use crate::params::{check_path, header_value, query_values};
use crate::secret::Secret;
use crate::{HeaderMap, Method, StatusCode};

/// The static description of one API operation, emitted by the generator as a `const`.
///
/// ```
/// use forge_runtime::{Method, Operation};
///
/// const GET_ITEM: Operation = Operation {
///     id: "getItem",
///     method: Method::GET,
///     path: "/items/{id}",
/// };
/// let op: &'static Operation = &GET_ITEM;
/// assert_eq!(op.method, Method::GET);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId` (or a generated stand-in).
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template as written in the spec, e.g. `/api/v2/items/{id}`.
    pub path: &'static str,
}

/// One request being built; created by [`ClientCore::request`].
///
/// The builder methods never fail: a problem (a value that cannot be rendered, a body that
/// fails to serialize, an invalid header) is remembered and returned as
/// [`ErrorKind::InvalidRequest`] by [`send_json`](Request::send_json) /
/// [`send_empty`](Request::send_empty), before anything is sent. The first problem wins.
#[must_use = "a request does nothing until it is sent"]
pub struct Request<'a> {
    core: &'a ClientCore,
    operation: &'static Operation,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    problem: Option<String>,
}

impl<'a> Request<'a> {
    pub(crate) fn new(core: &'a ClientCore, operation: &'static Operation, path: String) -> Self {
        let problem = check_path(&path).err();
        Request {
            core,
            operation,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            problem,
        }
    }

    /// Remembers the first problem.
    fn fail(&mut self, message: String) {
        if self.problem.is_none() {
            self.problem = Some(message);
        }
    }

    /// Adds the query parameter `name`.
    ///
    /// `null` (e.g. `None`) adds nothing, a scalar adds one `name=value` pair, an array adds
    /// one pair per non-null element. An object makes `send` fail. See
    /// [`path_param`](crate::path_param) for how values are rendered.
    pub fn query<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        match query_values(name, value) {
            Ok(values) => self
                .query
                .extend(values.into_iter().map(|v| (name.to_owned(), v))),
            Err(message) => self.fail(message),
        }
        self
    }

    /// Adds the header `name`.
    ///
    /// `null` adds nothing, an array is sent as its elements joined with `,`. An object, an
    /// invalid header name or a value with characters not allowed in a header makes `send`
    /// fail. Calling this twice with the same name sends both values. A header set here
    /// replaces the runtime's default of the same name (`Accept`, `User-Agent`), but never the
    /// client's [`Auth`].
    pub fn header<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        let text = match header_value(name, value) {
            Ok(Some(text)) => text,
            Ok(None) => return self,
            Err(message) => {
                self.fail(message);
                return self;
            }
        };
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.fail(format!("`{name}` is not a valid HTTP header name"));
            return self;
        };
        match HeaderValue::from_str(&text) {
            Ok(value) => {
                self.headers.append(header_name, value);
            }
            // The value is not quoted: it may be a credential.
            Err(_) => self.fail(format!(
                "the value of header `{name}` contains characters not allowed in HTTP headers"
            )),
        }
        self
    }

    /// Sets a JSON request body and `Content-Type: application/json`.
    ///
    /// A body that fails to serialize makes `send` fail.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.fail(format!("the request body could not be serialized: {e}")),
        }
        self
    }

    /// Sends the request and decodes a 2xx JSON response body as `T`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidRequest`] for a problem found while building,
    /// [`ErrorKind::Transport`] when sending or receiving fails,
    /// [`ErrorKind::Status`] for a non-2xx status, [`ErrorKind::BodyTooLarge`] when the body
    /// exceeds the client's limit, [`ErrorKind::Decode`] when the body is not a `T`.
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let operation = self.operation;
        let limit = self.core.max_response_bytes();
        let (status, mut response) = self.send().await?;
        let body = read_bounded(operation, status, &mut response, limit).await?;
        serde_json::from_slice(&body).map_err(|source| {
            Error::new(
                operation,
                ErrorKind::Decode {
                    status,
                    body_excerpt: excerpt(&String::from_utf8_lossy(&body), EXCERPT_CHARS),
                    source,
                },
            )
        })
    }

    /// Sends the request and accepts any 2xx response, ignoring its body.
    ///
    /// # Errors
    ///
    /// As [`send_json`](Request::send_json), except that the body of a 2xx response is never
    /// decoded (nor limited: at most `max_response_bytes` of it are read and dropped).
    pub async fn send_empty(self) -> Result<(), Error> {
        let limit = self.core.max_response_bytes();
        let (_, mut response) = self.send().await?;
        // Drain (boundedly) so the connection can be reused; the body does not matter.
        let mut seen = 0usize;
        while let Ok(Some(chunk)) = response.chunk().await {
            seen = seen.saturating_add(chunk.len());
            if seen > limit {
                break;
            }
        }
        Ok(())
    }

    /// Builds and sends the request; returns a 2xx response, or the error for any other.
    async fn send(self) -> Result<(StatusCode, reqwest::Response), Error> {
        let operation = self.operation;
        if let Some(message) = self.problem {
            return Err(Error::new(operation, ErrorKind::InvalidRequest(message)));
        }
        let core = self.core;
        let url = build_url(core, &self.path, &self.query)
            .map_err(|message| Error::new(operation, ErrorKind::InvalidRequest(message)))?;

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, core.user_agent().clone());
        // Replaces defaults of the same name, keeps repeated values of one name.
        headers.extend(self.headers);
        if self.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        match (core.auth_header(), core.auth()) {
            (Some((name, value)), _) => {
                headers.insert(name.clone(), value.clone());
            }
            (None, Some(Auth::Basic { .. })) => {
                // `basic_auth` below appends: the client's credential must be the only one.
                headers.remove(AUTHORIZATION);
            }
            _ => {}
        }

        let mut builder = core
            .http()
            .request(operation.method.clone(), url)
            .headers(headers)
            .timeout(core.timeout());
        if let Some(Auth::Basic { username, password }) = core.auth() {
            builder = builder.basic_auth(username, password.as_ref().map(Secret::expose));
        }
        if let Some(body) = self.body {
            builder = builder.body(body);
        }

        let mut response = builder
            .send()
            .await
            .map_err(|e| Error::transport(operation, e))?;
        let status = response.status();
        if status.is_success() {
            return Ok((status, response));
        }
        let limit = core.max_response_bytes();
        let body = read_bounded(operation, status, &mut response, limit).await?;
        Err(Error::new(
            operation,
            ErrorKind::Status {
                status,
                headers: response.headers().clone(),
                body: String::from_utf8_lossy(&body).into_owned(),
            },
        ))
    }
}

/// `base_url + path`, then the query pairs and the API-key-in-query credential.
fn build_url(core: &ClientCore, path: &str, query: &[(String, String)]) -> Result<Url, String> {
    // The base URL has no trailing '/', query or fragment; making sure the path starts with
    // '/' means nothing in it can change the host.
    let separator = if path.is_empty() || path.starts_with('/') {
        ""
    } else {
        "/"
    };
    let text = format!("{}{separator}{path}", core.base_url());
    let mut url = Url::parse(&text)
        .map_err(|e| format!("the request URL for path `{path}` is invalid: {e}"))?;
    let key = match core.auth() {
        Some(Auth::ApiKeyQuery { name, key }) => Some((name.as_str(), key.expose())),
        _ => None,
    };
    if !query.is_empty() || key.is_some() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query {
            pairs.append_pair(name, value);
        }
        if let Some((name, value)) = key {
            pairs.append_pair(name, value);
        }
    }
    Ok(url)
}

/// Reads the whole body, failing with [`ErrorKind::BodyTooLarge`] as soon as it is known to
/// exceed `limit` bytes (from `Content-Length`, or while streaming): never buffers more.
async fn read_bounded(
    operation: &'static Operation,
    status: StatusCode,
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, Error> {
    let too_large = || Error::new(operation, ErrorKind::BodyTooLarge { status, limit });
    let announced = match response.content_length() {
        Some(length) => match usize::try_from(length) {
            Ok(length) if length <= limit => length,
            _ => return Err(too_large()),
        },
        None => 0,
    };
    // Content-Length comes from the server: trust it only up to a modest pre-allocation.
    let mut body = Vec::with_capacity(announced.min(64 * 1024));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::transport(operation, e))?
    {
        // Invariant: body.len() <= limit.
        if chunk.len() > limit - body.len() {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
