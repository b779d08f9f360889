//! In-process protocol tests of `exchange-auth-lint server`: the server runs
//! on one end of an in-memory pipe, a small JSON-RPC client on the other.

mod common;

use common::*;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_negotiates_encoding_and_capabilities() {
    let (_c, init) = Client::start(Setup {
        utf8: true,
        ..Setup::default()
    })
    .await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);
    assert!(
        init["capabilities"]["diagnosticProvider"].is_null(),
        "push-only client"
    );
    let (_c, init) = Client::start(Setup {
        pull: true,
        resolve: true,
        ..Setup::default()
    })
    .await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    assert_eq!(
        init["capabilities"]["codeActionProvider"]["resolveProvider"],
        true
    );
    insta::assert_json_snapshot!("capabilities_pull", init["capabilities"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_diagnostics_with_version_code_link_and_related_information() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    assert_eq!(codes(&params), ["EXO002", "SEC001", "EXO001"]);
    insta::assert_json_snapshot!("push_named_credential", c.redact(&params));
    // The settings file, not open, gets its diagnostics too (from disk).
    let ei = uri(&c.path(EI));
    let settings = c
        .diagnostics_where(&ei, |p| !p["diagnostics"].as_array().unwrap().is_empty())
        .await;
    assert!(settings["version"].is_null());
    let ls001 = &settings["diagnostics"][0];
    assert_eq!(ls001["code"], "LS001");
    assert_eq!(ls001["source"], "exchange-auth-lint");
    assert!(ls001["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/docs/rules/LS001.md"));
    assert_eq!(ls001["relatedInformation"].as_array().unwrap().len(), 5);
    // Secrets never leave the server.
    assert!(!serde_json::to_string(&params)
        .unwrap()
        .contains("Winter2021!"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_document_and_workspace() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let report = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": u}}),
        )
        .await;
    assert_eq!(report["kind"], "full");
    let ids: Vec<_> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert_eq!(ids, [json!("EXO002"), json!("SEC001"), json!("EXO001")]);
    let again = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": u}, "previousResultId": report["resultId"]}),
        )
        .await;
    assert_eq!(again["kind"], "unchanged");
    let ws = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    let mut files: Vec<String> = ws["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["items"].as_array().unwrap().is_empty())
        .map(|i| c.redact(&i["uri"]).as_str().unwrap().to_string())
        .collect();
    files.sort();
    insta::assert_json_snapshot!("workspace_diagnostic_files", files);
    let nc = ws["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["uri"] == u)
        .unwrap();
    assert_eq!(nc["version"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_action_inserts_a_suppression_that_silences_the_diagnostic() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let exo001 = diagnostic(&params, "EXO001");
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": exo001["range"], "context": {"diagnostics": [exo001]}}),
        )
        .await;
    insta::assert_json_snapshot!("code_actions_exo001", c.redact(&actions));
    let disable = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Disable EXO001 for this element")
        .unwrap();
    let change = &disable["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["version"], 1);
    let new_text = apply_edits(&text, change["edits"].as_array().unwrap());
    assert!(new_text.contains("    <!-- exchange-auth-lint-disable-next-line EXO001 -->\n    <protocol>Password</protocol>"));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": new_text}]}),
    );
    let params = c.diagnostics_where(&u, |p| p["version"] == 2).await;
    assert_eq!(codes(&params), ["EXO002", "SEC001"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_action_resolve_fills_in_the_edit_lazily() {
    let (mut c, _) = Client::start(Setup {
        resolve: true,
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let sec001 = diagnostic(&params, "SEC001");
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": sec001["range"], "context": {"diagnostics": [], "only": ["quickfix"]}}),
        )
        .await;
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Disable SEC001 for this element")
        .unwrap()
        .clone();
    assert!(action["edit"].is_null());
    assert!(!action["data"].is_null());
    let resolved = c.request("codeAction/resolve", action.clone()).await;
    let edits = resolved["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .unwrap()
        .clone();
    assert!(apply_edits(&text, &edits)
        .contains("<!-- exchange-auth-lint-disable-next-line SEC001 -->\n    <password>"));
    // After an edit, the old action is stale.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"range": range16(&text, 0, 0), "text": "\n"}]}),
    );
    let stale = c.call("codeAction/resolve", action).await;
    assert_eq!(stale["error"]["code"], -32801, "{stale}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_a_credential_updates_the_settings_file_and_back() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let ei_text = c.text(EI);
    let ei = c.open(EI, &ei_text);
    let before = c.diagnostics_where(&ei, |p| p["version"] == 1).await;
    assert_eq!(
        before["diagnostics"][0]["relatedInformation"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    let nc_text = c.text(NC);
    let nc = c.open(NC, &nc_text);
    let start = nc_text.find("<protocol>Password").unwrap() + "<protocol>".len();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": nc, "version": 2},
               "contentChanges": [{"range": range16(&nc_text, start, start + "Password".len()), "text": "Oauth"}]}),
    );
    let after = c
        .diagnostics_where(&ei, |p| {
            p["diagnostics"][0]["relatedInformation"]
                .as_array()
                .is_some_and(|r| r.len() == 4)
        })
        .await;
    assert_eq!(after["version"], 1);
    // And the reverse: turning sync off clears the credential's LS001 evidence
    // — and the settings file's own diagnostic.
    let at = ei_text.find("<enableContactAndEventSync>true").unwrap()
        + "<enableContactAndEventSync>".len();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ei, "version": 2},
               "contentChanges": [{"range": range16(&ei_text, at, at + 4), "text": "false"}]}),
    );
    let cleared = c.diagnostics_where(&ei, |p| p["version"] == 2).await;
    assert_eq!(codes(&cleared), Vec::<String>::new());
}

/// The markdown of a hover at byte `at` of `text`.
async fn hover_value(c: &mut Client, u: &str, text: &str, at: usize) -> String {
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": position16(text, at)}),
        )
        .await;
    hover["contents"]["value"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_shows_rule_card_field_meaning_and_url_cloud() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let at = text.find("<protocol>").unwrap() + 3;
    let value = hover_value(&mut c, &u, &text, at).await;
    let lines: Vec<&str> = value.lines().collect();
    // The card: rule, problem, since when, what to do, where to read more;
    // then the field's meaning in one line. Not the whole manual.
    assert!(
        lines[0].starts_with("**EXO001** `exchange-basic-auth` · error"),
        "{value}"
    );
    assert!(lines[1].starts_with("- **Problem:** "), "{value}");
    assert!(lines[2].starts_with("- **Since 2022-10-01:** "), "{value}");
    assert!(
        lines[3].starts_with("- **To do:** Convert to OAuth 2.0"),
        "{value}"
    );
    assert!(lines[3].ends_with("more)"), "{value}");
    assert_eq!(
        lines[4],
        "- **Full documentation:** <https://github.com/exchange-auth-lint/exchange-auth-lint/blob/main/docs/rules/EXO001.md>"
    );
    assert!(lines[6].starts_with("**`protocol`**"), "{value}");
    assert!(!value.contains("## What it does"), "{value}");
    assert!(!value.contains("command:"), "{value}");
    assert!(lines.len() <= 12, "{value}");
    let at = text.find("https://outlook").unwrap() + 10;
    let value = hover_value(&mut c, &u, &text, at).await;
    assert!(
        value.contains("**`outlook.office365.com`** — Exchange Online"),
        "{value}"
    );
    assert!(value.contains("EWS"), "{value}");
    assert!(value.lines().count() <= 12, "{value}");
    let at = text.find("<password>").unwrap() + 12;
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": position16(&text, at)}),
        )
        .await;
    assert!(!hover.to_string().contains("Winter2021!"));
    // A password element holds two findings: one card, one line for the
    // other rule.
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.lines().count() <= 12, "{value}");
}

/// A client that runs the extension's "Explain Rule" from links (VS Code)
/// gets a command link to the full text beside the web page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_links_to_explain_for_clients_with_the_command() {
    let (mut c, _) = Client::start(Setup {
        client_commands: true,
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let at = text.find("<protocol>").unwrap() + 3;
    let value = hover_value(&mut c, &u, &text, at).await;
    assert_eq!(
        value.lines().nth(4).unwrap(),
        "- [Full documentation of EXO001](command:exchangeAuthLint.explainRule?%5B%22EXO001%22%5D) · [online](https://github.com/exchange-auth-lint/exchange-auth-lint/blob/main/docs/rules/EXO001.md)"
    );
}

/// A placeholder a fix left (FIX001): the diagnostic leads with the
/// problem and the hover says where the real value comes from.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_placeholder_hover_says_where_the_value_comes_from() {
    const EC: &str =
        "force-app/main/default/externalCredentials/Room_Finder_Graph.externalCredential-meta.xml";
    let (mut c, _) = Client::start(Setup {
        fixture: Some("fix001-placeholders"),
        ..Setup::default()
    })
    .await;
    let text = c.text(EC);
    let u = c.open(EC, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    assert_eq!(codes(&params), ["FIX001"]);
    let d = &params["diagnostics"][0];
    assert_eq!(d["severity"], 1);
    assert_eq!(d["range"]["start"]["line"], 16);
    let message = d["message"].as_str().unwrap();
    assert!(
        message.starts_with("Tenant placeholder left by a fix: the AuthProviderUrl parameter"),
        "{message}"
    );
    let at = text.find("TENANT-ID-OR-DOMAIN/oauth2").unwrap();
    let value = hover_value(&mut c, &u, &text, at).await;
    assert!(value.contains("**FIX001**"), "{value}");
    assert!(value.contains("Directory (tenant) ID"), "{value}");
    assert!(value.contains("App registrations"), "{value}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn japanese_locale_gives_japanese_messages() {
    let (mut c, _) = Client::start(Setup {
        locale: Some("ja"),
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let msg = params["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        msg.chars()
            .any(|ch| ('\u{3040}'..='\u{30ff}').contains(&ch)),
        "{msg}"
    );
    // Hover too: the rule's documentation and the field's meaning.
    let at = text.find("<protocol>").unwrap() + 3;
    let value = hover_value(&mut c, &u, &text, at).await;
    assert!(value.contains("**EXO001**"), "{value}");
    assert!(
        value
            .chars()
            .any(|ch| ('\u{3040}'..='\u{30ff}').contains(&ch)),
        "{value}"
    );
    assert!(!value.contains("## What it does"), "{value}");
    assert!(value.contains("- **問題:** "), "{value}");
    assert!(value.contains("- **2022年10月1日から:** "), "{value}");
    assert!(value.contains("- **対処:** "), "{value}");
    assert!(value.contains("docs/rules/EXO001.md#ja>"), "{value}");
    assert!(value.lines().count() <= 12, "{value}");
    // The actions' titles too: the suppressions, the documentation, Fix All.
    let exo001 = diagnostic(&params, "EXO001");
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": exo001["range"], "context": {"diagnostics": [exo001]}}),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    for title in [
        "この要素で EXO001 を無効にする",
        "このファイルで EXO001 を無効にする",
        "EXO001 のドキュメントを表示",
        "このファイルの exchange-auth-lint の問題をすべて修正",
    ] {
        assert!(titles.contains(&title), "{title} not in {titles:?}");
    }
    assert!(
        !titles.iter().any(|t| t.starts_with("Disable ")),
        "{titles:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_overrides_and_config_errors() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    c.diagnostics_where(&u, |p| codes(p).contains(&"EXO001".to_string()))
        .await;
    *c.settings.lock().unwrap() =
        json!({"asOf": "2026-11-24", "rules": {"EXO001": "off", "SEC001": "warning"}});
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let params = c
        .diagnostics_where(&u, |p| !codes(p).contains(&"EXO001".to_string()))
        .await;
    let sec = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SEC001")
        .unwrap();
    assert_eq!(sec["severity"], 2);

    // A bad value in the plugin config: a diagnostic on that key.
    let manifest = c.path("sfdx-project.json");
    let bad = std::fs::read_to_string(&manifest).unwrap().replace(
        "\"sourceApiVersion\": \"62.0\"",
        "\"sourceApiVersion\": \"62.0\",\n  \"plugins\": { \"exchangeAuthLint\": { \"exchange\": \"cloudy\" } }",
    );
    std::fs::write(&manifest, &bad).unwrap();
    let m = uri(&manifest);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": m, "type": 2}]}),
    );
    let params = c
        .diagnostics_where(&m, |p| !p["diagnostics"].as_array().unwrap().is_empty())
        .await;
    insta::assert_json_snapshot!("config_error", c.redact(&params));
    let start = offset16(&bad, &params["diagnostics"][0]["range"]["start"]);
    assert!(
        bad[start..].starts_with("\"cloudy\"") || bad[start..].starts_with("\"exchange\""),
        "{}",
        &bad[start..]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watched_file_changes_update_diagnostics_of_closed_files() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let ei = uri(&c.path(EI));
    c.diagnostics_where(&ei, |p| codes(p) == ["LS001"]).await;
    let path = c.path(EI);
    let text = c.text(EI).replace(
        "<enableContactAndEventSync>true",
        "<enableContactAndEventSync>false",
    );
    std::fs::write(&path, text).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ei, "type": 2}]}),
    );
    c.diagnostics_where(&ei, |p| codes(p).is_empty()).await;
}

/// A file created below a folder link that leads out of the project
/// (`outsideCredentials -> /elsewhere`): the watched-file event is ignored,
/// the outside file never read nor reported, by either pull.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_created_below_a_folder_link_out_of_the_project_is_never_read() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    let outside = tempfile::tempdir().unwrap();
    let text = c.text(NC).replace("<label>", "<label>Outside-Marker-C9 ");
    assert!(text.contains("Outside-Marker-C9"));
    std::fs::write(outside.path().join("Out.namedCredential-meta.xml"), &text).unwrap();
    let link = c.path("force-app/main/default/outsideCredentials");
    std::os::unix::fs::symlink(outside.path(), &link).unwrap();
    let out = uri(&link.join("Out.namedCredential-meta.xml"));
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": out, "type": 1}]}),
    );
    let report = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": out}}),
        )
        .await;
    assert_eq!(report["items"], json!([]), "{report}");
    let ws = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    let all = ws.to_string();
    assert!(!all.contains("Outside-Marker-C9"), "{all}");
    assert!(!all.contains("outsideCredentials"), "{all}");
    // The project's own files are reported as before.
    assert!(all.contains("namedCredentials"), "{all}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_xml_mid_edit_is_xml001_and_recovers() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let at = text.find("</protocol>").unwrap();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"range": range16(&text, at, at + 2), "text": ""}]}),
    );
    let broken = c.diagnostics_where(&u, |p| p["version"] == 2).await;
    assert_eq!(codes(&broken), ["XML001"]);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"range": range16(&text, at, at), "text": "</"}]}),
    );
    let fixed = c.diagnostics_where(&u, |p| p["version"] == 3).await;
    assert_eq!(codes(&fixed), ["EXO002", "SEC001", "EXO001"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_a_handler_is_an_error_response_not_a_dead_server() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let response = c.call("exchangeAuthLint/debugPanic", Value::Null).await;
    assert_eq!(response["error"]["code"], -32603, "{response}");
    // And a log line says what happened.
    loop {
        let found = c.backlog.iter().any(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("internal error in debugPanic")
        });
        if found {
            break;
        }
        let m = c.next().await;
        c.backlog.push(m);
    }
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    assert_eq!(codes(&params).len(), 3);
    let shutdown = c.call("shutdown", Value::Null).await;
    assert!(shutdown.get("error").is_none());
}

