//! [`Request`]: one call being built, from [`ClientCore::request`] to the decoded answer.
//!
//! This module sits on top of the others: it reads the client (`core`), sends
//! through `exec` and reports errors (`error`); none of them imports it.

use std::time::Instant;

use reqwest::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::Url;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::{Instrument, Span};

use crate::core::ClientCore;
use crate::error::{excerpt, Error, ErrorBody, ErrorKind, Untyped, EXCERPT_CHARS};
use crate::exec::{dispatch, millis, read_bounded, Fault, Prepared};
use crate::operation::Operation;
use crate::options::RequestOptions;
use crate::params::check_path;
use crate::response::{ApiResponse, SuccessBody};
use crate::style::{serialize, ParamLocation, ParamStyle, Serialized};
use crate::{BoxFuture, HeaderMap, StatusCode};

impl ClientCore {
    /// Starts a request for `operation` at `path` (the template with its parameters filled
    /// in by [`path_param`](crate::path_param), e.g. `/api/v2/items/42`), relative to the
    /// base URL.
    pub fn request(&self, operation: &'static Operation, path: String) -> Request<'_> {
        Request::new(self, operation, path)
    }
}

/// One request being built; created by [`ClientCore::request`].
///
/// The builder methods never fail: a problem (a value that cannot be rendered, a body that
/// fails to serialize, an invalid header) is remembered and returned as
/// [`ErrorKind::InvalidRequest`] by [`send_json`](Request::send_json) /
/// [`send_empty`](Request::send_empty) (and their variants), before anything is sent. The
/// first problem wins.
///
/// Every `send_*` method runs inside a `forge.request` [`tracing`] span with the fields
/// `operation`, `method` and `path` (the template, e.g. `/items/{id}`), and records `status`,
/// `attempts`, `duration_ms` and, on failure, `error` (a kind such as `status` or `timeout`)
/// when done; each retry is a `debug` event with `attempt`, `reason` and `wait_ms`. The real
/// URL, query, headers and bodies are never logged.
#[must_use = "a request does nothing until it is sent"]
pub struct Request<'a> {
    core: &'a ClientCore,
    operation: &'static Operation,
    path: String,
    /// Percent-encoded `name=value` pairs.
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    content_type: Option<HeaderValue>,
    accept: Option<HeaderValue>,
    /// Cookie pairs, encoded as `style` does.
    cookies: Vec<(String, String)>,
    problem: Option<String>,
    options: RequestOptions,
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
            content_type: None,
            accept: None,
            cookies: Vec::new(),
            problem,
            options: core.options().clone(),
        }
    }

    /// Remembers the first problem.
    fn fail(&mut self, message: String) {
        if self.problem.is_none() {
            self.problem = Some(message);
        }
    }

    /// Adds the query parameter `name` in the default style (`form`, exploded: a scalar is
    /// one `name=value` pair, an array one pair per element, an object one `key=value` pair
    /// per field); `null` (e.g. `None`) adds nothing. See [`param`](Self::param).
    pub fn query<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Self {
        self.param(name, value, ParamStyle::default_for(ParamLocation::Query))
    }

    /// Adds the header `name` in the default style (`simple`: arrays and objects joined with
    /// `,`); `null` adds nothing. See [`param`](Self::param).
    pub fn header<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Self {
        self.param(name, value, ParamStyle::default_for(ParamLocation::Header))
    }

    /// Adds the cookie parameter `name` in the default style (`form`, exploded); `null` adds
    /// nothing. See [`param`](Self::param).
    pub fn cookie<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Self {
        self.param(name, value, ParamStyle::default_for(ParamLocation::Cookie))
    }

    /// Adds the query, header or cookie parameter `name`, serialized with `style` as
    /// [`serialize`](crate::serialize) describes (OpenAPI 3.0.3 "Style Values").
    ///
    /// A value that cannot be serialized, a path `style` (path parameters are rendered into
    /// the path with [`path_param_styled`](crate::path_param_styled)), an invalid header name
    /// or a header value with characters not allowed in a header make `send` fail. A header
    /// added twice is sent twice; a header set here replaces the runtime's default of the same
    /// name (`Accept`, `User-Agent`), but never a header of the client's
    /// [`Auth`](crate::Auth).
    pub fn param<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        style: ParamStyle,
    ) -> Self {
        match serialize(name, value, style) {
            Ok(Serialized::Query(pairs)) => self.query.extend(pairs),
            Ok(Serialized::Cookie(pairs)) => self.cookies.extend(pairs),
            Ok(Serialized::Header(Some(text))) => self.push_header(name, &text),
            Ok(Serialized::Header(None)) => {}
            Ok(Serialized::Path(_)) => self.fail(format!(
                "path parameter `{name}` was given to `param`; it belongs in the path"
            )),
            Err(message) => self.fail(message),
        }
        self
    }

    fn push_header(&mut self, name: &str, text: &str) {
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.fail(format!("`{name}` is not a valid HTTP header name"));
            return;
        };
        match HeaderValue::from_str(text) {
            Ok(value) => {
                self.headers.append(header_name, value);
            }
            // The value is not quoted: it may be a credential.
            Err(_) => self.fail(format!(
                "the value of header `{name}` contains characters not allowed in HTTP headers"
            )),
        }
    }

    /// Sets a JSON request body and `Content-Type: application/json`.
    ///
    /// A body that fails to serialize makes `send` fail.
    pub fn json<T: Serialize + ?Sized>(self, body: &T) -> Self {
        self.json_as("application/json", body)
    }

    /// Sets a JSON request body sent as the JSON-based media type `content_type` (such as
    /// `application/vnd.example+json`, RFC 6839 §3.1), the one the API documents.
    ///
    /// A body that fails to serialize, or a `content_type` that is not a valid header
    /// value, makes `send` fail.
    pub fn json_as<T: Serialize + ?Sized>(mut self, content_type: &'static str, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.set_body(content_type, bytes),
            Err(e) => self.fail(format!("the request body could not be serialized: {e}")),
        }
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body from `body` (an object; see
    /// [`form`](crate::form) for how nested values are flattened).
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match crate::form::encode(body) {
            Ok(text) => self.set_body("application/x-www-form-urlencoded", text.into_bytes()),
            Err(message) => self.fail(message),
        }
        self
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(mut self, body: crate::Multipart) -> Self {
        match body.encode() {
            Ok((content_type, bytes)) => match HeaderValue::from_str(&content_type) {
                Ok(value) => {
                    self.body = Some(bytes);
                    self.content_type = Some(value);
                }
                Err(_) => {
                    self.fail("the multipart boundary is not a valid header value".to_owned())
                }
            },
            Err(message) => self.fail(message),
        }
        self
    }

    /// Sets a text body of the given media type.
    pub fn text(mut self, content_type: &'static str, body: String) -> Self {
        self.set_body(content_type, body.into_bytes());
        self
    }

    /// Sets a raw byte body of the given media type.
    pub fn bytes(mut self, content_type: &'static str, body: Vec<u8>) -> Self {
        self.set_body(content_type, body);
        self
    }

    /// Replaces the default `Accept: application/json` (for text and binary responses).
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = Some(HeaderValue::from_static(media_type));
        self
    }

    fn set_body(&mut self, content_type: &'static str, bytes: Vec<u8>) {
        match HeaderValue::from_str(content_type) {
            Ok(value) => {
                self.body = Some(bytes);
                self.content_type = Some(value);
            }
            Err(_) => self.fail(format!(
                "the media type {content_type:?} is not a valid Content-Type header value"
            )),
        }
    }

    /// Overrides the client's timeout and retry settings for this request only; fields set
    /// in `options` win over the client's (see [`RequestOptions`]).
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = self.options.overridden_by(&options);
        self
    }

    /// Sends the request and decodes a 2xx JSON response body as `T`.
    ///
    /// Failed attempts are retried as the [`RetryPolicy`](crate::RetryPolicy) in force says;
    /// the error is the last attempt's.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidRequest`] for a problem found while building,
    /// [`ErrorKind::Transport`] when sending or receiving fails,
    /// [`ErrorKind::Status`] for a non-2xx status, [`ErrorKind::BodyTooLarge`] when the body
    /// exceeds the client's limit, [`ErrorKind::Decode`] when the body is not a `T`.
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.send_json_typed::<T, Untyped>().await
    }

    /// As [`send_json`](Request::send_json), also returning the status and headers.
    ///
    /// # Errors
    ///
    /// As [`send_json`](Request::send_json).
    pub async fn send_json_with_response<T: DeserializeOwned>(
        self,
    ) -> Result<ApiResponse<T>, Error> {
        self.send_json_typed_with_response::<T, Untyped>().await
    }

    /// As [`send_json`](Request::send_json), decoding the body of a final non-2xx answer with
    /// `E` into [`Error::typed`].
    ///
    /// # Errors
    ///
    /// As [`send_json`](Request::send_json).
    pub async fn send_json_typed<T: DeserializeOwned, E: ErrorBody>(self) -> Result<T, Error<E>> {
        self.send_json_typed_with_response::<T, E>()
            .await
            .map(ApiResponse::into_value)
    }

    /// As [`send_json_typed`](Request::send_json_typed), also returning the status and
    /// headers.
    ///
    /// # Errors
    ///
    /// As [`send_json`](Request::send_json).
    pub async fn send_json_typed_with_response<T: DeserializeOwned, E: ErrorBody>(
        self,
    ) -> Result<ApiResponse<T>, Error<E>> {
        json_answer(self.exchange(Read::Body).await)
    }

    /// Sends the request and accepts any 2xx response, ignoring its body.
    ///
    /// # Errors
    ///
    /// As [`send_json`](Request::send_json), except that the body of a 2xx response is never
    /// decoded (nor limited: at most `max_response_bytes` of it are read and dropped).
    pub async fn send_empty(self) -> Result<(), Error> {
        self.send_empty_typed::<Untyped>().await
    }

    /// As [`send_empty`](Request::send_empty), also returning the status and headers.
    ///
    /// # Errors
    ///
    /// As [`send_empty`](Request::send_empty).
    pub async fn send_empty_with_response(self) -> Result<ApiResponse<()>, Error> {
        self.send_empty_typed_with_response::<Untyped>().await
    }

    /// As [`send_empty`](Request::send_empty), decoding the body of a final non-2xx answer
    /// with `E` into [`Error::typed`].
    ///
    /// # Errors
    ///
    /// As [`send_empty`](Request::send_empty).
    pub async fn send_empty_typed<E: ErrorBody>(self) -> Result<(), Error<E>> {
        self.send_empty_typed_with_response::<E>()
            .await
            .map(ApiResponse::into_value)
    }

    /// As [`send_empty_typed`](Request::send_empty_typed), also returning the status and
    /// headers.
    ///
    /// # Errors
    ///
    /// As [`send_empty`](Request::send_empty).
    pub async fn send_empty_typed_with_response<E: ErrorBody>(
        self,
    ) -> Result<ApiResponse<()>, Error<E>> {
        empty_answer(self.exchange(Read::Drain).await)
    }

    /// Sends the request and decodes a 2xx answer by its status with `T` (an operation that
    /// documents several success answers with different bodies).
    ///
    /// # Errors
    ///
    /// As [`send_json`](Request::send_json); a 2xx status that `T` does not describe is an
    /// [`ErrorKind::Status`] error that keeps the status, headers and body (its `typed` body
    /// is what `E` makes of it, e.g. the operation's `default` answer).
    pub async fn send_by_status<T: SuccessBody, E: ErrorBody>(self) -> Result<T, Error<E>> {
        self.send_by_status_with_response::<T, E>()
            .await
            .map(ApiResponse::into_value)
    }

    /// As [`send_by_status`](Request::send_by_status), also returning the status and headers.
    ///
    /// # Errors
    ///
    /// As [`send_by_status`](Request::send_by_status).
    pub async fn send_by_status_with_response<T: SuccessBody, E: ErrorBody>(
        self,
    ) -> Result<ApiResponse<T>, Error<E>> {
        by_status_answer(self.exchange(Read::Body).await)
    }

    /// Sends the request and reads a 2xx `text/event-stream` response as a stream of events
    /// whose `data` is JSON decoded as `T`, reconnecting with `Last-Event-ID` when the
    /// connection drops; see [`sse`](crate::sse) for every case. Sends
    /// `Accept: text/event-stream` unless [`accept`](Request::accept) set another.
    ///
    /// # Errors
    ///
    /// Items are errors as for [`send_json`](Request::send_json) when connecting fails, and
    /// [`ErrorKind::Decode`] for an event whose `data` is not a `T`.
    pub fn send_events<T: DeserializeOwned + Send + 'a>(
        mut self,
    ) -> crate::sse::EventStream<'a, T> {
        if self.accept.is_none() {
            self.accept = Some(HeaderValue::from_static("text/event-stream"));
        }
        let span = request_span(self.operation);
        let core = self.core;
        match self.prepare() {
            Ok(prepared) => crate::sse::events(core, prepared, span),
            Err(err) => Box::pin(futures_util::stream::once(std::future::ready(Err(err)))),
        }
    }

    /// Sends the request and returns a 2xx response body as text (invalid UTF-8 replaced).
    ///
    /// # Errors
    ///
    /// As [`send_empty`](Request::send_empty), plus [`ErrorKind::BodyTooLarge`].
    pub async fn send_text(self) -> Result<String, Error> {
        self.send_text_typed::<Untyped>().await
    }

    /// As [`send_text`](Request::send_text), also returning the status and headers.
    ///
    /// # Errors
    ///
    /// As [`send_text`](Request::send_text).
    pub async fn send_text_with_response(self) -> Result<ApiResponse<String>, Error> {
        self.send_text_typed_with_response::<Untyped>().await
    }

    /// Sends the request and returns a 2xx response body as bytes.
    ///
    /// # Errors
    ///
    /// As [`send_empty`](Request::send_empty), plus [`ErrorKind::BodyTooLarge`].
    pub async fn send_bytes(self) -> Result<Vec<u8>, Error> {
        self.send_bytes_typed::<Untyped>().await
    }

    /// As [`send_bytes`](Request::send_bytes), also returning the status and headers.
    ///
    /// # Errors
    ///
    /// As [`send_bytes`](Request::send_bytes).
    pub async fn send_bytes_with_response(self) -> Result<ApiResponse<Vec<u8>>, Error> {
        self.send_bytes_typed_with_response::<Untyped>().await
    }

    /// As [`send_text`](Request::send_text), decoding the body of a final non-2xx answer
    /// with `E` into [`Error::typed`].
    ///
    /// # Errors
    ///
    /// As [`send_text`](Request::send_text).
    pub async fn send_text_typed<E: ErrorBody>(self) -> Result<String, Error<E>> {
        self.send_text_typed_with_response::<E>()
            .await
            .map(ApiResponse::into_value)
    }

    /// As [`send_text_typed`](Request::send_text_typed), also returning the status and
    /// headers.
    ///
    /// # Errors
    ///
    /// As [`send_text`](Request::send_text).
    pub async fn send_text_typed_with_response<E: ErrorBody>(
        self,
    ) -> Result<ApiResponse<String>, Error<E>> {
        text_answer(self.exchange(Read::Body).await)
    }

    /// As [`send_bytes`](Request::send_bytes), decoding the body of a final non-2xx answer
    /// with `E` into [`Error::typed`].
    ///
    /// # Errors
    ///
    /// As [`send_bytes`](Request::send_bytes).
    pub async fn send_bytes_typed<E: ErrorBody>(self) -> Result<Vec<u8>, Error<E>> {
        self.send_bytes_typed_with_response::<E>()
            .await
            .map(ApiResponse::into_value)
    }

    /// As [`send_bytes_typed`](Request::send_bytes_typed), also returning the status and
    /// headers.
    ///
    /// # Errors
    ///
    /// As [`send_bytes`](Request::send_bytes).
    pub async fn send_bytes_typed_with_response<E: ErrorBody>(
        self,
    ) -> Result<ApiResponse<Vec<u8>>, Error<E>> {
        bytes_answer(self.exchange(Read::Body).await)
    }

    /// Everything a call does before the answer's and the error's types matter: building,
    /// sending with retries, reading (or draining) a 2xx body, inside the call's span.
    ///
    /// It is not generic, and boxed, so it is compiled once here for every operation of every
    /// generated crate; what is generic (decoding the body as `T`, a non-2xx body as `E`) is
    /// a plain function run on its result (see [`Exchanged`]).
    pub(crate) fn exchange(self, read: Read) -> BoxFuture<'a, Exchanged> {
        Box::pin(async move {
            let span = request_span(self.operation);
            let started = Instant::now();
            let result = self.exchange_in(read, &span).instrument(span.clone()).await;
            Exchanged {
                span,
                started,
                result,
            }
        })
    }

    async fn exchange_in(self, read: Read, span: &Span) -> Result<Answer, Fault> {
        let core = self.core;
        let operation = self.operation;
        let limit = core.max_response_bytes();
        let prepared = self.prepare()?;
        let mut response = dispatch(core, &prepared, span).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = match read {
            Read::Body => read_bounded(&mut response, limit)
                .await
                .map_err(|e| e.into_error(operation, status, limit).at(&prepared.url))?,
            Read::Drain => {
                // Drain (boundedly) so the connection can be reused; the body does not matter.
                let mut seen = 0usize;
                while let Ok(Some(chunk)) = response.chunk().await {
                    seen = seen.saturating_add(chunk.len());
                    if seen > limit {
                        break;
                    }
                }
                Vec::new()
            }
        };
        Ok(Answer {
            operation,
            url: prepared.url,
            status,
            headers,
            body,
        })
    }

    /// Checks what was built and assembles URL, headers and body; nothing is sent yet.
    fn prepare(self) -> Result<Prepared, Error> {
        let operation = self.operation;
        if let Some(message) = self.problem {
            return Err(Error::new(operation, ErrorKind::InvalidRequest(message)));
        }
        let core = self.core;
        core.warn_if_prefix_repeated(operation.path);
        let url = build_url(core, &self.path, &self.query)
            .map_err(|message| Error::new(operation, ErrorKind::InvalidRequest(message)))?;

        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT,
            self.accept
                .unwrap_or(HeaderValue::from_static("application/json")),
        );
        headers.insert(USER_AGENT, core.user_agent().clone());
        // Replaces defaults of the same name, keeps repeated values of one name.
        headers.extend(self.headers);
        if let (Some(_), Some(content_type)) = (&self.body, self.content_type) {
            headers.insert(CONTENT_TYPE, content_type);
        }
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            match HeaderValue::from_str(&cookie.join("; ")) {
                Ok(value) => {
                    headers.insert(reqwest::header::COOKIE, value);
                }
                Err(_) => {
                    return Err(Error::new(
                        operation,
                        ErrorKind::InvalidRequest(
                            "a cookie value has characters not allowed in a header".to_owned(),
                        ),
                    ))
                }
            }
        }
        // Each credential header replaces a parameter of the same name: the client's
        // credential is the only value of its header.
        for (name, value) in &core.credentials().headers {
            headers.insert(name.clone(), value.clone());
        }
        Ok(Prepared {
            operation,
            url,
            headers,
            body: self.body,
            options: self.options,
        })
    }
}

