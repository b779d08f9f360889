//! `check --fix` and `check --diff`: the preferred fixes of every finding,
//! written atomically or printed as a unified diff.

use super::args::{io_reason, CheckArgs, ToolError, EXIT_CLEAN, EXIT_FINDINGS, EXIT_TOOL_ERROR};
use crate::analysis::Analysis;
use crate::check::CheckOptions;
use crate::fix::session::{self, Change, Outcome, MAX_PASSES};
use crate::i18n::Lang;
use crate::metadata::MetadataKind;
use crate::project::Project;
use crate::redact::Redacted;
use crate::report::{self, Format, ProjectReport, Report};
use crate::source::SourceFile;
use crate::text::printable;
use crate::tr;
use crate::workspace::Workspace;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Fixes every member of `workspace` from its analysis (`analyses`, in
/// the members' order), then writes (`--fix`) or prints (`--diff`).
pub fn run(
    args: &CheckArgs,
    options: &CheckOptions,
    mut workspace: Workspace,
    analyses: &[Analysis],
    base: PathBuf,
    started: Instant,
    mut ci: crate::ci::Run,
) -> Result<i32, ToolError> {
    let lang = options.lang;
    let outcomes: Vec<Outcome> = workspace
        .members()
        .iter()
        .zip(analyses)
        .map(|(member, analysis)| analysis.fix_all(|p, f| member.keeps(p, f), |_| true, MAX_PASSES))
        .collect();
    if args.diff {
        return print_diff(&outcomes, lang, &base);
    }

    // --fix: write, then report what is left.
    let mut summary = Vec::new();
    let mut failed = Vec::new();
    let mut reloaded = Vec::new();
    for (outcome, member) in outcomes.iter().zip(workspace.members_mut()) {
        let root = outcome.project.root.clone();
        let shown = |p: &Path| report::shown_path(&base, p);
        // Temporary files of an earlier run that was killed (ours by name,
        // their process gone), wherever they are in the project.
        crate::write::remove_stale_temporaries_around(
            outcome
                .project
                .files
                .iter()
                .map(|f| f.path.as_path())
                .chain(outcome.changed().map(|(p, _)| p.as_path())),
        );
        let (written, failures) = write_changes(outcome);
        for (path, reason) in failures {
            failed.push(format!("{}: {reason}", shown(&path)));
        }
        let fixed = outcome.applied.len();
        if fixed > 0 {
            let files = written.len();
            let passes = outcome.passes;
            summary.push(tr!(
                lang,
                "Fixed {fixed} finding(s), {files} file(s) written ({passes} pass(es)):",
                "{fixed} 件の指摘を修正し、{files} 個のファイルを書き込みました（{passes} パス）:"
            ));
            for a in &outcome.applied {
                summary.push(format!(
                    "  {}: {} {}",
                    shown(&root.join(&a.file)),
                    a.rule,
                    printable(&a.title)
                ));
                for (file, created) in &a.files {
                    if *file == a.file {
                        continue;
                    }
                    let f = shown(&root.join(file));
                    summary.push(if *created {
                        tr!(lang, "    created {f}", "    作成: {f}")
                    } else {
                        tr!(lang, "    changed {f}", "    変更: {f}")
                    });
                }
                if let Some(note) = &a.note {
                    let note = printable(note);
                    summary.push(tr!(lang, "    to do: {note}", "    残りの作業: {note}"));
                }
            }
        }
        push_refusals(&mut summary, outcome, lang, &base);
        if !outcome.converged {
            summary.push(tr!(
                lang,
                "Stopped after {MAX_PASSES} passes; run again to continue.",
                "{MAX_PASSES} パスで停止しました。続けるにはもう一度実行してください。"
            ));
        }
        // What is left, as the disk now says.
        member.reload();
        let mut analysis = member.analyse(options);
        ci.narrow(
            &mut analysis,
            member.restricted().then_some(member.explicit()),
        )
        .map_err(ToolError)?;
        reloaded.push(analysis);
    }
    let (ci_view, _) = ci.finish(&base, &mut reloaded).map_err(ToolError)?;
    if !failed.is_empty() {
        summary.push(
            lang.pick(
                "Not fixed (could not write):",
                "修正できなかったファイル（書き込みに失敗）:",
            )
            .to_owned(),
        );
        summary.extend(failed.iter().map(|f| format!("  {f}")));
    }
    let choices: Vec<&str> = reloaded
        .iter()
        .flat_map(|a| a.findings().iter())
        .filter(|f| f.fixable)
        .map(|f| f.rule)
        .collect();
    if summary.is_empty() {
        summary.push(
            lang.pick("Nothing to fix.", "修正するものはありません。")
                .to_owned(),
        );
    }
    if !choices.is_empty() {
        let n = choices.len();
        let mut ids = choices.clone();
        ids.sort_unstable();
        ids.dedup();
        let ids = ids.join(", ");
        summary.push(tr!(
            lang,
            "{n} finding(s) left ({ids}) have fixes that are not applied automatically: choose one in the editor (quick fixes); `exchange-auth-lint explain <rule>` describes them.",
            "残りの {n} 件の指摘（{ids}）には自動では適用しない修正があります。エディターのクイックフィックスで選んでください（説明は `exchange-auth-lint explain <ルール>`）。"
        ));
    }
    let report = Report {
        projects: reloaded
            .iter()
            .map(|a| ProjectReport {
                project: a.project(),
                result: a.result(),
            })
            .collect(),
        base: base.clone(),
        as_of: options.as_of,
        lang,
        elapsed: started.elapsed(),
        // The files as read, before the fixes: a value may still be
        // repeated (a comment, an attribute) after its element is gone.
        secrets: outcomes.iter().fold(Default::default(), |mut all, o| {
            all.extend(&secrets_before(o));
            all
        }),
        ci: ci_view,
    };
    // Notes and titles may quote file content: masked like the report.
    let summary = report.secrets.scrub(&summary.join("\n")) + "\n";
    // The summary goes with a human report, else to stderr so machine
    // formats stay parseable.
    let to_stdout = args.format == Format::Human && args.output.is_none();
    if to_stdout {
        print!("{summary}");
        println!();
    } else {
        eprint!("{summary}");
    }
    super::args::write_report(args, &report)?;
    if !failed.is_empty() {
        return Ok(EXIT_TOOL_ERROR);
    }
    let worst = report.findings().map(|(_, f)| f.severity).max();
    Ok(match worst {
        Some(s) if args.fail_on.fails(s) => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    })
}

/// One line on standard error for a recovery record `check` or `--diff`
/// found (see [`crate::write::pending_records`]).
pub fn pending_note(record: &str, lang: Lang) -> String {
    tr!(
        lang,
        "warning: {record}: an interrupted --fix left some files of this project unwritten; they are reported as they are on disk; run `exchange-auth-lint check --fix` to complete it",
        "warning: {record}: 中断された --fix により、このプロジェクトの一部のファイルが書き込まれていません。ディスク上の内容のまま報告します。完了するには `exchange-auth-lint check --fix` を実行してください"
    )
}

/// One line on standard error for what [`crate::write::recover`] did.
pub fn recovery_note(base: &Path, r: &crate::write::Recovered, lang: Lang) -> String {
    use crate::write::Recovered;
    match r {
        Recovered::Written(path) => {
            let f = report::shown_path(base, path);
            tr!(
                lang,
                "note: {f}: written now, as an interrupted --fix left it to do",
                "note: {f}: 中断された --fix が書き込めなかったため、いま書き込みました"
            )
        }
        Recovered::Changed(path) => {
            let f = report::shown_path(base, path);
            tr!(
                lang,
                "warning: {f}: an interrupted --fix left it to do, but it changed since; left as it is",
                "warning: {f}: 中断された --fix の書き込み対象ですが、その後変更されているためそのままにしました"
            )
        }
        Recovered::Failed(path, reason) => {
            let f = report::shown_path(base, path);
            tr!(
                lang,
                "warning: {f}: an interrupted --fix left it to do, and it cannot be written: {reason}",
                "warning: {f}: 中断された --fix の書き込み対象ですが、書き込めません: {reason}"
            )
        }
    }
}

fn push_refusals(out: &mut Vec<String>, outcome: &Outcome, lang: Lang, base: &Path) {
    if outcome.refused.is_empty() {
        return;
    }
    out.push(lang.pick("Not fixed:", "修正しなかった指摘:").to_owned());
    for r in &outcome.refused {
        let file = report::shown_path(base, &outcome.project.root.join(&r.file));
        out.push(format!(
            "  {file}: {} {}: {}",
            r.refusal.rule,
            printable(&r.refusal.title),
            printable(&r.refusal.reason)
        ));
    }
}

/// Writes a project's changes: nothing when a file changed on disk since
/// it was read or a new file cannot be created (so no named credential
/// ever points at an external credential that is not there), else every
/// edited file atomically. Returns the written paths and the failures.
fn write_changes(outcome: &Outcome) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let changed: Vec<(&PathBuf, &Change)> = outcome.changed().collect();
    let mut failures = Vec::new();
    for (path, change) in &changed {
        if let Some(original) = &change.original {
            match std::fs::read(path) {
                Ok(bytes) if bytes == original.as_bytes() => {}
                Ok(_) => failures.push((
                    (*path).clone(),
                    "changed on disk since it was read".to_owned(),
                )),
                Err(e) => failures.push(((*path).clone(), io_reason(&e))),
            }
        }
    }
    // A new file never goes out of the project through a folder that is a
    // symbolic link (checked by the fix too; the folders may have changed).
    let root = &outcome.project.root;
    for (path, change) in &changed {
        if change.original.is_none() {
            if let Some(link) = crate::write::created_outside(root, path) {
                let link = report::shown_path(root, &link);
                failures.push((
                    (*path).clone(),
                    format!("not created: {link} is a symbolic link that leads out of the project"),
                ));
            }
        }
    }
    let mut created = Vec::new();
    // The record a killed run leaves, for the next `--fix` to finish from.
    let journal = failures
        .is_empty()
        .then(|| journal_of(outcome, &changed))
        .flatten();
    if failures.is_empty() {
        for (path, change) in &changed {
            if change.original.is_none() {
                match crate::write::create_new(path, change.text.as_bytes()) {
                    Ok(()) => created.push((*path).clone()),
                    Err(e) => {
                        failures.push(((*path).clone(), io_reason(&e)));
                        break;
                    }
                }
            }
        }
    }
    if !failures.is_empty() {
        // Undo the files this run created; leave everything else as it was.
        for path in &created {
            let _ = std::fs::remove_file(path);
        }
        let blocked: Vec<(PathBuf, String)> = changed
            .iter()
            .filter(|(p, _)| !failures.iter().any(|(f, _)| f == *p))
            .map(|(p, _)| ((*p).clone(), "not written (see above)".to_owned()))
            .collect();
        failures.extend(blocked);
        if let Some(journal) = journal {
            journal.end();
        }
        return (Vec::new(), failures);
    }
    let mut written = created;
    // Two paths of one file (a link and its target, both named like
    // metadata): written once, through the first.
    let mut targets: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (path, change) in &changed {
        if change.original.is_some() {
            let target = crate::write::resolve(path).unwrap_or_else(|_| (*path).clone());
            if let Some((_, first)) = targets.iter().find(|(t, _)| *t == target) {
                failures.push((
                    (*path).clone(),
                    format!(
                        "same file as {} (a symbolic link); written once, through it",
                        printable(&first.to_string_lossy())
                    ),
                ));
                continue;
            }
            targets.push((target, (*path).clone()));
            match crate::write::replace_noting(path, change.text.as_bytes()) {
                Ok(lost) => {
                    written.push((*path).clone());
                    // Written, but not all of the original kept: said.
                    for what in lost {
                        eprintln!(
                            "warning: {}: written, but {what}",
                            report::shown_path(&outcome.project.root, path)
                        );
                    }
                }
                Err(e) => failures.push(((*path).clone(), io_reason(&e))),
            }
        }
    }
    if let Some(journal) = journal {
        journal.end();
    }
    (written, failures)
}

