//! The server's view of the workspace: open buffers (ropes) and one loaded
//! [`Project`] per SFDX project. Everything here speaks byte offsets; the
//! protocol layer converts at the edge.

use crate::analysis::Analysis;
use crate::check::CheckOptions;
use crate::metadata::MetadataKind;
use crate::project::{self, Ignored, LoadOptions, Project};
use crate::source::SourceFile;
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

/// A change noticed on disk, applied the next time the project is brought
/// up to date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskChange {
    /// A metadata file was created, changed or deleted.
    File(PathBuf),
    /// `sfdx-project.json` or `.forceignore` changed: load everything again.
    Reload,
}

/// One SFDX project (a workspace folder, or the project around a file
/// opened outside every folder).
pub struct ProjectSlot {
    pub root: PathBuf,
    manifest: Mutex<Option<PathBuf>>,
    /// Bumped by every change the next analysis must see.
    pending_gen: AtomicU64,
    pending: Mutex<Vec<DiskChange>>,
    state: Mutex<ProjectState>,
}

pub struct ProjectState {
    pub project: Project,
    /// Which version of each open buffer `project` holds.
    buffers: HashMap<PathBuf, i32>,
    seen_gen: u64,
    seen_options: Option<CheckOptionsKey>,
    pub analysis: Option<Arc<Snapshot>>,
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

/// The parts of [`CheckOptions`] that change results.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CheckOptionsKey(String);

impl CheckOptionsKey {
    fn of(o: &CheckOptions) -> Self {
        CheckOptionsKey(format!("{:?}|{:?}|{:?}", o.as_of, o.lang, o.overrides))
    }
}

static ANALYSIS_IDS: AtomicU64 = AtomicU64::new(1);

impl ProjectSlot {
    /// Loads the project at `root` (see [`project::find_root`]).
    pub fn load(root: PathBuf, manifest: Option<PathBuf>) -> ProjectSlot {
        let project = Project::load(&root, manifest.clone(), &LoadOptions::default());
        ProjectSlot {
            root,
            manifest: Mutex::new(manifest),
            pending_gen: AtomicU64::new(1),
            pending: Mutex::new(Vec::new()),
            state: Mutex::new(ProjectState {
                project,
                buffers: HashMap::new(),
                seen_gen: 0,
                seen_options: None,
                analysis: None,
            }),
        }
    }

