//! Measures the language server through the protocol, as an editor sees it.
//!
//! ```text
//! lsp-bench index   --server BIN --root ORG
//! lsp-bench latency --server BIN --root ORG --file REL [--edits 250] [--edit value|tag]
//! ```
//!
//! `index`: from `initialize` until the workspace is indexed: the
//! Lightning Sync settings file reports LS001 (a finding that needs facts
//! from credentials elsewhere in the project) and no work-done progress is
//! open.
//!
//! `latency`: opens `REL`, then makes `--edits` one-character edits, each
//! waiting for the diagnostics of that version (pushed, or pulled with
//! `textDocument/diagnostic` when the server offers it). `--edit value`
//! (the default) types inside the `<label>` value, as when editing a
//! field; `--edit tag` adds and removes a space inside the `<label>` start
//! tag, an edit to the markup.
//!
//! Prints one JSON object on stdout; exit 1 with the reason on stderr when
//! the server cannot be measured.

use exchange_auth_lint_bench::lsp::{percentile, position, pushed_for, uri, Client};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::{Duration, Instant};

const PROBE: &str = "force-app/main/default/settings/EmailIntegration.settings-meta.xml";
const TIMEOUT: Duration = Duration::from_secs(120);
const EDIT_TIMEOUT: Duration = Duration::from_secs(10);

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("lsp-bench: {msg}");
    exit(1)
}

fn has_rule(diags: &Value, rule: &str) -> bool {
    diags.as_array().is_some_and(|a| {
        a.iter().any(|d| {
            d["code"].as_str() == Some(rule)
                || d["code"].as_str().is_some_and(|c| c.starts_with(rule))
        })
    })
}

/// Opens `path` and returns its text.
fn open(client: &mut Client, path: &Path, version: i64) -> String {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": "xml", "version": version, "text": text}}),
        )
        .unwrap_or_else(|e| fail(e));
    text
}

