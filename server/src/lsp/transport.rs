//! The server's own transport, between the byte stream and
//! `tower-lsp-server`.
//!
//! `tower-lsp-server` 0.23 reads through `tokio-util`'s `FramedRead`, which
//! ends the stream after the first decoder error: one malformed message
//! (truncated JSON, a lying `Content-Length`, an id of `1.5`) got an error
//! response and then the server stopped reading and exited 0. So every
//! message is framed and checked here first, and only messages the library
//! accepts reach it (re-framed with a canonical header):
//!
//! - headers are `Name: value` lines, names in any case (`content-length`);
//!   a frame that cannot be read gets `-32700 Parse error` (id `null`) and
//!   reading resumes at the next `Content-Length` header (a lying length is
//!   found by the next header inside the body: a raw `Content-Length: N` line
//!   cannot occur in JSON);
//! - a body that is not JSON gets `-32700`; not an object (a batch), no
//!   `"jsonrpc": "2.0"`, an id that is neither an integer (i64) nor a string,
//!   a method that is not a string get `-32600 Invalid request`;
//! - a request whose method starts with `$/` gets `-32601 Method not found`
//!   (LSP: such requests are optional, and the library never answers them);
//! - a malformed response from the client is dropped, with a line on
//!   standard error.
//!
//! Everything the server writes passes through [`scrub`]: every string but
//! the text of edits is cleared of the secret values the server knows.
//!
//! [`run`] returns why the server stopped, for `main` to print on standard
//! error and turn into the exit code (`exit` without `shutdown` is 1).

use crate::redact::Secrets;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

/// A header block longer than this is garbage.
const MAX_HEADER: usize = 8 << 10;
/// A message larger than this (256 MiB, far above the largest buffer an
/// editor sends: a 100 MB message is served) is refused: answered with
/// `-32700`, a line on standard error, and its body skipped unread — up
/// to the next header inside it, when the length lied.
pub const MAX_MESSAGE: usize = 256 << 20;

/// The ids of the `workspace/applyEdit` requests the transport has passed
/// on to the client (each taken back by whoever waits for it), and whether
/// a transport relays at all. The fix command answers only once its edit
/// is on its way: a client that reads the answer first may leave a request
/// that came behind it unread (eglot 1.9 does).
#[derive(Clone, Debug)]
pub struct RelayedHandle(Arc<tokio::sync::watch::Sender<Relayed>>);

#[derive(Debug, Default)]
pub struct Relayed {
    on: bool,
    edits: std::collections::HashSet<i64>,
}

impl Default for RelayedHandle {
    fn default() -> Self {
        RelayedHandle(Arc::new(
            tokio::sync::watch::Sender::new(Relayed::default()),
        ))
    }
}

impl RelayedHandle {
    /// Waits until the edit request `id` has been passed on (at once when
    /// no transport relays).
    pub async fn edit(&self, id: i64) {
        let mut seen = self.0.subscribe();
        let _ = seen.wait_for(|r| !r.on || r.edits.contains(&id)).await;
        self.0.send_modify(|r| {
            r.edits.remove(&id);
        });
    }

    fn start(&self) {
        self.0.send_modify(|r| r.on = true);
    }

    /// The edit request `id` is on its way (behind every message before it).
    fn relayed(&self, id: i64) {
        self.0.send_modify(|r| {
            r.edits.insert(id);
        });
    }
}

/// The id of `body` when it is a `workspace/applyEdit` request.
fn edit_request_id(body: &[u8]) -> Option<i64> {
    memchr::memmem::find(body, b"\"workspace/applyEdit\"")?;
    let v = serde_json::from_slice::<Value>(body).ok()?;
    (v["method"] == "workspace/applyEdit")
        .then(|| v["id"].as_i64())
        .flatten()
}

/// The secret values of the projects the server has read, by project root:
/// those of the newest analysis and of the one before it, since a message
/// built from the older one may still be on its way out when the newer one
/// is set (an edit that removes a secret must not unmask it in the older
/// message). The transport masks them in everything it sends.
#[derive(Clone, Debug, Default)]
pub struct SecretsHandle(Arc<RwLock<KnownSecrets>>);

