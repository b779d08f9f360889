//! Secrets never leave the process. Every text that does (report messages,
//! excerpts, diffs, notes, language-server payloads, logs) goes through
//! this module first.
//!
//! The API is small on purpose:
//!
//! - [`Secrets`]: the secret values of some files; [`Secrets::scrub`] masks
//!   every occurrence of them (and any URL user-info password) in a text
//!   that may quote file content. Build it with [`Secrets::of_files`].
//! - [`Redacted`]: one file's text with its secrets masked, and a map from
//!   original offsets to masked ones, for excerpts and diffs.
//! - [`secret_ranges`]: where a file's secrets are, whether or not it parses.
//!
//! Secrets are found in three ways, and masked wherever their value occurs
//! again in the file (an attribute, a URL, a suppression comment's reason):
//!
//! 1. the span tree, when the file parses (`metadata::secret_ranges`: the
//!    typed views plus any element named like a secret), or the Apex view
//!    of a class or trigger;
//! 2. a tolerant byte scanner that needs no well-formed XML: elements named
//!    like a secret whatever their start tag (`<password >`, attributes,
//!    `<md:password>`, `<PASSWORD>`), a value up to the matching end tag even
//!    when it holds a raw `<` (`<password>Wint3r<2025!Pw</password>`), or up
//!    to the next end tag or the end of the file when it has none; attribute
//!    values of such elements; `Basic <token>` runs;
//! 3. URL user info: the password of `https://user:PASSWORD@host/…`.

use crate::secrets::SECRET_ELEMENTS;
use crate::source::{FileSecrets, SourceFile};
use std::ops::Range;

/// What every secret value is replaced by.
pub const MASK: &str = "********";

/// Values shorter than this are masked where they are, but not searched for
/// elsewhere (a two-letter value would mask half of every message).
const MIN_REPEATED: usize = 3;

/// Where the secret values of `file` are: every range the span tree, the
/// byte scanner and URL user info find, plus every other occurrence of
/// those values in the text. Sorted, not overlapping.
pub fn secret_ranges(file: &SourceFile) -> &[Range<usize>] {
    &found(file).ranges
}

/// The secrets of this version of `file`, found once (the file keeps them).
fn found(file: &SourceFile) -> &FileSecrets {
    // An Apex class's secrets come from its view: asking them is a read of
    // it (the engine counts what each rule reads), kept or not.
    let _ = file.apex();
    file.secrets_with(|file| {
        let ranges = find_ranges(file);
        let values = values_of(&file.text, &ranges);
        FileSecrets { ranges, values }
    })
}

fn find_ranges(file: &SourceFile) -> Vec<Range<usize>> {
    let mut ranges = match file.apex() {
        Some(view) => crate::apex::scan::microsoft_secrets(view, &file.text)
            .into_iter()
            .map(|s| s.range)
            .collect(),
        None => crate::metadata::secret::secret_ranges(file),
    };
    if file.scan_for_secrets {
        ranges.extend(scan(&file.text));
    }
    let ranges = merge(ranges);
    let values = values_of(&file.text, &ranges);
    let mut all = ranges;
    for v in &values {
        all.extend(occurrences(&file.text, v));
    }
    merge(all)
}

/// The secret values of a set of files, to mask in any text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Secrets {
    /// Longest first, so that a secret containing another is masked whole.
    values: Vec<String>,
}

