//! How the language server schedules its work: notifications are applied
//! in order by the one owner of its state; every request works on a
//! snapshot that holds every change sent before it, can be cancelled, and
//! blocks no other; a panic is contained.

mod common;

use common::*;
use serde_json::{json, Value};

/// The line of `<password>` in the named credential, and where its value
/// starts (UTF-16 columns).
const PASSWORD_LINE: u64 = 7;
const VALUE_START: u64 = 14;

/// Where SEC001 is (the `<password>` element) while the value is `len`
/// columns long.
fn element(len: u64) -> (u64, u64) {
    (4, VALUE_START + len + "</password>".len() as u64)
}

/// Waits for the answers to `ids`, by id (whatever else comes is kept).
async fn answers(c: &mut Client, ids: &[i64]) -> std::collections::BTreeMap<i64, Value> {
    let mut got = std::collections::BTreeMap::new();
    while got.len() < ids.len() {
        let m = c.next().await;
        match m["id"].as_i64() {
            Some(id) if m.get("method").is_none() && ids.contains(&id) => {
                assert!(got.insert(id, m).is_none(), "two answers to {id}");
            }
            _ => c.backlog.push(m),
        }
    }
    got
}

/// The password value replaced: (old length, new text) → the change.
fn set_password(u: &str, version: i32, old_len: u64, new: &str) -> Value {
    json!({
        "textDocument": {"uri": u, "version": version},
        "contentChanges": [{
            "range": {
                "start": {"line": PASSWORD_LINE, "character": VALUE_START},
                "end": {"line": PASSWORD_LINE, "character": VALUE_START + old_len},
            },
            "text": new,
        }],
    })
}

/// The SEC001 range of a pulled report: (start, end) columns on its line.
fn sec001(report: &Value) -> (u64, u64) {
    let d = report["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a full report: {report}"))
        .iter()
        .find(|d| d["code"] == "SEC001")
        .unwrap_or_else(|| panic!("no SEC001 in {report}"));
    assert_eq!(d["range"]["start"]["line"], PASSWORD_LINE, "{d}");
    (
        d["range"]["start"]["character"].as_u64().unwrap(),
        d["range"]["end"]["character"].as_u64().unwrap(),
    )
}

fn pull(u: &str) -> Value {
    json!({"textDocument": {"uri": u}})
}

