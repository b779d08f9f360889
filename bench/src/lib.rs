//! Benchmark tools for exchange-auth-lint: a deterministic synthetic SFDX
//! org ([`gen`]) and a language-server client that measures latency over
//! the protocol ([`lsp`]).

pub mod gen;
pub mod lsp;
