//! Typed, read-only views over the span tree of each metadata type the
//! rules read, and how files are recognised (by suffix, like Salesforce's
//! own registry: these types are not tied to a folder).

pub mod custom_metadata;
pub mod secret;
mod views;

pub use views::*;

use crate::secrets::SECRET_WORDS;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetadataKind {
    NamedCredential,
    ExternalCredential,
    AuthProvider,
    RemoteSiteSetting,
    EmailIntegrationSettings,
    EacSettings,
    /// An Apex class (`X.cls`; its `X.cls-meta.xml` is not read).
    ApexClass,
    /// An Apex trigger (`X.trigger`).
    ApexTrigger,
    /// A custom metadata record (`Type.Record.md-meta.xml`; metadata API
    /// format `customMetadata/Type.Record.md`).
    CustomMetadata,
}

/// Source format (`X.namedCredential-meta.xml`) or metadata API format
/// (`X.namedCredential`, as in `src/` with a `package.xml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Source,
    MetadataApi,
}

const META_SUFFIX: &str = "-meta.xml";

impl MetadataKind {
    pub const ALL: [MetadataKind; 9] = [
        MetadataKind::NamedCredential,
        MetadataKind::ExternalCredential,
        MetadataKind::AuthProvider,
        MetadataKind::RemoteSiteSetting,
        MetadataKind::EmailIntegrationSettings,
        MetadataKind::EacSettings,
        MetadataKind::ApexClass,
        MetadataKind::ApexTrigger,
        MetadataKind::CustomMetadata,
    ];

    /// Apex source (parsed by the `apex` module), not XML metadata.
    pub fn is_apex(self) -> bool {
        matches!(self, MetadataKind::ApexClass | MetadataKind::ApexTrigger)
    }

