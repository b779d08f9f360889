//! One metadata file as the engine sees it: its bytes decoded, its line
//! table and its span tree (or why it has none).

use crate::apex::{survey_class, ApexSource, ApexView, Relevance};
use crate::metadata::{Format, MetadataKind};
use crate::text::{Change, LineIndex};
use crate::xml::{XmlError, XmlTree};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Index of a file in its project's list of files.
pub type FileId = usize;

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Where the file is on disk (or, for an unsaved editor buffer, would be).
    pub path: PathBuf,
    /// Relative to the project root, with `/` separators.
    pub rel_path: String,
    pub kind: MetadataKind,
    pub format: Format,
    /// The file's text; each byte of invalid UTF-8 is replaced by one `?`
    /// (and reported as XML001), so byte offsets stay those of the file.
    pub text: String,
    pub lines: LineIndex,
    /// For Apex (which is not XML): an empty tree, and the parsed source
    /// in [`SourceFile::apex`].
    pub tree: Result<XmlTree, XmlError>,
    /// Apex classes and triggers: the syntax tree and its view.
    pub apex: Option<ApexSource>,
    /// Whether the redaction scanner (`redact::scan`) must read the text:
    /// false only for an Apex class whose bytes hold nothing it looks for
    /// (the pre-filter's pass tells, [`crate::apex::survey`]).
    pub scan_for_secrets: bool,
    /// Where this version of the file's secrets are and their values
    /// (`redact`), found on first use and kept with the file: an edit of
    /// one file finds again only its own. Every change of the file
    /// through its methods forgets them.
    secrets: OnceLock<Arc<FileSecrets>>,
    /// Where this version's secret fields are (`metadata::secret`), found
    /// on first use and kept like the secrets: a credential with thousands
    /// of header parameters is read once per version, not once per rule
    /// and edit of another file.
    secret_fields: OnceLock<Arc<[SecretFieldAt]>>,
}

/// One secret field of a version of a file, as `metadata::secret` finds it.
#[derive(Clone, Copy, Debug)]
pub struct SecretFieldAt {
    pub element: crate::xml::ElementId,
    /// The element as users know it (`password`, `AuthHeader`).
    pub name: &'static str,
    pub class: crate::secrets::SecretClass,
}

/// The secrets of one version of a file, as `redact` finds them.
#[derive(Debug, Default)]
pub struct FileSecrets {
    /// Sorted, not overlapping.
    pub ranges: Vec<Range<usize>>,
    /// The values to mask in other texts too.
    pub values: Vec<String>,
}

impl SourceFile {
    pub fn new(
        path: PathBuf,
        rel_path: String,
        kind: MetadataKind,
        format: Format,
        bytes: Vec<u8>,
    ) -> Self {
        if kind.is_apex() {
            let survey = survey_class(&bytes);
            return SourceFile::new_apex(path, rel_path, kind, format, bytes, survey);
        }
        let skip =
            kind == MetadataKind::CustomMetadata && !crate::metadata::record_worth_parsing(&bytes);
        let (text, decode_error) = decode(bytes);
        let lines = LineIndex::new(&text);
        let tree = match decode_error {
            // A custom metadata record that mentions nothing a rule reads
            // is not parsed (`metadata::custom_metadata`).
            _ if skip => Ok(XmlTree::default()),
            Some(err) => Err(err),
            None => XmlTree::parse(&text),
        };
        SourceFile {
            path,
            rel_path,
            kind,
            format,
            text,
            lines,
            tree,
            apex: None,
            scan_for_secrets: true,
            secrets: OnceLock::new(),
            secret_fields: OnceLock::new(),
        }
    }

    /// A file as read from disk, from the reader's buffer: as
    /// [`SourceFile::new`], except that with `drop_unread_text` an Apex
    /// class that no rule and no redaction can use (the pre-filter rejects
    /// it and it holds nothing secret-like) keeps no text at all: most
    /// classes of an org, whose text a one-shot check never needs. Such a
    /// file must not be edited ([`SourceFile::set_text`]) afterwards.
    pub fn read(
        path: PathBuf,
        rel_path: String,
        kind: MetadataKind,
        format: Format,
        bytes: &[u8],
        drop_unread_text: bool,
    ) -> Self {
        if !kind.is_apex() {
            return SourceFile::new(path, rel_path, kind, format, bytes.to_vec());
        }
        let survey = survey_class(bytes);
        if drop_unread_text && survey == (Relevance::None, false) {
            return SourceFile {
                path,
                rel_path,
                kind,
                format,
                text: String::new(),
                lines: LineIndex::new(""),
                tree: Ok(XmlTree::default()),
                apex: Some(ApexSource::default()),
                scan_for_secrets: false,
                secrets: OnceLock::new(),
                secret_fields: OnceLock::new(),
            };
        }
        SourceFile::new_apex(path, rel_path, kind, format, bytes.to_vec(), survey)
    }

