//! The byte pre-filter: most Apex classes of an org never mention anything
//! the rules look for, and parsing them would be wasted. A class is parsed
//! only when its bytes contain one of a few needles (ASCII case ignored).

use crate::secrets::SECRET_ELEMENTS;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::sync::OnceLock;

/// What can matter to a rule, as bytes. A class without any of these has
/// no Exchange host, no EWS path or namespace, no named-credential
/// callout, no `Authorization` header, no secret of the shapes SEC001
/// knows and no suppression comment.
///
/// The last [`WEAK`] needles only matter together with the project: a
/// `callout:NAME` (or a `$Credential` merge field, which needs one) counts
/// when NAME is a named credential of the project (see
/// [`calls_any_credential`]). A Basic `Authorization` header alone is never
/// a finding: it needs one of the other needles in the same class (or a
/// WSDL2Apex stub's `inputHttpHeaders_x`).
const NEEDLES: &[&str] = &[
    // Exchange Online hosts of every cloud (`outlook.office365.com`,
    // `outlook.office.com`, `*.outlook.com`, `outlook.office365.us`,
    // `outlook-dod.office365.us`, `partner.outlook.cn`) and identity hosts.
    "outlook.",
    "outlook-dod.",
    "office365",
    "microsoftonline",
    "/ews",
    "schemas.microsoft.com/exchange",
    "inputhttpheaders_x",
    "client_secret",
    "clientsecret",
    "q~",
    "exchange-auth-lint",
    // Weak.
    "callout:",
    "$credential",
];
const WEAK: usize = 2;

/// How much a class may matter, from its bytes alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relevance {
    /// Surely nothing to report.
    None,
    /// Only `callout:` / `$Credential`: parse when the class calls one of
    /// the project's named credentials.
    Weak,
    /// Parse.
    Strong,
}

/// The [`Relevance`] of `bytes`.
pub fn relevance(bytes: &[u8]) -> Relevance {
    survey(bytes).0
}

/// Whether a `callout:NAME` in `text` names one of `names` (lower-case API
/// names of the project's named credentials).
pub fn calls_any_credential(text: &str, names: &std::collections::HashSet<String>) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(i) = find_ignore_case(&bytes[at..], b"callout:") {
        let start = at + i + "callout:".len();
        let end = start
            + bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
        if names.contains(&text[start..end].to_ascii_lowercase()) {
            return true;
        }
        at = end.max(start);
    }
    false
}

fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// What the redaction scanner (`redact::scan`) looks for, besides the
/// elements named like a secret ([`SECRET_ELEMENTS`]) and the Entra secret
/// shape (`q~`, a strong needle): `Basic ` tokens (after any ASCII
/// whitespace, as `redact::basic_tokens` reads them), custom metadata
/// records, password fields of a form or query (`redact::form_passwords`),
/// and URL user info (`://`, counted only with an `@`). The last
/// one must stay last.
const SECRET_NEEDLES: &[&str] = &[
    "basic ",
    "basic\t",
    "basic\n",
    "basic\r",
    "basic\x0c",
    "custommetadata",
    // `pwd=…` fields of a form body or query (`password=` is a secret
    // element's needle already).
    "pwd=",
    "passwd=",
    "client_secret=",
    "://",
];

/// One pass over a class's bytes: its [`relevance`], and whether the
/// redaction scanner may find anything in it (false means: surely not; a
/// strongly relevant class always counts as one that may).
pub fn survey(bytes: &[u8]) -> (Relevance, bool) {
    let strong = NEEDLES.len() - WEAK;
    let url = NEEDLES.len() + SECRET_ELEMENTS.len() + SECRET_NEEDLES.len() - 1;
    let mut relevance = Relevance::None;
    let (mut secret, mut url_seen) = (false, false);
    // Most classes hold no needle at all (20 of 21 on the benchmark tree).
    if !any_needle(bytes) {
        return (relevance, false);
    }
    // Overlapping: no needle hides another that starts inside it.
    for m in survey_matcher().find_overlapping_iter(bytes) {
        match m.pattern().as_usize() {
            p if p < strong => return (Relevance::Strong, true),
            p if p < NEEDLES.len() => relevance = Relevance::Weak,
            p if p == url => url_seen = true,
            _ => secret = true,
        }
    }
    let secret = secret || (url_seen && memchr::memchr(b'@', bytes).is_some());
    (relevance, secret)
}