#[derive(Debug, Default)]
struct KnownSecrets {
    by_root: HashMap<PathBuf, [Secrets; 2]>,
    /// All of them in one set, made again only when one changes: its
    /// automaton is built once per change, not once per message.
    all: Arc<Secrets>,
}

impl SecretsHandle {
    pub fn set(&self, root: PathBuf, secrets: Secrets) {
        if let Ok(mut known) = self.0.write() {
            let slot = known.by_root.entry(root).or_default();
            if slot[0] != secrets {
                slot[1] = std::mem::replace(&mut slot[0], secrets);
                let mut all = Secrets::default();
                for [newest, before] in known.by_root.values() {
                    all.extend(newest);
                    all.extend(before);
                }
                known.all = Arc::new(all);
            }
        }
    }

    fn all(&self) -> Arc<Secrets> {
        self.0
            .read()
            .map(|known| known.all.clone())
            .unwrap_or_default()
    }
}

/// Why the server stopped.
#[derive(Debug)]
pub enum Stop {
    /// The client sent `exit`.
    Exit {
        after_shutdown: bool,
    },
    /// Standard input ended.
    InputClosed {
        after_shutdown: bool,
    },
    InputError(std::io::Error),
    OutputError(std::io::Error),
}

impl Stop {
    /// LSP: 0 after `shutdown` then `exit`, else 1.
    pub fn exit_code(&self) -> i32 {
        match self {
            Stop::Exit { after_shutdown } | Stop::InputClosed { after_shutdown } => {
                if *after_shutdown {
                    0
                } else {
                    1
                }
            }
            Stop::InputError(_) | Stop::OutputError(_) => 1,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Stop::Exit {
                after_shutdown: true,
            } => "stopped: exit after shutdown".into(),
            Stop::Exit {
                after_shutdown: false,
            } => "stopped: exit without shutdown".into(),
            Stop::InputClosed {
                after_shutdown: true,
            } => "stopped: standard input closed after shutdown".into(),
            Stop::InputClosed {
                after_shutdown: false,
            } => "stopped: standard input closed without shutdown (the client went away)".into(),
            Stop::InputError(e) => format!("stopped: cannot read standard input: {e}"),
            Stop::OutputError(e) => format!("stopped: cannot write standard output: {e}"),
        }
    }
}

/// One frame read from the stream.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    Message(Vec<u8>),
    /// Not a readable frame; the reason (for the error response).
    Broken(&'static str),
    /// A `Content-Length` over [`MAX_MESSAGE`] (the length): its body is
    /// skipped.
    TooLarge(usize),
}

/// Splits a byte stream into frames, resynchronising after a bad one.
#[derive(Debug, Default)]
pub struct Framer {
    buf: Vec<u8>,
    /// Bytes of a refused (too large) message still to skip.
    skip: usize,
    /// How far a partial body was searched for the next header already.
    scanned: usize,
    /// After a broken frame with no next header in sight: what follows is
    /// dropped silently up to the next `Content-Length` (one error for one
    /// run of garbage, however the reads split it).
    discarding: bool,
}