/// xorshift64*: a deterministic stream of numbers for the randomized test.
/// What a fresh `check` of `text` as the named credential reports, in
/// UTF-16 positions: (code, start, end, message).
fn fresh_check(text: &str) -> Vec<(String, Value, Value, String)> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("org");
    copy_dir(&fixture("demo-org"), &root);
    std::fs::write(root.join(NC), text).unwrap();
    let (root, manifest) = exchange_auth_lint::project::find_root(&root);
    let project = exchange_auth_lint::project::Project::load(&root, manifest, &Default::default());
    let options = exchange_auth_lint::check::CheckOptions {
        as_of: exchange_auth_lint::timeline::AsOf::parse("2026-11-24").unwrap(),
        ..Default::default()
    };
    let result = exchange_auth_lint::check::check(&project, &options);
    result
        .findings
        .iter()
        .filter(|f| project.files[f.file].rel_path == NC)
        .map(|f| {
            (
                f.rule.to_string(),
                position16(text, f.range.start),
                position16(text, f.range.end),
                f.message.clone(),
            )
        })
        .collect()
}

fn published(params: &Value) -> Vec<(String, Value, Value, String)> {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"].clone(),
                d["range"]["end"].clone(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_random_edits_end_where_a_fresh_check_does() {
    let (mut c, _) = Client::start(Setup::default()).await;
    // Japanese text, an astral character and CRLF line endings, so that
    // UTF-16 columns and line breaks are exercised.
    let mut text = c
        .text(NC)
        .replace(
            "<label>Exchange Sync Service</label>",
            "<label>同期 🎉 サービス</label>",
        )
        .replace('\n', "\r\n");
    let u = c.open(NC, &text);
    let mut rng = Rng(0x5EED_1234_ABCD_0042);
    let mut version = 1;
    // Garbage insertions still to undo (start, len), innermost last.
    let mut garbage: Vec<(usize, usize)> = Vec::new();
    let junk = [
        "<", ">", "</", "&", "x", "日本", "🎉", "\r\n", "\n", "<!--", "Password", "\"", " ",
    ];
    for _ in 0..3000 {
        let mut changes = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let roll = rng.below(10);
            let (start, end, new) = if roll < 5 || (roll < 8 && garbage.is_empty()) {
                // Insert or replace with garbage anywhere (only ever undone
                // by the exact inverse below).
                let at = char_boundary(&text, rng.below(text.len() + 1));
                let mut s = String::new();
                for _ in 0..1 + rng.below(3) {
                    s.push_str(rng.pick(&junk));
                }
                // Never split a CRLF pair: the inverse must restore it exactly.
                let at = if at > 0 && text[..at].ends_with('\r') && text[at..].starts_with('\n') {
                    at - 1
                } else {
                    at
                };
                if let Some(&(g, len)) = garbage.last() {
                    // Keep garbage nested so that undoing is exact.
                    let inside = g + rng.below(len + 1);
                    let inside = char_boundary(&text, inside);
                    let inside = if inside > 0
                        && text[..inside].ends_with('\r')
                        && text[inside..].starts_with('\n')
                    {
                        inside - 1
                    } else {
                        inside
                    };
                    garbage.push((inside, s.len()));
                    (inside, inside, s)
                } else {
                    garbage.push((at, s.len()));
                    (at, at, s)
                }
            } else if let Some((g, len)) = garbage.pop() {
                (g, g + len, String::new())
            } else {
                // A well-formed change to a value the rules read.
                let (open, close, values): (&str, &str, &[&str]) = match rng.below(3) {
                    0 => (
                        "<label>",
                        "</label>",
                        &["同期", "Sync 🎉", "サービス アカウント", "x"],
                    ),
                    1 => (
                        "<protocol>",
                        "</protocol>",
                        &["Password", "Oauth", "NoAuthentication", "password"],
                    ),
                    _ => (
                        "<endpoint>",
                        "</endpoint>",
                        &[
                            "https://outlook.office365.com/EWS/Exchange.asmx",
                            "https://mail.contoso.com/EWS/Exchange.asmx",
                            "https://graph.microsoft.com/v1.0",
                        ],
                    ),
                };
                let s = text.find(open).unwrap() + open.len();
                let e = s + text[s..].find(close).unwrap();
                (s, e, rng.pick(values).to_string())
            };
            // Edits only happen inside the innermost garbage (or undo it), so
            // the ranges on the stack stay valid.
            changes.push(json!({"range": range16(&text, start, end), "text": new}));
            text.replace_range(start..end, &new);
        }
        version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version}, "contentChanges": changes}),
        );
    }
    let last = version;
    let params = c.diagnostics_where(&u, |p| p["version"] == last).await;
    // Pushes never went back to an older version.
    let versions: Vec<i64> = c
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u)
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(
        versions.is_empty() || versions.windows(2).all(|w| w[0] <= w[1]),
        "{versions:?}"
    );
    assert_eq!(
        published(&params),
        fresh_check(&text),
        "final text:\n{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_megabyte_file_and_ten_thousand_edits() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let head = c.text(NC);
    // 10 MB of comments before the last lines of the file.
    let padding = "<!-- padding padding padding padding padding padding padding padding -->\n"
        .repeat(10 * 1024 * 1024 / 74);
    let at = head.find("    <username>").unwrap();
    let mut text = format!("{}{}{}", &head[..at], padding, &head[at..]);
    let u = c.open(NC, &text);
    let protocol_line = head[..at].matches('\n').count() - 1;
    let username_line = head[..at].matches('\n').count() + padding.matches('\n').count();
    let username_col = "    <username>".len();
    // Typing into <username>, one character per notification.
    for i in 0..10_000u32 {
        let pos = json!({"line": username_line, "character": username_col as u32 + i});
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": 2 + i}, "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "a"}]}),
        );
    }
    let insert_at = text.rfind("<username>").unwrap() + "<username>".len();
    text.insert_str(insert_at, &"a".repeat(10_000));
    let params = c.diagnostics_where(&u, |p| p["version"] == 10_001).await;
    assert_eq!(codes(&params), ["EXO002", "SEC001", "EXO001"]);
    // The server's text is the client's: hover on the last line works.
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": {"line": protocol_line, "character": 6}}),
        )
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("**`protocol`**"),
        "{hover}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_positions_when_the_client_offers_them() {
    let (mut c, _) = Client::start(Setup {
        utf8: true,
        ..Setup::default()
    })
    .await;
    let text = c
        .text(NC)
        .replace("    <protocol>", "    <label>日本語</label><protocol>");
    let u = c.open(NC, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let exo = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "EXO001")
        .unwrap();
    let line_start = text[..text.find("<protocol>").unwrap()]
        .rfind('\n')
        .unwrap()
        + 1;
    let col = text.find("<protocol>").unwrap() - line_start;
    // Bytes, not UTF-16 units: 日本語 is 9 bytes and 3 units.
    assert_eq!(exo["range"]["start"]["character"], col);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_and_trace_and_registration_go_to_the_client() {
    let (mut c, _) = Client::start(Setup::default()).await;
    c.notify("$/setTrace", json!({"value": "messages"}));
    // Indexing: a progress token is created, then begin … end.
    let mut saw = (false, false, false, false);
    while !(saw.0 && saw.1 && saw.2) {
        let m = c.next().await;
        match m["method"].as_str() {
            Some("window/workDoneProgress/create") => saw.0 = true,
            Some("$/progress") if m["params"]["value"]["kind"] == "begin" => saw.1 = true,
            Some("$/progress") if m["params"]["value"]["kind"] == "end" => saw.2 = true,
            Some("client/registerCapability") => {
                let reg = &m["params"]["registrations"][0];
                assert_eq!(reg["method"], "workspace/didChangeWatchedFiles");
                let globs: Vec<_> = reg["registerOptions"]["watchers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w["globPattern"].clone())
                    .collect();
                insta::assert_json_snapshot!("watchers", globs);
                saw.3 = true;
            }
            _ => {}
        }
    }
    // A bad setting is logged, through $/logTrace too now that tracing is on.
    *c.settings.lock().unwrap() = json!({"asOf": "someday"});
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let mut saw_log = (false, false);
    while !(saw_log.0 && saw_log.1) {
        let m = c.next().await;
        let message = m["params"]["message"].as_str().unwrap_or("");
        match m["method"].as_str() {
            Some("window/logMessage") if message.contains("exchangeAuthLint.asOf") => {
                saw_log.0 = true
            }
            Some("$/logTrace") if message.contains("exchangeAuthLint.asOf") => saw_log.1 = true,
            Some("client/registerCapability") => saw.3 = true,
            _ => {}
        }
    }
    assert!(saw.3, "watchers were registered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_buffer_goes_back_to_the_disk() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    c.diagnostics_where(&u, |p| p["version"] == 1).await;
    // Unsaved: no more password.
    let s = text.find("    <password>").unwrap();
    let e = s + text[s..].find('\n').unwrap() + 1;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"range": range16(&text, s, e), "text": ""}]}),
    );
    let edited = c.diagnostics_where(&u, |p| p["version"] == 2).await;
    assert_eq!(codes(&edited), ["EXO002", "EXO001"]);
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    // The file on disk still has it.
    let closed = c
        .diagnostics_where(&u, |p| {
            p["version"].is_null() && codes(p).contains(&"SEC001".to_string())
        })
        .await;
    assert_eq!(codes(&closed), ["EXO002", "SEC001", "EXO001"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_workspace_folder_is_its_own_project() {
    let (mut c, _) = Client::start(Setup {
        fixture: None,
        ..Setup::default()
    })
    .await;
    // Two projects added as folders after start: the same credential is
    // flagged in one and, with EXO001 turned off by its config, not in the
    // other.
    let a = c.root.join("a");
    let b = c.root.join("b");
    copy_dir(&fixture("demo-org"), &a);
    copy_dir(&fixture("demo-org"), &b);
    let manifest = b.join("sfdx-project.json");
    let config = std::fs::read_to_string(&manifest).unwrap().replace(
        "\"sourceApiVersion\": \"62.0\"",
        "\"sourceApiVersion\": \"62.0\",\n  \"plugins\": { \"exchangeAuthLint\": { \"rules\": { \"EXO001\": \"off\" } } }",
    );
    std::fs::write(&manifest, config).unwrap();
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": uri(&a), "name": "a"}, {"uri": uri(&b), "name": "b"}], "removed": []}}),
    );
    let ua = c.open(
        &format!("a/{NC}"),
        &std::fs::read_to_string(a.join(NC)).unwrap(),
    );
    let ub = c.open(
        &format!("b/{NC}"),
        &std::fs::read_to_string(b.join(NC)).unwrap(),
    );
    let pa = c.diagnostics_where(&ua, |p| p["version"] == 1).await;
    let pb = c.diagnostics_where(&ub, |p| p["version"] == 1).await;
    assert_eq!(codes(&pa), ["EXO002", "SEC001", "EXO001"]);
    assert_eq!(codes(&pb), ["EXO002", "SEC001"]);
}

/// Applies a `WorkspaceEdit` with `documentChanges` like an editor: edits to
/// open buffers become `didChange`, created files are written to disk and
/// announced as watched-file changes. Returns the new buffer texts by URI.
async fn apply_workspace_edit(
    c: &mut Client,
    edit: &Value,
    buffers: &mut std::collections::HashMap<String, (i64, String)>,
) {
    for op in edit["documentChanges"].as_array().unwrap() {
        if op["kind"] == "create" {
            let path = tower_lsp_server::ls_types::Uri::from_str(op["uri"].as_str().unwrap())
                .unwrap()
                .to_file_path()
                .unwrap()
                .into_owned();
            assert!(!path.exists(), "a fix must not overwrite {path:?}");
            // Editors create the missing folders of a new file.
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "").unwrap();
            continue;
        }
        let u = op["textDocument"]["uri"].as_str().unwrap().to_string();
        let edits = op["edits"].as_array().unwrap();
        match buffers.get_mut(&u) {
            Some((version, text)) => {
                assert_eq!(op["textDocument"]["version"], *version);
                *text = apply_edits(text, edits);
                *version += 1;
                c.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": u, "version": *version}, "contentChanges": [{"text": text}]}),
                );
            }
            None => {
                let path = tower_lsp_server::ls_types::Uri::from_str(&u)
                    .unwrap()
                    .to_file_path()
                    .unwrap()
                    .into_owned();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                std::fs::write(&path, apply_edits(&text, edits)).unwrap();
                c.notify(
                    "workspace/didChangeWatchedFiles",
                    json!({"changes": [{"uri": u, "type": 1}]}),
                );
            }
        }
    }
}