/// The diagnostics of `doc` at `version`: pulled, or the next pushed set
/// for that version (any version when the server sends none).
fn diagnostics(
    client: &mut Client,
    doc: &str,
    version: i64,
    timeout: Duration,
) -> Result<(Instant, Value), String> {
    if client.pull_diagnostics() {
        let id = client
            .request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": doc}}),
            )
            .map_err(|e| e.to_string())?;
        let (at, result) = client.wait_response(id, timeout)?;
        return Ok((at, result["items"].clone()));
    }
    let (at, msg) = client.wait_for(timeout, |m| {
        pushed_for(m, doc).is_some_and(|p| p["version"].as_i64().is_none_or(|v| v == version))
    })?;
    Ok((at, msg["params"]["diagnostics"].clone()))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let (mut server, mut root, mut file, mut edits) = (None, None, None, 250usize);
    let mut in_tag = false;
    let mut in_literal = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--server" => server = args.next(),
            "--root" => root = args.next().map(PathBuf::from),
            "--file" => file = args.next(),
            "--edits" => edits = args.next().and_then(|v| v.parse().ok()).unwrap_or(250),
            "--edit" => match args.next().as_deref() {
                Some("value") => in_tag = false,
                Some("tag") => in_tag = true,
                // Apex: a character of the first `setEndpoint('…')` literal.
                Some("literal") => in_literal = true,
                _ => fail("--edit takes `value`, `tag` or `literal`"),
            },
            _ => fail(format!("unknown argument `{a}`")),
        }
    }
    let (Some(server), Some(root)) = (server, root) else {
        fail("usage: lsp-bench index|latency --server BIN --root ORG [--file REL] [--edits N] [--edit value|tag|literal]")
    };
    let root = root
        .canonicalize()
        .unwrap_or_else(|e| fail(format!("{}: {e}", root.display())));

    let started = Instant::now();
    let mut client = Client::spawn(&server, &["server".to_string()], &root)
        .unwrap_or_else(|e| fail(format!("cannot start `{server} server`: {e}")));
    client
        .initialize(&root)
        .unwrap_or_else(|e| fail(format!("initialize: {e}")));

    // The index is done when the probe's LS001 is there and no progress is open.
    let probe = root.join(PROBE);
    let probe_uri = uri(&probe);
    open(&mut client, &probe, 1);
    let mut indexed = None;
    while indexed.is_none() {
        if started.elapsed() > TIMEOUT {
            fail("the workspace was not indexed within 120 s");
        }
        let (at, diags) = diagnostics(&mut client, &probe_uri, 1, TIMEOUT)
            .unwrap_or_else(|e| fail(format!("waiting for the index: {e}")));
        if has_rule(&diags, "LS001") && !client.progress_open() {
            indexed = Some(at);
        } else if client.pull_diagnostics() {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    let index_ms = indexed.map_or(0.0, |at| (at - started).as_secs_f64() * 1e3);
    let mode_name = if client.pull_diagnostics() {
        "pull"
    } else {
        "push"
    };

    if mode == "index" {
        println!(
            "{}",
            json!({"mode": "index", "indexMs": index_ms, "diagnostics": mode_name, "progress": client.progress_seen})
        );
        client.shutdown();
        return;
    }
    if mode != "latency" {
        fail(format!("unknown mode `{mode}`"));
    }
    let rel = file.unwrap_or_else(|| fail("latency needs --file"));
    let path = root.join(&rel);
    let doc = uri(&path);
    let mut text = open(&mut client, &path, 1);
    diagnostics(&mut client, &doc, 1, TIMEOUT)
        .unwrap_or_else(|e| fail(format!("first diagnostics of {rel}: {e}")));
    // Edits alternate: `first` at `at` becomes `second`, then back.
    let (at, first, second) = if in_literal {
        let at = text
            .find("/EWS/")
            .map(|i| i + "/EWS/".len())
            .unwrap_or_else(|| fail(format!("{rel} has no /EWS/ literal")));
        (at, &text[at..at + 1], "Q")
    } else if in_tag {
        let at = text
            .find("<label>")
            .map(|i| i + "<label".len())
            .unwrap_or_else(|| fail(format!("{rel} has no <label>")));
        (at, "", " ")
    } else {
        let at = text
            .find("</label>")
            .and_then(|i| i.checked_sub(1))
            .unwrap_or_else(|| fail(format!("{rel} has no <label>")));
        (at, &text[at..at + 1], "Q")
    };
    let (first, second) = (first.to_string(), second.to_string());
    let incremental = client.sync_kind() == 2;
    let mut samples = Vec::with_capacity(edits);
    for i in 0..edits {
        let version = i as i64 + 2;
        let (old, new) = if i % 2 == 0 {
            (&first, &second)
        } else {
            (&second, &first)
        };
        let (end, new) = (at + old.len(), new.as_str());
        text.replace_range(at..end, new);
        let change = if incremental {
            let (line, ch) = position(&text, at);
            let old_len = old.encode_utf16().count();
            json!({"range": {"start": {"line": line, "character": ch}, "end": {"line": line, "character": ch + old_len}}, "text": new})
        } else {
            json!({"text": text})
        };
        let sent = Instant::now();
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": doc, "version": version}, "contentChanges": [change]}),
            )
            .unwrap_or_else(|e| fail(e));
        let (got, _) = diagnostics(&mut client, &doc, version, EDIT_TIMEOUT)
            .unwrap_or_else(|e| fail(format!("edit {i}: {e}")));
        samples.push((got - sent).as_secs_f64() * 1e3);
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "{}",
        json!({
            "mode": "latency",
            "file": rel,
            "edit": if in_literal { "literal" } else if in_tag { "tag" } else { "value" },
            "bytes": text.len(),
            "edits": edits,
            "sync": if incremental { "incremental" } else { "full" },
            "diagnostics": mode_name,
            "p50Ms": percentile(&samples, 50.0),
            "p95Ms": percentile(&samples, 95.0),
            "maxMs": percentile(&samples, 100.0),
            "indexMs": index_ms,
        })
    );
    client.shutdown();
}
