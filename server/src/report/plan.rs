//! What the readable reports (`html`, `markdown`) say, computed once from
//! the findings, the project facts and the timeline: findings grouped by
//! what to do, each with the date it breaks or broke, the seed article's
//! checklist answered for each project, and the summary at the top.
//!
//! Plain data, no formatting: the writers only lay it out. Every text that
//! may quote file content is masked here (messages through the report's
//! [`Scrubber`](super::Scrubber), excerpts from the file's masked copy).

use super::{human_position, Excerpt, Report};
use crate::diagnostic::{Finding, Severity};
use crate::facts::{Known, MailSystem};
use crate::i18n::Lang;
use crate::metadata::{EmailIntegrationSettings, MetadataKind};
use crate::project::config::{Exchange, LsConnection};
use crate::project::Project;
use crate::redact::Redacted;
use crate::rules::{self, Context, Rule};
use crate::timeline::{self, AsOf, Event};
use crate::tr;

/// What a finding asks of people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Change files of the repository (by `check --fix` or by hand).
    Repository,
    /// Lightning Sync and EAC live in Setup only: no file records them.
    Setup,
    /// EWS to Microsoft Graph: SOAP/XML to REST/JSON, code to rewrite.
    Rewrite,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Repository, Action::Setup, Action::Rewrite];

    /// Where a finding belongs. Lightning Sync and EAC findings are done in
    /// Setup; EWS and basic authentication sent from Apex mean rewriting
    /// the integration for Graph; everything else is a change of files.
    pub fn of(project: &Project, finding: &Finding) -> Action {
        let path = &project.files[finding.file].rel_path;
        let apex = path.ends_with(".cls") || path.ends_with(".trigger");
        match finding.rule {
            "LS001" | "LS002" | "LS003" | "LS004" | "EAC001" => Action::Setup,
            "EXO002" => Action::Rewrite,
            "EXO001" if apex => Action::Rewrite,
            _ => Action::Repository,
        }
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Action::Repository => lang.pick("Fix in the repository", "リポジトリで修正する"),
            Action::Setup => lang.pick("Do in Setup", "Salesforce の [設定] で行う"),
            Action::Rewrite => lang.pick("Rewrite the integration", "連携を作り直す"),
        }
    }

    /// One sentence under the group's heading.
    pub fn intro(self, lang: Lang) -> &'static str {
        match self {
            Action::Repository => lang.pick(
                "Changes to the project's files. Where a fix is listed, `exchange-auth-lint check --fix` applies it; review the change, deploy it, then do what its note says.",
                "プロジェクトのファイルを変更します。修正が示されているものは `exchange-auth-lint check --fix` で適用できます。変更内容を確認してからデプロイし、注記にある作業を行ってください。",
            ),
            Action::Setup => lang.pick(
                "Lightning Sync and Einstein Activity Capture are configured in Setup only: no metadata records the connection method, so an administrator does these steps in the org.",
                "Lightning Sync と Einstein 活動キャプチャの設定は [設定] 画面にしかなく、接続方法はメタデータに記録されません。システム管理者が組織で次の作業を行ってください。",
            ),
            Action::Rewrite => lang.pick(
                "Exchange Web Services (SOAP/XML) to Microsoft Graph (REST/JSON) is a rewrite, not a URL change: the callouts, their payloads and item ids change.",
                "Exchange Web Services（SOAP/XML）から Microsoft Graph（REST/JSON）への移行は URL の変更では済まず、作り直しになります。コールアウト、送受信するデータ、アイテム ID がすべて変わります。",
            ),
        }
    }
}

/// The date a rule's finding breaks or broke ([`Rule::breaks_on`]).
pub fn breaks_on(rule: &str) -> Option<&'static Event> {
    rules::by_id(rule).and_then(|r| r.breaks_on)
}

/// Two events are the same when they say the same thing on the same day.
pub fn same_event(a: &Event, b: &Event) -> bool {
    a.date == b.date && a.what_en == b.what_en
}

