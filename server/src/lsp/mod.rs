//! The language server: LSP 3.17 over stdio on `tower-lsp-server`.
//!
//! Layering: [`state`] holds buffers and projects and speaks byte offsets;
//! [`position`] is the only place positions are converted; this module
//! and [`convert`] are the protocol layer.
//!
//! Scheduling: one thread, the [`state::Owner`], owns the buffers, the
//! settings and the projects. Every handler sends it an event in its first
//! (synchronous) step, so the owner sees them in the order the client sent
//! them. A notification is applied there; a request gets a [`state::View`]
//! (snapshots brought up to date with everything sent before it; a
//! project's check runs on a worker thread, which the request waits for,
//! not the owner) and works on it alone on a blocking thread, where a
//! panic becomes an error response and a log line. A request can be cancelled while it waits or
//! works (`$/cancelRequest`: `RequestCancelled`), and none holds a lock
//! or waits for the client (the fix command's edit is answered on a task
//! of its own).

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
use state::{Document, Event, IndexProgress, Target, View};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{oneshot, Notify};
use tower_lsp_server::jsonrpc::{self, Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, ClientSocket, LanguageServer, LspService, Server};

/// The `source` of every diagnostic.
pub const SOURCE: &str = "exchange-auth-lint";

/// How long edits must pause before diagnostics are pushed again.
const DEBOUNCE: Duration = Duration::from_millis(120);
/// Pushes happen at least this often during a long burst of edits.
const MAX_DEBOUNCE: Duration = Duration::from_millis(1500);
/// How many messages are handled at a time. A request holds a slot until
/// it is answered, and a message waits for a slot before it is even read
/// (a `$/cancelRequest` too): a few slow requests must not hold them all.
const CONCURRENCY: usize = 64;

/// Options for embedding the server (tests).
#[derive(Clone, Debug, Default)]
pub struct ServerOptions {
    /// Adds the test methods: the request `exchangeAuthLint/debugPanic`,
    /// whose handler panics inside engine work, the notification
    /// `exchangeAuthLint/debugOwnerPanic`, which panics in the owner of the
    /// state (both show that a panic is contained), the request
    /// `exchangeAuthLint/debugHang`, answered only when cancelled, and the
    /// notifications `exchangeAuthLint/debugHoldChecks` (the next check of
    /// a project waits until `exchangeAuthLint/debugReleaseChecks`) and
    /// `exchangeAuthLint/debugCheckPanic` (the next check of a project
    /// panics), both with the `uri` of a file or folder of the project.
    pub debug_panic_method: bool,
    /// Filled by the server, read by the transport to mask secret values
    /// in everything it sends.
    pub secrets: transport::SecretsHandle,
    /// Told by the transport when it passed an edit request on.
    pub relayed: transport::RelayedHandle,
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
    let relayed = options.relayed.clone();
    let (service, socket) = service(options);
    transport::run(
        input,
        output,
        move |server_in, server_out| {
            tokio::spawn(async move {
                Server::new(server_in, server_out, socket)
                    .concurrency_level(CONCURRENCY)
                    .serve(service)
                    .await;
            })
        },
        secrets,
        relayed,
    )
    .await
}