    /// The suffix after the API name, without `-meta.xml`.
    fn suffix(self) -> &'static str {
        match self {
            MetadataKind::NamedCredential => ".namedCredential",
            MetadataKind::ExternalCredential => ".externalCredential",
            MetadataKind::AuthProvider => ".authprovider",
            MetadataKind::RemoteSiteSetting => ".remoteSite",
            MetadataKind::EmailIntegrationSettings => "EmailIntegration.settings",
            MetadataKind::EacSettings => "EAC.settings",
            MetadataKind::ApexClass => ".cls",
            MetadataKind::ApexTrigger => ".trigger",
            MetadataKind::CustomMetadata => ".md",
        }
    }

    /// Settings files have one fixed name; the other types any API name.
    fn is_settings(self) -> bool {
        matches!(
            self,
            MetadataKind::EmailIntegrationSettings | MetadataKind::EacSettings
        )
    }

    pub fn root_element(self) -> &'static str {
        match self {
            MetadataKind::NamedCredential => "NamedCredential",
            MetadataKind::ExternalCredential => "ExternalCredential",
            MetadataKind::AuthProvider => "AuthProvider",
            MetadataKind::RemoteSiteSetting => "RemoteSiteSetting",
            MetadataKind::EmailIntegrationSettings => "EmailIntegrationSettings",
            MetadataKind::EacSettings => "EACSettings",
            MetadataKind::CustomMetadata => "CustomMetadata",
            // Not XML: no root element.
            MetadataKind::ApexClass | MetadataKind::ApexTrigger => "",
        }
    }

    /// The folder Salesforce retrieves this type into.
    pub fn folder(self) -> &'static str {
        match self {
            MetadataKind::NamedCredential => "namedCredentials",
            MetadataKind::ExternalCredential => "externalCredentials",
            MetadataKind::AuthProvider => "authproviders",
            MetadataKind::RemoteSiteSetting => "remoteSiteSettings",
            MetadataKind::EmailIntegrationSettings | MetadataKind::EacSettings => "settings",
            MetadataKind::ApexClass => "classes",
            MetadataKind::ApexTrigger => "triggers",
            MetadataKind::CustomMetadata => "customMetadata",
        }
    }

    /// The file name for `api_name` in `format`.
    pub fn file_name(self, api_name: &str, format: Format) -> String {
        let meta = if format == Format::Source && !self.is_apex() {
            META_SUFFIX
        } else {
            ""
        };
        if self.is_settings() {
            format!("{}{meta}", self.suffix())
        } else {
            format!("{api_name}{}{meta}", self.suffix())
        }
    }

    /// Recognises a file name (not a path). Suffixes compare ignoring ASCII
    /// case: hand-made files get them wrong and Salesforce is lenient too.
    pub fn from_file_name(name: &str) -> Option<(MetadataKind, Format)> {
        let (stem, format) = match strip_suffix_ci(name, META_SUFFIX) {
            Some(stem) => (stem, Format::Source),
            None => (name, Format::MetadataApi),
        };
        for kind in MetadataKind::ALL {
            // Apex source has the same name in both formats; its
            // `-meta.xml` companion holds only the API version.
            if kind.is_apex() {
                if format == Format::MetadataApi {
                    if let Some(api) = strip_suffix_ci(stem, kind.suffix()) {
                        if !api.is_empty() {
                            return Some((kind, Format::Source));
                        }
                    }
                }
                continue;
            }
            if kind == MetadataKind::CustomMetadata {
                // `Type.Record.md`: two API names, so that `README.md` and
                // other Markdown never count.
                if let Some(api) = strip_suffix_ci(stem, kind.suffix()) {
                    if is_record_name(api) {
                        return Some((kind, format));
                    }
                }
                continue;
            }
            if kind.is_settings() {
                if stem.eq_ignore_ascii_case(kind.suffix()) {
                    return Some((kind, format));
                }
            } else if let Some(api) = strip_suffix_ci(stem, kind.suffix()) {
                if !api.is_empty() {
                    return Some((kind, format));
                }
            }
        }
        None
    }

    pub fn api_name(self, file_name: &str, format: Format) -> &str {
        let stem = match format {
            Format::Source => strip_suffix_ci(file_name, META_SUFFIX).unwrap_or(file_name),
            Format::MetadataApi => file_name,
        };
        if self.is_settings() {
            return stem.split('.').next().unwrap_or(stem);
        }
        strip_suffix_ci(stem, self.suffix()).unwrap_or(stem)
    }
}

/// What a rule can look for in a custom metadata record, as bytes (ASCII case ignored),
/// besides the words of secret field names (`secrets::SECRET_WORDS`): Exchange Online and Microsoft identity hosts,
/// EWS paths, Basic headers, Entra secrets, suppression comments.
const NEEDLES: &[&str] = &[
    "outlook.",
    "outlook-dod.",
    "office365",
    "microsoftonline",
    "microsoft.",
    "/ews",
    "credential",
    "basic ",
    "basic\t",
    "basic\n",
    "basic\r",
    "basic\x0c",
    "q~",
    "exchange-auth-lint",
    // Parts of names of fields that may hold a credential
    // (`secrets::field_secrecy`) beyond `SECRET_WORDS`.
    "pass",
    "pw",
    "kennwort",
    "contrasena",
    "senha",
    "losenord",
    "key",
    "auth",
    "login",
    "cred",
];

fn matcher() -> &'static AhoCorasick {
    static M: OnceLock<AhoCorasick> = OnceLock::new();
    M.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(NEEDLES.iter().chain(SECRET_WORDS))
            .expect("valid needles")
    })
}

/// Whether a custom metadata record's bytes may matter to a rule
/// (`custom_metadata`: records that mention none of these are not parsed).
pub fn record_worth_parsing(bytes: &[u8]) -> bool {
    matcher().is_match(bytes)
}