/// The fix `check --fix` applies for a finding, with what is left to do.
pub struct FixAdvice {
    pub title: String,
    /// What remains to do by hand (Setup steps, values to fill in).
    pub note: Option<String>,
    /// Why the fix cannot be applied to this project, when it cannot.
    pub refused: Option<String>,
}

/// A place of evidence, shown as `path:line:col` and a sentence.
pub struct Place {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// One finding as the readable reports show it.
pub struct Item<'a> {
    /// `f1`, `f2`…: the finding's anchor in the page.
    pub anchor: String,
    pub rule: &'static Rule,
    pub severity: Severity,
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// Masked.
    pub message: String,
    /// Masked.
    pub excerpt: Excerpt,
    pub related: Vec<Place>,
    pub action: Action,
    pub breaks_on: Option<&'static Event>,
    pub fix: Option<FixAdvice>,
    pub project: &'a Project,
}

impl Item<'_> {
    /// Whether the date it breaks on has come (or it has none: due now).
    pub fn broken(&self, as_of: AsOf) -> bool {
        self.breaks_on.is_none_or(|e| as_of.reached(e))
    }
}

/// How an answer of the checklist is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// Written in `sfdx-project.json` by the team.
    Declared,
    /// Read from the project's metadata (the evidence says where).
    Inferred,
    /// Nothing in the project says: declare it.
    Unknown,
}

impl Basis {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Basis::Declared => lang.pick("declared", "宣言済み"),
            Basis::Inferred => lang.pick("inferred", "推定"),
            Basis::Unknown => lang.pick("unknown", "不明"),
        }
    }
}

/// One question of the seed article's checklist, answered.
pub struct Answer {
    pub question: String,
    pub answer: String,
    pub basis: Basis,
    pub evidence: Vec<Place>,
    /// What to write in `sfdx-project.json` (`plugins.exchangeAuthLint`)
    /// when the answer is unknown: the key and its possible values.
    pub declare: Option<(&'static str, Vec<&'static str>)>,
}

/// The column headings of a checklist table.
pub fn checklist_headings(lang: Lang) -> [&'static str; 3] {
    [
        lang.pick("Question", "確認事項"),
        lang.pick("Answer", "回答"),
        lang.pick("How it is known", "根拠"),
    ]
}

/// The checklist of one project.
pub struct Checklist<'a> {
    pub project: &'a Project,
    /// The project's folder, as paths are shown.
    pub name: String,
    pub answers: Vec<Answer>,
}

pub struct Plan<'a> {
    pub as_of: AsOf,
    pub lang: Lang,
    /// In the report's order (project, file, position, rule).
    pub items: Vec<Item<'a>>,
    pub checklists: Vec<Checklist<'a>>,
    /// The events the timeline shows, in date order.
    pub events: Vec<&'static Event>,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files_checked: usize,
    pub suppressed: usize,
    /// Load problems: (path, masked message).
    pub problems: Vec<(String, String)>,
}

/// Events always worth showing to an org that talks to Exchange: the
/// seed article's date and what has happened since to its alternatives.
const CORE_EVENTS: [&Event; 6] = [
    &timeline::BASIC_AUTH_BLOCKED,
    &timeline::EAC_SERVICE_ACCOUNT_RETIRED,
    &timeline::LS_EXO_MOVE_DEADLINE,
    &timeline::EWS_BLOCKED_BY_DEFAULT,
    &timeline::EWS_SHUTDOWN,
    &timeline::LIGHTNING_SYNC_RETIRED,
];