use std::str::FromStr;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preferred_fix_creates_the_external_credential_and_clears_exo001() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let exo001 = diagnostic(&params, "EXO001");
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": exo001["range"], "context": {"diagnostics": [exo001], "only": ["quickfix"]}}),
        )
        .await;
    let preferred: Vec<_> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["isPreferred"] == true)
        .collect();
    assert_eq!(preferred.len(), 1, "{actions}");
    let mut buffers = std::collections::HashMap::from([(u.clone(), (1i64, text.clone()))]);
    apply_workspace_edit(&mut c, &preferred[0]["edit"], &mut buffers).await;
    let after = c.diagnostics_where(&u, |p| p["version"] == 2).await;
    assert!(!codes(&after).contains(&"EXO001".to_string()), "{after}");
    // Then the client runs the action's command: the server shows what is
    // left to do in Setup.
    let command = preferred[0]["command"].clone();
    assert_eq!(command["command"], "exchangeAuthLint.showFixNote");
    c.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    )
    .await;
    loop {
        let shown = c.backlog.iter().any(|m| {
            m["method"] == "window/showMessage"
                && m["params"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("Microsoft Entra ID")
        });
        if shown {
            break;
        }
        let m = c.next().await;
        c.backlog.push(m);
    }
    let created = c.path("force-app/main/default/externalCredentials/Exchange_Sync_Service_Graph.externalCredential-meta.xml");
    assert!(std::fs::read_to_string(created)
        .unwrap()
        .contains("<authenticationProtocol>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixes_that_create_files_need_resource_operations() {
    let (mut c, _) = Client::start(Setup {
        no_create: true,
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let whole = range16(&text, 0, text.len());
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": whole, "context": {"diagnostics": []}}),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    // Both EXO001 fixes create a file: not offered. Single-file fixes are.
    assert!(
        !titles.iter().any(|t| t.starts_with("Convert to OAuth")),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Disable EXO001 for this element"),
        "{titles:?}"
    );
    let ops = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["edit"].is_null())
        .flat_map(|a| a["edit"]["documentChanges"].as_array().unwrap().clone());
    assert!(ops.into_iter().all(|op| op.get("kind").is_none()));
    insta::assert_json_snapshot!("titles_without_create", titles);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_applies_every_preferred_fix_of_the_file() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let mut buffers = std::collections::HashMap::from([(u.clone(), (1i64, text.clone()))]);
    // Fixes that touch the same text wait for the next pass inside the one
    // action, as with `check --fix`: one round fixes this file.
    for round in 1..=1 {
        let text = buffers[&u].1.clone();
        let actions = c
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": u}, "range": range16(&text, 0, 0),
                       "context": {"diagnostics": [], "only": ["source.fixAll.exchange-auth-lint"]}}),
            )
            .await;
        let actions = actions.as_array().unwrap();
        assert_eq!(actions.len(), 1, "round {round}: {actions:?}");
        assert_eq!(actions[0]["kind"], "source.fixAll.exchange-auth-lint");
        assert_eq!(
            actions[0]["title"],
            "Fix all exchange-auth-lint problems in this file"
        );
        // Asked for by its first name (settings written for it), the same
        // action under that name.
        let legacy = c
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": u}, "range": range16(&text, 0, 0),
                       "context": {"diagnostics": [], "only": ["source.fixAll.exchangeAuthLint"]}}),
            )
            .await;
        assert_eq!(legacy[0]["kind"], "source.fixAll.exchangeAuthLint");
        assert_eq!(legacy[0]["edit"], actions[0]["edit"]);
        apply_workspace_edit(&mut c, &actions[0]["edit"], &mut buffers).await;
        let version = buffers[&u].0;
        c.diagnostics_where(&u, |p| p["version"] == version).await;
    }
    let version = buffers[&u].0;
    let text = buffers[&u].1.clone();
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": range16(&text, 0, 0),
                   "context": {"diagnostics": [], "only": ["source.fixAll.exchange-auth-lint"]}}),
        )
        .await;
    assert_eq!(
        actions,
        json!([]),
        "nothing left to fix at version {version}"
    );
    assert!(!text.contains("<password>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lazy_real_fix_resolves_to_its_edits() {
    let (mut c, _) = Client::start(Setup {
        resolve: true,
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let exo001 = diagnostic(&params, "EXO001");
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": exo001["range"], "context": {"diagnostics": []}}),
        )
        .await;
    let preferred = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap()
        .clone();
    assert!(preferred["edit"].is_null());
    let resolved = c.request("codeAction/resolve", preferred).await;
    let ops = resolved["edit"]["documentChanges"].as_array().unwrap();
    assert!(ops.iter().any(|op| op["kind"] == "create"), "{resolved}");
}

/// Collects what the server sent until the response to a last request.
async fn drain_all(c: &mut Client) -> Vec<Value> {
    c.call(
        "workspace/executeCommand",
        json!({"command": "nope", "arguments": []}),
    )
    .await;
    let mut all = std::mem::take(&mut c.backlog);
    while let Ok(m) = c.inbox.try_recv() {
        all.push(m);
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_request_gets_request_cancelled_or_the_result() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        resolve: true,
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let ei = c.open(EI, &c.text(EI));
    let end = position16(&text, text.len());
    let mut ids = Vec::new();
    // A burst: each request is cancelled right after it is sent, most of
    // them while queued or running.
    for i in 0..300 {
        let (method, params) = match i % 4 {
            0 => (
                "textDocument/hover",
                json!({"textDocument": {"uri": u}, "position": position16(&text, text.find("<password>").unwrap() + 2)}),
            ),
            1 => (
                "textDocument/codeAction",
                json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": end}, "context": {"diagnostics": []}}),
            ),
            2 => (
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": if i % 8 == 2 { &u } else { &ei }}}),
            ),
            _ => ("workspace/diagnostic", json!({"previousResultIds": []})),
        };
        let id = c.next_id;
        c.next_id += 1;
        c.out
            .send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .unwrap();
        c.notify("$/cancelRequest", json!({"id": id}));
        ids.push(id);
    }
    // Cancelling an unknown id, or twice, is ignored.
    c.notify("$/cancelRequest", json!({"id": 999_999}));
    c.notify("$/cancelRequest", json!({"id": ids[0]}));
    let mut answers: std::collections::BTreeMap<i64, Value> = Default::default();
    while answers.len() < ids.len() {
        let m = c.next().await;
        if m.get("method").is_some() {
            continue;
        }
        let id = m["id"].as_i64().unwrap();
        assert!(ids.contains(&id), "response to an unknown id: {m}");
        assert!(answers.insert(id, m).is_none(), "two responses to {id}");
    }
    let mut cancelled = 0;
    for (id, m) in &answers {
        match m.get("error") {
            None => assert!(m.get("result").is_some(), "{m}"),
            Some(e) => {
                assert_eq!(e["code"], -32800, "request {id}: {m}");
                cancelled += 1;
            }
        }
    }
    assert!(cancelled > 0, "no request was cancelled in flight");
    // The server is still fine: a request after the burst gets its result.
    let report = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": u}}),
        )
        .await;
    assert_eq!(report["kind"], "full");
    let extra = drain_all(&mut c).await;
    assert!(
        !extra
            .iter()
            .any(|m| m.get("method").is_none() && m["id"].as_i64() == Some(999_999)),
        "no answer to a cancel of an unknown id"
    );
}

/// Secret values of the `hostile` fixture files the test below opens.
const SECRETS: [&str; 6] = [
    "Hostile-Plain-Secret-1",
    "Hostile-Cdata-Secret-10",
    "Hostile-Broken-Secret-11",
    "SG9zdGlsZTpCYXNpY0hlYWRlclNlY3JldDEz",
    "Hostile-Consumer-Secret-14",
    "Hostile-Midedit-Secret-19",
];

const HOSTILE_OPEN: [&str; 5] = [
    "force-app/main/default/namedCredentials/Plain.namedCredential-meta.xml",
    "force-app/main/default/namedCredentials/Cdata_Pi.namedCredential-meta.xml",
    "force-app/main/default/namedCredentials/Broken_Password.namedCredential-meta.xml",
    "force-app/main/default/externalCredentials/Basic_Header.externalCredential-meta.xml",
    "force-app/main/default/authproviders/Hostile_Acs.authprovider-meta.xml",
];

/// Every string in `v`, with its JSON path.
fn strings<'a>(v: &'a Value, path: String, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::String(s) => out.push((path, s)),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                strings(x, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                strings(x, format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_leave_the_server() {
    for pull in [false, true] {
        let (mut c, init) = Client::start(Setup {
            fixture: Some("hostile"),
            pull,
            resolve: true,
            ..Setup::default()
        })
        .await;
        let mut sent = vec![init];
        c.notify("$/setTrace", json!({"value": "verbose"}));
        let mut docs: Vec<(String, String)> = Vec::new();
        for rel in HOSTILE_OPEN {
            let text = String::from_utf8_lossy(&std::fs::read(c.path(rel)).unwrap()).into_owned();
            docs.push((c.open(rel, &text), text));
        }
        // A buffer broken mid-edit right after its password.
        let plain = c
            .text(HOSTILE_OPEN[0])
            .replace("Hostile-Plain-Secret-1", "Hostile-Midedit-Secret-19");
        let rel = "force-app/main/default/namedCredentials/Midedit.namedCredential-meta.xml";
        let u = c.open(rel, &plain);
        let at = plain.find("</password>").unwrap() + "</password>".len();
        let broken = format!("{}<{}", &plain[..at], &plain[at..]);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"range": range16(&plain, at, at), "text": "<"}]}),
        );
        docs.push((u, broken));
        // Configuration changes make the server log and re-check.
        *c.settings.lock().unwrap() = json!({"asOf": "2026-11-24", "rules": {"NOPE": "off"}});
        c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        );
        for (u, text) in &docs {
            if pull {
                sent.push(
                    c.request(
                        "textDocument/diagnostic",
                        json!({"textDocument": {"uri": u}}),
                    )
                    .await,
                );
            }
            // Hovers everywhere, the secret elements included.
            sent.extend(hover_everywhere(&mut c, u, text, 5).await);
            let whole = range16(text, 0, text.len());
            let diagnostics: Vec<Value> = if pull {
                Vec::new()
            } else {
                let p = c.diagnostics_where(u, |_| true).await;
                p["diagnostics"].as_array().unwrap().clone()
            };
            for only in [json!(["quickfix"]), json!(["source.fixAll"]), Value::Null] {
                let actions = c
                    .request(
                        "textDocument/codeAction",
                        json!({"textDocument": {"uri": u}, "range": whole, "context": {"diagnostics": diagnostics, "only": only}}),
                    )
                    .await;
                for action in actions.as_array().cloned().unwrap_or_default() {
                    let mut action = action;
                    if !action["data"].is_null() {
                        let resolved = c.call("codeAction/resolve", action.clone()).await;
                        if resolved["result"].is_object() {
                            action = resolved["result"].clone();
                        }
                        sent.push(resolved);
                    }
                    if let Some(cmd) = action.get("command").filter(|v| v.is_object()) {
                        sent.push(
                            c.call(
                                "workspace/executeCommand",
                                json!({"command": cmd["command"], "arguments": cmd["arguments"]}),
                            )
                            .await,
                        );
                    }
                    sent.push(action);
                }
            }
        }
        if pull {
            sent.push(
                c.request("workspace/diagnostic", json!({"previousResultIds": []}))
                    .await,
            );
        }
        sent.extend(drain_all(&mut c).await);
        let mut seen = std::collections::BTreeSet::new();
        for m in &sent {
            if let Some(method) = m["method"].as_str() {
                seen.insert(method.to_string());
            }
            let mut all = Vec::new();
            strings(m, String::new(), &mut all);
            for (path, s) in all {
                // Edits' text included: no fix ever inserts a secret.
                for secret in SECRETS {
                    assert!(
                        !s.contains(secret),
                        "secret {secret} sent at {path} (pull: {pull}): {m}"
                    );
                }
            }
        }
        let count = |f: &dyn Fn(&Value) -> bool| sent.iter().filter(|m| f(m)).count();
        eprintln!(
            "pull {pull}: {} messages, {} hovers, {} code actions, {} resolved, {} notes shown",
            sent.len(),
            count(&|m| m["result"]["contents"].is_object()),
            count(&|m| m["title"].is_string()),
            count(&|m| m["result"]["edit"].is_object()),
            count(&|m| m["method"] == "window/showMessage"),
        );
        // The control: file content that is not secret does reach the
        // client (the endpoint's host in hovers and messages).
        assert!(sent
            .iter()
            .any(|m| m.to_string().contains("outlook.office365.com")));
        if !pull {
            assert!(seen.contains("textDocument/publishDiagnostics"), "{seen:?}");
        }
        assert!(seen.contains("window/logMessage"), "{seen:?}");
        assert!(seen.contains("$/logTrace"), "{seen:?}");
        assert!(seen.contains("window/showMessage"), "{seen:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_configuration_changes_never_blocks_the_server() {
    // Each change makes the server ask `workspace/configuration`; answers
    // wait behind the rest of the burst. The last settings win.
    let (mut c, _) = Client::start(Setup {
        pull: true,
        ..Setup::default()
    })
    .await;
    let u = c.open(NC, &c.text(NC));
    for i in 0..200 {
        let off = if i % 2 == 0 { "off" } else { "error" };
        *c.settings.lock().unwrap() = json!({"asOf": "2026-11-24", "rules": {"SEC001": off}});
        c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        );
    }
    let mut tries = 0;
    loop {
        tries += 1;
        assert!(tries < 3000, "the last settings were never applied");
        let report = c
            .request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": u}}),
            )
            .await;
        let sec001 = report["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "SEC001")
            .cloned();
        if sec001.is_some_and(|d| d["severity"] == 1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// The answers to a hover at every `step`-th byte of `text`.
async fn hover_everywhere(c: &mut Client, u: &str, text: &str, step: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut at = 0;
    while at <= text.len() {
        let pos = position16(text, char_boundary(text, at));
        out.push(
            c.call(
                "textDocument/hover",
                json!({"textDocument": {"uri": u}, "position": pos}),
            )
            .await,
        );
        at += step;
    }
    out
}

/// Round 2: a password with a raw `<` makes the buffer malformed (the
/// parser then quotes a "start tag" made of the password's end), a secret
/// element with a start tag that is not plain, a URL user-info password
/// repeated in a label: none of it may reach the client, whatever message
/// carries it (the transport masks every string it sends).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_of_broken_buffers_and_url_user_info_never_leave_the_server() {
    let (mut c, init) = Client::start(Setup {
        fixture: Some("hostile"),
        ..Setup::default()
    })
    .await;
    let mut sent = vec![init];
    c.notify("$/setTrace", json!({"value": "verbose"}));
    let buffers = [
        (
            "force-app/main/default/namedCredentials/Lt.namedCredential-meta.xml",
            "<NamedCredential xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n<endpoint>https://outlook.office365.com/EWS/Exchange.asmx</endpoint>\n<password >Hostile-R2-Wint3r<2025!Pw-Lsp-1</password>\n<protocol>Password</protocol>\n</NamedCredential>\n",
        ),
        (
            "force-app/main/default/namedCredentials/Url.namedCredential-meta.xml",
            "<NamedCredential xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n<endpoint>https://svc:Hostile-R2-Url-Lsp-2@outlook.office365.com/EWS/Exchange.asmx</endpoint>\n<label>Hostile-R2-Url-Lsp-2</label>\n<protocol>Password</protocol>\n</NamedCredential>\n",
        ),
    ];
    for (rel, text) in buffers {
        let u = c.open(rel, text);
        let p = c.diagnostics_where(&u, |_| true).await;
        sent.push(p);
        sent.extend(hover_everywhere(&mut c, &u, text, 7).await);
    }
    sent.extend(drain_all(&mut c).await);
    let secrets = ["Hostile-R2-Wint3r", "2025!Pw-Lsp-1", "Hostile-R2-Url-Lsp-2"];
    for m in &sent {
        let mut all = Vec::new();
        strings(m, String::new(), &mut all);
        for (path, s) in all {
            for secret in secrets {
                assert!(!s.contains(secret), "secret {secret} sent at {path}: {m}");
            }
        }
    }
    // The XML001 message was sent, masked.
    assert!(
        sent.iter()
            .any(|m| m.to_string().contains("start tag `<********>`")),
        "no XML001"
    );
}

const APEX_RELAY: &str = "force-app/main/default/classes/MailRelay.cls";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apex_classes_get_live_diagnostics_and_hovers() {
    let (mut c, _) = Client::start(Setup {
        fixture: Some("apex-ews"),
        ..Setup::default()
    })
    .await;
    let text = c.text(APEX_RELAY);
    let u = c.open(APEX_RELAY, &text);
    let first = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    assert_eq!(codes(&first), ["EXO002", "EXO001"]);
    // Hover on the endpoint literal: the rule's card and its page (the
    // EWS-to-Graph mapping is there and in `explain`, not in the hover).
    let at = text.find("https://outlook").unwrap() + 10;
    let value = hover_value(&mut c, &u, &text, at).await;
    assert!(value.starts_with("**EXO002**"), "{value}");
    assert!(value.contains("docs/rules/EXO002.md"), "{value}");
    assert!(!value.contains("GetUserAvailability"), "{value}");
    assert!(value.lines().count() <= 12, "{value}");
    // Typing Bearer for Basic: the EXO001 goes, the EXO002 stays.
    let at = text.find("'Basic '").unwrap() + 1;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"range": range16(&text, at, at + 5), "text": "Bearer"}]}),
    );
    let edited = c.diagnostics_where(&u, |p| p["version"] == 2).await;
    assert_eq!(codes(&edited), ["EXO002"]);
    let text2 = text.replacen("'Basic '", "'Bearer '", 1);
    // Half-typed code (an unclosed call) still reports what parsed.
    let at = text2.find("new Http().send(req);").unwrap();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"range": range16(&text2, at, at), "text": "req.setEndpoint('callout:Exchange_Online/EWS/Exchange.asmx'\n        "}]}),
    );
    let broken = c.diagnostics_where(&u, |p| p["version"] == 3).await;
    assert_eq!(codes(&broken), ["EXO002", "EXO002"]);
    // A suppression comment typed above the endpoint silences it.
    let text3 = text2.replacen(
        "new Http().send(req);",
        "req.setEndpoint('callout:Exchange_Online/EWS/Exchange.asmx'\n        new Http().send(req);",
        1,
    );
    let at = text3.find("        req.setEndpoint('https").unwrap();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 4}, "contentChanges": [{"range": range16(&text3, at, at), "text": "        // exchange-auth-lint-disable-next-line EXO002; moving to Graph\n"}]}),
    );
    let suppressed = c.diagnostics_where(&u, |p| p["version"] == 4).await;
    assert_eq!(codes(&suppressed), ["EXO002"]);
}