pub fn service(options: ServerOptions) -> (LspService<Backend>, ClientSocket) {
    let secrets = options.secrets.clone();
    let relayed = options.relayed.clone();
    let mut builder = LspService::build(move |client| Backend {
        shared: Arc::new(Shared::new(client, secrets, relayed)),
    })
    .custom_method("$/setTrace", Backend::set_trace);
    if options.debug_panic_method {
        builder = builder
            .custom_method("exchangeAuthLint/debugPanic", Backend::debug_panic)
            .custom_method(
                "exchangeAuthLint/debugOwnerPanic",
                Backend::debug_owner_panic,
            )
            .custom_method("exchangeAuthLint/debugHang", Backend::debug_hang)
            .custom_method(
                "exchangeAuthLint/debugHoldChecks",
                Backend::debug_hold_checks,
            )
            .custom_method("exchangeAuthLint/debugHoldLoads", Backend::debug_hold_loads)
            .custom_method(
                "exchangeAuthLint/debugReleaseChecks",
                Backend::debug_release_checks,
            )
            .custom_method(
                "exchangeAuthLint/debugCheckPanic",
                Backend::debug_check_panic,
            );
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
    /// The client runs these of its own commands from links and code
    /// actions (`experimental.commands.commands`, as rust-analyzer has it).
    client_commands: Vec<String>,
    /// The client opens links for the server (`window/showDocument`).
    show_document: bool,
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
    /// Made by `initialize`.
    channels: OnceLock<Channels>,
    /// A [`TraceValue`] (see [`trace_code`]).
    trace: AtomicU8,
    /// Told by the owner when a project needs a fresh push of diagnostics.
    wake: Arc<Notify>,
    /// The secret values of each project, for the transport to mask.
    secrets: transport::SecretsHandle,
    /// The edit requests the transport passed on.
    relayed: transport::RelayedHandle,
}
impl Shared {
    fn new(
        client: Client,
        secrets: transport::SecretsHandle,
        relayed: transport::RelayedHandle,
    ) -> Self {
        Shared {
            secrets,
            relayed,
            client,
            session: OnceLock::new(),
            channels: OnceLock::new(),
            trace: AtomicU8::new(trace_code(TraceValue::Off)),
            wake: Arc::new(Notify::new()),
        }
    }

    fn session(&self) -> Session {
        self.session.get().cloned().unwrap_or_default()
    }

    /// Tells the owner; never waits. Before `initialize` (the library
    /// refuses every message then) there is nobody to tell.
    fn send(&self, event: Event) {
        if let Some(channels) = self.channels.get() {
            let _ = channels.owner.send(event);
        }
    }

    /// The owner's channel, for the threads it starts to answer on (see
    /// [`Event::Loaded`]); none before `initialize`.
    fn loader(&self) -> Option<mpsc::Sender<Event>> {
        self.channels.get().map(|c| c.owner.clone())
    }

    /// Asks the owner: the question is sent now (call it in the handler's
    /// first step, so that it comes after every message sent before), the
    /// answer comes when the owner got to it.
    fn ask<T>(&self, event: impl FnOnce(oneshot::Sender<T>) -> Event) -> oneshot::Receiver<T> {
        let (tx, rx) = oneshot::channel();
        self.send(event(tx));
        rx
    }

    /// A view of the projects of `target`, as of now (see [`Shared::ask`]).
    fn view(&self, what: &'static str, target: Target) -> impl Future<Output = Result<View>> {
        let answer = self.ask(|reply| Event::View { target, reply });
        let secrets = self.secrets.clone();
        async move {
            let view = match answer.await {
                Ok(Ok(pending)) => Ok(pending.wait().await),
                Ok(Err(message)) => Ok(Err(message)),
                Err(gone) => Err(gone),
            };
            match view {
                Ok(Ok(view)) => {
                    // Before any answer built on this view goes out, the
                    // transport knows its secrets (not only once a push
                    // of diagnostics has run).
                    for project in &view.projects {
                        secrets.set(project.root.clone(), project.analysis.secrets().clone());
                    }
                    Ok(view)
                }
                Ok(Err(message)) => Err(internal_error(message)),
                Err(_) => Err(internal_error(format!(
                    "internal error in {what}: the server's state is gone"
                ))),
            }
        }
    }

    /// The server's own diagnostics: `window/logMessage`, and `$/logTrace`
    /// when the client turned tracing on.
    async fn log(&self, typ: MessageType, message: impl Into<String>) {
        let message = message.into();
        if self.trace.load(Ordering::Relaxed) != trace_code(TraceValue::Off) {
            self.client
                .send_notification::<notification::LogTrace>(LogTraceParams {
                    message: message.clone(),
                    verbose: None,
                })
                .await;
        }
        self.client.log_message(typ, message).await;
    }

    /// Runs engine work on a blocking thread. A panic becomes an error
    /// response and a log line.
    async fn engine<T, F>(self: &Arc<Self>, what: &str, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Shared) -> T + Send + 'static,
    {
        let this = self.clone();
        match tokio::task::spawn_blocking(move || work(&this)).await {
            Ok(value) => Ok(value),
            Err(err) => {
                let message = format!("internal error in {what}: {}", panic_reason(err));
                self.log(MessageType::ERROR, message.clone()).await;
                Err(internal_error(message))
            }
        }
    }

    /// Diagnostics of every file of `snapshot`'s project that the project
    /// owns. Blocking.
    fn diagnostics_of(
        &self,
        snapshot: &state::Snapshot,
        view: &View,
    ) -> convert::ProjectDiagnostics {
        let mut diags = convert::project_diagnostics(snapshot, &view.docs, self.session().encoding);
        // The transport already knows this snapshot's secrets: `view` told it.
        let root = &snapshot.root;
        diags
            .files
            .retain(|f| file_path(&f.uri).is_some_and(|p| state::owns(&view.roots, root, &p)));
        diags
    }
}

/// Where the handlers send what they get.
struct Channels {
    /// To the owner of the state.
    owner: mpsc::Sender<Event>,
    /// To the settings task: `Some` with what the client pushed
    /// (`didChangeConfiguration`), `None` to read the settings anyway.
    settings: tokio::sync::mpsc::UnboundedSender<Option<Pushed>>,
}

/// Settings pushed by the client (`null`: none).
type Pushed = Option<serde_json::Value>;

fn panic_reason(err: tokio::task::JoinError) -> String {
    if err.is_cancelled() {
        return "cancelled".into();
    }
    state::panic_message(&*err.into_panic())
}

fn trace_code(trace: TraceValue) -> u8 {
    match trace {
        TraceValue::Off => 0,
        TraceValue::Messages => 1,
        _ => 2,
    }
}

fn internal_error(message: String) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: message.into(),
        data: None,
    }
}

