//! What the metadata fields the rules read mean, for hover. Element names
//! compare ignoring ASCII case, like the views do.

use crate::i18n::Lang;
use crate::metadata::MetadataKind;

pub fn field_doc(kind: MetadataKind, element: &str, lang: Lang) -> Option<&'static str> {
    use MetadataKind::*;
    let e = element.to_ascii_lowercase();
    let (en, ja) = match (kind, e.as_str()) {
        (NamedCredential, "protocol") => (
            "**protocol** — how a legacy named credential authenticates.\n\nAllowed values: `NoAuthentication`, `Password` (HTTP basic auth with a shared user name and password), `Oauth`, `Jwt`, `JwtExchange`, `AwsSv4`.\n\n`Password` against Exchange Online is basic authentication, which Microsoft turned off.",
            "**protocol** — 従来型の指定ログイン情報の認証方式。\n\n値: `NoAuthentication`、`Password` (共有のユーザー名とパスワードによる HTTP Basic 認証)、`Oauth`、`Jwt`、`JwtExchange`、`AwsSv4`。\n\nExchange Online に対する `Password` は Basic 認証であり、Microsoft により無効化されています。",
        ),
        (NamedCredential, "principaltype") => (
            "**principalType** — whose identity a legacy named credential uses.\n\nAllowed values: `NamedUser` (one shared identity for all users: a service account), `PerUser` (each user signs in), `Anonymous`.",
            "**principalType** — 従来型の指定ログイン情報が使う ID。\n\n値: `NamedUser` (全ユーザーで共有する 1 つの ID = サービスアカウント)、`PerUser` (ユーザーごとにサインイン)、`Anonymous`。",
        ),
        (NamedCredential, "namedcredentialtype") => (
            "**namedCredentialType** — `Legacy` (authentication stored in the named credential) or `SecuredEndpoint` (authentication delegated to an external credential).",
            "**namedCredentialType** — `Legacy` (認証情報を指定ログイン情報に保持) または `SecuredEndpoint` (認証を外部ログイン情報に委任)。",
        ),
        (NamedCredential, "endpoint") => (
            "**endpoint** — the URL a legacy named credential calls.",
            "**endpoint** — 従来型の指定ログイン情報の呼び出し先 URL。",
        ),
        (NamedCredential, "parametervalue") | (ExternalCredential, "parametervalue") => (
            "**parameterValue** — the value of this parameter; for a `Url` parameter, the endpoint the named credential calls.",
            "**parameterValue** — このパラメーターの値。`Url` パラメーターでは指定ログイン情報の呼び出し先。",
        ),
        (NamedCredential, "parametertype") | (ExternalCredential, "parametertype") => (
            "**parameterType** — what the parameter is: `Url`, `Authentication` (the external credential used), `NamedPrincipal`, `PerUserPrincipal`, `AuthHeader`, `AuthProviderUrl`…",
            "**parameterType** — パラメーターの種類: `Url`、`Authentication` (使う外部ログイン情報)、`NamedPrincipal`、`PerUserPrincipal`、`AuthHeader`、`AuthProviderUrl` など。",
        ),
        (NamedCredential, "password") | (NamedCredential, "oauthtoken") | (NamedCredential, "oauthrefreshtoken") | (AuthProvider, "consumersecret") => (
            "A **secret**. Never commit its value to source control: enter it in Setup after deployment.",
            "**秘密情報**。値をソース管理にコミットしないでください。デプロイ後に設定画面で入力します。",
        ),
        (ExternalCredential, "authenticationprotocol") => (
            "**authenticationProtocol** — how an external credential authenticates.\n\nAllowed values: `Oauth`, `AwsSv4`, `Jwt`, `Basic`, `Custom`, `NoAuthentication`.\n\n`Basic` (or `Custom` with a `Basic` AuthHeader) against Exchange Online is basic authentication, which Microsoft turned off.",
            "**authenticationProtocol** — 外部ログイン情報の認証方式。\n\n値: `Oauth`、`AwsSv4`、`Jwt`、`Basic`、`Custom`、`NoAuthentication`。\n\nExchange Online に対する `Basic` (または `Basic` の AuthHeader を持つ `Custom`) は Basic 認証であり、Microsoft により無効化されています。",
        ),
        (AuthProvider, "providertype") => (
            "**providerType** — the kind of identity provider.\n\nFor Microsoft: `Microsoft` (Microsoft Entra ID, v2.0 endpoints) or `MicrosoftACS` (Azure Access Control Service, retired).",
            "**providerType** — ID プロバイダーの種類。\n\nMicrosoft の場合: `Microsoft` (Microsoft Entra ID、v2.0 エンドポイント) または `MicrosoftACS` (Azure Access Control Service、廃止済み)。",
        ),
        (AuthProvider, "authorizeurl") => (
            "**authorizeUrl** — the OAuth 2.0 authorization endpoint of the provider.",
            "**authorizeUrl** — プロバイダーの OAuth 2.0 認可エンドポイント。",
        ),
        (AuthProvider, "tokenurl") => (
            "**tokenUrl** — the OAuth 2.0 token endpoint of the provider.",
            "**tokenUrl** — プロバイダーの OAuth 2.0 トークンエンドポイント。",
        ),
        (RemoteSiteSetting, "url") => (
            "**url** — the host Apex callouts may reach.",
            "**url** — Apex コールアウトの接続を許可するホスト。",
        ),
        (RemoteSiteSetting, "disableprotocolsecurity") => (
            "**disableProtocolSecurity** — `true` lets callouts use plain HTTP. Allowed values: `true`, `false`.",
            "**disableProtocolSecurity** — `true` の場合コールアウトで平文の HTTP を許可。値: `true`、`false`。",
        ),
        (EmailIntegrationSettings, "enablecontactandeventsync") => (
            "**enableContactAndEventSync** — turns Lightning Sync for Microsoft Exchange on (`true`) or off (`false`).",
            "**enableContactAndEventSync** — Microsoft Exchange 用 Lightning Sync の有効 (`true`)/無効 (`false`)。",
        ),
        (EacSettings, "enableactivitycapture") => (
            "**enableActivityCapture** — turns Einstein Activity Capture on (`true`) or off (`false`).",
            "**enableActivityCapture** — Einstein 活動キャプチャの有効 (`true`)/無効 (`false`)。",
        ),
        (EacSettings, "s2xsvcaccemail") => (
            "**s2XSvcAccEmail** — `true` connects Einstein Activity Capture to Exchange with a service account (retired for Office 365).",
            "**s2XSvcAccEmail** — `true` の場合 Einstein 活動キャプチャはサービスアカウントで Exchange に接続 (Office 365 では廃止)。",
        ),
        _ => return None,
    };
    Some(lang.pick(en, ja))
}

/// Elements whose value is a URL (hover names the host's cloud and service).
pub fn is_url_field(kind: MetadataKind, element: &str) -> bool {
    use MetadataKind::*;
    let e = element.to_ascii_lowercase();
    matches!(
        (kind, e.as_str()),
        (NamedCredential, "endpoint")
            | (RemoteSiteSetting, "url")
            | (AuthProvider, "authorizeurl")
            | (AuthProvider, "tokenurl")
            | (AuthProvider, "userinfourl")
    )
}
