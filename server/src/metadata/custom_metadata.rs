//! Custom metadata records (`customMetadata/Type.Record.md-meta.xml`, root
//! `CustomMetadata`): the `<values>` of a record, each a `<field>` and a
//! `<value xsi:type="xsd:string">…</value>` (or `xsi:nil="true"`).
//!
//! Orgs keep thousands of records, nearly all plain settings (flags,
//! labels, numbers). A byte pre-filter (`metadata::record_worth_parsing`) decides which
//! are parsed at all: only a record that mentions a Microsoft host, EWS, a
//! secret-like field, a `Basic` header or a suppression comment can matter
//! to a rule. Unparsed records have an empty tree: no view, no finding, no
//! XML001 (a broken record that mentions nothing of the kind is not the
//! linter's business).

use super::views::{field_of, Field, Root};
use super::MetadataKind;
use crate::hosts::UrlInfo;
use crate::secrets::{entra_secrets, field_secrecy, FieldSecrecy};
use crate::source::SourceFile;
use crate::xml::ElementId;
use std::ops::Range;

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

/// The values of a record that hold secrets: a secret-like field with a
/// value that is not a URL, flag or number, or an Entra ID client secret
/// in any field; each with whether it is reported (a field whose name only
/// may hold a credential, [`FieldSecrecy::Maybe`], is masked, never
/// reported). (Placeholders are told apart by `secrets::classify`.)
pub fn secret_values(file: &SourceFile) -> Vec<(Field<'_>, bool)> {
    let Some(record) = CustomMetadataRecord::of(file) else {
        return Vec::new();
    };
    record
        .values()
        .into_iter()
        .filter_map(|v| {
            let secrecy = field_secrecy(v.field_name());
            let value = v.value?;
            let plain = is_plain_value(&value.value);
            let entra = !entra_secrets(&value.value).is_empty();
            match secrecy {
                _ if entra => Some((value, true)),
                Some(s) if !plain => Some((value, s == FieldSecrecy::Secret)),
                _ => None,
            }
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
