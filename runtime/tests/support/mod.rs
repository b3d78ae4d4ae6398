//! Setup shared by the runtime's integration tests: the operations they call, clients with
//! retries off, and a loopback port nobody listens on.
//!
//! Each test file is its own crate and uses only some of these, hence the `dead_code` allow.
#![allow(dead_code)]

use std::time::Duration;

use forge_runtime::{ClientCore, ClientCoreBuilder, Method, Operation, RetryPolicy};

/// `GET /things/{id}`.
pub const GET_THING: Operation = Operation {
    id: "getThing",
    method: Method::GET,
    path: "/things/{id}",
};

/// `POST /things`.
pub const CREATE_THING: Operation = Operation {
    id: "createThing",
    method: Method::POST,
    path: "/things",
};

/// A client for `base` that tries each request once and gives up after 5 s.
pub fn core(base: &str) -> ClientCore {
    ClientCoreBuilder::new(base)
        .retry(RetryPolicy::disabled())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client builds")
}

/// A loopback port on which nothing listens (bound, then released), so connecting to it
/// is refused.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}
