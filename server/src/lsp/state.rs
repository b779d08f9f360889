//! The server's view of the workspace: open buffers (ropes) and one
//! [`Member`] of the engine's workspace per SFDX project, with the last
//! [`Snapshot`] of it. Everything here speaks byte offsets; the protocol
//! layer converts at the edge.

use crate::analysis::Analysis;
use crate::check::CheckOptions;
use crate::project::Project;
use crate::source::SourceFile;
use crate::workspace::{Change, Member};
use ropey::Rope;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// An open editor buffer.
#[derive(Clone, Debug)]
pub struct Document {
    pub path: PathBuf,
    pub version: i32,
    pub rope: Rope,
}

/// One SFDX project (a workspace folder, or the project around a file
/// opened outside every folder).
pub struct ProjectSlot {
    pub root: PathBuf,
    /// Files changed on disk, applied the next time the project is brought
    /// up to date (in the order they came).
    pending: Mutex<Vec<PathBuf>>,
    state: Mutex<ProjectState>,
}

struct ProjectState {
    member: Member,
    snapshot: Option<Arc<Snapshot>>,
}

/// What the last check found, for the project as it was then: the
/// engine's analysis and the buffer versions it saw.
pub struct Snapshot {
    /// Increases with every analysis of this project.
    pub id: u64,
    pub analysis: Arc<Analysis>,
    /// The open-buffer versions it saw.
    pub versions: HashMap<PathBuf, i32>,
}

impl Snapshot {
    pub fn project(&self) -> &Project {
        self.analysis.project()
    }

    pub fn file(&self, path: &Path) -> Option<(usize, &SourceFile)> {
        self.analysis.file(path)
    }
}

static ANALYSIS_IDS: AtomicU64 = AtomicU64::new(1);

impl ProjectSlot {
    /// Loads the project around `path` (a folder or a file).
    pub fn around(path: &Path) -> ProjectSlot {
        let member = Member::around(path);
        ProjectSlot {
            root: member.root.clone(),
            pending: Mutex::new(Vec::new()),
            state: Mutex::new(ProjectState {
                member,
                snapshot: None,
            }),
        }
    }

    /// Whether `path` belongs to this project.
    pub fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.root)
    }

    /// Records a change on disk; cheap, never waits for an analysis.
    pub fn note_disk_change(&self, path: PathBuf) {
        lock(&self.pending).push(path);
    }

    /// Brings the project up to date with `docs` (the open buffers, as of
    /// the caller's snapshot) and the disk, checks it when anything
    /// changed, and returns the analysis. Blocking: run it off the async
    /// threads. The lock is let go before anyone reads the analysis.
    pub fn snapshot(&self, docs: &[Document], options: &CheckOptions) -> Arc<Snapshot> {
        let mut guard = match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => {
                // A panic left the state half-updated: rebuild what it holds
                // from the disk (the buffers are applied again below).
                let mut g = poisoned.into_inner();
                g.member.reload();
                g.snapshot = None;
                self.state.clear_poison();
                g
            }
        };
        let state = &mut *guard;
        let pending = std::mem::take(&mut *lock(&self.pending));
        for path in pending {
            state.member.apply(&Change::Disk(path));
        }
        // Buffers closed since the last update: the disk is the truth again.
        let closed: Vec<PathBuf> = state
            .member
            .buffers()
            .keys()
            .filter(|p| !docs.iter().any(|d| &d.path == *p))
            .cloned()
            .collect();
        for path in closed {
            state.member.apply(&Change::Closed(path));
        }
        for doc in docs.iter().filter(|d| self.contains(&d.path)) {
            if state.member.buffers().get(&doc.path) == Some(&doc.version) {
                continue;
            }
            // Let go of the last snapshot first: when no request holds it
            // any more, the file is then updated in place, not copied.
            state.snapshot = None;
            // Sized once (`to_string` grows the string chunk by chunk).
            let mut text = String::with_capacity(doc.rope.len_bytes());
            doc.rope.chunks().for_each(|chunk| text.push_str(chunk));
            state.member.apply(&Change::Buffer {
                path: doc.path.clone(),
                version: doc.version,
                text,
            });
        }
        let analysis = state.member.analysis(options);
        match &state.snapshot {
            Some(s) if Arc::ptr_eq(&s.analysis, &analysis) => s.clone(),
            _ => {
                let snapshot = Arc::new(Snapshot {
                    id: ANALYSIS_IDS.fetch_add(1, Ordering::SeqCst),
                    analysis,
                    versions: state.member.buffers().clone(),
                });
                state.snapshot = Some(snapshot.clone());
                snapshot
            }
        }
    }
}

/// Locks a mutex whose data stays valid even if a holder panicked.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The project a file belongs to among `slots` (the innermost root).
pub fn slot_for(slots: &[Arc<ProjectSlot>], path: &Path) -> Option<Arc<ProjectSlot>> {
    slots
        .iter()
        .filter(|s| s.contains(path))
        .max_by_key(|s| s.root.components().count())
        .cloned()
}
