//! [`ApiResponse`]: a decoded body together with the status and headers it came with.

use crate::{HeaderMap, StatusCode};

/// A successful (2xx) response: the decoded body plus the status and headers, for callers
/// that need more than the body (rate-limit headers, `ETag`, `Location`, ...).
///
/// Returned by [`Request::send_json_with_response`](crate::Request::send_json_with_response)
/// and friends.
#[derive(Clone, Debug)]
pub struct ApiResponse<T> {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub value: T,
}

impl<T> ApiResponse<T> {
    /// The decoded body, dropping status and headers.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The same response with the body transformed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            value: f(self.value),
        }
    }
}

/// The 2xx answers of an operation that documents several, each with its own body (OpenAPI
/// 3.0.3 §4.7.16, Responses Object): a generated enum with one variant per documented status,
/// read by [`Request::send_by_status`](crate::Request::send_by_status).
pub trait SuccessBody: Sized {
    /// Decodes the body of a 2xx answer with `status` (the runtime never passes another): `None`
    /// when the operation documents no answer for `status`, `Some(Err(_))` when the body is not
    /// what the status promises.
    fn decode(status: StatusCode, body: &[u8]) -> Option<Result<Self, serde_json::Error>>;
}

/// What a generated request builder's `send_with_response` returns: the decoded value with
/// the answer's status and headers, or the error.
pub type ApiResult<T, E = crate::Error> = Result<ApiResponse<T>, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_and_into_value() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "etag",
            crate::reqwest::header::HeaderValue::from_static("\"v1\""),
        );
        let response = ApiResponse {
            status: StatusCode::CREATED,
            headers,
            value: 20,
        };
        let mapped = response.clone().map(|v| v * 2);
        assert_eq!(mapped.status, StatusCode::CREATED);
        assert_eq!(mapped.headers["etag"], "\"v1\"");
        assert_eq!(mapped.into_value(), 40);
        assert_eq!(response.into_value(), 20);
    }
}
