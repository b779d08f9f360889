use super::rule::{Context, Rule};
use crate::diagnostic::{Finding, Severity};

pub static RULE: Rule = Rule {
    id: "SUP001",
    name: "unused-suppression",
    default_severity: Severity::Info,
    escalation: None,
    breaks_on: None,
    fixer: None,
    summary: "A suppression comment suppresses nothing",
    doc: r#"## What it does
Reports an `exchange-auth-lint-disable` or `exchange-auth-lint-disable-next-line`
comment, or one of its rule ids, that suppressed no finding in this run, and
ids that name no rule. Ids of rules that are turned off are not reported.

## Why is this bad?
A stale suppression hides the next real finding of that rule on that element.
Clean it up once the problem it silenced has been fixed.

## Example
```xml
<!-- exchange-auth-lint-disable-next-line EXO001; migrated in ticket 42 -->
<protocol>Oauth</protocol>
```

## Fix
None yet: delete the comment or the id.
"#,
    check,
};

/// Runs after suppressions are applied (by the rules pass, `check.rs`).
fn check(_: &Context, _: &mut Vec<Finding>) {}
