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
mod fix001_unfilled_fix_placeholder;
pub mod graph;
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

mod rule;
pub mod support;

pub use rule::{Context, Fixer, Rule};

use crate::diagnostic::Level;
use crate::project::config::{Config, ConfigError};
use crate::project::Project;

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
    &fix001_unfilled_fix_placeholder::RULE,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

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