impl Framer {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        if self.skip > 0 {
            self.skip_body();
        }
    }

    /// Drops what has arrived of a refused message's body: up to its end,
    /// or up to a header inside it (the length lied: `Content-Length:
    /// 4000000000` and the next message right behind). Only a tail that
    /// may start a header is kept.
    fn skip_body(&mut self) {
        let body = self.skip.min(self.buf.len());
        match scan_header(&self.buf[..body]) {
            Ok(at) => {
                self.buf.drain(..at);
                self.skip = 0;
            }
            Err(_) if body == self.skip => {
                self.buf.drain(..body);
                self.skip = 0;
            }
            Err(resume) => {
                // No header is longer than a header block may be.
                let resume = if body - resume > MAX_HEADER {
                    body
                } else {
                    resume
                };
                self.buf.drain(..resume);
                self.skip -= resume;
            }
        }
    }

    /// The next complete frame, if the bytes so far hold one.
    pub fn next_frame(&mut self) -> Option<Frame> {
        if self.skip > 0 {
            return None;
        }
        // Line breaks between messages are tolerated silently.
        let lead = self
            .buf
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
            .count();
        if lead > 0 {
            self.buf.drain(..lead);
            self.scanned = 0;
        }
        if self.discarding {
            if self.drop_to_next_header(0) {
                self.discarding = false;
            } else {
                return None;
            }
        }
        if self.buf.is_empty() {
            return None;
        }
        let Some(end) =
            memchr::memmem::find(&self.buf[..self.buf.len().min(MAX_HEADER + 4)], b"\r\n\r\n")
        else {
            if self.buf.len() > MAX_HEADER {
                return Some(self.resync("header too long or not terminated by an empty line"));
            }
            // A frame that starts with garbage: no need to wait for it.
            if !starts_like_a_header(&self.buf) {
                return Some(self.resync("bytes before a header"));
            }
            return None;
        };
        let len = match content_length(&self.buf[..end]) {
            Ok(len) => len,
            Err(reason) => return Some(self.resync(reason)),
        };
        let body_start = end + 4;
        if len > MAX_MESSAGE {
            self.buf.drain(..body_start);
            self.skip = len;
            self.scanned = 0;
            self.skip_body();
            return Some(Frame::TooLarge(len));
        }
        let available = self.buf.len() - body_start;
        // A lying (too long) length: the next header inside the body.
        let search_from = body_start + self.scanned;
        let search_to = body_start + available.min(len);
        match scan_header(&self.buf[search_from..search_to]) {
            Ok(at) => {
                let at = search_from + at;
                self.buf.drain(..at);
                self.scanned = 0;
                return Some(Frame::Broken("Content-Length does not match the body"));
            }
            // Nothing before `resume` can start a header: not searched again.
            Err(resume) => self.scanned += resume,
        }
        if available < len {
            return None;
        }
        let body = self.buf[body_start..body_start + len].to_vec();
        self.buf.drain(..body_start + len);
        self.scanned = 0;
        Some(Frame::Message(body))
    }

    /// The last message's body was not JSON: its length may have been too
    /// short, so what follows it up to the next header is its rest, dropped
    /// without a second error.
    ///
    /// A length that was too long by a few bytes took the start of the
    /// next header into this body (`{}Content` of `Content-Length: 9`
    /// before `Content-Length: 58…`): that start is given back, so that the
    /// next message is still read.
    pub fn body_was_broken(&mut self, body: &[u8]) {
        const NAME: &[u8] = b"content-length";
        let start = memchr::memchr2_iter(b'c', b'C', body).find(|&i| {
            let tail = &body[i..];
            let n = tail.len().min(NAME.len());
            tail[..n].eq_ignore_ascii_case(&NAME[..n])
        });
        match start {
            Some(i) => {
                self.buf.splice(0..0, body[i..].iter().copied());
                self.scanned = 0;
            }
            None => self.discarding = true,
        }
    }

    /// Drops bytes up to the next `Content-Length` after the first byte.
    fn resync(&mut self, reason: &'static str) -> Frame {
        if !self.drop_to_next_header(1) {
            self.discarding = true;
        }
        self.scanned = 0;
        Frame::Broken(reason)
    }

    /// Drops bytes before the next `Content-Length` at or after `from`;
    /// false when there is none yet (a tail that may start one is kept).
    fn drop_to_next_header(&mut self, from: usize) -> bool {
        const NAME: &[u8] = b"content-length";
        let from = from.min(self.buf.len());
        if let Some(at) = find_ci(&self.buf[from..], NAME) {
            self.buf.drain(..from + at);
            return true;
        }
        // Keep the longest tail that is a prefix of the name.
        let keep = (1..NAME.len())
            .rev()
            .find(|&k| {
                k <= self.buf.len() - from
                    && self.buf[self.buf.len() - k..].eq_ignore_ascii_case(&NAME[..k])
            })
            .unwrap_or(0);
        let cut = self.buf.len() - keep;
        self.buf.drain(..cut);
        false
    }
}

