//! What `check` does for continuous integration beyond finding things:
//! the folder paths are reported relative to, and (in their own modules)
//! git access, baselines and changed-files mode, which [`Run`] applies to
//! each checked project.

pub mod baseline;
pub mod changed;
pub mod git;

use crate::analysis::Analysis;
use crate::project::FORCEIGNORE;
use crate::report::{self, BaselineView, ChangedView, CiView};
use baseline::{Baseline, Scope};
use changed::Changed;
use std::path::{Path, PathBuf};

/// `--baseline`, `--write-baseline` and `--changed-since` over one run of
/// `check`: [`Run::narrow`] each project's result as it is checked, then
/// [`Run::finish`].
pub struct Run {
    baseline: Option<(PathBuf, Baseline)>,
    write: Option<PathBuf>,
    since: Option<String>,
    changed: Vec<Changed>,
    scopes: Vec<Scope>,
    changed_files: usize,
    whole: usize,
    whole_roots: Vec<PathBuf>,
}

fn shown(path: &Path) -> String {
    report::printable(&path.to_string_lossy()).into_owned()
}

impl Run {
    /// Reads the baseline now, so that a bad one stops the run before any
    /// work.
    pub fn new(
        baseline: Option<&Path>,
        write: Option<&Path>,
        since: Option<&str>,
    ) -> Result<Run, String> {
        let baseline = match baseline {
            Some(path) => Some((
                path.to_path_buf(),
                Baseline::load(path).map_err(|e| format!("--baseline {e}"))?,
            )),
            None => None,
        };
        Ok(Run {
            baseline,
            write: write.map(Path::to_path_buf),
            since: since.map(str::to_owned),
            changed: Vec::new(),
            scopes: Vec::new(),
            changed_files: 0,
            whole: 0,
            whole_roots: Vec::new(),
        })
    }

    /// Records what `analysis` reports on: `explicit`, the
    /// paths named on the command line when only those are reported; with
    /// `--changed-since`, keeps only findings in changed files or whose
    /// evidence is in one (all of them when the project's
    /// `sfdx-project.json` or `.forceignore` changed).
    pub fn narrow(
        &mut self,
        analysis: &mut Analysis,
        explicit: Option<&[PathBuf]>,
    ) -> Result<(), String> {
        let project = analysis.shared_project().clone();
        let mut only = explicit.map(<[PathBuf]>::to_vec);
        if let Some(since) = &self.since {
            let i = match self
                .changed
                .iter()
                .position(|c| project.root.starts_with(&c.toplevel))
            {
                Some(i) => i,
                None => {
                    self.changed
                        .push(changed::changed_since(&project.root, since)?);
                    self.changed.len() - 1
                }
            };
            let changed = &self.changed[i];
            let manifest = project
                .manifest_path
                .clone()
                .unwrap_or_else(|| project.root.join(crate::project::MANIFEST));
            if changed.files.contains(&manifest)
                || changed.files.contains(&project.root.join(FORCEIGNORE))
            {
                self.whole += 1;
                self.whole_roots.push(project.root.clone());
                self.changed_files += project.files.len();
            } else {
                let touched = |path: &Path| changed.files.contains(path);
                self.changed_files += project.files.iter().filter(|f| touched(&f.path)).count();
                analysis.retain_findings(|project, f| {
                    touched(&project.files[f.file].path)
                        || f.related
                            .iter()
                            .any(|r| touched(&project.files[r.file].path))
                });
                let files: Vec<PathBuf> = changed
                    .files
                    .iter()
                    .filter(|p| p.starts_with(&project.root))
                    .filter(|p| {
                        only.as_ref()
                            .is_none_or(|o| o.iter().any(|e| p.starts_with(e)))
                    })
                    .cloned()
                    .collect();
                only = Some(files);
            }
        }
        self.scopes.push(Scope {
            root: project.root.clone(),
            only,
        });
        Ok(())
    }