/// Every file of every fixture project that has a fixable finding: the
/// editor's "Fix all" on it leaves the project exactly as
/// `check --fix <file>` does, and shows the same notes (what remains to do
/// by hand, placeholders to fill in).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_in_the_editor_equals_check_fix_on_every_fixture() {
    let as_of = "2026-11-24";
    let mut compared = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = if fixture(&dir).join("input/sfdx-project.json").is_file() {
            format!("{dir}/input")
        } else if fixture(&dir).join("sfdx-project.json").is_file() {
            dir
        } else {
            continue;
        };
        let report = std::process::Command::new(env!("CARGO_BIN_EXE_exchange-auth-lint"))
            .args([
                "check",
                ".",
                "--format",
                "json",
                "--as-of",
                as_of,
                "--path-base",
                ".",
            ])
            .current_dir(fixture(&name))
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&report.stdout).unwrap();
        let mut files: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["fixable"] == true)
            .map(|f| f["path"].as_str().unwrap().to_owned())
            .collect();
        files.dedup();
        for rel in files {
            let name: &'static str = Box::leak(name.clone().into_boxed_str());
            // The editor, on its own copy.
            let (mut c, _) = Client::start(Setup {
                fixture: Some(name),
                ..Setup::default()
            })
            .await;
            // Like an editor, the buffer holds the text without its byte
            // order mark, and saving writes the mark back.
            let on_disk = c.text(&rel);
            let bom = if on_disk.starts_with('\u{feff}') {
                "\u{feff}"
            } else {
                ""
            };
            let text = on_disk[bom.len()..].to_owned();
            let u = c.open(&rel, &text);
            c.diagnostics_where(&u, |p| p["version"] == 1).await;
            let actions = c
                .request(
                    "textDocument/codeAction",
                    json!({"textDocument": {"uri": u}, "range": range16(&text, 0, 0),
                           "context": {"diagnostics": [], "only": ["source.fixAll.exchange-auth-lint"]}}),
                )
                .await;
            let actions = actions.as_array().unwrap().clone();
            let mut buffers = std::collections::HashMap::from([(u.clone(), (1i64, text.clone()))]);
            let mut editor_notes = Vec::new();
            if let Some(action) = actions.first() {
                apply_workspace_edit(&mut c, &action["edit"], &mut buffers).await;
                if let Some(note) = action["command"]["arguments"][0].as_str() {
                    editor_notes = note.split("\n\n").map(str::to_owned).collect();
                }
            }
            std::fs::write(c.path(&rel), format!("{bom}{}", buffers[&u].1)).unwrap();
            // The command line, on another copy.
            let cli = tempfile::tempdir().unwrap();
            copy_dir(&fixture(name), cli.path());
            let run = std::process::Command::new(env!("CARGO_BIN_EXE_exchange-auth-lint"))
                .args(["check", &rel, "--fix", "--as-of", as_of, "--lang", "en"])
                .current_dir(cli.path())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&run.stderr).into_owned()
                + &String::from_utf8_lossy(&run.stdout);
            assert_eq!(
                tree_texts(&c.path("")),
                tree_texts(cli.path()),
                "{name}: {rel}"
            );
            let cli_notes: Vec<&str> = stderr
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("to do: "))
                .collect();
            for note in &cli_notes {
                assert!(
                    editor_notes.iter().any(|n| n.starts_with(note)),
                    "{name}: {rel}: the editor does not show {note:?}: {editor_notes:?}"
                );
            }
            for note in &editor_notes {
                let first = note.lines().next().unwrap_or_default();
                assert!(
                    cli_notes.contains(&first),
                    "{name}: {rel}: check --fix does not show {note:?}: {stderr}"
                );
            }
            compared += 1;
        }
    }
    assert!(compared >= 10, "only {compared} files compared");
}

