//! Engine results → protocol types: diagnostics, reports, code actions.
//! Positions come from [`super::position`] only.

use super::actions::{
    self, fix_all_title, ProposedFix, APPLY_FIX_COMMAND, FIX_ALL_KIND, LEGACY_FIX_ALL_KIND,
    SHOW_DOCS_COMMAND, SHOW_NOTE_COMMAND,
};
use super::position::Encoding;
use super::state::{Document, Snapshot};
use super::{file_path, Session, SOURCE};
use crate::analysis::Analysis;
use crate::diagnostic::{Finding, Severity};
use crate::fix::{session, Edit, FileChange};
use crate::i18n::Lang;
use crate::project::Project;
use crate::rules::UNUSED_SUPPRESSION;
use crate::text::LineIndex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use tower_lsp_server::ls_types::*;

pub struct FileDiagnostics {
    pub uri: Uri,
    /// The buffer version they were computed for (`None`: the disk).
    pub version: Option<i32>,
    pub diagnostics: Vec<Diagnostic>,
}

pub struct ProjectDiagnostics {
    pub result_id: String,
    /// Every file with diagnostics, and every open buffer of the project.
    pub files: Vec<FileDiagnostics>,
}

pub fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

/// The protocol range of `range` in one of the project's files.
fn file_range(
    project: &Project,
    file: usize,
    range: std::ops::Range<usize>,
    enc: Encoding,
) -> Range {
    let file = &project.files[file];
    enc.range(&file.lines, &file.text, range)
}

/// The protocol diagnostic of `f`, its texts scrubbed of the analysis's
/// secret values here, where the analysis that knows them is at hand (the
/// transport masks again, with what it knows when it writes).
fn diagnostic(f: &Finding, analysis: &Analysis, enc: Encoding) -> Diagnostic {
    let project = analysis.project();
    let range = file_range(project, f.file, f.range.clone(), enc);
    let related: Vec<_> = f
        .related
        .iter()
        .filter_map(|r| {
            let uri = uri_of(&project.files[r.file].path)?;
            let range = file_range(project, r.file, r.range.clone(), enc);
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: analysis.scrub(&r.message),
            })
        })
        .collect();
    Diagnostic {
        range,
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(f.rule.into())),
        code_description: rule_docs_uri(f.rule).map(|href| CodeDescription { href }),
        source: Some(SOURCE.into()),
        message: analysis.scrub(&f.message),
        related_information: (!related.is_empty()).then_some(related),
        tags: (f.rule == UNUSED_SUPPRESSION.id).then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

/// The rule's reference page (the same link SARIF gives).
pub fn rule_docs_uri(rule: &str) -> Option<Uri> {
    let rule = crate::rules::by_id(rule)?;
    Uri::from_str(&rule.doc_url()).ok()
}

pub fn project_diagnostics(
    snapshot: &Snapshot,
    docs: &[Document],
    enc: Encoding,
) -> ProjectDiagnostics {
    let project = snapshot.project();
    let analysis = snapshot;
    let mut by_file: BTreeMap<usize, Vec<Diagnostic>> = BTreeMap::new();
    for f in snapshot.analysis.findings() {
        let d = diagnostic(f, &snapshot.analysis, enc);
        by_file.entry(f.file).or_default().push(d);
    }
    let mut files = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (id, diagnostics) in by_file {
        let path = &project.files[id].path;
        let Some(uri) = uri_of(path) else { continue };
        seen.insert(path.clone());
        files.push(FileDiagnostics {
            uri,
            version: analysis.versions.get(path).copied(),
            diagnostics,
        });
    }
    // The manifest's own problems, while its buffer (if open) matches the
    // text they were found in.
    if let Some(manifest) = &project.manifest_path {
        let open = docs.iter().find(|d| &d.path == manifest);
        let current = open.is_none_or(|d| d.rope == project.manifest_text.as_str());
        if current {
            if let Some(uri) = uri_of(manifest) {
                let (text, lines) = (
                    &project.manifest_text,
                    LineIndex::new(&project.manifest_text),
                );
                let diagnostics = crate::rules::config_errors(project)
                    .iter()
                    .map(|e| Diagnostic {
                        range: enc.range(&lines, text, e.range.clone()),
                        severity: Some(DiagnosticSeverity::ERROR),
                        source: Some(SOURCE.into()),
                        message: e.message.clone(),
                        ..Default::default()
                    })
                    .collect::<Vec<_>>();
                seen.insert(manifest.clone());
                if !diagnostics.is_empty() || open.is_some() {
                    files.push(FileDiagnostics {
                        uri,
                        version: open.map(|d| d.version),
                        diagnostics,
                    });
                }
            }
        }
    }
    for (path, version) in &analysis.versions {
        if seen.contains(path) {
            continue;
        }
        if let Some(uri) = uri_of(path) {
            files.push(FileDiagnostics {
                uri,
                version: Some(*version),
                diagnostics: Vec::new(),
            });
        }
    }
    ProjectDiagnostics {
        result_id: analysis.id.to_string(),
        files,
    }
}

