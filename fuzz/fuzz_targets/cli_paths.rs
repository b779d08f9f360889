//! Any text as a package directory or a file name: normalisation never
//! panics, is idempotent and never leaves the project; a path made
//! printable holds no control character, no line break and no
//! bidirectional override, and says the same for the same input.
#![no_main]

use exchange_auth_lint::project::config::normalize_package_dir;
use exchange_auth_lint::report::{printable, shown_path};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(dir) = normalize_package_dir(&text) {
        assert_eq!(normalize_package_dir(&dir).as_deref(), Ok(dir.as_str()));
        assert!(!dir.starts_with('/') && !dir.split('/').any(|p| p == ".." || p.is_empty()));
        assert!(Path::new("/p").join(&dir).starts_with("/p"));
    }
    let shown = printable(&text);
    assert!(!shown.chars().any(|c| c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')));
    // Nothing printable is changed.
    if !text.chars().any(|c| c.is_control() || ('\u{2028}'..='\u{2069}').contains(&c)) {
        assert_eq!(shown, text);
    }
    let path = Path::new("/cwd").join(&*text);
    assert!(!shown_path(Path::new("/cwd"), &path).contains('\n'));
});