/// The path of the `uri` of a test method's parameters.
fn debug_path(params: &serde_json::Value) -> Option<PathBuf> {
    use std::str::FromStr as _;
    let uri = Uri::from_str(params.get("uri")?.as_str()?).ok()?;
    file_path(&uri)
}

fn file_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// The path of a document's `uri`: none for a folder, which is no
/// document (a client may still send one), so that no request loads "the
/// project around" it (around `/`, the whole disk).
fn document_path(uri: &Uri) -> Option<PathBuf> {
    file_path(uri).filter(|p| !p.is_dir())
}

/// The client commands listed in `experimental.commands.commands`.
fn client_commands(caps: &ClientCapabilities) -> Vec<String> {
    let listed = caps
        .experimental
        .as_ref()
        .and_then(|e| e.pointer("/commands/commands"));
    listed
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl Session {
    /// Whether the client runs its command `name` from a link or an action.
    fn runs(&self, name: &str) -> bool {
        self.client_commands.iter().any(|c| c == name)
    }
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
        self.shared
            .trace
            .store(trace_code(params.value), Ordering::Relaxed);
    }

    async fn debug_panic(&self) -> Result<()> {
        self.shared
            .engine("debugPanic", |_| -> () {
                panic!("requested by exchangeAuthLint/debugPanic")
            })
            .await
    }

    async fn debug_owner_panic(&self) {
        self.shared.send(Event::DebugPanic);
    }

    /// The next check of the project of `params.uri` waits until
    /// `exchangeAuthLint/debugReleaseChecks` (it runs on a thread of its
    /// own: nothing else waits with it).
    async fn debug_hold_checks(&self, params: serde_json::Value) {
        if let Some(path) = debug_path(&params) {
            self.shared.send(Event::DebugHoldChecks(path));
        }
    }

    /// The next walk of a workspace folder in no project waits until
    /// `exchangeAuthLint/debugReleaseChecks`.
    async fn debug_hold_loads(&self) {
        self.shared.send(Event::DebugHoldLoads);
    }

    async fn debug_release_checks(&self) {
        self.shared.send(Event::DebugReleaseChecks);
    }

    /// The next check of the project of `params.uri` panics.
    async fn debug_check_panic(&self, params: serde_json::Value) {
        if let Some(path) = debug_path(&params) {
            self.shared.send(Event::DebugCheckPanic(path));
        }
    }

    /// Takes a view like any request, then waits until it is cancelled.
    async fn debug_hang(&self) -> Result<()> {
        let view = self.shared.view("debugHang", Target::All);
        let _view = view.await?;
        std::future::pending::<()>().await;
        Ok(())
    }

    /// Indexes every workspace folder (in the owner, before anything sent
    /// after `initialized`), with progress when the client shows it; then
    /// pushes the first diagnostics.
    ///
    /// Progress is shown by a task of its own, fed through a channel: the
    /// owner never waits for the client.
    async fn index(
        shared: Arc<Shared>,
        done: oneshot::Receiver<Vec<(MessageType, String)>>,
        progress: tokio::sync::watch::Sender<IndexProgress>,
    ) {
        let session = shared.session();
        let lines = done.await.unwrap_or_default();
        for (typ, line) in lines {
            shared.log(typ, line).await;
        }
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
    /// `workspace/configuration` there would hold one of the message slots
    /// of the transport, and a burst of changes would hold them all while
    /// the answers wait unread behind them (a deadlock). Changes that come
    /// while one is applied are read together afterwards: the last pushed
    /// wins.
    async fn settings_loop(
        shared: Arc<Shared>,
        mut messages: tokio::sync::mpsc::UnboundedReceiver<Option<Pushed>>,
    ) {
        while let Some(first) = messages.recv().await {
            let mut last = first.unwrap_or_default();
            while let Ok(newer) = messages.try_recv() {
                if let Some(pushed) = newer {
                    last = pushed;
                }
            }
            shared.refresh_settings(last).await;
        }
    }

    /// Logs what the owner reports.
    async fn log_loop(
        shared: Arc<Shared>,
        mut lines: tokio::sync::mpsc::UnboundedReceiver<(MessageType, String)>,
    ) {
        while let Some((typ, line)) = lines.recv().await {
            shared.log(typ, line).await;
        }
    }

    /// Pushes diagnostics for dirty projects after edits pause.
    async fn push_loop(shared: Arc<Shared>) {
        // What was last pushed per document (to clear and to skip repeats).
        let mut published: HashMap<Uri, Vec<Diagnostic>> = HashMap::new();
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
            let Ok(dirty) = shared.ask(|reply| Event::TakeDirty { reply }).await else {
                continue;
            };
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
            let Ok(view) = shared.view("diagnostics", Target::Paths(dirty)).await else {
                continue;
            };
            let result = shared
                .engine("diagnostics", move |shared| {
                    let projects = view
                        .projects
                        .iter()
                        .map(|p| (p.root.clone(), shared.diagnostics_of(p, &view)))
                        .collect::<Vec<_>>();
                    (projects, view.roots)
                })
                .await;
            let Ok((projects, roots)) = result else {
                continue;
            };
            // The versions of the buffers now: never push for one left behind.
            let Ok(versions) = shared.ask(|reply| Event::Versions { reply }).await else {
                continue;
            };
            for (root, diags) in projects {
                shared
                    .publish(&root, &roots, diags, &versions, &mut published)
                    .await;
            }
        }
    }
}