/// Every file below `root` with its text, by relative path.
fn tree_texts(root: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    fn walk(
        root: &std::path::Path,
        dir: &std::path::Path,
        out: &mut std::collections::BTreeMap<String, String>,
    ) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// EXO002 in the editor by `exchangeAuthLint.asOf`: a warning before
/// 2026-10-01, an error from then on, in the tense of each date (the same
/// texts as the command line's, `tests/cli.rs`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exo002_severity_and_tense_follow_the_as_of_setting() {
    const EWS_NC: &str =
        "force-app/main/default/namedCredentials/Exchange_OAuth.namedCredential-meta.xml";
    let cases = [
        (
            "2026-09-30",
            2,
            "EWS on Exchange Online, blocked from 2026-10-01: ",
        ),
        (
            "2026-10-01",
            1,
            "EWS on Exchange Online, blocked since 2026-10-01: ",
        ),
        (
            "2027-03-31",
            1,
            "EWS on Exchange Online, blocked since 2026-10-01: ",
        ),
        (
            "2027-04-01",
            1,
            "EWS on Exchange Online, shut down on 2027-04-01: ",
        ),
    ];
    for (date, severity, tense) in cases {
        let (mut c, _) = Client::start(Setup {
            fixture: Some("exo002-ews"),
            settings: json!({ "asOf": date }),
            ..Setup::default()
        })
        .await;
        let text = c.text(EWS_NC);
        let u = c.open(EWS_NC, &text);
        let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
        assert_eq!(codes(&params), ["EXO002"], "{date}");
        let d = &params["diagnostics"][0];
        assert_eq!(d["severity"], severity, "{date}");
        let message = d["message"].as_str().unwrap();
        assert!(message.starts_with(tense), "{date}: {message}");
        assert_eq!(d["range"]["start"]["line"], 2, "{date}");
    }
}

