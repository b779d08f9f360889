//! The rule registry. One file per rule (RULES.md is the contract): its
//! documentation (what the user reads in `explain` and hover) and its
//! check. Rules read views and facts and return findings; they never read
//! files or print.

mod ap001_microsoft_acs_auth_provider;
pub mod apex;
pub mod docs;
mod eac001_eac_service_account_oauth;
mod exo001_exchange_basic_auth;
mod exo002_exchange_ews_retirement;
pub(crate) mod lightning_sync;
mod ls001_lightning_sync_service_account;
mod ls002_lightning_sync_unverified;
mod ls003_lightning_sync_oauth_on_ews;
mod ls004_lightning_sync_on_premises;
mod sec001_secret_in_metadata;
mod sec002_insecure_remote_site;
mod sec003_placeholder_credential;
mod sup001_unused_suppression;
mod xml001_malformed_metadata;

use crate::diagnostic::{Finding, Level, Related, Severity};
use crate::facts::{Evidence, EvidenceKind, Facts};
use crate::i18n::Lang;
use crate::metadata::{AuthProvider, ExternalCredential, MetadataKind, NamedCredential};
use crate::project::config::{Config, ConfigError};
use crate::project::Project;
use crate::source::{FileId, SourceFile};
use crate::timeline::AsOf;
use crate::tr;
use std::ops::Range;

/// What a rule is, for registries, `rules`, `explain`, SARIF and hover.
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    /// When the default severity goes up with the as-of date.
    pub escalation: Option<(&'static crate::timeline::Event, Severity)>,
    /// How the rule fixes its findings (`None`: it offers no fixes).
    pub fixer: Option<&'static crate::fix::Fixer>,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Markdown: what it does, why it matters (with dates and sources),
    /// an example, and the fix's safety.
    pub doc: &'static str,
    /// Not part of the regular pass (suppression bookkeeping runs after
    /// suppressions are applied).
    pub check: fn(&Context, &mut Vec<Finding>),
}

impl Rule {
    pub fn fixable(&self) -> bool {
        self.fixer.is_some()
    }

    pub fn severity(&self, as_of: AsOf) -> Severity {
        match self.escalation {
            Some((event, severity)) if as_of.reached(event) => severity,
            _ => self.default_severity,
        }
    }
}

pub static RULES: &[&Rule] = &[
    &ls001_lightning_sync_service_account::RULE,
    &ls002_lightning_sync_unverified::RULE,
    &ls003_lightning_sync_oauth_on_ews::RULE,
    &ls004_lightning_sync_on_premises::RULE,
    &eac001_eac_service_account_oauth::RULE,
    &exo001_exchange_basic_auth::RULE,
    &exo002_exchange_ews_retirement::RULE,
    &sec001_secret_in_metadata::RULE,
    &sec002_insecure_remote_site::RULE,
    &sec003_placeholder_credential::RULE,
    &ap001_microsoft_acs_auth_provider::RULE,
    &xml001_malformed_metadata::RULE,
    &sup001_unused_suppression::RULE,
];

pub use sup001_unused_suppression::RULE as UNUSED_SUPPRESSION;

/// Looks a rule up by id (`EXO001`, any case) or name (`exchange-basic-auth`).
pub fn by_id(id: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id) || r.name == id)
}

/// The level the project's `rules` configuration gives `rule` (the last
/// entry that names it wins).
pub fn configured_level(config: &Config, rule: &Rule) -> Option<Level> {
    config
        .rules
        .iter()
        .rev()
        .find(|s| by_id(&s.key).is_some_and(|r| r.id == rule.id))
        .map(|s| s.level)
}

/// The manifest's problems: the parser's, and `rules` keys that name no
/// rule, in the order of the text.
pub fn config_errors(project: &Project) -> Vec<ConfigError> {
    let mut errors = project.config_errors.clone();
    errors.extend(unknown_rule_ids(&project.manifest.config));
    errors.sort_by_key(|e| e.range.start);
    errors
}

fn unknown_rule_ids(config: &Config) -> impl Iterator<Item = ConfigError> + '_ {
    config
        .rules
        .iter()
        .filter(|s| by_id(&s.key).is_none())
        .map(|s| {
            let id = &s.key;
            ConfigError {
                range: s.key_range.clone(),
                message: format!(
                    "unknown rule id `{id}` in `rules` (see `exchange-auth-lint rules`)"
                ),
            }
        })
}

pub struct Context<'a> {
    pub project: &'a Project,
    pub facts: &'a Facts,
    pub as_of: AsOf,
    pub lang: Lang,
}

