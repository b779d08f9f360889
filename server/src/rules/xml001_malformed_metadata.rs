use super::rule::{headed, Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::tr;

pub static RULE: Rule = Rule {
    id: "XML001",
    name: "malformed-metadata",
    default_severity: Severity::Error,
    escalation: None,
    breaks_on: None,
    fixer: None,
    summary: "A metadata file is not well-formed XML or not UTF-8",
    doc: r#"## What it does
Reports a metadata file the other rules should read but cannot: XML that is
not well-formed (an unclosed or mismatched tag, an undefined entity, text
outside the root element, `--` inside a comment…), or content that is not
UTF-8. The position is where the parser found the problem.

## Why is this bad?
Salesforce rejects the file on deploy, and no other rule can check it, so a
problem inside it would go unseen. Every other file is still checked.

Entities are never expanded and external entities are never fetched.

## Example
```xml
<NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata">
    <endpoint>https://outlook.office365.com/EWS/Exchange.asmx</endpont>
</NamedCredential>
```

## Fix
None: the intended content is unknown. Fix the file by hand; files with this
finding are never rewritten by other fixes.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    for (id, file) in ctx.project.files.iter().enumerate() {
        let Err(err) = &file.tree else { continue };
        let start = crate::text::floor_char_boundary(&file.text, err.offset);
        let end = file.text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        let end = if file.text[start..end].contains(['\n', '\r']) {
            start
        } else {
            end
        };
        let reason = &safe_reason(file, &err.message);
        let detail = tr!(
            lang,
            "{reason}. Salesforce will reject this file, and no other rule could check it.",
            "{reason}。Salesforce はこのファイルのデプロイを拒否し、他のルールもこのファイルを検査できません。"
        );
        let problem = lang.pick("Malformed XML", "整形式でない XML");
        let message = headed(lang, problem, &detail);
        out.push(ctx.finding(&RULE, id, start..end, message));
    }
}

/// The parser's reason with every quoted name that is part of a secret
/// (`<password>Wint3r<2025!Pw</password>` makes `2025!Pw<` a tag name)
/// masked: the message must not quote what may be a secret.
fn safe_reason(file: &crate::source::SourceFile, reason: &str) -> String {
    let secrets = crate::redact::secret_ranges(file);
    let mut out = String::with_capacity(reason.len());
    let mut parts = reason.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let mut quoted = false;
    for part in parts {
        quoted = !quoted;
        out.push('`');
        if !quoted {
            out.push_str(part);
            continue;
        }
        let name = part
            .trim_start_matches(['<', '/', '&'])
            .trim_end_matches(['>', ';', '…']);
        let mut at = memchr::memmem::find_iter(file.text.as_bytes(), name.as_bytes()).peekable();
        // A name not found as such (control characters were dropped from
        // it) cannot be shown to be safe either.
        let secret = !name.is_empty()
            && (at.peek().is_none()
                || at.any(|at| {
                    secrets
                        .iter()
                        .any(|r| r.start < at + name.len() && at < r.end)
                }));
        if secret {
            out.push_str(&part.replacen(name, crate::redact::MASK, 1));
        } else {
            out.push_str(part);
        }
    }
    crate::redact::Secrets::of_files([file]).scrub(&out)
}
