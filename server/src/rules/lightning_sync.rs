//! What the LS rules share: the Lightning Sync situation of the project and
//! the alternatives still worth offering on the as-of date.

use super::Context;
use crate::diagnostic::Finding;
use crate::facts::Loc;
use crate::i18n::Lang;
use crate::timeline::{self, AsOf};
use crate::tr;

/// The alternatives of the seed article that still work on `as_of`
/// (RULES.md, "LS fixes"), as one sentence.
pub fn alternatives(as_of: AsOf, lang: Lang) -> String {
    let mut options = vec![lang.pick(
        "move sync to Einstein Activity Capture and connect with user-level OAuth 2.0 (Microsoft Graph)",
        "Einstein 活動キャプチャに移行し、ユーザーレベルの OAuth 2.0（Microsoft Graph）で接続する",
    )];
    if !as_of.reached(&timeline::EAC_SERVICE_ACCOUNT_RETIRED) {
        options.push(lang.pick(
            "move to Einstein Activity Capture with service-account OAuth 2.0",
            "Einstein 活動キャプチャに移行し、サービスアカウントの OAuth 2.0 で接続する",
        ));
    }
    if !as_of.reached(&timeline::LS_EXO_MOVE_DEADLINE) {
        options.push(lang.pick(
            "switch Lightning Sync's connection method to OAuth 2.0",
            "Lightning Sync の接続方法を OAuth 2.0 に切り替える",
        ));
    }
    match (lang, options.len()) {
        (Lang::En, 1) => format!("To keep syncing, {}.", options[0]),
        (Lang::En, _) => format!("To keep syncing: {}.", options.join("; or ")),
        (Lang::Ja, 1) => format!("同期を続けるには、{}必要があります。", options[0]),
        (Lang::Ja, _) => format!(
            "同期を続けるには、次のいずれかを行ってください: {}。",
            options.join("／")
        ),
    }
}

/// Basic authentication in Exchange Online, in the as-of tense.
pub fn basic_auth_status(as_of: AsOf, lang: Lang) -> String {
    let when = timeline::BASIC_AUTH_BLOCKED.when(lang);
    if as_of.reached(&timeline::BASIC_AUTH_BLOCKED) {
        tr!(
            lang,
            "Exchange Online has rejected basic authentication since {when}",
            "Exchange Online は {when} から基本認証を受け付けていません"
        )
    } else {
        tr!(
            lang,
            "Exchange Online rejects basic authentication from {when}",
            "Exchange Online は {when} から基本認証を受け付けなくなります"
        )
    }
}

/// One finding per `enableContactAndEventSync` that is on.
pub fn sync_findings(
    ctx: &Context,
    rule: &super::Rule,
    message: &str,
    related: &[crate::diagnostic::Related],
    out: &mut Vec<Finding>,
) {
    for Loc { file, range } in &ctx.facts.sync_on {
        let mut f = ctx.finding(rule, *file, range.clone(), message.to_owned());
        f.related = related.to_vec();
        out.push(f);
    }
}
