//! The secret fields of a metadata file, enumerated once for every rule
//! and every output: [`secret_fields`] (each value with its class, for
//! SEC001 and SEC003) and [`secret_ranges`] (the bytes no output may
//! print) are two readings of [`declared`] and [`named_like_a_secret`].
//! Whether a value is a secret is decided in [`crate::secrets`].

use super::custom_metadata::secret_values;
use super::{
    is_literal_basic_credential, literal_basic_token, AuthProvider, ExternalCredential, Field,
    NamedCredential,
};
use crate::secrets::{classify, field_secrecy, FieldSecrecy, SecretClass, SECRET_ELEMENTS};
use crate::source::{SecretFieldAt, SourceFile};
use crate::xml::{ElementId, XmlTree};
use std::ops::Range;

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

/// A field that a metadata type declares secret.
struct Declared<'a> {
    field: Field<'a>,
    /// The element as users know it.
    element: &'static str,
    /// A header parameter's value: the secret is its `Basic` token.
    basic: bool,
    /// Masked in every output. A header value is when it, or a repeat of
    /// it, starts with a literal `Basic <base64>`
    /// ([`carries_basic_credential`]): then the whole value.
    masked: bool,
    /// Reported by the secret rules. A header value is when it is a
    /// literal `Basic <base64>` ([`is_literal_basic_credential`]); an
    /// external credential's `AuthParameter` never is.
    reported: bool,
}

/// The fields of `file` that its type declares secret: a named
/// credential's `password`, `oauthToken`, `oauthRefreshToken` and literal
/// `Basic <base64>` `HttpHeader` parameters, an auth provider's
/// `consumerSecret`, a custom metadata record's secret values, and an
/// external credential's `AuthHeader` (and `AuthParameter`) parameters
/// holding a literal `Basic <base64>` value.
fn declared<'a>(file: &'a SourceFile) -> Vec<Declared<'a>> {
    let mut out = Vec::new();
    let Some(tree) = file.tree() else {
        return out;
    };
    let field = |field: Field<'a>, element| Declared {
        field,
        element,
        basic: false,
        masked: true,
        reported: true,
    };
    let header = |field: Field<'a>, element, reportable: bool| {
        let formula = formula_with_literal_credential(&field.value);
        let masked = formula || carries_basic_credential(tree, &file.text, field.element);
        let reported = reportable && (formula || is_literal_basic_credential(&field.value));
        (masked || reported).then_some(Declared {
            field,
            element,
            // A formula's secret is the whole value, not a `Basic` token.
            basic: !formula,
            masked,
            reported,
        })
    };
    if let Some(nc) = NamedCredential::of(file) {
        out.extend(nc.password().map(|f| field(f, "password")));
        out.extend(nc.oauth_token().map(|f| field(f, "oauthToken")));
        out.extend(
            nc.oauth_refresh_token()
                .map(|f| field(f, "oauthRefreshToken")),
        );
        for p in nc.header_parameters() {
            out.extend(p.value.and_then(|v| header(v, "HttpHeader", true)));
        }
    }
    if let Some(ap) = AuthProvider::of(file) {
        out.extend(ap.consumer_secret().map(|f| field(f, "consumerSecret")));
    }
    out.extend(
        secret_values(file)
            .into_iter()
            .map(|(f, reported)| Declared {
                reported,
                ..field(f, "value")
            }),
    );
    if let Some(ec) = ExternalCredential::of(file) {
        for p in ec.parameters() {
            let (element, reportable) = if p.is_kind("AuthHeader") {
                ("AuthHeader", true)
            } else if p.is_kind("AuthParameter") {
                ("AuthParameter", false)
            } else {
                continue;
            };
            // An `AuthParameter` named like a secret (`Password`,
            // `ClientSecret`) holding a literal value: a committed secret
            // like a `<password>`, whatever the value looks like.
            let named_secret = element == "AuthParameter"
                && p.name
                    .as_ref()
                    .and_then(|n| field_secrecy(n.value.trim()))
                    .is_some_and(|s| s == FieldSecrecy::Secret);
            match p.value {
                Some(v) if named_secret && is_literal_value(&v.value) => {
                    out.push(field(v, "AuthParameter"))
                }
                Some(v) => out.extend(header(v, element, reportable)),
                None => {}
            }
        }
    }
    out
}