fn starts_like_a_header(buf: &[u8]) -> bool {
    buf.iter()
        .take_while(|&&b| b != b':' && b != b'\r' && b != b'\n')
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b' ' | b'\t'))
}

/// Case-insensitive search.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay).find(|&i| {
        hay.len() - i >= needle.len() && hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
    })
}

/// Where a raw `Content-Length: N\r\n` line starts in `hay`; else the
/// offset from which a later, longer `hay` must be searched again (the
/// start of a header line that may still be arriving).
fn scan_header(hay: &[u8]) -> Result<usize, usize> {
    let needle = b"content-length:";
    let mut from = 0;
    while let Some(p) = find_ci(&hay[from..], needle) {
        let at = from + p;
        let rest = &hay[at + needle.len()..];
        let digits_at = rest
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count();
        let digits = rest[digits_at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = &rest[digits_at + digits..];
        if digits > 0 && after.starts_with(b"\r\n") {
            return Ok(at);
        }
        if after.is_empty() || after == b"\r" {
            return Err(at);
        }
        from = at + 1;
    }
    // A name cut at the end may still be completed.
    let keep = (1..needle.len())
        .rev()
        .find(|&k| k <= hay.len() && hay[hay.len() - k..].eq_ignore_ascii_case(&needle[..k]))
        .unwrap_or(0);
    Err(hay.len() - keep)
}

/// `s` without leading and trailing spaces and tabs (HTTP's optional white
/// space). A form feed or another control stays part of a header name, as
/// a split read, which looks at the name before the block is complete,
/// sees it.
fn trim_blank(s: &[u8]) -> &[u8] {
    let blank = |b: &u8| matches!(b, b' ' | b'\t');
    let start = s.iter().position(|b| !blank(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !blank(b)).map_or(start, |e| e + 1);
    &s[start..end]
}

/// The `Content-Length` of a header block (names in any case; other
/// headers, `Content-Type` included, are ignored: the body must be UTF-8
/// JSON whatever they say).
fn content_length(block: &[u8]) -> Result<usize, &'static str> {
    let mut len = None;
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = memchr::memchr(b':', line) else {
            return Err("header line without `:`");
        };
        // Spaces and tabs only (HTTP's optional white space): a form feed
        // or another control is part of the name, as a split read, which
        // looks at the name before the block is complete, sees it.
        let name = trim_blank(&line[..colon]);
        if name.eq_ignore_ascii_case(b"content-length") {
            let value = trim_blank(&line[colon + 1..]);
            if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                return Err("Content-Length is not a number");
            }
            let parsed = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.parse::<usize>().ok())
                .ok_or("Content-Length is too large")?;
            if len.is_some_and(|l| l != parsed) {
                return Err("two different Content-Length headers");
            }
            len = Some(parsed);
        }
    }
    len.ok_or("no Content-Length header")
}

