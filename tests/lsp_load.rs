//! The language server under load: 10,000 random edits across three open
//! documents, interleaved with requests (hover, code actions, diagnostic
//! pulls) of which half are cancelled in flight, configuration changes and
//! files changed on disk. Every request gets a response, the final
//! diagnostics equal a fresh `check`, and memory stays flat over repeated
//! open/close cycles (live bytes counted by this binary's global allocator;
//! the server runs in process).

mod common;

use common::*;
use exchange_auth_lint::diagnostic::{Level, Severity};
use serde_json::{json, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicIsize, Ordering};

/// Counts live heap bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The tests run one at a time, so that the byte count is one test's.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const XC: &str =
    "force-app/main/default/externalCredentials/Room_Finder_Basic.externalCredential-meta.xml";
/// Closed files rewritten on disk during the run.
const ON_DISK: [&str; 2] = [
    "force-app/main/default/namedCredentials/ERP_Orders.namedCredential-meta.xml",
    "force-app/main/default/settings/EAC.settings-meta.xml",
];
const EDITS: usize = 10_000;
const REQUEST_CANCELLED: i64 = -32800;

/// Value swaps that keep a document meaningful: (from, to) pairs, applied
/// either way when present.
const SWAPS: [(&str, &str); 6] = [
    (
        "<protocol>Password</protocol>",
        "<protocol>Oauth</protocol>",
    ),
    ("outlook.office365.com", "mail.contoso.com"),
    (
        "<enableContactAndEventSync>true",
        "<enableContactAndEventSync>false",
    ),
    (
        "<authenticationProtocol>Custom",
        "<authenticationProtocol>Oauth",
    ),
    ("<label>", "<label>同期 🎉 "),
    ("<principalType>NamedUser", "<principalType>PerUser"),
];

const JUNK: [&str; 12] = [
    "<", ">", "</", "&", "x", "日本", "🎉", "\r\n", "\n", "<!--", "\"", " ",
];

struct Doc {
    rel: &'static str,
    uri: String,
    text: String,
    original: String,
    version: i64,
}

fn swap(rng: &mut Rng, text: &str) -> String {
    let (a, b) = SWAPS[rng.below(SWAPS.len())];
    if text.contains(b) && (rng.below(2) == 0 || !text.contains(a)) {
        text.replacen(b, a, 1)
    } else {
        text.replacen(a, b, 1)
    }
}

/// One random change to `doc`: a small edit anywhere, or (sometimes) the
/// whole text replaced by a well-formed variant.
fn random_change(rng: &mut Rng, doc: &mut Doc) -> Value {
    if rng.below(10) == 0 {
        let base = if rng.below(2) == 0 {
            doc.original.clone()
        } else {
            doc.text.clone()
        };
        doc.text = swap(rng, &base);
        return json!({ "text": doc.text });
    }
    let text = &doc.text;
    let start = char_boundary(text, rng.below(text.len() + 1));
    let end = char_boundary(text, (start + rng.below(6)).min(text.len())).max(start);
    let mut new = String::new();
    for _ in 0..rng.below(3) {
        new.push_str(rng.pick(&JUNK));
    }
    let change = json!({"range": range16(text, start, end), "text": new});
    doc.text.replace_range(start..end, &new);
    change
}

/// (code, start, end, severity, message) of LSP diagnostics.
type Diag = (String, String, String, i64, String);

fn lsp_diags(items: &Value) -> BTreeSet<Diag> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"].to_string(),
                d["range"]["end"].to_string(),
                d["severity"].as_i64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A fresh `check` of `root` with `docs`' texts written over their files.
