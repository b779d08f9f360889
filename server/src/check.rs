//! The rules pass: facts, rules, configuration and suppressions over a
//! loaded project. Front ends do not call it directly: they hold an
//! [`crate::analysis::Analysis`], which runs it once and keeps what it
//! computed (facts included) for every later question.

use crate::diagnostic::{Finding, Level};
use crate::facts::Facts;
use crate::i18n::Lang;
use crate::project::Project;
use crate::rules::{self, Context, Rule, UNUSED_SUPPRESSION};
use crate::suppress;
use crate::timeline::AsOf;
use crate::tr;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub as_of: AsOf,
    pub lang: Lang,
    /// Only these rules (`--select`); `None` = all.
    pub select: Option<Vec<&'static str>>,
    /// Not these rules (`--ignore`).
    pub ignore: Vec<&'static str>,
    /// Levels that win over the project config (editor settings).
    pub overrides: BTreeMap<&'static str, Level>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            as_of: AsOf::today(),
            lang: Lang::En,
            select: None,
            ignore: Vec::new(),
            overrides: BTreeMap::new(),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct CheckResult {
    /// Sorted by file, position and rule.
    pub findings: Vec<Finding>,
    /// How many findings inline comments suppressed.
    pub suppressed: usize,
    /// What the whole project says, as the rules read it (fixes and the
    /// readable reports read it again).
    pub facts: Facts,
    /// What each rule that was on found, before suppressions: kept for
    /// [`check_after_apex_edit`].
    runs: Vec<RuleRun>,
}

/// One rule's findings in one pass, and whether it read any Apex view
/// to make them (its check or its fixer's offers).
#[derive(Clone, Debug)]
struct RuleRun {
    rule: &'static str,
    findings: Vec<Finding>,
    reads_apex: bool,
    /// Taken from the previous result, not run.
    kept: bool,
}

impl CheckResult {
    /// The rules whose findings were kept from the previous result rather
    /// than made again ([`check_after_apex_edit`]).
    pub fn kept_rules(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.runs.iter().filter(|r| r.kept).map(|r| r.rule)
    }
}

impl CheckOptions {
    /// What rules and fixers read under these options.
    pub fn context<'a>(&self, project: &'a Project, facts: &'a Facts) -> Context<'a> {
        Context::new(project, facts, self.as_of, self.lang)
    }

    /// The level of `rule` after selection, config and overrides.
    pub fn level(&self, project: &Project, rule: &Rule) -> Level {
        if self.ignore.contains(&rule.id)
            || self.select.as_ref().is_some_and(|s| !s.contains(&rule.id))
        {
            return Level::Off;
        }
        self.overrides
            .get(rule.id)
            .copied()
            .or_else(|| rules::configured_level(&project.manifest.config, rule))
            .unwrap_or(Level::On(rule.severity(self.as_of)))
    }
}

/// Checks `project`: facts first, then every rule that is on.
pub fn check(project: &Project, options: &CheckOptions) -> CheckResult {
    let facts = Facts::compute(project);
    let ctx = options.context(project, &facts);
    let runs = rules::RULES
        .iter()
        .filter_map(|rule| run(&ctx, options, rule))
        .collect();
    conclude(project, options, facts, runs)
}

/// [`check`] of `project`, given `previous`: the result of the same
/// options on a project that differs from this one only in the text of
/// Apex classes and triggers (the same files, every other file the same).
/// Facts never read Apex, so they are kept; so are the findings of every
/// rule that read no Apex view in `previous` (a rule that reads only what
/// did not change finds what it found). The rules that read Apex run
/// again over the whole project (they carry cross-file evidence: a named
/// credential lists the classes that call it), and suppressions are
/// applied again: the result equals [`check`]'s.
pub fn check_after_apex_edit(
    project: &Project,
    options: &CheckOptions,
    previous: &CheckResult,
) -> CheckResult {
    let facts = previous.facts.clone();
    let ctx = options.context(project, &facts);
    let runs = rules::RULES
        .iter()
        .filter_map(
            |rule| match previous.runs.iter().find(|r| r.rule == rule.id) {
                Some(run) if !run.reads_apex => Some(RuleRun {
                    kept: true,
                    ..run.clone()
                }),
                _ => run(&ctx, options, rule),
            },
        )
        .collect();
    conclude(project, options, facts, runs)
}

/// The result of the rules' runs: suppressions applied, sorted.
fn conclude(
    project: &Project,
    options: &CheckOptions,
    facts: Facts,
    runs: Vec<RuleRun>,
) -> CheckResult {
    let (findings, suppressed) = findings(project, options, &runs);
    CheckResult {
        findings,
        suppressed,
        facts,
        runs,
    }
}

