//! `sfdx-project.json` → `plugins.exchangeAuthLint`: per-rule severities,
//! excludes, and the answers to the seed article's checklist.

use crate::diagnostic::{Level, Severity};
pub use crate::domain::{Exchange, LsConnection};
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::tokens::{Token, TokenAndRange};
use std::ops::Range;

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// `rules` as written, in order: a rule id (any case) or name, its
    /// level, and the key's byte range. Which rule a key names is the rule
    /// registry's business (`rules::configured_level`, `rules::config_errors`):
    /// the parser knows no rules.
    pub rules: Vec<RuleSetting>,
    pub exclude: Vec<String>,
    pub exchange: Option<Exchange>,
    pub ls_connection: Option<LsConnection>,
    pub tenant: Option<String>,
}

/// One entry of `rules`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetting {
    pub key: String,
    pub key_range: Range<usize>,
    pub level: Level,
}

/// A problem in `sfdx-project.json`, with the byte range of the offending
/// key or value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub range: Range<usize>,
    pub message: String,
}

/// What `sfdx-project.json` says.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    /// `packageDirectories[].path`, as written.
    pub package_dirs: Vec<String>,
    /// The `default: true` package directory, if marked.
    pub default_package_dir: Option<String>,
    pub config: Config,
    /// Byte range of the `plugins.exchangeAuthLint` object, if present.
    pub config_range: Option<Range<usize>>,
}

pub const PLUGIN_KEY: &str = "exchangeAuthLint";

/// A package directory as the sf CLI resolves it (`path.normalize` against
/// the project folder): `.` and `..` resolved, `\\` as `/`, and confined to
/// the project: absolute paths and paths that climb out of it are refused
/// (`"/"` would walk the whole file system).
pub fn normalize_package_dir(path: &str) -> Result<String, &'static str> {
    let p = path.replace('\\', "/");
    let bytes = p.as_bytes();
    if p.starts_with('/') || is_drive(bytes) {
        return Err("is absolute: package directories are relative to the project folder");
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("is outside the project folder");
                }
            }
            other => parts.push(other),
        }
    }
    // Again on the result: `E/../C:/Windows` is `C:/Windows` (found by
    // the `cli_paths` fuzz target: the result was refused when read again).
    if parts
        .first()
        .is_some_and(|first| is_drive(first.as_bytes()))
    {
        return Err("is absolute: package directories are relative to the project folder");
    }
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// `C:`, `c:foo`: a Windows drive, absolute or drive-relative.
fn is_drive(bytes: &[u8]) -> bool {
    bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic()
}

/// Parses the manifest. Errors do not stop parsing: every problem is
/// returned, with whatever could be read.
/// Far deeper than any `sfdx-project.json`.
pub const MAX_JSON_DEPTH: usize = 64;