impl Context<'_> {
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.project.files[id]
    }

    pub fn finding(
        &self,
        rule: &Rule,
        file: FileId,
        range: Range<usize>,
        message: String,
    ) -> Finding {
        Finding {
            rule: rule.id,
            severity: rule.severity(self.as_of),
            file,
            range,
            message: capitalize(message),
            related: Vec::new(),
            fixable: rule.fixable(),
        }
    }

    /// How messages name a file's object: `named credential "Exchange EWS" (Exchange_EWS)`.
    pub fn object_name(&self, file: FileId) -> String {
        let f = self.file(file);
        let api = f.api_name();
        let label = match f.kind {
            MetadataKind::NamedCredential => NamedCredential::of(f).and_then(|v| v.label()),
            MetadataKind::ExternalCredential => ExternalCredential::of(f).and_then(|v| v.label()),
            MetadataKind::AuthProvider => AuthProvider::of(f).and_then(|v| v.friendly_name()),
            MetadataKind::RemoteSiteSetting => None,
            _ => None,
        };
        let label = label
            .map(|l| l.value.into_owned())
            .filter(|l| !l.is_empty() && l != api);
        let lang = self.lang;
        let kind = match (f.kind, lang) {
            (MetadataKind::NamedCredential, Lang::En) => "named credential",
            (MetadataKind::NamedCredential, Lang::Ja) => "指定ログイン情報",
            (MetadataKind::ExternalCredential, Lang::En) => "external credential",
            (MetadataKind::ExternalCredential, Lang::Ja) => "外部ログイン情報",
            (MetadataKind::AuthProvider, Lang::En) => "auth provider",
            (MetadataKind::AuthProvider, Lang::Ja) => "認証プロバイダー",
            (MetadataKind::RemoteSiteSetting, Lang::En) => "remote site",
            (MetadataKind::RemoteSiteSetting, Lang::Ja) => "リモートサイト",
            (MetadataKind::EmailIntegrationSettings, Lang::En) => {
                return "email integration settings".into()
            }
            (MetadataKind::EmailIntegrationSettings, Lang::Ja) => return "メール連携設定".into(),
            (MetadataKind::EacSettings, Lang::En) => {
                return "Einstein Activity Capture settings".into()
            }
            (MetadataKind::EacSettings, Lang::Ja) => return "Einstein 活動キャプチャ設定".into(),
            (MetadataKind::ApexClass, Lang::En) => "Apex class",
            (MetadataKind::ApexClass, Lang::Ja) => "Apex クラス",
            (MetadataKind::ApexTrigger, Lang::En) => "Apex trigger",
            (MetadataKind::ApexTrigger, Lang::Ja) => "Apex トリガー",
        };
        match (label, lang) {
            (Some(label), Lang::En) => format!("{kind} \"{label}\" ({api})"),
            (Some(label), Lang::Ja) => format!("{kind}「{label}」({api})"),
            (None, Lang::En) => format!("{kind} \"{api}\""),
            (None, Lang::Ja) => format!("{kind}「{api}」"),
        }
    }

    /// Evidence as related locations with a sentence each.
    pub fn related(&self, evidence: &[Evidence]) -> Vec<Related> {
        let lang = self.lang;
        evidence
            .iter()
            .map(|e| {
                let object = self.object_name(e.loc.file);
                let message = match &e.what {
                    EvidenceKind::ExchangeEndpoint(class) => match class.exchange_online() {
                        Some(cloud) => {
                            let cloud = cloud.display();
                            tr!(
                                lang,
                                "{object} points at {cloud}",
                                "{object} の接続先は {cloud}"
                            )
                        }
                        None => tr!(
                            lang,
                            "{object} points at an on-premises Exchange server",
                            "{object} の接続先はオンプレミスの Exchange サーバー"
                        ),
                    },
                    EvidenceKind::PasswordAuth => tr!(
                        lang,
                        "{object} signs in with a shared user name and password",
                        "{object} は共有のユーザー名とパスワードでサインイン"
                    ),
                    EvidenceKind::SyncEnabled => tr!(
                        lang,
                        "contact and event sync is on",
                        "取引先責任者と行動の同期が有効"
                    ),
                    EvidenceKind::EacDisabled => tr!(
                        lang,
                        "Einstein Activity Capture is off",
                        "Einstein 活動キャプチャは無効"
                    ),
                };
                Related {
                    file: e.loc.file,
                    range: e.loc.range.clone(),
                    message,
                }
            })
            .collect()
    }
}

/// Messages often start with an object name ("named credential …").
fn capitalize(mut s: String) -> String {
    if let Some(first) = s.chars().next().filter(char::is_ascii_lowercase) {
        s.replace_range(..1, &first.to_ascii_uppercase().to_string());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys_name_rules_by_id_or_name() {
        let text = r#"{"packageDirectories": [{"path": "a"}], "plugins": {"exchangeAuthLint": {"rules": {
            "exo002": "off", "insecure-remote-site": "error", "NOPE1": "off", "EXO002": "info"}}}}"#;
        let (manifest, errors) = crate::project::config::parse_manifest(text);
        assert!(errors.is_empty(), "{errors:?}");
        let config = &manifest.config;
        let exo002 = by_id("EXO002").unwrap();
        assert_eq!(
            configured_level(config, exo002),
            Some(Level::On(Severity::Info))
        );
        assert_eq!(
            configured_level(config, by_id("SEC002").unwrap()),
            Some(Level::On(Severity::Error))
        );
        assert_eq!(configured_level(config, by_id("AP001").unwrap()), None);
        let errors: Vec<_> = unknown_rule_ids(config).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(&text[errors[0].range.clone()], "\"NOPE1\"");
        assert!(errors[0].message.contains("unknown rule id `NOPE1`"));
    }

    #[test]
    fn ids_and_names_are_unique_and_documented() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        for rule in RULES {
            assert!(by_id(rule.id).is_some());
            assert!(by_id(rule.name).is_some());
            for heading in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix",
            ] {
                assert!(rule.doc.contains(heading), "{} lacks {heading}", rule.id);
            }
        }
    }
}
