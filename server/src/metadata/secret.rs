//! Is a value in a secret field a secret? The one place that decides it,
//! for every rule that looks for committed secrets (SEC001 on credentials
//! and auth providers today; custom metadata records and Apex string
//! literals reuse it).
//!
//! Real projects are full of values in secret fields that are not secrets:
//!
//! - **Salesforce's own mask.** A retrieve writes `Placeholder_Value` for
//!   every auth provider's `consumerSecret`: the real secret never leaves
//!   the org.
//! - **Substitution tokens** a pipeline fills at deploy time: `${X}`, `$X`,
//!   `{{X}}`, `%X%`, `#{X}` / `#{X}#`, `$(X)`, `__X__`. Deleting one breaks
//!   the deploy that fills it.
//! - **Template markers**: `REPLACE…`, `YOUR_…`, `<…>` (written
//!   `&lt;…&gt;` in XML), `TODO`/`TBD`/`FIXME`, `xxx`, masks of `*` or `•`.
//!   Nobody deploys those believing they work.
//! - **Well-known default passwords** (`changeme`, `dummy`, `password`…):
//!   not a leak either, but they *are* deployable, and a deployed one is a
//!   guessable credential. Callers may note them (at most at info level);
//!   they never say "rotate it" and never delete them.
//!
//! Everything else that is not empty is a [`SecretClass::Secret`].
//!
//! [`secret_fields`] lists the fields of a metadata file that hold secrets,
//! so that every rule asks the same question of the same elements.

use super::{
    is_literal_basic_credential, literal_basic_token, AuthProvider, ExternalCredential, Field,
    NamedCredential,
};
use crate::source::SourceFile;

/// What a value found in a secret field is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecretClass {
    /// Empty or whitespace only: nothing committed.
    Empty,
    /// Not a secret and not meant to be deployed as it is.
    Placeholder(PlaceholderKind),
    /// A well-known default value (`changeme`) that would deploy as a
    /// working, guessable credential. Not a leak: never "rotate it".
    DeployablePlaceholder,
    /// Anything else: treat it as a real, committed secret.
    Secret,
}

/// Why a value is a [`SecretClass::Placeholder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlaceholderKind {
    /// `Placeholder_Value`, or a run of mask characters (`********`): what
    /// Salesforce writes instead of the secret.
    RetrieveMask,
    /// `${X}`, `$X`, `{{X}}`, `%X%`, `#{X}`, `#{X}#`, `$(X)`, `__X__`: filled
    /// by a pipeline at deploy time.
    SubstitutionToken,
    /// `REPLACE…`, `YOUR_…`, `<…>`, `TODO`, `TBD`, `FIXME`, `xxx`.
    TemplateMarker,
}

impl SecretClass {
    /// Only a real secret is reported as a committed secret.
    pub fn is_secret(self) -> bool {
        self == SecretClass::Secret
    }
}

/// Classifies a value found in a secret field (already XML-decoded).
pub fn classify(value: &str) -> SecretClass {
    let v = value.trim();
    if v.is_empty() {
        return SecretClass::Empty;
    }
    if v.eq_ignore_ascii_case("Placeholder_Value")
        || v.chars().all(|c| matches!(c, '*' | '•' | '●'))
    {
        return SecretClass::Placeholder(PlaceholderKind::RetrieveMask);
    }
    if is_substitution_token(v) {
        return SecretClass::Placeholder(PlaceholderKind::SubstitutionToken);
    }
    if is_template_marker(v) {
        return SecretClass::Placeholder(PlaceholderKind::TemplateMarker);
    }
    if is_default_password(v) {
        return SecretClass::DeployablePlaceholder;
    }
    SecretClass::Secret
}

/// A field of a metadata file that holds a secret value.
#[derive(Clone, Debug)]
pub struct SecretField<'a> {
    pub field: Field<'a>,
    /// The element as users know it (`password`, `consumerSecret`,
    /// `AuthHeader`).
    pub element: &'static str,
    /// [`classify`] of the secret part of the value (for an `AuthHeader`,
    /// what follows `Basic `).
    pub class: SecretClass,
}