/// The span of one logical request. Only the operation's static description goes in: never
/// the real path, query, headers or body, which may carry credentials or personal data.
fn request_span(operation: &'static Operation) -> Span {
    tracing::info_span!(
        "forge.request",
        operation = operation.id,
        method = %operation.method,
        path = operation.path,
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        error = tracing::field::Empty,
    )
}

/// Records the call's duration and, for a failure, its kind on `span`.
fn record_outcome(span: &Span, started: Instant, error: Option<&'static str>) {
    span.record("duration_ms", millis(started.elapsed()));
    if let Some(kind) = error {
        span.record("error", kind);
    }
}

/// What [`Request::exchange`] does with a 2xx answer's body.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Read {
    /// Reads it whole, up to the client's `max_response_bytes`.
    Body,
    /// Reads and drops it (boundedly), so the connection can be reused.
    Drain,
}

/// A 2xx answer: its status, headers and body (empty when drained).
pub(crate) struct Answer {
    operation: &'static Operation,
    url: Url,
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    /// The answer carrying `value` for its body.
    fn into_response<T>(self, value: T) -> ApiResponse<T> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            value,
        }
    }

    /// The [`ErrorKind::Decode`] error for a body that is not what the operation expects.
    fn undecodable<E: ErrorBody>(&self, source: serde_json::Error) -> Error<E> {
        Error::new(
            self.operation,
            ErrorKind::Decode {
                status: self.status,
                body_excerpt: excerpt(&String::from_utf8_lossy(&self.body), EXCERPT_CHARS),
                source,
            },
        )
        .at(&self.url)
        .with_typed(None)
    }
}

