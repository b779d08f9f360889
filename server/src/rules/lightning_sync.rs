//! What the LS rules share: the Lightning Sync situation of the project and
//! the alternatives still worth offering on the as-of date.

use super::rule::Context;
use super::support as fix_support;
use crate::diagnostic::Finding;
use crate::domain::LsConnection;
use crate::edit::json_edit::set_plugin_strings;
use crate::edit::xml_edit::{line_ending, new_file, NewElement, XmlEditor};
use crate::edit::{Draft, FileChange, Offer};
use crate::facts::{EacState, Loc};
use crate::i18n::Lang;
use crate::metadata::{EacSettings, MetadataKind};
use crate::source::FileId;
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

/// Why the project says sync runs on Lightning Sync, as a sentence without
/// its full stop: EAC off, or (no EAC setting in the project) that it may.
pub fn sync_engine(ctx: &Context) -> String {
    let lang = ctx.lang;
    match ctx.facts.eac_state() {
        EacState::Unknown => lang
            .pick(
                "Contact and event sync is on, and the project has no Einstein Activity Capture setting, so it does not tell whether sync runs on Lightning Sync or on Einstein Activity Capture",
                "取引先責任者と行動の同期が有効ですが、プロジェクトに Einstein 活動キャプチャの設定がないため、同期が Lightning Sync と Einstein 活動キャプチャのどちらで行われているかは分かりません",
            )
            .to_owned(),
        _ => lang
            .pick(
                "Contact and event sync is on without Einstein Activity Capture, so this org syncs with Lightning Sync",
                "Einstein 活動キャプチャなしで取引先責任者と行動の同期が有効なため、この組織は Lightning Sync で同期しています",
            )
            .to_owned(),
    }
}

/// How to make the project tell whether EAC is on (empty when it does), to
/// end a sentence.
pub fn eac_hint(ctx: &Context) -> &'static str {
    if ctx.facts.eac_state() != EacState::Unknown {
        return "";
    }
    ctx.lang.pick(
        ", and retrieve the Einstein Activity Capture settings into the project (`sf project retrieve start --metadata Settings:EAC`) so that it tells whether EAC is on",
        "。また、EAC が有効かどうかが分かるように Einstein 活動キャプチャの設定をプロジェクトに取得してください（`sf project retrieve start --metadata Settings:EAC`）",
    )
}

/// For LS001, LS003 and LS004, whose messages assert Lightning Sync: what
/// to put before them when the project does not tell (empty otherwise).
pub fn unknown_eac_prefix(ctx: &Context) -> String {
    if ctx.facts.eac_state() != EacState::Unknown {
        return String::new();
    }
    let engine = sync_engine(ctx);
    tr!(
        ctx.lang,
        "{engine}; retrieve the Einstein Activity Capture settings (`sf project retrieve start --metadata Settings:EAC`) so that it does. If it is Lightning Sync: ",
        "{engine}。分かるように Einstein 活動キャプチャの設定を取得してください（`sf project retrieve start --metadata Settings:EAC`）。Lightning Sync の場合: "
    )
}

