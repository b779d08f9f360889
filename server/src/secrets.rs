//! What a secret looks like, in words and bytes: the one classifier of a
//! value found in a secret field, the shape of a Microsoft Entra ID client
//! secret, and the field names that say they hold one. Every source (XML
//! metadata, custom metadata records, Apex) and the redaction of outputs
//! ask here, so that they all answer alike.
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

use std::ops::Range;

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

/// Entra ID client secrets: 40 characters of `[A-Za-z0-9_~.-]` whose
/// fourth is a digit followed by `Q~` (the shape Microsoft issues since
/// 2021); byte ranges into `value`.
pub fn entra_secrets(value: &str) -> Vec<Range<usize>> {
    entra_shapes(value, true)
}

/// [`entra_secrets`] for masking, in any text (comments above all): also a
/// secret that touches more characters of its alphabet, which the exact
/// shape refuses: the full stop of a sentence (`// old: abc8Q~….`), a
/// `-old`, a `x.` or `_` before it. The longest shape there is masked, the
/// rest of the run stays.
pub fn entra_secrets_to_mask(text: &str) -> Vec<Range<usize>> {
    entra_shapes(text, false)
}

fn entra_shapes(value: &str, exact: bool) -> Vec<Range<usize>> {
    let b = value.as_bytes();
    let set = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'~' | b'.' | b'-');
    let mut out = Vec::new();
    for p in memchr::memmem::find_iter(b, b"Q~") {
        if p < 4 || !b[p - 1].is_ascii_digit() {
            continue;
        }
        let start = p - 4;
        if !b[start..p - 1].iter().all(|c| set(*c)) || (exact && start > 0 && set(b[start - 1])) {
            continue;
        }
        let tail = b[p + 2..].iter().take_while(|c| set(**c)).count();
        if (31..=34).contains(&tail) {
            out.push(start..p + 2 + tail);
        } else if !exact && tail > 34 {
            out.push(start..p + 2 + 34);
        }
    }
    out
}

/// Elements whose value is a secret wherever they are (local names; match
/// them ignoring case).
pub const SECRET_ELEMENTS: [&str; 5] = [
    "password",
    "oauthToken",
    "oauthRefreshToken",
    "consumerSecret",
    // A legacy AWS Signature v4 named credential's secret key.
    "awsAccessSecret",
];

/// What a secret field's name contains.
pub const SECRET_WORDS: &[&str] = &[
    "secret",
    "passw",
    "pwd",
    "token",
    "apikey",
    "api_key",
    "privatekey",
    "private_key",
];

/// Where the colon of `user:password` is in what `v` decodes to, when `v`
/// is base64 (standard or URL alphabet, padded or not) of printable ASCII
/// `user:password`: a user name without blanks, a colon, a password. A
/// ready-made `Basic` token, whatever holds it.
pub fn basic_token_colon(v: &str) -> Option<usize> {
    if v.len() < 12 || v.len() > 4096 {
        return None;
    }
    let decoded = decode_base64(v)?;
    let colon = decoded.iter().position(|&b| b == b':')?;
    let (user, password) = (&decoded[..colon], &decoded[colon + 1..]);
    (!user.is_empty()
        && !password.is_empty()
        && user.iter().all(u8::is_ascii_graphic)
        && password.iter().all(|b| (0x20..0x7f).contains(b)))
    .then_some(colon)
}

/// The tails of a base64 `user:password` token ([`basic_token_colon`])
/// that still spell the whole password: cut at a 4-character block
/// boundary at or before the colon's block, so each is the base64 of a
/// tail of the decoded text (`OlpxN…` is `:Zq7…`). A label or message
/// quoting such a tail shows the password as surely as the token; tails
/// shorter than 8 characters are left out (too common to search for).
pub fn basic_token_tails(v: &str) -> Vec<&str> {
    let v = v.trim();
    let Some(colon) = basic_token_colon(v) else {
        return Vec::new();
    };
    (1..=(colon + 1) / 3)
        .map(|k| &v[4 * k..])
        .filter(|t| t.trim_end_matches('=').len() >= 8)
        .collect()
}

