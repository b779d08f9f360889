//! The span-tree parser and the line table on any text: no panic, every
//! range in bounds and on character boundaries, elements nested, values
//! inside their element, line/column conversions round-trip.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/invariants.rs"]
#[allow(dead_code)]
mod invariants;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    invariants::assert_tree_invariants(&text);
    invariants::assert_line_index_round_trips(&text);
});