pub fn full_report(
    result_id: Option<String>,
    items: Vec<Diagnostic>,
) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
        },
    ))
}

pub fn unchanged_report(result_id: String) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
        RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        },
    ))
}

pub fn workspace_item(
    file: FileDiagnostics,
    result_id: &str,
    previous: &HashMap<Uri, String>,
) -> WorkspaceDocumentDiagnosticReport {
    let version = file.version.map(i64::from);
    if previous.get(&file.uri).map(String::as_str) == Some(result_id) {
        return WorkspaceDocumentDiagnosticReport::Unchanged(
            WorkspaceUnchangedDocumentDiagnosticReport {
                uri: file.uri,
                version,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id: result_id.into(),
                },
            },
        );
    }
    WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
        uri: file.uri,
        version,
        full_document_diagnostic_report: FullDocumentDiagnosticReport {
            result_id: Some(result_id.into()),
            items: file.diagnostics,
        },
    })
}

/// What `codeAction/resolve` needs to find an action again.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ActionKey {
    pub uri: Uri,
    pub version: Option<i32>,
    pub rule: String,
    pub start: usize,
    pub title: String,
    /// The rule's fix id; `None` for the suppression.
    #[serde(default)]
    pub fix_id: Option<String>,
    /// Fix-all of the file (`rule`, `start` and `fix_id` unused), under
    /// this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_all: Option<String>,
}

fn wants(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    only.is_none_or(|kinds| {
        kinds.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        })
    })
}

/// The kind fix-all is asked for under: [`FIX_ALL_KIND`] (or a parent
/// kind: `source`, `source.fixAll`), or [`LEGACY_FIX_ALL_KIND`] by name.
fn fix_all_kind(only: Option<&Vec<CodeActionKind>>) -> Option<&'static str> {
    let legacy = only.is_some_and(|ks| ks.iter().any(|k| k.as_str() == LEGACY_FIX_ALL_KIND));
    if legacy {
        Some(LEGACY_FIX_ALL_KIND)
    } else {
        wants(only, FIX_ALL_KIND).then_some(FIX_ALL_KIND)
    }
}

