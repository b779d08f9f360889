//! A minimal language-server client over stdio (LSP base protocol: JSON-RPC
//! with `Content-Length` framing) that measures what an editor user waits
//! for: the initial workspace index and `didChange` → diagnostics.
//!
//! It speaks only what the specification requires of a client and adapts
//! to what the server announces: incremental or full document sync; pushed
//! diagnostics (`textDocument/publishDiagnostics`, matched by document
//! version when the server sends one) or pulled ones (`textDocument/diagnostic`
//! when the server has a `diagnosticProvider`).

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A message from the server and when it was read.
struct Incoming {
    at: Instant,
    msg: Value,
}

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Incoming>,
    next_id: i64,
    pub capabilities: Value,
    /// `$/progress` tokens that began and have not ended.
    open_progress: Vec<Value>,
    /// When the last `$/progress` end arrived.
    pub last_progress_end: Option<Instant>,
    pub progress_seen: bool,
}

/// Reads one framed message; `None` at end of stream or on a broken frame.
fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    serde_json::from_slice(&buf).ok()
}

pub fn uri(path: &Path) -> String {
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut s = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s
}

impl Client {
    /// Starts `program args…` in `cwd`; the server's stderr is discarded.
    pub fn spawn(program: &str, args: &[String], cwd: &Path) -> std::io::Result<Client> {
        let mut child = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 20, stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx
                    .send(Incoming {
                        at: Instant::now(),
                        msg,
                    })
                    .is_err()
                {
                    break;
                }
            }
        });
        Ok(Client {
            child,
            stdin,
            rx,
            next_id: 1,
            capabilities: Value::Null,
            open_progress: Vec::new(),
            last_progress_end: None,
            progress_seen: false,
        })
    }

    fn send(&mut self, msg: &Value) -> std::io::Result<()> {
        let body = serde_json::to_vec(msg)?;
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len())?;
        self.stdin.write_all(&body)?;
        self.stdin.flush()
    }

    pub fn notify(&mut self, method: &str, params: Value) -> std::io::Result<()> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    pub fn request(&mut self, method: &str, params: Value) -> std::io::Result<i64> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        Ok(id)
    }

    /// Answers the server's own requests the way a plain editor would, and
    /// tracks work-done progress.
    fn handle_server_side(&mut self, msg: &Value) -> std::io::Result<()> {
        let method = msg.get("method").and_then(Value::as_str);
        if let (Some(method), Some(id)) = (method, msg.get("id")) {
            let result = match method {
                "workspace/configuration" => {
                    let n = msg["params"]["items"].as_array().map_or(0, Vec::len);
                    Value::Array(vec![Value::Null; n])
                }
                _ => Value::Null,
            };
            let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
            self.send(&reply)?;
        }
        if method == Some("$/progress") {
            let token = msg["params"]["token"].clone();
            match msg["params"]["value"]["kind"].as_str() {
                Some("begin") => {
                    self.progress_seen = true;
                    self.open_progress.push(token);
                }
                Some("end") => {
                    self.open_progress.retain(|t| *t != token);
                    self.last_progress_end = Some(Instant::now());
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Waits for the first message `pred` accepts, handling everything else.
    pub fn wait_for(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&Value) -> bool,
    ) -> Result<(Instant, Value), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(Incoming { at, msg }) => {
                    self.handle_server_side(&msg).map_err(|e| e.to_string())?;
                    if pred(&msg) {
                        return Ok((at, msg));
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!("no answer within {timeout:?}"))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the server closed its output".into())
                }
            }
        }
    }

    pub fn wait_response(
        &mut self,
        id: i64,
        timeout: Duration,
    ) -> Result<(Instant, Value), String> {
        let (at, msg) = self.wait_for(timeout, |m| {
            m.get("id").and_then(Value::as_i64) == Some(id) && m.get("method").is_none()
        })?;
        if let Some(err) = msg.get("error") {
            return Err(format!("error response: {err}"));
        }
        Ok((at, msg["result"].clone()))
    }

    pub fn initialize(&mut self, root: &Path) -> Result<(), String> {
        let root_uri = uri(root);
        let id = self
            .request(
                "initialize",
                json!({
                    "processId": std::process::id(),
                    "clientInfo": {"name": "lsp-bench"},
                    "rootUri": root_uri,
                    "workspaceFolders": [{"uri": root_uri, "name": "bench"}],
                    "capabilities": {
                        "general": {"positionEncodings": ["utf-16"]},
                        "window": {"workDoneProgress": true},
                        "workspace": {"configuration": true, "workspaceFolders": true},
                        "textDocument": {
                            "synchronization": {"didSave": true, "dynamicRegistration": false},
                            "publishDiagnostics": {"versionSupport": true, "relatedInformation": true},
                            "diagnostic": {"dynamicRegistration": false}
                        }
                    }
                }),
            )
            .map_err(|e| e.to_string())?;
        let (_, result) = self.wait_response(id, Duration::from_secs(60))?;
        self.capabilities = result["capabilities"].clone();
        self.notify("initialized", json!({}))
            .map_err(|e| e.to_string())
    }

    /// 1 = full, 2 = incremental (the spec's `TextDocumentSyncKind`).
    pub fn sync_kind(&self) -> i64 {
        let sync = &self.capabilities["textDocumentSync"];
        sync.as_i64()
            .or_else(|| sync["change"].as_i64())
            .unwrap_or(1)
    }

    pub fn pull_diagnostics(&self) -> bool {
        !self.capabilities["diagnosticProvider"].is_null()
    }

    pub fn progress_open(&self) -> bool {
        !self.open_progress.is_empty()
    }

    pub fn shutdown(mut self) {
        if let Ok(id) = self.request("shutdown", Value::Null) {
            let _ = self.wait_response(id, Duration::from_secs(10));
            let _ = self.notify("exit", Value::Null);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Diagnostics of `uri` from a pushed notification, if it is one.
pub fn pushed_for<'a>(msg: &'a Value, uri: &str) -> Option<&'a Value> {
    (msg.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics")
        && msg["params"]["uri"].as_str() == Some(uri))
    .then(|| &msg["params"])
}

/// `(line, character)` of byte `offset` in ASCII/UTF-8 `text`, counting
/// UTF-16 code units as the protocol's default encoding does.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = before[line_start..].chars().map(char::len_utf16).sum();
    (line, character)
}

/// Percentile (nearest rank) of sorted `xs`.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_broken_frames_end_the_stream() {
        let body = br#"{"jsonrpc":"2.0","id":1,"result":null}"#;
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(body);
        framed.extend_from_slice(b"Content-Length: 50\r\n\r\n{\"trunc");
        let mut r = std::io::Cursor::new(framed);
        assert_eq!(read_message(&mut r).unwrap()["id"], 1);
        assert!(read_message(&mut r).is_none());
    }

    #[test]
    fn positions_count_utf16_units() {
        let text = "ab\n\u{1F600}x<y";
        assert_eq!(position(text, 1), (0, 1));
        let lt = text.find('<').unwrap();
        assert_eq!(position(text, lt), (1, 3));
    }

    #[test]
    fn nearest_rank_percentiles() {
        let xs: Vec<f64> = (1..=200).map(f64::from).collect();
        assert_eq!(percentile(&xs, 50.0), 100.0);
        assert_eq!(percentile(&xs, 95.0), 190.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn file_uris_escape_what_they_must() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Custom%3A Sales.profile-meta.xml");
        std::fs::write(&p, "").unwrap();
        let u = uri(&p);
        assert!(u.starts_with("file:///"));
        assert!(u.ends_with("/Custom%253A%20Sales.profile-meta.xml"), "{u}");
    }
}
