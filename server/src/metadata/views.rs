//! One view per metadata type. A view borrows a parsed [`SourceFile`] and
//! answers the questions rules ask; element names compare ignoring ASCII
//! case because real files carry `<Protocol>` and the like.

use super::MetadataKind;
use crate::source::SourceFile;
use crate::xml::{ElementId, XmlTree};
use std::borrow::Cow;
use std::ops::Range;

/// A leaf element and its decoded, trimmed value.
#[derive(Clone, Debug)]
pub struct Field<'a> {
    pub element: ElementId,
    pub value: Cow<'a, str>,
    /// The whole element, `<name>` to `</name>`.
    pub range: Range<usize>,
}

impl Field<'_> {
    /// `true`, `True`, ` true ` (RULES.md: booleans compare case-insensitively
    /// after trimming).
    pub fn is_true(&self) -> bool {
        self.value.eq_ignore_ascii_case("true")
    }

    pub fn is(&self, value: &str) -> bool {
        self.value.eq_ignore_ascii_case(value)
    }
}

/// A parsed file's root element, if it is the one `kind` expects.
#[derive(Clone, Copy)]
pub struct Root<'a> {
    pub file: &'a SourceFile,
    pub tree: &'a XmlTree,
    pub id: ElementId,
}

impl<'a> Root<'a> {
    pub fn of(file: &'a SourceFile, kind: MetadataKind) -> Option<Root<'a>> {
        if file.kind != kind {
            return None;
        }
        let tree = file.tree()?;
        let id = tree.root()?;
        tree.local_name(&file.text, id)
            .eq_ignore_ascii_case(kind.root_element())
            .then_some(Root { file, tree, id })
    }

    pub fn field(&self, name: &str) -> Option<Field<'a>> {
        field_of(self.file, self.tree, self.id, name)
    }

    pub fn children(&self, name: &'a str) -> impl Iterator<Item = ElementId> + 'a {
        let (tree, text, id) = (self.tree, self.file.text.as_str(), self.id);
        tree.children_named(text, id, name)
    }

    pub fn range(&self) -> Range<usize> {
        self.tree.element(self.id).range()
    }
}

pub fn field_of<'a>(
    file: &'a SourceFile,
    tree: &'a XmlTree,
    parent: ElementId,
    name: &str,
) -> Option<Field<'a>> {
    let id = tree.child_named(&file.text, parent, name)?;
    let value = tree.value(&file.text, id)?;
    Some(Field {
        element: id,
        value,
        range: tree.element(id).range(),
    })
}

/// A repeated `…Parameters` entry of a named or external credential.
#[derive(Clone, Debug)]
pub struct Parameter<'a> {
    pub element: ElementId,
    pub range: Range<usize>,
    pub name: Option<Field<'a>>,
    pub kind: Option<Field<'a>>,
    pub value: Option<Field<'a>>,
    /// `externalCredential` (named-credential parameters only).
    pub external_credential: Option<Field<'a>>,
}

impl Parameter<'_> {
    pub fn is_kind(&self, kind: &str) -> bool {
        self.kind.as_ref().is_some_and(|k| k.is(kind))
    }
}

fn parameter<'a>(root: Root<'a>, id: ElementId) -> Parameter<'a> {
    let f = |name| field_of(root.file, root.tree, id, name);
    Parameter {
        element: id,
        range: root.tree.element(id).range(),
        name: f("parameterName"),
        kind: f("parameterType"),
        value: f("parameterValue"),
        external_credential: f("externalCredential"),
    }
}

fn parameters<'a>(root: Root<'a>, element: &'a str) -> Vec<Parameter<'a>> {
    root.children(element)
        .map(|id| parameter(root, id))
        .collect()
}

/// The parameters whose `parameterType` is `kind`, built only for those:
/// a credential may carry thousands of header parameters and the rules
/// mostly want its one `Url` or `Authentication` entries.
fn parameters_of_type<'a>(
    root: Root<'a>,
    element: &'a str,
    kind: &'a str,
) -> impl Iterator<Item = Parameter<'a>> + 'a {
    root.children(element)
        .filter(move |&id| {
            field_of(root.file, root.tree, id, "parameterType").is_some_and(|k| k.is(kind))
        })
        .map(move |id| parameter(root, id))
}

macro_rules! fields {
    ($($method:ident => $element:literal),* $(,)?) => {
        $(
            #[doc = concat!("`<", $element, ">`")]
            pub fn $method(&self) -> Option<Field<'a>> {
                self.root.field($element)
            }
        )*
    };
}

