//! The server's state and its one owner.
//!
//! The open buffers (ropes), the settings and the engine's [`Workspace`]
//! (one [`Member`] per SFDX project, with what the server keeps beside it:
//! a [`ProjectRecord`], the last [`Snapshot`] of it) belong to one thread,
//! the [`Owner`]. The protocol
//! layer sends it [`Event`]s over a channel, in the order the client sent
//! the messages; it applies them one after the other. A request asks it
//! for a [`View`] (an event like the others, so it sees every notification
//! sent before it) and then works on that view alone, on a thread of its
//! own: nothing here is behind a lock, and the owner never waits for the
//! client or for a request. Nor for a check: the owner brings a project
//! up to date and prepares its check ([`Member::prepare`]); the check runs
//! on a worker thread, the request waits for it ([`PendingView::wait`]),
//! and the owner keeps its result the next time it sees the project
//! ([`Member::accept`]), unless the project changed since.
//!
//! Everything here speaks byte offsets; positions are converted at the
//! edge ([`super::position`]).

use super::position::Encoding;
use super::settings::Settings;
use crate::analysis::Analysis;
use crate::check::CheckOptions;
use crate::i18n::Lang;
use crate::project::Project;
use crate::source::SourceFile;
use crate::workspace::{same_options, Change, Member, Workspace};
use ropey::Rope;
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use tokio::sync::{oneshot, watch, Notify};
use tower_lsp_server::ls_types::{MessageType, TextDocumentContentChangeEvent, Uri};

/// An open editor buffer.
#[derive(Clone, Debug)]
pub struct Document {
    pub path: PathBuf,
    pub version: i32,
    pub rope: Rope,
}

/// What the server keeps of one SFDX project beside its [`Member`] of the
/// workspace (a workspace folder, or the project around a file opened
/// outside every folder), by the project's root.
#[derive(Default)]
pub struct ProjectRecord {
    snapshot: Option<Arc<Snapshot>>,
    /// A panic left the member half-updated: the next snapshot reads it
    /// again.
    broken: bool,
    /// The check running on a worker thread for the member's latest
    /// version, shared by every request that asks for that version.
    running: Option<Running>,
    /// Test hooks for the next check of the project.
    debug: DebugCheck,
}

/// A check on a worker thread: the [`Job::id`] it was made from, its
/// options, and where its result comes.
struct Running {
    job: u64,
    options: CheckOptions,
    result: Checked,
}

/// Where a check's snapshot comes, or the error it ended with: `None`
/// while it runs.
type Checked = watch::Receiver<Option<Result<Arc<Snapshot>, String>>>;

/// Test hooks (see [`Event::DebugHoldChecks`], [`Event::DebugCheckPanic`]).
#[derive(Default)]
struct DebugCheck {
    /// The next check waits until every sender of this is gone.
    hold: Option<mpsc::Receiver<()>>,
    /// The next check panics.
    panic: bool,
}

/// A project's snapshot in a view, now or when its check ends.
pub enum Ready {
    Now(Arc<Snapshot>),
    Later(Checked),
    Failed(String),
}

impl Ready {
    /// The snapshot, once its check ended; the error it ended with.
    pub async fn wait(self) -> Result<Arc<Snapshot>, String> {
        match self {
            Ready::Now(snapshot) => Ok(snapshot),
            Ready::Failed(message) => Err(message),
            Ready::Later(mut result) => match result.wait_for(Option::is_some).await {
                Ok(done) => done.clone().unwrap_or_else(|| Err("no check".into())),
                Err(_) => Err("the check stopped before it ended".into()),
            },
        }
    }
}

