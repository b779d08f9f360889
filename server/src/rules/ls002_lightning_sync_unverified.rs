use super::lightning_sync::{eac_hint, sync_engine, sync_findings};
use super::rule::Fixer;
use super::rule::{headed, Context, Rule};
use super::support;
use crate::diagnostic::{Finding, Severity};
use crate::domain::{Exchange, LsConnection};
use crate::edit::json_edit::set_plugin_strings;
use crate::edit::{Draft, FileChange, Offer};
use crate::facts::{Known, MailSystem};
use crate::i18n::Lang;
use crate::timeline;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "LS002",
    name: "lightning-sync-unverified",
    default_severity: Severity::Warning,
    escalation: None,
    breaks_on: Some(&timeline::LIGHTNING_SYNC_RETIRED),
    fixer: Some(&FIXER),
    summary: "Lightning Sync is on, but the project does not say which Exchange or connection method it uses",
    doc: r#"## What it does
Reports contact and event sync that runs on Lightning Sync (sync on, Einstein
Activity Capture off) when the project cannot tell where the mailboxes are
(Exchange Online or on-premises) or how Lightning Sync connects (service
account or OAuth 2.0). Neither is recorded by any metadata type: they are
Setup-only, so the rule asks you to answer the seed article's checklist once
and record the answers in `sfdx-project.json`.

When `EmailIntegrationSettings` has both Gmail and Outlook integration on, the
question names both: Lightning Sync may sync with Google or with Exchange.
With Gmail on and nothing Microsoft in the project, the rule does not report
(Google only). With no Einstein Activity Capture settings in the project, the
message says that the project does not tell whether sync runs on Lightning
Sync, and how to make it tell (retrieve `Settings:EAC`). On-premises Exchange
is LS004's alone, whatever the connection method.

## Why is this bad?
Whether the org is broken depends on exactly these two answers. A service
account against Exchange Online has not synced since Exchange Online blocked
basic authentication on 2022-10-01 (MC424238); OAuth 2.0 against Exchange
Online still uses EWS, which Microsoft shuts down on 2027-04-01 (MC1227454);
on-premises Exchange keeps working until Lightning Sync retires in April 2027.
An unverified configuration hides the first case.

Where to look: Setup → Email → Outlook Integration and Sync → Lightning Sync →
"Sync contacts or events or both between Microsoft Exchange and Salesforce".

## Example
```json
{
  "plugins": {
    "exchangeAuthLint": { "exchange": "online", "lightningSyncConnection": "service-account" }
  }
}
```

## Fix
"Declare …" actions write the missing answers (`exchange`,
`lightningSyncConnection`) into `plugins.exchangeAuthLint` of
`sfdx-project.json`, creating the objects when needed and keeping the file's
formatting (indentation, line endings, comments). One action per sensible
combination: when both are unknown, Exchange Online × service account or
OAuth 2.0, and on-premises (no connection answer needed); when only one is
unknown, each of its values (declare a sovereign cloud such as
`online-gcc-high` by hand when both are unknown). When Gmail is on too,
"Declare: mailboxes on Google Workspace" writes `exchange: "none"`. None is preferred:
`check --fix` never guesses an answer about the org.

Safety: changes only what the linter knows, not the org; the other LS rules
then report (or clear) the configuration according to the answers.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let facts = ctx.facts;
    if !facts.lightning_sync_with_exchange() {
        return;
    }
    // On-premises Exchange is LS004's whatever the connection method (the
    // 2022 block does not apply); `none` is not Exchange at all.
    match facts.exchange.as_ref().map(Known::value) {
        None => {}
        Some(Exchange::Online(_)) if facts.ls_connection.is_none() => {}
        Some(_) => return,
    }
    let lang = ctx.lang;
    let both = facts.mail_system() == MailSystem::Both && facts.exchange.is_none();
    let missing = match (
        facts.exchange.is_none(),
        facts.ls_connection.is_none(),
        both,
        lang,
    ) {
        (true, true, true, Lang::En) => {
            "which of the two it is (and which Exchange), nor how Lightning Sync connects"
        }
        (true, true, true, Lang::Ja) => {
            "そのどちらか（どの Exchange か）も、Lightning Sync の接続方法も"
        }
        (true, false, true, Lang::En) => "which of the two it is (and which Exchange)",
        (true, false, true, Lang::Ja) => "そのどちらか（どの Exchange か）",
        (true, true, false, Lang::En) => {
            "which Exchange the mailboxes are on, nor how Lightning Sync connects"
        }
        (true, true, false, Lang::Ja) => {
            "メールボックスがどの Exchange にあるかも、Lightning Sync の接続方法も"
        }
        (true, false, false, Lang::En) => "which Exchange the mailboxes are on",
        (true, false, false, Lang::Ja) => "メールボックスがどの Exchange にあるか",
        (false, _, _, Lang::En) => "how Lightning Sync connects (service account or OAuth 2.0)",
        (false, _, _, Lang::Ja) => "Lightning Sync の接続方法（サービスアカウントか OAuth 2.0 か）",
    };
    let engine = sync_engine(ctx);
    let mail = if both {
        lang.pick(
            " Gmail and Outlook integration are both on, so Lightning Sync may sync with Google or with Exchange.",
            "Gmail と Outlook の統合がどちらも有効なため、Lightning Sync の同期先は Google の場合も Exchange の場合もあります。",
        )
    } else {
        ""
    };
    let hint = eac_hint(ctx);
    let problem = lang.pick(
        "Lightning Sync set-up unverified",
        "Lightning Sync の構成が未確認",
    );
    let detail = tr!(
        lang,
        "{engine}.{mail} The project does not say {missing}. A service-account connection to Exchange Online has not worked since 2022-10-01. Check Setup → Outlook Integration and Sync → Lightning Sync and declare the answers in sfdx-project.json (plugins.exchangeAuthLint){hint}.",
        "{engine}。{mail}プロジェクトからは{missing}分かりません。Exchange Online へのサービスアカウント接続は 2022年10月1日以降動作していません。[設定] > [メール] > [Outlookインテグレーションおよび同期] > [Lightning Sync] で確認し、sfdx-project.json（plugins.exchangeAuthLint）に回答を記載してください{hint}。"
    );
    let message = headed(lang, problem, &detail);
    let mut related = Vec::new();
    if let Some(e) = &facts.exchange {
        related.extend(ctx.related(e.evidence()));
    }
    if let Some(c) = &facts.ls_connection {
        related.extend(ctx.related(c.evidence()));
    }
    sync_findings(ctx, &RULE, &message, &related, out);
}

