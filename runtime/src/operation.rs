//! [`Operation`]: the static description of one endpoint that generated code emits as a
//! `const`. It is the bottom of the module graph: errors, the executor and requests all name
//! an operation, and it names none of them.

use crate::Method;

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