/// What the last check found, for the project as it was then: the
/// engine's analysis and the buffer versions it saw.
pub struct Snapshot {
    /// The project's root.
    pub root: PathBuf,
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

impl ProjectRecord {
    /// Brings `member` (the project this record is of; changes on disk
    /// are applied to it as they come) up to date with `docs` (the open
    /// buffers).
    fn update(&mut self, member: &mut Member, docs: &[Document]) {
        self.collect(member);
        if std::mem::take(&mut self.broken) {
            // Read from the disk again; the buffers are applied below.
            self.snapshot = None;
            member.reload();
        }
        // Buffers closed since the last update: the disk is the truth again.
        let closed: Vec<PathBuf> = member
            .buffers()
            .keys()
            .filter(|p| !docs.iter().any(|d| &d.path == *p))
            .cloned()
            .collect();
        for path in closed {
            member.apply(&Change::Closed(path));
        }
        let root = member.root.clone();
        for doc in docs.iter().filter(|d| d.path.starts_with(&root)) {
            if member.buffers().get(&doc.path) == Some(&doc.version) {
                continue;
            }
            // Let go of the last snapshot first: when no request holds it
            // any more, the file is then updated in place, not copied.
            self.snapshot = None;
            // Sized once (`to_string` grows the string chunk by chunk).
            let mut text = String::with_capacity(doc.rope.len_bytes());
            doc.rope.chunks().for_each(|chunk| text.push_str(chunk));
            member.apply(&Change::Buffer {
                path: doc.path.clone(),
                version: doc.version,
                text,
            });
        }
    }

    /// Takes the result of the running check, when it ended: the member
    /// keeps its analysis unless it changed since the check started; a
    /// check that panicked leaves the project to be read again.
    fn collect(&mut self, member: &mut Member) {
        let Some(running) = &self.running else {
            return;
        };
        let ended = running.result.borrow().clone();
        match ended {
            Some(Ok(snapshot)) => {
                if member.accept(running.job, snapshot.analysis.clone()) {
                    self.snapshot = Some(snapshot);
                }
            }
            Some(Err(_)) => self.broken = true,
            // Still running.
            None if running.result.has_changed().is_ok() => return,
            // Gone without a result.
            None => self.broken = true,
        }
        self.running = None;
    }

    /// The snapshot of the member's kept analysis, made when the last one
    /// is of another.
    fn kept(&mut self, member: &Member, analysis: Arc<Analysis>) -> Arc<Snapshot> {
        match &self.snapshot {
            Some(s) if Arc::ptr_eq(&s.analysis, &analysis) => s.clone(),
            _ => {
                let snapshot = Arc::new(Snapshot {
                    root: member.root.clone(),
                    id: ANALYSIS_IDS.fetch_add(1, Ordering::SeqCst),
                    analysis,
                    versions: member.buffers().clone(),
                });
                self.snapshot = Some(snapshot.clone());
                snapshot
            }
        }
    }

    /// Brings `member` up to date with `docs` and returns its snapshot: the
    /// kept one, or the one a check on a worker thread makes (started
    /// here, unless one runs for this version already). The owner never
    /// runs the check itself.
    fn ready(
        &mut self,
        member: &mut Member,
        docs: &[Document],
        options: &CheckOptions,
        log: &tokio::sync::mpsc::UnboundedSender<(MessageType, String)>,
    ) -> Ready {
        self.update(member, docs);
        if let Some(running) = &self.running {
            if running.job == member.version() && same_options(&running.options, options) {
                return Ready::Later(running.result.clone());
            }
        }
        let job = match member.prepare(options) {
            Some(job) => job,
            // Nothing to prepare: the kept analysis is of the project now.
            None => {
                return match member.kept(options) {
                    Some(analysis) => Ready::Now(self.kept(member, analysis)),
                    None => Ready::Failed("no analysis was kept".into()),
                }
            }
        };
        let (tx, rx) = watch::channel(None);
        self.running = Some(Running {
            job: job.id(),
            options: options.clone(),
            result: rx.clone(),
        });
        let versions = member.buffers().clone();
        let debug = std::mem::take(&mut self.debug);
        let log = log.clone();
        let spawned = std::thread::Builder::new()
            .name("lsp-check".into())
            .spawn(move || {
                let root = job.root().to_path_buf();
                let checked = catch_unwind(AssertUnwindSafe(|| {
                    if let Some(hold) = debug.hold {
                        let _ = hold.recv();
                    }
                    if debug.panic {
                        panic!("requested by exchangeAuthLint/debugCheckPanic");
                    }
                    job.run()
                }));
                let result = match checked {
                    Ok(analysis) => Ok(Arc::new(Snapshot {
                        root,
                        id: ANALYSIS_IDS.fetch_add(1, Ordering::SeqCst),
                        analysis: Arc::new(analysis),
                        versions,
                    })),
                    Err(payload) => {
                        let message = format!(
                            "internal error in checking {}: {}",
                            root.display(),
                            panic_message(&*payload)
                        );
                        let _ = log.send((MessageType::ERROR, message.clone()));
                        Err(message)
                    }
                };
                let _ = tx.send(Some(result));
            });
        if let Err(err) = spawned {
            self.running = None;
            return Ready::Failed(format!("cannot start a check: {err}"));
        }
        Ready::Later(rx)
    }

