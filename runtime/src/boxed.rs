//! The sending methods of [`Request`] as [`BoxFuture`]s: what generated request builders
//! return from `send` and `send_with_response` (and so what awaiting one gives).
//!
//! Each is generic over the answer's type and boxes the runtime's own `async` method here,
//! once: that the future is `Send` is proven for every `T` when this crate compiles, so a
//! generated crate neither compiles an `async` body per operation nor re-proves `Send` for
//! the runtime's futures at every call site (a cost of its own `cargo check`).

use serde::de::DeserializeOwned;

use crate::{ApiResponse, BoxFuture, Error, ErrorBody, Request, SuccessBody};

type Boxed<'a, T, E> = BoxFuture<'a, Result<T, Error<E>>>;
type BoxedResponse<'a, T, E> = BoxFuture<'a, Result<ApiResponse<T>, Error<E>>>;

impl<'a> Request<'a> {
    /// [`send_json_typed`](Request::send_json_typed), boxed.
    pub fn boxed_json<T, E>(self) -> Boxed<'a, T, E>
    where
        T: DeserializeOwned + Send + 'a,
        E: ErrorBody + Send + 'a,
    {
        Box::pin(self.send_json_typed::<T, E>())
    }

    /// [`send_json_typed_with_response`](Request::send_json_typed_with_response), boxed.
    pub fn boxed_json_with_response<T, E>(self) -> BoxedResponse<'a, T, E>
    where
        T: DeserializeOwned + Send + 'a,
        E: ErrorBody + Send + 'a,
    {
        Box::pin(self.send_json_typed_with_response::<T, E>())
    }

    /// [`send_empty_typed`](Request::send_empty_typed), boxed.
    pub fn boxed_empty<E: ErrorBody + Send + 'a>(self) -> Boxed<'a, (), E> {
        Box::pin(self.send_empty_typed::<E>())
    }

    /// [`send_empty_typed_with_response`](Request::send_empty_typed_with_response), boxed.
    pub fn boxed_empty_with_response<E: ErrorBody + Send + 'a>(self) -> BoxedResponse<'a, (), E> {
        Box::pin(self.send_empty_typed_with_response::<E>())
    }

    /// [`send_text_typed`](Request::send_text_typed), boxed.
    pub fn boxed_text<E: ErrorBody + Send + 'a>(self) -> Boxed<'a, String, E> {
        Box::pin(self.send_text_typed::<E>())
    }

    /// [`send_text_typed_with_response`](Request::send_text_typed_with_response), boxed.
    pub fn boxed_text_with_response<E: ErrorBody + Send + 'a>(
        self,
    ) -> BoxedResponse<'a, String, E> {
        Box::pin(self.send_text_typed_with_response::<E>())
    }

    /// [`send_bytes_typed`](Request::send_bytes_typed), boxed.
    pub fn boxed_bytes<E: ErrorBody + Send + 'a>(self) -> Boxed<'a, Vec<u8>, E> {
        Box::pin(self.send_bytes_typed::<E>())
    }

    /// [`send_bytes_typed_with_response`](Request::send_bytes_typed_with_response), boxed.
    pub fn boxed_bytes_with_response<E: ErrorBody + Send + 'a>(
        self,
    ) -> BoxedResponse<'a, Vec<u8>, E> {
        Box::pin(self.send_bytes_typed_with_response::<E>())
    }

    /// [`send_by_status`](Request::send_by_status), boxed.
    pub fn boxed_by_status<T, E>(self) -> Boxed<'a, T, E>
    where
        T: SuccessBody + Send + 'a,
        E: ErrorBody + Send + 'a,
    {
        Box::pin(self.send_by_status::<T, E>())
    }

    /// [`send_by_status_with_response`](Request::send_by_status_with_response), boxed.
    pub fn boxed_by_status_with_response<T, E>(self) -> BoxedResponse<'a, T, E>
    where
        T: SuccessBody + Send + 'a,
        E: ErrorBody + Send + 'a,
    {
        Box::pin(self.send_by_status_with_response::<T, E>())
    }
}
