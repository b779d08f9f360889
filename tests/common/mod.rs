//! The in-process test client of the language server: the server runs on
//! one end of an in-memory pipe, a small JSON-RPC client on the other.
#![allow(dead_code)]

use exchange_auth_lint::lsp::{self, ServerOptions};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// Long enough for a loaded CI machine; only a hang ever reaches it.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub struct Client {
    pub out: mpsc::UnboundedSender<Value>,
    pub inbox: mpsc::UnboundedReceiver<Value>,
    /// Messages received while waiting for something else.
    pub backlog: Vec<Value>,
    pub next_id: i64,
    /// What `workspace/configuration` answers.
    pub settings: Arc<Mutex<Value>>,
    pub root: PathBuf,
    pub _dir: tempfile::TempDir,
}

pub async fn write_frame<W: AsyncWriteExt + Unpin>(w: &mut W, msg: &Value) {
    let body = serde_json::to_vec(msg).unwrap();
    w.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .await
        .unwrap();
    w.write_all(&body).await.unwrap();
    w.flush().await.unwrap();
}

pub async fn read_frame<R: AsyncBufReadExt + Unpin>(r: &mut R) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

#[path = "../support/mod.rs"]
mod support;
pub use support::copy_dir;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(name)
}

pub fn uri(path: &Path) -> String {
    tower_lsp_server::ls_types::Uri::from_file_path(path)
        .unwrap()
        .to_string()
}

/// Client capabilities for the tests: `pull` turns on pull diagnostics.
pub fn capabilities(utf8: bool, pull: bool, resolve: bool) -> Value {
    let mut caps = json!({
        "general": { "positionEncodings": if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) } },
        "workspace": {
            "configuration": true,
            "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create"] },
            "didChangeWatchedFiles": { "dynamicRegistration": true },
            "diagnostics": { "refreshSupport": true }
        },
        "window": { "workDoneProgress": true },
        "textDocument": {
            "publishDiagnostics": { "relatedInformation": true, "versionSupport": true, "tagSupport": { "valueSet": [1, 2] } },
            "codeAction": {
                "isPreferredSupport": true,
                "dataSupport": true,
                "codeActionLiteralSupport": { "codeActionKind": { "valueSet": ["quickfix", "source.fixAll"] } }
            },
            "hover": { "contentFormat": ["markdown", "plaintext"] }
        }
    });
    if pull {
        caps["textDocument"]["diagnostic"] = json!({ "relatedDocumentSupport": false });
    }
    if resolve {
        caps["textDocument"]["codeAction"]["resolveSupport"] = json!({ "properties": ["edit"] });
    }
    caps
}

pub struct Setup {
    pub fixture: Option<&'static str>,
    pub utf8: bool,
    pub pull: bool,
    pub resolve: bool,
    pub locale: Option<&'static str>,
    pub settings: Value,
    /// A client without `create` in `workspaceEdit.resourceOperations`.
    pub no_create: bool,
    /// Answer the server's requests of this method only after a while (a
    /// busy editor).
    pub slow_answers: Option<(&'static str, Duration)>,
    /// Never answer the server's requests of this method (a client that
    /// hangs, or waits on its user forever).
    pub unanswered: Option<&'static str>,
    /// Replaces `workspace.workspaceEdit` of the capabilities (what
    /// Neovim, eglot… advertise).
    pub workspace_edit: Option<Value>,
    /// Advertise `workspace.applyEdit` and answer `workspace/applyEdit`
    /// with `applied` set to this (the test applies the edit itself).
    pub apply_edit: Option<bool>,
    /// List the VS Code extension's `exchangeAuthLint.explainRule` among
    /// the client's commands (`experimental.commands.commands`).
    pub client_commands: bool,
    /// Advertise `window.showDocument` and answer it with `success` set
    /// to this.
    pub show_document: Option<bool>,
    /// Adds to the workspace folder before the server starts (after the
    /// fixture is copied into it).
    pub prepare: Option<fn(&Path)>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            fixture: Some("demo-org"),
            utf8: false,
            pull: false,
            resolve: false,
            locale: None,
            settings: json!({ "asOf": "2026-11-24" }),
            no_create: false,
            slow_answers: None,
            unanswered: None,
            workspace_edit: None,
            apply_edit: None,
            client_commands: false,
            show_document: None,
            prepare: None,
        }
    }
}

