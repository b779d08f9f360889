//! Client settings (`exchangeAuthLint.*` via `workspace/configuration`,
//! `didChangeConfiguration` or `initializationOptions`) and how they turn
//! into [`CheckOptions`].

use crate::check::CheckOptions;
use crate::diagnostic::Level;
use crate::i18n::Lang;
use crate::rules;
use crate::timeline::AsOf;
use serde_json::Value;
use std::collections::BTreeMap;

/// The configuration section the server reads.
pub const SECTION: &str = "exchangeAuthLint";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// `exchangeAuthLint.asOf` (YYYY-MM-DD); today when absent.
    pub as_of: Option<AsOf>,
    /// `exchangeAuthLint.rules`: `{ "EXO001": "warning", "SEC002": "off" }`.
    pub overrides: BTreeMap<&'static str, Level>,
}

impl Settings {
    /// Reads the `exchangeAuthLint` object (or an object that holds it
    /// under that key). Unknown keys, bad dates and unknown rule ids are
    /// reported in `problems` and otherwise ignored.
    pub fn from_json(value: &Value, problems: &mut Vec<String>) -> Settings {
        let obj = match value.get(SECTION) {
            Some(inner) => inner,
            None => value,
        };
        let mut settings = Settings::default();
        let Some(obj) = obj.as_object() else {
            return settings;
        };
        match obj.get("asOf") {
            Some(Value::String(s)) if !s.trim().is_empty() => match AsOf::parse(s.trim()) {
                Ok(d) => settings.as_of = Some(d),
                Err(err) => problems.push(format!("{SECTION}.asOf: {err}")),
            },
            Some(Value::String(_)) | Some(Value::Null) | None => {}
            Some(other) => problems.push(format!("{SECTION}.asOf: expected a date, got {other}")),
        }
        if let Some(rules_value) = obj.get("rules") {
            match rules_value.as_object() {
                Some(map) => {
                    for (id, level) in map {
                        let rule = rules::by_id(id);
                        let level = level.as_str().and_then(Level::parse);
                        match (rule, level) {
                            (Some(rule), Some(level)) => {
                                settings.overrides.insert(rule.id, level);
                            }
                            (None, _) => problems.push(format!("{SECTION}.rules: unknown rule `{id}`")),
                            (_, None) => problems.push(format!(
                                "{SECTION}.rules.{id}: expected \"off\", \"info\", \"warning\" or \"error\""
                            )),
                        }
                    }
                }
                None if rules_value.is_null() => {}
                None => problems.push(format!("{SECTION}.rules: expected an object")),
            }
        }
        settings
    }

    pub fn check_options(&self, lang: Lang) -> CheckOptions {
        CheckOptions {
            as_of: self.as_of.unwrap_or_else(AsOf::today),
            lang,
            select: None,
            ignore: Vec::new(),
            overrides: self.overrides.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    #[test]
    fn reads_settings_and_reports_problems() {
        let mut problems = Vec::new();
        let s = Settings::from_json(
            &serde_json::json!({"exchangeAuthLint": {
                "asOf": "2026-11-24",
                "rules": {"exo001": "warning", "SEC002": "off", "NOPE": "off", "AP001": "loud"}
            }}),
            &mut problems,
        );
        assert_eq!(s.as_of, Some(AsOf::parse("2026-11-24").unwrap()));
        assert_eq!(
            s.overrides.get("EXO001"),
            Some(&Level::On(Severity::Warning))
        );
        assert_eq!(s.overrides.get("SEC002"), Some(&Level::Off));
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}
