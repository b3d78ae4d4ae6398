//! Shared helpers live in the test files; this library is intentionally empty.