/// Offset of the first `[` or `{` nested deeper than [`MAX_JSON_DEPTH`],
/// read with the parser's own scanner (which loops, never recurses): a
/// scan of our own got single-quoted strings wrong and let 30,000 levels
/// through (found by the `manifest` fuzz target). Scanning stops at the
/// first bad token, where the parser stops too.
fn too_deep(text: &str) -> Option<usize> {
    use jsonc_parser::tokens::Token;
    let mut scanner = jsonc_parser::Scanner::new(text, &jsonc_parser::ScannerOptions::default());
    let mut depth = 0usize;
    while let Ok(Some(token)) = scanner.scan() {
        match token {
            Token::OpenBrace | Token::OpenBracket => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Some(scanner.token_start());
                }
            }
            Token::CloseBrace | Token::CloseBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

pub fn parse_manifest(text: &str) -> (Manifest, Vec<ConfigError>) {
    let mut manifest = Manifest::default();
    let mut errors = Vec::new();
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    if let Some(at) = too_deep(text_no_bom) {
        // The parser recurses once per level: refuse before it overflows
        // the stack.
        errors.push(ConfigError {
            range: at + bom..at + bom + 1,
            message: format!("invalid JSON: nested deeper than {MAX_JSON_DEPTH} levels"),
        });
        return (manifest, errors);
    }
    let parsed = jsonc_parser::parse_to_ast(
        text_no_bom,
        &jsonc_parser::CollectOptions {
            tokens: true,
            ..Default::default()
        },
        &jsonc_parser::ParseOptions::default(),
    );
    let value = match parsed {
        Ok(result) => {
            // The parser accepts values without commas between them; the
            // Salesforce CLI does not, so neither do we.
            let tokens = result.tokens.as_deref().unwrap_or_default();
            if let Some(at) = result.value.as_ref().and_then(|v| missing_comma(v, tokens)) {
                errors.push(ConfigError {
                    range: at + bom..at + bom,
                    message: "invalid JSON: expected `,` before this value".into(),
                });
                return (manifest, errors);
            }
            result.value
        }
        Err(err) => {
            let r = err.range();
            errors.push(ConfigError {
                range: r.start + bom..r.end + bom,
                message: format!("invalid JSON: {}", err.kind()),
            });
            return (manifest, errors);
        }
    };
    let range = |r: jsonc_parser::common::Range| r.start + bom..r.end + bom;
    let Some(Value::Object(root)) = value else {
        errors.push(ConfigError {
            range: 0..text.len(),
            message: "sfdx-project.json must hold a JSON object".into(),
        });
        return (manifest, errors);
    };
    // A key given twice: the last wins, as with the sf CLI's `JSON.parse`.
    let last = |name: &str| {
        root.properties
            .iter()
            .rev()
            .find(|p| prop_name(&p.name) == name)
            .map(|p| &p.value)
    };
    match last("packageDirectories") {
        Some(Value::Array(dirs)) => {
            for dir in &dirs.elements {
                let path = match dir {
                    Value::Object(o) => o.get_string("path").map(|s| s.value.to_string()),
                    _ => None,
                };
                let path = match (path, dir) {
                    (Some(p), Value::Object(o)) => match normalize_package_dir(&p) {
                        Ok(p) => Some(p),
                        Err(reason) => {
                            let at = o.get("path").map_or(dir.range(), |p| p.value.range());
                            errors.push(ConfigError {
                                range: range(at),
                                message: format!(
                                    "package directory `{}` {reason}",
                                    crate::text::printable(&p)
                                ),
                            });
                            continue;
                        }
                    },
                    (p, _) => p,
                };
                match path {
                    Some(p) => {
                        if let Value::Object(o) = dir {
                            if matches!(o.get("default").map(|d| &d.value), Some(Value::BooleanLit(b)) if b.value)
                            {
                                manifest.default_package_dir = Some(p.clone());
                            }
                        }
                        manifest.package_dirs.push(p);
                    }
                    None => errors.push(ConfigError {
                        range: range(dir.range()),
                        message: "`packageDirectories` entries need a string `path`".into(),
                    }),
                }
            }
        }
        Some(other) => errors.push(ConfigError {
            range: range(other.range()),
            message: "`packageDirectories` must be an array".into(),
        }),
        None => errors.push(ConfigError {
            range: range(root.range),
            message: "`packageDirectories` is missing".into(),
        }),
    }
    let plugin = match last("plugins") {
        Some(Value::Object(p)) => p.get(PLUGIN_KEY),
        _ => None,
    };
    let Some(plugin) = plugin else {
        return (manifest, errors);
    };
    let Value::Object(plugin_obj) = &plugin.value else {
        errors.push(ConfigError {
            range: range(plugin.value.range()),
            message: format!("`plugins.{PLUGIN_KEY}` must be an object"),
        });
        return (manifest, errors);
    };
    manifest.config_range = Some(range(plugin_obj.range));
    let config = &mut manifest.config;
    for prop in &plugin_obj.properties {
        let key = prop_name(&prop.name);
        let key_range = range(prop.name.range());
        let value_range = range(prop.value.range());
        let string = || match &prop.value {
            Value::StringLit(s) => Some(s.value.to_string()),
            _ => None,
        };
        match key.as_str() {
            "rules" => {
                let Value::Object(rules_obj) = &prop.value else {
                    errors.push(ConfigError { range: value_range, message: "`rules` must be an object of rule id → level".into() });
                    continue;
                };
                for rule in &rules_obj.properties {
                    let id = prop_name(&rule.name);
                    let level = match &rule.value {
                        Value::StringLit(s) => Level::parse(&s.value),
                        _ => None,
                    };
                    match level {
                        Some(level) => config.rules.push(RuleSetting {
                            key: id,
                            key_range: range(rule.name.range()),
                            level,
                        }),
                        None => errors.push(ConfigError {
                            range: range(rule.value.range()),
                            message: format!("level of `{id}` must be one of \"off\", \"info\", \"warning\", \"error\""),
                        }),
                    }
                }
            }
            "exclude" => match &prop.value {
                Value::Array(a) => {
                    for el in &a.elements {
                        match el {
                            Value::StringLit(s) => config.exclude.push(s.value.to_string()),
                            other => errors.push(ConfigError {
                                range: range(other.range()),
                                message: "`exclude` entries must be glob strings".into(),
                            }),
                        }
                    }
                }
                _ => errors.push(ConfigError { range: value_range, message: "`exclude` must be an array of glob strings".into() }),
            },
            "exchange" => match string().as_deref().and_then(Exchange::parse) {
                Some(v) => config.exchange = Some(v),
                None => errors.push(ConfigError {
                    range: value_range,
                    message: format!("`exchange` must be one of {}", quoted(&Exchange::VALUES)),
                }),
            },
            "lightningSyncConnection" => match string().as_deref().and_then(LsConnection::parse) {
                Some(v) => config.ls_connection = Some(v),
                None => errors.push(ConfigError {
                    range: value_range,
                    message: format!("`lightningSyncConnection` must be one of {}", quoted(&LsConnection::VALUES)),
                }),
            },
            "tenant" => match string().filter(|t| !t.trim().is_empty()) {
                Some(t) => config.tenant = Some(t.trim().to_owned()),
                None => errors.push(ConfigError {
                    range: value_range,
                    message: "`tenant` must be a tenant id or verified domain (a non-empty string)".into(),
                }),
            },
            _ => errors.push(ConfigError {
                range: key_range,
                message: format!(
                    "unknown key `{key}` in `plugins.{PLUGIN_KEY}` (expected rules, exclude, exchange, lightningSyncConnection, tenant)"
                ),
            }),
        }
    }
    (manifest, errors)
}

/// The start of the first array element or object property that follows
/// its sibling without a comma.
fn missing_comma(value: &Value<'_>, tokens: &[TokenAndRange<'_>]) -> Option<usize> {
    let comma_between = |end: usize, start: usize| {
        let i = tokens.partition_point(|t| t.range.start < end);
        tokens
            .get(i)
            .is_some_and(|t| t.range.start < start && matches!(t.token, Token::Comma))
    };
    let check = |ranges: Vec<jsonc_parser::common::Range>| {
        ranges
            .windows(2)
            .find(|w| !comma_between(w[0].end, w[1].start))
            .map(|w| w[1].start)
    };
    match value {
        Value::Array(a) => check(a.elements.iter().map(|e| e.range()).collect())
            .or_else(|| a.elements.iter().find_map(|e| missing_comma(e, tokens))),
        Value::Object(o) => check(o.properties.iter().map(|p| p.range).collect()).or_else(|| {
            o.properties
                .iter()
                .find_map(|p| missing_comma(&p.value, tokens))
        }),
        _ => None,
    }
}

