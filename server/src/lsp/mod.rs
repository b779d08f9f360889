//! The language server: LSP 3.17 over stdio on `tower-lsp-server`.
//!
//! Layering: [`state`] holds buffers and projects and speaks byte offsets;
//! [`position`] is the only place positions are converted; this module
//! and [`convert`] are the protocol layer. Document changes are applied in
//! the handler's first (synchronous) step, in the order the client sent
//! them; engine work runs on blocking threads, isolated so that a panic
//! becomes an error response and a log line.

mod actions;
mod convert;
mod created;
mod hover;
pub mod position;
mod settings;
mod state;
pub mod transport;

use crate::i18n::Lang;
use crate::metadata::MetadataKind;
use crate::project::{FORCEIGNORE, MANIFEST};
use position::Encoding;
pub use settings::Settings;
use state::{lock, Document, ProjectSlot};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::{Notify, RwLock};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, ClientSocket, LanguageServer, LspService, Server};

/// The `source` of every diagnostic.
pub const SOURCE: &str = "exchange-auth-lint";

/// How long edits must pause before diagnostics are pushed again.
const DEBOUNCE: Duration = Duration::from_millis(120);
/// Pushes happen at least this often during a long burst of edits.
const MAX_DEBOUNCE: Duration = Duration::from_millis(1500);

/// Options for embedding the server (tests).
#[derive(Clone, Debug, Default)]
pub struct ServerOptions {
    /// Adds the request `exchangeAuthLint/debugPanic`, whose handler
    /// panics inside engine work: it shows that a panic is contained.
    pub debug_panic_method: bool,
    /// Filled by the server, read by the transport to mask secret values
    /// in everything it sends.
    pub secrets: transport::SecretsHandle,
}

/// Runs the server on stdin/stdout until the client says `exit` or the
/// input ends; says why it stopped (for standard error and the exit code).
pub fn run_stdio() -> std::io::Result<transport::Stop> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let stop = runtime.block_on(serve(
        tokio::io::stdin(),
        tokio::io::stdout(),
        ServerOptions::default(),
    ));
    // Blocking engine work still running is abandoned, not awaited.
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(stop)
}

/// Serves one client on an arbitrary byte stream (tests use a duplex
/// pipe), through the checking transport.
pub async fn serve<I, O>(input: I, output: O, options: ServerOptions) -> transport::Stop
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite + Unpin,
{
    let secrets = options.secrets.clone();
    let (service, socket) = service(options);
    transport::run(
        input,
        output,
        move |server_in, server_out| {
            tokio::spawn(async move {
                Server::new(server_in, server_out, socket)
                    .serve(service)
                    .await;
            })
        },
        secrets,
    )
    .await
}

pub fn service(options: ServerOptions) -> (LspService<Backend>, ClientSocket) {
    let secrets = options.secrets.clone();
    let mut builder = LspService::build(move |client| Backend {
        shared: Arc::new(Shared::new(client, secrets)),
    })
    .custom_method("$/setTrace", Backend::set_trace);
    if options.debug_panic_method {
        builder = builder.custom_method("exchangeAuthLint/debugPanic", Backend::debug_panic);
    }
    builder.finish()
}

/// What `initialize` settled.
#[derive(Clone, Debug, Default)]
struct Session {
    encoding: Encoding,
    lang: Lang,
    folders: Vec<PathBuf>,
    pull_diagnostics: bool,
    refresh_support: bool,
    work_done_progress: bool,
    configuration: bool,
    watched_files_dynamic: bool,
    document_changes: bool,
    create_files: bool,
    /// The client applies edits the server sends (`workspace/applyEdit`).
    apply_edit: bool,
    resolve_edits: bool,
    /// Settings from `initializationOptions`, used until the client answers
    /// `workspace/configuration`.
    initial_settings: Option<serde_json::Value>,
}

pub struct Backend {
    shared: Arc<Shared>,
}