/// What [`Request::exchange`] ends with: the answer or the failure, and the call's span on
/// which the outcome is recorded once the body is decoded.
pub(crate) struct Exchanged {
    span: Span,
    started: Instant,
    result: Result<Answer, Fault>,
}

impl Exchanged {
    /// Ends the call with what `decode` makes of a 2xx answer (a failure's non-2xx body is
    /// decoded with `E`), recording the duration and any error on the span.
    fn finish<T, E: ErrorBody>(
        self,
        decode: impl FnOnce(Answer) -> Result<ApiResponse<T>, Error<E>>,
    ) -> Result<ApiResponse<T>, Error<E>> {
        let result = match self.result {
            Ok(answer) => decode(answer),
            Err(fault) => Err(fault.into_error()),
        };
        let error = result.as_ref().err().map(Error::kind_name);
        record_outcome(&self.span, self.started, error);
        result
    }
}

/// A 2xx JSON body decoded as `T`.
pub(crate) fn json_answer<T: DeserializeOwned, E: ErrorBody>(
    exchanged: Exchanged,
) -> Result<ApiResponse<T>, Error<E>> {
    exchanged.finish(|answer| match serde_json::from_slice(&answer.body) {
        Ok(value) => Ok(answer.into_response(value)),
        Err(source) => Err(answer.undecodable(source)),
    })
}