fn fresh_check(
    root: &std::path::Path,
    docs: &[Doc],
    as_of: &str,
    overrides: &BTreeMap<&'static str, Level>,
) -> BTreeMap<String, BTreeSet<Diag>> {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("org");
    copy_dir(root, &copy);
    for d in docs {
        std::fs::write(copy.join(d.rel), &d.text).unwrap();
    }
    let (root, manifest) = exchange_auth_lint::project::find_root(&copy);
    let project = exchange_auth_lint::project::Project::load(&root, manifest, &Default::default());
    let options = exchange_auth_lint::check::CheckOptions {
        as_of: exchange_auth_lint::timeline::AsOf::parse(as_of).unwrap(),
        overrides: overrides.clone(),
        ..Default::default()
    };
    let result = exchange_auth_lint::check::check(&project, &options);
    let mut out: BTreeMap<String, BTreeSet<Diag>> = BTreeMap::new();
    for d in docs {
        out.insert(d.rel.to_string(), BTreeSet::new());
    }
    for f in &result.findings {
        let rel = &project.files[f.file].rel_path;
        let Some(doc) = docs.iter().find(|d| d.rel == rel) else {
            continue;
        };
        let severity = match f.severity {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Info => 3,
        };
        out.get_mut(doc.rel).unwrap().insert((
            f.rule.to_string(),
            position16(&doc.text, f.range.start).to_string(),
            position16(&doc.text, f.range.end).to_string(),
            severity,
            f.message.clone(),
        ));
    }
    out
}

/// Records a response; other messages are dropped (pull mode: nothing to
/// keep).
fn record(msg: Value, pending: &mut BTreeSet<i64>, answers: &mut Answers) {
    if msg.get("method").is_some() {
        answers
            .last
            .push(msg.to_string().chars().take(200).collect());
        if answers.last.len() > 20 {
            answers.last.remove(0);
        }
        return;
    }
    let Some(id) = msg["id"].as_i64() else {
        return;
    };
    assert!(pending.remove(&id), "unexpected or second response {msg}");
    match msg.get("error") {
        Some(e) if e["code"] == REQUEST_CANCELLED => answers.cancelled += 1,
        Some(e) => panic!("request {id} failed: {e}"),
        None => answers.results += 1,
    }
}

#[derive(Default, Debug)]
struct Answers {
    results: usize,
    cancelled: usize,
    last: Vec<String>,
}

async fn drain(c: &mut Client, pending: &mut BTreeSet<i64>, answers: &mut Answers) {
    while let Ok(msg) = c.inbox.try_recv() {
        record(msg, pending, answers);
    }
}

async fn wait_all(c: &mut Client, pending: &mut BTreeSet<i64>, answers: &mut Answers) {
    while !pending.is_empty() {
        let msg = match tokio::time::timeout(PATIENCE, c.inbox.recv()).await {
            Ok(Some(msg)) => msg,
            _ => panic!("no response to requests {pending:?} ({answers:?})"),
        };
        record(msg, pending, answers);
    }
}