struct Shared {
    client: Client,
    session: OnceLock<Session>,
    docs: Mutex<HashMap<Uri, Document>>,
    slots: Mutex<Vec<Arc<ProjectSlot>>>,
    /// Workspace folders added but not loaded yet (loaded by the next
    /// engine work, so that work sees them in the order they came).
    new_folders: Mutex<Vec<PathBuf>>,
    /// Held while new folders load: nobody picks a project for a path
    /// while a nearer one is still loading.
    folders_loading: Mutex<()>,
    /// Held for writing while the workspace folders are indexed; engine
    /// work takes it for reading, so it never sees a half-built index.
    index_gate: Arc<RwLock<()>>,
    settings: Mutex<Settings>,
    trace: Mutex<TraceValue>,
    /// Files whose project needs a fresh push of diagnostics.
    dirty: Mutex<HashSet<PathBuf>>,
    wake: Notify,
    /// What was last pushed per document (to clear and to skip repeats).
    published: Mutex<HashMap<Uri, Vec<Diagnostic>>>,
    /// Settings the client pushed last (`didChangeConfiguration`), not
    /// applied yet; `settings_wake` tells the settings task to read them.
    pushed_settings: Mutex<Option<serde_json::Value>>,
    settings_wake: Notify,
    /// The secret values of each project, for the transport to mask.
    secrets: transport::SecretsHandle,
}

impl Shared {
    fn new(client: Client, secrets: transport::SecretsHandle) -> Self {
        Shared {
            secrets,
            client,
            session: OnceLock::new(),
            docs: Mutex::new(HashMap::new()),
            slots: Mutex::new(Vec::new()),
            new_folders: Mutex::new(Vec::new()),
            folders_loading: Mutex::new(()),
            index_gate: Arc::new(RwLock::new(())),
            settings: Mutex::new(Settings::default()),
            trace: Mutex::new(TraceValue::Off),
            dirty: Mutex::new(HashSet::new()),
            wake: Notify::new(),
            published: Mutex::new(HashMap::new()),
            pushed_settings: Mutex::new(None),
            settings_wake: Notify::new(),
        }
    }

    fn session(&self) -> Session {
        self.session.get().cloned().unwrap_or_default()
    }

    /// The server's own diagnostics: `window/logMessage`, and `$/logTrace`
    /// when the client turned tracing on.
    async fn log(&self, typ: MessageType, message: impl Into<String>) {
        let message = message.into();
        let trace = *lock(&self.trace);
        if trace != TraceValue::Off {
            self.client
                .send_notification::<notification::LogTrace>(LogTraceParams {
                    message: message.clone(),
                    verbose: None,
                })
                .await;
        }
        self.client.log_message(typ, message).await;
    }

    fn check_options(&self) -> crate::check::CheckOptions {
        lock(&self.settings).check_options(self.session().lang)
    }

    /// A snapshot of the open buffers (ropes are cheap to clone).
    fn doc_snapshot(&self) -> Vec<Document> {
        lock(&self.docs).values().cloned().collect()
    }

    fn mark_dirty(&self, path: PathBuf) {
        lock(&self.dirty).insert(path);
        self.wake.notify_one();
    }

    /// A buffer changed. Pull clients ask for diagnostics themselves (and
    /// again for the other open documents: `interFileDependencies`).
    fn buffer_changed(&self, path: PathBuf) {
        if !self.session().pull_diagnostics {
            self.mark_dirty(path);
        }
    }

    /// Runs engine work on a blocking thread, after the index is built. A
    /// panic becomes an error response and a log line.
    async fn engine<T, F>(self: &Arc<Self>, what: &str, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Shared) -> T + Send + 'static,
    {
        let _gate = self.index_gate.clone().read_owned().await;
        let this = self.clone();
        match tokio::task::spawn_blocking(move || work(&this)).await {
            Ok(value) => Ok(value),
            Err(err) => {
                let reason = panic_reason(err);
                self.log(
                    MessageType::ERROR,
                    format!("internal error in {what}: {reason}"),
                )
                .await;
                Err(Error {
                    code: ErrorCode::InternalError,
                    message: format!("internal error in {what}: {reason}").into(),
                    data: None,
                })
            }
        }
    }