/// The survey's needles in every case.
fn survey_needles() -> impl Iterator<Item = &'static &'static str> {
    NEEDLES.iter().chain(&SECRET_ELEMENTS).chain(SECRET_NEEDLES)
}

/// Whether `bytes` hold any of the survey's needles.
///
/// A DFA search is bound by the latency of its table lookups, each
/// depending on the one before (about 1.6 ns a byte here, whichever
/// crate's DFA: aho-corasick's and regex-automata's measured the same).
/// This one runs [`LANES`] walks of the same DFA over as many pieces of the
/// text in lockstep, whose lookups do not depend on each other: about
/// twice as fast over the 107 MB of Apex of the 100k-file benchmark tree
/// (172 → 85 ms; 6 and 8 lanes were slower). Each piece starts the
/// longest needle's length minus one byte before its share, so a needle
/// that ends in a share lies whole in its piece.
fn any_needle(bytes: &[u8]) -> bool {
    use aho_corasick::automaton::Automaton;
    use aho_corasick::Anchored;
    const LANES: usize = 4;
    static DFA: OnceLock<(aho_corasick::dfa::DFA, usize)> = OnceLock::new();
    let (dfa, overlap) = DFA.get_or_init(|| {
        let dfa = aho_corasick::dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(survey_needles())
            .expect("the needles are valid");
        let longest = survey_needles().map(|n| n.len()).max().unwrap_or(1);
        (dfa, longest - 1)
    });
    let start = dfa
        .start_state(Anchored::No)
        .expect("an unanchored DFA has an unanchored start");
    let walk = |mut state, piece: &[u8]| {
        for &b in piece {
            state = dfa.next_state(Anchored::No, state, b);
            if dfa.is_match(state) {
                return Err(());
            }
        }
        Ok(state)
    };
    let share = bytes.len() / LANES;
    if share <= 4 * overlap {
        return walk(start, bytes).is_err();
    }
    let from: [usize; LANES] = std::array::from_fn(|k| (k * share).saturating_sub(*overlap));
    let to: [usize; LANES] = std::array::from_fn(|k| {
        if k == LANES - 1 {
            bytes.len()
        } else {
            (k + 1) * share
        }
    });
    // The first lane's piece is the shortest (it starts at 0, with no
    // overlap before it).
    let common = to[0] - from[0];
    let mut state = [start; LANES];
    for i in 0..common {
        let mut special = false;
        for k in 0..LANES {
            state[k] = dfa.next_state(Anchored::No, state[k], bytes[from[k] + i]);
            special |= dfa.is_special(state[k]);
        }
        if special && state.iter().any(|&s| dfa.is_match(s)) {
            return true;
        }
    }
    (0..LANES).any(|k| walk(state[k], &bytes[from[k] + common..to[k]]).is_err())
}

fn survey_matcher() -> &'static AhoCorasick {
    static MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    MATCHER.get_or_init(|| {
        // A DFA: a few short needles, searched in every class of the org.
        let needles = survey_needles();
        AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(needles)
            .expect("the needles are valid")
    })
}

/// Whether a class's text may hold a credential that
/// [`super::scan::basic_credentials`] masks: a password-named name or a
/// `Basic` header (false means: surely not). A class the pre-filter does
/// not parse is parsed for its secrets only when this says so, and no
/// larger than [`super::MAX_PARSED_BYTES`].
pub fn may_hold_credentials(text: &str) -> bool {
    static MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    let matcher = MATCHER.get_or_init(|| {
        AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(["passw", "pwd", "basic"])
            .expect("the needles are valid")
    });
    text.len() <= super::MAX_PARSED_BYTES && matcher.is_match(text)
}

