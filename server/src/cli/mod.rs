//! The `check`, `rules` and `explain` commands, behind the argument parsing
//! in `main.rs`.

pub mod args;
pub mod fix;

pub use args::{
    io_reason, write_report, CheckArgs, FailOn, ToolError, EXIT_CLEAN, EXIT_FINDINGS,
    EXIT_TOOL_ERROR,
};

use crate::check::CheckOptions;
use crate::i18n::Lang;
use crate::report::{self, Format, ProjectReport, Report};
use crate::rules::{self, RULES};
use crate::timeline::AsOf;
use crate::workspace::Workspace;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

fn rule_ids(ids: &[String], flag: &str) -> Result<Vec<&'static str>, ToolError> {
    ids.iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|id| {
            rules::by_id(id).map(|r| r.id).ok_or_else(|| {
                ToolError(format!(
                    "{flag}: unknown rule id `{id}` (see `exchange-auth-lint rules`)"
                ))
            })
        })
        .collect()
}

pub fn run_check(args: CheckArgs) -> Result<i32, ToolError> {
    let started = Instant::now();
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    let as_of = match &args.as_of {
        Some(s) => AsOf::parse(s).map_err(|e| ToolError(format!("--as-of: {e}")))?,
        None => AsOf::today(),
    };
    let select = if args.select.is_empty() {
        None
    } else {
        Some(rule_ids(&args.select, "--select")?)
    };
    let options = CheckOptions {
        as_of,
        lang,
        select,
        ignore: rule_ids(&args.ignore, "--ignore")?,
        overrides: BTreeMap::new(),
    };
    let cwd = std::env::current_dir()
        .map_err(|e| ToolError(format!("cannot read the working directory: {e}")))?;
    let cwd = cwd.canonicalize().unwrap_or(cwd);

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut ci = crate::ci::Run::new(
        args.baseline.as_deref(),
        args.write_baseline.as_deref(),
        args.changed_since.as_deref(),
    )
    .map_err(ToolError)?;
    let first = paths[0].canonicalize().ok();
    let base = crate::ci::path_base(args.path_base.as_deref(), &cwd, first.as_deref())
        .map_err(ToolError)?;
    let mut workspace = Workspace::open_paths(&paths, args.threads).map_err(|e| {
        ToolError(format!(
            "{}: {}",
            report::printable(&e.path.to_string_lossy()),
            io_reason(&e.error)
        ))
    })?;
    for member in workspace.members() {
        let project = member.project();
        let config_errors = crate::rules::config_errors(project);
        if !config_errors.is_empty() {
            let path = project
                .manifest_path
                .clone()
                .unwrap_or_else(|| member.root.join(crate::project::MANIFEST));
            let shown = report::shown_path(&base, &path);
            let lines = crate::text::LineIndex::new(&project.manifest_text);
            let msgs: Vec<String> = config_errors
                .iter()
                .map(|e| {
                    let lc = lines.chars(&project.manifest_text, e.range.start);
                    format!("{shown}:{}:{}: {}", lc.line + 1, lc.col + 1, e.message)
                })
                .collect();
            return Err(ToolError(msgs.join("\n")));
        }
        // A file named on the command line that cannot be read is a path
        // the tool cannot check: exit 2, like a path that does not exist.
        let explicit = member.explicit();
        if let Some(problem) = project.problems.iter().find(|p| explicit.contains(&p.path)) {
            let shown = report::shown_path(&base, &problem.path);
            return Err(ToolError(format!("{shown}: {}", problem.message)));
        }
        for s in &project.skipped {
            eprintln!("{}", report::skipped_note(&base, s));
        }
    }
    let fixing = args.fix || args.diff;
    if args.fix {
        // A `--fix` killed while writing several files: finish it first.
        for member in workspace.members_mut() {
            let recovered = crate::write::recover(&member.root);
            for r in &recovered {
                eprintln!("{}", fix::recovery_note(&base, r, options.lang));
            }
            if !recovered.is_empty() {
                member.reload();
            }
        }
    } else {
        // `check` and `--diff` write nothing, not even to finish a killed
        // `--fix`: they report the files as they are, and say that some
        // may be half-way through a fix.
        for member in workspace.members() {
            for record in crate::write::pending_records(&member.root) {
                let shown = report::shown_path(&base, &record);
                let note = fix::pending_note(&report::printable(&shown), options.lang);
                eprintln!("{note}");
            }
        }
    }
    let mut projects = Vec::new();
    for member in workspace.members() {
        let mut analysis = member.analyse(&options);
        // `--fix` narrows what is left after it, not what it fixes.
        if !fixing {
            ci.narrow(
                &mut analysis,
                member.restricted().then_some(member.explicit()),
            )
            .map_err(ToolError)?;
        }
        projects.push(analysis);
    }

    if fixing {
        return fix::run(&args, &options, workspace, &projects, base, started, ci);
    }
    let (ci, note) = ci.finish(&base, &mut projects).map_err(ToolError)?;

    let report = Report {
        projects: projects
            .iter()
            .map(|a| ProjectReport {
                project: a.project(),
                result: a.result(),
            })
            .collect(),
        base,
        as_of,
        lang,
        elapsed: started.elapsed(),
        secrets: Default::default(),
        ci,
    };
    let worst = report.findings().map(|(_, f)| f.severity).max();
    write_report(&args, &report)?;
    if let Some(note) = note {
        eprintln!("exchange-auth-lint: {note}");
    }
    if args.output.is_some() {
        // Keep people informed when the report goes to a file: one line
        // (the report itself may hold what a CI log must not).
        let mut err = anstream::stderr();
        let _ = report::write_summary(&report, &mut err, std::io::stderr().is_terminal());
    }
    if args.format != Format::Human {
        let scrubber = report.scrubber();
        for p in &report.projects {
            for problem in &p.project.problems {
                eprintln!(
                    "warning: {}: {}",
                    report::printable(&report.display_path(&problem.path)),
                    report::printable(&scrubber.scrub(p.project, &problem.message))
                );
            }
        }
    }
    Ok(match worst {
        Some(s) if args.fail_on.fails(s) => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    })
}