impl<'a> Plan<'a> {
    pub fn new(report: &'a Report<'a>) -> Plan<'a> {
        let lang = report.lang;
        let scrubber = report.scrubber();
        let mut items = Vec::new();
        let mut checklists = Vec::new();
        let mut on_premises = false;
        for p in &report.projects {
            let project = p.project;
            // The facts the check computed: not computed again.
            let ctx = Context::new(project, &p.result.facts, report.as_of, lang);
            let mut redacted: Vec<Option<Redacted>> =
                (0..project.files.len()).map(|_| None).collect();
            let place = |file: usize, offset: usize, message: &str| {
                let f = &project.files[file];
                let (line, column) = human_position(f, offset);
                Place {
                    path: report.display_path(&f.path),
                    line,
                    column,
                    message: scrubber.scrub(project, message),
                }
            };
            for f in &p.result.findings {
                let file = &project.files[f.file];
                let red = redacted[f.file].get_or_insert_with(|| scrubber.redacted(project, file));
                let excerpt = Excerpt::of(file, red, f.range.clone());
                let head = place(f.file, f.range.start, &f.message);
                let fix = f
                    .fixable
                    .then(|| crate::fix::preferred_for(&ctx, f))
                    .flatten();
                let fix = fix.map(|r| match r {
                    Ok(fix) => FixAdvice {
                        title: scrubber.scrub(project, &fix.title),
                        note: fix.note.map(|n| scrubber.scrub(project, &n)),
                        refused: None,
                    },
                    Err(refusal) => FixAdvice {
                        title: scrubber.scrub(project, &refusal.title),
                        note: None,
                        refused: Some(scrubber.scrub(project, &refusal.reason)),
                    },
                });
                items.push(Item {
                    anchor: format!("f{}", items.len() + 1),
                    rule: rules::by_id(f.rule).unwrap_or(&rules::UNUSED_SUPPRESSION),
                    severity: f.severity,
                    path: head.path,
                    line: head.line,
                    column: head.column,
                    message: head.message,
                    excerpt,
                    related: f
                        .related
                        .iter()
                        .map(|r| place(r.file, r.range.start, &r.message))
                        .collect(),
                    action: Action::of(project, f),
                    breaks_on: breaks_on(f.rule),
                    fix,
                    project,
                });
            }
            on_premises |= ctx
                .facts
                .exchange
                .as_ref()
                .is_some_and(|e| e.value() == Exchange::OnPremises);
            checklists.push(Checklist {
                project,
                name: report.display_path(&project.root),
                answers: answers(&ctx, report, &scrubber),
            });
        }

        let mut events: Vec<&'static Event> = Vec::new();
        for event in timeline::ALL {
            let core = CORE_EVENTS.iter().any(|c| same_event(c, event));
            let due = items
                .iter()
                .any(|i| i.breaks_on.is_some_and(|b| same_event(b, event)));
            let on_prem = on_premises
                && (same_event(event, &timeline::EXCHANGE_2013_EOS)
                    || same_event(event, &timeline::EXCHANGE_2016_2019_EOS));
            if core || due || on_prem {
                events.push(event);
            }
        }
        let problems = report
            .projects
            .iter()
            .flat_map(|p| {
                let scrubber = &scrubber;
                p.project.problems.iter().map(move |problem| {
                    (
                        report.display_path(&problem.path),
                        scrubber.scrub(p.project, &problem.message),
                    )
                })
            })
            .collect();
        Plan {
            as_of: report.as_of,
            lang,
            events,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            files_checked: report.files_checked(),
            suppressed: report.projects.iter().map(|p| p.result.suppressed).sum(),
            problems,
            items,
            checklists,
        }
    }

    pub fn group(&self, action: Action) -> impl Iterator<Item = &Item<'a>> {
        self.items.iter().filter(move |i| i.action == action)
    }

    /// The first date still to come among the findings' dates, and the
    /// findings due on it.
    pub fn next_deadline(&self) -> Option<(&'static Event, Vec<&Item<'a>>)> {
        let event = self
            .items
            .iter()
            .filter_map(|i| i.breaks_on)
            .filter(|e| !self.as_of.reached(e))
            .min_by_key(|e| e.date)?;
        let due = self
            .items
            .iter()
            .filter(|i| i.breaks_on.is_some_and(|b| b.date == event.date))
            .collect();
        Some((event, due))
    }

    /// Findings whose date has passed (or that have none): what does not
    /// work, or is exposed, now.
    pub fn broken(&self) -> usize {
        self.items.iter().filter(|i| i.broken(self.as_of)).count()
    }

    /// The one thing to do first: the most severe finding, and among those
    /// the one due earliest (a finding without a date is due now).
    pub fn first(&self) -> Option<&Item<'a>> {
        self.items.iter().min_by_key(|i| {
            (
                std::cmp::Reverse(i.severity),
                i.breaks_on.map(|e| e.date),
                i.action,
            )
        })
    }

    /// Days from the as-of date to `event` (negative once it has passed).
    pub fn days_to(&self, event: &Event) -> i64 {
        days_between(self.as_of.0, event.date)
    }
}