impl Shared {
    /// The client's answer to the edit of a fix sent by the fix command:
    /// applied, the created files are read and the note shown; refused (or
    /// no answer, or a broken one), the created files go again and the user
    /// is told why, scrubbed of the fix's secrets.
    async fn applied(
        &self,
        answer: Result<ApplyWorkspaceEditResponse>,
        mut created: created::Created,
        note: Option<String>,
        secrets: crate::redact::Secrets,
    ) {
        let refused = match answer {
            Ok(r) if r.applied => None,
            Ok(r) => Some(r.failure_reason.unwrap_or_else(|| "refused".into())),
            Err(err) => Some(err.message.into_owned()),
        };
        match refused {
            None => self.fix_applied(created, note).await,
            Some(reason) => {
                created.undo();
                let message = secrets.scrub(&format!("the editor did not apply the fix: {reason}"));
                self.log(MessageType::WARNING, message.clone()).await;
                self.client.show_message(MessageType::ERROR, message).await;
            }
        }
    }

    /// A fix is in: the files it created are read, its note is shown.
    async fn fix_applied(&self, created: created::Created, note: Option<String>) {
        self.send(Event::Disk(created.files().to_vec()));
        if let Some(note) = note.filter(|n| !n.is_empty()) {
            self.client.show_message(MessageType::INFO, note).await;
        }
    }
}