/// `Type.Record` (a custom metadata file name without `.md`): two API names.
pub fn is_record_name(stem: &str) -> bool {
    let api = |s: &str| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    matches!(stem.split_once('.'), Some((t, r)) if api(t) && api(r))
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let split = s.len().checked_sub(suffix.len())?;
    if s.is_char_boundary(split) && s[split..].eq_ignore_ascii_case(suffix) {
        Some(&s[..split])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_names() {
        assert!(is_record_name("Exchange_Config.Default"));
        assert!(!is_record_name("README"));
        assert!(!is_record_name("release-notes.v2"));
        assert!(!is_record_name("a.b.c"));
    }

    #[test]
    fn every_secret_word_passes_the_prefilter() {
        for w in SECRET_WORDS {
            assert!(record_worth_parsing(w.as_bytes()), "{w}");
        }
    }

    #[test]
    fn prefilter() {
        assert!(record_worth_parsing(
            b"<value>https://outlook.office365.com/EWS/Exchange.asmx</value>"
        ));
        assert!(record_worth_parsing(b"<field>Client_Secret__c</field>"));
        assert!(!record_worth_parsing(
            b"<field>Rate__c</field><value xsi:type=\"xsd:double\">1.1</value>"
        ));
    }

    #[test]
    fn recognises_both_formats() {
        use MetadataKind::*;
        let cases = [
            (
                "Exchange.namedCredential-meta.xml",
                Some((NamedCredential, Format::Source)),
            ),
            (
                "Exchange.namedCredential",
                Some((NamedCredential, Format::MetadataApi)),
            ),
            (
                "Graph.externalCredential-meta.xml",
                Some((ExternalCredential, Format::Source)),
            ),
            (
                "MS.authprovider-meta.xml",
                Some((AuthProvider, Format::Source)),
            ),
            ("MS.authProvider", Some((AuthProvider, Format::MetadataApi))),
            (
                "EWS.remoteSite-meta.xml",
                Some((RemoteSiteSetting, Format::Source)),
            ),
            (
                "EmailIntegration.settings-meta.xml",
                Some((EmailIntegrationSettings, Format::Source)),
            ),
            (
                "EmailIntegration.settings",
                Some((EmailIntegrationSettings, Format::MetadataApi)),
            ),
            ("EAC.settings-meta.xml", Some((EacSettings, Format::Source))),
            ("Account.settings-meta.xml", None),
            ("Foo.cls-meta.xml", None),
            ("EwsClient.cls", Some((ApexClass, Format::Source))),
            ("EwsClient.CLS", Some((ApexClass, Format::Source))),
            ("Sync.trigger", Some((ApexTrigger, Format::Source))),
            ("Sync.trigger-meta.xml", None),
            (
                "Exchange_Config.Default.md-meta.xml",
                Some((CustomMetadata, Format::Source)),
            ),
            (
                "Exchange_Config.Default.md",
                Some((CustomMetadata, Format::MetadataApi)),
            ),
            ("README.md", None),
            ("CHANGELOG.md-meta.xml", None),
            ("release-notes.v2.md", None),
            (".Default.md", None),
            (".cls", None),
            (".namedCredential-meta.xml", None),
        ];
        for (name, expected) in cases {
            assert_eq!(MetadataKind::from_file_name(name), expected, "{name}");
        }
        assert_eq!(
            NamedCredential.api_name("Exchange.namedCredential-meta.xml", Format::Source),
            "Exchange"
        );
        assert_eq!(
            EacSettings.api_name("EAC.settings", Format::MetadataApi),
            "EAC"
        );
        assert_eq!(
            ApexClass.api_name("EwsClient.cls", Format::Source),
            "EwsClient"
        );
        assert_eq!(ApexTrigger.file_name("T", Format::Source), "T.trigger");
        assert_eq!(
            NamedCredential.file_name("X", Format::Source),
            "X.namedCredential-meta.xml"
        );
        assert_eq!(
            EacSettings.file_name("", Format::MetadataApi),
            "EAC.settings"
        );
    }
}
