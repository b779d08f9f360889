//! One metadata file as the engine sees it: its bytes decoded, its line
//! table and its span tree (or why it has none).

use crate::metadata::{Format, MetadataKind};
use crate::xml::{LineIndex, XmlError, XmlTree};
use std::path::PathBuf;

/// Index of a file in its [`crate::project::Project`].
pub type FileId = usize;

#[derive(Debug)]
pub struct SourceFile {
    /// Where the file is on disk (or, for an unsaved editor buffer, would be).
    pub path: PathBuf,
    /// Relative to the project root, with `/` separators.
    pub rel_path: String,
    pub kind: MetadataKind,
    pub format: Format,
    /// The file's text; invalid UTF-8 is replaced (and reported as XML001).
    pub text: String,
    pub lines: LineIndex,
    pub tree: Result<XmlTree, XmlError>,
}

impl SourceFile {
    pub fn new(
        path: PathBuf,
        rel_path: String,
        kind: MetadataKind,
        format: Format,
        bytes: Vec<u8>,
    ) -> Self {
        let (text, decode_error) = decode(bytes);
        let lines = LineIndex::new(&text);
        let tree = match decode_error {
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
        }
    }

    pub fn tree(&self) -> Option<&XmlTree> {
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
    let nul = bytes.iter().position(|&b| b == 0);
    match String::from_utf8(bytes) {
        Ok(text) => {
            let err = nul.map(|offset| XmlError {
                offset,
                message: "binary content (NUL byte); not an XML text file".into(),
            });
            (text, err)
        }
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
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
