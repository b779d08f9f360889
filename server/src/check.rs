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
    let (findings, suppressed) = findings(&ctx, options);
    CheckResult {
        findings,
        suppressed,
        facts,
    }
}

/// The findings of every rule that is on, suppressions applied, sorted.
fn findings(ctx: &Context, options: &CheckOptions) -> (Vec<Finding>, usize) {
    let project = ctx.project;
    let mut findings = Vec::new();
    for rule in rules::RULES {
        let Level::On(severity) = options.level(project, rule) else {
            continue;
        };
        let start = findings.len();
        (rule.check)(ctx, &mut findings);
        for f in &mut findings[start..] {
            f.severity = severity;
            // Fixable when the rule offers a fix for this very finding.
            f.fixable = rule
                .fixer
                .is_some_and(|fixer| !(fixer.offers)(ctx, f).is_empty());
        }
    }
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