impl Secrets {
    pub fn of_files<'a>(files: impl IntoIterator<Item = &'a SourceFile>) -> Secrets {
        let mut values = Vec::new();
        for f in files {
            values.extend(found(f).values.iter().cloned());
        }
        Secrets::from_values(values)
    }

    /// The secrets of a text that may not be a metadata file at all (a
    /// buffer of unknown kind): scanner and URL user info only.
    pub fn of_text(text: &str) -> Secrets {
        Secrets::from_values(values_of(text, &merge(scan(text))))
    }

    fn from_values(mut values: Vec<String>) -> Secrets {
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        Secrets { values }
    }

    /// Adds the values of `other`.
    pub fn extend(&mut self, other: &Secrets) {
        let mut values = std::mem::take(&mut self.values);
        values.extend(other.values.iter().cloned());
        *self = Secrets::from_values(values);
    }

    /// Whether [`Secrets::scrub`] would change `text`.
    pub fn found_in(&self, text: &str) -> bool {
        self.values.iter().any(|v| text.contains(v.as_str())) || !url_passwords(text).is_empty()
    }

    /// Whether `after` holds some secret value more often than `before`:
    /// an edit (or, with an empty `before`, a new file) that would write
    /// a secret where there was none.
    pub fn added_in(&self, before: &str, after: &str) -> bool {
        let count = |text: &str, v: &str| memchr::memmem::find_iter(text.as_bytes(), v).count();
        self.values
            .iter()
            .any(|v| count(after, v) > count(before, v))
    }

    /// `text` with every known secret value, and any URL user-info
    /// password, replaced by [`MASK`].
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.values {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
        }
        mask_ranges(&out, &merge(url_passwords(&out)))
    }
}

/// A file's text with every secret masked, and a map from original offsets
/// to offsets in the masked text.
pub struct Redacted {
    pub text: String,
    /// (original range, masked range) of each secret, in order.
    spans: Vec<(Range<usize>, Range<usize>)>,
}

impl Redacted {
    pub fn new(file: &SourceFile) -> Redacted {
        Redacted::masking(file, &Secrets::default())
    }

    /// Also masks every occurrence of the values of `also` (secrets of the
    /// other files, or of this file before a fix).
    pub fn masking(file: &SourceFile, also: &Secrets) -> Redacted {
        let mut ranges = secret_ranges(file).to_vec();
        for v in &also.values {
            ranges.extend(occurrences(&file.text, v));
        }
        let ranges = merge(ranges);
        let mut text = String::with_capacity(file.text.len());
        let mut spans = Vec::new();
        let mut at = 0;
        for r in ranges {
            text.push_str(&file.text[at..r.start]);
            let start = text.len();
            text.push_str(MASK);
            spans.push((r.clone(), start..text.len()));
            at = r.end;
        }
        text.push_str(&file.text[at..]);
        Redacted { text, spans }
    }

    /// Where an original offset lands in the masked text (the start of the
    /// mask for offsets inside a secret, its end for the secret's end).
    pub fn map(&self, offset: usize) -> usize {
        let mut delta: isize = 0;
        for (orig, masked) in &self.spans {
            if offset <= orig.start {
                break;
            }
            if offset < orig.end {
                return masked.start;
            }
            delta = masked.end as isize - orig.end as isize;
        }
        (offset as isize + delta) as usize
    }

    /// Whether any part of `range` (of the original text) is secret.
    pub fn touches_secret(&self, range: Range<usize>) -> bool {
        self.spans
            .iter()
            .any(|(orig, _)| orig.start < range.end.max(range.start + 1) && range.start < orig.end)
    }
}

/// The tolerant scanner: secret ranges of a text that need not be
/// well-formed XML (see the module documentation). Unsorted.
pub fn scan(text: &str) -> Vec<Range<usize>> {
    let mut out = elements(text);
    out.extend(basic_tokens(text));
    out.extend(url_passwords(text));
    out.extend(record_values(text));
    out.extend(crate::secrets::entra_secrets_to_mask(text));
    out
}