/// The problem EXO001 and LS001 lead with: `Basic authentication to
/// Exchange Online`.
pub fn basic_auth_to(cloud: &str, lang: Lang) -> String {
    tr!(
        lang,
        "Basic authentication to {cloud}",
        "{cloud} への基本認証"
    )
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

/// EWS in Exchange Online, in the as-of tense (no full stop): "will be
/// blocked", "blocked unless the tenant allow-lists this app; shuts down
/// 2027-04-01", "shut down".
pub fn ews_status(as_of: AsOf, lang: Lang) -> String {
    let begin = timeline::EWS_BLOCKED_BY_DEFAULT.when(lang);
    let end = timeline::EWS_SHUTDOWN.when(lang);
    if as_of.reached(&timeline::EWS_SHUTDOWN) {
        tr!(
            lang,
            "EWS in Exchange Online was shut down on {end}, for every app",
            "Exchange Online の EWS は {end}にすべてのアプリで停止しました"
        )
    } else if as_of.reached(&timeline::EWS_BLOCKED_BY_DEFAULT) {
        tr!(lang, "since {begin} EWS in Exchange Online is blocked unless the tenant allow-lists this app (EWSAllowedAppIDs); it shuts down on {end}",
            "{begin}から Exchange Online の EWS は、テナントがこのアプリを許可リスト（EWSAllowedAppIDs）に登録しない限りブロックされています。{end}に停止します")
    } else {
        tr!(lang, "EWS in Exchange Online will be blocked from {begin} (unless the tenant allow-lists the app) and shuts down on {end}",
            "Exchange Online の EWS は {begin}から（テナントがアプリを許可リストに登録しない限り）ブロックされ、{end}に停止します")
    }
}

/// What EXO002 leads with (`EWS on Exchange Online, blocked since
/// 2026-10-01`) and the sentence that completes it, in the as-of tense.
pub fn ews_problem(as_of: AsOf, lang: Lang) -> (String, String) {
    let begin = timeline::EWS_BLOCKED_BY_DEFAULT.when(lang);
    let end = timeline::EWS_SHUTDOWN.when(lang);
    if as_of.reached(&timeline::EWS_SHUTDOWN) {
        (
            tr!(
                lang,
                "EWS on Exchange Online, shut down on {end}",
                "Exchange Online の EWS（{end}に停止）"
            ),
            tr!(
                lang,
                " It answers no app any more.",
                "どのアプリからも使えません。"
            ),
        )
    } else if as_of.reached(&timeline::EWS_BLOCKED_BY_DEFAULT) {
        (
            tr!(lang, "EWS on Exchange Online, blocked since {begin}", "Exchange Online の EWS（{begin}からブロック）"),
            tr!(lang, " Only apps on the tenant's allow list (EWSAllowedAppIDs) still get through, and EWS shuts down on {end}.",
                "テナントの許可リスト（EWSAllowedAppIDs）に登録されたアプリだけが通り、EWS は {end}に停止します。"),
        )
    } else {
        (
            tr!(lang, "EWS on Exchange Online, blocked from {begin}", "Exchange Online の EWS（{begin}からブロック予定）"),
            tr!(lang, " From then only apps on the tenant's allow list (EWSAllowedAppIDs) get through, and EWS shuts down on {end}.",
                "その日からテナントの許可リスト（EWSAllowedAppIDs）に登録されたアプリだけが通り、EWS は {end}に停止します。"),
        )
    }
}

/// One finding per `enableContactAndEventSync` that is on.
pub fn sync_findings(
    ctx: &Context,
    rule: &super::rule::Rule,
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

/// The LS fixes (RULES.md, "LS fixes") for a finding on an
/// `enableContactAndEventSync` element: the move to Einstein Activity
/// Capture, its service-account variant before 2025-02-01 and, with
/// `switch`, Lightning Sync's own OAuth 2.0 before 2026-09-01.
pub fn ls_offers(ctx: &Context, finding: &Finding, switch: bool) -> Vec<Offer> {
    let lang = ctx.lang;
    let mut out = Vec::new();
    if fix_support::parsed(ctx, finding.file).is_err() {
        return out;
    }
    // An EAC file that would be edited must be well-formed.
    if eac_target(ctx, finding.file).is_some_and(|id| ctx.file(id).tree().is_none()) {
        return out;
    }
    out.push(Offer {
        id: EAC_USER.into(),
        title: tr!(
            lang,
            "Move sync to Einstein Activity Capture (user-level OAuth 2.0 over Microsoft Graph)",
            "同期を Einstein 活動キャプチャに移行する（Microsoft Graph を使うユーザーレベルの OAuth 2.0）"
        ),
        preferred: true,
    });
    if !ctx.as_of.reached(&timeline::EAC_SERVICE_ACCOUNT_RETIRED) {
        out.push(Offer {
            id: EAC_SERVICE_ACCOUNT.into(),
            title: tr!(
                lang,
                "Move sync to EAC with service-account OAuth 2.0",
                "同期を EAC に移行する（サービスアカウントの OAuth 2.0）"
            ),
            preferred: false,
        });
    }
    if switch
        && !ctx.as_of.reached(&timeline::LS_EXO_MOVE_DEADLINE)
        && ctx.project.manifest_path.is_some()
    {
        out.push(Offer {
            id: SWITCH_OAUTH.into(),
            title: tr!(
                lang,
                "Switch Lightning Sync to OAuth 2.0",
                "Lightning Sync を OAuth 2.0 に切り替える"
            ),
            preferred: false,
        });
    }
    out
}

const EAC_USER: &str = "eac-user-oauth";
const EAC_SERVICE_ACCOUNT: &str = "eac-service-account-oauth";
const SWITCH_OAUTH: &str = "switch-lightning-sync-oauth2";

/// The EAC settings file of the EmailIntegration file's package directory
/// (preferring the same folder), if the project has one.
fn eac_target(ctx: &Context, email: FileId) -> Option<FileId> {
    let email_path = &ctx.file(email).path;
    let package = ctx.project.package_dir_of(email_path);
    let candidates: Vec<FileId> = ctx
        .project
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == MetadataKind::EacSettings)
        .filter(|(_, f)| ctx.project.package_dir_of(&f.path) == package)
        .map(|(id, _)| id)
        .collect();
    candidates
        .iter()
        .copied()
        .find(|&id| ctx.file(id).path.parent() == email_path.parent())
        .or_else(|| candidates.first().copied())
}

pub fn ls_build(ctx: &Context, finding: &Finding, offer: &Offer) -> Result<Draft, String> {
    let lang = ctx.lang;
    let blocked = timeline::EWS_BLOCKED_BY_DEFAULT.when(lang);
    let end = timeline::EWS_SHUTDOWN.when(lang);
    let (email, _) = fix_support::parsed(ctx, finding.file)?;
    if offer.id == SWITCH_OAUTH {
        let path = ctx.project.manifest_path.clone().ok_or_else(|| {
            lang.pick(
                "the project has no sfdx-project.json",
                "プロジェクトに sfdx-project.json がありません",
            )
            .to_owned()
        })?;
        let edits = set_plugin_strings(
            &ctx.project.manifest_text,
            &[(
                "lightningSyncConnection",
                LsConnection::OAuth2.config_value(),
            )],
        )
        .ok_or_else(|| {
            lang.pick(
                "`plugins` in sfdx-project.json is not an object",
                "sfdx-project.json の `plugins` がオブジェクトではありません",
            )
            .to_owned()
        })?;
        let note = tr!(
            lang,
            "Recorded `lightningSyncConnection: oauth2`. Now make the switch in Setup → Outlook Integration and Sync → Lightning Sync: choose OAuth 2.0 as the connection method and have each user (or an Exchange admin) grant consent. Lightning Sync's OAuth 2.0 method still reads and writes over EWS, which Exchange Online blocks by default from {blocked} and shuts down on {end}: Lightning Sync customers on Exchange Online must still move to Einstein Activity Capture with Microsoft Graph by the end of August 2026.",
            "`lightningSyncConnection: oauth2` を記録しました。設定 → Outlook の統合と同期 → Lightning Sync で接続方法として OAuth 2.0 を選び、各ユーザー（または Exchange 管理者）が同意してください。Lightning Sync の OAuth 2.0 方式も EWS で読み書きしますが、Exchange Online の EWS は {blocked}から既定でブロックされ、{end}に停止します。Exchange Online の Lightning Sync 利用者は 2026年8月末までに Microsoft Graph を使う Einstein 活動キャプチャへの移行も必要です。"
        );
        return Ok(fix_support::draft(
            Some(note),
            vec![FileChange::Edit { path, edits }],
        ));
    }
    let change = match eac_target(ctx, finding.file) {
        Some(id) => {
            let (file, tree) = fix_support::parsed(ctx, id)?;
            let eac = EacSettings::of(file).ok_or_else(|| "not EAC settings".to_owned())?;
            let root = eac.root.id;
            let mut editor = XmlEditor::new(&file.text, tree);
            for (field, name) in [
                (eac.enable_activity_capture(), "enableActivityCapture"),
                (
                    eac.provision_productivity_features(),
                    "provisionProductivityFeatures",
                ),
            ] {
                match field {
                    Some(f) if f.is_true() => {}
                    Some(f) => editor.set_value(f.element, "true"),
                    None => editor.insert(root, NewElement::text(name, "true")),
                }
            }
            fix_support::edit_of(file, editor.finish())
        }
        None => {
            let dir = email.path.parent().unwrap_or(std::path::Path::new("."));
            let path = dir.join(MetadataKind::EacSettings.file_name("EAC", email.format));
            FileChange::Create {
                path,
                text: new_file(
                    MetadataKind::EacSettings.root_element(),
                    vec![
                        NewElement::text("enableActivityCapture", "true"),
                        NewElement::text("provisionProductivityFeatures", "true"),
                    ],
                    line_ending(&email.text),
                ),
            }
        }
    };
    let note = if offer.id == EAC_SERVICE_ACCOUNT {
        tr!(
            lang,
            "After deploying, in Setup → Einstein Activity Capture → Settings connect Exchange with a service account (OAuth 2.0, an Exchange admin grants consent), then add users to an activity capture configuration. Service-account OAuth to Office 365 is retired on 2025-02-01.",
            "デプロイ後、設定 → Einstein 活動キャプチャ → 設定でサービスアカウント（OAuth 2.0、Exchange 管理者が同意）により Exchange に接続し、ユーザーを活動キャプチャ設定に追加してください。Office 365 向けのサービスアカウント OAuth は 2025年2月1日に廃止されます。"
        )
    } else {
        tr!(
            lang,
            "After deploying, in Setup → Einstein Activity Capture → Settings connect Exchange with user-level OAuth 2.0 over Microsoft Graph, add users to an activity capture configuration, and have each user connect their account. Contact and event sync stays on; Lightning Sync stops once users sync through EAC. Then run \"Upgrade to Microsoft Graph\" in the Einstein Activity Capture settings unless the connection already shows Microsoft Graph: Lightning Sync's OAuth 2.0 method and older EAC connections use EWS, which Exchange Online blocks by default since {blocked} and shuts down on {end}.",
            "デプロイ後、設定 → Einstein 活動キャプチャ → 設定で Microsoft Graph を使うユーザーレベルの OAuth 2.0 により Exchange に接続し、ユーザーを活動キャプチャ設定に追加して、各ユーザーにアカウントを接続してもらってください。取引先責任者と行動の同期は有効のままです。ユーザーが EAC で同期を始めると Lightning Sync は使われなくなります。その後、接続がすでに Microsoft Graph になっていなければ、Einstein 活動キャプチャの設定で「Microsoft Graph にアップグレード」を実行してください。Lightning Sync の OAuth 2.0 方式と以前の EAC の接続は EWS を使いますが、Exchange Online の EWS は {blocked}から既定でブロックされ、{end}に停止します。"
        )
    };
    Ok(fix_support::draft(Some(note), vec![change]))
}