macro_rules! view {
    ($name:ident, $kind:ident) => {
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            pub root: Root<'a>,
        }

        impl<'a> $name<'a> {
            pub fn of(file: &'a SourceFile) -> Option<Self> {
                Root::of(file, MetadataKind::$kind).map(|root| $name { root })
            }
        }
    };
}

view!(NamedCredential, NamedCredential);
view!(ExternalCredential, ExternalCredential);
view!(AuthProvider, AuthProvider);
view!(RemoteSiteSetting, RemoteSiteSetting);
view!(EmailIntegrationSettings, EmailIntegrationSettings);
view!(EacSettings, EacSettings);

impl<'a> NamedCredential<'a> {
    fields! {
        label => "label",
        named_credential_type => "namedCredentialType",
        endpoint => "endpoint",
        protocol => "protocol",
        principal_type => "principalType",
        username => "username",
        password => "password",
        oauth_token => "oauthToken",
        oauth_refresh_token => "oauthRefreshToken",
        auth_provider => "authProvider",
        oauth_scope => "oauthScope",
    }

    /// Legacy when `namedCredentialType` is absent or `Legacy`.
    pub fn is_legacy(&self) -> bool {
        self.named_credential_type().is_none_or(|t| t.is("Legacy"))
    }

    pub fn parameters(&self) -> Vec<Parameter<'a>> {
        parameters(self.root, "namedCredentialParameters")
    }

    /// The endpoint: legacy `endpoint`, or the `Url` parameter's value.
    pub fn url(&self) -> Option<Field<'a>> {
        if self.is_legacy() {
            if let Some(endpoint) = self.endpoint() {
                return Some(endpoint);
            }
        }
        parameters_of_type(self.root, "namedCredentialParameters", "Url")
            .next()
            .and_then(|p| p.value)
    }

    /// `HttpHeader` parameters named `Authorization` whose value sends HTTP
    /// basic credentials: a literal `Basic …` or a formula that builds one
    /// (`{!'Basic ' & BASE64ENCODE(…)}`), the named-credential twin of an
    /// external credential's basic `AuthHeader`.
    pub fn basic_auth_headers(&self) -> Vec<Parameter<'a>> {
        let root = self.root;
        // Named `Authorization` first: a credential may carry thousands of
        // other headers, read on every check; only these are built whole.
        root.children("namedCredentialParameters")
            .filter(|&id| {
                let f = |name| field_of(root.file, root.tree, id, name);
                f("parameterType").is_some_and(|k| k.is("HttpHeader"))
                    && f("parameterName")
                        .is_some_and(|n| n.value.trim().eq_ignore_ascii_case("Authorization"))
            })
            .map(|id| parameter(root, id))
            .filter(|p| {
                p.value
                    .as_ref()
                    .is_some_and(|v| builds_basic_header(&v.value))
            })
            .collect()
    }

    /// Its `HttpHeader` parameters.
    pub fn header_parameters(&self) -> Vec<Parameter<'a>> {
        parameters_of_type(self.root, "namedCredentialParameters", "HttpHeader").collect()
    }

    /// Names of the external credentials its `Authentication` parameters
    /// reference.
    pub fn external_credentials(&self) -> Vec<Field<'a>> {
        parameters_of_type(self.root, "namedCredentialParameters", "Authentication")
            .filter_map(|p| p.external_credential)
            .collect()
    }
}

impl<'a> ExternalCredential<'a> {
    fields! {
        label => "label",
        authentication_protocol => "authenticationProtocol",
    }

    pub fn parameters(&self) -> Vec<Parameter<'a>> {
        parameters(self.root, "externalCredentialParameters")
    }

    pub fn has_named_principal(&self) -> bool {
        self.parameters()
            .iter()
            .any(|p| p.is_kind("NamedPrincipal"))
    }

    pub fn has_per_user_principal(&self) -> bool {
        self.parameters()
            .iter()
            .any(|p| p.is_kind("PerUserPrincipal"))
    }

    /// `AuthHeader` parameters whose value sends HTTP basic credentials:
    /// a literal `Basic …` or a formula that builds one with `BASE64ENCODE`.
    pub fn basic_auth_headers(&self) -> Vec<Parameter<'a>> {
        self.parameters()
            .into_iter()
            .filter(|p| p.is_kind("AuthHeader"))
            .filter(|p| {
                p.value
                    .as_ref()
                    .is_some_and(|v| builds_basic_header(&v.value))
            })
            .collect()
    }
}

/// What follows `Basic` and the ASCII whitespace after it (a space, or a
/// tab, a line break…: Salesforce sends the value as it is, and the token
/// is a password either way); `None` when `value` does not start so.
pub fn after_basic(value: &str) -> Option<&str> {
    let rest = value
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("basic"))
        .map(|_| &value[5..])?;
    rest.starts_with(|c: char| c.is_ascii_whitespace())
        .then(|| rest.trim_start_matches(|c: char| c.is_ascii_whitespace()))
}