/// The secret fields of `file` with their classification: a named
/// credential's `password`, `oauthToken` and `oauthRefreshToken`, an auth
/// provider's `consumerSecret`, and an external credential `AuthHeader`
/// parameter holding a literal `Basic <base64>` value.
pub fn secret_fields(file: &SourceFile) -> Vec<SecretField<'_>> {
    let mut fields: Vec<(Option<Field<'_>>, &'static str)> = Vec::new();
    if let Some(nc) = NamedCredential::of(file) {
        fields.push((nc.password(), "password"));
        fields.push((nc.oauth_token(), "oauthToken"));
        fields.push((nc.oauth_refresh_token(), "oauthRefreshToken"));
    }
    if let Some(ap) = AuthProvider::of(file) {
        fields.push((ap.consumer_secret(), "consumerSecret"));
    }
    let mut out: Vec<SecretField<'_>> = fields
        .into_iter()
        .filter_map(|(field, element)| {
            let field = field?;
            let class = classify(&field.value);
            Some(SecretField {
                field,
                element,
                class,
            })
        })
        .collect();
    for value in super::custom_metadata::secret_values(file) {
        let class = classify(&value.value);
        out.push(SecretField {
            field: value,
            element: "value",
            class,
        });
    }
    // Literal `Basic <base64>` headers: an external credential's
    // `AuthHeader`, a named credential's `HttpHeader`.
    let headers = ExternalCredential::of(file)
        .map(|ec| (ec.parameters(), "AuthHeader", "AuthHeader"))
        .or_else(|| {
            NamedCredential::of(file).map(|nc| (nc.header_parameters(), "HttpHeader", "HttpHeader"))
        });
    if let Some((params, kind, element)) = headers {
        for p in params {
            if !p.is_kind(kind) {
                continue;
            }
            let Some(v) = p.value.filter(|v| is_literal_basic_credential(&v.value)) else {
                continue;
            };
            let class = classify(literal_basic_token(&v.value).unwrap_or_default());
            out.push(SecretField {
                field: v,
                element,
                class,
            });
        }
    }
    // Any other element named like a secret, whatever the root or how
    // often it repeats (a file with the wrong root element, a second
    // `<password>`): a committed password is one wherever it is.
    if let Some(tree) = file.tree() {
        for (id, _) in tree.elements() {
            let local = tree.local_name(&file.text, id);
            let Some(element) = SECRET_ELEMENTS
                .iter()
                .find(|e| local.eq_ignore_ascii_case(e))
            else {
                continue;
            };
            if out.iter().any(|f| f.field.element == id) {
                continue;
            }
            let Some(value) = tree.value(&file.text, id) else {
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            let class = classify(&value);
            out.push(SecretField {
                field: Field {
                    element: id,
                    value,
                    range: tree.element(id).range(),
                },
                element,
                class,
            });
        }
    }
    out.sort_by_key(|f| f.field.range.start);
    out
}

/// Elements whose value is a secret wherever they are (local names; match
/// them ignoring case).
pub const SECRET_ELEMENTS: [&str; 4] = [
    "password",
    "oauthToken",
    "oauthRefreshToken",
    "consumerSecret",
];

/// A name the common pipelines substitute: letters, digits, `_`, `.`, `-`.
fn is_token_name(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn is_substitution_token(v: &str) -> bool {
    // Anywhere in the value: `${USER}:${PASS}` or `Bearer {{TOKEN}}` is
    // still filled by the pipeline.
    let has_braced = |open: &str, close: &str| {
        let mut rest = v;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len()..];
            match after.find(close) {
                Some(end) if is_token_name(&after[..end]) => return true,
                Some(end) => rest = &after[end..],
                None => return false,
            }
        }
        false
    };
    if has_braced("${", "}") || has_braced("{{", "}}") || has_braced("#{", "}") {
        return true;
    }
    // Whole value only: `$` and `%` occur in real passwords.
    let whole = |prefix: &str, suffix: &str| {
        v.len() > prefix.len() + suffix.len()
            && v.starts_with(prefix)
            && v.ends_with(suffix)
            && is_token_name(&v[prefix.len()..v.len() - suffix.len()])
    };
    whole("$(", ")")
        || whole("%", "%")
        || (whole("__", "__") && v[2..v.len() - 2].chars().any(|c| c.is_ascii_alphabetic()))
        || (whole("$", "")
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
}