/// A 2xx body decoded by its status with `T`; a 2xx status `T` does not describe is an
/// [`ErrorKind::Status`] error.
pub(crate) fn by_status_answer<T: SuccessBody, E: ErrorBody>(
    exchanged: Exchanged,
) -> Result<ApiResponse<T>, Error<E>> {
    exchanged.finish(|answer| match T::decode(answer.status, &answer.body) {
        Some(Ok(value)) => Ok(answer.into_response(value)),
        Some(Err(source)) => Err(answer.undecodable(source)),
        None => Err(Error::from_status(
            answer.operation,
            answer.status,
            answer.headers,
            &answer.body,
        )
        .at(&answer.url)),
    })
}

/// A 2xx answer whose body was drained.
pub(crate) fn empty_answer<E: ErrorBody>(
    exchanged: Exchanged,
) -> Result<ApiResponse<()>, Error<E>> {
    exchanged.finish(|answer| Ok(answer.into_response(())))
}

/// A 2xx body as bytes.
pub(crate) fn bytes_answer<E: ErrorBody>(
    exchanged: Exchanged,
) -> Result<ApiResponse<Vec<u8>>, Error<E>> {
    exchanged.finish(|mut answer| {
        let body = std::mem::take(&mut answer.body);
        Ok(answer.into_response(body))
    })
}

/// A 2xx body as text, invalid UTF-8 replaced.
pub(crate) fn text_answer<E: ErrorBody>(
    exchanged: Exchanged,
) -> Result<ApiResponse<String>, Error<E>> {
    exchanged.finish(|answer| {
        let text = String::from_utf8_lossy(&answer.body).into_owned();
        Ok(answer.into_response(text))
    })
}

/// `base_url + path`, then the query pairs and the API-key-in-query credentials.
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
    // The pairs are percent-encoded already (see `style`), and so are the API keys (see
    // `credentials`).
    let mut pairs: Vec<String> = query
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    pairs.extend(
        core.credentials()
            .query
            .iter()
            .map(|pair| pair.expose().to_owned()),
    );
    if !pairs.is_empty() {
        // A literal query in the path template (rare) comes first.
        let query = match url.query() {
            Some(literal) if !literal.is_empty() => format!("{literal}&{}", pairs.join("&")),
            _ => pairs.join("&"),
        };
        url.set_query(Some(&query));
    }
    Ok(url)
}