fn prop_name(name: &ObjectPropName<'_>) -> String {
    match name {
        ObjectPropName::String(s) => s.value.to_string(),
        ObjectPropName::Word(w) => w.value.to_string(),
    }
}

fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        if s == "off" {
            Some(Level::Off)
        } else {
            Severity::parse(s).map(Level::On)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Cloud;

    #[test]
    fn reads_config_and_names_bad_keys() {
        let text = r#"{
  "packageDirectories": [{ "path": "force-app", "default": true }, { "path": "other" }],
  "plugins": {
    "exchangeAuthLint": {
      "rules": { "EXO002": "off", "SEC002": "error", "NOPE1": "off", "AP001": "loud" },
      "exchange": "online-gcc-high",
      "lightningSyncConnection": "oauth2",
      "tenant": "contoso.com",
      "exclude": ["**/legacy/**"],
      "colour": true
    }
  }
}"#;
        let (m, errors) = parse_manifest(text);
        assert_eq!(m.package_dirs, ["force-app", "other"]);
        assert_eq!(m.default_package_dir.as_deref(), Some("force-app"));
        let levels: Vec<(&str, Level)> = m
            .config
            .rules
            .iter()
            .map(|r| (r.key.as_str(), r.level))
            .collect();
        assert_eq!(
            levels,
            [
                ("EXO002", Level::Off),
                ("SEC002", Level::On(Severity::Error)),
                ("NOPE1", Level::Off)
            ]
        );
        assert_eq!(m.config.exchange, Some(Exchange::Online(Cloud::GccHigh)));
        assert_eq!(m.config.ls_connection, Some(LsConnection::OAuth2));
        assert_eq!(m.config.tenant.as_deref(), Some("contoso.com"));
        assert_eq!(m.config.exclude, ["**/legacy/**"]);
        let messages: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (&text[e.range.clone()], e.message.as_str()))
            .collect();
        // Unknown rule ids are the registry's to report (rules::config_errors).
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(messages[0].0, "\"loud\"");
        assert_eq!(messages[1].0, "\"colour\"");
        assert!(messages[1].1.contains("unknown key `colour`"));
    }

    #[test]
    fn missing_commas_are_invalid() {
        for (text, at) in [
            (
                "{\"packageDirectories\": [{\"path\": \"a\"} {\"path\": \"b\"}]}",
                "{\"path\": \"b\"}",
            ),
            (
                "{\"packageDirectories\": [{\"path\": \"a\"}] \"name\": \"x\"}",
                "\"name\"",
            ),
            (
                "{\"packageDirectories\": [{\"path\": \"a\" \"default\": true}]}",
                "\"default\"",
            ),
        ] {
            let (_, errors) = parse_manifest(text);
            assert_eq!(errors.len(), 1, "{text}");
            assert!(errors[0].message.contains("expected `,`"), "{text}");
            assert_eq!(errors[0].range.start, text.find(at).unwrap(), "{text}");
        }
        // Comments and trailing commas are fine.
        let (m, errors) = parse_manifest(
            "{\"packageDirectories\": [{\"path\": \"a\"}, /* x, */ {\"path\": \"b\",},],}",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(m.package_dirs, ["a", "b"]);
    }

    #[test]
    fn invalid_json_has_a_position() {
        let (_, errors) = parse_manifest("{\n  \"packageDirectories\": [\n}");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.starts_with("invalid JSON"));
    }

    #[test]
    fn surrogate_pair_escapes_read_as_their_character() {
        // `JSON.stringify` with ASCII output writes an emoji this way; the
        // parser's 0.26 refused it ("invalid unicode escape"), which made
        // the whole project a tool error (adversarial run A8).
        let (m, errors) = parse_manifest(
            "{\"name\": \"mail \\ud83d\\ude00\", \"packageDirectories\": [{\"path\": \"force-app-\\ud83d\\ude00\"}]}",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(m.package_dirs, ["force-app-\u{1f600}"]);
        // A lone half is still an error, at its position.
        let (_, errors) = parse_manifest("{\"packageDirectories\": [{\"path\": \"a\\ud83d\"}]}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.starts_with("invalid JSON"), "{errors:?}");
    }

    #[test]
    fn a_drive_reached_through_dot_dot_is_absolute_too() {
        // Found by the `cli_paths` fuzz target: not idempotent, and on
        // Windows a way out of the project.
        for path in ["E/../x:~`", "a/..\\C:/Windows", "./b/../c:"] {
            assert!(
                normalize_package_dir(path)
                    .unwrap_err()
                    .contains("absolute"),
                "{path}"
            );
        }
        assert_eq!(normalize_package_dir("a/x:y").as_deref(), Ok("a/x:y"));
    }

    #[test]
    fn deep_nesting_after_a_single_quoted_string_is_an_error_not_a_stack_overflow() {
        // Found by the `manifest` fuzz target (SIGSEGV): the depth scan
        // took `'"'` for the start of a string and skipped every bracket.
        for text in [
            format!("['\"', {}", "[".repeat(100_000)),
            format!("{{'a\"': {}", "[".repeat(100_000)),
        ] {
            let (_, errors) = parse_manifest(&text);
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(
                errors[0].message.contains("nested deeper than 64"),
                "{errors:?}"
            );
            assert_eq!(&text[errors[0].range.clone()], "[");
        }
        // Brackets inside strings and comments are not nesting.
        let text = format!(
            "{{\"a\": \"{0}\", 'b': '{0}\"', /* {0} */ \"packageDirectories\": [{{\"path\": \"x\"}}]}} // {0}",
            "[".repeat(200)
        );
        let (m, errors) = parse_manifest(&text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(m.package_dirs, ["x"]);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!(
            "{{\"packageDirectories\": [{{\"path\": \"a\"}}], \"x\": {}{}, \"s\": \"[[[[\" /* {{{{ */}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let (_, errors) = parse_manifest(&text);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("nested deeper than 64"));
        let shallow = format!(
            "{{\"packageDirectories\": [{{\"path\": \"a\"}}], \"x\": {}{}, \"s\": \"[[[[{{\" // [[[[\n}}",
            "[".repeat(60),
            "]".repeat(60)
        );
        let (m, errors) = parse_manifest(&shallow);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(m.package_dirs.len(), 1);
    }
}
