use super::{Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::tr;

pub static RULE: Rule = Rule {
    id: "XML001",
    name: "malformed-metadata",
    default_severity: Severity::Error,
    escalation: None,
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
        let start = crate::xml::floor_char_boundary(&file.text, err.offset);
        let end = file.text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        let end = if file.text[start..end].contains(['\n', '\r']) {
            start
        } else {
            end
        };
        let reason = &err.message;
        let message = tr!(
            lang,
            "This file is not well-formed XML: {reason}. Salesforce will reject it, and no other rule could check it.",
            "このファイルは整形式の XML ではありません: {reason}。Salesforce はデプロイを拒否し、他のルールもこのファイルを検査できません。"
        );
        out.push(ctx.finding(&RULE, id, start..end, message));
    }
}
