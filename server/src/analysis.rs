//! An [`Analysis`]: one checked project, immutable. It is built once (facts,
//! findings, and the secret values on first use) and answers every later
//! question about that version of the project; a change makes a new one
//! (see [`crate::workspace`]), and whoever still holds the old one keeps a
//! consistent view of it. Cloning the `Arc` it comes in is the snapshot.
//!
//! The questions: the findings (of a file, at an offset: hover), the facts,
//! the rules' [`Context`], and scrubbing of any text that leaves the
//! process. The fix operations (offers, resolve, suppress, fix-all under a
//! filter) are defined on it in [`crate::fix`], which sits above.

use crate::check::{self, CheckOptions, CheckResult};
use crate::diagnostic::Finding;
use crate::facts::Facts;
use crate::project::Project;
use crate::redact::{Redacted, Secrets};
use crate::rules::Context;
use crate::source::{FileId, SourceFile};
use std::path::Path;
use std::sync::{Arc, OnceLock};

#[derive(Debug)]
pub struct Analysis {
    project: Arc<Project>,
    options: CheckOptions,
    result: CheckResult,
    /// The secret values of every file, found when first needed.
    secrets: OnceLock<Secrets>,
}

impl Analysis {
    /// Checks `project` with `options`: the one place an analysis is made.
    pub fn new(project: impl Into<Arc<Project>>, options: &CheckOptions) -> Analysis {
        let project = project.into();
        let result = check::check(&project, options);
        Analysis {
            project,
            options: options.clone(),
            result,
            secrets: OnceLock::new(),
        }
    }

    /// [`Analysis::new`], given the result of an analysis with the same
    /// options of a project that differs from this one only in the text of
    /// Apex classes and triggers (an editor typing in a class): what did
    /// not depend on them is kept (see [`check::check_after_apex_edit`]).
    /// The result equals [`Analysis::new`]'s.
    pub fn after_apex_edit(
        project: impl Into<Arc<Project>>,
        options: &CheckOptions,
        previous: &CheckResult,
    ) -> Analysis {
        let project = project.into();
        let result = check::check_after_apex_edit(&project, options, previous);
        Analysis {
            project,
            options: options.clone(),
            result,
            secrets: OnceLock::new(),
        }
    }

    /// The check result, taken out (copied only while others share it).
    pub fn into_result(self: Arc<Self>) -> CheckResult {
        match Arc::try_unwrap(self) {
            Ok(analysis) => analysis.result,
            Err(shared) => shared.result.clone(),
        }
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The project, taken out (copied only while others share it).
    pub fn into_project(self) -> Project {
        Arc::try_unwrap(self.project).unwrap_or_else(|shared| (*shared).clone())
    }

    /// The project, shared (a copy of it is cheap: its files are shared).
    pub fn shared_project(&self) -> &Arc<Project> {
        &self.project
    }

    pub fn options(&self) -> &CheckOptions {
        &self.options
    }

    pub fn result(&self) -> &CheckResult {
        &self.result
    }

    /// Sorted by file, position and rule.
    pub fn findings(&self) -> &[Finding] {
        &self.result.findings
    }

    pub fn facts(&self) -> &Facts {
        &self.result.facts
    }

    /// What rules and fixers read, for this project and its facts.
    pub fn context(&self) -> Context<'_> {
        self.options.context(&self.project, &self.result.facts)
    }

    /// The file at `path`, with its id.
    pub fn file(&self, path: &Path) -> Option<(FileId, &SourceFile)> {
        self.project.file(path)
    }

    /// The findings of one file.
    pub fn findings_in(&self, file: FileId) -> impl Iterator<Item = &Finding> {
        self.result.findings.iter().filter(move |f| f.file == file)
    }

    /// The findings of `file` whose range holds `offset` (ends included):
    /// what hover explains.
    pub fn findings_at(&self, file: FileId, offset: usize) -> impl Iterator<Item = &Finding> {
        self.findings_in(file)
            .filter(move |f| f.range.start <= offset && offset <= f.range.end)
    }

    /// The finding of `rule` that starts at `start` in `file`.
    pub fn finding(&self, file: FileId, rule: &str, start: usize) -> Option<&Finding> {
        self.findings_in(file)
            .find(|f| f.rule == rule && f.range.start == start)
    }

    /// Keeps only the findings `keep` accepts (`check` given files inside a
    /// project: the facts still come from the whole project).
    pub fn retain_findings(&mut self, keep: impl Fn(&Project, &Finding) -> bool) {
        let project = &self.project;
        self.result.findings.retain(|f| keep(project, f));
    }

    /// The secret values of every file of the project.
    pub fn secrets(&self) -> &Secrets {
        self.secrets.get_or_init(|| self.project.secrets())
    }

    /// `text` with every secret value of the project masked: for any text
    /// that leaves the process.
    pub fn scrub(&self, text: &str) -> String {
        self.secrets().scrub(text)
    }

    /// One file's text with its secrets, and the project's, masked.
    pub fn redacted(&self, file: &SourceFile) -> Redacted {
        Redacted::masking(file, self.secrets())
    }
}