/// The code actions for `params.range` of a document: per diagnostic its
/// fixes, "Disable … for this element", "Disable … for this file" and
/// "Show documentation for …"; then fix-all of the file.
pub fn code_actions(
    snapshot: &Snapshot,
    docs: &[Document],
    session: &Session,
    params: &CodeActionParams,
) -> Vec<CodeAction> {
    let uri = &params.text_document.uri;
    let Some(path) = file_path(uri) else {
        return Vec::new();
    };
    let Some((file_id, file)) = snapshot.file(&path) else {
        return Vec::new();
    };
    let analysis = &snapshot.analysis;
    let enc = session.encoding;
    let range = enc.byte_range_in(&file.lines, &file.text, params.range);
    let version = docs.iter().find(|d| d.path == path).map(|d| d.version);
    let only = params.context.only.as_ref();
    // Edits wait for `codeAction/resolve` when the client resolves them and
    // can take any fix (file creations included); else they are computed
    // now, and fixes that create files go the way the client can take
    // ([`deliver`]).
    let lazy = session.resolve_edits && session.create_files;
    let mut out = Vec::new();
    // A file suppression (the same comment for every finding of a rule)
    // or documentation link once.
    let mut once: Vec<String> = Vec::new();
    let mut suppressions: Vec<ProposedFix> = Vec::new();
    let quickfix = wants(only, CodeActionKind::QUICKFIX.as_str());
    for f in analysis.findings_in(file_id) {
        let overlaps = f.range.start <= range.end && range.start <= f.range.end;
        if !overlaps || !quickfix {
            continue;
        }
        let fixes = actions::actions_for(analysis, f, lazy);
        let diag = diagnostic(f, analysis, enc);
        for fix in fixes {
            if fix.fix_id.is_none() {
                if suppressions.contains(&fix) {
                    continue;
                }
                suppressions.push(fix.clone());
            }
            let key = ActionKey {
                uri: uri.clone(),
                version,
                rule: fix.rule.into(),
                start: fix.finding_start,
                title: fix.title.clone(),
                fix_id: fix.fix_id.clone(),
                fix_all: None,
            };
            let defer = session.resolve_edits;
            let Some(mut action) = offer(fix, key, lazy, defer, snapshot, docs, session) else {
                continue;
            };
            action.kind = Some(CodeActionKind::QUICKFIX);
            action.diagnostics = Some(vec![diag.clone()]);
            out.push(action);
        }
        let rule = f.rule;
        let docs_title = crate::tr!(
            analysis.options().lang,
            "Show documentation for {rule}",
            "{rule} のドキュメントを表示"
        );
        if !once.contains(&docs_title) {
            out.extend(show_docs_action(f.rule, &docs_title, session, diag));
            once.push(docs_title);
        }
    }
    if let Some(kind) = fix_all_kind(only) {
        // Asked for by kind (on save, "Fix all"): computed now. In the
        // general list: only when something in the file has a fix, and
        // computed on resolve when the client resolves.
        let explicit = only.is_some();
        let fixable = || {
            analysis
                .findings_in(file_id)
                .any(|f| analysis.offers(f).iter().any(|o| o.preferred))
        };
        if explicit || fixable() {
            let key = ActionKey {
                uri: uri.clone(),
                version,
                rule: String::new(),
                start: 0,
                title: fix_all_title(analysis.options().lang),
                fix_id: None,
                fix_all: Some(kind.into()),
            };
            if lazy && !explicit {
                out.push(CodeAction {
                    title: fix_all_title(analysis.options().lang),
                    kind: Some(CodeActionKind::from(kind)),
                    data: serde_json::to_value(&key).ok(),
                    ..Default::default()
                });
            } else {
                let can_create = session.create_files || session.apply_edit;
                if let Some(fix) = fix_all_fix(snapshot, &path, can_create) {
                    if let Some(mut action) = offer(fix, key, false, false, snapshot, docs, session)
                    {
                        action.kind = Some(CodeActionKind::from(kind));
                        out.push(action);
                    }
                }
            }
        }
    }
    out
}

/// One fix as a code action (without kind and diagnostics), the way this
/// client takes it: its edit now, its edit on resolve (`lazy`: the fix
/// comes without its changes; `defer`: the client resolves edits), or the
/// command that applies it.
fn offer(
    fix: ProposedFix,
    key: ActionKey,
    lazy: bool,
    defer: bool,
    snapshot: &Snapshot,
    docs: &[Document],
    session: &Session,
) -> Option<CodeAction> {
    let analysis = &snapshot.analysis;
    let (fix, delivery) = if lazy {
        (fix, Delivery::Edit)
    } else {
        let root = &analysis.project().root;
        deliver(fix, root, session, analysis.options().lang)?
    };
    let mut action = CodeAction {
        title: fix.title.clone(),
        is_preferred: fix.preferred.then_some(true),
        ..Default::default()
    };
    let key = ActionKey {
        title: fix.title.clone(),
        ..key
    };
    if delivery == Delivery::Command {
        action.command = Some(Command {
            title: fix.title.clone(),
            command: APPLY_FIX_COMMAND.into(),
            arguments: serde_json::to_value(&key).ok().map(|k| vec![k]),
        });
    } else if defer && delivery == Delivery::Edit {
        action.data = serde_json::to_value(&key).ok();
    } else {
        action.edit = Some(workspace_edit(&fix, analysis.project(), docs, session)?);
        action.command = note_command(&fix, analysis);
    }
    Some(action)
}