/// A header formula that writes a user name and password out rather than
/// take them from merge fields: `{!'Basic ' & BASE64ENCODE(BLOB('svc:PW'))}`,
/// or the parts joined (`BLOB('svc' & ':' & 'PW')`). The string literals
/// of the `BLOB(…)` argument, each merge field or function in it a gap,
/// hold a colon with text right after it. `BLOB($Credential.UserName & ':'
/// & $Credential.Password)` does not: Salesforce fills it at callout time.
fn formula_with_literal_credential(value: &str) -> bool {
    let Some(at) = value.to_ascii_lowercase().find("blob(") else {
        return false;
    };
    const GAP: char = '\0';
    let mut literals = String::new();
    let mut quote: Option<char> = None;
    let mut depth = 1;
    for c in value[at + "blob(".len()..].chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => literals.push(c),
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                '&' | '+' => {}
                c if c.is_whitespace() => {}
                _ => literals.push(GAP),
            },
        }
    }
    literals.split_once(':').is_some_and(|(_, after)| {
        after
            .split(GAP)
            .next()
            .is_some_and(|p| !p.trim().is_empty())
    })
}

/// A value that is written out, not filled by Salesforce: not empty, not
/// a merge field or formula (`{!$Credential.Password}`).
fn is_literal_value(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty() && !v.starts_with("{!")
}

/// Every element of `file` named like a secret ([`SECRET_ELEMENTS`]),
/// whatever the root or how often it repeats (a file with the wrong root
/// element, a second `<password>`, one nested in another element): a
/// committed password is one wherever it is. With the name as listed.
fn named_like_a_secret(file: &SourceFile) -> impl Iterator<Item = (ElementId, &'static str)> + '_ {
    let tree = file.tree();
    tree.into_iter().flat_map(move |tree| {
        tree.elements().filter_map(move |(id, _)| {
            let local = tree.local_name(&file.text, id);
            SECRET_ELEMENTS
                .iter()
                .find(|e| local.eq_ignore_ascii_case(e))
                .map(|e| (id, *e))
        })
    })
}

/// The secret fields of `file` with their classification: what its type
/// declares secret ([`declared`]), then any other element named like a
/// secret that holds a value.
pub fn secret_fields(file: &SourceFile) -> Vec<SecretField<'_>> {
    let Some(tree) = file.tree() else {
        return Vec::new();
    };
    file.secret_fields_with(|file| {
        find_secret_fields(file)
            .iter()
            .map(|f| SecretFieldAt {
                element: f.field.element,
                name: f.element,
                class: f.class,
            })
            .collect()
    })
    .iter()
    .filter_map(|at| {
        Some(SecretField {
            field: Field {
                element: at.element,
                value: tree.value(&file.text, at.element)?,
                range: tree.element(at.element).range(),
            },
            element: at.name,
            class: at.class,
        })
    })
    .collect()
}

