//! Code actions, engine side: what to change, in byte offsets. The
//! protocol layer turns a [`ProposedFix`] into a `WorkspaceEdit`.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::fix::suppression::SUPPRESS_ID;
use crate::fix::{self, FileChange};

/// The command a fix's code action runs after its edit: shows the fix's
/// note (what remains to do in Setup).
pub const SHOW_NOTE_COMMAND: &str = "exchangeAuthLint.showFixNote";

/// The command of a fix that creates files, for clients that cannot
/// create files through an edit: the server creates them, then has the
/// client apply the rest (`workspace/applyEdit`). Argument: the action's key.
pub const APPLY_FIX_COMMAND: &str = "exchangeAuthLint.applyFix";

/// The server command that opens a rule's reference page
/// (`window/showDocument`, else a message with the link). Argument: the
/// rule id.
pub const SHOW_DOCS_COMMAND: &str = "exchangeAuthLint.showDocumentation";

/// The code action kind of "fix everything fixable in this file".
pub const FIX_ALL_KIND: &str = "source.fixAll.exchange-auth-lint";

/// The kind fix-all had first: still answered when a client asks for it
/// by name (`editor.codeActionsOnSave` settings written for it), no longer
/// advertised.
pub const LEGACY_FIX_ALL_KIND: &str = "source.fixAll.exchangeAuthLint";

/// The title of fix-all.
pub fn fix_all_title(lang: crate::i18n::Lang) -> String {
    lang.pick(
        "Fix all exchange-auth-lint problems in this file",
        "このファイルの exchange-auth-lint の問題をすべて修正",
    )
    .to_owned()
}

/// One action the user can pick for a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposedFix {
    pub title: String,
    /// The finding it fixes (rule and start of its range).
    pub rule: &'static str,
    pub finding_start: usize,
    /// The rule's fix id (`None` for the suppression).
    pub fix_id: Option<String>,
    pub preferred: bool,
    /// What remains to do by hand once applied (Setup steps…).
    pub note: Option<String>,
    pub changes: Vec<FileChange>,
}

impl ProposedFix {
    pub fn creates_files(&self) -> bool {
        self.changes
            .iter()
            .any(|c| matches!(c, FileChange::Create { .. }))
    }
}

/// Every action for `finding`: the rule's fixes first, then the
/// suppressions (this element, this file). With `lazy`, rule fixes come without their changes (only
/// title and id: cheap); [`resolve_fix`] computes them later.
pub fn actions_for(analysis: &Analysis, finding: &Finding, lazy: bool) -> Vec<ProposedFix> {
    let mut out: Vec<ProposedFix> = if lazy {
        analysis
            .offers(finding)
            .into_iter()
            .map(|offer| ProposedFix {
                title: offer.title,
                rule: finding.rule,
                finding_start: finding.range.start,
                fix_id: Some(offer.id),
                preferred: offer.preferred,
                note: None,
                changes: Vec::new(),
            })
            .collect()
    } else {
        analysis
            .fixes(finding)
            .0
            .into_iter()
            .map(|f| proposed(finding, f))
            .collect()
    };
    out.extend(suppressions(analysis, finding).map(|f| proposed(finding, f)));
    out
}

/// The comments that suppress `finding`: for its element, for its file.
fn suppressions(analysis: &Analysis, finding: &Finding) -> impl Iterator<Item = fix::Fix> {
    [
        analysis.suppression(finding),
        analysis.file_suppression(finding),
    ]
    .into_iter()
    .flatten()
}

/// The action titled `title` for `finding`, with its changes.
pub fn resolve_fix(
    analysis: &Analysis,
    finding: &Finding,
    fix_id: Option<&str>,
    title: &str,
) -> Option<ProposedFix> {
    let fix = match fix_id {
        Some(id) => {
            let offer = analysis
                .offers(finding)
                .into_iter()
                .find(|o| o.id == id && o.title == title)?;
            analysis.resolve(finding, &offer).ok()?
        }
        None => suppressions(analysis, finding).find(|d| d.title == title)?,
    };
    Some(proposed(finding, fix))
}

/// The fix engine's fix as an action: one seam between the two.
fn proposed(finding: &Finding, f: fix::Fix) -> ProposedFix {
    ProposedFix {
        title: f.title,
        rule: finding.rule,
        finding_start: finding.range.start,
        fix_id: (f.id != SUPPRESS_ID).then_some(f.id),
        preferred: f.preferred,
        note: f.note,
        changes: f.edit.changes,
    }
}
