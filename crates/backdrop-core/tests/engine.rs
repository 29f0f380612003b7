//! The core's integration tests that need no process of their own, in one test binary:
//! each test file was a binary before, and each linked all of tract (a few seconds and
//! hundreds of megabytes apiece). `cargo test -p backdrop-core --test engine golden::`
//! runs one file's tests.

mod common;

mod bad_input;
mod compositing;
mod golden;
mod layout;
mod model_fidelity;
mod people;
mod processor_api;
mod refinement;
mod sizes;
mod temporal;