    /// Whether `path` belongs to this project.
    pub fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.root)
    }

    pub fn manifest_path(&self) -> Option<PathBuf> {
        lock(&self.manifest).clone()
    }

    /// Loads the project again from disk (the manifest may have appeared or
    /// gone since).
    fn reload(&self) -> Project {
        let manifest = self.root.join(project::MANIFEST);
        let manifest = manifest.is_file().then_some(manifest);
        *lock(&self.manifest) = manifest.clone();
        Project::load(&self.root, manifest, &LoadOptions::default())
    }

    /// Records a change on disk; cheap, never waits for an analysis.
    pub fn note_disk_change(&self, change: DiskChange) {
        lock(&self.pending).push(change);
        self.touch();
    }

    /// Something the next analysis must see happened (a buffer changed).
    pub fn touch(&self) {
        self.pending_gen.fetch_add(1, Ordering::SeqCst);
    }

    /// Brings the project up to date with `docs` (the open buffers, as of
    /// the caller's snapshot) and the disk, checks it when anything
    /// changed, and returns the locked state. Blocking: run it off the
    /// async threads.
    pub fn update(
        &self,
        docs: &[Document],
        options: &CheckOptions,
    ) -> MutexGuard<'_, ProjectState> {
        let mut guard = match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => {
                // A panic left the state half-updated: rebuild what it holds
                // from the disk and the buffers.
                let mut g = poisoned.into_inner();
                g.project = self.reload();
                g.buffers.clear();
                g.analysis = None;
                self.state.clear_poison();
                g
            }
        };
        let state = &mut *guard;
        let gen = self.pending_gen.load(Ordering::SeqCst);
        let pending = std::mem::take(&mut *lock(&self.pending));
        let mut changed = state.analysis.is_none() || gen != state.seen_gen;
        let key = CheckOptionsKey::of(options);
        if state.seen_options.as_ref() != Some(&key) {
            state.seen_options = Some(key);
            changed = true;
        }
        if pending.contains(&DiskChange::Reload) {
            state.project = self.reload();
            state.buffers.clear();
        } else {
            for change in &pending {
                if let DiskChange::File(path) = change {
                    if !docs.iter().any(|d| &d.path == path) {
                        state.reload_from_disk(path);
                    }
                }
            }
        }
        // Buffers closed since the last update: the disk is the truth again.
        let closed: Vec<PathBuf> = state
            .buffers
            .keys()
            .filter(|p| !docs.iter().any(|d| &d.path == *p))
            .cloned()
            .collect();
        for path in closed {
            state.buffers.remove(&path);
            state.reload_from_disk(&path);
            changed = true;
        }
        for doc in docs.iter().filter(|d| self.contains(&d.path)) {
            if state.buffers.get(&doc.path) == Some(&doc.version) {
                continue;
            }
            // Let go of the old analysis first: when no request holds it
            // any more, the file is then updated in place, not copied.
            state.analysis = None;
            state.apply_buffer(doc);
            state.buffers.insert(doc.path.clone(), doc.version);
            changed = true;
        }
        if changed {
            let analysis = Analysis::new(state.project.clone(), options);
            state.analysis = Some(Arc::new(Snapshot {
                id: ANALYSIS_IDS.fetch_add(1, Ordering::SeqCst),
                analysis: Arc::new(analysis),
                versions: state.buffers.clone(),
            }));
        }
        state.seen_gen = gen;
        guard
    }
}

impl ProjectSlot {
    /// [`ProjectSlot::update`], then the analysis alone: the lock is let
    /// go before anyone reads it.
    pub fn snapshot(&self, docs: &[Document], options: &CheckOptions) -> Arc<Snapshot> {
        let state = self.update(docs, options);
        match &state.analysis {
            Some(snapshot) => snapshot.clone(),
            None => unreachable!("update always leaves an analysis"),
        }
    }
}

impl ProjectState {
    /// Puts an open buffer's text in the project, when the project checks
    /// the file. A file it holds already is updated in place (see
    /// [`SourceFile::set_text`]): the other files, and most of this one,
    /// are not read or parsed again.
    fn apply_buffer(&mut self, doc: &Document) {
        let Some(name) = doc.path.file_name().and_then(|n| n.to_str()) else {
            return;
        };
        let Some((kind, format)) = MetadataKind::from_file_name(name) else {
            return;
        };
        if self.is_excluded(&doc.path) {
            return;
        }
        // Sized once (`to_string` grows the string chunk by chunk).
        let mut text = String::with_capacity(doc.rope.len_bytes());
        doc.rope.chunks().for_each(|chunk| text.push_str(chunk));
        match self.project.file_mut(&doc.path) {
            Some(file) => {
                file.set_text(text);
                self.project.resolve_apex_file(&doc.path);
            }
            None => self.project.upsert(SourceFile::new(
                doc.path.clone(),
                self.project.rel_path(&doc.path),
                kind,
                format,
                text.into_bytes(),
            )),
        }
    }

    fn is_excluded(&self, path: &Path) -> bool {
        matches!(
            self.project.filter.check(path, false),
            Some(Ignored::ByForceignore | Ignored::ByExclude)
        ) || (self.project.manifest_path.is_some() && self.project.package_dir_of(path).is_none())
    }

    fn reload_from_disk(&mut self, path: &Path) {
        if self.is_excluded(path) {
            self.project.remove(path);
            return;
        }
        match self.project.read_file(path) {
            Some(Ok(file)) => self.project.upsert(file),
            _ => self.project.remove(path),
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

/// Where the project of a file outside every known project is.
pub fn root_for_file(path: &Path) -> (PathBuf, Option<PathBuf>) {
    project::find_root(path)
}
