//! The sending methods of [`Request`] as [`BoxFuture`]s: what generated request builders
//! return from `send` and `send_with_response` (and so what awaiting one gives).
//!
//! Each is the one non-generic, boxed [`Request::exchange`] (build, send, retry, read: compiled
//! once, here) followed by a plain function that decodes the answer as `T` and a non-2xx body
//! as `E`. A generated crate so compiles no `async` body per operation: per answer type it
//! gets only that small decoding step and the adapter that runs it, and the futures are
//! proven `Send` once, when this crate compiles.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use serde::de::DeserializeOwned;

use crate::request::{
    by_status_answer, bytes_answer, empty_answer, json_answer, text_answer, Exchanged, Read,
};
use crate::{ApiResponse, BoxFuture, Error, ErrorBody, Request, SuccessBody};

type Boxed<'a, T, E> = BoxFuture<'a, Result<T, Error<E>>>;
type BoxedResponse<'a, T, E> = BoxFuture<'a, Result<ApiResponse<T>, Error<E>>>;

/// The exchange's future, then `decode` on what it ends with. Both fields are `Unpin`, so
/// there is nothing to project: per answer type this is one short `poll`.
struct Decoding<'a, F> {
    exchange: BoxFuture<'a, Exchanged>,
    decode: Option<F>,
}

impl<'a, F> Decoding<'a, F> {
    fn new(request: Request<'a>, read: Read, decode: F) -> Self {
        Decoding {
            exchange: request.exchange(read),
            decode: Some(decode),
        }
    }
}

impl<F, R> Future for Decoding<'_, F>
where
    F: FnOnce(Exchanged) -> R + Unpin,
{
    type Output = R;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<R> {
        let this = &mut *self;
        let exchanged = ready!(this.exchange.as_mut().poll(cx));
        match this.decode.take() {
            Some(decode) => Poll::Ready(decode(exchanged)),
            None => panic!("a request future was polled after it completed"),
        }
    }
}

impl<'a> Request<'a> {
    /// [`send_json_typed`](Request::send_json_typed), boxed.
    pub fn boxed_json<T, E>(self) -> Boxed<'a, T, E>
    where
        T: DeserializeOwned + Send + 'a,
        E: ErrorBody + Send + 'a,
    {
        Box::pin(Decoding::new(self, Read::Body, |exchanged| {
            json_answer(exchanged).map(ApiResponse::into_value)
        }))
    }

    /// [`send_json_typed_with_response`](Request::send_json_typed_with_response), boxed.
    pub fn boxed_json_with_response<T, E>(self) -> BoxedResponse<'a, T, E>
    where
        T: DeserializeOwned + Send + 'a,
        E: ErrorBody + Send + 'a,
    {
        Box::pin(Decoding::new(self, Read::Body, json_answer))
    }

    /// [`send_empty_typed`](Request::send_empty_typed), boxed.
    pub fn boxed_empty<E: ErrorBody + Send + 'a>(self) -> Boxed<'a, (), E> {
        Box::pin(Decoding::new(self, Read::Drain, |exchanged| {
            empty_answer(exchanged).map(ApiResponse::into_value)
        }))
    }

    /// [`send_empty_typed_with_response`](Request::send_empty_typed_with_response), boxed.
    pub fn boxed_empty_with_response<E: ErrorBody + Send + 'a>(self) -> BoxedResponse<'a, (), E> {
        Box::pin(Decoding::new(self, Read::Drain, empty_answer))
    }

    /// [`send_text_typed`](Request::send_text_typed), boxed.
    pub fn boxed_text<E: ErrorBody + Send + 'a>(self) -> Boxed<'a, String, E> {
        Box::pin(Decoding::new(self, Read::Body, |exchanged| {
            text_answer(exchanged).map(ApiResponse::into_value)
        }))
    }

    /// [`send_text_typed_with_response`](Request::send_text_typed_with_response), boxed.
    pub fn boxed_text_with_response<E: ErrorBody + Send + 'a>(
        self,
    ) -> BoxedResponse<'a, String, E> {
        Box::pin(Decoding::new(self, Read::Body, text_answer))
    }

    /// [`send_bytes_typed`](Request::send_bytes_typed), boxed.
    pub fn boxed_bytes<E: ErrorBody + Send + 'a>(self) -> Boxed<'a, Vec<u8>, E> {
        Box::pin(Decoding::new(self, Read::Body, |exchanged| {
            bytes_answer(exchanged).map(ApiResponse::into_value)
        }))
    }

    /// [`send_bytes_typed_with_response`](Request::send_bytes_typed_with_response), boxed.
    pub fn boxed_bytes_with_response<E: ErrorBody + Send + 'a>(
        self,
    ) -> BoxedResponse<'a, Vec<u8>, E> {
        Box::pin(Decoding::new(self, Read::Body, bytes_answer))
    }

    /// [`send_by_status`](Request::send_by_status), boxed.
    pub fn boxed_by_status<T, E>(self) -> Boxed<'a, T, E>
    where
        T: SuccessBody + Send + 'a,
        E: ErrorBody + Send + 'a,
    {
        Box::pin(Decoding::new(self, Read::Body, |exchanged| {
            by_status_answer(exchanged).map(ApiResponse::into_value)
        }))
    }

    /// [`send_by_status_with_response`](Request::send_by_status_with_response), boxed.
    pub fn boxed_by_status_with_response<T, E>(self) -> BoxedResponse<'a, T, E>
    where
        T: SuccessBody + Send + 'a,
        E: ErrorBody + Send + 'a,
    {
        Box::pin(Decoding::new(self, Read::Body, by_status_answer))
    }
}