fn settings_json(as_of: &str, rules: &Value) -> Value {
    json!({ "asOf": as_of, "rules": rules })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_edits_with_cancels_config_and_disk_changes() {
    let _serial = SERIAL.lock().await;
    let (mut c, _) = Client::start(Setup {
        pull: true,
        resolve: true,
        ..Setup::default()
    })
    .await;
    let mut docs: Vec<Doc> = [NC, EI, XC]
        .into_iter()
        .map(|rel| {
            let text = c.text(rel);
            Doc {
                rel,
                uri: c.open(rel, &text),
                original: text.clone(),
                text,
                version: 1,
            }
        })
        .collect();
    let mut rng = Rng(0x10AD_5EED_0000_0001);
    let started = std::time::Instant::now();
    let mut pending = BTreeSet::new();
    let mut answers = Answers::default();
    let (mut requests, mut cancels, mut configs, mut disk) = (0, 0, 0, 0);
    let dates = ["2026-11-24", "2025-06-01", "2027-01-15"];
    let rule_sets = [
        json!({}),
        json!({"SEC001": "off"}),
        json!({"EXO001": "info", "LS001": "warning"}),
        json!({"EXO002": "error", "SEC002": "off"}),
    ];
    let mut as_of = dates[0];
    let mut rules = rule_sets[0].clone();
    let mut disk_texts: Vec<String> = ON_DISK.iter().map(|r| c.text(r)).collect();
    for i in 0..EDITS {
        let d = rng.below(docs.len());
        let doc = &mut docs[d];
        let change = random_change(&mut rng, doc);
        doc.version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": [change]}),
        );
        if i % 10 == 0 {
            let doc = &docs[rng.below(docs.len())];
            let at = char_boundary(&doc.text, rng.below(doc.text.len() + 1));
            let pos = position16(&doc.text, at);
            let id = match rng.below(3) {
                0 => c.send(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": doc.uri}, "position": pos}),
                ),
                1 => c.send(
                    "textDocument/codeAction",
                    json!({"textDocument": {"uri": doc.uri},
                           "range": {"start": position16(&doc.text, 0), "end": pos},
                           "context": {"diagnostics": []}}),
                ),
                _ => c.send(
                    "textDocument/diagnostic",
                    json!({"textDocument": {"uri": doc.uri}}),
                ),
            };
            pending.insert(id);
            requests += 1;
            if rng.below(2) == 0 {
                c.notify("$/cancelRequest", json!({"id": id}));
                cancels += 1;
            }
        }
        if i % 700 == 350 {
            as_of = dates[rng.below(dates.len())];
            rules = rule_sets[rng.below(rule_sets.len())].clone();
            *c.settings.lock().unwrap() = settings_json(as_of, &rules);
            // Pushed settings one time, pulled (settings: null) the next.
            let pushed = if configs % 2 == 0 {
                json!({"exchangeAuthLint": settings_json(as_of, &rules)})
            } else {
                Value::Null
            };
            c.notify(
                "workspace/didChangeConfiguration",
                json!({ "settings": pushed }),
            );
            configs += 1;
        }
        if i % 900 == 460 {
            let k = rng.below(ON_DISK.len());
            disk_texts[k] = swap(&mut rng, &disk_texts[k]);
            std::fs::write(c.path(ON_DISK[k]), &disk_texts[k]).unwrap();
            c.notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": uri(&c.path(ON_DISK[k])), "type": 2}]}),
            );
            disk += 1;
        }
        if i % 50 == 0 {
            drain(&mut c, &mut pending, &mut answers).await;
        }
    }
    // End on meaningful texts: each document one swap away from its original.
    for doc in &mut docs {
        doc.text = swap(&mut rng, &doc.original);
        doc.version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc.uri, "version": doc.version},
                   "contentChanges": [{"text": doc.text}]}),
        );
    }
    eprintln!(
        "edits sent after {:?}; {} requests pending",
        started.elapsed(),
        pending.len()
    );
    wait_all(&mut c, &mut pending, &mut answers).await;
    eprintln!("all answered after {:?}", started.elapsed());
    assert_eq!(answers.results + answers.cancelled, requests);
    eprintln!(
        "{EDITS} edits, {requests} requests ({cancels} cancelled in flight: {} answered \
         RequestCancelled, {} with a result), {configs} configuration changes, {disk} disk changes",
        answers.cancelled, answers.results
    );

    let overrides: BTreeMap<&'static str, Level> = rules
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, level)| {
            (
                exchange_auth_lint::rules::by_id(id).unwrap().id,
                Level::parse(level.as_str().unwrap()).unwrap(),
            )
        })
        .collect();
    let expected = fresh_check(&c.root, &docs, as_of, &overrides);
    for doc in &docs {
        let report = c
            .request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": doc.uri}}),
            )
            .await;
        assert_eq!(report["kind"], "full");
        assert_eq!(
            lsp_diags(&report["items"]),
            expected[doc.rel],
            "{}: final text:\n{}",
            doc.rel,
            doc.text
        );
    }
    // The settings were taken into account: the expectation is not empty.
    assert!(expected.values().any(|d| !d.is_empty()));
}

