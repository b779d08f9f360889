//! The byte pre-filter: most Apex classes of an org never mention anything
//! the rules look for, and parsing them would be wasted. A class is parsed
//! only when its bytes contain one of a few needles (ASCII case ignored).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

/// What can matter to a rule, as bytes. A class without any of these has
/// no Exchange host, no EWS path or namespace, no named-credential
/// callout, no `Authorization` header, no secret of the shapes SEC001
/// knows and no suppression comment.
const NEEDLES: &[&str] = &[
    // Exchange Online hosts of every cloud (`outlook.office365.com`,
    // `outlook.office.com`, `*.outlook.com`, `outlook.office365.us`,
    // `outlook-dod.office365.us`, `partner.outlook.cn`) and identity hosts.
    "outlook.",
    "outlook-dod.",
    "office365",
    "microsoftonline",
    "/ews",
    "callout:",
    "schemas.microsoft.com/exchange",
    "basic",
    "authorization",
    "$credential",
    "client_secret",
    "clientsecret",
    "q~",
    "exchange-auth-lint",
];

fn matcher() -> &'static AhoCorasick {
    static MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    MATCHER.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(NEEDLES)
            .expect("the needles are valid")
    })
}

/// Whether `bytes` may hold anything a rule reports (false means: surely not).
pub fn worth_parsing(bytes: &[u8]) -> bool {
    matcher().is_match(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_ordinary_classes_and_keeps_candidates() {
        let plain = "public class AccountService {\n  public static void run() { update [SELECT Id FROM Account]; }\n}\n";
        assert!(!worth_parsing(plain.as_bytes()));
        let currency = "public class ExchangeRateService { String u = 'https://api.exchangerate.host/latest'; }";
        assert!(!worth_parsing(currency.as_bytes()));
        for hit in [
            "req.setEndpoint('https://OUTLOOK.office365.com/EWS/Exchange.asmx');",
            "req.setEndpoint('callout:Mail/ews/exchange.asmx');",
            "req.setHeader('Authorization', h);",
            "String s = 'abc8Q~xyz';",
            "// exchange-auth-lint-disable EXO002",
        ] {
            assert!(worth_parsing(hit.as_bytes()), "{hit}");
        }
    }
}