/// A hover on the password's value of `u`.
fn hover_password(u: &str) -> Value {
    json!({
        "textDocument": {"uri": u},
        "position": {"line": PASSWORD_LINE, "character": VALUE_START + 1},
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_sees_exactly_the_changes_sent_before_it() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    let u = c.open(NC, &c.text(NC));
    let first = c.request("textDocument/diagnostic", pull(&u)).await;
    // `Winter2021!`: 11 columns.
    assert_eq!(sec001(&first), element(11));
    // A burst of edits, each followed at once by a pull and, now and then,
    // a hover; nothing waits for an answer until the end.
    let mut old_len = 11;
    let mut pulls = Vec::new();
    let mut hovers = Vec::new();
    for i in 0..40 {
        let value = format!("Spring{}!", "9".repeat(i % 9 + 1));
        c.notify(
            "textDocument/didChange",
            set_password(&u, 2 + i as i32, old_len, &value),
        );
        old_len = value.len() as u64;
        pulls.push((c.send("textDocument/diagnostic", pull(&u)), old_len));
        if i % 4 == 0 {
            hovers.push(c.send("textDocument/hover", hover_password(&u)));
        }
    }
    let ids: Vec<i64> = pulls.iter().map(|p| p.0).chain(hovers.clone()).collect();
    let got = answers(&mut c, &ids).await;
    for (id, len) in &pulls {
        let report = &got[id]["result"];
        assert_eq!(report["kind"], "full", "{report}");
        assert_eq!(sec001(report), element(*len), "request {id}");
    }
    for id in &hovers {
        let hover = &got[id];
        assert!(hover.get("error").is_none(), "{hover}");
        assert!(
            hover["result"]["contents"]["value"]
                .as_str()
                .is_some_and(|s| s.contains("SEC001")),
            "{hover}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_that_never_end_block_nothing_and_are_cancelled() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    let u = c.open(NC, &c.text(NC));
    // More never-ending requests than the protocol library handles at a
    // time by default.
    let hung: Vec<i64> = (0..8)
        .map(|_| c.send("exchangeAuthLint/debugHang", Value::Null))
        .collect();
    c.notify("textDocument/didChange", set_password(&u, 2, 11, "Abc1!"));
    let report = c.request("textDocument/diagnostic", pull(&u)).await;
    assert_eq!(sec001(&report), element(5));
    let hover = c.call("textDocument/hover", hover_password(&u)).await;
    assert!(hover.get("error").is_none(), "{hover}");
    // None of the hung requests was answered meanwhile.
    assert!(
        !c.backlog
            .iter()
            .any(|m| m.get("method").is_none() && hung.contains(&m["id"].as_i64().unwrap_or(0))),
        "a hung request was answered"
    );
    for id in &hung {
        c.notify("$/cancelRequest", json!({"id": id}));
    }
    let got = answers(&mut c, &hung).await;
    for (id, m) in &got {
        assert_eq!(m["error"]["code"], -32800, "request {id}: {m}");
    }
    let shutdown = c.call("shutdown", Value::Null).await;
    assert!(shutdown.get("error").is_none(), "{shutdown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_the_owner_of_the_state_is_logged_and_serving_goes_on() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    let u = c.open(NC, &c.text(NC));
    c.notify("exchangeAuthLint/debugOwnerPanic", Value::Null);
    // The changes after it are applied, in order.
    c.notify("textDocument/didChange", set_password(&u, 2, 11, "Abc1!"));
    c.notify("textDocument/didChange", set_password(&u, 3, 5, "Abcdef1!"));
    let report = c.request("textDocument/diagnostic", pull(&u)).await;
    assert_eq!(sec001(&report), element(8));
    loop {
        let logged = c.backlog.iter().any(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["type"] == 1
                && m["params"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("internal error in exchangeAuthLint/debugOwnerPanic")
        });
        if logged {
            break;
        }
        let m = c.next().await;
        c.backlog.push(m);
    }
    // A panicking request is an error response; the next one is answered.
    let response = c.call("exchangeAuthLint/debugPanic", Value::Null).await;
    assert_eq!(response["error"]["code"], -32603, "{response}");
    let report = c.request("textDocument/diagnostic", pull(&u)).await;
    assert_eq!(sec001(&report), element(8));
}

/// The fix command (eglot up to 1.16: `documentChanges` without `create`,
/// applies edits the server sends) is answered at once, and the server
/// goes on serving while the client never answers the edit it was sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_the_client_never_answers_blocks_nothing() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        workspace_edit: Some(json!({"documentChanges": true})),
        apply_edit: Some(true),
        unanswered: Some("workspace/applyEdit"),
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}});
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": whole, "context": {"diagnostics": [], "only": ["quickfix"]}}),
        )
        .await;
    let command = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["command"]["command"] == "exchangeAuthLint.applyFix")
        .map(|a| a["command"].clone())
        .unwrap_or_else(|| panic!("no fix command in {actions:#}"));
    let response = c.run_command(&command).await;
    assert!(response.get("error").is_none(), "{response}");
    assert!(response["result"].is_null(), "{response}");
    c.message_where(|m| m["method"] == "workspace/applyEdit" && m.get("id").is_some())
        .await;
    // Never answered: hovers, pulls and edits are still served, in order.
    let hover = c.call("textDocument/hover", hover_password(&u)).await;
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|s| s.contains("SEC001")),
        "{hover}"
    );
    let report = c.request("textDocument/diagnostic", pull(&u)).await;
    assert_eq!(sec001(&report), element(11));
    c.notify("textDocument/didChange", set_password(&u, 2, 11, "Abc1!"));
    let report = c.request("textDocument/diagnostic", pull(&u)).await;
    assert_eq!(sec001(&report), element(5));
    // The user was not told anything went wrong: nothing did, yet.
    assert!(
        !c.backlog
            .iter()
            .any(|m| m["method"] == "window/showMessage" && m["params"]["type"] == 1),
        "{:?}",
        c.backlog
    );
    let shutdown = c.call("shutdown", Value::Null).await;
    assert!(shutdown.get("error").is_none(), "{shutdown}");
}