/// [`crate::write::Journal::begin`] for `changed`; `None` when no record is
/// needed or none can be written (the writes then go ahead as before).
fn journal_of(outcome: &Outcome, changed: &[(&PathBuf, &Change)]) -> Option<crate::write::Journal> {
    let root = &outcome.project.root;
    let planned: Vec<crate::write::Planned> = changed
        .iter()
        .map(|(path, change)| crate::write::Planned {
            path: path.strip_prefix(root).unwrap_or(path).to_path_buf(),
            original: change.original.as_ref().map(|o| o.to_string()),
            text: change.text.to_string(),
        })
        .collect();
    crate::write::Journal::begin(root, &planned).ok().flatten()
}

fn print_diff(outcomes: &[Outcome], lang: Lang, base: &Path) -> Result<i32, ToolError> {
    let mut any = false;
    let mut notes = Vec::new();
    let mut out = String::new();
    let terminal = std::io::stdout().is_terminal();
    for outcome in outcomes {
        let root = &outcome.project.root;
        let (masked, secrets_in) = mask_secrets(outcome);
        for diff in session::file_diffs(root, &masked) {
            any = true;
            let file = || report::shown_path(base, &root.join(&diff.rel));
            match &diff.unsafe_line {
                Some(bad) => notes.push(withheld_note(lang, &file(), bad)),
                // Its raw CRs would make a terminal overwrite its lines;
                // into a file or a pipe it is printed, as `git apply`
                // needs it.
                None if diff.lone_cr_breaks && terminal => {
                    let file = file();
                    notes.push(tr!(
                        lang,
                        "{file}: patch not shown on a terminal: its line breaks are lone CRs, which the terminal would act on; redirect it to a file (--diff > fix.patch) or run check --fix",
                        "{file}: 端末にはパッチを表示しません: 改行が CR のみで、端末がそれを解釈するためです。ファイルにリダイレクトする（--diff > fix.patch）か、check --fix を実行してください"
                    ));
                }
                None => out.push_str(&diff.patch),
            }
        }
        for a in &outcome.applied {
            let file = report::shown_path(base, &root.join(&a.file));
            notes.push(format!("{file}: {} {}", a.rule, printable(&a.title)));
            if let Some(note) = &a.note {
                let note = printable(note);
                notes.push(tr!(lang, "  to do: {note}", "  残りの作業: {note}"));
            }
        }
        push_refusals(&mut notes, outcome, lang, base);
        for file in secrets_in {
            let file = report::shown_path(base, &root.join(file));
            notes.push(tr!(
                lang,
                "{file}: secret values are shown as ******** in this diff; hunks with them do not apply (use --fix)",
                "{file}: この差分ではシークレットの値を ******** で表示しています。その部分は適用できません（--fix を使ってください）"
            ));
        }
    }
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    if let Err(e) = lock.write_all(out.as_bytes()).and_then(|_| lock.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(ToolError(e.to_string()));
        }
    }
    if !notes.is_empty() {
        let secrets = outcomes
            .iter()
            .fold(crate::redact::Secrets::default(), |mut all, o| {
                all.extend(&secrets_before(o));
                all
            });
        eprintln!("{}", secrets.scrub(&notes.join("\n")));
    }
    Ok(if any { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// The note that stands for a file's patch that is not printed: a line of
/// it would be read by a CI runner or a terminal as more than text.
fn withheld_note(lang: Lang, file: &str, bad: &session::UnsafeLine) -> String {
    let (line, shown) = (bad.line, &bad.shown);
    match bad.fixed {
        false => tr!(
            lang,
            "{file}: patch not shown: line {line} holds text a CI runner or terminal would interpret ({shown}); run check --fix or view it in the editor",
            "{file}: パッチを表示しません: {line} 行目に CI ランナーや端末が解釈するテキストがあります（{shown}）。check --fix を実行するか、エディターで確認してください"
        ),
        true => tr!(
            lang,
            "{file}: patch not shown: line {line} of the fixed text holds text a CI runner or terminal would interpret ({shown}); run check --fix or view it in the editor",
            "{file}: パッチを表示しません: 修正後の {line} 行目に CI ランナーや端末が解釈するテキストがあります（{shown}）。check --fix を実行するか、エディターで確認してください"
        ),
    }
}

/// The changes with every secret value masked (as every other output
/// does), and the files where that happened.
fn mask_secrets(outcome: &Outcome) -> (BTreeMap<PathBuf, Change>, Vec<String>) {
    let project = &outcome.project;
    let mut masked = BTreeMap::new();
    let mut files = Vec::new();
    // The values of the files as read: a fixed text may still repeat one
    // (a comment, an attribute) after its element is gone.
    let secrets = secrets_before(outcome);
    let source = |path: &Path, text: &str| source_file(project, path, text);
    let redact = |path: &Path, text: &str| -> String {
        match source(path, text) {
            Some(file) => secrets.scrub(&Redacted::new(&file).text),
            None => secrets.scrub(text),
        }
    };
    for (path, change) in outcome.changed() {
        let original = change.original.as_deref().map(|t| redact(path, t));
        let text = redact(path, &change.text);
        if original.as_deref() != change.original.as_deref() || text != change.text {
            files.push(project.rel_path(path));
        }
        masked.insert(path.clone(), Change { original, text });
    }
    (masked, files)
}

/// A changed file's text as a metadata file, when it is one.
fn source_file(project: &Project, path: &Path, text: &str) -> Option<SourceFile> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    MetadataKind::from_file_name(name).map(|(kind, format)| {
        SourceFile::new(
            path.to_path_buf(),
            project.rel_path(path),
            kind,
            format,
            text.as_bytes().to_vec(),
        )
    })
}

/// The secret values of the project's files as they were read, before any
/// fix: a fixed text may still repeat one (a comment, an attribute) after
/// its element is gone.
fn secrets_before(outcome: &Outcome) -> crate::redact::Secrets {
    let mut secrets = outcome.project.secrets();
    for (path, change) in outcome.changed() {
        if let Some(file) = change
            .original
            .as_deref()
            .and_then(|t| source_file(&outcome.project, path, t))
        {
            secrets.extend(&crate::redact::Secrets::of_files([&file]));
        }
    }
    secrets
}
