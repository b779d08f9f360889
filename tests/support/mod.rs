//! File-system helpers and small projects shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::Path;

/// Copies a fixture tree (files and folders) so a test can change it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A legacy named credential that sends a password to Exchange Online,
/// without the password itself (a hunk with a masked secret never
/// applies): `label` as written (entities included), `root_attributes`
/// after the namespace, every line ended by `eol`.
pub fn basic_auth_credential(label: &str, root_attributes: &str, eol: &str) -> String {
    [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        &format!(
            "<NamedCredential xmlns=\"http://soap.sforce.com/2006/04/metadata\"{root_attributes}>"
        ),
        "    <endpoint>https://outlook.office365.com/EWS/Exchange.asmx</endpoint>",
        &format!("    <label>{label}</label>"),
        "    <principalType>NamedUser</principalType>",
        "    <protocol>Password</protocol>",
        "    <username>svc@contoso.com</username>",
        "</NamedCredential>",
        "",
    ]
    .join(eol)
}