/// A copy of the demo org outside the workspace folder (a project of its
/// own: the server loads it when a file of it is opened).
fn other_project() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("other");
    copy_dir(&fixture("demo-org"), &root);
    let root = root.canonicalize().unwrap();
    (dir, root)
}

/// A hover on the password of `u` tells of SEC001, and a pull reports it
/// on a password `len` characters long: the project of `u` is served.
async fn served(c: &mut Client, u: &str, len: u64) {
    let hover = c.call("textDocument/hover", hover_password(u)).await;
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|s| s.contains("SEC001")),
        "{hover}"
    );
    assert_eq!(
        sec001(&c.request("textDocument/diagnostic", pull(u)).await),
        element(len)
    );
}

fn open_at(c: &Client, path: &std::path::Path) -> String {
    let u = uri(path);
    let text = std::fs::read_to_string(path).unwrap();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "xml", "version": 1, "text": text}}),
    );
    u
}

/// The check of a project runs off the owner of the state: while one is
/// held (it waits until released), the owner applies the changes of
/// another project and its requests are answered; the held request is
/// answered once its check goes on, with the change sent before it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_check_blocks_no_other_project() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    let (_other_dir, other) = other_project();
    let u = c.open(NC, &c.text(NC));
    let v = open_at(&c, &other.join(NC));
    assert_eq!(
        sec001(&c.request("textDocument/diagnostic", pull(&u)).await),
        element(11)
    );
    assert_eq!(
        sec001(&c.request("textDocument/diagnostic", pull(&v)).await),
        element(11)
    );
    // The workspace folder's next check waits.
    c.notify(
        "exchangeAuthLint/debugHoldChecks",
        json!({"uri": uri(&c.root)}),
    );
    c.notify("textDocument/didChange", set_password(&u, 2, 11, "Abc1!"));
    let held = c.send("textDocument/diagnostic", pull(&u));
    // The other project is served meanwhile: a change, a hover, a pull.
    c.notify(
        "textDocument/didChange",
        set_password(&v, 2, 11, "Abcdef1!"),
    );
    served(&mut c, &v, 8).await;
    assert!(
        !c.backlog
            .iter()
            .any(|m| m.get("method").is_none() && m["id"].as_i64() == Some(held)),
        "the held check ended before it was released"
    );
    c.notify("exchangeAuthLint/debugReleaseChecks", Value::Null);
    let got = answers(&mut c, &[held]).await;
    assert_eq!(sec001(&got[&held]["result"]), element(5));
}

/// A check that panics (on its worker thread) is an error response for
/// the request that waited for it and a log line; the project is read
/// again and the next request is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_a_check_is_an_error_for_its_request_alone() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    let u = c.open(NC, &c.text(NC));
    assert_eq!(
        sec001(&c.request("textDocument/diagnostic", pull(&u)).await),
        element(11)
    );
    c.notify("exchangeAuthLint/debugCheckPanic", json!({"uri": u}));
    c.notify("textDocument/didChange", set_password(&u, 2, 11, "Abc1!"));
    let failed = c.call("textDocument/diagnostic", pull(&u)).await;
    assert_eq!(failed["error"]["code"], -32603, "{failed}");
    assert!(
        failed["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("requested by exchangeAuthLint/debugCheckPanic")),
        "{failed}"
    );
    c.message_where(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["type"] == 1
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("internal error in checking"))
    })
    .await;
    // The next request is answered, of the buffer as it is.
    c.notify("textDocument/didChange", set_password(&u, 3, 5, "Abcdef1!"));
    assert_eq!(
        sec001(&c.request("textDocument/diagnostic", pull(&u)).await),
        element(8)
    );
    let hover = c.call("textDocument/hover", hover_password(&u)).await;
    assert!(hover.get("error").is_none(), "{hover}");
}