/// Whether `bytes` may hold anything a rule reports (false means: surely not).
pub fn worth_parsing(bytes: &[u8]) -> bool {
    relevance(bytes) != Relevance::None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_needle_at_every_place_of_every_lane_is_found() {
        // Each needle at each offset of texts around the lanes' sizes,
        // the boundaries between lanes included.
        for len in [0, 10, 116, 117, 200, 233, 1000] {
            let filler = vec![b'a'; len];
            assert!(!any_needle(&filler), "{len}");
            for needle in survey_needles() {
                let needle = needle.to_ascii_uppercase();
                for at in 0..=len {
                    let mut text = filler.clone();
                    text.splice(at..at, needle.bytes());
                    assert!(any_needle(&text), "{needle:?} at {at} of {len}");
                }
            }
        }
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #[test]
        fn lanes_agree_with_one_search(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-zA-Z:/.~$_ \t\n-]{0,40}",
                    proptest::sample::select(
                        survey_needles().map(|n| n.to_string()).collect::<Vec<_>>()
                    ).prop_map(|n| n[..n.len() / 2 + 1].to_string()),
                    proptest::sample::select(
                        survey_needles().map(|n| n.to_string()).collect::<Vec<_>>()
                    ),
                ],
                0..40,
            )
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(
                any_needle(text.as_bytes()),
                survey_matcher().is_match(text.as_bytes())
            );
        }
    }

    #[test]
    fn skips_ordinary_classes_and_keeps_candidates() {
        let plain = "public class AccountService {\n  public static void run() { update [SELECT Id FROM Account]; }\n}\n";
        assert!(!worth_parsing(plain.as_bytes()));
        let currency = "public class ExchangeRateService { String u = 'https://api.exchangerate.host/latest'; }";
        assert!(!worth_parsing(currency.as_bytes()));
        for hit in [
            "req.setEndpoint('https://OUTLOOK.office365.com/EWS/Exchange.asmx');",
            "req.setEndpoint('callout:Mail/ews/exchange.asmx');",
            "stub.inputHttpHeaders_x.put('Authorization', h);",
            "String s = 'abc8Q~xyz';",
            "// exchange-auth-lint-disable EXO002",
        ] {
            assert_eq!(relevance(hit.as_bytes()), Relevance::Strong, "{hit}");
        }
        let partner = "req.setEndpoint('callout:Billing_Api/v2'); req.setHeader('Authorization', 'Bearer ' + t);";
        assert_eq!(relevance(partner.as_bytes()), Relevance::Weak);
        assert_eq!(
            relevance(b"req.setHeader('Authorization', 'Basic ' + x);"),
            Relevance::None
        );
        let names = ["exchange_online".to_owned()].into_iter().collect();
        assert!(calls_any_credential(
            "x('CALLOUT:Exchange_Online' + p)",
            &names
        ));
        assert!(!calls_any_credential(
            "x('callout:Exchange_Online_2/x')",
            &names
        ));
        assert!(!calls_any_credential(partner, &names));
    }

    #[test]
    fn survey_answers_relevance_and_secret_bytes_in_one_pass() {
        use Relevance::*;
        let cases: [(&str, Relevance, bool); 16] = [
            ("public class Rates { Decimal r = 1.1; }", None, false),
            (
                "public class A { List<String> xs; Boolean b = a < c; }",
                None,
                false,
            ),
            ("String u = 'https://api.example.com/x';", None, false),
            (
                "String u = 'https://user:pw@api.example.com/x';",
                None,
                true,
            ),
            (
                "req.setHeader('Authorization', 'BASIC dXNlcjpwYXNz');",
                None,
                true,
            ),
            ("// Basic\tdXNlcjpwYXNz", None, true),
            ("/* basic\r\ndXNlcjpwYXNz */", None, true),
            ("// Basic\x0cdXNlcjpwYXNz", None, true),
            ("String Password = input;", None, true),
            ("// <md:OAuthRefreshToken>", None, true),
            ("Type t = CustomMetadata__mdt.class;", None, true),
            ("req.setEndpoint('callout:Billing_Api/v2');", Weak, false),
            // A needle inside another's match still counts.
            ("u = 'callout://svc:Pa55@host';", Weak, true),
            ("u = 'https://ews.contoso.com/x';", Strong, true),
            (
                "req.setEndpoint('callout:Billing_Api/v2'); h = 'Basic ' + t;",
                Weak,
                true,
            ),
            (
                "req.setEndpoint('https://outlook.office365.com/EWS/Exchange.asmx');",
                Strong,
                true,
            ),
        ];
        for (text, relevance, secret_like) in cases {
            assert_eq!(survey(text.as_bytes()), (relevance, secret_like), "{text}");
            assert_eq!(super::relevance(text.as_bytes()), relevance, "{text}");
        }
    }
}
