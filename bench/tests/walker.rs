//! The walker decides by file name before it matches ignore rules; the
//! ignore rules must still apply to the files it reads and to folders.

use exchange_auth_lint::project::{find_root, LoadOptions, Project};
use std::fs;

#[test]
fn forceignore_still_applies_to_candidates_and_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("sfdx-project.json"),
        r#"{"packageDirectories":[{"path":"force-app","default":true}]}"#,
    )
    .unwrap();
    fs::write(
        root.join(".forceignore"),
        "**/Ignored.remoteSite-meta.xml\nforce-app/skipped/\n",
    )
    .unwrap();
    let rs = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<RemoteSiteSetting xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <disableProtocolSecurity>false</disableProtocolSecurity>\n    <isActive>true</isActive>\n    <url>https://example.com</url>\n</RemoteSiteSetting>\n";
    let sites = root.join("force-app/main/default/remoteSiteSettings");
    fs::create_dir_all(&sites).unwrap();
    fs::create_dir_all(root.join("force-app/skipped")).unwrap();
    fs::create_dir_all(root.join("force-app/.hidden")).unwrap();
    fs::write(sites.join("Kept.remoteSite-meta.xml"), rs).unwrap();
    fs::write(sites.join("Ignored.remoteSite-meta.xml"), rs).unwrap();
    fs::write(sites.join("Old.remoteSite-meta.xml.dup"), rs).unwrap();
    fs::write(sites.join("Helper.cls"), "public class Helper {}").unwrap();
    fs::write(root.join("force-app/skipped/Gone.remoteSite-meta.xml"), rs).unwrap();
    fs::write(root.join("force-app/.hidden/Dot.remoteSite-meta.xml"), rs).unwrap();

    let (root, manifest) = find_root(root);
    let project = Project::load(&root, manifest, &LoadOptions::default());
    let loaded: Vec<&str> = project.files.iter().map(|f| f.rel_path.as_str()).collect();
    // Apex classes are read too (wherever they are).
    assert_eq!(
        loaded,
        [
            "force-app/main/default/remoteSiteSettings/Helper.cls",
            "force-app/main/default/remoteSiteSettings/Kept.remoteSite-meta.xml"
        ]
    );
}