/// A named credential's Basic `Authorization` header parameter: EXO001 and,
/// for a literal, SEC001, with the value never in what the server sends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_parameters_are_exo001_and_sec001_and_never_leak() {
    const LITERAL: &str =
        "force-app/main/default/namedCredentials/Mail_Literal.namedCredential-meta.xml";
    const FORMULA: &str =
        "force-app/main/default/namedCredentials/Mail_Formula.namedCredential-meta.xml";
    let (mut c, _) = Client::start(Setup {
        fixture: Some("exo001-nc-header"),
        ..Setup::default()
    })
    .await;
    let text = c.text(LITERAL);
    let u = c.open(LITERAL, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    assert_eq!(codes(&params), ["EXO001", "SEC001"]);
    let sent = params.to_string();
    assert!(!sent.contains("c3ZjLW1h"), "{sent}");
    for d in params["diagnostics"].as_array().unwrap() {
        assert_eq!(d["range"]["start"]["line"], 12);
    }
    let text = c.text(FORMULA);
    let u = c.open(FORMULA, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    assert_eq!(codes(&params), ["EXO002", "EXO001"]);
}

/// Custom metadata records in the editor: the record's EXO002 and SEC001,
/// the secret never sent, and a record edited into mentioning EWS gets its
/// diagnostic (the pre-filter runs on every version).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_metadata_records_are_checked_live() {
    const RECORD: &str =
        "force-app/main/default/customMetadata/Mailbox_Integration.Production.md-meta.xml";
    const FLAG: &str =
        "force-app/main/default/customMetadata/Feature_Flag.Outlook_Panel.md-meta.xml";
    let (mut c, _) = Client::start(Setup {
        fixture: Some("custom-metadata"),
        ..Setup::default()
    })
    .await;
    let text = c.text(RECORD);
    let u = c.open(RECORD, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    assert_eq!(codes(&params), ["SEC001", "EXO002"]);
    assert!(!params.to_string().contains("Vx83Q~"), "{params}");
    let text = c.text(FLAG);
    let u = c.open(FLAG, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    assert!(codes(&params).is_empty(), "{params}");
    let at = text.find("<value xsi:type=\"xsd:boolean\">true").unwrap();
    let edited = format!(
        "{}<value xsi:type=\"xsd:string\">https://outlook.office365.com/EWS/Exchange.asmx{}",
        &text[..at],
        &text[at + "<value xsi:type=\"xsd:boolean\">true".len()..]
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let params = c.diagnostics_where(&u, |p| p["version"] == 2).await;
    assert_eq!(codes(&params), ["EXO002"]);
}

/// The editor's EXO001 quick fixes follow `exchangeAuthLint.asOf` like
/// `check --fix`: the EWS variant is preferred before 2026-10-01, Graph
/// from then on, and after 2027-04-01 only Graph is offered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exo001_quick_fixes_follow_the_as_of_setting() {
    let graph =
        "Convert to OAuth 2.0 for Microsoft Graph (External Credential, client credentials)";
    let ews = "Convert to OAuth 2.0 for EWS (External Credential, client credentials)";
    let legacy = "Switch to OAuth 2.0 with a Microsoft auth provider (legacy named credential)";
    let cases: [(&str, &[(&str, bool)]); 3] = [
        (
            "2026-09-30",
            &[(ews, true), (graph, false), (legacy, false)],
        ),
        (
            "2026-10-01",
            &[(graph, true), (ews, false), (legacy, false)],
        ),
        ("2027-04-01", &[(graph, true)]),
    ];
    for (date, expected) in cases {
        let (mut c, _) = Client::start(Setup {
            settings: json!({ "asOf": date }),
            ..Setup::default()
        })
        .await;
        let text = c.text(NC);
        let u = c.open(NC, &text);
        let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
        let exo001 = diagnostic(&params, "EXO001");
        let actions = c
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": u}, "range": exo001["range"], "context": {"diagnostics": [exo001], "only": ["quickfix"]}}),
            )
            .await;
        let got: Vec<(String, bool)> = actions
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["diagnostics"][0]["code"] == "EXO001")
            .filter(|a| !a["title"].as_str().unwrap().starts_with("Disable"))
            .filter(|a| {
                !a["title"]
                    .as_str()
                    .unwrap()
                    .starts_with("Show documentation")
            })
            .map(|a| {
                (
                    a["title"].as_str().unwrap().to_owned(),
                    a["isPreferred"] == true,
                )
            })
            .collect();
        let want: Vec<(String, bool)> = expected.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(got, want, "{date}");
    }
}