/// Requests sent right after `initialized` wait for the workspace index,
/// and the server handles only a few messages at a time: if the index
/// waited for the client (to create its progress token) while those
/// requests held every slot, the client's answer would never be read. A
/// client slow to answer makes the race certain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_during_indexing_never_wait_for_the_client() {
    let _serial = SERIAL.lock().await;
    let (mut c, _) = Client::start(Setup {
        pull: true,
        slow_answers: Some((
            "window/workDoneProgress/create",
            std::time::Duration::from_millis(300),
        )),
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let doc = c.open(NC, &text);
    let mut pending = BTreeSet::new();
    for i in 0..12 {
        // Edits between the requests (each a no-op: the same text).
        for version in 0..20 {
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": doc, "version": 2 + i * 20 + version},
                       "contentChanges": [{"text": text}]}),
            );
        }
        let id = if i % 2 == 0 {
            c.send(
                "textDocument/hover",
                json!({"textDocument": {"uri": doc}, "position": {"line": 1, "character": 2}}),
            )
        } else {
            c.send(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": doc}}),
            )
        };
        pending.insert(id);
    }
    let mut answers = Answers::default();
    wait_all(&mut c, &mut pending, &mut answers).await;
    assert_eq!(answers.results, 12);
}

/// Opens the three documents, edits them, asks for diagnostics, closes
/// them, and waits for a round trip; returns the live heap bytes.
async fn cycle(c: &mut Client, rng: &mut Rng, n: usize) -> isize {
    let mut uris = Vec::new();
    // A buffer of its own each cycle (a new URI, not on disk) with 64 KB
    // of comment: anything kept per document after closing adds up.
    let rel = format!("force-app/main/default/namedCredentials/Cycle_{n}.namedCredential-meta.xml");
    let big = c.text(NC).replace(
        "<NamedCredential",
        &format!("<!-- {} -->\n<NamedCredential", "x".repeat(64 * 1024)),
    );
    let u = c.open(&rel, &big);
    let report = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": u}}),
        )
        .await;
    assert!(!report["items"].as_array().unwrap().is_empty());
    uris.push(u);
    for rel in [NC, EI, XC] {
        let mut doc = Doc {
            rel,
            uri: c.open(rel, &c.text(rel)),
            original: c.text(rel),
            text: c.text(rel),
            version: 1,
        };
        for _ in 0..20 {
            let change = random_change(rng, &mut doc);
            doc.version += 1;
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": [change]}),
            );
        }
        c.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": doc.uri}}),
        )
        .await;
        uris.push(doc.uri);
    }
    for u in uris {
        c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    }
    // Closed documents fall back to the disk; a workspace pull after the
    // closes is answered once they are processed.
    c.request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    while c.inbox.try_recv().is_ok() {}
    c.backlog.clear();
    c.backlog.shrink_to_fit();
    LIVE.load(Ordering::Relaxed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_is_flat_over_open_close_cycles() {
    let _serial = SERIAL.lock().await;
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    let mut rng = Rng(0xC7C1_E5ED_0000_0002);
    let mut live = Vec::new();
    for n in 0..25 {
        live.push(cycle(&mut c, &mut rng, n).await);
    }
    // Warm-up: the first five cycles fill caches and the runtime's pools.
    let warm = live[5];
    let max = *live[5..].iter().max().unwrap();
    let last = *live.last().unwrap();
    eprintln!(
        "live heap after each cycle (KiB): {:?}",
        live.iter().map(|b| b / 1024).collect::<Vec<_>>()
    );
    // A leak of the documents (over 64 KB of text per cycle, plus trees,
    // projects and diagnostics) would add more than 1 MiB over 20 cycles.
    let bound = 256 * 1024;
    assert!(
        last - warm < bound && max - warm < 2 * bound,
        "live heap grew from {warm} to {last} bytes (max {max})"
    );
}