/// What to do with a message body.
#[derive(Debug, PartialEq)]
pub enum Inbound {
    /// Hand it to the library. `method` for requests and notifications.
    Forward {
        method: Option<String>,
        is_request: bool,
    },
    /// Answer it ourselves with this response.
    Reply(Value),
    /// Ignore it (a malformed response from the client), with the reason.
    Drop(&'static str),
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

pub fn parse_error(reason: &str) -> Value {
    error_response(Value::Null, -32700, &format!("Parse error: {reason}"))
}

/// Checks a body as JSON-RPC 2.0, as the library will read it.
pub fn classify(body: &[u8]) -> Inbound {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            let reason = if e.is_eof() {
                "the body ends before the JSON does"
            } else if std::str::from_utf8(body).is_err() {
                "the body is not UTF-8"
            } else {
                "the body is not JSON"
            };
            return Inbound::Reply(parse_error(reason));
        }
    };
    let Value::Object(m) = value else {
        return Inbound::Reply(error_response(
            Value::Null,
            -32600,
            "Invalid request: a message is one JSON object (LSP has no batches)",
        ));
    };
    let id = m.get("id");
    let id_ok = match id {
        None | Some(Value::Null | Value::String(_)) => true,
        Some(Value::Number(n)) => n.is_i64(),
        Some(_) => false,
    };
    let reply_id = if id_ok {
        id.cloned().unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    if m.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Inbound::Reply(error_response(
            reply_id,
            -32600,
            "Invalid request: \"jsonrpc\" must be \"2.0\"",
        ));
    }
    if !id_ok {
        return Inbound::Reply(error_response(
            Value::Null,
            -32600,
            "Invalid request: an id is an integer or a string",
        ));
    }
    match m.get("method") {
        Some(Value::String(method)) => {
            if method.starts_with("$/") && id.is_some() {
                return Inbound::Reply(error_response(
                    reply_id,
                    -32601,
                    &format!("Method not found: {}", crate::report::printable(method)),
                ));
            }
            Inbound::Forward {
                method: Some(method.clone()),
                is_request: id.is_some(),
            }
        }
        Some(_) => Inbound::Reply(error_response(
            reply_id,
            -32600,
            "Invalid request: \"method\" must be a string",
        )),
        None => {
            let ok = id.is_some()
                && match (m.get("result"), m.get("error")) {
                    (Some(_), None) => true,
                    (None, Some(Value::Object(e))) => {
                        e.get("code").is_some_and(|c| c.is_i64())
                            && e.get("message").is_some_and(Value::is_string)
                    }
                    _ => false,
                };
            if ok {
                Inbound::Forward {
                    method: None,
                    is_request: false,
                }
            } else {
                Inbound::Drop("a response without an id, or without exactly one of result and a well-formed error")
            }
        }
    }
}

/// Masks secret values in every string of an outgoing message but the
/// new text of edits (which must stay exact; fixes never put a secret
/// there). Returns `None` when nothing changed.
pub fn scrub(body: &[u8], secrets: &Secrets) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(body).ok()?;
    if !secrets.found_in(text) {
        return None;
    }
    let mut value: Value = serde_json::from_str(text).ok()?;
    fn walk(v: &mut Value, secrets: &Secrets) {
        match v {
            Value::String(s) => {
                let masked = secrets.scrub(s);
                if masked != *s {
                    *s = masked;
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|v| walk(v, secrets)),
            Value::Object(m) => {
                for (k, v) in m.iter_mut() {
                    if k != "newText" && k != "text" {
                        walk(v, secrets);
                    }
                }
            }
            _ => {}
        }
    }
    walk(&mut value, secrets);
    serde_json::to_vec(&value).ok()
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Serves `service` on `input`/`output` through the checks above until the
/// client says `exit`, the input ends or a stream fails.
pub async fn run<I, O, S>(
    input: I,
    output: O,
    serve: S,
    secrets: SecretsHandle,
    relayed: RelayedHandle,
) -> Stop
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
    S: FnOnce(tokio::io::DuplexStream, tokio::io::DuplexStream) -> tokio::task::JoinHandle<()>,
{
    let (to_server, server_in) = tokio::io::duplex(64 << 10);
    let (server_out, from_server) = tokio::io::duplex(64 << 10);
    let server = serve(server_in, server_out);
    let (tx, rx) = mpsc::channel::<Vec<u8>>(64);

    // What the library writes, scrubbed, in order.
    relayed.start();
    let relay = tokio::spawn(relay(from_server, tx.clone(), secrets, relayed));
    let library = async {
        let _ = server.await;
        let _ = relay.await;
    };
    // Reading ends at `exit` or the end of the input; dropping its pipe
    // ends the library's input, which then finishes what it has.
    let (stop, written, ()) = tokio::join!(
        read_in(input, to_server, tx),
        write_out(output, rx),
        library
    );
    match written {
        Err(e) => Stop::OutputError(e),
        Ok(()) => stop,
    }
}

async fn relay(
    mut from_server: tokio::io::DuplexStream,
    tx: mpsc::Sender<Vec<u8>>,
    secrets: SecretsHandle,
    relayed: RelayedHandle,
) {
    let mut framer = Framer::default();
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        while let Some(frame) = framer.next_frame() {
            if let Frame::Message(body) = frame {
                let body = scrub(&body, &secrets.all()).unwrap_or(body);
                let edit = edit_request_id(&body);
                if tx.send(body).await.is_err() {
                    return;
                }
                if let Some(id) = edit {
                    relayed.relayed(id);
                }
            }
        }
        match from_server.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => framer.push(&chunk[..n]),
        }
    }
}

