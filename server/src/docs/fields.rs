//! Hover documentation for the metadata elements the rules read, and for
//! URLs (which Microsoft cloud and service a host belongs to).
//!
//! Every entry has the same three parts: what the element means, its
//! values, and what exchange-auth-lint checks about it.

use crate::hosts::{Cloud, HostClass, MicrosoftService, UrlInfo};
use crate::i18n::Lang;
use crate::metadata::MetadataKind;
use crate::timeline;

struct Entry {
    kind: MetadataKind,
    element: &'static str,
    en: &'static str,
    ja: &'static str,
}

/// The documentation of `element` (compared ignoring ASCII case) in a file
/// of `kind`, or `None` for an element the rules do not read.
pub fn field_doc(kind: MetadataKind, element: &str, lang: Lang) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|e| e.kind == kind && e.element.eq_ignore_ascii_case(element))
        .map(|e| lang.pick(e.en, e.ja))
}

/// Elements whose value is a URL: hover adds [`url_doc`] for them. (A
/// named credential's `Url` parameter value is one too; that depends on the
/// sibling `parameterType`, which the caller sees.)
pub fn is_url_field(kind: MetadataKind, element: &str) -> bool {
    const URLS: &[(MetadataKind, &str)] = &[
        (Nc, "endpoint"),
        (Rss, "url"),
        (Ap, "authorizeUrl"),
        (Ap, "tokenUrl"),
        (Ap, "userInfoUrl"),
    ];
    URLS.iter()
        .any(|(k, e)| *k == kind && e.eq_ignore_ascii_case(element))
}

use MetadataKind::{
    AuthProvider as Ap, EacSettings as Eac, EmailIntegrationSettings as Email,
    ExternalCredential as Ec, NamedCredential as Nc, RemoteSiteSetting as Rss,
};