/// Custom metadata records: the `<value>` that follows a `<field>` named
/// like a secret (`Client_Secret__c`), found without parsing, so that a
/// record that does not parse still keeps its secret out of every message.
fn record_values(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if memchr::memmem::find(text.as_bytes(), b"CustomMetadata").is_none() {
        return out;
    }
    let bytes = text.as_bytes();
    for open in memchr::memmem::find_iter(bytes, b"<field>") {
        let name_start = open + "<field>".len();
        let Some(name_len) = memchr::memmem::find(&bytes[name_start..], b"</field>") else {
            continue;
        };
        let name = &text[name_start..name_start + name_len];
        if !crate::secrets::is_secret_field(name.trim()) {
            continue;
        }
        // Every `<value>` up to the end of this `<values>` (or the next
        // field): a repeated value is as secret as the first.
        let mut after = name_start + name_len;
        let stop = [&b"</values"[..], b"<field>"]
            .iter()
            .filter_map(|n| memchr::memmem::find(&bytes[after..], n))
            .min()
            .map_or(bytes.len(), |e| after + e);
        while let Some(value) =
            memchr::memmem::find(&bytes[after..stop], b"<value").map(|v| after + v)
        {
            // The end of the start tag (attribute values hold no `>` here).
            let Some(start) = memchr::memchr(b'>', &bytes[value..]).map(|e| value + e + 1) else {
                break;
            };
            after = start;
            if bytes[..start].ends_with(b"/>") {
                continue;
            }
            let end = memchr::memmem::find(&bytes[start..], b"</value")
                .or_else(|| memchr::memmem::find(&bytes[start..], b"</"))
                .map_or(bytes.len(), |e| start + e);
            if end > start {
                out.push(start..end);
            }
            if end >= stop {
                break;
            }
            after = end;
        }
    }
    out
}

fn is_name_end(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'>' | b'/' | b'<')
}

/// The local name (after any prefix) of the tag name starting at `at`, and
/// where the name ends.
fn local_name(bytes: &[u8], at: usize) -> (&[u8], usize) {
    let end = bytes[at..]
        .iter()
        .position(|&b| is_name_end(b))
        .map_or(bytes.len(), |e| at + e);
    let name = &bytes[at..end];
    let local = match memchr::memrchr(b':', name) {
        Some(colon) => &name[colon + 1..],
        None => name,
    };
    (local, end)
}

fn secret_name(local: &[u8]) -> Option<usize> {
    SECRET_ELEMENTS
        .iter()
        .position(|s| local.eq_ignore_ascii_case(s.as_bytes()))
}

/// Values (and attribute values) of elements named like a secret.
fn elements(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    // Every end tag named like a secret, by name: (position of `</`).
    let mut closes: [Vec<usize>; SECRET_ELEMENTS.len()] = Default::default();
    let mut opens = Vec::new();
    for lt in memchr::memchr_iter(b'<', bytes) {
        let (is_close, at) = match bytes.get(lt + 1) {
            Some(b'/') => (true, lt + 2),
            Some(_) => (false, lt + 1),
            None => continue,
        };
        let (local, name_end) = local_name(bytes, at);
        if let Some(kind) = secret_name(local) {
            if is_close {
                closes[kind].push(lt);
            } else {
                opens.push((lt, kind, name_end));
            }
        }
    }
    let mut out = Vec::new();
    if opens.is_empty() {
        return out;
    }
    // Every end tag at all, for a value whose own end tag is missing.
    let any_close: Vec<usize> = memchr::memmem::find_iter(bytes, b"</").collect();
    let mut masked_to = 0;
    for (lt, kind, name_end) in opens {
        if lt < masked_to {
            continue;
        }
        // The start tag: attribute values up to `>` (quotes may hold `>`).
        let mut i = name_end;
        let mut content_start = None;
        let mut self_closing = false;
        while i < bytes.len() {
            match bytes[i] {
                b'>' => {
                    content_start = Some(i + 1);
                    break;
                }
                b'/' if bytes.get(i + 1) == Some(&b'>') => {
                    self_closing = true;
                    break;
                }
                b'<' => break,
                q @ (b'"' | b'\'') => {
                    let end = memchr::memchr(q, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e);
                    if end > i + 1 {
                        out.push(i + 1..end);
                    }
                    i = end + 1;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        if self_closing {
            continue;
        }
        let Some(start) = content_start else {
            // `<password hunter2` with no `>`: the rest of the tag.
            let end =
                memchr::memchr(b'<', &bytes[name_end..]).map_or(bytes.len(), |e| name_end + e);
            if end > name_end {
                out.push(name_end..end);
            }
            masked_to = end;
            continue;
        };
        let next = |list: &[usize]| list.get(list.partition_point(|&p| p < start)).copied();
        let end = next(&closes[kind])
            .or_else(|| next(&any_close))
            .unwrap_or(bytes.len());
        if end > start {
            out.push(start..end);
        }
        masked_to = end;
    }
    out
}

/// `Basic <token>` (any case): the token.
fn basic_tokens(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Searched ignoring case, without a lower-case copy of the text.
    static BASIC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    let basic = BASIC.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["basic "])
            .expect("a valid needle")
    });
    for m in basic.find_iter(bytes) {
        let start = m.end();
        let end = bytes[start..]
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b"+/=-_".contains(&b)))
            .map_or(bytes.len(), |e| start + e);
        if end > start && looks_like_a_token(&bytes[start..end]) {
            out.push(start..end);
        }
    }
    out
}