impl Shared {
    /// Pushes what changed; never for a version the buffer has left behind.
    async fn publish(
        &self,
        root: &Path,
        roots: &[PathBuf],
        diags: convert::ProjectDiagnostics,
        versions: &HashMap<Uri, i32>,
        published: &mut HashMap<Uri, Vec<Diagnostic>>,
    ) {
        let mut to_send = Vec::new();
        let fresh: HashSet<&Uri> = diags.files.iter().map(|f| &f.uri).collect();
        // Files of this project that had diagnostics and now have none.
        let cleared: Vec<Uri> = published
            .iter()
            .filter(|(uri, d)| {
                !d.is_empty()
                    && !fresh.contains(uri)
                    && file_path(uri).is_some_and(|p| state::owns(roots, root, &p))
            })
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in cleared {
            let version = versions.get(&uri).copied();
            published.insert(uri.clone(), Vec::new());
            to_send.push((uri, Vec::new(), version));
        }
        for file in diags.files {
            let current = versions.get(&file.uri).copied();
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
        for (uri, diagnostics, version) in to_send {
            self.client
                .publish_diagnostics(uri, diagnostics, version)
                .await;
        }
    }

    /// Reads `exchangeAuthLint` from the client and gives the settings to
    /// the owner (which re-checks when they changed).
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
        self.send(Event::Settings(new));
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
            client_commands: client_commands(caps),
            show_document: caps
                .window
                .as_ref()
                .and_then(|w| w.show_document.as_ref())
                .is_some_and(|d| d.support),
            initial_settings: params.initialization_options.clone(),
        };
        let mut initial = Settings::default();
        if let Some(value) = &session.initial_settings {
            let mut problems = Vec::new();
            initial = Settings::from_json(value, &mut problems);
        }
        if let Some(trace) = params.trace {
            self.shared
                .trace
                .store(trace_code(trace), Ordering::Relaxed);
        }
        if self.shared.channels.get().is_none() {
            let (log, log_rx) = tokio::sync::mpsc::unbounded_channel();
            let owner = state::Owner::new(
                session.encoding,
                session.lang,
                session.pull_diagnostics,
                initial,
                self.shared.wake.clone(),
                log,
            );
            let owner = owner
                .spawn()
                .map_err(|e| internal_error(format!("cannot start: {e}")))?;
            let (settings, settings_rx) = tokio::sync::mpsc::unbounded_channel();
            tokio::spawn(Backend::log_loop(self.shared.clone(), log_rx));
            tokio::spawn(Backend::settings_loop(self.shared.clone(), settings_rx));
            let _ = self.shared.channels.set(Channels { owner, settings });
        }
        let pull = session.pull_diagnostics;
        let resolve = session.resolve_edits;
        // The fix command only for the clients it is offered to (VS Code
        // would register it as a command of its own for nothing).
        let mut commands = vec![
            actions::SHOW_NOTE_COMMAND.to_owned(),
            actions::SHOW_DOCS_COMMAND.to_owned(),
        ];
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
        // Sent before the first await: everything after `initialized` comes
        // after the index.
        let session = self.shared.session();
        let (progress, progress_rx) = tokio::sync::watch::channel(IndexProgress::Started);
        let Some(loader) = self.shared.loader() else {
            return;
        };
        let done = self.shared.ask(|done| Event::Index {
            folders: session.folders.clone(),
            progress: progress.clone(),
            done,
            loader,
        });
        if session.work_done_progress {
            tokio::spawn(Backend::show_index_progress(
                self.shared.clone(),
                progress_rx,
            ));
        }
        tokio::spawn(Backend::push_loop(self.shared.clone()));
        tokio::spawn(Backend::index(self.shared.clone(), done, progress));
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
        if let Some(channels) = self.shared.channels.get() {
            let _ = channels.settings.send(None);
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let Some(path) = document_path(&doc.uri) else {
            return;
        };
        self.shared.send(Event::Open {
            uri: doc.uri,
            path,
            version: doc.version,
            text: doc.text,
        });
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.shared.send(Event::Change {
            uri: params.text_document.uri,
            version: params.text_document.version,
            changes: params.content_changes,
        });
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // Saving the manifest or .forceignore changes what is checked, even
        // when the client does not watch files.
        if let Some(path) = file_path(&params.text_document.uri) {
            self.shared.send(Event::Disk(vec![path]));
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.shared.send(Event::Close {
            uri: params.text_document.uri,
        });
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths = params
            .changes
            .iter()
            .filter_map(|change| file_path(&change.uri))
            .collect();
        self.shared.send(Event::Disk(paths));
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let pushed = (!params.settings.is_null()).then_some(params.settings);
        if let Some(channels) = self.shared.channels.get() {
            let _ = channels.settings.send(Some(pushed));
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: &[WorkspaceFolder]| -> Vec<PathBuf> {
            folders.iter().filter_map(|f| file_path(&f.uri)).collect()
        };
        let Some(loader) = self.shared.loader() else {
            return;
        };
        self.shared.send(Event::Folders {
            added: paths(&params.event.added),
            removed: paths(&params.event.removed),
            loader,
        });
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some(path) = document_path(&uri) else {
            return Ok(convert::full_report(None, Vec::new()));
        };
        let what = "textDocument/diagnostic";
        let view = self.shared.view(what, Target::Paths(vec![path])).await?;
        let previous = params.previous_result_id;
        self.shared
            .engine(what, move |shared| {
                let diags = shared.diagnostics_of(&view.projects[0], &view);
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
        let what = "workspace/diagnostic";
        let view = self.shared.view(what, Target::All);
        let previous: HashMap<Uri, String> = params
            .previous_result_ids
            .into_iter()
            .map(|p| (p.uri, p.value))
            .collect();
        let view = view.await?;
        self.shared
            .engine(what, move |shared| {
                let mut items = Vec::new();
                for snapshot in &view.projects {
                    let diags = shared.diagnostics_of(snapshot, &view);
                    for file in diags.files {
                        items.push(convert::workspace_item(file, &diags.result_id, &previous));
                    }
                }
                WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items })
            })
            .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some(path) = document_path(&params.text_document.uri) else {
            return Ok(None);
        };
        let what = "textDocument/codeAction";
        let view = self.shared.view(what, Target::Paths(vec![path])).await?;
        let session = self.shared.session();
        let actions = self
            .shared
            .engine(what, move |_| {
                convert::code_actions(&view.projects[0], &view.docs, &session, &params)
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
        if params.command == actions::SHOW_DOCS_COMMAND {
            return self.show_docs_command(params.arguments).await;
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
        let Some(path) = document_path(&pos.text_document.uri) else {
            return Ok(None);
        };
        let what = "textDocument/hover";
        let view = self
            .shared
            .view(what, Target::Paths(vec![path.clone()]))
            .await?;
        let session = self.shared.session();
        self.shared
            .engine(what, move |_| {
                hover::hover(
                    &view.projects[0],
                    &path,
                    pos.position,
                    session.encoding,
                    session.lang,
                    session.runs(hover::EXPLAIN_COMMAND),
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
        let Some(path) = document_path(&key.uri) else {
            return Ok(None);
        };
        let view = self
            .shared
            .view(what, Target::Paths(vec![path.clone()]))
            .await?;
        let session = self.shared.session();
        self.shared
            .engine(what, move |_| {
                let docs = &view.docs;
                if docs.iter().find(|d| d.path == path).map(|d| d.version) != key.version {
                    return None;
                }
                work(&view.projects[0], docs, &session, &key)
            })
            .await
    }

    /// [`actions::APPLY_FIX_COMMAND`]: creates the fix's new files (each
    /// whole, never over an existing file), sends the client the edit of
    /// the existing ones (`workspace/applyEdit`) and answers at once: no
    /// request waits for the client. The client's answer is handled on a
    /// task of its own ([`Shared::applied`]).
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
                let message = format!("cannot create {}: {err}", path.display());
                return Err(internal_error(planned.secrets.scrub(&message)));
            }
        }
        let Some(edit) = planned.edit else {
            self.shared.fix_applied(created, planned.note).await;
            return Ok(None);
        };
        // The request is built here, with an id of the server's choosing:
        // the command is answered once the transport passed that request on
        // (never once the client answered it), so the client reads the edit
        // before the answer.
        let jsonrpc::Id::Number(id) = self.shared.client.next_request_id() else {
            created.undo();
            return Err(Error::internal_error());
        };
        let request =
            jsonrpc::Request::build(<request::ApplyWorkspaceEdit as request::Request>::METHOD)
                .id(id)
                .params(serde_json::json!({ "edit": edit }))
                .finish();
        let mut client = self.shared.client.clone();
        let answer = tower_service::Service::call(&mut client, request);
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let answer = match answer.await {
                Ok(Some(response)) => match response.into_parts().1 {
                    Ok(value) => serde_json::from_value::<ApplyWorkspaceEditResponse>(value)
                        .map_err(|e| Error::invalid_params(e.to_string())),
                    Err(err) => Err(err),
                },
                _ => Err(Error::internal_error()),
            };
            shared
                .applied(answer, created, planned.note, planned.secrets)
                .await;
        });
        self.shared.relayed.edit(id).await;
        Ok(None)
    }

    /// [`actions::SHOW_DOCS_COMMAND`]: opens the rule's reference page in
    /// the client's browser, or shows its link.
    async fn show_docs_command(
        &self,
        arguments: Vec<serde_json::Value>,
    ) -> Result<Option<serde_json::Value>> {
        let rule = arguments
            .first()
            .and_then(|v| v.as_str())
            .and_then(crate::rules::by_id)
            .ok_or_else(|| Error::invalid_params("expected a rule id"))?;
        let session = self.shared.session();
        let url = hover::docs_url(rule, session.lang);
        use std::str::FromStr as _;
        let uri = Uri::from_str(&url).map_err(|_| Error::internal_error())?;
        let opened = session.show_document
            && self
                .shared
                .client
                .show_document(ShowDocumentParams {
                    uri,
                    external: Some(true),
                    take_focus: None,
                    selection: None,
                })
                .await
                .unwrap_or(false);
        if !opened {
            self.shared
                .client
                .show_message(
                    MessageType::INFO,
                    format!("{} {}: {url}", rule.id, rule.name),
                )
                .await;
        }
        Ok(None)
    }
}