static FIELDS: &[Entry] = &[
    // ---- NamedCredential -------------------------------------------------
    Entry {
        kind: Nc,
        element: "endpoint",
        en: r#"**`endpoint`** — the URL a legacy named credential calls.

Used when `namedCredentialType` is absent or `Legacy`; newer named credentials keep the URL in a `Url` parameter instead.

Values:
- an absolute URL, e.g. `https://outlook.office365.com/EWS/Exchange.asmx`

Checked: the host tells where Exchange is (Exchange Online in which cloud, or an on-premises server). EXO001 reports a password sent to an Exchange Online host; EXO002 reports a URL on Exchange Web Services (`/EWS/`) in Exchange Online."#,
        ja: r#"**`endpoint`** — レガシーの指定ログイン情報の呼び出し先 URL。

`namedCredentialType` がない、または `Legacy` の場合に使われます。新しい指定ログイン情報では、URL は `Url` パラメーターに入ります。

値:
- 絶対 URL（例: `https://outlook.office365.com/EWS/Exchange.asmx`）

検査内容: ホストから Exchange の場所（どのクラウドの Exchange Online か、オンプレミスのサーバーか）を判断します。EXO001 は Exchange Online のホストにパスワードを送る設定を、EXO002 は Exchange Online の Exchange Web Services（`/EWS/`）を指す URL を報告します。"#,
    },
    Entry {
        kind: Nc,
        element: "protocol",
        en: r#"**`protocol`** — how a legacy named credential authenticates.

Values:
- `Password` — sends a user name and password (basic authentication)
- `Oauth` — gets a token through the auth provider in `authProvider`
- `NoAuthentication`, `AwsSv4`, `Jwt`, `JwtExchange`

Checked: `Password` (any case) against an Exchange Online host is EXO001 (Exchange Online has rejected basic authentication since 2022-10-01). With `principalType` `NamedUser` (or none) against an Exchange endpoint, it also shows that Lightning Sync uses a service account (LS001)."#,
        ja: r#"**`protocol`** — レガシーの指定ログイン情報の認証方式。

値:
- `Password` — ユーザー名とパスワードを送信（基本認証）
- `Oauth` — `authProvider` の認証プロバイダーからトークンを取得
- `NoAuthentication`、`AwsSv4`、`Jwt`、`JwtExchange`

検査内容: Exchange Online のホストに対する `Password`（大文字小文字は問わない）は EXO001 として報告します（Exchange Online は 2022-10-01 から基本認証を受け付けていません）。`principalType` が `NamedUser`（または指定なし）で Exchange のエンドポイントに対して使われている場合は、Lightning Sync がサービスアカウントを使っている根拠にもなります（LS001）。"#,
    },
    Entry {
        kind: Nc,
        element: "principalType",
        en: r#"**`principalType`** — whose identity a legacy named credential uses.

Values:
- `NamedUser` — one shared identity for the whole org (a service account)
- `PerUser` — each user signs in with their own account
- `Anonymous` — no identity

Checked: with `protocol` Password, `NamedUser` (or no `principalType`) marks a shared service-account password; against an Exchange endpoint that is how the tool infers a Lightning Sync service-account connection (LS001). The EXO001 fix removes this element."#,
        ja: r#"**`principalType`** — レガシーの指定ログイン情報が使う ID の種類。

値:
- `NamedUser` — 組織全体で 1 つの共有 ID（サービスアカウント）
- `PerUser` — ユーザーごとに自分のアカウントでサインイン
- `Anonymous` — ID なし

検査内容: `protocol` が Password のとき、`NamedUser`（または `principalType` なし）は共有のサービスアカウントのパスワードを意味します。Exchange のエンドポイントに対するものであれば、Lightning Sync がサービスアカウントで接続していると推定します（LS001）。EXO001 の修正はこの要素を削除します。"#,
    },
    Entry {
        kind: Nc,
        element: "username",
        en: r#"**`username`** — the user name a legacy named credential signs in with (`protocol` Password).

Values:
- a user name, often a mailbox address such as `svc-sync@contoso.com`

Checked: not a secret itself, but together with a password it is basic authentication (EXO001). The EXO001 fix uses its domain as the Entra ID tenant when the project does not declare `tenant`, then removes the element."#,
        ja: r#"**`username`** — レガシーの指定ログイン情報がサインインに使うユーザー名（`protocol` が Password の場合）。

値:
- ユーザー名。`svc-sync@contoso.com` のようなメールボックスのアドレスが多い

検査内容: それ自体はシークレットではありませんが、パスワードと組み合わせると基本認証になります（EXO001）。EXO001 の修正は、プロジェクトで `tenant` が宣言されていなければこのドメインを Entra ID のテナントとして使い、その後この要素を削除します。"#,
    },
    Entry {
        kind: Nc,
        element: "password",
        en: r#"**`password`** — the password of a legacy named credential (`protocol` Password).

Values:
- a secret; a retrieve from Salesforce never returns it, so the element is normally absent or empty

Checked: a non-empty value is SEC001 (secret committed in metadata); its value is never printed. Its presence with an Exchange Online endpoint is basic authentication (EXO001)."#,
        ja: r#"**`password`** — レガシーの指定ログイン情報のパスワード（`protocol` が Password の場合）。

値:
- シークレット。Salesforce から取得（retrieve）しても返されないため、通常は要素がないか空です

検査内容: 空でない値は SEC001（メタデータ内のシークレット）として報告します。値そのものは表示しません。Exchange Online のエンドポイントと組み合わせた場合は基本認証です（EXO001）。"#,
    },
    Entry {
        kind: Nc,
        element: "oauthToken",
        en: r#"**`oauthToken`** — a stored OAuth access token of a legacy named credential.

Values:
- a secret; a retrieve from Salesforce never returns it

Checked: a non-empty value is SEC001 (secret committed in metadata); its value is never printed."#,
        ja: r#"**`oauthToken`** — レガシーの指定ログイン情報に保存された OAuth アクセストークン。

値:
- シークレット。Salesforce から取得（retrieve）しても返されません

検査内容: 空でない値は SEC001（メタデータ内のシークレット）として報告します。値そのものは表示しません。"#,
    },
    Entry {
        kind: Nc,
        element: "oauthRefreshToken",
        en: r#"**`oauthRefreshToken`** — a stored OAuth refresh token of a legacy named credential.

Values:
- a secret; a retrieve from Salesforce never returns it

Checked: a non-empty value is SEC001 (secret committed in metadata); its value is never printed. A refresh token outlives access tokens: rotate it if it was committed."#,
        ja: r#"**`oauthRefreshToken`** — レガシーの指定ログイン情報に保存された OAuth 更新トークン。

値:
- シークレット。Salesforce から取得（retrieve）しても返されません

検査内容: 空でない値は SEC001（メタデータ内のシークレット）として報告します。値そのものは表示しません。更新トークンはアクセストークンより長く有効なため、コミットしてしまった場合は無効化して発行し直してください。"#,
    },
    Entry {
        kind: Nc,
        element: "authProvider",
        en: r#"**`authProvider`** — the API name of the auth provider a legacy named credential gets its OAuth token from (`protocol` Oauth).

Values:
- the name of an `AuthProvider` (e.g. one with `providerType` Microsoft for Entra ID)

Checked: the EXO001 "legacy OAuth" fix sets it to a Microsoft (Entra ID) auth provider, reusing one of the project if there is one. An auth provider of type MicrosoftACS is AP001."#,
        ja: r#"**`authProvider`** — レガシーの指定ログイン情報が OAuth トークンを取得する認証プロバイダーの API 参照名（`protocol` が Oauth の場合）。

値:
- `AuthProvider` の名前（Entra ID なら `providerType` が Microsoft のもの）

検査内容: EXO001 の「レガシー OAuth」修正は、ここに Microsoft（Entra ID）の認証プロバイダーを設定します（プロジェクトに既にあればそれを使います）。種別が MicrosoftACS の認証プロバイダーは AP001 として報告します。"#,
    },
    Entry {
        kind: Nc,
        element: "oauthScope",
        en: r#"**`oauthScope`** — the OAuth scopes a legacy named credential requests, separated by spaces.

Values:
- scopes, e.g. `https://outlook.office365.com/EWS.AccessAsUser.All offline_access` (delegated EWS access, with a refresh token)

Checked: the EXO001 "legacy OAuth" fix sets the delegated EWS scope of the credential's cloud plus `offline_access`."#,
        ja: r#"**`oauthScope`** — レガシーの指定ログイン情報が要求する OAuth スコープ（スペース区切り）。

値:
- スコープ（例: `https://outlook.office365.com/EWS.AccessAsUser.All offline_access` — 委任された EWS アクセスと更新トークン）

検査内容: EXO001 の「レガシー OAuth」修正は、ログイン情報のクラウドに対応する委任 EWS スコープと `offline_access` を設定します。"#,
    },
    Entry {
        kind: Nc,
        element: "namedCredentialType",
        en: r#"**`namedCredentialType`** — the kind of named credential (API 56+).

Values:
- absent or `Legacy` — URL in `endpoint`, authentication in `protocol`, `username`, `password`…
- `SecuredEndpoint` — URL in a `Url` parameter, authentication through an external credential referenced by an `Authentication` parameter

Checked: decides where the tool reads the URL and the authentication. The EXO001 "Convert to OAuth 2.0" fix turns a legacy credential into a `SecuredEndpoint`."#,
        ja: r#"**`namedCredentialType`** — 指定ログイン情報の種類（API 56 以降）。

値:
- なし、または `Legacy` — URL は `endpoint`、認証は `protocol`・`username`・`password` など
- `SecuredEndpoint` — URL は `Url` パラメーター、認証は `Authentication` パラメーターで参照する外部ログイン情報

検査内容: URL と認証情報をどこから読むかがこれで決まります。EXO001 の「OAuth 2.0 に変換」修正は、レガシーの指定ログイン情報を `SecuredEndpoint` に変換します。"#,
    },
    Entry {
        kind: Nc,
        element: "namedCredentialParameters",
        en: r#"**`namedCredentialParameters`** — one setting of a named credential (repeated; API 56+).

Contains `parameterName`, `parameterType`, `parameterValue`, and for an `Authentication` parameter `externalCredential`.

Values of `parameterType`:
- `Url` — the endpoint
- `Authentication` — the external credential used to sign in
- `HttpHeader`, and others

Checked: the `Url` parameter is read like a legacy `endpoint` (EXO001, EXO002); `Authentication` parameters lead to the external credential whose protocol EXO001 checks."#,
        ja: r#"**`namedCredentialParameters`** — 指定ログイン情報の設定 1 件（繰り返し可、API 56 以降）。

`parameterName`、`parameterType`、`parameterValue`、および `Authentication` パラメーターの場合は `externalCredential` を含みます。

`parameterType` の値:
- `Url` — エンドポイント
- `Authentication` — サインインに使う外部ログイン情報
- `HttpHeader` など

検査内容: `Url` パラメーターはレガシーの `endpoint` と同様に読みます（EXO001、EXO002）。`Authentication` パラメーターから外部ログイン情報をたどり、その認証プロトコルを EXO001 で検査します。"#,
    },
    Entry {
        kind: Nc,
        element: "parameterType",
        en: r#"**`parameterType`** — what a named credential parameter holds.

Values:
- `Url` — the endpoint URL (in `parameterValue`)
- `Authentication` — a reference to an external credential (in `externalCredential`)
- `HttpHeader`, `AllowedManagedPackageNamespaces`, and others

Checked: compared ignoring case; `Url` and `Authentication` are the ones the rules read."#,
        ja: r#"**`parameterType`** — 指定ログイン情報のパラメーターの種類。

値:
- `Url` — エンドポイントの URL（`parameterValue` に入る）
- `Authentication` — 外部ログイン情報への参照（`externalCredential` に入る）
- `HttpHeader`、`AllowedManagedPackageNamespaces` など

検査内容: 大文字小文字を区別せずに比較します。ルールが読むのは `Url` と `Authentication` です。"#,
    },
    Entry {
        kind: Nc,
        element: "parameterValue",
        en: r#"**`parameterValue`** — the value of a named credential parameter.

Values:
- for a `Url` parameter: the endpoint, e.g. `https://outlook.office365.com/EWS/Exchange.asmx`

Checked: a `Url` value on an Exchange Online host, with a password-based external credential, is EXO001; on Exchange Web Services (`/EWS/`) in Exchange Online it is EXO002. It also tells the tool where Exchange is (LS rules)."#,
        ja: r#"**`parameterValue`** — 指定ログイン情報のパラメーターの値。

値:
- `Url` パラメーターの場合はエンドポイント（例: `https://outlook.office365.com/EWS/Exchange.asmx`）

検査内容: `Url` の値が Exchange Online のホストで、外部ログイン情報がパスワード認証なら EXO001、Exchange Online の Exchange Web Services（`/EWS/`）なら EXO002 として報告します。Exchange の場所の判断にも使います（LS ルール）。"#,
    },
    Entry {
        kind: Nc,
        element: "externalCredential",
        en: r#"**`externalCredential`** — the API name of the external credential an `Authentication` parameter uses.

Values:
- the name of an `ExternalCredential` in the project (or in the org)

Checked: the tool follows the reference; if that external credential authenticates with a password (`Basic`, `Password`, or a `Basic` AuthHeader) and this named credential calls Exchange Online, EXO001 reports the external credential."#,
        ja: r#"**`externalCredential`** — `Authentication` パラメーターが使う外部ログイン情報の API 参照名。

値:
- プロジェクト（または組織）内の `ExternalCredential` の名前

検査内容: この参照をたどり、その外部ログイン情報がパスワードで認証していて（`Basic`、`Password`、または `Basic` の AuthHeader）、この指定ログイン情報が Exchange Online を呼び出している場合、EXO001 として外部ログイン情報を報告します。"#,
    },
    // ---- ExternalCredential ----------------------------------------------
    Entry {
        kind: Ec,
        element: "authenticationProtocol",
        en: r#"**`authenticationProtocol`** — how an external credential authenticates.

Values:
- `Oauth` — OAuth 2.0 (browser flow, client credentials, JWT bearer…, chosen by the `AuthProtocolVariant` parameter)
- `Basic`, `Password` — a user name and password (basic authentication)
- `Custom` — headers of your own (`AuthHeader` parameters)
- `AwsSv4`, `Jwt`, `JwtExchange`, `NoAuthentication`

Checked: `Basic`, `Password`, or `Custom` with a `Basic` AuthHeader, used by a named credential that calls Exchange Online, is EXO001. The fix rewrites it to `Oauth` with client credentials."#,
        ja: r#"**`authenticationProtocol`** — 外部ログイン情報の認証プロトコル。

値:
- `Oauth` — OAuth 2.0（ブラウザーフロー、クライアントクレデンシャル、JWT ベアラーなど。`AuthProtocolVariant` パラメーターで選択）
- `Basic`、`Password` — ユーザー名とパスワード（基本認証）
- `Custom` — 独自のヘッダー（`AuthHeader` パラメーター）
- `AwsSv4`、`Jwt`、`JwtExchange`、`NoAuthentication`

検査内容: `Basic`、`Password`、または `Basic` の AuthHeader を持つ `Custom` が、Exchange Online を呼び出す指定ログイン情報から使われている場合は EXO001 として報告します。修正では、クライアントクレデンシャルの `Oauth` に書き換えます。"#,
    },
    Entry {
        kind: Ec,
        element: "externalCredentialParameters",
        en: r#"**`externalCredentialParameters`** — one setting of an external credential (repeated).

Contains `parameterName`, `parameterType`, `parameterValue` and, for principals, `sequenceNumber`.

Values of `parameterType`:
- `AuthProtocolVariant`, `AuthProviderUrl`, `AuthParameter` — OAuth settings
- `AuthHeader` — a header sent with every callout
- `NamedPrincipal`, `PerUserPrincipal` — who signs in

Checked: `AuthHeader` values that send `Basic` credentials (EXO001; a literal one is also SEC001); a `NamedPrincipal` marks a shared service identity."#,
        ja: r#"**`externalCredentialParameters`** — 外部ログイン情報の設定 1 件（繰り返し可）。

`parameterName`、`parameterType`、`parameterValue`、およびプリンシパルの場合は `sequenceNumber` を含みます。

`parameterType` の値:
- `AuthProtocolVariant`、`AuthProviderUrl`、`AuthParameter` — OAuth の設定
- `AuthHeader` — すべてのコールアウトで送るヘッダー
- `NamedPrincipal`、`PerUserPrincipal` — サインインする主体

検査内容: `Basic` 認証情報を送る `AuthHeader` の値（EXO001。値が直接書かれていれば SEC001 も）を検査します。`NamedPrincipal` は共有のサービス ID を意味します。"#,
    },
    Entry {
        kind: Ec,
        element: "parameterType",
        en: r#"**`parameterType`** — what an external credential parameter holds.

Values:
- `AuthProtocolVariant` — the OAuth flow, e.g. `ClientCredentialsClientSecret`
- `AuthProviderUrl` — the token endpoint, e.g. `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token`
- `AuthParameter` — e.g. the scope
- `AuthHeader` — a header sent with every callout
- `NamedPrincipal`, `PerUserPrincipal` — who signs in

Checked: compared ignoring case; `AuthHeader`, `NamedPrincipal` and `PerUserPrincipal` are the ones the rules read."#,
        ja: r#"**`parameterType`** — 外部ログイン情報のパラメーターの種類。

値:
- `AuthProtocolVariant` — OAuth のフロー（例: `ClientCredentialsClientSecret`）
- `AuthProviderUrl` — トークンエンドポイント（例: `https://login.microsoftonline.com/<テナント>/oauth2/v2.0/token`）
- `AuthParameter` — スコープなど
- `AuthHeader` — すべてのコールアウトで送るヘッダー
- `NamedPrincipal`、`PerUserPrincipal` — サインインする主体

検査内容: 大文字小文字を区別せずに比較します。ルールが読むのは `AuthHeader`、`NamedPrincipal`、`PerUserPrincipal` です。"#,
    },
    Entry {
        kind: Ec,
        element: "parameterValue",
        en: r#"**`parameterValue`** — the value of an external credential parameter.

Values:
- for `AuthHeader`: the header value, often a formula such as `{!'Bearer ' & $Credential.OAuthToken}`
- for `AuthProviderUrl`: the token endpoint URL

Checked: an `AuthHeader` value that starts with `Basic ` or builds one with `BASE64ENCODE` is basic authentication (EXO001); a literal `Basic <base64>` value is a committed password (SEC001), never printed."#,
        ja: r#"**`parameterValue`** — 外部ログイン情報のパラメーターの値。

値:
- `AuthHeader` の場合: ヘッダーの値。`{!'Bearer ' & $Credential.OAuthToken}` のような数式が多い
- `AuthProviderUrl` の場合: トークンエンドポイントの URL

検査内容: `Basic ` で始まる、または `BASE64ENCODE` で組み立てる `AuthHeader` の値は基本認証です（EXO001）。`Basic <base64>` が直接書かれている場合はコミットされたパスワードとして SEC001 で報告します（値は表示しません）。"#,
    },
    // ---- AuthProvider ----------------------------------------------------
    Entry {
        kind: Ap,
        element: "providerType",
        en: r#"**`providerType`** — the identity provider an auth provider signs in with.

Values:
- `Microsoft` (API 55+) — Microsoft Entra ID
- `MicrosoftACS` — legacy Azure Access Control Service
- `OpenIdConnect`, `Salesforce`, `Google`, and others

Checked: `MicrosoftACS` is AP001: ACS was closed to new Microsoft 365 tenants on 2024-11-01 and retired for all tenants on 2026-04-02 (MC693863). The fix switches to `Microsoft`."#,
        ja: r#"**`providerType`** — 認証プロバイダーがサインインに使う ID プロバイダー。

値:
- `Microsoft`（API 55 以降）— Microsoft Entra ID
- `MicrosoftACS` — 従来の Azure Access Control Service
- `OpenIdConnect`、`Salesforce`、`Google` など

検査内容: `MicrosoftACS` は AP001 として報告します。ACS は 2024-11-01 に新しい Microsoft 365 テナントで利用できなくなり、2026-04-02 にすべてのテナントで廃止されました（MC693863）。修正では `Microsoft` に切り替えます。"#,
    },
    Entry {
        kind: Ap,
        element: "authorizeUrl",
        en: r#"**`authorizeUrl`** — the identity provider's authorization endpoint.

Values:
- for Entra ID: `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/authorize` (the login host of your cloud)

Checked: the AP001 fix writes the v2.0 authorize URL of the same cloud."#,
        ja: r#"**`authorizeUrl`** — ID プロバイダーの認可エンドポイント。

値:
- Entra ID の場合: `https://login.microsoftonline.com/<テナント>/oauth2/v2.0/authorize`（お使いのクラウドのログインホスト）

検査内容: AP001 の修正で、同じクラウドの v2.0 認可 URL を設定します。"#,
    },
    Entry {
        kind: Ap,
        element: "tokenUrl",
        en: r#"**`tokenUrl`** — the identity provider's token endpoint.

Values:
- for Entra ID: `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token` (the login host of your cloud; the tenant id or a verified domain)

Checked: the AP001 fix writes the v2.0 token URL of the same cloud."#,
        ja: r#"**`tokenUrl`** — ID プロバイダーのトークンエンドポイント。

値:
- Entra ID の場合: `https://login.microsoftonline.com/<テナント>/oauth2/v2.0/token`（お使いのクラウドのログインホスト。テナントはテナント ID または検証済みドメイン）

検査内容: AP001 の修正で、同じクラウドの v2.0 トークン URL を設定します。"#,
    },
    Entry {
        kind: Ap,
        element: "defaultScopes",
        en: r#"**`defaultScopes`** — the scopes requested when no named credential asks for others, separated by spaces.

Values:
- e.g. `https://outlook.office365.com/EWS.AccessAsUser.All offline_access`, or Microsoft Graph scopes such as `https://graph.microsoft.com/.default`

Checked: read as written; scopes on Exchange Web Services stop working when EWS in Exchange Online shuts down on 2027-04-01 (see EXO002)."#,
        ja: r#"**`defaultScopes`** — 指定ログイン情報が別のスコープを要求しない場合に使うスコープ（スペース区切り）。

値:
- 例: `https://outlook.office365.com/EWS.AccessAsUser.All offline_access`、または `https://graph.microsoft.com/.default` のような Microsoft Graph のスコープ

検査内容: 書かれたとおりに読みます。Exchange Web Services のスコープは、2027-04-01 に Exchange Online の EWS が停止すると使えなくなります（EXO002 を参照）。"#,
    },
    Entry {
        kind: Ap,
        element: "consumerSecret",
        en: r#"**`consumerSecret`** — the client secret of the app registered with the identity provider.

Values:
- a secret; a retrieve from Salesforce never returns it, so the element is normally absent or empty

Checked: a non-empty value is SEC001 (secret committed in metadata); its value is never printed. Enter it in Setup and rotate it in Entra ID."#,
        ja: r#"**`consumerSecret`** — ID プロバイダーに登録したアプリのクライアントシークレット（コンシューマーの秘密）。

値:
- シークレット。Salesforce から取得（retrieve）しても返されないため、通常は要素がないか空です

検査内容: 空でない値は SEC001（メタデータ内のシークレット）として報告します。値そのものは表示しません。値は設定画面で入力し、Entra ID でシークレットを再発行してください。"#,
    },
    // ---- RemoteSiteSetting -----------------------------------------------
    Entry {
        kind: Rss,
        element: "url",
        en: r#"**`url`** — the site Apex callouts may reach (remote site setting).

Values:
- a URL, scheme and host at least, e.g. `https://outlook.office365.com`

Checked: the host tells where Exchange is (LS rules). A Microsoft host with `http://` is SEC002; a URL on Exchange Web Services (`/EWS/`) in Exchange Online is EXO002."#,
        ja: r#"**`url`** — Apex コールアウトを許可するサイト（リモートサイトの設定）。

値:
- 少なくともスキームとホストを含む URL（例: `https://outlook.office365.com`）

検査内容: ホストから Exchange の場所を判断します（LS ルール）。Microsoft のホストに `http://` を使っていれば SEC002、Exchange Online の Exchange Web Services（`/EWS/`）を指していれば EXO002 として報告します。"#,
    },
    Entry {
        kind: Rss,
        element: "disableProtocolSecurity",
        en: r#"**`disableProtocolSecurity`** — allow callouts over plain HTTP even when the session is HTTPS.

Values:
- `false` (default) — HTTPS required when the org uses HTTPS
- `true` — plain HTTP allowed

Checked: `true` (any case, spaces ignored) for a Microsoft host is SEC002; the fix sets it to `false`."#,
        ja: r#"**`disableProtocolSecurity`** — セッションが HTTPS でも、暗号化されない HTTP でのコールアウトを許可するかどうか（プロトコルセキュリティを無効化）。

値:
- `false`（既定）— 組織が HTTPS を使うときは HTTPS が必須
- `true` — HTTP を許可

検査内容: Microsoft のホストに対する `true`（大文字小文字・前後の空白は無視）は SEC002 として報告します。修正では `false` にします。"#,
    },
    Entry {
        kind: Rss,
        element: "isActive",
        en: r#"**`isActive`** — whether the remote site setting is in effect.

Values:
- `true` — callouts to the URL are allowed
- `false` — kept, but callouts are blocked

Checked: not used to filter: an inactive remote site for an Exchange host still says where the org's mailboxes are, and an inactive insecure setting becomes insecure once it is switched on."#,
        ja: r#"**`isActive`** — リモートサイトの設定が有効かどうか。

値:
- `true` — URL へのコールアウトを許可
- `false` — 設定は残るが、コールアウトはブロック

検査内容: 絞り込みには使いません。無効なリモートサイトでも Exchange のホストであればメールボックスの場所の手がかりになり、安全でない設定は有効にした時点で問題になるためです。"#,
    },
    // ---- EmailIntegrationSettings ----------------------------------------
    Entry {
        kind: Email,
        element: "enableContactAndEventSync",
        en: r#"**`enableContactAndEventSync`** — contact and event sync between Microsoft Exchange (or Google) and Salesforce (API 48+). Lightning Sync or Einstein Activity Capture must be enabled.

Values:
- `true` — sync is on
- `false` — sync is off

Checked: `true` (any case) without Einstein Activity Capture (`enableActivityCapture` in `EAC.settings`) means Lightning Sync is in use. The LS rules report on this element: LS001 (service account on Exchange Online), LS002 (unverified), LS003 (OAuth 2.0 on Exchange Online), LS004 (on-premises)."#,
        ja: r#"**`enableContactAndEventSync`** — Microsoft Exchange（または Google）と Salesforce の間の取引先責任者と行動の同期（API 48 以降）。Lightning Sync または Einstein 活動キャプチャが有効である必要があります。

値:
- `true` — 同期が有効
- `false` — 同期が無効

検査内容: `true`（大文字小文字は問わない）で、Einstein 活動キャプチャ（`EAC.settings` の `enableActivityCapture`）が無効なら、Lightning Sync を使っていると判断します。LS ルールはこの要素で報告します: LS001（Exchange Online でのサービスアカウント）、LS002（未確認）、LS003（Exchange Online での OAuth 2.0）、LS004（オンプレミス）。"#,
    },
    Entry {
        kind: Email,
        element: "enableOutlookIntegration",
        en: r#"**`enableOutlookIntegration`** — the Outlook integration (Salesforce side panel in Outlook).

Values:
- `true`, `false`

Checked: which mail system the org uses. `true` means Microsoft (Outlook / Exchange) is in play. With `enableGmailIntegration` true and this one off (and no Microsoft endpoint in the project), the org is Google only and no Exchange rule reports; with both on, LS002 asks whether Lightning Sync syncs with Google or with Exchange. Whether contacts and events sync is decided by `enableContactAndEventSync`."#,
        ja: r#"**`enableOutlookIntegration`** — Outlook 連携（Outlook 内の Salesforce サイドパネル）。

値:
- `true`、`false`

検査内容: 組織が使うメールシステムの判断に使います。`true` なら Microsoft（Outlook / Exchange）が使われています。`enableGmailIntegration` が true でこの設定が無効（かつプロジェクトに Microsoft の接続先がない）なら Google のみの組織とみなし、Exchange のルールは何も報告しません。両方が有効なら、LS002 は Lightning Sync の同期先が Google か Exchange かを尋ねます。同期するかどうかは `enableContactAndEventSync` で決まります。"#,
    },
    Entry {
        kind: Email,
        element: "enableGmailIntegration",
        en: r#"**`enableGmailIntegration`** — the Gmail integration (Salesforce side panel in Gmail).

Values:
- `true`, `false`

Checked: which mail system the org uses. `true` with Outlook off and nothing in the project pointing at Microsoft: the org is Google only, and no Lightning Sync or EAC001 finding is made (Lightning Sync also syncs with Google). With Outlook on too, LS002 names both possibilities and offers to declare Google Workspace (`exchange: "none"`)."#,
        ja: r#"**`enableGmailIntegration`** — Gmail 連携（Gmail 内の Salesforce サイドパネル）。

値:
- `true`、`false`

検査内容: 組織が使うメールシステムの判断に使います。`true` で Outlook が無効、かつプロジェクトに Microsoft を指すものがなければ Google のみの組織とみなし、Lightning Sync と EAC001 の指摘はしません（Lightning Sync は Google とも同期します）。Outlook も有効なら、LS002 は両方の可能性を示し、Google Workspace の宣言（`exchange: "none"`）を提案します。"#,
    },
    Entry {
        kind: Email,
        element: "enableInboxUseGraphApi",
        en: r#"**`enableInboxUseGraphApi`** — Inbox (Salesforce's email app features) talks to Microsoft 365 over Microsoft Graph.

Values:
- `true`, `false`

Checked: `true` means Microsoft 365 mail is in play (like `enableOutlookIntegration`)."#,
        ja: r#"**`enableInboxUseGraphApi`** — Inbox（Salesforce のメールアプリ機能）が Microsoft Graph で Microsoft 365 と通信します。

値:
- `true`、`false`

検査内容: `true` なら Microsoft 365 のメールが使われています（`enableOutlookIntegration` と同じ扱い）。"#,
    },
    Entry {
        kind: Email,
        element: "enableEngageForOutlook",
        en: r#"**`enableEngageForOutlook`** — Engage (Pardot email tracking) in Outlook.

Values:
- `true`, `false`

Checked: `true` means Outlook is in play (like `enableOutlookIntegration`)."#,
        ja: r#"**`enableEngageForOutlook`** — Outlook での Engage（Pardot のメール追跡）。

値:
- `true`、`false`

検査内容: `true` なら Outlook が使われています（`enableOutlookIntegration` と同じ扱い）。"#,
    },
    // ---- EACSettings -----------------------------------------------------
    Entry {
        kind: Eac,
        element: "enableActivityCapture",
        en: r#"**`enableActivityCapture`** — Einstein Activity Capture is on. Needs `provisionProductivityFeatures`.

Values:
- `true`, `false`

Checked: `true` (any case) means sync is not on Lightning Sync, so the LS rules stay silent. The LS001/LS003 fix "Move sync to Einstein Activity Capture" sets it to `true`."#,
        ja: r#"**`enableActivityCapture`** — Einstein 活動キャプチャが有効。`provisionProductivityFeatures` が必要です。

値:
- `true`、`false`

検査内容: `true`（大文字小文字は問わない）なら同期は Lightning Sync ではないため、LS ルールは報告しません。LS001/LS003 の修正「Einstein 活動キャプチャに移行」はこれを `true` にします。"#,
    },
    Entry {
        kind: Eac,
        element: "provisionProductivityFeatures",
        en: r#"**`provisionProductivityFeatures`** — provisions the productivity features; `enableActivityCapture` needs it.

Values:
- `true`, `false`

Checked: not reported; the LS001/LS003 fix "Move sync to Einstein Activity Capture" sets it to `true` together with `enableActivityCapture`."#,
        ja: r#"**`provisionProductivityFeatures`** — 生産性機能を準備します。`enableActivityCapture` にはこの設定が必要です。

値:
- `true`、`false`

検査内容: 報告はしません。LS001/LS003 の修正「Einstein 活動キャプチャに移行」は、`enableActivityCapture` とあわせてこれを `true` にします。"#,
    },
    Entry {
        kind: Eac,
        element: "enableActivitySyncEngine",
        en: r#"**`enableActivitySyncEngine`** — an Einstein Activity Capture sync setting.

Values:
- `true`, `false`

Checked: nothing: only `enableActivityCapture` decides whether sync runs on Einstein Activity Capture or Lightning Sync."#,
        ja: r#"**`enableActivitySyncEngine`** — Einstein 活動キャプチャの同期に関する設定。

値:
- `true`、`false`

検査内容: なし。同期が Einstein 活動キャプチャか Lightning Sync かは `enableActivityCapture` だけで判断します。"#,
    },
    Entry {
        kind: Eac,
        element: "s2XSvcAccEmail",
        en: r#"**`s2XSvcAccEmail`** — set by Salesforce (API 62+) when it warned this org that Einstein Activity Capture connects to Exchange Online with a service account over OAuth.

Values:
- `true` — the org was warned
- `false`

Checked: `true` is EAC001: service-account OAuth to Office 365 was retired on 2025-02-01 (Salesforce Knowledge Article 002420794). Reconnect in Setup with user-level or application-level OAuth over Microsoft Graph."#,
        ja: r#"**`s2XSvcAccEmail`** — Einstein 活動キャプチャが Exchange Online にサービスアカウントの OAuth で接続していることを Salesforce がこの組織に通知したときに設定されます（API 62 以降）。

値:
- `true` — 通知済み
- `false`

検査内容: `true` は EAC001 として報告します。Office 365 へのサービスアカウント OAuth は 2025-02-01 に廃止されました（Salesforce ナレッジ記事 002420794）。設定画面で、Microsoft Graph を使うユーザーレベルまたはアプリケーションレベルの OAuth で接続し直してください。"#,
    },
];

