//! Baselines (`check --baseline FILE`, `check --write-baseline FILE`): the
//! findings a project is known to have, so that CI fails only on new ones.
//!
//! A baseline is a versioned JSON document (`docs/ci.md`, "Baselines"):
//!
//! ```json
//! { "version": 1, "tool": "exchange-auth-lint",
//!   "findings": [ { "rule": "EXO001", "path": "salesforce/force-app/…", "fingerprint": "HASH:1" } ] }
//! ```
//!
//! `fingerprint` is the SARIF `exchangeAuthLint/v1` print
//! ([`crate::report::fingerprint`]): a hash of the rule, the file's path in
//! its project and the finding's source text with secrets masked and
//! whitespace collapsed, so an entry survives lines added above, re-indenting
//! and a changed password, and holds no secret. `path` (relative to the path
//! base) says where the finding was, for people and for telling which
//! entries a partial run (named files, `--changed-since`) covers.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::project::Project;
use crate::report::{self, fingerprint};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The baseline format this version reads and writes.
pub const VERSION: u64 = 1;
const TOOL: &str = "exchange-auth-lint";

pub use crate::report::fingerprint::Entry;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    pub entries: Vec<Entry>,
}

/// The part of the projects one run reports on: entries outside it are
/// neither matched as fixed nor dropped by `--write-baseline`.
pub struct Scope {
    pub root: PathBuf,
    /// Only findings in files below these paths are reported (files named on
    /// the command line, changed files); `None`: the whole project.
    pub only: Option<Vec<PathBuf>>,
}

impl Scope {
    pub fn covers(&self, path: &Path) -> bool {
        path.starts_with(&self.root)
            && self
                .only
                .as_ref()
                .is_none_or(|only| only.iter().any(|p| path.starts_with(p)))
    }
}

impl Baseline {
    /// Reads a baseline; every reason it cannot be used is an error naming
    /// the file (never an empty baseline).
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let shown = report::printable(&path.to_string_lossy()).into_owned();
        let bytes = crate::project::read_regular(path, crate::project::MAX_INPUT_SIZE)
            .map_err(|reason| format!("{shown}: {reason}"))?;
        Baseline::parse(&bytes).map_err(|e| format!("{shown}: {e}"))
    }

    pub fn parse(bytes: &[u8]) -> Result<Baseline, String> {
        let doc: Value = serde_json::from_slice(bytes)
            .map_err(|e| format!("not a baseline file (invalid JSON: {e})"))?;
        let Some(obj) = doc.as_object() else {
            return Err("not a baseline file (expected a JSON object)".into());
        };
        match obj.get("version") {
            Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => {}
            Some(Value::Number(n)) => {
                return Err(format!(
                    "baseline version {n} is not supported (this version of {TOOL} reads version {VERSION}); write it again with --write-baseline"
                ))
            }
            _ => return Err("not a baseline file (no \"version\" number)".into()),
        }
        if obj.get("tool").and_then(Value::as_str) != Some(TOOL) {
            return Err(format!("not a baseline file (\"tool\" is not \"{TOOL}\")"));
        }
        let Some(list) = obj.get("findings").and_then(Value::as_array) else {
            return Err("not a baseline file (no \"findings\" array)".into());
        };
        let mut entries = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let field = |name: &str| {
                item.get(name)
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| format!("findings[{i}] has no \"{name}\" string"))
            };
            let entry = Entry {
                path: field("path")?,
                rule: field("rule")?,
                fingerprint: field("fingerprint")?,
            };
            // What a baseline this tool wrote holds: a rule id, a path
            // inside the project, a fingerprint. Anything else would be
            // echoed into reports as a fixed finding (sixth adversarial
            // run, E4); what it holds is not repeated here.
            if !entry
                .rule
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            {
                return Err(format!("findings[{i}] has a \"rule\" that is no rule id"));
            }
            let inside = std::path::Path::new(&entry.path)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            // (A file name may hold any character; reports escape them.)
            if !inside {
                return Err(format!("findings[{i}] has a \"path\" outside the project"));
            }
            if !entry
                .fingerprint
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b))
            {
                return Err(format!(
                    "findings[{i}] has a \"fingerprint\" this tool never writes"
                ));
            }
            entries.push(entry);
        }
        Ok(Baseline { entries })
    }

    /// The document, entries sorted (by path, rule, fingerprint), so that a
    /// baseline kept in version control changes only where findings do.
    pub fn to_json(&self) -> String {
        let mut entries = self.entries.clone();
        entries.sort();
        entries.dedup();
        let findings: Vec<Value> = entries
            .iter()
            .map(|e| json!({ "rule": e.rule, "path": e.path, "fingerprint": e.fingerprint }))
            .collect();
        let doc = json!({ "version": VERSION, "tool": TOOL, "findings": findings });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        // Written as the JSON report is: a baseline is committed and may
        // be printed in a job's log (`cat`), where a path holding `##vso[`
        // or a bidirectional control must not act. Parsed back, the
        // paths are the same.
        let text = crate::text::invisible_escaped(&text, |c| format!("\\u{c:04x}"));
        let mut text = crate::text::defuse_azure(&text, "\\u0023").into_owned();
        text.push('\n');
        text
    }
}

