//! Setup shared by the workspace tests in `tests/tests/`: the fixture specs and how each is
//! generated ([`fixture`]), and the checked-in snapshots they are compared with
//! ([`snapshot`]). Test files import these instead of keeping their own copies, so a fixture
//! is generated the same way by every test that reads it.

pub mod fixture;
pub mod snapshot;