    fn new_apex(
        path: PathBuf,
        rel_path: String,
        kind: MetadataKind,
        format: Format,
        bytes: Vec<u8>,
        (relevance, secret_like): (Relevance, bool),
    ) -> Self {
        // Apex is UTF-8 too, but a stray byte in a comment should not
        // hide the rest of the class: it reads as `?`, offsets kept (the
        // pre-filter's needles are ASCII without `?`: its answer is the
        // same for both).
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => replace_invalid_bytes(err.as_bytes()),
        };
        SourceFile {
            path,
            rel_path,
            kind,
            format,
            lines: LineIndex::new(&text),
            apex: Some(ApexSource::parse_as(&text, relevance)),
            text,
            tree: Ok(XmlTree::default()),
            scan_for_secrets: secret_like,
            secrets: OnceLock::new(),
            secret_fields: OnceLock::new(),
        }
    }

    /// Replaces the text with a new version of it (an editor buffer's),
    /// as [`SourceFile::new`] would, but updating the span tree and line
    /// table in place when the change stays inside one element (see
    /// `xml::edit`) — typing in a 1 MB file then costs a comparison and a
    /// small parse, not a parse of the whole file.
    pub fn set_text(&mut self, text: String) {
        let Some(change) = Change::between(&self.text, &text) else {
            return;
        };
        self.secrets = OnceLock::new();
        self.secret_fields = OnceLock::new();
        // Edited text is scanned for secrets whatever it holds (no second
        // pass over it on every keystroke).
        self.scan_for_secrets = true;
        if let Some(apex) = &mut self.apex {
            apex.set_text(&self.text, &text);
            if !self.lines.apply_text_change(&self.text, &text, &change) {
                self.lines = LineIndex::new(&text);
            }
            self.text = text;
            return;
        }
        if self.kind == MetadataKind::CustomMetadata
            && !crate::metadata::record_worth_parsing(text.as_bytes())
        {
            // As `new` does: a record that mentions nothing is not parsed.
            self.lines = LineIndex::new(&text);
            self.tree = Ok(XmlTree::default());
            self.text = text;
            return;
        }
        // The new text is valid UTF-8 and `apply_change` refuses a change
        // that adds a NUL, so decoding could only find what the old text
        // had: a decoding error means there is no tree to update.
        let tree_updated = match &mut self.tree {
            // A record that was not parsed has nothing to update.
            Ok(tree)
                if self.kind == MetadataKind::CustomMetadata
                    && tree.elements().next().is_none() =>
            {
                false
            }
            Ok(tree) => tree.apply_change(&text, &change),
            Err(_) => false,
        };
        if !tree_updated {
            let (decoded, decode_error) = check_text(text);
            self.lines = LineIndex::new(&decoded);
            let old = std::mem::replace(&mut self.tree, Ok(XmlTree::default()));
            self.tree = match decode_error {
                Some(err) => Err(err),
                None => XmlTree::parse_reusing(&decoded, old.unwrap_or_default()),
            };
            self.text = decoded;
            return;
        }
        if !self.lines.apply_text_change(&self.text, &text, &change) {
            self.lines = LineIndex::new(&text);
        }
        self.text = text;
    }

    /// The Apex view of a class or trigger.
    pub fn apex(&self) -> Option<&ApexView> {
        self.apex.as_ref().map(ApexSource::view)
    }

    /// The parsed Apex of a class or trigger: its view and what the rules
    /// ask of it, each computed once per version of the file.
    pub fn apex_source(&self) -> Option<&ApexSource> {
        self.apex.as_ref()
    }

    /// Parses a pending Apex class (see [`ApexSource::resolve`]): its view,
    /// and so its secrets, may change.
    pub fn resolve_apex(&mut self) {
        if let Some(apex) = &mut self.apex {
            if apex.is_pending() {
                apex.resolve(&self.text);
                self.secrets = OnceLock::new();
                self.secret_fields = OnceLock::new();
            }
        }
    }

    /// This version's secret fields, found by `find` on first use.
    pub fn secret_fields_with(
        &self,
        find: impl FnOnce(&SourceFile) -> Vec<SecretFieldAt>,
    ) -> &[SecretFieldAt] {
        self.secret_fields.get_or_init(|| find(self).into())
    }

    /// This version's secrets, found by `find` on first use.
    pub fn secrets_with(&self, find: impl FnOnce(&SourceFile) -> FileSecrets) -> &FileSecrets {
        self.secrets.get_or_init(|| Arc::new(find(self)))
    }

    /// The XML span tree (`None` for broken XML, and for Apex).
    pub fn tree(&self) -> Option<&XmlTree> {
        if self.apex.is_some() {
            return None;
        }
        self.tree.as_ref().ok()
    }

    /// The metadata API name, from the file name (`Exchange_EWS` for
    /// `Exchange_EWS.namedCredential-meta.xml`).
    pub fn api_name(&self) -> &str {
        let file_name = self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path);
        self.kind.api_name(file_name, self.format)
    }
}