/// `bytes` in standard, padded Base64.
pub fn encode_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What a Base64 text (standard or URL-safe alphabet, padded or not)
/// decodes to.
pub fn decode_base64(v: &str) -> Option<Vec<u8>> {
    let body = v.trim_end_matches('=');
    if v.len() - body.len() > 2 || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in body.bytes() {
        let d = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(d);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// How sure a field's name makes it that its value is a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldSecrecy {
    /// The name says so (`Client_Secret__c`, `Password__c`, `Svc_Pwd__c`,
    /// `Pass__c`, `Kennwort__c`, `Basic_Auth__c`): masked and reported.
    Secret,
    /// The name often holds one (`Key__c`, `Auth__c`, `Authorization__c`,
    /// `EWS_Login__c`, `Credential__c`): masked in every output, never
    /// reported (a lookup key or a login name is no finding).
    Maybe,
}

/// Words that, as a whole part of a field's name (split at `_` and at
/// camel case), name a password: short forms and other languages.
const SECRET_PARTS: &[&str] = &[
    "pass",
    "pw",
    "pwd",
    "passwd",
    "passphrase",
    "passwort",
    "kennwort",
    "passe",
    "contrasena",
    "senha",
    "passord",
    "losenord",
    "wachtwoord",
    "parola",
    "haslo",
    "heslo",
    "salasana",
    "jelszo",
    "sifre",
    "passcode",
];

/// Parts of a field's name that often hold a credential.
const MAYBE_PARTS: &[&str] = &[
    "key",
    "auth",
    "authorization",
    "login",
    "credential",
    "credentials",
    "cred",
    "creds",
    "bearer",
    "pin",
];

/// The secrecy a field's name gives its value (`None`: not a secret
/// field); a name that only talks about a secret (`Token_Endpoint__c`,
/// `Secret_Name__c`, `Password_Expiry_Days__c`) gives none.
pub fn field_secrecy(name: &str) -> Option<FieldSecrecy> {
    let n = name.to_ascii_lowercase();
    let n = n.strip_suffix("__c").unwrap_or(&n);
    let parts = name_parts(name.strip_suffix("__c").unwrap_or(name));
    // Whole parts: `count` is in `Service_Account_Pwd__c`, `uri` in
    // `Security_Token__c`.
    let about = parts.iter().any(|p| {
        [
            "url", "uri", "host", "hostname", "ttl", "length", "type", "name", "named", "label",
            "header", "policy", "date", "count", "enabled", "required", "path", "days",
        ]
        .contains(&p.as_str())
    }) || n.contains("endpoint")
        || n.contains("expir");
    if about {
        return None;
    }
    let has = |words: &[&str]| parts.iter().any(|p| words.contains(&p.as_str()));
    let basic_auth = parts.windows(2).any(|w| w[0] == "basic" && w[1] == "auth")
        || parts.iter().any(|p| p == "basicauth");
    if SECRET_WORDS.iter().any(|s| n.contains(s))
        || has(SECRET_PARTS)
        || n.contains("motdepasse")
        || basic_auth
    {
        Some(FieldSecrecy::Secret)
    } else if has(MAYBE_PARTS) {
        Some(FieldSecrecy::Maybe)
    } else {
        None
    }
}

/// A field whose name says it holds a secret ([`FieldSecrecy::Secret`]).
pub fn is_secret_field(name: &str) -> bool {
    field_secrecy(name) == Some(FieldSecrecy::Secret)
}

/// The lower-case parts of an API name, split at `_`, at a lower-case
/// letter or digit followed by an upper-case one, and before the last
/// capital of a run followed by a lower-case letter (`EWSLogin` is `ews`,
/// `login`).
fn name_parts(name: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for word in name.split(|c: char| c == '_' || !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = word.chars().collect();
        let mut part = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let boundary = c.is_ascii_uppercase()
                && prev.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                });
            if boundary && !part.is_empty() {
                parts.push(std::mem::take(&mut part));
            }
            part.push(c.to_ascii_lowercase());
        }
        if !part.is_empty() {
            parts.push(part);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::PlaceholderKind::*;
    use super::SecretClass::*;
    use super::*;

    #[test]
    fn base64_encodes_as_it_decodes() {
        for text in [
            "",
            "a",
            "ab",
            "abc",
            "svc@contoso.com:Zq7Sekret9x",
            "\u{fffd}?>",
        ] {
            let token = encode_base64(text.as_bytes());
            assert_eq!(token.len() % 4, 0, "{token}");
            assert_eq!(decode_base64(&token).unwrap(), text.as_bytes(), "{token}");
        }
        assert_eq!(encode_base64(b"svc:pw"), "c3ZjOnB3");
        assert_eq!(encode_base64(b"ab"), "YWI=");
    }

    #[test]
    fn basic_tokens_and_their_tails() {
        // base64 of `svc@contoso.com:Zq7SECRETc122`.
        let token = "c3ZjQGNvbnRvc28uY29tOlpxN1NFQ1JFVGMxMjI=";
        assert_eq!(basic_token_colon(token), Some(15));
        assert_eq!(
            basic_token_tails(token),
            [
                "QGNvbnRvc28uY29tOlpxN1NFQ1JFVGMxMjI=",
                "bnRvc28uY29tOlpxN1NFQ1JFVGMxMjI=",
                "c28uY29tOlpxN1NFQ1JFVGMxMjI=",
                "Y29tOlpxN1NFQ1JFVGMxMjI=",
                "OlpxN1NFQ1JFVGMxMjI="
            ]
        );
        for not_a_token in [
            "SGVsbG8gV29ybGQh",     // `Hello World!`: no colon
            "OlpxN1NFQ1JFVGMxMjI=", // `:Zq7…`: no user
            "Administrator",
            "c3Zj",
            "not base64 at all!",
        ] {
            assert_eq!(basic_token_colon(not_a_token), None, "{not_a_token}");
        }
    }

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

    #[test]
    fn secret_fields_by_name() {
        for yes in [
            "Client_Secret__c",
            "Password__c",
            "Api_Key__c",
            "Refresh_Token__c",
            "SMTP_Pwd__c",
            "Pass__c",
            "PW__c",
            "Service_Account_Pwd__c",
            "Svc_Pass__c",
            "svcPass__c",
            "Passphrase__c",
            "Kennwort__c",
            "Mot_de_passe__c",
            "Basic_Auth__c",
            "BasicAuth__c",
            "Security_Token__c",
            "Wachtwoord__c",
            "Parola__c",
            "Haslo__c",
            "Passcode__c",
        ] {
            assert!(is_secret_field(yes), "{yes}");
        }
        for maybe in [
            "Key__c",
            "Auth__c",
            "Authorization__c",
            "EWS_Login__c",
            "EWSLogin__c",
            "Credential__c",
            "Cred__c",
            "Bearer__c",
            "Pin__c",
            "Signing_Key__c",
        ] {
            assert_eq!(field_secrecy(maybe), Some(FieldSecrecy::Maybe), "{maybe}");
        }
        for no in [
            "Passenger__c",
            "Bypass_Rules__c",
            "Compass__c",
            "Monkey__c",
            "Named_Credential__c",
            "Auth_Provider_Name__c",
            "Login_Url__c",
            "Password_Reset_Url__c",
            "Token_Endpoint__c",
            "TokenEndpoint__c",
            "Password_Expiry_Days__c",
            "Pinned__c",
            "Spinner__c",
            "Parolan__c",
        ] {
            assert_eq!(field_secrecy(no), None, "{no}");
        }
        for no in [
            "Token_Endpoint__c",
            "Secret_Name__c",
            "Password_Expiry_Days__c",
            "Host__c",
            "Mailbox__c",
        ] {
            assert!(!is_secret_field(no), "{no}");
        }
    }

    #[test]
    fn entra_secret_shape() {
        let secret = format!("abc8Q~{}", "x".repeat(34));
        let value = format!("k={secret}&y");
        let found: Vec<&str> = entra_secrets(&value)
            .into_iter()
            .map(|r| &value[r])
            .collect();
        assert_eq!(found, [secret.as_str()]);
        let no = [
            format!("abc8Q~{}", "x".repeat(30)),
            format!("abcdQ~{}", "x".repeat(34)),
            format!("zabc8Q~{}", "x".repeat(34)),
        ];
        for no in no {
            assert!(entra_secrets(&no).is_empty(), "{no}");
        }
    }

    #[test]
    fn secrets_to_mask_also_touch_their_alphabet() {
        let s = "Ab38Q~0123456789abcdefghijABCDEFGHIJxyzw";
        for (text, at) in [
            (format!("// {s}."), 3),
            (format!("// {s}-old"), 3),
            (format!("x.{s}"), 2),
            (format!("client_secret_{s}~"), 14),
        ] {
            assert!(entra_secrets(&text).is_empty(), "{text}");
            assert_eq!(entra_secrets_to_mask(&text), vec![at..at + 40], "{text}");
        }
        assert_eq!(
            entra_secrets_to_mask(&format!("'{s}'")),
            entra_secrets(&format!("'{s}'"))
        );
        assert!(entra_secrets_to_mask("x0000Q~short.").is_empty());
    }
}