/// Base64 of `user:password` has digits, `+`, `/` or `=`, or mixes cases
/// inside the word; "Basic authentication" in a comment is no token.
fn looks_like_a_token(t: &[u8]) -> bool {
    t.iter().any(|b| b.is_ascii_digit() || b"+/=".contains(b))
        || t.iter().skip(1).any(u8::is_ascii_uppercase)
}

/// The password of every `scheme://user:password@host` in `text`.
fn url_passwords(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for pos in memchr::memmem::find_iter(bytes, b"://") {
        let start = pos + 3;
        let stop = bytes[start..]
            .iter()
            .position(|&b| {
                b.is_ascii_whitespace() || b.is_ascii_control() || b"/?#@<>\"'`".contains(&b)
            })
            .map_or(bytes.len(), |e| start + e);
        if bytes.get(stop) != Some(&b'@') {
            continue;
        }
        if let Some(colon) = memchr::memchr(b':', &bytes[start..stop]) {
            let from = start + colon + 1;
            if stop > from {
                out.push(from..stop);
            }
        }
    }
    out
}

/// Sorted ranges, overlapping or touching ones joined.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

fn values_of(text: &str, ranges: &[Range<usize>]) -> Vec<String> {
    ranges
        .iter()
        .filter_map(|r| text.get(r.clone()))
        .map(str::trim)
        .filter(|v| v.len() >= MIN_REPEATED)
        .map(str::to_owned)
        .collect()
}

fn occurrences(text: &str, value: &str) -> Vec<Range<usize>> {
    memchr::memmem::find_iter(text.as_bytes(), value.as_bytes())
        .map(|p| p..p + value.len())
        .collect()
}