    /// Brings `member` up to date with `docs`, checks it here when anything
    /// changed, and returns the snapshot (tests).
    #[cfg(test)]
    pub fn snapshot(
        &mut self,
        member: &mut Member,
        docs: &[Document],
        options: &CheckOptions,
    ) -> Arc<Snapshot> {
        self.update(member, docs);
        let analysis = member.analysis(options);
        self.kept(member, analysis)
    }
}

/// Whether the project at `root` is the one `path` belongs to among the
/// projects at `roots` (a folder's project does not speak for the projects
/// nested in it).
pub fn owns(roots: &[PathBuf], root: &Path, path: &Path) -> bool {
    roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.components().count())
        .is_some_and(|r| r == root)
}

/// Which projects a [`View`] holds.
#[derive(Debug)]
pub enum Target {
    /// The projects of these paths (each loaded when outside every known
    /// project), each once.
    Paths(Vec<PathBuf>),
    /// Every known project.
    All,
}

/// What a request works on: snapshots of projects, brought up to date with
/// every change sent before the request, and the open buffers they saw.
pub struct View {
    pub projects: Vec<Arc<Snapshot>>,
    pub docs: Vec<Document>,
    /// The root of every known project (see [`owns`]).
    pub roots: Vec<PathBuf>,
}

/// What the owner answers for a [`View`]: the projects brought up to date,
/// each with its snapshot or the check that makes it (on a worker thread:
/// the request waits for that check, not the owner).
pub struct PendingView {
    pub projects: Vec<Ready>,
    pub docs: Vec<Document>,
    pub roots: Vec<PathBuf>,
}

impl PendingView {
    /// The view, once every check it waits for ended; the error of the
    /// first that failed.
    pub async fn wait(self) -> Result<View, String> {
        let mut projects = Vec::with_capacity(self.projects.len());
        for ready in self.projects {
            projects.push(ready.wait().await?);
        }
        Ok(View {
            projects,
            docs: self.docs,
            roots: self.roots,
        })
    }
}

/// Where the workspace index is, for its progress report.
#[derive(Clone, Debug)]
pub enum IndexProgress {
    Started,
    Folder { name: String, percentage: u32 },
    Done,
}