    /// Applies the baseline to the checked projects (in the order they were
    /// narrowed) and writes `--write-baseline`; what the report says of
    /// them, and a line for standard error when a baseline was written.
    pub fn finish(
        self,
        base: &Path,
        projects: &mut [Analysis],
    ) -> Result<(CiView, Option<String>), String> {
        let changed = self.since.as_ref().map(|since| ChangedView {
            since: since.clone(),
            merge_base: self
                .changed
                .first()
                .map(|c| c.merge_base.clone())
                .unwrap_or_default(),
            files: self.changed_files,
            whole: self.whole,
            changed: self
                .changed
                .iter()
                .flat_map(|c| c.files.iter().cloned())
                .collect(),
            whole_roots: self.whole_roots.clone(),
        });
        let mut view = CiView {
            baseline: None,
            changed,
        };
        let Some(write) = self.write else {
            if let Some((path, old)) = &self.baseline {
                let applied = baseline::apply(old, base, projects, &self.scopes);
                view.baseline = Some(BaselineView {
                    file: shown(path),
                    known: applied.known,
                    fixed: applied.fixed,
                });
            }
            return Ok((view, None));
        };
        // Never through a link: not read, not written (see
        // `crate::write::write_output`).
        if std::fs::symlink_metadata(&write).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "--write-baseline {}: a symbolic link; a baseline is not written through one (remove the link or name another file)",
                shown(&write)
            ));
        }
        // --write-baseline: the old entries (of --baseline, else of the file
        // being replaced) outside this run's scope are kept when their file
        // still exists; the rest is what this run found.
        let old = match self.baseline {
            Some((_, old)) => old,
            None if write.exists() => Baseline::load(&write)
                .map_err(|e| format!("--write-baseline {e} (remove it to write a new baseline)"))?,
            None => Baseline::default(),
        };
        let applied = baseline::apply(&old, base, projects, &self.scopes);
        let mut entries: Vec<baseline::Entry> = applied
            .outside
            .into_iter()
            .filter(|e| base.join(&e.path).exists())
            .collect();
        let mut known = applied.known;
        for (i, analysis) in projects.iter_mut().enumerate() {
            // Everything found is known now.
            let taken: std::collections::HashSet<usize> =
                known[i].iter().map(|(k, _)| *k).collect();
            let mut all = std::mem::take(&mut known[i]);
            let mut at = 0;
            let new = analysis.findings().to_vec();
            analysis.retain_findings(|_, _| false);
            for f in new {
                while taken.contains(&at) {
                    at += 1;
                }
                all.push((at, f));
                at += 1;
            }
            all.sort_by_key(|(k, _)| *k);
            let findings: Vec<_> = all.iter().map(|(_, f)| f.clone()).collect();
            entries.extend(baseline::entries_of(base, analysis.project(), &findings));
            known[i] = all;
        }
        let count = entries.len();
        let doc = Baseline { entries };
        crate::write::write_output(&write, doc.to_json().as_bytes()).map_err(|e| {
            format!(
                "--write-baseline {}: {}",
                shown(&write),
                crate::write::io_reason(&e)
            )
        })?;
        let dropped = applied.fixed.len();
        let note = format!(
            "baseline {}: {count} {} written{}",
            shown(&write),
            report::plural(count, "finding", "findings"),
            if dropped > 0 {
                format!(
                    ", {dropped} fixed {} dropped",
                    report::plural(dropped, "one", "ones")
                )
            } else {
                String::new()
            }
        );
        view.baseline = Some(BaselineView {
            file: shown(&write),
            known,
            fixed: applied.fixed,
        });
        Ok((view, Some(note)))
    }
}

/// The folder every output format reports paths relative to
/// (`docs/output-formats.md`, "Paths"):
/// 1. `--path-base DIR` when given;
/// 2. else the root of the git work tree around the working directory;
/// 3. else the root of the git work tree around the first checked path
///    (the tool run from outside the repository it checks);
/// 4. else the working directory.
pub fn path_base(
    explicit: Option<&Path>,
    cwd: &Path,
    first_path: Option<&Path>,
) -> Result<PathBuf, String> {
    if let Some(dir) = explicit {
        let abs = dir.canonicalize().map_err(|e| {
            format!(
                "--path-base {}: {}",
                dir.display(),
                crate::write::io_reason(&e)
            )
        })?;
        if !abs.is_dir() {
            return Err(format!("--path-base {}: not a folder", dir.display()));
        }
        return Ok(abs);
    }
    if let Some(top) = git::toplevel(cwd) {
        return Ok(top);
    }
    if let Some(first) = first_path {
        let dir = if first.is_dir() {
            first
        } else {
            first.parent().unwrap_or(first)
        };
        if let Some(top) = git::toplevel(dir) {
            return Ok(top);
        }
    }
    Ok(cwd.to_path_buf())
}