fn is_template_marker(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let starts_word = |word: &str| {
        lower.starts_with(word)
            && lower[word.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_ascii_alphanumeric() || word.ends_with('_'))
    };
    (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('[') && v.ends_with(']') && v.contains(' '))
        || lower.starts_with("replace")
        || lower.starts_with("your_")
        || lower.starts_with("your-")
        || lower.starts_with("your ")
        || lower.starts_with("insert_")
        || lower.starts_with("enter_")
        || starts_word("todo")
        || starts_word("tbd")
        || starts_word("fixme")
        || (lower.len() >= 3
            && lower.contains("xxx")
            && lower.chars().all(|c| matches!(c, 'x' | '-' | '_' | '.')))
}

fn is_default_password(v: &str) -> bool {
    let folded: String = v
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        folded.as_str(),
        "changeme"
            | "changeit"
            | "changethis"
            | "dummy"
            | "dummypassword"
            | "dummysecret"
            | "password"
            | "secret"
            | "test"
            | "placeholder"
            | "notused"
            | "none"
            | "null"
    )
}

#[cfg(test)]
mod tests {
    use super::PlaceholderKind::*;
    use super::SecretClass::*;
    use super::*;

    #[test]
    fn classifies_placeholders_and_secrets() {
        let cases = [
            ("", Empty),
            ("   \n\t", Empty),
            ("Placeholder_Value", Placeholder(RetrieveMask)),
            (" placeholder_value ", Placeholder(RetrieveMask)),
            ("********", Placeholder(RetrieveMask)),
            ("${ENTRA_CLIENT_SECRET}", Placeholder(SubstitutionToken)),
            ("${env.SECRET}", Placeholder(SubstitutionToken)),
            ("${USER}:${PASS}", Placeholder(SubstitutionToken)),
            ("$ENTRA_CLIENT_SECRET", Placeholder(SubstitutionToken)),
            ("{{ client_secret }}", Placeholder(SubstitutionToken)),
            ("%CLIENT_SECRET%", Placeholder(SubstitutionToken)),
            ("#{ClientSecret}", Placeholder(SubstitutionToken)),
            ("#{ClientSecret}#", Placeholder(SubstitutionToken)),
            ("$(ClientSecret)", Placeholder(SubstitutionToken)),
            ("__CLIENT_SECRET__", Placeholder(SubstitutionToken)),
            ("REPLACE_WITH_CLIENT_SECRET", Placeholder(TemplateMarker)),
            ("replace-me", Placeholder(TemplateMarker)),
            ("YOUR_CLIENT_SECRET", Placeholder(TemplateMarker)),
            ("your client secret", Placeholder(TemplateMarker)),
            ("<client secret>", Placeholder(TemplateMarker)),
            ("TODO", Placeholder(TemplateMarker)),
            ("todo: set in Setup", Placeholder(TemplateMarker)),
            ("TBD", Placeholder(TemplateMarker)),
            ("xxx", Placeholder(TemplateMarker)),
            ("XXXX-XXXX", Placeholder(TemplateMarker)),
            ("changeme", DeployablePlaceholder),
            ("Change_Me", DeployablePlaceholder),
            ("dummy", DeployablePlaceholder),
            ("password", DeployablePlaceholder),
            // Real secrets, including ones that merely contain a marker.
            ("Qx8Q~s3cr3tV4lu3", Secret),
            ("hunter2", Secret),
            ("Winter2021!", Secret),
            ("$ecretP4ss", Secret),
            ("50%off%", Secret),
            ("todoist-4f9a1c", Secret),
            ("xxx1", Secret),
            ("${}", Secret),
            ("pa$$word", Secret),
            // `REPLACE…` is a marker whatever follows.
            ("Replacement", Placeholder(TemplateMarker)),
        ];
        for (value, expected) in cases {
            assert_eq!(classify(value), expected, "{value:?}");
        }
        assert!(classify("hunter2").is_secret());
        assert!(!classify("changeme").is_secret());
    }

    #[test]
    fn never_panics_on_odd_text() {
        for v in [
            "$", "%", "%%", "__", "____", "${", "{{}}", "#{", "<", ">", "é$", "$é", "日本",
        ] {
            let _ = classify(v);
        }
    }
}