/// What the owner is told, in the order the client sent it.
pub enum Event {
    Open {
        uri: Uri,
        path: PathBuf,
        version: i32,
        text: String,
    },
    Change {
        uri: Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    },
    Close {
        uri: Uri,
    },
    /// Files changed on disk (watcher, save, files a fix created).
    Disk(Vec<PathBuf>),
    /// New settings (re-checks everything when they differ).
    Settings(Settings),
    /// `loader` (the owner's own channel) is where a folder in no project,
    /// walked on a thread of its own, comes back ([`Event::Loaded`]).
    Folders {
        added: Vec<PathBuf>,
        removed: Vec<PathBuf>,
        loader: mpsc::Sender<Event>,
    },
    /// Loads the workspace folders; answers with the log lines it has (of
    /// the projects: a folder in no project comes later, as for
    /// [`Event::Folders`]).
    Index {
        folders: Vec<PathBuf>,
        progress: watch::Sender<IndexProgress>,
        done: oneshot::Sender<Vec<(MessageType, String)>>,
        loader: mpsc::Sender<Event>,
    },
    /// A workspace folder in no project, walked on a thread of its own
    /// (see [`Owner::add_folder`]).
    Loaded {
        root: PathBuf,
        member: Result<Box<Member>, String>,
    },
    View {
        target: Target,
        reply: oneshot::Sender<Result<PendingView, String>>,
    },
    /// The files whose project needs a fresh push of diagnostics (emptied).
    TakeDirty {
        reply: oneshot::Sender<Vec<PathBuf>>,
    },
    /// The version of every open buffer.
    Versions {
        reply: oneshot::Sender<HashMap<Uri, i32>>,
    },
    /// Test hook: panics in the owner.
    DebugPanic,
    /// Test hook: the next check of the project of this path waits until
    /// [`Event::DebugReleaseChecks`].
    DebugHoldChecks(PathBuf),
    /// Test hook: the next walk of a workspace folder in no project waits
    /// until [`Event::DebugReleaseChecks`].
    DebugHoldLoads,
    /// Test hook: the checks and walks held go on.
    DebugReleaseChecks,
    /// Test hook: the next check of the project of this path panics.
    DebugCheckPanic(PathBuf),
}

impl Event {
    fn name(&self) -> &'static str {
        match self {
            Event::Open { .. } => "textDocument/didOpen",
            Event::Change { .. } => "textDocument/didChange",
            Event::Close { .. } => "textDocument/didClose",
            Event::Disk(_) => "a change on disk",
            Event::Settings(_) => "settings",
            Event::Folders { .. } => "workspace/didChangeWorkspaceFolders",
            Event::Index { .. } => "indexing",
            Event::Loaded { .. } => "indexing a folder in no project",
            Event::View { .. } => "bringing a project up to date",
            Event::TakeDirty { .. } => "diagnostics",
            Event::Versions { .. } => "diagnostics",
            Event::DebugPanic => "exchangeAuthLint/debugOwnerPanic",
            Event::DebugHoldChecks(_) => "exchangeAuthLint/debugHoldChecks",
            Event::DebugHoldLoads => "exchangeAuthLint/debugHoldLoads",
            Event::DebugReleaseChecks => "exchangeAuthLint/debugReleaseChecks",
            Event::DebugCheckPanic(_) => "exchangeAuthLint/debugCheckPanic",
        }
    }
}

/// The one owner of the server's state (see the module documentation).
pub struct Owner {
    encoding: Encoding,
    lang: Lang,
    /// Pull clients ask for diagnostics themselves: nothing is marked dirty
    /// for a buffer change.
    pull: bool,
    settings: Settings,
    docs: HashMap<Uri, Document>,
    /// The projects (the engine finds them and applies changes on disk).
    workspace: Workspace,
    /// What the server keeps of each, by root.
    records: HashMap<PathBuf, ProjectRecord>,
    /// Files whose project needs a fresh push of diagnostics.
    dirty: HashSet<PathBuf>,
    /// Told when `dirty` gets a file.
    wake: Arc<Notify>,
    /// The roots of the projects being changed (see [`Owner::recover`]).
    syncing: Vec<PathBuf>,
    /// The server's log (for panics caught here and in checks).
    log: tokio::sync::mpsc::UnboundedSender<(MessageType, String)>,
    /// The roots of workspace folders in no project being walked on a
    /// thread of their own (see [`Owner::add_folder`]).
    loading: HashSet<PathBuf>,
    /// What the checks held by [`Event::DebugHoldChecks`] and the walks
    /// held by [`Event::DebugHoldLoads`] wait for.
    held: Vec<mpsc::Sender<()>>,
    /// What the next walk of a folder in no project waits for.
    load_hold: Option<mpsc::Receiver<()>>,
}