/// "Show documentation for RULE": the client's own command when it has one
/// ([`super::hover::EXPLAIN_COMMAND`], the full text offline), else
/// [`SHOW_DOCS_COMMAND`] (the reference page).
fn show_docs_action(
    rule: &str,
    title: &str,
    session: &Session,
    diag: Diagnostic,
) -> Option<CodeAction> {
    let rule = crate::rules::by_id(rule)?;
    let command = if session.runs(super::hover::EXPLAIN_COMMAND) {
        super::hover::EXPLAIN_COMMAND
    } else {
        SHOW_DOCS_COMMAND
    };
    Some(CodeAction {
        title: title.to_owned(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diag]),
        command: Some(Command {
            title: title.to_owned(),
            command: command.into(),
            arguments: Some(vec![serde_json::Value::String(rule.id.into())]),
        }),
        ..Default::default()
    })
}

/// "Fix all" for one file: the fix-all of `check --fix` (the same passes,
/// so the same result and the same notes) restricted to the file's
/// findings, as one fix; without `can_create`, fixes that create files are
/// left out. `None` when nothing changes.
pub fn fix_all_fix(snapshot: &Snapshot, path: &Path, can_create: bool) -> Option<ProposedFix> {
    let outcome = snapshot.analysis.fix_all(
        |p: &Project, f: &Finding| p.files[f.file].path == path,
        |fix| {
            can_create
                || !fix
                    .edit
                    .changes
                    .iter()
                    .any(|c| matches!(c, crate::fix::FileChange::Create { .. }))
        },
        session::MAX_PASSES,
    );
    let notes = outcome.notes();
    let fix = ProposedFix {
        title: fix_all_title(snapshot.analysis.options().lang),
        rule: "",
        finding_start: 0,
        fix_id: Some(String::new()),
        preferred: false,
        note: (!notes.is_empty()).then(|| notes.join("\n\n")),
        changes: outcome
            .changed()
            .map(|(path, change)| match &change.original {
                Some(old) => {
                    let edits = crate::text::Change::between(old, &change.text)
                        .map(|c| Edit::replace(c.old, &change.text[c.new]))
                        .into_iter()
                        .collect();
                    FileChange::Edit {
                        path: path.clone(),
                        edits,
                    }
                }
                None => FileChange::Create {
                    path: path.clone(),
                    text: change.text.clone(),
                },
            })
            .collect(),
    };
    (!fix.changes.is_empty()).then_some(fix)
}

/// Finds the action `key` names again and fills in its edit.
pub fn resolve_action(
    snapshot: &Snapshot,
    docs: &[Document],
    session: &Session,
    key: &ActionKey,
) -> Option<CodeAction> {
    let (f, fix) = find_fix(snapshot, key)?;
    let analysis = &snapshot.analysis;
    if !usable(&fix, session) {
        return None;
    }
    let (kind, diagnostics) = match (&key.fix_all, f) {
        (Some(kind), _) => (CodeActionKind::from(kind.clone()), None),
        (None, Some(f)) => (
            CodeActionKind::QUICKFIX,
            Some(vec![diagnostic(&f, analysis, session.encoding)]),
        ),
        (None, None) => return None,
    };
    Some(CodeAction {
        title: fix.title.clone(),
        kind: Some(kind),
        diagnostics,
        is_preferred: fix.preferred.then_some(true),
        edit: Some(workspace_edit(&fix, analysis.project(), docs, session)?),
        command: note_command(&fix, analysis),
        data: serde_json::to_value(key).ok(),
        ..Default::default()
    })
}

/// The finding (none for fix-all) and the fix (with its changes) `key`
/// names.
fn find_fix(snapshot: &Snapshot, key: &ActionKey) -> Option<(Option<Finding>, ProposedFix)> {
    let path = file_path(&key.uri)?;
    if key.fix_all.is_some() {
        return Some((None, fix_all_fix(snapshot, &path, true)?));
    }
    let analysis = &snapshot.analysis;
    let (file_id, _) = analysis.file(&path)?;
    let f = analysis.finding(file_id, &key.rule, key.start)?;
    let fix = actions::resolve_fix(analysis, f, key.fix_id.as_deref(), &key.title)?;
    Some((Some(f.clone()), fix))
}