/// One rule's findings, with their level and whether they are fixable;
/// `None` when the rule is off.
fn run(ctx: &Context, options: &CheckOptions, rule: &'static Rule) -> Option<RuleRun> {
    let Level::On(severity) = options.level(ctx.project, rule) else {
        return None;
    };
    let reads = crate::apex::reads();
    let mut findings = Vec::new();
    (rule.check)(ctx, &mut findings);
    for f in &mut findings {
        f.severity = severity;
        cap_related(f, ctx.lang);
        // Fixable when the rule offers a fix for this very finding.
        f.fixable = rule
            .fixer
            .is_some_and(|fixer| !(fixer.offers)(ctx, f).is_empty());
    }
    Some(RuleRun {
        rule: rule.id,
        findings,
        reads_apex: crate::apex::reads() != reads,
        kept: false,
    })
}

/// A finding lists at most this many related places: one class with 500
/// callouts to 50 credentials gave each credential's finding every
/// callout, a 171 MB report that took 1.9 GB to write.
pub const MAX_RELATED: usize = 20;

/// Cuts `f`'s related places to [`MAX_RELATED`], saying in its message
/// how many more there are.
fn cap_related(f: &mut Finding, lang: Lang) {
    if f.related.len() <= MAX_RELATED {
        return;
    }
    let n = f.related.len() - MAX_RELATED;
    f.related.truncate(MAX_RELATED);
    f.message.push_str(&tr!(
        lang,
        " ({n} more related places are not listed.)",
        "（ほかに関連箇所が {n} 件あります。一覧には含めていません。）"
    ));
}

/// The findings of every rule that is on, suppressions applied, sorted.
fn findings(project: &Project, options: &CheckOptions, runs: &[RuleRun]) -> (Vec<Finding>, usize) {
    let mut findings: Vec<Finding> = runs
        .iter()
        .flat_map(|r| r.findings.iter().cloned())
        .collect();
    let suppressed = apply_suppressions(project, options, &mut findings);
    findings.sort_by(|a, b| {
        (
            &project.files[a.file].rel_path,
            a.range.start,
            a.rule,
            &a.message,
        )
            .cmp(&(
                &project.files[b.file].rel_path,
                b.range.start,
                b.rule,
                &b.message,
            ))
    });
    findings.dedup();
    (findings, suppressed)
}

fn apply_suppressions(
    project: &Project,
    options: &CheckOptions,
    findings: &mut Vec<Finding>,
) -> usize {
    let before = findings.len();
    let mut unused = Vec::new();
    let unused_level = options.level(project, &UNUSED_SUPPRESSION);
    for (file_id, file) in project.files.iter().enumerate() {
        for s in suppress::parse(file) {
            for (id, id_range) in &s.ids {
                let rule = rules::by_id(id);
                let mut used = false;
                if let Some(rule) = rule {
                    findings.retain(|f| {
                        let hit = f.file == file_id
                            && f.rule == rule.id
                            && s.scope.as_ref().is_none_or(|scope| {
                                scope.contains(&f.range.start) || scope.start == f.range.start
                            });
                        used |= hit;
                        !hit
                    });
                }
                let enabled = rule.is_some_and(|r| options.level(project, r) != Level::Off);
                let report = match rule {
                    None => true,
                    Some(_) => !used && enabled,
                };
                if report {
                    if let Level::On(severity) = unused_level {
                        let lang = options.lang;
                        let message = match rule {
                            None => tr!(
                                lang,
                                "Unknown rule id in a suppression: `{id}` is not a rule id, so this suppression does nothing.",
                                "抑制コメントに不明なルール ID：`{id}` はルール ID ではないため、この抑制は効果がありません。"
                            ),
                            Some(r) => {
                                let rid = r.id;
                                tr!(
                                    lang,
                                    "Unused suppression: this suppression of {rid} suppresses nothing; remove it.",
                                    "使われていない抑制：この {rid} の抑制は何も抑制していません。削除してください。"
                                )
                            }
                        };
                        unused.push(Finding {
                            rule: UNUSED_SUPPRESSION.id,
                            severity,
                            file: file_id,
                            range: id_range.clone(),
                            message,
                            related: Vec::new(),
                            fixable: false,
                        });
                    }
                }
            }
        }
    }
    let suppressed = before - findings.len();
    findings.extend(unused);
    suppressed
}