/// `Basic dXNlcjpwYXNz`, `"Basic " & …`, `{!'Basic ' & BASE64ENCODE(…)}`.
pub fn builds_basic_header(value: &str) -> bool {
    let v = value.trim();
    after_basic(v).is_some()
        || v.to_ascii_lowercase().contains("base64encode")
        || v.match_indices(['\'', '"'])
            .any(|(i, _)| after_basic(&v[i + 1..]).is_some())
}

/// A literal `Basic <base64>` value: a committed secret, unlike a formula.
pub fn is_literal_basic_credential(value: &str) -> bool {
    literal_basic_token(value).is_some()
}

/// The token of a literal `Basic <base64>` value: bare, quoted as a formula
/// string (`'Basic …'`, `"Basic …"`), or a formula that is only that string
/// (`{!'Basic …'}`). A merge field or a formula that builds the value
/// (`'Basic {!$Credential.X}'`, `BASE64ENCODE(…)`) is no token.
pub fn literal_basic_token(value: &str) -> Option<&str> {
    let mut v = value.trim();
    if let Some(inner) = v.strip_prefix("{!").and_then(|s| s.strip_suffix('}')) {
        v = inner.trim();
    }
    if let Some(inner) = ['\'', '"']
        .iter()
        .find_map(|&q| v.strip_prefix(q).and_then(|s| s.strip_suffix(q)))
    {
        v = inner;
    }
    let rest = after_basic(v)?.trim();
    let is_token = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=-_".contains(&b));
    is_token.then_some(rest)
}

impl<'a> AuthProvider<'a> {
    fields! {
        friendly_name => "friendlyName",
        provider_type => "providerType",
        authorize_url => "authorizeUrl",
        token_url => "tokenUrl",
        default_scopes => "defaultScopes",
        consumer_key => "consumerKey",
        consumer_secret => "consumerSecret",
    }
}

impl<'a> RemoteSiteSetting<'a> {
    fields! {
        url => "url",
        is_active => "isActive",
        disable_protocol_security => "disableProtocolSecurity",
        description => "description",
    }
}

impl RemoteSiteSetting<'_> {
    /// `isActive` is false: Salesforce allows no callout to the site (an
    /// integration switched off and kept, a common shape after a
    /// migration). Without the element the site counts as active.
    pub fn is_inactive(&self) -> bool {
        self.is_active().is_some_and(|f| f.is("false"))
    }
}

impl<'a> EmailIntegrationSettings<'a> {
    fields! {
        enable_contact_and_event_sync => "enableContactAndEventSync",
        enable_outlook_integration => "enableOutlookIntegration",
        enable_gmail_integration => "enableGmailIntegration",
        enable_inbox_use_graph_api => "enableInboxUseGraphApi",
        enable_engage_for_outlook => "enableEngageForOutlook",
    }
}

impl<'a> EacSettings<'a> {
    fields! {
        enable_activity_capture => "enableActivityCapture",
        provision_productivity_features => "provisionProductivityFeatures",
        s2x_svc_acc_email => "s2XSvcAccEmail",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_basic_credentials() {
        assert!(is_literal_basic_credential("Basic dXNlcjpwYXNz"));
        assert!(!is_literal_basic_credential(
            "{!'Basic ' & BASE64ENCODE(BLOB($Credential.U))}"
        ));
        assert!(!is_literal_basic_credential("Bearer x"));
        // A formula string holding the header is as literal.
        for (value, token) in [
            ("'Basic dXNlcjpwYXNzd29yZA=='", "dXNlcjpwYXNzd29yZA=="),
            ("\"Basic dXNlcjpw\"", "dXNlcjpw"),
            (" {! 'basic dXNlcjpw ' } ", "dXNlcjpw"),
            ("Basic\tdXNlcjpw", "dXNlcjpw"),
            ("'Basic\r\n dXNlcjpw'", "dXNlcjpw"),
        ] {
            assert_eq!(literal_basic_token(value), Some(token), "{value}");
        }
        for value in [
            "'Bearer {!$Credential.OAuthToken}'",
            "'Basic {!$Credential.X.Token}'",
            "'Basic ' & {!$Credential.X.Token}",
            "'Basic dXNlcjpw",
            "'Basic dXNlcjpw\"",
            "'Basic '",
            "'",
        ] {
            assert_eq!(literal_basic_token(value), None, "{value}");
        }
        assert!(builds_basic_header(
            "{!'Basic ' & BASE64ENCODE(BLOB($Credential.U))}"
        ));
    }
}
