//! What the engine reports: findings with byte ranges into their file.
//! Front ends turn ranges into lines and columns in the unit they need.

use crate::source::FileId;
use serde::Serialize;
use std::fmt;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A configured rule level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Off,
    On(Severity),
}

/// Another place that explains a finding (the evidence).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub range: Range<usize>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule id, e.g. `EXO001`.
    pub rule: &'static str,
    pub severity: Severity,
    pub file: FileId,
    pub range: Range<usize>,
    pub message: String,
    pub related: Vec<Related>,
    /// Whether the rule offers a fix for this finding.
    pub fixable: bool,
}
