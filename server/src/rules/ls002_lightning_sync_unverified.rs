use super::lightning_sync::sync_findings;
use super::{Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::tr;

pub static RULE: Rule = Rule {
    id: "LS002",
    name: "lightning-sync-unverified",
    default_severity: Severity::Warning,
    escalation: None,
    fixable: true,
    summary: "Lightning Sync is on, but the project does not say which Exchange or connection method it uses",
    doc: r#"## What it does
Reports contact and event sync that runs on Lightning Sync (sync on, Einstein
Activity Capture off) when the project cannot tell where the mailboxes are
(Exchange Online or on-premises) or how Lightning Sync connects (service
account or OAuth 2.0). Neither is recorded by any metadata type: they are
Setup-only, so the rule asks you to answer the seed article's checklist once
and record the answers in `sfdx-project.json`.

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
"Declare …" actions write the answers (`exchange`, `lightningSyncConnection`)
into `plugins.exchangeAuthLint` of `sfdx-project.json`, one action per sensible
combination, keeping the file's formatting. Safe: it changes only what the
linter knows, not the org.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let facts = ctx.facts;
    if !facts.lightning_sync_in_use() || (facts.exchange.is_some() && facts.ls_connection.is_some())
    {
        return;
    }
    let lang = ctx.lang;
    let missing = match (
        facts.exchange.is_none(),
        facts.ls_connection.is_none(),
        lang,
    ) {
        (true, true, crate::i18n::Lang::En) => {
            "which Exchange the mailboxes are on, nor how Lightning Sync connects"
        }
        (true, true, crate::i18n::Lang::Ja) => {
            "メールボックスがどの Exchange にあるかも、Lightning Sync の接続方法も"
        }
        (true, false, crate::i18n::Lang::En) => "which Exchange the mailboxes are on",
        (true, false, crate::i18n::Lang::Ja) => "メールボックスがどの Exchange にあるか",
        (false, _, crate::i18n::Lang::En) => {
            "how Lightning Sync connects (service account or OAuth 2.0)"
        }
        (false, _, crate::i18n::Lang::Ja) => {
            "Lightning Sync の接続方法（サービスアカウントか OAuth 2.0 か）"
        }
    };
    let message = tr!(
        lang,
        "Contact and event sync is on without Einstein Activity Capture, so this org uses Lightning Sync, but the project does not say {missing}. A service-account connection to Exchange Online has not worked since 2022-10-01. Check Setup → Outlook Integration and Sync → Lightning Sync and declare the answers in sfdx-project.json (plugins.exchangeAuthLint).",
        "Einstein 活動キャプチャなしで取引先責任者と行動の同期が有効なため、この組織は Lightning Sync を使っていますが、プロジェクトからは{missing}分かりません。Exchange Online へのサービスアカウント接続は 2022年10月1日以降動作していません。[設定] > [メール] > [Outlookインテグレーションおよび同期] > [Lightning Sync] で確認し、sfdx-project.json（plugins.exchangeAuthLint）に回答を記載してください。"
    );
    let mut related = Vec::new();
    if let Some(e) = &facts.exchange {
        related.extend(ctx.related(e.evidence()));
    }
    if let Some(c) = &facts.ls_connection {
        related.extend(ctx.related(c.evidence()));
    }
    sync_findings(ctx, &RULE, &message, &related, out);
}