/// Shows the fix's note once the client applied its edit. The note (which
/// may quote the text of a file to create, and so a label) is scrubbed
/// with the secrets of the analysis it was built from: the client may run
/// the command long after newer versions replaced what the transport knows.
fn note_command(fix: &ProposedFix, analysis: &Analysis) -> Option<Command> {
    let note = fix.note.as_ref()?;
    Some(Command {
        title: fix.title.clone(),
        command: SHOW_NOTE_COMMAND.into(),
        arguments: Some(vec![serde_json::Value::String(analysis.scrub(note))]),
    })
}

/// Whether the client takes the fix as a `WorkspaceEdit`: fixes that
/// create files need `create` among its resource operations.
fn usable(fix: &ProposedFix, session: &Session) -> bool {
    !fix.creates_files() || session.create_files
}

/// How an action brings its fix to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// As the action's `WorkspaceEdit` (now, or on resolve).
    Edit,
    /// The edit without the files to create, computed now: the title
    /// names what the user must create.
    InPlace,
    /// As the command [`APPLY_FIX_COMMAND`]: the server creates the files
    /// itself, then asks the client to apply the rest (`workspace/applyEdit`).
    Command,
}

/// How `fix` reaches this client, and the fix as offered:
/// - fixes that create no file, and every fix for a client that lists
///   `create` among its resource operations (with or without
///   `documentChanges`: resource operations only travel there), as edits;
/// - else, when the client applies edits the server sends, as a command
///   (Emacs eglot up to 1.16 lists `documentChanges` but no resource
///   operations, and takes `workspace/applyEdit`);
/// - else, for a client without `documentChanges`, the in-place part, with
///   the files to create in its title and their text in its note;
/// - else not at all.
pub fn deliver(
    fix: ProposedFix,
    root: &Path,
    session: &Session,
    lang: Lang,
) -> Option<(ProposedFix, Delivery)> {
    if usable(&fix, session) {
        return Some((fix, Delivery::Edit));
    }
    if session.apply_edit {
        return Some((fix, Delivery::Command));
    }
    if session.document_changes {
        return None;
    }
    let mut created = Vec::new();
    let mut changes = Vec::new();
    for change in fix.changes {
        match change {
            FileChange::Create { path, text } => {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                created.push((rel.display().to_string(), text));
            }
            edit => changes.push(edit),
        }
    }
    if changes.is_empty() {
        return None;
    }
    let names = created
        .iter()
        .map(|(rel, _)| rel.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let title = crate::tr!(
        lang,
        "{} (you create {})",
        "{}（{} は手で作成）",
        fix.title,
        names
    );
    let mut note: Vec<String> = created
        .iter()
        .map(|(rel, text)| {
            crate::tr!(
                lang,
                "Create {} with this text:\n\n{}",
                "{} を次の内容で作成してください:\n\n{}",
                rel,
                text
            )
        })
        .collect();
    note.extend(fix.note);
    Some((
        ProposedFix {
            title,
            note: Some(note.join("\n\n")),
            changes,
            ..fix
        },
        Delivery::InPlace,
    ))
}

/// What [`APPLY_FIX_COMMAND`] does, computed: the files to create, the
/// edit of the existing ones, the note to show afterwards, and the secret
/// values of the analysis it comes from (to scrub what is said about it
/// later, when the client answers).
pub struct CommandFix {
    pub create: Vec<(PathBuf, String)>,
    pub edit: Option<WorkspaceEdit>,
    pub note: Option<String>,
    pub secrets: crate::redact::Secrets,
}

/// Finds the fix `key` names again (its document unchanged since) and
/// splits it for [`APPLY_FIX_COMMAND`].
pub fn command_fix(
    snapshot: &Snapshot,
    docs: &[Document],
    session: &Session,
    key: &ActionKey,
) -> Option<CommandFix> {
    let (_, fix) = find_fix(snapshot, key)?;
    let mut create = Vec::new();
    let mut in_place = Vec::new();
    for change in &fix.changes {
        match change {
            FileChange::Create { path, text } => create.push((path.clone(), text.clone())),
            edit => in_place.push(edit.clone()),
        }
    }
    let edit = if in_place.is_empty() {
        None
    } else {
        let plain = ProposedFix {
            changes: in_place,
            ..fix.clone()
        };
        Some(workspace_edit(&plain, snapshot.project(), docs, session)?)
    };
    Some(CommandFix {
        create,
        edit,
        note: fix.note,
        secrets: snapshot.analysis.secrets().clone(),
    })
}

/// `edit` as the edits of only the bytes it changes: an edit that
/// rewrites a block (a fix-all's one edit per file, a fix that replaces an
/// element) would otherwise send back every unchanged line between, a
/// secret's included. Applied in order, they give the edit's result.
fn minimal(text: &str, edit: &Edit) -> Vec<Edit> {
    let Some(old) = text.get(edit.range.clone()) else {
        return vec![edit.clone()];
    };
    crate::text::Change::each_between(old, &edit.new_text)
        .into_iter()
        .map(|c| Edit {
            range: edit.range.start + c.old.start..edit.range.start + c.old.end,
            new_text: edit.new_text[c.new].to_owned(),
        })
        .collect()
}

/// A fix as a `WorkspaceEdit`: `documentChanges` (versioned, with
/// `CreateFile`) when the client supports it, else `changes`.
pub fn workspace_edit(
    fix: &ProposedFix,
    project: &Project,
    docs: &[Document],
    session: &Session,
) -> Option<WorkspaceEdit> {
    let enc = session.encoding;
    // A client that lists `create` takes `documentChanges` (the only place
    // resource operations can go) even if it does not say so.
    let document_changes =
        session.document_changes || (fix.creates_files() && session.create_files);
    let mut ops = Vec::new();
    let mut plain: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for change in &fix.changes {
        match change {
            FileChange::Edit { path, edits } => {
                let uri = uri_of(path)?;
                let manifest_lines;
                let (text, lines) = match project.file(path) {
                    Some((_, file)) => (file.text.as_str(), &file.lines),
                    None if project.manifest_path.as_deref() == Some(path.as_path()) => {
                        let text = project.manifest_text.as_str();
                        manifest_lines = LineIndex::new(text);
                        (text, &manifest_lines)
                    }
                    None => return None,
                };
                let edits: Vec<TextEdit> = edits
                    .iter()
                    .flat_map(|e| minimal(text, e))
                    .map(|e| TextEdit {
                        range: enc.range(lines, text, e.range),
                        new_text: e.new_text,
                    })
                    .collect();
                let version = docs.iter().find(|d| &d.path == path).map(|d| d.version);
                if document_changes {
                    ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                        edits: edits.into_iter().map(OneOf::Left).collect(),
                    }));
                } else {
                    plain.entry(uri).or_default().extend(edits);
                }
            }
            FileChange::Create { path, text } => {
                if !document_changes {
                    return None;
                }
                let uri = uri_of(path)?;
                ops.push(DocumentChangeOperation::Op(ResourceOp::Create(
                    CreateFile {
                        uri: uri.clone(),
                        options: Some(CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(false),
                        }),
                        annotation_id: None,
                    },
                )));
                ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
                    edits: vec![OneOf::Left(TextEdit {
                        range: Range::default(),
                        new_text: text.clone(),
                    })],
                }));
            }
        }
    }
    Some(if document_changes {
        let has_ops = ops
            .iter()
            .any(|o| matches!(o, DocumentChangeOperation::Op(_)));
        WorkspaceEdit {
            document_changes: Some(if has_ops {
                DocumentChanges::Operations(ops)
            } else {
                DocumentChanges::Edits(
                    ops.into_iter()
                        .filter_map(|o| match o {
                            DocumentChangeOperation::Edit(e) => Some(e),
                            DocumentChangeOperation::Op(_) => None,
                        })
                        .collect(),
                )
            }),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(plain),
            ..Default::default()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::state::ProjectRecord;
    use crate::workspace::Member;
    use std::path::PathBuf;

    fn session(document_changes: bool, create_files: bool) -> Session {
        Session {
            document_changes,
            create_files,
            ..Session::default()
        }
    }

    /// The demo org's root and a snapshot of it, from the disk.
    fn demo_org() -> (PathBuf, std::sync::Arc<crate::lsp::state::Snapshot>) {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo-org");
        let root = root.canonicalize().unwrap();
        let snapshot = ProjectRecord::default().snapshot(
            &mut Member::around(&root),
            &[],
            &crate::check::CheckOptions::default(),
        );
        (root, snapshot)
    }

    /// A fix that edits one file and creates another, as the LS fixes do.
    #[test]
    fn multi_file_fixes_with_and_without_resource_operations() {
        let (root, snapshot) = demo_org();
        let project = snapshot.project();
        let settings = root.join("force-app/main/default/settings");
        let ei = settings.join("EmailIntegration.settings-meta.xml");
        let text = &project.file(&ei).unwrap().1.text;
        let at = text.find("<enableContactAndEventSync>").unwrap();
        let fix = ProposedFix {
            title: "Move sync to Einstein Activity Capture".into(),
            rule: "LS001",
            finding_start: at,
            fix_id: Some("test".into()),
            preferred: true,
            note: None,
            changes: vec![
                FileChange::Edit {
                    path: ei.clone(),
                    edits: vec![Edit::insert(at, "<!-- moved -->")],
                },
                FileChange::Create {
                    path: settings.join("New.settings-meta.xml"),
                    text: "<x/>\n".into(),
                },
            ],
        };
        assert!(usable(&fix, &session(true, true)));
        assert!(!usable(&fix, &session(true, false)));
        assert!(!usable(&fix, &session(false, false)));
        let edit = workspace_edit(&fix, project, &[], &session(true, true)).unwrap();
        let json = serde_json::to_value(&edit).unwrap();
        let ops = json["documentChanges"].as_array().unwrap();
        assert_eq!(ops.len(), 3);
        assert!(ops[0]["textDocument"]["version"].is_null());
        assert_eq!(ops[0]["edits"][0]["range"]["start"]["line"], 3);
        assert_eq!(ops[1]["kind"], "create");
        assert_eq!(ops[1]["options"]["overwrite"], false);
        assert!(ops[1]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/New.settings-meta.xml"));
        assert_eq!(ops[2]["edits"][0]["newText"], "<x/>\n");
        // Without documentChanges, only plain edits can be expressed.
        assert!(workspace_edit(&fix, project, &[], &session(false, false)).is_none());
        let plain = ProposedFix {
            changes: fix.changes[..1].to_vec(),
            ..fix.clone()
        };
        let edit = workspace_edit(&plain, project, &[], &session(false, false)).unwrap();
        assert_eq!(edit.changes.unwrap().len(), 1);
    }
    /// An edit that rewrites a block reaches the client as edits of the
    /// bytes it changes only: the unchanged password between the two
    /// changed places travels in none of them.
    #[test]
    fn a_block_rewrite_reaches_the_client_as_its_changed_bytes_only() {
        let (root, snapshot) = demo_org();
        let project = snapshot.project();
        let nc = root.join(
            "force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml",
        );
        let text = &project.file(&nc).unwrap().1.text;
        assert!(text.contains("<password>Winter2021!</password>"));
        let block = text.find("<?xml").unwrap() + 1..text.len() - 1;
        let new_text = text[block.clone()].replacen("xml", "XML", 1).replacen(
            "</NamedCredential>",
            "</NamedCredential >",
            1,
        );
        let fix = ProposedFix {
            title: "rewrite".into(),
            rule: "EXO001",
            finding_start: 0,
            fix_id: Some("test".into()),
            preferred: true,
            note: None,
            changes: vec![FileChange::Edit {
                path: nc.clone(),
                edits: vec![Edit::replace(block, new_text)],
            }],
        };
        for document_changes in [true, false] {
            let edit =
                workspace_edit(&fix, project, &[], &session(document_changes, false)).unwrap();
            let json = serde_json::to_value(&edit).unwrap();
            let edits: Vec<&serde_json::Value> = if document_changes {
                json["documentChanges"][0]["edits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .collect()
            } else {
                json["changes"]
                    .as_object()
                    .unwrap()
                    .values()
                    .flat_map(|v| v.as_array().unwrap())
                    .collect()
            };
            let new_texts: Vec<&str> = edits
                .iter()
                .map(|e| e["newText"].as_str().unwrap())
                .collect();
            assert_eq!(new_texts, ["XML", " "], "{json}");
            assert!(!json.to_string().contains("Winter2021!"));
        }
    }
}