/// Where `url` points, for hover on a URL value: the Microsoft cloud and
/// service of its host, or an on-premises Exchange server, with the dates
/// that matter for it (basic authentication, EWS retirement).
pub fn url_doc(url: &UrlInfo, lang: Lang) -> String {
    let host = &url.host;
    let mut out = match url.class {
        HostClass::Microsoft(cloud, service) => {
            let cloud_name = cloud_name(cloud, lang);
            let service_name = match (service, lang) {
                (MicrosoftService::ExchangeOnline, _) => "Exchange Online",
                (MicrosoftService::Identity, Lang::En) => "Microsoft Entra ID sign-in",
                (MicrosoftService::Identity, Lang::Ja) => "Microsoft Entra ID のサインイン",
                (MicrosoftService::Graph, _) => "Microsoft Graph",
                (MicrosoftService::Microsoft365, _) => "Microsoft 365",
            };
            let mut s = match lang {
                Lang::En => format!("**`{host}`** — {service_name}, {cloud_name}."),
                Lang::Ja => format!("**`{host}`** — {service_name}（{cloud_name}）。"),
            };
            if service == MicrosoftService::Identity && host == Cloud::GccHigh.login_host() {
                s.push_str(lang.pick(
                    " The same host serves the DoD cloud.",
                    "DoD クラウドも同じホストを使います。",
                ));
            }
            s.push_str("\n\n");
            s.push_str(&microsoft_details(url, cloud, service, lang));
            s
        }
        HostClass::OnPremisesExchange => {
            let mut s = match lang {
                Lang::En => format!(
                    "**`{host}`** — an on-premises Exchange server (inferred: the path is an Exchange endpoint on a host that is not Exchange Online).\n\n"
                ),
                Lang::Ja => format!(
                    "**`{host}`** — オンプレミスの Exchange サーバー（推定: Exchange Online 以外のホストで、パスが Exchange のエンドポイント）。\n\n"
                ),
            };
            let blocked = timeline::BASIC_AUTH_BLOCKED.when(lang);
            let eos2013 = timeline::EXCHANGE_2013_EOS.when(lang);
            let eos2016 = timeline::EXCHANGE_2016_2019_EOS.when(lang);
            let ls = timeline::LIGHTNING_SYNC_RETIRED.when(lang);
            s.push_str(&match lang {
                Lang::En => format!(
                    "- Not affected by Exchange Online's basic-authentication block of {blocked}.\n- Exchange 2013 support ended on {eos2013}; Exchange 2016 and 2019 on {eos2016} (Exchange Server SE succeeds them).\n- Lightning Sync retires in {ls}."
                ),
                Lang::Ja => format!(
                    "- {blocked}の Exchange Online の基本認証停止の影響は受けません。\n- Exchange 2013 のサポートは {eos2013}に、Exchange 2016・2019 のサポートは {eos2016}に終了しました（後継は Exchange Server SE）。\n- Lightning Sync は {ls}に廃止されます。"
                ),
            });
            if url.is_ews_path() {
                s.push_str(lang.pick(
                    "\n- Exchange Web Services on this server are not part of Exchange Online's EWS shutdown.",
                    "\n- このサーバーの Exchange Web Services は、Exchange Online の EWS 停止の対象外です。",
                ));
            }
            s
        }
        HostClass::Other => match lang {
            Lang::En => format!(
                "**`{host}`** — not a Microsoft 365 (Exchange Online, Entra ID, Microsoft Graph) host, nor a recognisable Exchange endpoint."
            ),
            Lang::Ja => format!(
                "**`{host}`** — Microsoft 365（Exchange Online、Entra ID、Microsoft Graph）のホストでも、Exchange のエンドポイントでもありません。"
            ),
        },
    };
    if url.scheme.as_deref() == Some("http") && matches!(url.class, HostClass::Microsoft(..)) {
        out.push_str(lang.pick(
            "\n\nMicrosoft serves this host only over HTTPS: use `https://` (SEC002).",
            "\n\nこのホストは HTTPS でのみ提供されています。`https://` を使ってください（SEC002）。",
        ));
    }
    out
}