/// The entries of `findings` (all of one project, as reported).
pub fn entries_of(base: &Path, project: &Project, findings: &[Finding]) -> Vec<Entry> {
    let prints = fingerprint::of_project(project, findings);
    findings
        .iter()
        .zip(prints)
        .map(|(f, p)| Entry {
            path: report::display_path(base, &project.files[f.file].path),
            rule: f.rule.to_owned(),
            fingerprint: p.stable,
        })
        .collect()
}

/// What applying a baseline did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Per project (in order): the findings the baseline knows, taken out of
    /// its result, each with its index among all the project's findings.
    pub known: Vec<Vec<(usize, Finding)>>,
    /// Entries in scope that match no finding any more.
    pub fixed: Vec<Entry>,
    /// Entries outside the run's scope (kept by `--write-baseline`).
    pub outside: Vec<Entry>,
}

/// Splits each project's findings into new ones (left in its result) and
/// known ones. An entry matches a finding with the same fingerprint and
/// path; an entry whose path names no file (the project was moved, or
/// checked with another path base) matches a finding with the same
/// fingerprint anywhere. Each entry matches one finding at most.
pub fn apply(
    baseline: &Baseline,
    base: &Path,
    projects: &mut [Analysis],
    scopes: &[Scope],
) -> Applied {
    let mut used = vec![false; baseline.entries.len()];
    let mut by_print: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in baseline.entries.iter().enumerate() {
        by_print.entry(e.fingerprint.as_str()).or_default().push(i);
    }
    let mut known_all = Vec::new();
    for analysis in projects.iter_mut() {
        let entries = entries_of(base, analysis.project(), analysis.findings());
        let mut is_known = vec![false; entries.len()];
        // Same path first, then entries for files that are not there.
        for pass in 0..2 {
            for (k, entry) in entries.iter().enumerate() {
                if is_known[k] {
                    continue;
                }
                let candidates = by_print.get(entry.fingerprint.as_str());
                let hit = candidates.into_iter().flatten().copied().find(|&i| {
                    let e = &baseline.entries[i];
                    !used[i]
                        && e.rule == entry.rule
                        && match pass {
                            0 => e.path == entry.path,
                            _ => !base.join(&e.path).exists(),
                        }
                });
                if let Some(i) = hit {
                    used[i] = true;
                    is_known[k] = true;
                }
            }
        }
        let known: Vec<(usize, Finding)> = analysis
            .findings()
            .iter()
            .enumerate()
            .filter(|(k, _)| is_known[*k])
            .map(|(k, f)| (k, f.clone()))
            .collect();
        // `retain` visits each finding once, in order.
        let at = std::cell::Cell::new(0);
        analysis.retain_findings(|_, _| {
            let k = at.get();
            at.set(k + 1);
            !is_known[k]
        });
        known_all.push(known);
    }
    let mut applied = Applied {
        known: known_all,
        ..Applied::default()
    };
    for (i, e) in baseline.entries.iter().enumerate() {
        if used[i] {
            continue;
        }
        let abs = base.join(&e.path);
        if scopes.iter().any(|s| s.covers(&abs)) {
            applied.fixed.push(e.clone());
        } else {
            applied.outside.push(e.clone());
        }
    }
    applied.fixed.sort();
    applied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_sorted() {
        let b = Baseline {
            entries: vec![
                Entry {
                    path: "b.xml".into(),
                    rule: "EXO001".into(),
                    fingerprint: "f:1".into(),
                },
                Entry {
                    path: "a.xml".into(),
                    rule: "SEC001".into(),
                    fingerprint: "e:1".into(),
                },
            ],
        };
        let text = b.to_json();
        assert!(text.find("a.xml").unwrap() < text.find("b.xml").unwrap());
        let back = Baseline::parse(text.as_bytes()).unwrap();
        assert_eq!(back.entries.len(), 2);
        assert_eq!(back.entries[0].path, "a.xml");
    }

    #[test]
    fn paths_that_would_act_in_a_log_are_escaped_and_read_back() {
        let path = "nc/##vso[task.setvariable variable=Q]1/\u{202e}M\u{85}.xml";
        let b = Baseline {
            entries: vec![Entry {
                path: path.into(),
                rule: "EXO001".into(),
                fingerprint: "f:1".into(),
            }],
        };
        let text = b.to_json();
        assert!(!text.contains("##vso["), "{text}");
        assert!(!text.contains(['\u{202e}', '\u{85}']), "{text}");
        assert!(
            text.contains("\\u0023#vso[") && text.contains("\\u202e"),
            "{text}"
        );
        let back = Baseline::parse(text.as_bytes()).unwrap();
        assert_eq!(back.entries[0].path, path);
    }

    #[test]
    fn bad_documents_are_errors() {
        for (text, want) in [
            ("", "not a baseline file (invalid JSON: EOF while parsing a value at line 1 column 0)"),
            ("[]", "not a baseline file (expected a JSON object)"),
            ("{}", "not a baseline file (no \"version\" number)"),
            (
                r#"{"version":2,"tool":"exchange-auth-lint","findings":[]}"#,
                "baseline version 2 is not supported (this version of exchange-auth-lint reads version 1); write it again with --write-baseline",
            ),
            (
                r#"{"version":1,"tool":"other","findings":[]}"#,
                "not a baseline file (\"tool\" is not \"exchange-auth-lint\")",
            ),
            (
                r#"{"version":1,"tool":"exchange-auth-lint"}"#,
                "not a baseline file (no \"findings\" array)",
            ),
            (
                r#"{"version":1,"tool":"exchange-auth-lint","findings":[{"rule":"EXO001","path":"a"}]}"#,
                "findings[0] has no \"fingerprint\" string",
            ),
            (
                r#"{"version":1,"tool":"exchange-auth-lint","findings":[{"rule":"SEC001\n::error::x","path":"a","fingerprint":"1"}]}"#,
                "findings[0] has a \"rule\" that is no rule id",
            ),
            (
                r#"{"version":1,"tool":"exchange-auth-lint","findings":[{"rule":"SEC001","path":"../../etc/shadow","fingerprint":"1"}]}"#,
                "findings[0] has a \"path\" outside the project",
            ),
            (
                r#"{"version":1,"tool":"exchange-auth-lint","findings":[{"rule":"SEC001","path":"/etc/shadow","fingerprint":"1"}]}"#,
                "findings[0] has a \"path\" outside the project",
            ),
            (
                r#"{"version":1,"tool":"exchange-auth-lint","findings":[{"rule":"SEC001","path":"a","fingerprint":"1\u202e"}]}"#,
                "findings[0] has a \"fingerprint\" this tool never writes",
            ),
        ] {
            assert_eq!(Baseline::parse(text.as_bytes()).unwrap_err(), want, "{text}");
        }
    }

    #[test]
    fn scope() {
        let s = Scope {
            root: "/r/p".into(),
            only: Some(vec!["/r/p/a".into()]),
        };
        assert!(s.covers(Path::new("/r/p/a/x.xml")));
        assert!(!s.covers(Path::new("/r/p/b/x.xml")));
        assert!(!s.covers(Path::new("/r/q/a/x.xml")));
        let whole = Scope {
            root: "/r/p".into(),
            only: None,
        };
        assert!(whole.covers(Path::new("/r/p/b/x.xml")));
    }
}
