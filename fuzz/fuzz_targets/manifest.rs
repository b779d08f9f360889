//! Any bytes as `sfdx-project.json`: parsing never panics, every error's
//! range is in bounds and on character boundaries, and every package
//! directory read is normalised and inside the project.
#![no_main]

use exchange_auth_lint::project::config::{normalize_package_dir, parse_manifest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (manifest, errors) = parse_manifest(&text);
    for e in &errors {
        assert!(e.range.start <= e.range.end && e.range.end <= text.len(), "{e:?}");
        assert!(text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
        assert!(!e.message.contains('\n'), "{e:?}");
    }
    for dir in &manifest.package_dirs {
        assert_eq!(normalize_package_dir(dir).as_deref(), Ok(dir.as_str()), "{dir:?}");
        assert!(!dir.starts_with('/') && !dir.split('/').any(|p| p == ".."), "{dir:?}");
    }
});