    /// The project of `path`, loading the one around it when it is outside
    /// every known project. Blocking.
    fn slot_for(&self, path: &Path) -> Arc<ProjectSlot> {
        self.load_new_folders();
        let mut slots = lock(&self.slots);
        if let Some(slot) = state::slot_for(&slots, path) {
            return slot;
        }
        let slot = Arc::new(ProjectSlot::around(path));
        slots.push(slot.clone());
        slot
    }

    /// Loads the workspace folders added since the last call. Blocking.
    fn load_new_folders(&self) {
        let _loading = lock(&self.folders_loading);
        let folders = std::mem::take(&mut *lock(&self.new_folders));
        for folder in folders {
            let (root, _) = crate::project::find_root(&folder);
            if lock(&self.slots).iter().any(|s| s.root == root) {
                continue;
            }
            let slot = Arc::new(ProjectSlot::around(&folder));
            lock(&self.slots).push(slot);
        }
    }

    /// Whether `slot` is the project `path` belongs to (a folder's project
    /// does not speak for the projects nested in it).
    fn owns(&self, slot_root: &Path, path: &Path) -> bool {
        state::slot_for(&lock(&self.slots), path).is_some_and(|s| s.root == slot_root)
    }

    /// Diagnostics of every file of `slot`'s project, brought up to date.
    /// Blocking.
    fn diagnostics_of(&self, slot: &ProjectSlot) -> convert::ProjectDiagnostics {
        self.load_new_folders();
        let docs = self.doc_snapshot();
        let options = self.check_options();
        let snapshot = slot.snapshot(&docs, &options);
        let mut diags = convert::project_diagnostics(&snapshot, &docs, self.session().encoding);
        self.secrets
            .set(slot.root.clone(), snapshot.analysis.secrets().clone());
        diags
            .files
            .retain(|f| file_path(&f.uri).is_some_and(|p| self.owns(&slot.root, &p)));
        diags
    }
}

/// Where the workspace index is, for its progress report.
#[derive(Clone, Debug)]
enum IndexProgress {
    Started,
    Folder { name: String, percentage: u32 },
    Done,
}