async fn write_out<O: AsyncWrite + Unpin>(
    mut output: O,
    mut rx: mpsc::Receiver<Vec<u8>>,
) -> std::io::Result<()> {
    while let Some(body) = rx.recv().await {
        output.write_all(&frame(&body)).await?;
        output.flush().await?;
    }
    Ok(())
}

async fn read_in<I: AsyncRead + Unpin>(
    mut input: I,
    mut to_server: tokio::io::DuplexStream,
    tx: mpsc::Sender<Vec<u8>>,
) -> Stop {
    let mut framer = Framer::default();
    let mut chunk = vec![0u8; 64 << 10];
    let mut after_shutdown = false;
    loop {
        while let Some(next) = framer.next_frame() {
            let body = match next {
                Frame::Message(body) => body,
                Frame::Broken(reason) => {
                    let _ = tx.send(parse_error(reason).to_string().into_bytes()).await;
                    continue;
                }
                Frame::TooLarge(len) => {
                    eprintln!(
                        "exchange-auth-lint: language server: skipped a message of {len} bytes (Content-Length), over the limit of {} MiB",
                        MAX_MESSAGE >> 20
                    );
                    let reason = "message larger than the 256 MiB limit; skipped";
                    let _ = tx.send(parse_error(reason).to_string().into_bytes()).await;
                    continue;
                }
            };
            match classify(&body) {
                Inbound::Reply(response) => {
                    if response["error"]["code"] == -32700 {
                        framer.body_was_broken(&body);
                    }
                    let _ = tx.send(response.to_string().into_bytes()).await;
                }
                Inbound::Drop(reason) => {
                    eprintln!("exchange-auth-lint: ignored a message from the client: {reason}");
                }
                Inbound::Forward { method, is_request } => {
                    if to_server.write_all(&frame(&body)).await.is_err() {
                        // The library stopped reading: it is done.
                        return Stop::Exit { after_shutdown };
                    }
                    match method.as_deref() {
                        Some("shutdown") if is_request => after_shutdown = true,
                        Some("exit") if !is_request => return Stop::Exit { after_shutdown },
                        _ => {}
                    }
                }
            }
        }
        match input.read(&mut chunk).await {
            Ok(0) => return Stop::InputClosed { after_shutdown },
            Ok(n) => framer.push(&chunk[..n]),
            Err(e) => return Stop::InputError(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(bytes: &[u8]) -> Vec<Frame> {
        let mut f = Framer::default();
        let mut out = Vec::new();
        // Byte by byte: framing must not depend on how reads split.
        for b in bytes {
            f.push(&[*b]);
            while let Some(frame) = f.next_frame() {
                out.push(frame);
            }
        }
        out
    }

    fn msg(s: &str) -> Frame {
        Frame::Message(s.as_bytes().to_vec())
    }

    /// The messages of `data` read in pieces of `chunk` bytes, a body
    /// that is not JSON handed back as the server does.
    fn messages(data: &[u8], chunk: usize) -> Vec<Vec<u8>> {
        let mut f = Framer::default();
        let mut out = Vec::new();
        for piece in data.chunks(chunk) {
            f.push(piece);
            while let Some(frame) = f.next_frame() {
                if let Frame::Message(body) = frame {
                    if serde_json::from_slice::<Value>(&body).is_err() {
                        f.body_was_broken(&body);
                    }
                    out.push(body);
                }
            }
        }
        out
    }

    proptest::proptest! {
        /// Lying lengths, given-back header starts and garbage: the same
        /// messages whatever the reads.
        #[test]
        fn messages_do_not_depend_on_how_reads_split(
            parts in proptest::collection::vec(
                (proptest::sample::select(vec!["{}", "{\"a\":1}", "[1]", "{", "xx"]), -3i32..4),
                1..8,
            ),
            chunk in 1usize..20,
        ) {
            let mut data = Vec::new();
            for (body, lie) in parts {
                let len = (body.len() as i32 + lie).max(0);
                data.extend(format!("Content-Length: {len}\r\n\r\n{body}").bytes());
            }
            proptest::prop_assert_eq!(messages(&data, chunk), messages(&data, data.len()));
        }
    }

    #[test]
    fn reads_that_split_a_header_find_the_same_messages() {
        // Found by the lsp_transport fuzz target: a space before the colon,
        // and the header arriving in pieces after garbage.
        let data =
            b"ContLe-tnength: 22-2222222222231\r\n\r\n{\"a\":\"exit\"content-length :2\r\n\r\n{}";
        let mut f = Framer::default();
        let mut got = Vec::new();
        for piece in data.chunks(8) {
            f.push(piece);
            while let Some(frame) = f.next_frame() {
                got.push(frame);
            }
        }
        assert_eq!(got.last(), Some(&msg("{}")), "{got:?}");
        // A lying length whose inner header arrives byte by byte, with a
        // long number: found as when it comes in one read.
        let data = b"Content-Length: 58\r\n\r\n{\"jsonrpc\":\"2.0\",\"i\x07Content-Length: 4444444444444462\r\n\r\n{}";
        let whole = {
            let mut f = Framer::default();
            f.push(data);
            std::iter::from_fn(|| f.next_frame()).collect::<Vec<_>>()
        };
        assert_eq!(frames(data), whole);
        // A form feed before the colon (found by fuzzing, 1,151,972
        // executions): a split read refused the name as it arrived, one
        // read took it for `Content-Length` (trimmed as white space).
        let data =
            b"\xff\r\xffengt\xffContent-Length\x03\x00:0\x04\xffContent-Length\x0c: 2\r\n\r\n{}";
        let whole = {
            let mut f = Framer::default();
            f.push(data);
            std::iter::from_fn(|| f.next_frame()).collect::<Vec<_>>()
        };
        // The same messages (none); errors may be found earlier in pieces.
        let messages = |f: Vec<Frame>| -> Vec<Frame> {
            f.into_iter()
                .filter(|f| matches!(f, Frame::Message(_)))
                .collect()
        };
        assert_eq!(messages(frames(data)), messages(whole), "{data:?}");
        assert!(messages(frames(data)).is_empty());
    }

    #[test]
    fn header_names_in_any_case() {
        assert_eq!(frames(b"content-length: 2\r\n\r\n{}"), [msg("{}")]);
        assert_eq!(
            frames(b"CONTENT-LENGTH:2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"),
            [msg("{}")]
        );
    }

    #[test]
    fn a_lying_length_resynchronises_at_the_next_header() {
        // Too long: the next header is inside the body.
        let too_long = b"Content-Length: 40\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n{}";
        assert!(
            matches!(frames(too_long)[..], [Frame::Broken(_), Frame::Message(ref m)] if m == b"{}")
        );
        // Too short: the rest of the body is garbage before the next header.
        let too_short = b"Content-Length: 3\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n{}";
        let mut f = Framer::default();
        f.push(too_short);
        assert_eq!(f.next_frame(), Some(msg("{\"a")));
        f.body_was_broken(b"{\"a");
        assert_eq!(f.next_frame(), Some(msg("{}")));
        assert_eq!(f.next_frame(), None);
        // Too long by a few bytes: the body took the start of the next
        // header, which is given back (third adversarial run C13).
        let mut f = Framer::default();
        f.push(b"Content-Length: 9\r\n\r\n{}Content-Length: 2\r\n\r\n{}");
        assert_eq!(f.next_frame(), Some(msg("{}Content")));
        f.body_was_broken(b"{}Content");
        assert_eq!(f.next_frame(), Some(msg("{}")));
        assert_eq!(f.next_frame(), None);
    }

    #[test]
    fn a_message_over_the_limit_is_skipped_up_to_its_end_or_the_next_header() {
        // The length lied: the next message is right behind the header.
        let lie = b"Content-Length: 4000000000\r\n\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(frames(lie), [Frame::TooLarge(4_000_000_000), msg("{}")]);
        // A real body over the limit, in pieces: skipped, then the next one.
        let len = MAX_MESSAGE + 1;
        let mut f = Framer::default();
        f.push(format!("Content-Length: {len}\r\n\r\n").as_bytes());
        assert_eq!(f.next_frame(), Some(Frame::TooLarge(len)));
        let piece = vec![b'x'; 1 << 20];
        let mut left = len;
        while left > 0 {
            let n = left.min(piece.len());
            f.push(&piece[..n]);
            assert_eq!(f.next_frame(), None);
            assert!(f.buf.len() < 64, "a skipped body is never held");
            left -= n;
        }
        f.push(b"Content-Length: 2\r\n\r\n{}");
        assert_eq!(f.next_frame(), Some(msg("{}")));
        // At the limit: a message like any other.
        let mut f = Framer::default();
        f.push(format!("Content-Length: {MAX_MESSAGE}\r\n\r\n").as_bytes());
        assert_eq!(f.next_frame(), None);
    }

    #[test]
    fn garbage_and_bad_headers_are_skipped() {
        let got = frames(b"hello\r\n\r\nContent-Length: x\r\n\r\nContent-Length: 2\r\n\r\n{}");
        assert_eq!(got.last(), Some(&msg("{}")));
        assert!(got[..got.len() - 1]
            .iter()
            .all(|f| matches!(f, Frame::Broken(_))));
        assert_eq!(
            frames(b"Content-Length: 99999999999999999999999\r\n\r\nContent-Length: 2\r\n\r\n{}")
                .len(),
            2
        );
    }

    #[test]
    fn classifies_like_json_rpc() {
        let reply_code = |body: &str| match classify(body.as_bytes()) {
            Inbound::Reply(v) => v["error"]["code"].as_i64(),
            _ => None,
        };
        assert_eq!(
            reply_code(r#"{"jsonrpc":"2.0","id":1,"method":"#),
            Some(-32700)
        );
        assert_eq!(
            reply_code(r#"{"jsonrpc":"1.0","id":1,"method":"x"}"#),
            Some(-32600)
        );
        assert_eq!(
            reply_code(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#),
            Some(-32600)
        );
        assert_eq!(
            reply_code(r#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"x"}"#),
            Some(-32600)
        );
        assert_eq!(
            reply_code(r#"[{"jsonrpc":"2.0","id":1,"method":"x"}]"#),
            Some(-32600)
        );
        assert_eq!(
            reply_code(r#"{"jsonrpc":"2.0","id":1,"method":"$/x"}"#),
            Some(-32601)
        );
        assert_eq!(
            classify(br#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#),
            Inbound::Forward {
                method: Some("$/cancelRequest".into()),
                is_request: false
            }
        );
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","id":1}"#),
            Inbound::Drop(_)
        ));
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"x"}}"#),
            Inbound::Drop(_)
        ));
    }

    #[test]
    fn scrub_masks_strings_but_not_edits() {
        let secrets = Secrets::of_text("<password>hunter22</password>");
        let body = br#"{"message":"a hunter22 b","edit":{"newText":"hunter22"}}"#;
        let out = String::from_utf8(scrub(body, &secrets).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"{"message":"a ******** b","edit":{"newText":"hunter22"}}"#
        );
        assert_eq!(scrub(b"{\"message\":\"clean\"}", &secrets), None);
    }
}
