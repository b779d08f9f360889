//! Any bytes as each metadata type, every rule over them, the reports
//! written; and the same bytes as `sfdx-project.json`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/invariants.rs"]
#[allow(dead_code)]
mod invariants;

fuzz_target!(|data: &[u8]| {
    invariants::check_in_memory(data);
    let _ = exchange_auth_lint::project::config::parse_manifest(&String::from_utf8_lossy(data));
});