fn panic_reason(err: tokio::task::JoinError) -> String {
    if err.is_cancelled() {
        return "cancelled".into();
    }
    let payload = err.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

fn file_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

fn content_modified() -> Error {
    Error {
        code: ErrorCode::ServerError(-32801),
        message: "content modified".into(),
        data: None,
    }
}

impl Backend {
    async fn set_trace(&self, params: SetTraceParams) {
        *lock(&self.shared.trace) = params.value;
    }

    async fn debug_panic(&self) -> Result<()> {
        self.shared
            .engine("debugPanic", |_| -> () {
                panic!("requested by exchangeAuthLint/debugPanic")
            })
            .await
    }

    /// Indexes every workspace folder, with progress when the client shows
    /// it; then pushes the first diagnostics.
    ///
    /// Never waits for the client while it holds the index gate: requests
    /// queued behind the gate hold the transport's few message slots, so an
    /// answer from the client (to creating the progress token, say) would
    /// not be read until they finish — and they wait for the index. Progress
    /// is therefore shown by a task of its own, fed through a channel.
    async fn index(shared: Arc<Shared>, gate: tokio::sync::OwnedRwLockWriteGuard<()>) {
        let session = shared.session();
        let (progress, progress_rx) = tokio::sync::watch::channel(IndexProgress::Started);
        if session.work_done_progress {
            tokio::spawn(Backend::show_index_progress(shared.clone(), progress_rx));
        }
        let total = session.folders.len().max(1);
        for (i, folder) in session.folders.iter().enumerate() {
            let _ = progress.send(IndexProgress::Folder {
                name: folder.display().to_string(),
                percentage: (i * 100 / total) as u32,
            });
            let folder = folder.clone();
            let options = shared.check_options();
            let loaded = tokio::task::spawn_blocking(move || {
                let slot = Arc::new(ProjectSlot::around(&folder));
                let problems: Vec<String> = slot
                    .snapshot(&[], &options)
                    .project()
                    .problems
                    .iter()
                    .map(|p| format!("{}: {}", p.path.display(), p.message))
                    .collect();
                (slot, problems)
            })
            .await;
            match loaded {
                Ok((slot, problems)) => {
                    {
                        let mut slots = lock(&shared.slots);
                        if !slots.iter().any(|s| s.root == slot.root) {
                            slots.push(slot.clone());
                        }
                    }
                    for p in problems {
                        shared.log(MessageType::WARNING, p).await;
                    }
                    shared.mark_dirty(slot.root.clone());
                }
                Err(err) => {
                    let reason = panic_reason(err);
                    shared
                        .log(MessageType::ERROR, format!("indexing failed: {reason}"))
                        .await;
                }
            }
        }
        drop(gate);
        let _ = progress.send(IndexProgress::Done);
        if session.pull_diagnostics && session.refresh_support {
            let _ = shared.client.workspace_diagnostic_refresh().await;
        }
    }

    /// Shows the index's progress (`window/workDoneProgress`) as it comes
    /// through `state`; ends it when the index is done or gone.
    async fn show_index_progress(
        shared: Arc<Shared>,
        mut state: tokio::sync::watch::Receiver<IndexProgress>,
    ) {
        let token = NumberOrString::String("exchange-auth-lint/index".into());
        if shared
            .client
            .create_work_done_progress(token.clone())
            .await
            .is_err()
        {
            return;
        }
        let progress = shared
            .client
            .progress(token, "exchange-auth-lint: indexing")
            .with_percentage(0)
            .begin()
            .await;
        loop {
            let now = state.borrow_and_update().clone();
            match now {
                IndexProgress::Started => {}
                IndexProgress::Folder { name, percentage } => {
                    progress.report_with_message(name, percentage).await
                }
                IndexProgress::Done => break,
            }
            if state.changed().await.is_err() {
                break;
            }
        }
        progress.finish_with_message("done").await;
    }

    /// Applies settings changes one after the other, outside the
    /// notification handler: awaiting the client's answer to
    /// `workspace/configuration` there would hold one of the few message
    /// slots of the transport, and a burst of changes would hold them all
    /// while the answers wait unread behind them (a deadlock). Changes that
    /// come while one is applied are read together afterwards.
    async fn settings_loop(shared: Arc<Shared>) {
        loop {
            shared.settings_wake.notified().await;
            let pushed = lock(&shared.pushed_settings).take();
            shared.refresh_settings(pushed).await;
        }
    }

    /// Pushes diagnostics for dirty projects after edits pause.
    async fn push_loop(shared: Arc<Shared>) {
        loop {
            shared.wake.notified().await;
            let started = tokio::time::Instant::now();
            while started.elapsed() < MAX_DEBOUNCE {
                if tokio::time::timeout(DEBOUNCE, shared.wake.notified())
                    .await
                    .is_err()
                {
                    break;
                }
            }
            let dirty: Vec<PathBuf> = lock(&shared.dirty).drain().collect();
            if dirty.is_empty() {
                continue;
            }
            let session = shared.session();
            if session.pull_diagnostics {
                if session.refresh_support {
                    let _ = shared.client.workspace_diagnostic_refresh().await;
                }
                continue;
            }
            let result = shared
                .engine("diagnostics", move |shared| {
                    let mut seen = HashSet::new();
                    let mut out = Vec::new();
                    for path in dirty {
                        let slot = shared.slot_for(&path);
                        if seen.insert(slot.root.clone()) {
                            out.push((slot.root.clone(), shared.diagnostics_of(&slot)));
                        }
                    }
                    out
                })
                .await;
            let Ok(projects) = result else { continue };
            for (root, diags) in projects {
                shared.publish(&root, diags).await;
            }
        }
    }
}

impl Shared {
    /// Pushes what changed; never for a version the buffer has left behind.
    async fn publish(&self, root: &Path, diags: convert::ProjectDiagnostics) {
        let mut to_send = Vec::new();
        {
            let docs = lock(&self.docs);
            let mut published = lock(&self.published);
            let fresh: HashSet<&Uri> = diags.files.iter().map(|f| &f.uri).collect();
            // Files of this project that had diagnostics and now have none.
            let cleared: Vec<Uri> = published
                .iter()
                .filter(|(uri, d)| {
                    !d.is_empty()
                        && !fresh.contains(uri)
                        && file_path(uri).is_some_and(|p| self.owns(root, &p))
                })
                .map(|(uri, _)| uri.clone())
                .collect();
            for uri in cleared {
                let version = docs.get(&uri).map(|d| d.version);
                published.insert(uri.clone(), Vec::new());
                to_send.push((uri, Vec::new(), version));
            }
            for file in diags.files {
                let current = docs.get(&file.uri).map(|d| d.version);
                if current != file.version {
                    // Outdated (or closed since): a newer run is on its way.
                    continue;
                }
                if published.get(&file.uri) == Some(&file.diagnostics) && current.is_none() {
                    continue;
                }
                published.insert(file.uri.clone(), file.diagnostics.clone());
                to_send.push((file.uri, file.diagnostics, file.version));
            }
        }
        for (uri, diagnostics, version) in to_send {
            self.client
                .publish_diagnostics(uri, diagnostics, version)
                .await;
        }
    }

    /// Reads `exchangeAuthLint` from the client; re-checks when it changed.
    async fn refresh_settings(self: &Arc<Self>, pushed: Option<serde_json::Value>) {
        let session = self.session();
        let value = if session.configuration {
            let item = ConfigurationItem {
                scope_uri: None,
                section: Some(settings::SECTION.into()),
            };
            match self.client.configuration(vec![item]).await {
                Ok(mut values) if !values.is_empty() => Some(values.remove(0)),
                _ => pushed,
            }
        } else {
            pushed
        };
        let Some(value) = value.or(session.initial_settings.clone()) else {
            return;
        };
        let mut problems = Vec::new();
        let new = Settings::from_json(&value, &mut problems);
        for p in problems {
            self.log(MessageType::WARNING, format!("settings: {p}"))
                .await;
        }
        let changed = {
            let mut current = lock(&self.settings);
            let changed = *current != new;
            *current = new;
            changed
        };
        if changed {
            self.recheck_all();
        }
    }

    fn recheck_all(&self) {
        let roots: Vec<PathBuf> = lock(&self.slots).iter().map(|s| s.root.clone()).collect();
        for root in roots {
            self.mark_dirty(root);
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let general = caps.general.as_ref();
        let encoding = Encoding::negotiate(general.and_then(|g| g.position_encodings.as_deref()));
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        let code_action = text.and_then(|t| t.code_action.as_ref());
        let edit = workspace.and_then(|w| w.workspace_edit.as_ref());
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| file_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty() {
            if let Some(root) = params.root_uri.as_ref().and_then(file_path) {
                folders.push(root);
            }
        }
        let session = Session {
            encoding,
            lang: params.locale.as_deref().map_or(Lang::En, Lang::from_locale),
            folders,
            pull_diagnostics: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
            refresh_support: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            watched_files_dynamic: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            document_changes: edit.and_then(|e| e.document_changes).unwrap_or(false),
            create_files: edit
                .and_then(|e| e.resource_operations.as_ref())
                .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
            apply_edit: workspace.and_then(|w| w.apply_edit).unwrap_or(false),
            resolve_edits: code_action
                .and_then(|c| c.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
            initial_settings: params.initialization_options.clone(),
        };
        if let Some(value) = &session.initial_settings {
            let mut problems = Vec::new();
            *lock(&self.shared.settings) = Settings::from_json(value, &mut problems);
        }
        if let Some(trace) = params.trace {
            *lock(&self.shared.trace) = trace;
        }
        let pull = session.pull_diagnostics;
        let resolve = session.resolve_edits;
        // The fix command only for the clients it is offered to (VS Code
        // would register it as a command of its own for nothing).
        let mut commands = vec![actions::SHOW_NOTE_COMMAND.to_owned()];
        if session.apply_edit && !session.create_files {
            commands.push(actions::APPLY_FIX_COMMAND.into());
        }
        let _ = self.shared.session.set(session);
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: SOURCE.into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some(SOURCE.into()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: true,
                        ..Default::default()
                    })
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::from(actions::FIX_ALL_KIND),
                        ]),
                        resolve_provider: Some(resolve),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands,
                    ..Default::default()
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // Taken before the first await: notifications after `initialized`
        // wait for the index instead of loading projects of their own.
        let gate = match self.shared.index_gate.clone().try_write_owned() {
            Ok(gate) => gate,
            // A request sent before `initialized` (against the protocol)
            // is still running: index right after it.
            Err(_) => self.shared.index_gate.clone().write_owned().await,
        };
        tokio::spawn(Backend::push_loop(self.shared.clone()));
        tokio::spawn(Backend::settings_loop(self.shared.clone()));
        tokio::spawn(Backend::index(self.shared.clone(), gate));
        let session = self.shared.session();
        if session.watched_files_dynamic {
            let suffixes = MetadataKind::ALL
                .iter()
                .map(|k| k.file_name("*", crate::metadata::Format::MetadataApi))
                .map(|n| n.trim_start_matches('*').to_string())
                .collect::<Vec<_>>()
                .join(",");
            let watchers = vec![
                FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/*{{{suffixes}}}{{,-meta.xml}}")),
                    kind: None,
                },
                FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{MANIFEST}")),
                    kind: None,
                },
                FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{FORCEIGNORE}")),
                    kind: None,
                },
            ];
            let registration = Registration {
                id: "exchange-auth-lint/watched-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            };
            if let Err(err) = self
                .shared
                .client
                .register_capability(vec![registration])
                .await
            {
                self.shared
                    .log(
                        MessageType::WARNING,
                        format!("cannot watch files: {}", err.message),
                    )
                    .await;
            }
        }
        self.shared.settings_wake.notify_one();
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let Some(path) = file_path(&doc.uri) else {
            return;
        };
        lock(&self.shared.docs).insert(
            doc.uri,
            Document {
                path: path.clone(),
                version: doc.version,
                rope: ropey::Rope::from_str(&doc.text),
            },
        );
        self.shared.buffer_changed(path);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let encoding = self.shared.session().encoding;
        let path = {
            let mut docs = lock(&self.shared.docs);
            let Some(doc) = docs.get_mut(&params.text_document.uri) else {
                return;
            };
            for change in params.content_changes {
                match change.range {
                    None => doc.rope = ropey::Rope::from_str(&change.text),
                    Some(range) => {
                        let bytes = encoding.byte_range(&doc.rope, range);
                        let start = doc.rope.byte_to_char(bytes.start);
                        let end = doc.rope.byte_to_char(bytes.end);
                        doc.rope.remove(start..end);
                        doc.rope.insert(start, &change.text);
                    }
                }
            }
            doc.version = params.text_document.version;
            doc.path.clone()
        };
        self.shared.buffer_changed(path);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // Saving the manifest or .forceignore changes what is checked, even
        // when the client does not watch files.
        if let Some(path) = file_path(&params.text_document.uri) {
            self.note_disk_change(path).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let removed = lock(&self.shared.docs).remove(&params.text_document.uri);
        if let Some(doc) = removed {
            self.shared.buffer_changed(doc.path);
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        for change in params.changes {
            if let Some(path) = file_path(&change.uri) {
                self.note_disk_change(path).await;
            }
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let pushed = (!params.settings.is_null()).then_some(params.settings);
        *lock(&self.shared.pushed_settings) = pushed;
        self.shared.settings_wake.notify_one();
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let removed: Vec<PathBuf> = params
            .event
            .removed
            .iter()
            .filter_map(|f| file_path(&f.uri))
            .collect();
        if !removed.is_empty() {
            lock(&self.shared.slots).retain(|s| !removed.iter().any(|r| s.root.starts_with(r)));
        }
        for folder in params.event.added.iter().filter_map(|f| file_path(&f.uri)) {
            lock(&self.shared.new_folders).push(folder.clone());
            self.shared.mark_dirty(folder);
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some(path) = file_path(&uri) else {
            return Ok(convert::full_report(None, Vec::new()));
        };
        let previous = params.previous_result_id;
        self.shared
            .engine("textDocument/diagnostic", move |shared| {
                let slot = shared.slot_for(&path);
                let diags = shared.diagnostics_of(&slot);
                let result_id = diags.result_id.clone();
                if previous.as_deref() == Some(result_id.as_str()) {
                    return convert::unchanged_report(result_id);
                }
                let items = diags
                    .files
                    .into_iter()
                    .find(|f| f.uri == uri)
                    .map(|f| f.diagnostics)
                    .unwrap_or_default();
                convert::full_report(Some(result_id), items)
            })
            .await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let previous: HashMap<Uri, String> = params
            .previous_result_ids
            .into_iter()
            .map(|p| (p.uri, p.value))
            .collect();
        self.shared
            .engine("workspace/diagnostic", move |shared| {
                let slots: Vec<_> = lock(&shared.slots).clone();
                let mut items = Vec::new();
                for slot in slots {
                    let diags = shared.diagnostics_of(&slot);
                    for file in diags.files {
                        items.push(convert::workspace_item(file, &diags.result_id, &previous));
                    }
                }
                WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items })
            })
            .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some(path) = file_path(&params.text_document.uri) else {
            return Ok(None);
        };
        let session = self.shared.session();
        let actions = self
            .shared
            .engine("textDocument/codeAction", move |shared| {
                let slot = shared.slot_for(&path);
                let docs = shared.doc_snapshot();
                let options = shared.check_options();
                let snapshot = slot.snapshot(&docs, &options);
                convert::code_actions(&snapshot, &docs, &session, &params)
            })
            .await?;
        Ok(Some(
            actions
                .into_iter()
                .map(CodeActionOrCommand::CodeAction)
                .collect(),
        ))
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        let Some(data) = action.data.clone() else {
            return Ok(action);
        };
        let Ok(key) = serde_json::from_value::<convert::ActionKey>(data) else {
            return Ok(action);
        };
        let resolved = self
            .for_action("codeAction/resolve", key, convert::resolve_action)
            .await?;
        resolved.ok_or_else(content_modified)
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        if params.command == actions::APPLY_FIX_COMMAND {
            return self.apply_fix_command(params.arguments).await;
        }
        if params.command != actions::SHOW_NOTE_COMMAND {
            return Err(Error::invalid_params(format!(
                "unknown command `{}`",
                params.command
            )));
        }
        let note = params
            .arguments
            .first()
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if !note.is_empty() {
            self.shared
                .client
                .show_message(MessageType::INFO, note)
                .await;
        }
        Ok(None)
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let Some(path) = file_path(&pos.text_document.uri) else {
            return Ok(None);
        };
        let session = self.shared.session();
        self.shared
            .engine("textDocument/hover", move |shared| {
                let slot = shared.slot_for(&path);
                let docs = shared.doc_snapshot();
                let options = shared.check_options();
                let snapshot = slot.snapshot(&docs, &options);
                hover::hover(
                    &snapshot,
                    &path,
                    pos.position,
                    session.encoding,
                    session.lang,
                )
            })
            .await
    }
}

impl Backend {
    /// Engine work on the action `key` names, while its document is still
    /// at the version the action was made for (`None` otherwise).
    async fn for_action<T, F>(
        &self,
        what: &'static str,
        key: convert::ActionKey,
        work: F,
    ) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&state::Snapshot, &[Document], &Session, &convert::ActionKey) -> Option<T>
            + Send
            + 'static,
    {
        let session = self.shared.session();
        self.shared
            .engine(what, move |shared| {
                let path = file_path(&key.uri)?;
                let slot = shared.slot_for(&path);
                let docs = shared.doc_snapshot();
                if docs.iter().find(|d| d.path == path).map(|d| d.version) != key.version {
                    return None;
                }
                let options = shared.check_options();
                let snapshot = slot.snapshot(&docs, &options);
                work(&snapshot, &docs, &session, &key)
            })
            .await
    }

    /// [`actions::APPLY_FIX_COMMAND`]: creates the fix's new files (each
    /// whole, never over an existing file), then asks the client to apply
    /// the edit of the existing ones; if it does not, the new files go
    /// again. Then shows the fix's note.
    async fn apply_fix_command(
        &self,
        arguments: Vec<serde_json::Value>,
    ) -> Result<Option<serde_json::Value>> {
        let key = arguments
            .into_iter()
            .next()
            .and_then(|v| serde_json::from_value::<convert::ActionKey>(v).ok())
            .ok_or_else(|| Error::invalid_params("expected the action's key"))?;
        let planned = self
            .for_action("workspace/executeCommand", key, convert::command_fix)
            .await?
            .ok_or_else(content_modified)?;
        let mut created = created::Created::default();
        for (path, text) in &planned.create {
            if let Err(err) = created.create(path, text) {
                created.undo();
                return Err(Error {
                    code: ErrorCode::InternalError,
                    message: format!("cannot create {}: {err}", path.display()).into(),
                    data: None,
                });
            }
        }
        if let Some(edit) = planned.edit {
            let applied = self.shared.client.apply_edit(edit).await;
            let refused = match applied {
                Ok(r) if r.applied => None,
                Ok(r) => Some(r.failure_reason.unwrap_or_else(|| "refused".into())),
                Err(err) => Some(err.message.into_owned()),
            };
            if let Some(reason) = refused {
                created.undo();
                return Err(Error {
                    code: ErrorCode::ServerError(-32803),
                    message: format!("the editor did not apply the fix: {reason}").into(),
                    data: None,
                });
            }
        }
        for path in created.files() {
            self.note_disk_change(path.clone()).await;
        }
        if let Some(note) = planned.note.filter(|n| !n.is_empty()) {
            self.shared
                .client
                .show_message(MessageType::INFO, note)
                .await;
        }
        Ok(None)
    }

    /// A file changed on disk (watcher or save): metadata files update one
    /// file of their project; the manifest or `.forceignore` reload it.
    async fn note_disk_change(&self, path: PathBuf) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let reload = name == MANIFEST || name == FORCEIGNORE;
        if !reload && MetadataKind::from_file_name(name).is_none() {
            return;
        }
        let slots: Vec<_> = lock(&self.shared.slots).clone();
        for slot in slots.iter().filter(|s| s.contains(&path)) {
            // The manifest or `.forceignore` of a project at its root only.
            if reload && path.parent() != Some(slot.root.as_path()) {
                continue;
            }
            slot.note_disk_change(path.clone());
            self.shared.mark_dirty(slot.root.clone());
        }
    }
}
