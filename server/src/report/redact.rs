//! Secrets never leave the process: any excerpt of a file is taken from a
//! copy whose secret values are replaced by a fixed mask.

use crate::metadata::secret_ranges;
use crate::source::SourceFile;
use std::ops::Range;

pub const MASK: &str = "********";

/// A file's text with every secret value masked, and a map from original
/// offsets to offsets in the masked text.
pub struct Redacted {
    pub text: String,
    /// (original range, masked range) of each secret, in order.
    spans: Vec<(Range<usize>, Range<usize>)>,
}

impl Redacted {
    pub fn new(file: &SourceFile) -> Redacted {
        let mut ranges = secret_ranges(file);
        ranges.sort_by_key(|r| r.start);
        let mut text = String::with_capacity(file.text.len());
        let mut spans = Vec::new();
        let mut at = 0;
        for r in ranges {
            if r.start < at {
                continue;
            }
            text.push_str(&file.text[at..r.start]);
            let start = text.len();
            text.push_str(MASK);
            spans.push((r.clone(), start..text.len()));
            at = r.end;
        }
        text.push_str(&file.text[at..]);
        Redacted { text, spans }
    }

    /// Where an original offset lands in the masked text (the start of the
    /// mask for offsets inside a secret, its end for the secret's end).
    pub fn map(&self, offset: usize) -> usize {
        let mut delta: isize = 0;
        for (orig, masked) in &self.spans {
            if offset <= orig.start {
                break;
            }
            if offset < orig.end {
                return masked.start;
            }
            delta = masked.end as isize - orig.end as isize;
        }
        (offset as isize + delta) as usize
    }
}

/// Replaces any secret value of `file` that occurs in `s` (belt and braces
/// for messages built from file content).
pub fn scrub(file: &SourceFile, s: &str) -> String {
    let mut out = s.to_owned();
    for r in secret_ranges(file) {
        let secret = &file.text[r];
        if secret.len() >= 3 && out.contains(secret) {
            out = out.replace(secret, MASK);
        }
    }
    out
}

/// Every secret value of a project's files, to mask in messages that may
/// quote content of any file (a related place's label, for instance).
pub struct Secrets {
    /// Longest first, so that a secret containing another is masked whole.
    values: Vec<String>,
}

impl Secrets {
    pub fn of(project: &crate::project::Project) -> Secrets {
        let mut values: Vec<String> = project
            .files
            .iter()
            .flat_map(|f| {
                secret_ranges(f)
                    .into_iter()
                    .map(move |r| f.text[r].to_owned())
            })
            .filter(|s| s.len() >= 3)
            .collect();
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        Secrets { values }
    }

    pub fn scrub(&self, s: &str) -> String {
        let mut out = s.to_owned();
        for secret in &self.values {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
        }
        out
    }
}