/// Whole days from `a` to `b`.
pub fn days_between(a: jiff::civil::Date, b: jiff::civil::Date) -> i64 {
    a.until(b).map_or(0, |span| i64::from(span.get_days()))
}

/// "passed on …" / "in N days", for a date of the timeline.
pub fn relative(as_of: AsOf, event: &Event, lang: Lang) -> String {
    let days = days_between(as_of.0, event.date);
    let when = event.when(lang);
    if as_of.reached(event) {
        tr!(lang, "since {when}", "{when}以降")
    } else if days == 1 {
        tr!(lang, "{when}, tomorrow", "{when}（明日）")
    } else {
        tr!(lang, "{when}, in {days} days", "{when}（あと {days} 日）")
    }
}

/// The seed article's checklist (DOMAIN.md, "The problem in one
/// paragraph"), answered from the project's facts.
fn answers(ctx: &Context, report: &Report<'_>, scrubber: &super::Scrubber<'_>) -> Vec<Answer> {
    let lang = ctx.lang;
    let project = ctx.project;
    let facts = ctx.facts;
    let place = |file: usize, offset: usize, message: String| {
        let f = &project.files[file];
        let (line, column) = human_position(f, offset);
        Place {
            path: report.display_path(&f.path),
            line,
            column,
            message: scrubber.scrub(project, &message),
        }
    };
    let from_related = |related: Vec<crate::diagnostic::Related>| -> Vec<Place> {
        related
            .into_iter()
            .map(|r| place(r.file, r.range.start, r.message))
            .collect()
    };
    let mut out = Vec::new();

    // 0. Which mail system: Outlook / Exchange, Gmail, both (the
    // `EmailIntegrationSettings` flags and the Microsoft endpoints).
    out.push(mail_system_answer(ctx, &place));

    // 1. Which Microsoft mail service.
    let google_only = facts.mail_system() == MailSystem::GoogleOnly;
    let (answer, basis, evidence) = match &facts.exchange {
        Some(known) => {
            let text = match known.value() {
                Exchange::Online(cloud) => {
                    let cloud = cloud.display();
                    tr!(
                    lang,
                    "{cloud} (Microsoft 365): affected by the end of basic authentication and of EWS",
                    "{cloud}（Microsoft 365）: 基本認証と EWS の終了の影響を受けます"
                )
                }
                Exchange::OnPremises => lang
                    .pick(
                        "Exchange Server on premises: not affected by the end of basic authentication in Exchange Online, but Lightning Sync retires in April 2027 for everyone",
                        "オンプレミスの Exchange Server: Exchange Online の基本認証終了の影響は受けませんが、Lightning Sync は 2027年4月にすべての組織で廃止されます",
                    )
                    .to_owned(),
                Exchange::NotExchange => lang
                    .pick(
                        "not on Exchange (Google Workspace): no Exchange change applies to mail and calendar sync",
                        "Exchange ではありません（Google Workspace）: メールとカレンダーの同期に Exchange の変更は影響しません",
                    )
                    .to_owned(),
            };
            let basis = match known {
                Known::Declared(_) => Basis::Declared,
                Known::Inferred(..) => Basis::Inferred,
            };
            (text, basis, from_related(ctx.related(known.evidence())))
        }
        None if google_only => (
            lang.pick(
                "Not applicable: the project says the org's mail is Gmail only.",
                "該当しません（プロジェクトからは Gmail のみを使っていると判断できます）。",
            )
            .to_owned(),
            Basis::Inferred,
            Vec::new(),
        ),
        None => (
            lang.pick(
                "Not known from the project: no credential or remote site points at an Exchange host.",
                "プロジェクトからは分かりません（Exchange のホストを指すログイン情報やリモートサイトがありません）。",
            )
            .to_owned(),
            Basis::Unknown,
            Vec::new(),
        ),
    };
    out.push(Answer {
        question: lang
            .pick(
                "Which Microsoft mail service does the org use (Exchange Online, or Exchange Server 2019/2016/2013 on premises)?",
                "使用している Microsoft のメールサービスはどれですか（Exchange Online か、オンプレミスの Exchange Server 2019/2016/2013 か）",
            )
            .to_owned(),
        answer,
        // Where Exchange lives matters once contacts and events sync.
        declare: (basis == Basis::Unknown && !facts.sync_on.is_empty())
            .then(|| ("exchange", Exchange::VALUES.to_vec())),
        basis,
        evidence,
    });

    // 2. Is contact and event sync on, and on which product.
    let eac_files: Vec<usize> = project
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == MetadataKind::EacSettings)
        .map(|(id, _)| id)
        .collect();
    let mut sync_evidence: Vec<Place> = facts
        .sync_on
        .iter()
        .map(|loc| {
            place(
                loc.file,
                loc.range.start,
                lang.pick(
                    "contact and event sync is on",
                    "取引先責任者と行動の同期が有効",
                )
                .to_owned(),
            )
        })
        .collect();
    sync_evidence.extend(facts.eac_on.iter().map(|loc| {
        place(
            loc.file,
            loc.range.start,
            lang.pick(
                "Einstein Activity Capture is on",
                "Einstein 活動キャプチャが有効",
            )
            .to_owned(),
        )
    }));
    let (answer, basis) = if facts.sync_on.is_empty() {
        (
            lang.pick(
                "No: the project does not turn on contact and event sync (enableContactAndEventSync).",
                "いいえ: プロジェクトでは取引先責任者と行動の同期（enableContactAndEventSync）が有効になっていません。",
            ),
            Basis::Inferred,
        )
    } else if !facts.eac_on.is_empty() {
        (
            lang.pick(
                "Yes, with Einstein Activity Capture.",
                "はい。Einstein 活動キャプチャで同期しています。",
            ),
            Basis::Inferred,
        )
    } else if eac_files.is_empty() {
        (
            lang.pick(
                "Sync is on; the project has no Einstein Activity Capture settings, so whether it runs on Lightning Sync or EAC is not known. The findings assume Lightning Sync.",
                "同期は有効ですが、プロジェクトに Einstein 活動キャプチャの設定がないため、Lightning Sync と EAC のどちらで同期しているかは分かりません。指摘は Lightning Sync を前提にしています。",
            ),
            Basis::Unknown,
        )
    } else {
        (
            lang.pick(
                "Yes, with Lightning Sync (Einstein Activity Capture is off).",
                "はい。Lightning Sync で同期しています（Einstein 活動キャプチャは無効）。",
            ),
            Basis::Inferred,
        )
    };
    out.push(Answer {
        question: lang
            .pick(
                "Does the org sync contacts and events with Exchange, with Lightning Sync or Einstein Activity Capture?",
                "取引先責任者と行動を Exchange と同期していますか。Lightning Sync と Einstein 活動キャプチャのどちらを使っていますか",
            )
            .to_owned(),
        answer: answer.to_owned(),
        basis,
        evidence: sync_evidence,
        declare: None,
    });

    // 3. Lightning Sync's connection method.
    let setup_path = lang.pick(
        "Setup → Email → Outlook Integration and Sync → Lightning Sync → \"Sync contacts or events or both between Microsoft Exchange and Salesforce\"",
        "[設定] > [メール] > [Outlook インテグレーションおよび同期] > [Lightning Sync] > [取引先責任者または行動あるいはその両方を Microsoft Exchange と Salesforce 間で同期する]",
    );
    let (answer, basis, evidence) = match &facts.ls_connection {
        Some(known) => {
            let method = match known.value() {
                LsConnection::ServiceAccount => lang.pick(
                    "Service account (a shared user name and password: basic authentication).",
                    "サービスアカウント（共有のユーザー名とパスワードによる基本認証）。",
                ),
                LsConnection::OAuth2 => lang.pick(
                    "OAuth 2.0 (it still reads mail over EWS).",
                    "OAuth 2.0（メールの読み取りには今も EWS を使います）。",
                ),
            };
            let basis = match known {
                Known::Declared(_) => Basis::Declared,
                Known::Inferred(..) => Basis::Inferred,
            };
            (
                method.to_owned(),
                basis,
                from_related(ctx.related(known.evidence())),
            )
        }
        None => (
            tr!(
                lang,
                "Not known from the project: no metadata records it. Look it up in {setup_path}.",
                "プロジェクトからは分かりません（メタデータには記録されません）。{setup_path} で確認してください。"
            ),
            Basis::Unknown,
            Vec::new(),
        ),
    };
    let relevant = !facts.sync_on.is_empty() && facts.eac_on.is_empty();
    let service_account = facts
        .ls_connection
        .as_ref()
        .is_some_and(|c| c.value() == LsConnection::ServiceAccount);
    out.push(Answer {
        question: lang
            .pick(
                "Which connection method does Lightning Sync use?",
                "Lightning Sync の現在の接続方法は何ですか",
            )
            .to_owned(),
        answer: if relevant || basis != Basis::Unknown {
            answer
        } else {
            lang.pick(
                "Not applicable: Lightning Sync is not in use according to the project.",
                "該当しません（プロジェクトからは Lightning Sync を使っていないと判断できます）。",
            )
            .to_owned()
        },
        declare: (relevant && basis == Basis::Unknown)
            .then(|| ("lightningSyncConnection", LsConnection::VALUES.to_vec())),
        basis,
        evidence,
    });

    // 4. The plan: the alternatives that still work on the as-of date.
    let alternatives = rules::lightning_sync::alternatives(ctx.as_of, lang);
    let answer = if relevant && service_account {
        tr!(
            lang,
            "The service account is in use: see the LS001 finding. {alternatives}",
            "サービスアカウントを使用しています。LS001 の指摘を確認してください。{alternatives}"
        )
    } else if relevant {
        alternatives
    } else {
        lang.pick(
            "Nothing to plan for Lightning Sync. The integrations listed below still need their own changes.",
            "Lightning Sync について計画することはありません。下に挙げた連携は、それぞれ変更が必要です。",
        )
        .to_owned()
    };
    out.push(Answer {
        question: lang
            .pick(
                "If it is the service account, which alternative does the org move to?",
                "接続方法が「サービスアカウント」の場合、どの代替案に移行しますか",
            )
            .to_owned(),
        answer,
        basis: if relevant && !service_account {
            Basis::Unknown
        } else {
            Basis::Inferred
        },
        evidence: Vec::new(),
        declare: None,
    });
    out
}

