//! Command-line parsing only; the commands live in the library.

use clap::{Parser, Subcommand};
use exchange_auth_lint::cli::{self, CheckArgs, FailOn, EXIT_TOOL_ERROR};
use exchange_auth_lint::i18n::Lang;
use exchange_auth_lint::report::Format;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "exchange-auth-lint",
    version,
    about = "Find Salesforce ↔ Microsoft Exchange configurations that still use basic authentication, in SFDX projects"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    En,
    Ja,
}

// Parsed once per process: the size of `Check` does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Check SFDX projects (or metadata API folders) and report findings.
    Check {
        /// Files or folders; the project around each is found by its
        /// sfdx-project.json. Default: the current folder.
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Write the report to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Exit 1 when a finding has at least this severity.
        #[arg(long, value_enum, default_value = "error")]
        fail_on: FailOn,
        /// Give advice as of this date (YYYY-MM-DD). Default: today (UTC).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Run only these rules (comma-separated ids).
        #[arg(long, value_delimiter = ',', value_name = "IDS")]
        select: Vec<String>,
        /// Do not run these rules (comma-separated ids).
        #[arg(long, value_delimiter = ',', value_name = "IDS")]
        ignore: Vec<String>,
        /// Language of messages. Default: from LC_ALL / LC_MESSAGES / LANG.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// Worker threads (0 = one per core; at most 256).
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=256))]
        threads: u16,
        /// Apply each finding's preferred fix (files are rewritten
        /// atomically), then report what is left.
        #[arg(long, conflicts_with = "diff")]
        fix: bool,
        /// Print the preferred fixes as a unified diff (for `git apply` or
        /// `patch -p1` in the project root) without writing; exit 1 when
        /// there is something to fix.
        #[arg(long)]
        diff: bool,
        /// Report paths relative to this folder. Default: the root of the
        /// git work tree (run from inside one), else the working directory.
        #[arg(long, value_name = "DIR")]
        path_base: Option<PathBuf>,
        /// Hide the findings recorded in this baseline file; fail (per
        /// --fail-on) on new ones only; report entries no longer found as
        /// fixed. See docs/ci.md.
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
        /// Record the current findings in this baseline file (atomically),
        /// dropping fixed ones; then exit 0 unless the tool could not run.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
        write_baseline: Option<PathBuf>,
        /// Report only findings in files changed (committed, staged,
        /// unstaged or untracked) since the merge base of REF and HEAD; the
        /// whole project is still read for its facts. Needs git history.
        #[arg(long, value_name = "REF", conflicts_with_all = ["fix", "diff"])]
        changed_since: Option<String>,
    },
    /// List the rules.
    Rules {
        #[arg(long)]
        json: bool,
        /// Language of the summaries. Default: from LC_ALL / LC_MESSAGES / LANG.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Run the language server (LSP over standard input/output).
    Server {
        /// Accepted for clients that pass it (vscode-languageclient); stdio
        /// is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Print a rule's documentation.
    Explain {
        /// Rule id (EXO001) or name (exchange-basic-auth).
        rule: String,
        /// Language of the documentation. Default: from LC_ALL / LC_MESSAGES / LANG.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
}

impl LangArg {
    fn lang(self) -> Lang {
        match self {
            LangArg::En => Lang::En,
            LangArg::Ja => Lang::Ja,
        }
    }
}

/// `--lang`, else the locale.
fn lang_or_env(lang: Option<LangArg>) -> Lang {
    lang.map_or_else(Lang::from_env, LangArg::lang)
}

fn main() {
    // A write past the file size limit (RLIMIT_FSIZE) raises SIGXFSZ, which
    // kills the process by default; ignored, the write fails with EFBIG and
    // `--fix` reports the file as not fixed like any other write error.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN before any thread
    // starts; no handler runs.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            paths,
            format,
            output,
            fail_on,
            as_of,
            select,
            ignore,
            lang,
            threads,
            fix,
            diff,
            path_base,
            baseline,
            write_baseline,
            changed_since,
        } => cli::run_check(CheckArgs {
            paths,
            format,
            output,
            fail_on,
            as_of,
            select,
            ignore,
            lang: lang.map(|l| match l {
                LangArg::En => Lang::En,
                LangArg::Ja => Lang::Ja,
            }),
            threads: usize::from(threads),
            fix,
            diff,
            path_base,
            baseline,
            write_baseline,
            changed_since,
        }),
        Command::Rules { json, lang } => Ok(cli::run_rules(json, lang_or_env(lang))),
        Command::Explain { rule, lang } => cli::run_explain(&rule, lang_or_env(lang)),
        Command::Server { stdio: _ } => exchange_auth_lint::lsp::run_stdio()
            .map(|stop| {
                eprintln!("exchange-auth-lint: language server {}", stop.describe());
                stop.exit_code()
            })
            .map_err(|err| cli::ToolError(format!("language server: {err}"))),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(cli::ToolError(message)) => {
            // One line, whatever the message quotes (a key or path from
            // the project may hold newlines or escapes: no CI command).
            let message = exchange_auth_lint::text::printable(&message);
            eprintln!("exchange-auth-lint: {message}");
            std::process::exit(EXIT_TOOL_ERROR);
        }
    }
}