pub fn run_rules(json: bool, lang: Lang) -> i32 {
    use std::fmt::Write as _;
    let as_of = AsOf::today();
    let mut out = String::new();
    if json {
        let list: Vec<serde_json::Value> = RULES
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "name": r.name,
                    "defaultSeverity": r.default_severity,
                    "severityToday": r.severity(as_of),
                    "fixable": r.fixable(),
                    "summary": r.summary_for(lang),
                })
            })
            .collect();
        out = serde_json::to_string_pretty(&list).unwrap_or_default();
        out.push('\n');
    } else {
        let summary = lang.pick("summary", "概要");
        let _ = writeln!(
            out,
            "{:<7} {:<32} {:<8} {:<7} {summary}",
            "id", "name", "severity", "fix"
        );
        for r in RULES {
            let sev = r.severity(as_of).as_str();
            let fix = if r.fixable() { "yes" } else { "-" };
            let _ = writeln!(
                out,
                "{:<7} {:<32} {:<8} {:<7} {}",
                r.id,
                r.name,
                sev,
                fix,
                r.summary_for(lang)
            );
        }
    }
    print_stdout(&out);
    EXIT_CLEAN
}

pub fn run_explain(id: &str, lang: Lang) -> Result<i32, ToolError> {
    let rule = rules::by_id(id).ok_or_else(|| {
        ToolError(crate::tr!(
            lang,
            "unknown rule id `{id}` (see `exchange-auth-lint rules`)",
            "不明なルール ID `{id}` です（`exchange-auth-lint rules` を参照）"
        ))
    })?;
    let as_of = AsOf::today();
    let severity = rule.severity_note(lang);
    let today = rule.severity(as_of);
    let fix = match (rule.fixable(), lang) {
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
        (true, Lang::Ja) => "あり",
        (false, Lang::Ja) => "なし",
    };
    let status = crate::tr!(
        lang,
        "Default severity: {severity}; as of {as_of}: {today}. Fix available: {fix}.",
        "既定の重大度: {severity}。{as_of} 時点の重大度: {today}。自動修正: {fix}。"
    );
    print_stdout(&format!(
        "# {} {}\n\n{}\n\n{status}\n\n{}",
        rule.id,
        rule.name,
        rule.summary_for(lang),
        rule.doc_for(lang)
    ));
    Ok(EXIT_CLEAN)
}

/// Prints without panicking when stdout is closed early (`… | head`).
fn print_stdout(text: &str) {
    let mut lock = std::io::stdout().lock();
    let _ = lock.write_all(text.as_bytes()).and_then(|_| lock.flush());
}