const CREATED_EC: &str = "force-app/main/default/externalCredentials/Exchange_Sync_Service_Graph.externalCredential-meta.xml";

/// The quick fixes of EXO001 in the demo's named credential.
async fn exo001_actions(c: &mut Client, u: &str) -> Vec<Value> {
    let params = c.diagnostics_where(u, |p| p["version"] == 1).await;
    let exo001 = diagnostic(&params, "EXO001");
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": exo001["range"], "context": {"diagnostics": [exo001], "only": ["quickfix"]}}),
        )
        .await;
    actions.as_array().unwrap().clone()
}

fn convert_action(actions: &[Value]) -> Value {
    actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Convert to OAuth 2.0")
        })
        .unwrap_or_else(|| panic!("no convert fix in {actions:?}"))
        .clone()
}

/// Neovim (every version) and eglot from 1.17: `resourceOperations` with
/// `create`, no `documentChanges`. The file-creating fix comes in
/// `documentChanges` all the same (the only place a `CreateFile` can go).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_without_document_changes_still_gets_the_file_creating_fix() {
    let (mut c, _) = Client::start(Setup {
        workspace_edit: Some(json!({"resourceOperations": ["rename", "create", "delete"]})),
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let actions = exo001_actions(&mut c, &u).await;
    // Fixes that create nothing keep the plain `changes` form.
    let disable = actions
        .iter()
        .find(|a| a["title"] == "Disable EXO001 for this element")
        .unwrap();
    assert!(disable["edit"]["changes"].is_object(), "{disable}");
    let convert = convert_action(&actions);
    let ops = convert["edit"]["documentChanges"].as_array().unwrap();
    assert!(ops.iter().any(|op| op["kind"] == "create"), "{convert}");
    let mut buffers = std::collections::HashMap::from([(u.clone(), (1i64, text.clone()))]);
    apply_workspace_edit(&mut c, &convert["edit"], &mut buffers).await;
    let after = c.diagnostics_where(&u, |p| p["version"] == 2).await;
    assert!(!codes(&after).contains(&"EXO001".to_string()), "{after}");
    assert!(c.text(CREATED_EC).contains("<authenticationProtocol>"));
}

/// Emacs eglot up to 1.16 (Debian 12 has 1.9): `documentChanges` but no
/// resource operations, and `workspace/applyEdit`. The fix is a command:
/// the server writes the new file, then sends the rest of the edit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_changes_without_create_gets_the_fix_as_a_command() {
    let (mut c, init) = Client::start(Setup {
        workspace_edit: Some(json!({"documentChanges": true})),
        apply_edit: Some(true),
        ..Setup::default()
    })
    .await;
    let commands = &init["capabilities"]["executeCommandProvider"]["commands"];
    assert!(commands
        .as_array()
        .unwrap()
        .contains(&json!("exchangeAuthLint.applyFix")));
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let actions = exo001_actions(&mut c, &u).await;
    let convert = convert_action(&actions);
    assert!(convert["edit"].is_null(), "{convert}");
    assert_eq!(convert["isPreferred"], true);
    let command = &convert["command"];
    assert_eq!(command["command"], "exchangeAuthLint.applyFix");
    assert!(!c.path(CREATED_EC).exists());
    c.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    )
    .await;
    assert!(c.text(CREATED_EC).contains("<authenticationProtocol>"));
    // The server asked the client to apply the in-place part, versioned.
    let apply = c
        .message_where(|m| m["method"] == "workspace/applyEdit")
        .await;
    let ops = apply["params"]["edit"]["documentChanges"]
        .as_array()
        .unwrap();
    assert!(ops.iter().all(|op| op.get("kind").is_none()), "{apply}");
    let mut buffers = std::collections::HashMap::from([(u.clone(), (1i64, text.clone()))]);
    apply_workspace_edit(&mut c, &apply["params"]["edit"], &mut buffers).await;
    assert!(buffers[&u].1.contains("Exchange_Sync_Service_Graph"));
    let after = c.diagnostics_where(&u, |p| p["version"] == 2).await;
    assert!(!codes(&after).contains(&"EXO001".to_string()), "{after}");
    // Then the note, as after any fix, once the client applied the edit.
    c.shown("Microsoft Entra ID").await;
}

/// If the client does not apply the rest, the new file goes again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_command_fix_takes_back_the_created_file() {
    let (mut c, _) = Client::start(Setup {
        workspace_edit: Some(json!({"documentChanges": true})),
        apply_edit: Some(false),
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let actions = exo001_actions(&mut c, &u).await;
    let command = convert_action(&actions)["command"].clone();
    // The command is answered at once; the refusal comes later, as a
    // message to the user.
    let response = c.run_command(&command).await;
    assert!(response.get("error").is_none(), "{response}");
    assert!(response["result"].is_null(), "{response}");
    let refused = c.shown("did not apply").await;
    assert_eq!(refused["params"]["type"], 1, "{refused}");
    assert!(!c.path(CREATED_EC).exists());
    // A stale command (the buffer changed) does nothing.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"range": range16(&text, 0, 0), "text": "\n"}]}),
    );
    let stale = c
        .call(
            "workspace/executeCommand",
            json!({"command": command["command"], "arguments": command["arguments"]}),
        )
        .await;
    assert_eq!(stale["error"]["code"], -32801, "{stale}");
    assert!(!c.path(CREATED_EC).exists());
}

/// A client with neither `documentChanges` nor `create` (nor
/// `workspace/applyEdit`): the in-place part, the title naming the file to
/// create, the note giving its text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_with_neither_gets_the_in_place_part_and_the_file_to_create() {
    let (mut c, _) = Client::start(Setup {
        workspace_edit: Some(json!({})),
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let actions = exo001_actions(&mut c, &u).await;
    let convert = convert_action(&actions);
    let title = convert["title"].as_str().unwrap();
    assert!(
        title.ends_with(&format!("(you create {CREATED_EC})")),
        "{title}"
    );
    let changes = convert["edit"]["changes"].as_object().unwrap();
    assert_eq!(changes.keys().collect::<Vec<_>>(), [&u]);
    let new_text = apply_edits(&text, changes[&u].as_array().unwrap());
    assert!(
        new_text.contains("Exchange_Sync_Service_Graph"),
        "{new_text}"
    );
    let note = convert["command"]["arguments"][0].as_str().unwrap();
    assert!(
        note.starts_with(&format!("Create {CREATED_EC} with this text:")),
        "{note}"
    );
    assert!(note.contains("<authenticationProtocol>"), "{note}");
}

/// The actions of the code action request at `range`, with `only`.
async fn actions_at(c: &mut Client, u: &str, range: &Value, only: Value) -> Vec<Value> {
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": range, "context": {"diagnostics": [], "only": only}}),
        )
        .await;
    actions.as_array().unwrap().clone()
}

fn titled(actions: &[Value], title: &str) -> Value {
    actions
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no {title:?} in {actions:?}"))
        .clone()
}

/// "Disable EXO001 for this file": a file-wide comment as the root's first
/// child; the rule is silent in the whole file, and SUP001 reports the
/// comment once nothing is left for it to silence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_for_file_action_silences_the_rule_in_the_file() {
    let (mut c, _) = Client::start(Setup::default()).await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let before = codes(&params);
    assert!(before.contains(&"EXO001".to_string()), "{before:?}");
    let exo001 = diagnostic(&params, "EXO001");
    let actions = actions_at(&mut c, &u, &exo001["range"], json!(["quickfix"])).await;
    let disable = titled(&actions, "Disable EXO001 for this file");
    assert_eq!(disable["kind"], "quickfix");
    assert_eq!(disable["diagnostics"][0]["code"], "EXO001");
    let change = &disable["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["version"], 1);
    let new_text = apply_edits(&text, change["edits"].as_array().unwrap());
    let root_tag = "<NamedCredential xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n";
    assert!(
        new_text.contains(&format!(
            "{root_tag}    <!-- exchange-auth-lint-disable EXO001 -->\n"
        )),
        "{new_text}"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": new_text}]}),
    );
    let after = c.diagnostics_where(&u, |p| p["version"] == 2).await;
    let expected: Vec<String> = before.into_iter().filter(|c| c != "EXO001").collect();
    assert_eq!(codes(&after), expected);
    // Nothing offers it again: the finding is gone.
    let whole = range16(&new_text, 0, new_text.len());
    let actions = actions_at(&mut c, &u, &whole, Value::Null).await;
    assert!(actions
        .iter()
        .all(|a| a["title"] != "Disable EXO001 for this file"));
    // No password any more: the comment silences nothing, SUP001 says so.
    let without = new_text.replace(
        "<protocol>Password</protocol>",
        "<protocol>NoAuthentication</protocol>",
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"text": without}]}),
    );
    let unused = c.diagnostics_where(&u, |p| p["version"] == 3).await;
    assert!(codes(&unused).contains(&"SUP001".to_string()), "{unused}");
    assert!(!codes(&unused).contains(&"EXO001".to_string()), "{unused}");
}

