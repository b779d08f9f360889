//! Any bytes as each metadata type: every fix offered, applied alone,
//! leaves well-formed files; all preferred fixes applied pass after pass
//! (as `check --fix`) leave well-formed files, and fixing again is a no-op.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/invariants.rs"]
#[allow(dead_code)]
mod invariants;

fuzz_target!(|data: &[u8]| {
    let _ = invariants::fix_in_memory(data);
});
