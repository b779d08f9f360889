use super::lightning_sync::{sync_findings, unknown_eac_prefix};
use super::rule::{headed, Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::domain::Exchange;
use crate::timeline;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "LS004",
    name: "lightning-sync-on-premises",
    default_severity: Severity::Info,
    escalation: None,
    breaks_on: Some(&timeline::LIGHTNING_SYNC_RETIRED),
    fixer: None,
    summary:
        "Lightning Sync with on-premises Exchange: unaffected by the basic-auth block, but retiring",
    doc: r#"## What it does
Reports contact and event sync on Lightning Sync when the mailboxes are on an
on-premises Exchange server (declared `exchange: "on-premises"`, or inferred
from an Exchange endpoint such as `/EWS/Exchange.asmx` on a host that is not
Exchange Online).

## Why is this bad?
It is not broken: Microsoft's 2022-10-01 basic-auth block applied to Exchange
Online only. But Lightning Sync retires for everyone in April 2027 (Salesforce
Help, `sales.exchange_sync_sys_req`; Government Cloud exempt), Exchange 2013
left support on 2023-04-11 and Exchange 2016/2019 on 2025-10-14 (Microsoft
Lifecycle). Plan the move to Einstein Activity Capture.

## Example
A named credential pointing at `https://mail.contoso.com/EWS/Exchange.asmx`
and `enableContactAndEventSync` true.

## Fix
None: the move is planned in Setup and with Microsoft, not in a file.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let facts = ctx.facts;
    if !facts.lightning_sync_with_exchange() {
        return;
    }
    let Some(exchange) = &facts.exchange else {
        return;
    };
    if exchange.value() != Exchange::OnPremises {
        return;
    }
    let lang = ctx.lang;
    let retire = timeline::LIGHTNING_SYNC_RETIRED.when(lang);
    let (problem, detail) = if ctx.as_of.reached(&timeline::LIGHTNING_SYNC_RETIRED) {
        (
            tr!(lang, "Lightning Sync, retired in {retire}", "Lightning Sync（{retire}に廃止）"),
            tr!(
                lang,
                "Lightning Sync with on-premises Exchange was not affected by Exchange Online's 2022 basic-auth block, but Lightning Sync is retired for everyone now and Exchange 2013/2016/2019 are out of support. Move sync to Einstein Activity Capture.",
                "オンプレミス Exchange との Lightning Sync は 2022年の Exchange Online の基本認証停止の影響を受けませんが、Lightning Sync はすべての組織で廃止され、Exchange 2013/2016/2019 はサポートが終了しています。Einstein 活動キャプチャへ移行してください。"
            ),
        )
    } else {
        (
            tr!(lang, "Lightning Sync, retiring in {retire}", "Lightning Sync（{retire}に廃止予定）"),
            tr!(
                lang,
                "Lightning Sync with on-premises Exchange is not affected by Exchange Online's 2022 basic-auth block, but Lightning Sync retires for everyone then and Exchange 2013/2016/2019 are out of support. Plan the move to Einstein Activity Capture.",
                "オンプレミス Exchange との Lightning Sync は 2022年の Exchange Online の基本認証停止の影響を受けませんが、Lightning Sync はその時点ですべての組織で廃止され、Exchange 2013/2016/2019 はサポートが終了しています。Einstein 活動キャプチャへの移行を計画してください。"
            ),
        )
    };
    let related = ctx.related(exchange.evidence());
    let message = headed(
        lang,
        &problem,
        &format!("{}{detail}", unknown_eac_prefix(ctx)),
    );
    sync_findings(ctx, &RULE, &message, &related, out);
}
