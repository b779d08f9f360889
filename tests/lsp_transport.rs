//! The real binary's language server, spoken to in raw bytes: one
//! malformed message gets its JSON-RPC error and the server keeps serving;
//! `exit` without `shutdown` exits 1; the server says on stderr why it
//! stopped (`docs/hostile-input.md`, "The language server's transport").

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_exchange-auth-lint");
/// Only a hang hits it.
const WAIT: Duration = Duration::from_secs(60);

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: mpsc::Receiver<Value>,
    stderr: std::thread::JoinHandle<String>,
}

fn start() -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sfdx-project.json"),
        r#"{"packageDirectories":[{"path":"force-app"}]}"#,
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("force-app")).unwrap();
    let mut child = Command::new(BIN)
        .args(["server", "--stdio"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        loop {
            let mut len = None;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                let (name, value) = line.split_once(':').expect("header");
                assert_eq!(name, "Content-Length", "the server's own framing");
                len = Some(value.trim().parse::<usize>().unwrap());
            }
            let mut body = vec![0; len.expect("Content-Length")];
            r.read_exact(&mut body).unwrap();
            let _ = tx.send(serde_json::from_slice(&body).expect("JSON from the server"));
        }
    });
    let mut stderr = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let stdin = child.stdin.take();
    (
        dir,
        Server {
            child,
            stdin,
            messages: rx,
            stderr,
        },
    )
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl Server {
    fn send(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// The next response (skipping the server's notifications and requests).
    fn response(&mut self) -> Value {
        loop {
            let m = self
                .messages
                .recv_timeout(WAIT)
                .expect("a response in time");
            if m.get("method").is_none() {
                return m;
            }
        }
    }

    fn initialize(&mut self, root: &std::path::Path) {
        let uri = format!("file://{}", root.display());
        let init = json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{
            "processId": null, "rootUri": uri, "capabilities": {},
            "workspaceFolders": [{"uri": uri, "name": "p"}]}});
        self.send(&frame(&init.to_string()));
        let r = self.response();
        assert_eq!(r["id"], 1, "{r}");
        assert!(r["result"]["capabilities"].is_object(), "{r}");
        self.send(&frame(
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ));
    }

    /// Waits for the process; its exit code and standard error.
    fn finish(mut self) -> (Option<i32>, String) {
        drop(self.stdin.take());
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if started.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("the server did not stop");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        (status.code(), self.stderr.join().unwrap())
    }
}

fn error_of(r: &Value) -> (Value, i64) {
    (r["id"].clone(), r["error"]["code"].as_i64().unwrap_or(0))
}