/// A document opened with a folder's URI (`file:///`): a request on it is
/// answered with nothing, and the folder is never loaded as a project
/// (the project "around" `/` would be the whole disk); the server goes on
/// answering the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_opened_as_a_document_loads_nothing() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///", "languageId": "xml", "version": 1, "text": "<a/>"}}),
    );
    let hover = c
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///"}, "position": {"line": 0, "character": 1}}),
        )
        .await;
    assert!(hover.get("error").is_none(), "{hover}");
    assert!(hover["result"].is_null(), "{hover}");
    let u = c.open(NC, &c.text(NC));
    assert_eq!(
        sec001(&c.request("textDocument/diagnostic", pull(&u)).await),
        element(11)
    );
}

/// A workspace folder that is in no project and holds a huge tree (an
/// editor started in a home directory, or at `/`): its walk stops after
/// its limit and says so, the server answers at once, and a document of a
/// project below the folder gets that project, found by walking up from
/// the document.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_folder_in_no_project_is_walked_within_a_limit() {
    fn prepare(root: &std::path::Path) {
        for i in 0..110 {
            for j in 0..100 {
                std::fs::create_dir_all(root.join(format!("tree/d{i}/e{j}"))).unwrap();
            }
        }
        copy_dir(&fixture("demo-org"), &root.join("proj"));
    }
    let (mut c, _) = Client::start(Setup {
        pull: true,
        fixture: None,
        prepare: Some(prepare),
        ..Setup::default()
    })
    .await;
    let cut = c
        .message_where(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains("stopped after 10000 folders"))
        })
        .await;
    assert_eq!(cut["params"]["type"], 2, "{cut}");
    let rel = format!("proj/{NC}");
    let u = c.open(&rel, &c.text(&rel));
    let hover = c.call("textDocument/hover", hover_password(&u)).await;
    assert!(hover.get("error").is_none(), "{hover}");
    assert_eq!(
        sec001(&c.request("textDocument/diagnostic", pull(&u)).await),
        element(11)
    );
}

/// A workspace folder in no project is walked on a thread of its own:
/// while its walk is held (it waits until released), a document of a
/// project below it gets that project and its requests are answered; once
/// the walk goes on, the folder's own files are checked too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_in_no_project_is_walked_beside_the_requests() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path().canonicalize().unwrap();
    copy_dir(&fixture("demo-org"), &outer.join("proj"));
    let stray = outer.join("stray/Stray.namedCredential-meta.xml");
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::copy(fixture("demo-org").join(NC), &stray).unwrap();
    c.notify("exchangeAuthLint/debugHoldLoads", Value::Null);
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": uri(&outer), "name": "outer"}], "removed": []}}),
    );
    let v = open_at(&c, &outer.join("proj").join(NC));
    served(&mut c, &v, 11).await;
    c.notify("exchangeAuthLint/debugReleaseChecks", Value::Null);
    let stray_uri = uri(&stray);
    for _ in 0..300 {
        let ws = c
            .request("workspace/diagnostic", json!({"previousResultIds": []}))
            .await;
        let found =
            ws["items"].as_array().unwrap().iter().any(|i| {
                i["uri"] == stray_uri.as_str() && !i["items"].as_array().unwrap().is_empty()
            });
        if found {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the folder's own file was never checked");
}
