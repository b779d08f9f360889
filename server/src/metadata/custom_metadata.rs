//! Custom metadata records (`customMetadata/Type.Record.md-meta.xml`, root
//! `CustomMetadata`): the `<values>` of a record, each a `<field>` and a
//! `<value xsi:type="xsd:string">…</value>` (or `xsi:nil="true"`).
//!
//! Orgs keep thousands of records, nearly all plain settings (flags,
//! labels, numbers). A byte pre-filter ([`worth_parsing`]) decides which
//! are parsed at all: only a record that mentions a Microsoft host, EWS, a
//! secret-like field, a `Basic` header or a suppression comment can matter
//! to a rule. Unparsed records have an empty tree: no view, no finding, no
//! XML001 (a broken record that mentions nothing of the kind is not the
//! linter's business).

use super::hosts::UrlInfo;
use super::views::{field_of, Field, Root};
use super::MetadataKind;
use crate::source::SourceFile;
use crate::xml::ElementId;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::ops::Range;
use std::sync::OnceLock;

/// What a rule can look for in a record, as bytes (ASCII case ignored),
/// besides [`SECRET_WORDS`]: Exchange Online and Microsoft identity hosts,
/// EWS paths, Basic headers, Entra secrets, suppression comments.
const NEEDLES: &[&str] = &[
    "outlook.",
    "outlook-dod.",
    "office365",
    "microsoftonline",
    "microsoft.",
    "/ews",
    "credential",
    "basic ",
    "q~",
    "exchange-auth-lint",
];

fn matcher() -> &'static AhoCorasick {
    static M: OnceLock<AhoCorasick> = OnceLock::new();
    M.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(NEEDLES.iter().chain(SECRET_WORDS))
            .expect("valid needles")
    })
}

/// Whether a record's bytes may matter to a rule.
pub fn worth_parsing(bytes: &[u8]) -> bool {
    matcher().is_match(bytes)
}

/// `Type.Record` (the file name without `.md`): two API names.
pub fn is_record_name(stem: &str) -> bool {
    let api = |s: &str| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    matches!(stem.split_once('.'), Some((t, r)) if api(t) && api(r))
}

/// One `<values>` entry of a record.
#[derive(Clone, Debug)]
pub struct RecordValue<'a> {
    /// The `<values>` element.
    pub element: ElementId,
    pub field: Option<Field<'a>>,
    /// The `<value>` (absent or `xsi:nil` when the field is empty).
    pub value: Option<Field<'a>>,
}

impl RecordValue<'_> {
    /// The field's API name (`Endpoint__c`), trimmed.
    pub fn field_name(&self) -> &str {
        self.field.as_ref().map_or("", |f| f.value.trim())
    }
}

/// A custom metadata record's typed view.
#[derive(Clone, Copy)]
pub struct CustomMetadataRecord<'a> {
    pub root: Root<'a>,
}

impl<'a> CustomMetadataRecord<'a> {
    pub fn of(file: &'a SourceFile) -> Option<Self> {
        Root::of(file, MetadataKind::CustomMetadata).map(|root| CustomMetadataRecord { root })
    }

    pub fn label(&self) -> Option<Field<'a>> {
        self.root.field("label")
    }

    pub fn values(&self) -> Vec<RecordValue<'a>> {
        let root = self.root;
        root.children("values")
            .map(|id| RecordValue {
                element: id,
                field: field_of(root.file, root.tree, id, "field"),
                value: field_of(root.file, root.tree, id, "value"),
            })
            .collect()
    }

    /// The values that parse as URLs, with what their host is.
    pub fn urls(&self) -> Vec<(RecordValue<'a>, Range<usize>, UrlInfo)> {
        self.values()
            .into_iter()
            .filter_map(|v| {
                let value = v.value.as_ref()?;
                let info = UrlInfo::parse(value.value.trim())?;
                let range = value.range.clone();
                Some((v, range, info))
            })
            .collect()
    }
}

/// What a secret field's name contains.
const SECRET_WORDS: &[&str] = &[
    "secret",
    "passw",
    "pwd",
    "token",
    "apikey",
    "api_key",
    "privatekey",
    "private_key",
];

/// A field whose name says it holds a secret (`Client_Secret__c`,
/// `Password__c`, `Api_Key__c`, `Refresh_Token__c`), not one that only
/// talks about one (`Token_Endpoint__c`, `Secret_Name__c`,
/// `Password_Expiry_Days__c`).
pub fn is_secret_field(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let n = n.strip_suffix("__c").unwrap_or(&n);
    let secret = SECRET_WORDS.iter().any(|s| n.contains(s));
    let about = [
        "url", "uri", "endpoint", "host", "expir", "ttl", "length", "type", "name", "label",
        "header", "policy", "date", "count", "enabled", "required", "path",
    ]
    .iter()
    .any(|s| n.contains(s));
    secret && !about
}

/// The values of a record that hold secrets: a secret-like field with a
/// value that is not a URL, flag or number, or an Entra ID client secret
/// in any field. (Placeholders are told apart by `secret::classify`.)
pub fn secret_values(file: &SourceFile) -> Vec<Field<'_>> {
    let Some(record) = CustomMetadataRecord::of(file) else {
        return Vec::new();
    };
    record
        .values()
        .into_iter()
        .filter_map(|v| {
            let secret_name = is_secret_field(v.field_name());
            let value = v.value?;
            let by_name = secret_name && !is_plain_value(&value.value);
            let entra = !crate::apex::scan::entra_secrets(&value.value).is_empty();
            (by_name || entra).then_some(value)
        })
        .collect()
}

/// A value that cannot be a secret whatever its field: a URL, a boolean,
/// a number.
pub fn is_plain_value(value: &str) -> bool {
    let v = value.trim();
    v.contains("://")
        || v.eq_ignore_ascii_case("true")
        || v.eq_ignore_ascii_case("false")
        || v.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_names() {
        assert!(is_record_name("Exchange_Config.Default"));
        assert!(!is_record_name("README"));
        assert!(!is_record_name("release-notes.v2"));
        assert!(!is_record_name("a.b.c"));
    }

    #[test]
    fn secret_fields_by_name() {
        for yes in [
            "Client_Secret__c",
            "Password__c",
            "Api_Key__c",
            "Refresh_Token__c",
            "SMTP_Pwd__c",
        ] {
            assert!(is_secret_field(yes), "{yes}");
        }
        for no in [
            "Token_Endpoint__c",
            "Secret_Name__c",
            "Password_Expiry_Days__c",
            "Host__c",
            "Mailbox__c",
        ] {
            assert!(!is_secret_field(no), "{no}");
        }
    }

    #[test]
    fn every_secret_word_passes_the_prefilter() {
        for w in SECRET_WORDS {
            assert!(worth_parsing(w.as_bytes()), "{w}");
        }
    }

    #[test]
    fn prefilter() {
        assert!(worth_parsing(
            b"<value>https://outlook.office365.com/EWS/Exchange.asmx</value>"
        ));
        assert!(worth_parsing(b"<field>Client_Secret__c</field>"));
        assert!(!worth_parsing(
            b"<field>Rate__c</field><value xsi:type=\"xsd:double\">1.1</value>"
        ));
    }
}