impl Owner {
    pub fn new(
        encoding: Encoding,
        lang: Lang,
        pull: bool,
        settings: Settings,
        wake: Arc<Notify>,
        log: tokio::sync::mpsc::UnboundedSender<(MessageType, String)>,
    ) -> Owner {
        Owner {
            encoding,
            lang,
            pull,
            settings,
            docs: HashMap::new(),
            workspace: Workspace::new(),
            records: HashMap::new(),
            dirty: HashSet::new(),
            wake,
            syncing: Vec::new(),
            log,
            loading: HashSet::new(),
            held: Vec::new(),
            load_hold: None,
        }
    }

    /// Starts the owner's thread; it ends when every sender is gone.
    pub fn spawn(self) -> std::io::Result<mpsc::Sender<Event>> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("lsp-state".into())
            .spawn(move || self.run(rx))?;
        Ok(tx)
    }

    fn run(mut self, events: mpsc::Receiver<Event>) {
        while let Ok(event) = events.recv() {
            let what = event.name();
            match event {
                Event::View { target, reply } => {
                    let view = catch_unwind(AssertUnwindSafe(|| self.view(target)));
                    let _ = reply.send(view.map_err(|payload| self.recover(what, &*payload)));
                }
                other => {
                    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| self.handle(other))) {
                        self.recover(what, &*payload);
                    }
                }
            }
        }
    }

    /// After a panic: the projects it was changing are read from the disk
    /// again (by the next snapshot); a log line says what happened.
    fn recover(&mut self, what: &str, payload: &(dyn std::any::Any + Send)) -> String {
        for root in std::mem::take(&mut self.syncing) {
            if self.workspace.index_of(&root).is_some() {
                self.records.entry(root).or_default().broken = true;
            }
        }
        let message = format!("internal error in {what}: {}", panic_message(payload));
        let _ = self.log.send((MessageType::ERROR, message.clone()));
        message
    }

    /// Applies one event (views: [`Owner::view`]).
    fn handle(&mut self, event: Event) {
        match event {
            Event::Open {
                uri,
                path,
                version,
                text,
            } => {
                self.docs.insert(
                    uri,
                    Document {
                        path: path.clone(),
                        version,
                        rope: Rope::from_str(&text),
                    },
                );
                self.buffer_changed(path);
            }
            Event::Change {
                uri,
                version,
                changes,
            } => {
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                for change in changes {
                    match change.range {
                        None => doc.rope = Rope::from_str(&change.text),
                        Some(range) => {
                            let bytes = self.encoding.byte_range(&doc.rope, range);
                            let start = doc.rope.byte_to_char(bytes.start);
                            let end = doc.rope.byte_to_char(bytes.end);
                            doc.rope.remove(start..end);
                            doc.rope.insert(start, &change.text);
                        }
                    }
                }
                doc.version = version;
                let path = doc.path.clone();
                self.buffer_changed(path);
            }
            Event::Close { uri } => {
                if let Some(doc) = self.docs.remove(&uri) {
                    self.buffer_changed(doc.path);
                }
            }
            Event::Disk(paths) => {
                for path in paths {
                    self.disk_change(path);
                }
            }
            Event::Settings(new) => {
                if new != self.settings {
                    self.settings = new;
                    let roots: Vec<PathBuf> =
                        self.workspace.roots().map(Path::to_path_buf).collect();
                    roots.into_iter().for_each(|r| self.mark_dirty(r));
                }
            }
            Event::Folders {
                added,
                removed,
                loader,
            } => {
                if !removed.is_empty() {
                    removed.iter().for_each(|r| self.workspace.remove_folder(r));
                    self.loading
                        .retain(|root| !removed.iter().any(|r| root.starts_with(r)));
                    let workspace = &self.workspace;
                    self.records
                        .retain(|root, _| workspace.index_of(root).is_some());
                }
                for folder in added {
                    if let Some(i) = self.add_folder(&folder, &loader) {
                        for line in self.index_lines(i) {
                            let _ = self.log.send(line);
                        }
                    }
                    self.mark_dirty(folder);
                }
            }
            Event::Loaded { root, member } => {
                // A folder removed while it was walked is not added.
                if !self.loading.remove(&root) {
                    return;
                }
                match member {
                    Ok(member) => {
                        let i = self.workspace.insert(*member);
                        for line in self.index_lines(i) {
                            let _ = self.log.send(line);
                        }
                        self.mark_dirty(root);
                    }
                    Err(message) => {
                        let line = format!("indexing {} failed: {message}", root.display());
                        let _ = self.log.send((MessageType::ERROR, line));
                    }
                }
            }
            Event::Index {
                folders,
                progress,
                done,
                loader,
            } => {
                let mut lines = Vec::new();
                let total = folders.len().max(1);
                for (i, folder) in folders.iter().enumerate() {
                    let _ = progress.send(IndexProgress::Folder {
                        name: folder.display().to_string(),
                        percentage: (i * 100 / total) as u32,
                    });
                    match catch_unwind(AssertUnwindSafe(|| self.add_folder(folder, &loader))) {
                        Ok(Some(i)) => {
                            lines.extend(self.index_lines(i));
                            let root = self.workspace.members()[i].root.clone();
                            self.mark_dirty(root);
                        }
                        Ok(None) => {}
                        Err(payload) => lines.push((
                            MessageType::ERROR,
                            format!("indexing failed: {}", panic_message(&*payload)),
                        )),
                    }
                }
                let _ = done.send(lines);
            }
            Event::View { target, reply } => {
                let _ = reply.send(Ok(self.view(target)));
            }
            Event::TakeDirty { reply } => {
                let _ = reply.send(self.dirty.drain().collect());
            }
            Event::Versions { reply } => {
                let versions = self
                    .docs
                    .iter()
                    .map(|(uri, d)| (uri.clone(), d.version))
                    .collect();
                let _ = reply.send(versions);
            }
            Event::DebugPanic => panic!("requested by exchangeAuthLint/debugOwnerPanic"),
            Event::DebugHoldChecks(path) => {
                let (release, hold) = mpsc::channel();
                self.held.push(release);
                self.record_for(&path).debug.hold = Some(hold);
            }
            Event::DebugHoldLoads => {
                let (release, hold) = mpsc::channel();
                self.held.push(release);
                self.load_hold = Some(hold);
            }
            Event::DebugReleaseChecks => self.held.clear(),
            Event::DebugCheckPanic(path) => self.record_for(&path).debug.panic = true,
        }
    }

    /// Adds the project of a workspace folder; returns its index when it
    /// is loaded here.
    ///
    /// A folder in no project (`/`, a home directory: nothing at or above
    /// it has `sfdx-project.json`) is walked on a thread of its own, up to
    /// [`crate::project::MAX_DIRS_OUTSIDE_PROJECTS`] folders, and comes
    /// back through `loader` as [`Event::Loaded`]: the walk never holds the
    /// requests sent meanwhile, and a document opened below it gets the
    /// project around it ([`Workspace::member_for`]). A project is loaded
    /// here, before anything sent after it, as its whole walk is needed.
    fn add_folder(&mut self, folder: &Path, loader: &mpsc::Sender<Event>) -> Option<usize> {
        let (root, manifest) = crate::project::find_root(folder);
        if manifest.is_some() || self.workspace.index_of(&root).is_some() {
            return Some(self.workspace.add_folder(folder));
        }
        if !self.loading.insert(root.clone()) {
            return None;
        }
        let hold = self.load_hold.take();
        let loader = loader.clone();
        let walked = root.clone();
        let spawned = std::thread::Builder::new()
            .name("lsp-load".into())
            .spawn(move || {
                if let Some(hold) = hold {
                    let _ = hold.recv();
                }
                let member = catch_unwind(|| Member::around(&walked))
                    .map(Box::new)
                    .map_err(|payload| panic_message(&*payload));
                let _ = loader.send(Event::Loaded {
                    root: walked,
                    member,
                });
            });
        if spawned.is_ok() {
            return None;
        }
        self.loading.remove(&root);
        Some(self.workspace.add_folder(folder))
    }

    /// What the server logs of a project it loaded: the problems of its
    /// files and configuration, and the records of an interrupted `--fix`.
    fn index_lines(&self, i: usize) -> Vec<(MessageType, String)> {
        let member = &self.workspace.members()[i];
        let mut lines: Vec<(MessageType, String)> = member
            .project()
            .problems
            .iter()
            .map(|p| {
                let line = format!("{}: {}", p.path.display(), p.message);
                (MessageType::WARNING, line)
            })
            .collect();
        // Its diagnostics are of the files as they are.
        for record in crate::write::pending_records(&member.root) {
            lines.push((
                MessageType::WARNING,
                format!(
                    "{}: an interrupted --fix left some files of this project unwritten; diagnostics are of the files as they are on disk; run `exchange-auth-lint check --fix` in a terminal to complete it",
                    record.display()
                ),
            ));
        }
        lines
    }

    fn mark_dirty(&mut self, path: PathBuf) {
        self.dirty.insert(path);
        self.wake.notify_one();
    }

    fn buffer_changed(&mut self, path: PathBuf) {
        if !self.pull {
            self.mark_dirty(path);
        }
    }

    /// A file changed on disk: the workspace applies it to the projects it
    /// concerns (metadata files update one file of each; the manifest or
    /// `.forceignore` reload their project), which push diagnostics again.
    fn disk_change(&mut self, path: PathBuf) {
        self.syncing = self
            .workspace
            .members()
            .iter()
            .filter(|m| m.contains(&path))
            .map(|m| m.root.clone())
            .collect();
        let hit = self.workspace.apply(&Change::Disk(path));
        self.syncing.clear();
        for i in hit {
            let root = self.workspace.members()[i].root.clone();
            self.mark_dirty(root);
        }
    }

    /// The record of the project of `path` (loaded when outside every
    /// known project).
    fn record_for(&mut self, path: &Path) -> &mut ProjectRecord {
        let i = self.workspace.member_for(path);
        let root = self.workspace.members()[i].root.clone();
        self.records.entry(root).or_default()
    }

    fn view(&mut self, target: Target) -> PendingView {
        let docs: Vec<Document> = self.docs.values().cloned().collect();
        let options = self.settings.check_options(self.lang);
        let indexes: Vec<usize> = match target {
            Target::Paths(paths) => {
                let mut indexes = Vec::new();
                for path in paths {
                    let i = self.workspace.member_for(&path);
                    if !indexes.contains(&i) {
                        indexes.push(i);
                    }
                }
                indexes
            }
            Target::All => (0..self.workspace.members().len()).collect(),
        };
        let mut projects = Vec::new();
        for i in indexes {
            let member = &mut self.workspace.members_mut()[i];
            self.syncing = vec![member.root.clone()];
            let record = self.records.entry(member.root.clone()).or_default();
            projects.push(record.ready(member, &docs, &options, &self.log));
        }
        self.syncing.clear();
        PendingView {
            projects,
            docs,
            roots: self.workspace.roots().map(Path::to_path_buf).collect(),
        }
    }
}

/// What a panic said.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}