impl Client {
    pub async fn start(setup: Setup) -> (Client, Value) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("org");
        match setup.fixture {
            Some(name) => copy_dir(&fixture(name), &root),
            None => std::fs::create_dir_all(&root).unwrap(),
        }
        if let Some(prepare) = setup.prepare {
            prepare(&root);
        }
        let root = root.canonicalize().unwrap();
        let (client_end, server_end) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_end);
        tokio::spawn(lsp::serve(
            server_read,
            server_write,
            ServerOptions {
                debug_panic_method: true,
                ..Default::default()
            },
        ));
        let (read, mut write) = tokio::io::split(client_end);
        let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Value>();
        tokio::spawn(async move {
            while let Some(msg) = out_rx.recv().await {
                write_frame(&mut write, &msg).await;
            }
        });
        let (in_tx, inbox) = mpsc::unbounded_channel();
        let settings = Arc::new(Mutex::new(setup.settings.clone()));
        let answer = out_tx.clone();
        let answer_settings = settings.clone();
        let slow_answers = setup.slow_answers;
        let unanswered = setup.unanswered;
        let applied = setup.apply_edit;
        let shown = setup.show_document;
        tokio::spawn(async move {
            let mut read = BufReader::new(read);
            while let Some(msg) = read_frame(&mut read).await {
                // Answer the server's requests like an editor would.
                if let (Some(id), Some(method)) = (msg.get("id"), msg.get("method")) {
                    let result = match method.as_str().unwrap() {
                        "workspace/configuration" => {
                            json!([answer_settings.lock().unwrap().clone()])
                        }
                        "workspace/applyEdit" if applied.is_some() => {
                            json!({ "applied": applied })
                        }
                        "window/showDocument" if shown.is_some() => {
                            json!({ "success": shown })
                        }
                        _ => Value::Null,
                    };
                    let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
                    match slow_answers {
                        _ if unanswered.is_some_and(|u| method == u) => {}
                        Some((slow, delay)) if method == slow => {
                            let answer = answer.clone();
                            tokio::spawn(async move {
                                tokio::time::sleep(delay).await;
                                let _ = answer.send(reply);
                            });
                        }
                        _ => {
                            let _ = answer.send(reply);
                        }
                    }
                }
                if in_tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            out: out_tx,
            inbox,
            backlog: Vec::new(),
            next_id: 1,
            settings,
            root: root.clone(),
            _dir: dir,
        };
        let mut caps = capabilities(setup.utf8, setup.pull, setup.resolve);
        if setup.no_create {
            caps["workspace"]["workspaceEdit"]["resourceOperations"] = json!([]);
        }
        if let Some(edit) = &setup.workspace_edit {
            caps["workspace"]["workspaceEdit"] = edit.clone();
        }
        if setup.apply_edit.is_some() {
            caps["workspace"]["applyEdit"] = json!(true);
        }
        if setup.client_commands {
            caps["experimental"] =
                json!({ "commands": { "commands": ["exchangeAuthLint.explainRule"] } });
        }
        if setup.show_document.is_some() {
            caps["window"]["showDocument"] = json!({ "support": true });
        }
        let init = client
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": uri(&root),
                    "workspaceFolders": [{ "uri": uri(&root), "name": "org" }],
                    "capabilities": caps,
                    "locale": setup.locale,
                    "initializationOptions": setup.settings,
                }),
            )
            .await;
        client.notify("initialized", json!({}));
        (client, init)
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.out
            .send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .unwrap();
    }

    pub async fn next(&mut self) -> Value {
        tokio::time::timeout(PATIENCE, self.inbox.recv())
            .await
            .expect("the server stopped answering")
            .expect("the server closed the connection")
    }

    /// Sends a request without waiting for its answer; returns its id.
    pub fn send(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.out
            .send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .unwrap();
        id
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        loop {
            let msg = self.next().await;
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            self.backlog.push(msg);
        }
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params).await;
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// Waits for a message that satisfies `ok` (already received or still
    /// to come) and returns it; it stays in the backlog.
    pub async fn message_where(&mut self, ok: impl Fn(&Value) -> bool) -> Value {
        if let Some(m) = self.backlog.iter().find(|m| ok(m)) {
            return m.clone();
        }
        loop {
            let m = self.next().await;
            self.backlog.push(m.clone());
            if ok(&m) {
                return m;
            }
        }
    }

    /// Runs a command the server offered (`{command, arguments}`); its
    /// whole response.
    pub async fn run_command(&mut self, command: &Value) -> Value {
        let params = json!({"command": command["command"], "arguments": command["arguments"]});
        self.call("workspace/executeCommand", params).await
    }

    /// Waits for a `window/showMessage` whose text contains `needle`.
    pub async fn shown(&mut self, needle: &str) -> Value {
        self.message_where(|m| {
            m["method"] == "window/showMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains(needle))
        })
        .await
    }

    /// Waits for a `publishDiagnostics` for `uri` that satisfies `ok`.
    pub async fn diagnostics_where(&mut self, uri: &str, ok: impl Fn(&Value) -> bool) -> Value {
        let mut i = 0;
        loop {
            let msg = if i < self.backlog.len() {
                i += 1;
                self.backlog[i - 1].clone()
            } else {
                let m = match tokio::time::timeout(PATIENCE, self.inbox.recv()).await {
                    Ok(Some(m)) => m,
                    _ => panic!(
                        "no matching diagnostics for {uri}; received:\n{}",
                        self.backlog
                            .iter()
                            .map(|m| self.redact(m).to_string())
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                };
                self.backlog.push(m.clone());
                i += 1;
                m
            };
            if msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["uri"] == uri {
                let params = msg["params"].clone();
                if ok(&params) {
                    // This document's earlier pushes are consumed too; other
                    // documents' stay for later waits.
                    let mut k = 0;
                    self.backlog.retain(|m| {
                        k += 1;
                        k > i || m["params"]["uri"] != uri
                    });
                    return params;
                }
            }
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn open(&self, rel: &str, text: &str) -> String {
        let u = uri(&self.path(rel));
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "xml", "version": 1, "text": text}}),
        );
        u
    }

    /// Makes paths in a value relative to the fixture, for snapshots.
    pub fn redact(&self, v: &Value) -> Value {
        let root = uri(&self.root);
        let s = serde_json::to_string(v)
            .unwrap()
            .replace(&root, "file:///ROOT");
        serde_json::from_str(&s).unwrap()
    }
}

