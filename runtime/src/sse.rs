//! Server-sent events (`text/event-stream`, HTML Living Standard §9.2): a response read as a
//! stream of typed events, reconnecting with `Last-Event-ID` when the connection drops.
//!
//! Parsing the wire format (fields, multi-line `data`, comments, `retry:`) is the
//! `eventsource-stream` crate's; this module owns what happens around it:
//!
//! | situation | what the stream does |
//! |-----------|----------------------|
//! | an event with data | decodes `data` as JSON into `T` and yields it (a `T` that does not decode is an [`ErrorKind::Decode`] item; the stream goes on) |
//! | an event without data (only `id:`, or a comment) | remembers `id`, yields nothing |
//! | the server ends the response | ends |
//! | the connection drops mid-stream | reconnects: waits the last `retry:` (else the retry policy's backoff), resends the request with `Last-Event-ID` set to the last id seen, and goes on |
//! | reconnecting fails, the connection drops `max_attempts` times in a row without an event in between, or the wait would be longer than the policy's `max_retry_after` | yields the error and ends |
//!
//! `retry:` counts when it comes in an event that has data: `eventsource-stream` drops events
//! without data before this module sees them, and their `retry:` with them; their `id:` reaches
//! it with the next event that has data.
//!
//! Each (re)connection is one call through the same machinery as every other request: the
//! rate limiter, the retry policy for the connection itself, and the request timeout, which
//! bounds each connection (when it runs out the stream reconnects as for a drop).

use std::pin::Pin;
use std::time::Duration;

use eventsource_stream::{EventStreamError, Eventsource};
use futures_util::stream::{self, Stream, StreamExt};
use reqwest::header::HeaderValue;
use serde::de::DeserializeOwned;
use tracing::{Instrument, Span};

use crate::core::ClientCore;
use crate::error::{excerpt, Error, ErrorKind, EXCERPT_CHARS};
use crate::exec::{dispatch, Prepared};
use crate::retry::{random, RetryPolicy};
use crate::StatusCode;

/// One server-sent event with its `data` decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent<T> {
    /// The `event:` field; `"message"` when the server sent none.
    pub event: String,
    /// The `id:` field in force for this event (the last one the server sent), if any.
    pub id: Option<String>,
    /// The `data:` lines, joined with `\n` and decoded as JSON.
    pub data: T,
}

/// The stream [`Request::send_events`](crate::Request::send_events) returns: boxed, so its
/// type stays short to name.
pub type EventStream<'a, T> = Pin<Box<dyn Stream<Item = Result<SseEvent<T>, Error>> + Send + 'a>>;

type Raw = Pin<
    Box<
        dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<reqwest::Error>>>
            + Send,
    >,
>;

/// Where a stream is between two items.
struct State<'a> {
    core: &'a ClientCore,
    prepared: Prepared,
    span: Span,
    body: Option<Raw>,
    last_id: Option<String>,
    retry: Option<Duration>,
    /// Drops since the last event; 0 before the first connection.
    drops: u32,
    /// How long to wait before reconnecting after the last drop.
    wait: Duration,
    done: bool,
}

pub(crate) fn events<'a, T>(
    core: &'a ClientCore,
    prepared: Prepared,
    span: Span,
) -> EventStream<'a, T>
where
    T: DeserializeOwned + Send + 'a,
{
    let state = State {
        core,
        prepared,
        span,
        body: None,
        last_id: None,
        retry: None,
        drops: 0,
        wait: Duration::ZERO,
        done: false,
    };
    Box::pin(stream::unfold(state, |mut state| async move {
        let item = next(&mut state).await?;
        Some((item, state))
    }))
}

async fn next<T: DeserializeOwned>(state: &mut State<'_>) -> Option<Result<SseEvent<T>, Error>> {
    let operation = state.prepared.operation;
    loop {
        if state.done {
            return None;
        }
        let body = match state.body.as_mut() {
            Some(body) => body,
            None => match connect(state).await {
                Ok(body) => state.body.insert(body),
                Err(err) => {
                    state.done = true;
                    return Some(Err(err));
                }
            },
        };
        match body.next().await {
            None => {
                state.done = true;
                return None;
            }
            Some(Ok(event)) => {
                if let Some(retry) = event.retry {
                    state.retry = Some(retry);
                }
                if !event.id.is_empty() {
                    state.last_id = Some(event.id.clone());
                }
                if event.data.is_empty() {
                    continue;
                }
                state.drops = 0;
                let decoded = serde_json::from_str::<T>(&event.data).map_err(|source| {
                    Error::new(
                        operation,
                        ErrorKind::Decode {
                            status: StatusCode::OK,
                            body_excerpt: excerpt(&event.data, EXCERPT_CHARS),
                            source,
                        },
                    )
                });
                return Some(decoded.map(|data| SseEvent {
                    event: if event.event.is_empty() {
                        "message".to_owned()
                    } else {
                        event.event
                    },
                    id: state.last_id.clone(),
                    data,
                }));
            }
            Some(Err(EventStreamError::Transport(err))) => {
                state.body = None;
                state.drops = state.drops.saturating_add(1);
                let policy = policy(state);
                let wait = state
                    .retry
                    .unwrap_or_else(|| policy.backoff_for(state.drops, random()));
                if state.drops >= policy.max_attempts_allowed()
                    || wait > policy.max_retry_after_allowed()
                {
                    state.done = true;
                    return Some(Err(Error::transport(operation, err)));
                }
                tracing::debug!(
                    parent: &state.span,
                    drops = state.drops,
                    wait_ms = crate::exec::millis(wait),
                    "event stream dropped, reconnecting"
                );
                state.wait = wait;
            }
            Some(Err(err)) => {
                state.done = true;
                let message = format!("unreadable event stream: {err}");
                let source = <serde_json::Error as serde::de::Error>::custom(message);
                return Some(Err(Error::new(
                    operation,
                    ErrorKind::Decode {
                        status: StatusCode::OK,
                        body_excerpt: String::new(),
                        source,
                    },
                )));
            }
        }
    }
}

fn policy<'s>(state: &'s State<'_>) -> &'s RetryPolicy {
    state
        .prepared
        .options
        .retry
        .as_ref()
        .unwrap_or(state.core.retry_policy())
}

/// Opens (or reopens, after the wait) the response and starts parsing it.
async fn connect(state: &mut State<'_>) -> Result<Raw, Error> {
    if state.drops > 0 {
        tokio::time::sleep(state.wait).await;
    }
    if let Some(id) = &state.last_id {
        if let Ok(value) = HeaderValue::from_str(id) {
            state.prepared.headers.insert("last-event-id", value);
        }
    }
    let response = dispatch(state.core, &state.prepared, &state.span)
        .instrument(state.span.clone())
        .await
        .map_err(|fault| fault.error)?;
    let chunks = stream::unfold(response, |mut response| async move {
        match response.chunk().await {
            Ok(Some(chunk)) => Some((Ok(chunk), response)),
            Ok(None) => None,
            Err(err) => Some((Err(err), response)),
        }
    });
    Ok(Box::pin(chunks.eventsource()))
}