/// An Apex class: the next-line comment above the finding's line, or the
/// file-wide comment as its first line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apex_disables_for_the_line_or_the_file() {
    let (mut c, _) = Client::start(Setup {
        fixture: Some("apex-ews"),
        ..Setup::default()
    })
    .await;
    let text = c.text(APEX_RELAY);
    let u = c.open(APEX_RELAY, &text);
    let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let exo002 = diagnostic(&params, "EXO002");
    let actions = actions_at(&mut c, &u, &exo002["range"], Value::Null).await;
    // The line: a next-line comment above it, indented like it.
    let line = titled(&actions, "Disable EXO002 for this line");
    let edits = line["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .unwrap();
    let line_text = apply_edits(&text, edits);
    assert!(
        line_text.contains("        // exchange-auth-lint-disable-next-line EXO002\n        req.setEndpoint('https://outlook"),
        "{line_text}"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": line_text}]}),
    );
    let after = c.diagnostics_where(&u, |p| p["version"] == 2).await;
    assert_eq!(codes(&after), ["EXO001"]);
    // The file: a first-line comment.
    let disable = titled(&actions, "Disable EXO002 for this file");
    let edits = disable["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .unwrap();
    let new_text = apply_edits(&text, edits);
    assert_eq!(
        new_text,
        format!("// exchange-auth-lint-disable EXO002\n{text}")
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"text": new_text}]}),
    );
    let after = c.diagnostics_where(&u, |p| p["version"] == 3).await;
    assert_eq!(codes(&after), ["EXO001"]);
}

/// "Show documentation for EXO001": the server opens the rule's page in the
/// client's browser (`window/showDocument`), or shows its link; a client
/// with the extension's "Explain Rule" runs that instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn show_documentation_action_opens_the_rules_page() {
    let page =
        "https://github.com/exchange-auth-lint/exchange-auth-lint/blob/main/docs/rules/EXO001.md";
    for (show_document, client_commands) in [(None, false), (Some(true), false), (None, true)] {
        let (mut c, init) = Client::start(Setup {
            show_document,
            client_commands,
            ..Setup::default()
        })
        .await;
        let commands = &init["capabilities"]["executeCommandProvider"]["commands"];
        assert!(commands
            .as_array()
            .unwrap()
            .contains(&json!("exchangeAuthLint.showDocumentation")));
        let text = c.text(NC);
        let u = c.open(NC, &text);
        let actions = exo001_actions(&mut c, &u).await;
        let show = titled(&actions, "Show documentation for EXO001");
        assert_eq!(show["kind"], "quickfix");
        assert!(show["edit"].is_null(), "{show}");
        assert_eq!(show["diagnostics"][0]["code"], "EXO001");
        let command = &show["command"];
        assert_eq!(command["arguments"], json!(["EXO001"]));
        if client_commands {
            assert_eq!(command["command"], "exchangeAuthLint.explainRule");
            continue;
        }
        assert_eq!(command["command"], "exchangeAuthLint.showDocumentation");
        c.request(
            "workspace/executeCommand",
            json!({"command": command["command"], "arguments": command["arguments"]}),
        )
        .await;
        let sent: Vec<Value> = c.backlog.clone();
        let opened = sent.iter().find(|m| m["method"] == "window/showDocument");
        let message = sent.iter().find(|m| {
            m["method"] == "window/showMessage"
                && m["params"]["message"].as_str().unwrap().contains(page)
        });
        if show_document.is_some() {
            let opened = opened.expect("window/showDocument");
            assert_eq!(opened["params"]["uri"], page);
            assert_eq!(opened["params"]["external"], true);
            assert!(message.is_none());
        } else {
            assert!(opened.is_none());
            // A notification: it may come after the command's answer.
            if message.is_none() {
                loop {
                    let m = c.next().await;
                    if m["method"] == "window/showMessage"
                        && m["params"]["message"].as_str().unwrap().contains(page)
                    {
                        break;
                    }
                }
            }
        }
        // Once per rule, however many findings the range covers.
        let whole = range16(&text, 0, text.len());
        let all = actions_at(&mut c, &u, &whole, Value::Null).await;
        let shows = all
            .iter()
            .filter(|a| {
                a["title"]
                    .as_str()
                    .unwrap()
                    .starts_with("Show documentation for ")
            })
            .count();
        let rules: std::collections::BTreeSet<&str> = all
            .iter()
            .filter_map(|a| a["diagnostics"][0]["code"].as_str())
            .collect();
        assert_eq!(shows, rules.len(), "{all:?}");
    }
}

/// Fix-all is in the general list (as `source.fixAll.exchange-auth-lint`,
/// last), not among quick fixes only; a client that resolves gets its edit
/// on resolve, and it is `check --fix` of the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_is_offered_in_the_general_list_and_resolves() {
    for resolve in [false, true] {
        let (mut c, _) = Client::start(Setup {
            resolve,
            ..Setup::default()
        })
        .await;
        let text = c.text(NC);
        let u = c.open(NC, &text);
        let params = c.diagnostics_where(&u, |p| p["version"] == 1).await;
        let exo001 = diagnostic(&params, "EXO001");
        let quick = actions_at(&mut c, &u, &exo001["range"], json!(["quickfix"])).await;
        assert!(quick.iter().all(|a| a["kind"] == "quickfix"), "{quick:?}");
        let all = actions_at(&mut c, &u, &exo001["range"], Value::Null).await;
        let fix_all = all.last().unwrap().clone();
        assert_eq!(fix_all["kind"], "source.fixAll.exchange-auth-lint");
        assert_eq!(
            fix_all["title"],
            "Fix all exchange-auth-lint problems in this file"
        );
        let explicit = actions_at(
            &mut c,
            &u,
            &range16(&text, 0, 0),
            json!(["source.fixAll.exchange-auth-lint"]),
        )
        .await;
        assert_eq!(explicit.len(), 1);
        let edit = if resolve {
            assert!(fix_all["edit"].is_null(), "{fix_all}");
            let resolved = c.request("codeAction/resolve", fix_all).await;
            assert_eq!(resolved["kind"], "source.fixAll.exchange-auth-lint");
            resolved["edit"].clone()
        } else {
            fix_all["edit"].clone()
        };
        assert_eq!(edit, explicit[0]["edit"]);
        let ops = edit["documentChanges"].as_array().unwrap();
        assert!(ops.iter().any(|op| op["kind"] == "create"), "{edit}");
    }
}

/// eglot up to 1.16 (`documentChanges`, no resource operations, applies
/// edits the server sends): fix-all comes as the command that creates the
/// files itself, so it is the whole of `check --fix` there too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_without_create_comes_as_a_command_with_the_created_files() {
    let (mut c, _) = Client::start(Setup {
        workspace_edit: Some(json!({"documentChanges": true})),
        apply_edit: Some(true),
        ..Setup::default()
    })
    .await;
    let text = c.text(NC);
    let u = c.open(NC, &text);
    c.diagnostics_where(&u, |p| p["version"] == 1).await;
    let actions = actions_at(
        &mut c,
        &u,
        &range16(&text, 0, 0),
        json!(["source.fixAll.exchange-auth-lint"]),
    )
    .await;
    assert_eq!(actions.len(), 1, "{actions:?}");
    let command = &actions[0]["command"];
    assert_eq!(command["command"], "exchangeAuthLint.applyFix");
    assert!(actions[0]["edit"].is_null());
    assert!(!c.path(CREATED_EC).exists());
    c.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    )
    .await;
    assert!(c.text(CREATED_EC).contains("<authenticationProtocol>"));
    let apply = c
        .message_where(|m| m["method"] == "workspace/applyEdit")
        .await;
    let mut buffers = std::collections::HashMap::from([(u.clone(), (1i64, text.clone()))]);
    apply_workspace_edit(&mut c, &apply["params"]["edit"], &mut buffers).await;
    assert!(!buffers[&u].1.contains("<password>"), "{}", buffers[&u].1);
    assert!(buffers[&u].1.contains("Exchange_Sync_Service_Graph"));
}

/// A code action asked for right after `didOpen`, before any diagnostics
/// were computed (a pull client that has not pulled), by a client that can
/// neither create files nor apply edits: the "(you create …)" fixes carry
/// the text to create in their `showFixNote` argument, and it copies the
/// label, which here repeats the password. The transport learns a
/// snapshot's secrets when a request gets it, not only when diagnostics
/// are pushed, so the argument is masked (it was sent in clear before).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_actions_before_any_diagnostics_never_carry_a_secret() {
    let (mut c, _) = Client::start(Setup {
        pull: true,
        workspace_edit: Some(json!({})),
        ..Setup::default()
    })
    .await;
    let text = c.text(NC).replace(
        "<label>Exchange Sync Service</label>",
        "<label>uses Winter2021!</label>",
    );
    assert!(text.contains("<password>Winter2021!</password>"));
    let u = c.open(NC, &text);
    let whole = range16(&text, 0, text.len());
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": whole, "context": {"diagnostics": []}}),
        )
        .await;
    let notes = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["command"]["command"] == "exchangeAuthLint.showFixNote")
        .count();
    assert!(notes > 0, "{actions:#}");
    let mut out = Vec::new();
    strings(&actions, String::new(), &mut out);
    for (path, s) in out {
        // An edit's new text is the file as it will be, written exactly.
        if path.contains(".edit") {
            continue;
        }
        assert!(!s.contains("Winter2021!"), "{path}: {s}");
    }
}
