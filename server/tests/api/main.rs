//! HTTP-level tests: each starts the real router on a free port with a fresh database, on SQLite
//! and on PostgreSQL, and talks to it like a browser or another client would.

#![allow(clippy::unwrap_used)]

mod helpers;

mod accounts;
mod architecture;
mod certificates;
mod courses;
mod demo;
mod feed;
mod page_cache;
mod profiles;
mod quizzes;
mod security;
mod security_http;
mod shell;
mod staff;
mod video;