fn find_secret_fields(file: &SourceFile) -> Vec<SecretField<'_>> {
    let mut out: Vec<SecretField<'_>> = declared(file)
        .into_iter()
        .filter(|d| d.reported)
        .map(|d| {
            let class = if d.basic {
                classify(literal_basic_token(&d.field.value).unwrap_or_default())
            } else {
                classify(&d.field.value)
            };
            SecretField {
                field: d.field,
                element: d.element,
                class,
            }
        })
        .collect();
    if let Some(tree) = file.tree() {
        for (id, element) in named_like_a_secret(file) {
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

/// What the secret elements of a metadata file are: values no output may
/// print, the outermost of nested ones. Computed for every file whatever
/// rules run, so redaction never depends on configuration. (Apex secrets
/// come from the Apex view; see `redact::secret_ranges`.)
pub fn secret_ranges(file: &SourceFile) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // A file that did not parse: `redact::scan` (a tolerant byte scanner)
    // finds its secrets.
    let Some(tree) = file.tree() else {
        return out;
    };
    // A secret element repeated under its parent (two `<value>`s in one
    // `<values>`, two `<parameterValue>`s in one parameter): every copy is
    // as secret as the first, which is all the views read.
    for d in declared(file).into_iter().filter(|d| d.masked) {
        for id in repeats(tree, &file.text, d.field.element) {
            if let Some(r) = tree.value_range(&file.text, id) {
                if !r.is_empty() {
                    out.push(r);
                }
            }
        }
    }
    // An element named like a secret: its whole content, child elements
    // included.
    for (id, _) in named_like_a_secret(file) {
        let el = tree.element(id);
        if el.end_tag.is_some() {
            let r = tree
                .value_range(&file.text, id)
                .unwrap_or_else(|| el.content());
            if !r.is_empty() && !out.iter().any(|o| o.start <= r.start && r.end <= o.end) {
                out.push(r);
            }
        }
    }
    // Nested secret elements: keep the outermost range only.
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in out {
        match merged.last() {
            Some(last) if r.start < last.end => {}
            _ => merged.push(r),
        }
    }
    merged
}

/// `id` and every sibling with its name, in document order.
fn repeats<'t>(tree: &'t XmlTree, text: &'t str, id: ElementId) -> Vec<ElementId> {
    match tree.element(id).parent {
        Some(parent) => tree
            .children_named(text, parent, tree.local_name(text, id))
            .collect(),
        None => vec![id],
    }
}