#[test]
fn malformed_messages_get_their_error_and_the_server_keeps_serving() {
    let (dir, mut s) = start();
    s.initialize(dir.path());
    let hover = |id: i64| {
        json!({"jsonrpc":"2.0","id":id,"method":"textDocument/hover","params":{
            "textDocument":{"uri":"file:///nowhere/X.namedCredential-meta.xml"},
            "position":{"line":0,"character":0}}})
        .to_string()
    };
    // Each case, then a good request that must still be answered.
    let cases: Vec<(&str, Vec<u8>, (Value, i64))> = vec![
        (
            "truncated JSON",
            frame(r#"{"jsonrpc":"2.0","id":2,"method":"#),
            (Value::Null, -32700),
        ),
        (
            "jsonrpc 1.0",
            frame(r#"{"jsonrpc":"1.0","id":3,"method":"textDocument/hover"}"#),
            (json!(3), -32600),
        ),
        (
            "id 1.5",
            frame(r#"{"jsonrpc":"2.0","id":1.5,"method":"textDocument/hover"}"#),
            (Value::Null, -32600),
        ),
        (
            "id 2^64",
            frame(r#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"shutdown"}"#),
            (Value::Null, -32600),
        ),
        (
            "a batch",
            frame(r#"[{"jsonrpc":"2.0","id":4,"method":"shutdown"}]"#),
            (Value::Null, -32600),
        ),
        (
            "a $/ request",
            frame(r#"{"jsonrpc":"2.0","id":5,"method":"$/x/unknown"}"#),
            (json!(5), -32601),
        ),
        (
            "not UTF-8",
            frame("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"\u{ff}\"}")
                .into_iter()
                .map(|b| if b == 0xc3 { 0xff } else { b })
                .collect(),
            (Value::Null, -32700),
        ),
        (
            "a Content-Length that is too long",
            format!(
                "Content-Length: 500\r\n\r\n{}",
                r#"{"jsonrpc":"2.0","id":7,"method":"shutdown"}"#
            )
            .into_bytes(),
            (Value::Null, -32700),
        ),
        (
            "a Content-Length that is too short",
            format!(
                "Content-Length: 10\r\n\r\n{}",
                r#"{"jsonrpc":"2.0","id":8,"method":"shutdown"}"#
            )
            .into_bytes(),
            (Value::Null, -32700),
        ),
        (
            "garbage between messages",
            b"\x1b[31mhello\r\n\r\n".to_vec(),
            (Value::Null, -32700),
        ),
        (
            "no Content-Length",
            b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".to_vec(),
            (Value::Null, -32700),
        ),
    ];
    let mut id = 100;
    for (name, bytes, expected) in cases {
        // With the next request in the same write: a length that is too
        // long is only found out by the bytes after it.
        id += 1;
        let mut bytes = bytes;
        bytes.extend(frame(&hover(id)));
        s.send(&bytes);
        let r = s.response();
        assert_eq!(error_of(&r), expected, "{name}: {r}");
        let r = s.response();
        assert_eq!(r["id"], id, "{name}: the next request gets its answer: {r}");
        assert!(r.get("error").is_none(), "{name}: {r}");
    }
    // A lower-case header name is a header like any other.
    s.send(format!("content-length: {}\r\n\r\n{}", hover(200).len(), hover(200)).as_bytes());
    assert_eq!(s.response()["id"], 200);
    // A malformed response from the client is dropped, not answered.
    s.send(&frame(r#"{"jsonrpc":"2.0","id":9}"#));
    s.send(&frame(&hover(201)));
    assert_eq!(s.response()["id"], 201);

    s.send(&frame(r#"{"jsonrpc":"2.0","id":300,"method":"shutdown"}"#));
    assert_eq!(s.response()["id"], 300);
    s.send(&frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let (code, stderr) = s.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("stopped: exit after shutdown"), "{stderr}");
    assert!(
        stderr.contains("ignored a message from the client"),
        "{stderr}"
    );
}

#[test]
fn exit_without_shutdown_exits_1_and_says_so() {
    let (dir, mut s) = start();
    s.initialize(dir.path());
    s.send(&frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let (code, stderr) = s.finish();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("stopped: exit without shutdown"),
        "{stderr}"
    );
}

#[test]
fn a_closed_input_stops_the_server_and_it_says_why() {
    let (dir, mut s) = start();
    s.initialize(dir.path());
    let (code, stderr) = s.finish();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("standard input closed without shutdown"),
        "{stderr}"
    );
}

/// A `Content-Length` of 4,000,000,000 (over the 256 MiB limit) with the
/// next message right behind its header: `-32700` with id `null`, one line
/// on standard error, and the next message is served (the skip stops at a
/// header inside the refused body). Before, there was no limit below
/// 512 MiB and the skip swallowed every message after it.
#[test]
fn a_content_length_over_the_limit_is_refused_and_the_next_message_served() {
    let (dir, mut s) = start();
    s.initialize(dir.path());
    let mut bytes = b"Content-Length: 4000000000\r\n\r\n".to_vec();
    bytes.extend(frame(r#"{"jsonrpc":"2.0","id":7,"method":"shutdown"}"#));
    s.send(&bytes);
    let r = s.response();
    assert_eq!(error_of(&r), (Value::Null, -32700), "{r}");
    assert!(
        r["error"]["message"].as_str().unwrap().contains("256 MiB"),
        "{r}"
    );
    assert_eq!(s.response()["id"], 7);
    s.send(&frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let (code, stderr) = s.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "skipped a message of 4000000000 bytes (Content-Length), over the limit of 256 MiB"
        ),
        "{stderr}"
    );
}