pub const NC: &str =
    "force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml";
pub const EI: &str = "force-app/main/default/settings/EmailIntegration.settings-meta.xml";

pub fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// The published diagnostic with rule id `code` (it must be there).
pub fn diagnostic(params: &Value, code: &str) -> Value {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} diagnostic in {params}"))
        .clone()
}

/// Applies LSP text edits (UTF-16 columns) to `text`.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset16(text, &e["range"]["start"]),
                offset16(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

/// Byte offset of a UTF-16 position; lines end at \n, \r\n or \r.
pub fn offset16(text: &str, pos: &Value) -> usize {
    let (line, col) = (
        pos["line"].as_u64().unwrap() as usize,
        pos["character"].as_u64().unwrap() as usize,
    );
    let mut starts = vec![0];
    let b = text.as_bytes();
    for i in 0..b.len() {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    let Some(&start) = starts.get(line) else {
        return text.len();
    };
    let mut units = 0;
    for (i, ch) in text[start..].char_indices() {
        if units >= col || ch == '\n' || ch == '\r' {
            return start + i;
        }
        units += ch.len_utf16();
    }
    text.len()
}

pub fn position16(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + before.matches('\r').count()
        - before.matches("\r\n").count();
    let col: usize = before[line_start..].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": col})
}

pub fn range16(text: &str, start: usize, end: usize) -> Value {
    json!({"start": position16(text, start), "end": position16(text, end)})
}

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

pub fn char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