pub static FIXER: Fixer = Fixer {
    offers: fix_offers,
    build: fix_build,
};

/// The answers each action declares: `(exchange, connection)`, `None` for
/// what the project already knows.
fn combinations(ctx: &Context) -> Vec<(Option<Exchange>, Option<LsConnection>)> {
    use crate::hosts::Cloud;
    let connections = [LsConnection::ServiceAccount, LsConnection::OAuth2];
    // On-premises needs no connection answer (LS004 either way); Google
    // is offered when Gmail is on too.
    let mut other = vec![(Some(Exchange::OnPremises), None)];
    if ctx.facts.mail_system() == MailSystem::Both {
        other.push((Some(Exchange::NotExchange), None));
    }
    match (
        ctx.facts.exchange.is_none(),
        ctx.facts.ls_connection.is_none(),
    ) {
        (true, true) => connections
            .into_iter()
            .map(|c| (Some(Exchange::Online(Cloud::Commercial)), Some(c)))
            .chain(other)
            .collect(),
        (true, false) => Cloud::ALL
            .into_iter()
            .map(|cloud| (Some(Exchange::Online(cloud)), None))
            .chain(other)
            .collect(),
        (false, true) => connections.into_iter().map(|c| (None, Some(c))).collect(),
        (false, false) => Vec::new(),
    }
}

fn id_of(e: Option<Exchange>, c: Option<LsConnection>) -> String {
    let mut id = String::from("declare");
    if let Some(e) = e {
        id.push(':');
        id.push_str(e.config_value());
    }
    if let Some(c) = c {
        id.push(':');
        id.push_str(c.config_value());
    }
    id
}

fn title_of(lang: Lang, e: Option<Exchange>, c: Option<LsConnection>) -> String {
    let exchange = e.map(|e| match e {
        Exchange::Online(cloud) => cloud.display().to_owned(),
        Exchange::OnPremises => lang
            .pick("on-premises Exchange", "オンプレミスの Exchange")
            .to_owned(),
        Exchange::NotExchange => lang
            .pick(
                "Google Workspace (Lightning Sync for Google)",
                "Google Workspace（Google 向け Lightning Sync）",
            )
            .to_owned(),
    });
    let connection = c.map(|c| match c {
        LsConnection::ServiceAccount => lang.pick(
            "Lightning Sync connects with a service account",
            "Lightning Sync はサービスアカウントで接続",
        ),
        LsConnection::OAuth2 => lang.pick(
            "Lightning Sync connects with OAuth 2.0",
            "Lightning Sync は OAuth 2.0 で接続",
        ),
    });
    let what: Vec<String> = exchange
        .map(|e| match lang {
            Lang::En => format!("mailboxes on {e}"),
            Lang::Ja => format!("メールボックスは {e}"),
        })
        .into_iter()
        .chain(connection.map(str::to_owned))
        .collect();
    match lang {
        Lang::En => format!("Declare: {}", what.join(", ")),
        Lang::Ja => format!("宣言: {}", what.join("、")),
    }
}

fn fix_offers(ctx: &Context, finding: &Finding) -> Vec<Offer> {
    if ctx.project.manifest_path.is_none()
        || !ctx.project.config_errors.is_empty()
        || support::parsed(ctx, finding.file).is_err()
    {
        return Vec::new();
    }
    combinations(ctx)
        .into_iter()
        .map(|(e, c)| Offer {
            id: id_of(e, c),
            title: title_of(ctx.lang, e, c),
            preferred: false,
        })
        .collect()
}

fn fix_build(ctx: &Context, _: &Finding, offer: &Offer) -> Result<Draft, String> {
    let lang = ctx.lang;
    let (e, c) = combinations(ctx)
        .into_iter()
        .find(|(e, c)| id_of(*e, *c) == offer.id)
        .ok_or_else(|| {
            lang.pick(
                "the project changed; look again",
                "プロジェクトが変更されました",
            )
            .to_owned()
        })?;
    let path = ctx
        .project
        .manifest_path
        .clone()
        .ok_or_else(|| "no sfdx-project.json".to_owned())?;
    let mut values = Vec::new();
    if let Some(e) = e {
        values.push(("exchange", e.config_value()));
    }
    if let Some(c) = c {
        values.push(("lightningSyncConnection", c.config_value()));
    }
    let edits = set_plugin_strings(&ctx.project.manifest_text, &values).ok_or_else(|| {
        lang.pick(
            "`plugins` in sfdx-project.json is not an object",
            "sfdx-project.json の `plugins` がオブジェクトではありません",
        )
        .to_owned()
    })?;
    Ok(support::draft(None, vec![FileChange::Edit { path, edits }]))
}
