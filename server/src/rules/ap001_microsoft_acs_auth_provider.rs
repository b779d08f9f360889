use super::rule::Fixer;
use super::rule::{headed, Context, Rule};
use super::support;
use crate::diagnostic::{Finding, Severity};
use crate::domain::Exchange;
use crate::edit::xml_edit::XmlEditor;
use crate::edit::{Draft, Offer};
use crate::facts::Known;
use crate::hosts::{Cloud, HostClass, MicrosoftService, UrlInfo};
use crate::metadata::AuthProvider;
use crate::timeline;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "AP001",
    name: "microsoft-acs-auth-provider",
    default_severity: Severity::Warning,
    escalation: Some((&timeline::ACS_RETIRED, Severity::Error)),
    breaks_on: Some(&timeline::ACS_RETIRED),
    fixer: Some(&FIXER),
    summary: "An auth provider uses Azure ACS (MicrosoftACS), which is retired",
    doc: r#"## What it does
Reports an auth provider with `providerType` MicrosoftACS.

## Why is this bad?
Azure Access Control Service was no longer available to new Microsoft 365
tenants from 2024-11-01 and was retired for all tenants on 2026-04-02, with no
extension (Microsoft 365 message center MC693863). Sign-ins through such a
provider fail. Severity: warning, error from 2026-04-02.

## Example
```xml
<AuthProvider xmlns="http://soap.sforce.com/2006/04/metadata">
    <friendlyName>SharePoint ACS</friendlyName>
    <providerType>MicrosoftACS</providerType>
</AuthProvider>
```

## Fix
**Switch to the Microsoft (Entra ID) provider type** (preferred):
`providerType` Microsoft with the v2.0 authorize and token URLs
(`https://<login host>/<tenant>/oauth2/v2.0/authorize` and `…/token`) of the
project's cloud (from `exchange`, declared or inferred; commercial
otherwise). Tenant: the declared `tenant`, else a visible placeholder
(`TENANT-ID-OR-DOMAIN`) that the fix's message names. Everything else in the
file stays.

Safety: sign-ins keep failing until the app is registered in Entra ID and its
client id and secret are entered in Setup; they fail already, since ACS is
retired.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    for (id, file) in ctx.project.files.iter().enumerate() {
        let Some(ap) = AuthProvider::of(file) else {
            continue;
        };
        let Some(kind) = ap.provider_type().filter(|t| t.is("MicrosoftACS")) else {
            continue;
        };
        let object = ctx.object_name(id);
        let when = timeline::ACS_RETIRED.when(lang);
        let (problem, detail) = if ctx.as_of.reached(&timeline::ACS_RETIRED) {
            (
                tr!(lang, "Azure ACS auth provider, retired on {when}", "Azure ACS の認証プロバイダー（{when}に廃止）"),
                tr!(lang, "{object} has provider type MicrosoftACS; ACS is retired for all tenants and sign-ins through it fail. Switch to the Microsoft (Entra ID) provider type.",
                    "{object} のプロバイダー種別は MicrosoftACS です。ACS は全テナントで廃止され、この認証プロバイダーでのサインインは失敗します。Microsoft（Entra ID）プロバイダー種別に切り替えてください。"),
            )
        } else {
            (
                tr!(lang, "Azure ACS auth provider, retiring on {when}", "Azure ACS の認証プロバイダー（{when}に廃止予定）"),
                tr!(lang, "{object} has provider type MicrosoftACS; ACS is retired for all tenants then, and sign-ins through it will fail. Switch to the Microsoft (Entra ID) provider type.",
                    "{object} のプロバイダー種別は MicrosoftACS です。ACS はその日に全テナントで廃止され、この認証プロバイダーでのサインインは失敗するようになります。Microsoft（Entra ID）プロバイダー種別に切り替えてください。"),
            )
        };
        let message = headed(lang, &problem, &detail);
        out.push(ctx.finding(&RULE, id, kind.range, message));
    }
}

pub static FIXER: Fixer = Fixer {
    offers: fix_offers,
    build: fix_build,
};

fn fix_offers(ctx: &Context, finding: &Finding) -> Vec<Offer> {
    support::single_offer(
        ctx,
        finding,
        "microsoft-provider",
        tr!(
            ctx.lang,
            "Switch to the Microsoft (Entra ID) provider type",
            "Microsoft（Entra ID）プロバイダー種別に切り替える"
        ),
    )
}

fn fix_build(ctx: &Context, finding: &Finding, _: &Offer) -> Result<Draft, String> {
    let lang = ctx.lang;
    let (file, tree) = support::parsed(ctx, finding.file)?;
    let ap = AuthProvider::of(file).ok_or_else(|| "not an auth provider".to_owned())?;
    let text = file.text.as_str();
    // The cloud: an identity host already in the file, else the project's.
    let from_urls = [ap.authorize_url(), ap.token_url()]
        .into_iter()
        .flatten()
        .filter_map(|f| UrlInfo::parse(&f.value))
        .find_map(|u| match u.class {
            HostClass::Microsoft(cloud, MicrosoftService::Identity) => Some(cloud),
            _ => None,
        });
    let from_project = match ctx.facts.exchange.as_ref().map(Known::value) {
        Some(Exchange::Online(cloud)) => Some(cloud),
        _ => None,
    };
    let cloud = from_urls.or(from_project).unwrap_or(Cloud::Commercial);
    let (tenant, placeholder) = support::tenant(ctx, None);
    let login = cloud.login_host();
    let mut editor = XmlEditor::new(text, tree);
    let root = tree.root().ok_or_else(|| "no root".to_owned())?;
    if let Some(kind) = ap.provider_type() {
        editor.set_value(kind.element, "Microsoft");
    }
    editor.set_child(
        root,
        "authorizeUrl",
        &format!("https://{login}/{tenant}/oauth2/v2.0/authorize"),
    );
    editor.set_child(
        root,
        "tokenUrl",
        &format!("https://{login}/{tenant}/oauth2/v2.0/token"),
    );
    let mut note = tr!(
        lang,
        "Register an app in Microsoft Entra ID with the redirect URI of this auth provider, then enter its client id and secret in Setup.",
        "Microsoft Entra ID にこの認証プロバイダーのリダイレクト URI でアプリを登録し、クライアント ID とシークレットを設定画面で入力してください。"
    );
    if placeholder {
        let p = support::TENANT_PLACEHOLDER;
        note.push(' ');
        note.push_str(&tr!(
            lang,
            "Replace {p} in the authorize and token URLs with your tenant id or verified domain (or declare `tenant` in sfdx-project.json before fixing).",
            "認可 URL とトークン URL の {p} をテナント ID または検証済みドメインに置き換えてください（修正前に sfdx-project.json で `tenant` を宣言することもできます）。"
        ));
    }
    Ok(support::draft(
        Some(note),
        vec![support::edit_of(file, editor.finish())],
    ))
}