/// Metadata is UTF-8 (Salesforce rejects anything else). Anything that is
/// not becomes an [`XmlError`] at the first offending byte.
fn decode(bytes: Vec<u8>) -> (String, Option<XmlError>) {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return (
            text,
            Some(XmlError {
                offset: 0,
                message: "file is UTF-16 encoded; Salesforce metadata must be UTF-8".into(),
            }),
        );
    }
    match String::from_utf8(bytes) {
        Ok(text) => check_text(text),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let text = replace_invalid_bytes(err.as_bytes());
            (
                text,
                Some(XmlError {
                    offset,
                    message: "not valid UTF-8 (Salesforce metadata must be UTF-8)".into(),
                }),
            )
        }
    }
}

/// Valid UTF-8 can still be binary content.
fn check_text(text: String) -> (String, Option<XmlError>) {
    let err = memchr::memchr(0, text.as_bytes()).map(|offset| XmlError {
        offset,
        message: "binary content (NUL byte); not an XML text file".into(),
    });
    (text, err)
}

/// Like `String::from_utf8_lossy`, but one ASCII `?` per invalid byte
/// instead of a three-byte U+FFFD per sequence: every offset into the text
/// is then the same offset into the file on disk.
fn replace_invalid_bytes(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(
            PathBuf::from("/p/x.namedCredential-meta.xml"),
            "x.namedCredential-meta.xml".into(),
            MetadataKind::NamedCredential,
            Format::Source,
            text.as_bytes().to_vec(),
        )
    }

    /// Every way `set_text` can go (in place, parsed again, broken, fixed)
    /// ends where a fresh file would.
    #[test]
    fn set_text_equals_a_fresh_file() {
        let texts = [
            "<A>\n  <label>Gate</label>\n</A>\n",
            "<A>\n  <label>Gateway</label>\n</A>\n",
            "<A>\n  <label>Gate\nway</label>\n</A>\n",
            "<A>\n  <label>Gate\nway</label>\n</A>\n<B/>",
            "<A>\n  <label>Gate\0way</label>\n</A>\n",
            "<A>\n  <label>Gateway</label>\n</A>\n",
            "<A>\n  <label>Gate&amp;way</label>\n</A>\n",
            "<A>\n  <label>Gate&amp;way!</label>\n</A>\n",
        ];
        let mut current = file(texts[0]);
        for text in &texts[1..] {
            current.set_text(text.to_string());
            let fresh = file(text);
            assert_eq!(current.text, fresh.text);
            assert_eq!(current.lines, fresh.lines, "{text:?}");
            assert_eq!(current.tree, fresh.tree, "{text:?}");
        }
    }

    #[test]
    fn invalid_utf8_keeps_file_offsets() {
        let bytes = b"<a>Caf\xe9 \xf0\x9f</a>".to_vec();
        let len = bytes.len();
        let (text, err) = decode(bytes);
        assert_eq!(text, "<a>Caf? ??</a>");
        assert_eq!(text.len(), len);
        assert_eq!(err.unwrap().offset, 6);
    }
}