/// The answer to "which mail system": from `enableOutlookIntegration`,
/// `enableGmailIntegration` (and the other Outlook flags) of
/// `EmailIntegrationSettings`, and the Microsoft endpoints.
fn mail_system_answer(ctx: &Context, place: &dyn Fn(usize, usize, String) -> Place) -> Answer {
    let lang = ctx.lang;
    let project = ctx.project;
    let facts = ctx.facts;
    let mut evidence = Vec::new();
    let mut settings = false;
    for (id, file) in project.files.iter().enumerate() {
        let Some(s) = EmailIntegrationSettings::of(file) else {
            continue;
        };
        settings = true;
        let flags = [
            (
                s.enable_outlook_integration(),
                ("Outlook integration is on", "Outlook 連携が有効"),
                ("Outlook integration is off", "Outlook 連携が無効"),
            ),
            (
                s.enable_inbox_use_graph_api(),
                (
                    "Inbox uses Microsoft Graph",
                    "受信トレイが Microsoft Graph を使用",
                ),
                ("", ""),
            ),
            (
                s.enable_engage_for_outlook(),
                ("Engage for Outlook is on", "Outlook 向け Engage が有効"),
                ("", ""),
            ),
            (
                s.enable_gmail_integration(),
                ("Gmail integration is on", "Gmail 連携が有効"),
                ("Gmail integration is off", "Gmail 連携が無効"),
            ),
        ];
        for (field, on, off) in flags {
            let Some(f) = field else { continue };
            let (en, ja) = if f.is_true() { on } else { off };
            if !en.is_empty() {
                evidence.push(place(id, f.range.start, lang.pick(en, ja).to_owned()));
            }
        }
    }
    let declared = matches!(facts.exchange, Some(Known::Declared(_)));
    let (answer, basis) = match facts.mail_system() {
        MailSystem::Microsoft if settings => (
            lang.pick(
                "Outlook / Exchange (Gmail integration is not on).",
                "Outlook / Exchange（Gmail 連携は有効ではありません）。",
            ),
            Basis::Inferred,
        ),
        MailSystem::Microsoft => (
            lang.pick(
                "Outlook / Exchange: the project's credentials or remote sites point at Microsoft (it has no EmailIntegrationSettings).",
                "Outlook / Exchange: プロジェクトのログイン情報またはリモートサイトが Microsoft を指しています（EmailIntegrationSettings はありません）。",
            ),
            Basis::Inferred,
        ),
        MailSystem::GoogleOnly => (
            lang.pick(
                "Gmail only (Google Workspace): nothing points at Microsoft, so no Exchange change applies to mail and calendar sync.",
                "Gmail のみ（Google Workspace）: Microsoft を指すものがないため、メールとカレンダーの同期に Exchange の変更は影響しません。",
            ),
            Basis::Inferred,
        ),
        MailSystem::Both => (
            lang.pick(
                "Both Gmail and Outlook / Exchange: check which one Lightning Sync syncs with.",
                "Gmail と Outlook / Exchange の両方: Lightning Sync の同期先がどちらかを確認してください。",
            ),
            Basis::Inferred,
        ),
        MailSystem::Unknown => (
            if settings {
                lang.pick(
                    "Not known from the project: neither Outlook nor Gmail integration is on, and nothing points at Microsoft.",
                    "プロジェクトからは分かりません（Outlook 連携も Gmail 連携も有効ではなく、Microsoft を指すものもありません）。",
                )
            } else {
                lang.pick(
                    "Not known from the project: it has no EmailIntegrationSettings and nothing points at Microsoft.",
                    "プロジェクトからは分かりません（EmailIntegrationSettings がなく、Microsoft を指すものもありません）。",
                )
            },
            Basis::Unknown,
        ),
    };
    Answer {
        question: lang
            .pick(
                "Which mail system does the org use: Outlook / Exchange, Gmail, or both?",
                "組織が使っているメールシステムはどれですか（Outlook / Exchange、Gmail、またはその両方）",
            )
            .to_owned(),
        answer: answer.to_owned(),
        // `exchange` in sfdx-project.json says it for the team.
        basis: if declared { Basis::Declared } else { basis },
        evidence,
        declare: None,
    }
}

/// The rule's reference page, at its section in `lang`.
pub fn doc_link(rule: &Rule, lang: Lang) -> String {
    match lang {
        Lang::En => rule.doc_url(),
        Lang::Ja => format!("{}#ja", rule.doc_url()),
    }
}