/// Whether a header value, or a repeat of it, starts with a literal
/// `Basic <token>`, whatever follows (`Basic dXNl… hunter2`): then its
/// whole value is secret. A formula (`{!'Basic ' & …}`) is not.
fn carries_basic_credential(tree: &XmlTree, text: &str, id: ElementId) -> bool {
    repeats(tree, text, id).into_iter().any(|r| {
        tree.value(text, r).is_some_and(|v| {
            // Most header values are merge fields or tokens of other
            // schemes: no allocation for them (a credential may carry
            // thousands of headers, read on every edit).
            if !v
                .as_bytes()
                .windows(5)
                .any(|w| w.eq_ignore_ascii_case(b"basic"))
            {
                return false;
            }
            let first_two: String = v.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
            is_literal_basic_credential(first_two.trim_end_matches(','))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{Format, MetadataKind};

    fn file(kind: MetadataKind, text: &str) -> SourceFile {
        SourceFile::new(
            "X".into(),
            "X".into(),
            kind,
            Format::Source,
            text.as_bytes().to_vec(),
        )
    }

    #[test]
    fn misplaced_and_nested_secret_elements_are_secret_too() {
        let text = "<AuthProvider><consumerSecret><![CDATA[s1]]></consumerSecret>\
            <x><password>s2</password></x><oauthToken><password>s3</password></oauthToken></AuthProvider>";
        let file = file(MetadataKind::NamedCredential, text);
        let found: Vec<&str> = secret_ranges(&file).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["<![CDATA[s1]]>", "s2", "<password>s3</password>"]);
        // Reported: the leaf elements with a value (the nested
        // `oauthToken` has none of its own).
        let fields: Vec<(&str, &str)> = secret_fields(&file)
            .iter()
            .map(|f| (f.element, &text[f.field.range.clone()]))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "consumerSecret",
                    "<consumerSecret><![CDATA[s1]]></consumerSecret>"
                ),
                ("password", "<password>s2</password>"),
                ("password", "<password>s3</password>"),
            ]
        );
    }

    #[test]
    fn header_formulas_with_a_written_password_are_secrets() {
        for yes in [
            "{!'Basic ' & BASE64ENCODE(BLOB('svc@contoso.com:Pw1'))}",
            "{!'Basic ' & BASE64ENCODE(BLOB('svc@contoso.com' & ':' & 'Pw1'))}",
            "{!\"Basic \" & BASE64ENCODE(BLOB($Credential.U & ':' & 'Pw1'))}",
        ] {
            assert!(formula_with_literal_credential(yes), "{yes}");
        }
        for no in [
            "{!'Basic ' & BASE64ENCODE(BLOB($Credential.UserName & ':' & $Credential.Password))}",
            "{!'Basic ' & BASE64ENCODE(BLOB('svc@contoso.com:' & $Credential.Password))}",
            "{!'Bearer ' & $Credential.OAuthToken}",
            "Basic dXNlcjpwYXNz",
        ] {
            assert!(!formula_with_literal_credential(no), "{no}");
        }
    }

    /// An `AuthParameter` named like a secret holding a literal value is
    /// a committed secret; a merge field or another name is not.
    #[test]
    fn secret_named_auth_parameters_are_secrets() {
        let param = |name: &str, value: &str| {
            format!(
                "<externalCredentialParameters><parameterName>{name}</parameterName>\
                 <parameterType>AuthParameter</parameterType><parameterValue>{value}</parameterValue>\
                 </externalCredentialParameters>"
            )
        };
        let text = format!(
            "<ExternalCredential><authenticationProtocol>Basic</authenticationProtocol>{}{}{}{}</ExternalCredential>",
            param("Password", "Zq-Param-Pw1"),
            param("ClientSecret", "Zq-Param-Secret2"),
            param("Password", "{!$Credential.Mail.Password}"),
            param("Scope", "https://graph.microsoft.com/.default"),
        );
        let file = file(MetadataKind::ExternalCredential, &text);
        let masked: Vec<&str> = secret_ranges(&file).into_iter().map(|r| &text[r]).collect();
        assert_eq!(masked, ["Zq-Param-Pw1", "Zq-Param-Secret2"]);
        let reported: Vec<&str> = secret_fields(&file)
            .iter()
            .map(|f| &text[f.field.range.clone()])
            .collect();
        assert_eq!(
            reported,
            [
                "<parameterValue>Zq-Param-Pw1</parameterValue>",
                "<parameterValue>Zq-Param-Secret2</parameterValue>"
            ]
        );
    }

    /// An external credential's `AuthParameter` holding a literal `Basic`
    /// value is masked but not reported; its `AuthHeader` is both.
    #[test]
    fn basic_auth_parameters_are_masked_headers_reported() {
        let param = |kind: &str, value: &str| {
            format!(
                "<externalCredentialParameters><parameterName>P</parameterName>\
                 <parameterType>{kind}</parameterType><parameterValue>{value}</parameterValue>\
                 </externalCredentialParameters>"
            )
        };
        let text = format!(
            "<ExternalCredential>{}{}{}</ExternalCredential>",
            param("AuthHeader", "Basic dXNlcjpwYXNz"),
            param("AuthParameter", "Basic c2VjcmV0"),
            param(
                "AuthHeader",
                "{!'Basic ' &amp; BASE64ENCODE(BLOB($Credential.U))}"
            ),
        );
        // A tab (or a line break) after `Basic` is as good as a space.
        let text = text.replace(
            "</ExternalCredential>",
            &format!(
                "{}</ExternalCredential>",
                param("AuthHeader", "Basic\tc3ZjOnRhYg==")
            ),
        );
        let file = file(MetadataKind::ExternalCredential, &text);
        let masked: Vec<&str> = secret_ranges(&file).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            masked,
            [
                "Basic dXNlcjpwYXNz",
                "Basic c2VjcmV0",
                "Basic\tc3ZjOnRhYg=="
            ]
        );
        let reported: Vec<(&str, String, SecretClass)> = secret_fields(&file)
            .iter()
            .map(|f| (f.element, f.field.value.to_string(), f.class))
            .collect();
        assert_eq!(
            reported,
            [
                (
                    "AuthHeader",
                    "Basic dXNlcjpwYXNz".to_string(),
                    SecretClass::Secret
                ),
                (
                    "AuthHeader",
                    "Basic\tc3ZjOnRhYg==".to_string(),
                    SecretClass::Secret
                )
            ]
        );
    }
}