fn mask_ranges(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in ranges {
        out.push_str(&text[at..r.start]);
        out.push_str(MASK);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{Format, MetadataKind};

    fn file(text: &str) -> SourceFile {
        SourceFile::new(
            "X.namedCredential-meta.xml".into(),
            "X.namedCredential-meta.xml".into(),
            MetadataKind::NamedCredential,
            Format::Source,
            text.as_bytes().to_vec(),
        )
    }

    fn found(text: &str) -> Vec<&str> {
        merge(scan(text)).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn scans_broken_files_for_secrets() {
        let text = "<NamedCredential><password>hunter2</password><x>Basic dXNlcjpw</x><oops";
        assert_eq!(found(text), ["hunter2", "dXNlcjpw"]);
    }

    #[test]
    fn custom_metadata_secrets_in_records_that_do_not_parse() {
        let text = "<CustomMetadata><values><field>Password__c</field>\n<value xsi:type=\"xsd:string\">Wq8r<9Lm2Tx</value></values>\n<values><field>Token_Endpoint__c</field><value>https://login.example</value></values><oops";
        assert_eq!(found(text), ["Wq8r<9Lm2Tx"]);
        let entra = "<CustomMetadata><values><field>Notes__c</field><value>Ab38Q~kT2mNp7.Rw_Lz4Hb9Yc1Fd6Gs0Ja5Ue3Oi</value><oops";
        assert_eq!(found(entra), ["Ab38Q~kT2mNp7.Rw_Lz4Hb9Yc1Fd6Gs0Ja5Ue3Oi"]);
    }

    #[test]
    fn a_raw_less_than_sign_stays_inside_the_value() {
        let text =
            "<NamedCredential><password>Wint3r<2025!Pw</password><protocol>Password</protocol>";
        assert_eq!(found(text), ["Wint3r<2025!Pw"]);
    }

    #[test]
    fn start_tags_that_are_not_plain() {
        let text = "<a><password >s1</password><md:password>s2</md:password>\
            <PASSWORD a=\"s3x\" b='>q'>s4</PASSWORD><sf:oauthToken\n>s5</sf:oauthToken></a";
        assert_eq!(found(text), ["s1", "s2", "s3x", ">q", "s4", "s5"]);
    }

    #[test]
    fn unterminated_values_run_to_the_next_end_tag_or_the_end() {
        assert_eq!(found("<a><password>abc</pasword><b>"), ["abc"]);
        assert_eq!(
            found("<a><password>abc\n  <protocol>x"),
            ["abc\n  <protocol>x"]
        );
        assert_eq!(found("<a><password abc"), [" abc"]);
        assert!(found("<a><password/><password></password>").is_empty());
    }

    #[test]
    fn cdata_and_comments_inside_values() {
        let text = "<a><password><![CDATA[s3cr<et]]></password><oauthToken>to<!--x-->ken</oauthToken><b></c>";
        assert_eq!(found(text), ["<![CDATA[s3cr<et]]>", "to<!--x-->ken"]);
    }

    #[test]
    fn url_user_info() {
        let text = "<endpoint>https://svc:Pw0rd!@outlook.office365.com/EWS</endpoint> http://user@h/ ftp://a:b@c";
        assert_eq!(found(text), ["Pw0rd!", "b"]);
    }

    #[test]
    fn repeated_values_are_masked_everywhere_in_the_file() {
        let text = "<NamedCredential>\n<!-- exchange-auth-lint-disable-next-line SEC001 hunter2x -->\n\
            <password>hunter2x</password><endpoint>https://u:hunter2x@h</endpoint>\n</NamedCredential>\n";
        let red = Redacted::new(&file(text));
        assert!(!red.text.contains("hunter2x"), "{}", red.text);
        assert_eq!(red.text.matches(MASK).count(), 3);
    }

    #[test]
    fn scrub_masks_values_of_broken_files_and_url_passwords() {
        let secrets = Secrets::of_files([&file(
            "<NamedCredential><password >Wint3r<2025!Pw</password",
        )]);
        assert_eq!(
            secrets.scrub("start tag `<2025!Pw` in Wint3r<2025!Pw; see https://a:zz@h/x"),
            "start tag `<2025!Pw` in ********; see https://a:********@h/x"
        );
    }

    #[test]
    fn map_follows_the_masks() {
        let text = "<a><password>abcdefghijk</password>x</a>";
        let red = Redacted::new(&file(text));
        let x = text.find("</password>").unwrap();
        assert_eq!(&red.text[red.map(x)..red.map(x) + 11], "</password>");
        assert!(red.touches_secret(14..15));
        assert!(!red.touches_secret(x..x + 1));
    }

    /// A class the pre-filter says holds nothing secret-like is not
    /// scanned (`SourceFile::scan_for_secrets`): the scanner must then
    /// surely find nothing in it.
    #[test]
    fn the_scanner_finds_nothing_where_the_pre_filter_sees_no_secret_bytes() {
        let texts = [
            "<password>hunter2</password>",
            "<md:OAUTHTOKEN a='x'>t0k3n</md:OAUTHTOKEN>",
            "<consumerSecret>s3cr3t",
            "<oauthRefreshToken/>",
            "h.put('Authorization', 'Basic dXNlcjpwYXNz');",
            "String u = 'https://svc:Pa55w0rd@api.example.com';",
            "<CustomMetadata><values><field>Api_Key__c</field><value>k3y</value></values>",
            "String s = 'abc8Q~0123456789012345678901234567890123';",
            "public class Plain { List<String> xs; Boolean b = a < c; String u = 'https://x.example.com'; }",
        ];
        for text in texts {
            let (relevance, secret_like) = crate::apex::survey(text.as_bytes());
            let may = secret_like || relevance == crate::apex::Relevance::Strong;
            assert!(may || scan(text).is_empty(), "{text}");
            assert_eq!(may, !text.starts_with("public class Plain"), "{text}");
        }
    }
}