fn cloud_name(cloud: Cloud, lang: Lang) -> &'static str {
    match (cloud, lang) {
        (Cloud::Commercial, Lang::En) => "worldwide (commercial) and GCC cloud",
        (Cloud::Commercial, Lang::Ja) => "商用（グローバル）および GCC クラウド",
        (Cloud::GccHigh, Lang::En) => "US Government GCC High cloud",
        (Cloud::GccHigh, Lang::Ja) => "米国政府機関向け GCC High クラウド",
        (Cloud::Dod, Lang::En) => "US Government DoD cloud",
        (Cloud::Dod, Lang::Ja) => "米国政府機関向け DoD クラウド",
        (Cloud::China, Lang::En) => "China cloud operated by 21Vianet",
        (Cloud::China, Lang::Ja) => "21Vianet が運営する中国クラウド",
    }
}

fn microsoft_details(url: &UrlInfo, cloud: Cloud, service: MicrosoftService, lang: Lang) -> String {
    let login = cloud.login_host();
    let graph = cloud.graph_host();
    let exchange = cloud.exchange_host();
    match service {
        MicrosoftService::ExchangeOnline => {
            let blocked = timeline::BASIC_AUTH_BLOCKED.when(lang);
            let mut lines = vec![match lang {
                Lang::En => format!(
                    "- Basic authentication (user name and password) has been rejected since {blocked} (MC424238): use OAuth 2.0 with tokens from `{login}`."
                ),
                Lang::Ja => format!(
                    "- 基本認証（ユーザー名とパスワード）は {blocked}から受け付けられていません（MC424238）。`{login}` から取得したトークンで OAuth 2.0 を使ってください。"
                ),
            }];
            if url.host.starts_with("smtp") {
                let smtp = timeline::SMTP_AUTH_DEFAULT_OFF.when(lang);
                lines.push(match lang {
                    Lang::En => format!(
                        "- SMTP AUTH with basic authentication is disabled by default from the {smtp} for existing tenants (Tech Community 4489835)."
                    ),
                    Lang::Ja => format!(
                        "- 既存のテナントでは、{smtp}から SMTP AUTH の基本認証が既定で無効になります（Tech Community 4489835）。"
                    ),
                });
            }
            if url.is_ews_path() {
                let begin = timeline::EWS_BLOCKED_BY_DEFAULT.when(lang);
                let end = timeline::EWS_SHUTDOWN.when(lang);
                lines.push(match lang {
                    Lang::En => format!(
                        "- This is Exchange Web Services (EWS). EWS in Exchange Online is blocked by default from {begin} (only apps the tenant allow-lists in `EWSAllowedAppIDs` keep working) and shut down permanently on {end} (MC1227454). Its successor is Microsoft Graph: `https://{graph}`."
                    ),
                    Lang::Ja => format!(
                        "- これは Exchange Web Services（EWS）です。Exchange Online の EWS は {begin}から既定でブロックされ（テナントが `EWSAllowedAppIDs` の許可リストに登録したアプリのみ動作）、{end}に完全に停止します（MC1227454）。後継は Microsoft Graph（`https://{graph}`）です。"
                    ),
                });
            }
            lines.push(match lang {
                Lang::En => format!("- Scopes: delegated `https://{exchange}/EWS.AccessAsUser.All`; app-only `https://{exchange}/.default`."),
                Lang::Ja => format!("- スコープ: 委任は `https://{exchange}/EWS.AccessAsUser.All`、アプリのみは `https://{exchange}/.default`。"),
            });
            lines.join("\n")
        }
        MicrosoftService::Identity => match lang {
            Lang::En => format!(
                "- Token endpoint: `https://{login}/<tenant>/oauth2/v2.0/token`; authorize endpoint: `https://{login}/<tenant>/oauth2/v2.0/authorize`. `<tenant>` is the tenant id or a verified domain.\n- Exchange Online of this cloud: `{exchange}`; Microsoft Graph: `{graph}`."
            ),
            Lang::Ja => format!(
                "- トークンエンドポイント: `https://{login}/<テナント>/oauth2/v2.0/token`、認可エンドポイント: `https://{login}/<テナント>/oauth2/v2.0/authorize`。`<テナント>` はテナント ID または検証済みドメインです。\n- このクラウドの Exchange Online: `{exchange}`、Microsoft Graph: `{graph}`。"
            ),
        },
        MicrosoftService::Microsoft365 => match lang {
            Lang::En => format!(
                "- A Microsoft 365 service (SharePoint, Teams webhooks, Office). Remote sites for it must use HTTPS (SEC002).\n- Tokens come from `{login}`; Microsoft Graph: `{graph}`."
            ),
            Lang::Ja => format!(
                "- Microsoft 365 のサービス（SharePoint、Teams の Webhook、Office）です。リモートサイトは HTTPS を使う必要があります（SEC002）。\n- トークンは `{login}` から取得します。Microsoft Graph: `{graph}`。"
            ),
        },
        MicrosoftService::Graph => match lang {
            Lang::En => format!(
                "- The API that replaces Exchange Web Services for mail and calendars; Einstein Activity Capture syncs over it.\n- Tokens come from `{login}`."
            ),
            Lang::Ja => format!(
                "- メールとカレンダーについて Exchange Web Services に代わる API です。Einstein 活動キャプチャはこの API で同期します。\n- トークンは `{login}` から取得します。"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The elements the rules read (RULES.md), per metadata type.
    const READ_BY_RULES: &[(MetadataKind, &[&str])] = &[
        (
            Nc,
            &[
                "endpoint",
                "protocol",
                "principalType",
                "username",
                "password",
                "oauthToken",
                "oauthRefreshToken",
                "authProvider",
                "oauthScope",
                "namedCredentialType",
                "namedCredentialParameters",
                "parameterType",
                "parameterValue",
                "externalCredential",
            ],
        ),
        (
            Ec,
            &[
                "authenticationProtocol",
                "externalCredentialParameters",
                "parameterType",
                "parameterValue",
            ],
        ),
        (
            Ap,
            &[
                "providerType",
                "authorizeUrl",
                "tokenUrl",
                "defaultScopes",
                "consumerSecret",
            ],
        ),
        (Rss, &["url", "disableProtocolSecurity", "isActive"]),
        (
            Email,
            &[
                "enableContactAndEventSync",
                "enableOutlookIntegration",
                "enableGmailIntegration",
                "enableInboxUseGraphApi",
                "enableEngageForOutlook",
            ],
        ),
        (
            Eac,
            &[
                "enableActivityCapture",
                "provisionProductivityFeatures",
                "enableActivitySyncEngine",
                "s2XSvcAccEmail",
            ],
        ),
    ];

    #[test]
    fn every_read_element_is_documented_in_both_languages() {
        let mut count = 0;
        for (kind, elements) in READ_BY_RULES {
            for element in *elements {
                count += 1;
                let en = field_doc(*kind, element, Lang::En)
                    .unwrap_or_else(|| panic!("{kind:?} {element}: no English doc"));
                let ja = field_doc(*kind, element, Lang::Ja)
                    .unwrap_or_else(|| panic!("{kind:?} {element}: no Japanese doc"));
                let title = format!("**`{element}`**");
                assert!(en.starts_with(&title), "{kind:?} {element}: {en}");
                assert!(ja.starts_with(&title), "{kind:?} {element}: {ja}");
                // A list of values ("Values:" or "Values of `parameterType`:").
                assert!(
                    en.contains("\nValues") && en.contains(":\n- "),
                    "{kind:?} {element}"
                );
                assert!(ja.contains("値:\n- "), "{kind:?} {element}");
                assert!(en.contains("\nChecked: "), "{kind:?} {element}");
                assert!(ja.contains("\n検査内容: "), "{kind:?} {element}");
                assert_ne!(en, ja);
                // The Japanese text is Japanese, not a copy.
                assert!(
                    ja.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
                    "{kind:?} {element}"
                );
            }
        }
        // No entry outside the list (a typo would make a doc unreachable).
        assert_eq!(FIELDS.len(), count);
    }

    #[test]
    fn entries_are_unique() {
        for (i, a) in FIELDS.iter().enumerate() {
            for b in &FIELDS[i + 1..] {
                assert!(
                    a.kind != b.kind || !a.element.eq_ignore_ascii_case(b.element),
                    "{:?} {} twice",
                    a.kind,
                    a.element
                );
            }
        }
    }

    #[test]
    fn lookup_ignores_ascii_case_and_kind_matters() {
        assert_eq!(
            field_doc(Nc, "PROTOCOL", Lang::En),
            field_doc(Nc, "protocol", Lang::En)
        );
        assert!(field_doc(Nc, "OAuthToken", Lang::Ja).is_some());
        // Same element name, different type: different documentation.
        let nc = field_doc(Nc, "parameterType", Lang::En).unwrap();
        let ec = field_doc(Ec, "parameterType", Lang::En).unwrap();
        assert_ne!(nc, ec);
        assert!(nc.contains("`Url`"));
        assert!(ec.contains("`AuthHeader`"));
        // Not read by any rule, or not of this type.
        assert_eq!(field_doc(Nc, "label", Lang::En), None);
        assert_eq!(field_doc(Rss, "protocol", Lang::En), None);
        assert_eq!(field_doc(Nc, "", Lang::En), None);
        assert_eq!(field_doc(Nc, "protocol ", Lang::En), None);
    }

    #[test]
    fn entries_name_the_rules_that_check_them() {
        let expect = [
            (Nc, "protocol", "EXO001"),
            (Nc, "password", "SEC001"),
            (Ap, "providerType", "AP001"),
            (Ap, "consumerSecret", "SEC001"),
            (Rss, "disableProtocolSecurity", "SEC002"),
            (Email, "enableContactAndEventSync", "LS001"),
            (Eac, "s2XSvcAccEmail", "EAC001"),
            (Ec, "authenticationProtocol", "EXO001"),
        ];
        for (kind, element, rule) in expect {
            for lang in [Lang::En, Lang::Ja] {
                let doc = field_doc(kind, element, lang).unwrap();
                assert!(doc.contains(rule), "{kind:?} {element} {lang:?}");
            }
        }
    }

    #[test]
    fn url_fields() {
        assert!(is_url_field(Nc, "Endpoint"));
        assert!(is_url_field(Rss, "url"));
        assert!(is_url_field(Ap, "tokenUrl"));
        assert!(!is_url_field(Nc, "url"));
        assert!(!is_url_field(Rss, "isActive"));
    }

    fn doc(url: &str, lang: Lang) -> String {
        url_doc(&UrlInfo::parse(url).unwrap(), lang)
    }

    #[test]
    fn url_doc_names_cloud_and_service() {
        let d = doc("https://outlook.office365.com/EWS/Exchange.asmx", Lang::En);
        assert!(d.starts_with("**`outlook.office365.com`** — Exchange Online, worldwide"));
        assert!(d.contains("2022-10-01"));
        assert!(d.contains("2026-10-01") && d.contains("2027-04-01"), "{d}");
        assert!(d.contains("`https://graph.microsoft.com`"));

        let d = doc("https://outlook.office365.com/", Lang::En);
        assert!(d.contains("Exchange Online"));
        assert!(!d.contains("2027-04-01"), "not EWS: {d}");

        let d = doc("https://outlook.office365.us/ews/exchange.asmx", Lang::En);
        assert!(d.contains("GCC High"));
        assert!(d.contains("`https://graph.microsoft.us`"));

        let d = doc(
            "https://outlook-dod.office365.us/EWS/Exchange.asmx",
            Lang::En,
        );
        assert!(d.contains("DoD") && d.contains("dod-graph.microsoft.us"));

        let d = doc("https://partner.outlook.cn/EWS/Exchange.asmx", Lang::Ja);
        assert!(d.contains("21Vianet"));
        assert!(d.contains("2027年4月1日"), "{d}");
        assert!(d.contains("microsoftgraph.chinacloudapi.cn"));

        let d = doc(
            "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token",
            Lang::En,
        );
        assert!(d.contains("Entra ID"));
        assert!(d.contains("https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token"));

        let d = doc("https://login.microsoftonline.us", Lang::En);
        assert!(d.contains("GCC High") && d.contains("DoD"));

        let d = doc("https://graph.microsoft.com/v1.0/me", Lang::Ja);
        assert!(d.contains("Microsoft Graph") && d.contains("Einstein 活動キャプチャ"));

        let d = doc("smtp.office365.com", Lang::En);
        assert!(d.contains("SMTP AUTH") && d.contains("end of December 2026"));
    }

    #[test]
    fn url_doc_on_premises_and_other() {
        let d = doc("https://mail.contoso.com/EWS/Exchange.asmx", Lang::En);
        assert!(d.contains("on-premises Exchange"));
        assert!(d.contains("2023-04-11") && d.contains("2025-10-14"));
        assert!(d.contains("not part of Exchange Online's EWS shutdown"));
        let ja = doc("https://mail.contoso.com/EWS/Exchange.asmx", Lang::Ja);
        assert!(ja.contains("オンプレミスの Exchange サーバー"));
        assert!(ja.contains("2027年4月"));

        let d = doc("https://api.example.com/v1", Lang::En);
        assert!(d.contains("not a Microsoft 365"));
        assert!(!d.contains("2022"));
    }

    #[test]
    fn url_doc_flags_plain_http_to_microsoft_only() {
        assert!(doc("http://outlook.office365.com", Lang::En).contains("SEC002"));
        assert!(doc("http://graph.microsoft.com", Lang::Ja).contains("SEC002"));
        assert!(!doc("https://outlook.office365.com", Lang::En).contains("SEC002"));
        assert!(!doc("http://api.example.com", Lang::En).contains("SEC002"));
    }
}
