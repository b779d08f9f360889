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
//!    values of such elements; `Basic <token>` runs; the value of a
//!    `password=` (`pwd=`, `passwd=`, `client_secret=`) field of a form
//!    body or query string;
//! 3. URL user info: the password of `https://user:PASSWORD@host/…`.

use crate::secrets::SECRET_ELEMENTS;
use crate::source::{FileSecrets, SourceFile};
use std::ops::Range;

/// What every secret value is replaced by.
pub const MASK: &str = "********";

/// Values shorter than this are masked where they are, but not searched for
/// elsewhere (a two-letter value would mask half of every message).
const MIN_REPEATED: usize = 3;

/// Values longer than this are searched for one by one (`memmem`, no
/// memory beyond the value) rather than by the automaton, whose states
/// cost tens of bytes per byte of a value: a password of 8 MB made a
/// `--diff` take 240 bytes of memory per byte of it. Such values are few.
const LONG_VALUE: usize = 1024;

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
        let values = repeated_values(file, &ranges);
        FileSecrets { ranges, values }
    })
}

/// The values of a file's secret ranges to search for elsewhere, but for
/// the names every finding of the file shows anyway: its API name and the
/// parts of its path (a password `Mail_Svc` in `Mail_Svc.namedCredential`).
/// Masking such a value where the name is shown would not hide it, only
/// tell which name is the password; the secret element itself stays
/// masked by its range.
fn repeated_values(file: &SourceFile, ranges: &[Range<usize>]) -> Vec<String> {
    let mut values = values_of(&file.text, ranges);
    values.extend(basic_tokens_of(file));
    let api_name = file.api_name();
    values.retain(|v| v != api_name && !file.rel_path.split('/').any(|part| part == v));
    values
}

/// The `Basic` token a legacy named credential's user name and password
/// make (`base64("user:password")`, standard and URL-safe, without its
/// padding, which only ends it): that text, repeated bare elsewhere (a
/// label), is the password merely encoded (fifth adversarial run, E5).
pub(crate) fn basic_tokens_of(file: &SourceFile) -> Vec<String> {
    if file.kind != crate::metadata::MetadataKind::NamedCredential {
        return Vec::new();
    }
    let Some(nc) = crate::metadata::NamedCredential::of(file) else {
        return Vec::new();
    };
    let (Some(user), Some(password)) = (nc.username(), nc.password()) else {
        return Vec::new();
    };
    let (user, password) = (user.value.trim(), password.value.trim());
    if user.is_empty() || password.is_empty() {
        return Vec::new();
    }
    let standard = crate::secrets::encode_base64(format!("{user}:{password}").as_bytes());
    let standard = standard.trim_end_matches('=').to_owned();
    let url_safe = standard.replace('+', "-").replace('/', "_");
    if url_safe == standard {
        vec![standard]
    } else {
        vec![standard, url_safe]
    }
}

fn find_ranges(file: &SourceFile) -> Vec<Range<usize>> {
    let apex_ranges = |view: &crate::apex::ApexView| -> Vec<Range<usize>> {
        crate::apex::scan::microsoft_secrets(view, &file.text)
            .into_iter()
            .map(|s| s.range)
            .chain(crate::apex::scan::basic_credentials(view, &file.text))
            .chain(crate::apex::scan::other_credentials(view, &file.text))
            .collect()
    };
    let mut ranges = match file.apex() {
        Some(view) if view.parsed => apex_ranges(view),
        // A class the pre-filter did not parse (it mentions no Exchange
        // host) may still hold a password in a literal: it is parsed here,
        // for its secrets only, when its bytes name one.
        Some(_) if file.scan_for_secrets && crate::apex::may_hold_credentials(&file.text) => {
            let source =
                crate::apex::ApexSource::parse_as(&file.text, crate::apex::Relevance::Strong);
            apex_ranges(source.view())
        }
        Some(_) => Vec::new(),
        None => crate::metadata::secret::secret_ranges(file),
    };
    if file.scan_for_secrets {
        ranges.extend(scan(&file.text));
    }
    let mut ranges = merge(ranges);
    let declared = entity_values(&file.text, &ranges);
    if !declared.is_empty() {
        ranges.extend(declared);
        ranges = merge(ranges);
    }
    let own = Secrets::from_values(repeated_values(file, &ranges));
    let mut all = ranges;
    all.extend(own.ranges_in(&file.text));
    merge(all)
}

/// The values of the internal entities (`<!ENTITY pw "Winter2025!">`) that
/// a secret range references (`<password>&pw;</password>`): the parser never
/// expands them, so the secret itself is the declaration's value.
fn entity_values(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if !ranges
        .iter()
        .any(|r| text.get(r.clone()).is_some_and(|t| t.contains('&')))
    {
        return out;
    }
    for decl in crate::xml::entity_declarations(text) {
        let reference = format!("&{};", decl.name);
        let used = ranges
            .iter()
            .any(|r| text.get(r.clone()).is_some_and(|t| t.contains(&reference)));
        if used {
            out.push(decl.value);
        }
    }
    out
}

/// The secret values of a set of files, to mask in any text.
///
/// Each value is searched for as it is spelled in its file and as it
/// reads (XML decoded: CDATA unwrapped, character and entity references
/// resolved, comments and processing instructions dropped), in the text
/// as it is and in the text as it reads, so that a value spelled one way
/// in its element and another way in a label, a message or another file
/// is found either way. All values are searched for in one pass
/// (an Aho-Corasick automaton, built once per set, on first use).
#[derive(Clone, Default)]
pub struct Secrets {
    /// Longest first, no duplicates.
    values: Vec<String>,
    matcher: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
}

impl PartialEq for Secrets {
    fn eq(&self, other: &Secrets) -> bool {
        self.values == other.values
    }
}

impl Eq for Secrets {}

impl std::fmt::Debug for Secrets {
    /// The count only: the values are what must never be printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} values)", self.values.len())
    }
}

impl Secrets {
    pub fn of_files<'a>(files: impl IntoIterator<Item = &'a SourceFile>) -> Secrets {
        let mut values = Vec::new();
        for f in files {
            values.extend(found(f).values.iter().cloned());
        }
        Secrets::from_values(values)
    }

    /// The union of several sets, built once (adding sets one by one
    /// with [`Secrets::extend`] rebuilds the set each time).
    pub fn union(sets: impl IntoIterator<Item = Secrets>) -> Secrets {
        Secrets::from_values(sets.into_iter().flat_map(|s| s.values).collect())
    }

    /// Whether the two sets share a value.
    pub fn shares_a_value(&self, other: &Secrets) -> bool {
        self.values.iter().any(|v| other.values.contains(v))
    }

    /// Whether the set holds no value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The secrets of a text that may not be a metadata file at all (a
    /// buffer of unknown kind): scanner and URL user info only.
    pub fn of_text(text: &str) -> Secrets {
        Secrets::from_values(values_of(text, &merge(scan(text))))
    }

    /// The values at `ranges` of `text`, as they are spelled and as they
    /// read (what [`Secrets::of_files`] takes from a file's secret
    /// ranges), to search for elsewhere.
    pub fn at(text: &str, ranges: &[Range<usize>]) -> Secrets {
        Secrets::from_values(values_of(text, ranges))
    }

    /// Where the values, and URL user info, are in `text`, in either
    /// spelling: sorted, not overlapping.
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        merge(self.ranges_in(text))
    }

    pub(crate) fn from_values(mut values: Vec<String>) -> Secrets {
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        Secrets {
            values,
            matcher: Default::default(),
        }
    }

    /// Adds the values of `other`.
    pub fn extend(&mut self, other: &Secrets) {
        // Often a subset (the same files read again): then nothing to build.
        let order = |a: &String, b: &String| b.len().cmp(&a.len()).then_with(|| a.cmp(b));
        if other
            .values
            .iter()
            .all(|v| self.values.binary_search_by(|x| order(x, v)).is_ok())
        {
            return;
        }
        let mut values = std::mem::take(&mut self.values);
        values.extend(other.values.iter().cloned());
        *self = Secrets::from_values(values);
    }

    /// Whether [`Secrets::scrub`] would change `text`.
    pub fn found_in(&self, text: &str) -> bool {
        !self.ranges_in(text).is_empty()
    }

    /// Whether `after` holds some secret value more often than `before`:
    /// an edit (or, with an empty `before`, a new file) that would write
    /// a secret where there was none.
    ///
    /// The short values are counted in one pass of the automaton over each
    /// text: one search per value made a fix of a file of 1,000 secrets
    /// search it 1,000 times, once per fix (fifth adversarial run, E3).
    pub fn added_in(&self, before: &str, after: &str) -> bool {
        let count = |text: &str, v: &str| memchr::memmem::find_iter(text.as_bytes(), v).count();
        let (long, short) = self.long_and_short();
        if long.iter().any(|v| count(after, v) > count(before, v)) {
            return true;
        }
        match self.matcher() {
            Some(m) => {
                let counts = |text: &str| {
                    let mut n = vec![0usize; short.len()];
                    for found in m.find_overlapping_iter(text) {
                        n[found.pattern().as_usize()] += 1;
                    }
                    n
                };
                counts(after)
                    .into_iter()
                    .zip(counts(before))
                    .any(|(a, b)| a > b)
            }
            None => short.iter().any(|v| count(after, v) > count(before, v)),
        }
    }

    /// `text` with every known secret value, and any URL user info
    /// ([`url_userinfo`]), replaced by [`MASK`].
    pub fn scrub(&self, text: &str) -> String {
        let ranges = merge(self.ranges_in(text));
        if ranges.is_empty() {
            return text.to_owned();
        }
        mask_ranges(text, &ranges)
    }

    /// Where the values, and URL user info, are in `text`, in either
    /// spelling (see the type's documentation). Unsorted, may overlap.
    fn ranges_in(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = url_userinfo(text);
        let matcher = self.matcher();
        self.find(matcher, text, &mut out);
        let b = text.as_bytes();
        let spelled_otherwise = memchr::memchr(b'&', b).is_some()
            || (!self.values.is_empty()
                && (memchr::memmem::find(b, b"<!").is_some()
                    || memchr::memmem::find(b, b"<?").is_some()));
        if spelled_otherwise {
            let decoded = Decoded::new(text);
            if decoded.text != text {
                let mut found = url_userinfo(&decoded.text);
                self.find(matcher, &decoded.text, &mut found);
                out.extend(found.into_iter().map(|r| decoded.raw(r)));
            }
        }
        out
    }

    /// The values longer than [`LONG_VALUE`] (a prefix: longest first)
    /// and the others.
    fn long_and_short(&self) -> (&[String], &[String]) {
        self.values
            .split_at(self.values.partition_point(|v| v.len() > LONG_VALUE))
    }

    fn matcher(&self) -> Option<&aho_corasick::AhoCorasick> {
        self.matcher
            .get_or_init(|| {
                let (_, short) = self.long_and_short();
                if short.is_empty() {
                    return None;
                }
                // Every match, overlapping ones too: of `abc` and `bcdef`
                // in `abcdef`, a leftmost match alone would leave `def`.
                // A DFA (what the builder picks for a few patterns) costs
                // time and memory per pattern byte times the alphabet: a
                // value of 80 KB (`user:pass…@` in an endpoint) took half
                // a minute to build. Past a few KB of values the
                // contiguous NFA, built in linear time, does it.
                let total: usize = short.iter().map(String::len).sum();
                let kind = (total > 4096).then_some(aho_corasick::AhoCorasickKind::ContiguousNFA);
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::Standard)
                    .kind(kind)
                    .build(short)
                    .ok()
            })
            .as_ref()
    }

    fn find(
        &self,
        matcher: Option<&aho_corasick::AhoCorasick>,
        text: &str,
        out: &mut Vec<Range<usize>>,
    ) {
        let (long, short) = self.long_and_short();
        for v in long {
            out.extend(occurrences(text, v));
        }
        match matcher {
            Some(m) => out.extend(m.find_overlapping_iter(text).map(|m| m.range())),
            // The automaton could not be built: one search per value.
            None => {
                for v in short {
                    out.extend(occurrences(text, v));
                }
            }
        }
    }
}

/// A text as XML reads it, without parsing it (so a broken file reads
/// too): character references (`&#72;`, `&#x5A;`) and the predefined
/// entities (`&amp;`) resolved, CDATA sections unwrapped, comments and
/// processing instructions dropped. Anything else is kept as it is.
struct Decoded {
    text: String,
    /// (range in `text`, range in the original) of each spelling undone,
    /// in order. Between them, the two texts are the same bytes.
    spans: Vec<(Range<usize>, Range<usize>)>,
}

impl Decoded {
    fn new(raw: &str) -> Decoded {
        let b = raw.as_bytes();
        let mut text = String::with_capacity(raw.len());
        let mut spans = Vec::new();
        let mut copied = 0;
        let mut i = 0;
        let mut unclosed = (false, false);
        while let Some(p) = memchr::memchr2(b'&', b'<', &b[i..]).map(|p| i + p) {
            let rest = &raw[p..];
            let (end, with): (usize, Option<char>) = if b[p] == b'&' {
                match reference(rest) {
                    Some((len, c)) => (p + len, Some(c)),
                    None => {
                        i = p + 1;
                        continue;
                    }
                }
            } else if let Some(content) = rest.strip_prefix("<![CDATA[") {
                // The delimiters go, the content stays as it is.
                text.push_str(&raw[copied..p]);
                let start = p + "<![CDATA[".len();
                spans.push((text.len()..text.len(), p..start));
                copied = start;
                match content.find("]]>") {
                    Some(c) => {
                        let close = start + c;
                        text.push_str(&raw[start..close]);
                        spans.push((text.len()..text.len(), close..close + 3));
                        copied = close + 3;
                        i = copied;
                    }
                    None => i = raw.len(),
                }
                continue;
            } else {
                // No end once means none further on: never searched again,
                // so many unclosed `<!--` stay linear.
                let close = if let Some(body) = rest.strip_prefix("<!--").filter(|_| !unclosed.0) {
                    let c = body.find("-->").map(|c| p + 4 + c + 3);
                    unclosed.0 = c.is_none();
                    c
                } else if let Some(body) = rest.strip_prefix("<?").filter(|_| !unclosed.1) {
                    let c = body.find("?>").map(|c| p + 2 + c + 2);
                    unclosed.1 = c.is_none();
                    c
                } else {
                    None
                };
                match close {
                    Some(end) => (end, None),
                    None => {
                        i = p + 1;
                        continue;
                    }
                }
            };
            text.push_str(&raw[copied..p]);
            let start = text.len();
            if let Some(c) = with {
                text.push(c);
            }
            spans.push((start..text.len(), p..end));
            copied = end;
            i = end;
        }
        text.push_str(&raw[copied..]);
        Decoded { text, spans }
    }

    /// The original range that reads as `r` of the decoded text: a
    /// spelling partly inside `r` is taken whole.
    fn raw(&self, r: Range<usize>) -> Range<usize> {
        let start = match self.spans.partition_point(|(d, _)| d.start <= r.start) {
            0 => r.start,
            n => {
                let (d, o) = &self.spans[n - 1];
                if r.start < d.end {
                    o.start
                } else {
                    o.end + (r.start - d.end)
                }
            }
        };
        let end = match self.spans.partition_point(|(d, _)| d.start < r.end) {
            0 => r.end,
            n => {
                let (d, o) = &self.spans[n - 1];
                if r.end <= d.end {
                    o.end
                } else {
                    o.end + (r.end - d.end)
                }
            }
        };
        start..end.max(start)
    }
}

/// The character a reference at the start of `s` stands for, and the
/// reference's length: `&#N;`, `&#xH;` or one of XML's five entities.
fn reference(s: &str) -> Option<(usize, char)> {
    let semi = memchr::memchr(b';', &s.as_bytes()[..s.len().min(12)])?;
    let name = &s[1..semi];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((semi + 1, c))
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
        ranges.extend(also.ranges_in(&file.text));
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

/// Whether `text` holds URL user info ([`url_userinfo`]), as it is spelled
/// or as it reads (`svc&#58;pw&#64;host`): what no fix may write.
pub fn has_url_userinfo(text: &str) -> bool {
    Secrets::default().found_in(text)
}

/// The tolerant scanner: secret ranges of a text that need not be
/// well-formed XML (see the module documentation). Unsorted.
pub fn scan(text: &str) -> Vec<Range<usize>> {
    let mut out = elements(text);
    out.extend(basic_tokens(text));
    out.extend(url_userinfo(text));
    out.extend(form_passwords(text));
    out.extend(record_values(text));
    out.extend(crate::secrets::entra_secrets_to_mask(text));
    out
}

/// Keys of a form body or query string whose value is a password.
const FORM_SECRET_KEYS: [&str; 4] = ["password=", "passwd=", "pwd=", "client_secret="];

/// `password=VALUE` in a form body or a query string (an ROPC token
/// request `grant_type=password&username=…&password=PW`, an endpoint
/// `…/Exchange.asmx?user=svc&amp;password=PW`), any case, also `passwd=`,
/// `pwd=` and `client_secret=`: the value, up to `&`, a quote, a blank,
/// `<` or the end. The key must start the field (after the start, `&`,
/// `?`, `;` of `&amp;`, a quote, a blank or `>`): `grant_type=password` is
/// a key `grant_type`, and `x_password=` no field of this kind.
/// Placeholders (`{!$Credential.Password}`, `${PW}`) are not masked.
fn form_passwords(text: &str) -> Vec<Range<usize>> {
    static KEYS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(FORM_SECRET_KEYS)
            .expect("valid needles")
    });
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for m in keys.find_iter(bytes) {
        let starts_field = m.start() == 0
            || matches!(
                bytes[m.start() - 1],
                b'&' | b'?' | b';' | b'\'' | b'"' | b'>' | b' ' | b'\t' | b'\n' | b'\r'
            );
        if !starts_field {
            continue;
        }
        let start = m.end();
        let end = bytes[start..]
            .iter()
            .position(|b| b"&'\"<".contains(b) || b.is_ascii_whitespace())
            .map_or(bytes.len(), |e| start + e);
        let value = &text[start..end];
        if !value.is_empty()
            && !value.contains("{!")
            && !value.contains("${")
            && !is_template_or_flag(value)
            && crate::secrets::classify(value).is_secret()
        {
            out.push(start..end);
        }
    }
    out
}

/// A form field's value that is no password but a format slot (`{0}`,
/// `%s`, `:pw` of SOQL) or a flag (`password=true` in prose or a setting):
/// masked, it would be searched for, and masked, in every text.
fn is_template_or_flag(value: &str) -> bool {
    let slot = (value.starts_with('{') && value.ends_with('}'))
        || value.starts_with('%')
        || value.starts_with(':');
    let flag = ["true", "false", "null", "yes", "no", "on", "off", "none"]
        .iter()
        .any(|w| value.eq_ignore_ascii_case(w));
    slot || flag
}

/// Custom metadata records: the `<value>` that follows a `<field>` named
/// like a secret (`Client_Secret__c`), found without parsing, so that a
/// record that does not parse still keeps its secret out of every message.
/// Tags are read as the scanner reads secret elements: any prefix
/// (`<md:field>`), any case, anything after the name (`<field >`).
fn record_values(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if memchr::memmem::find(text.as_bytes(), b"CustomMetadata").is_none() {
        return out;
    }
    let bytes = text.as_bytes();
    #[derive(Clone, Copy, PartialEq)]
    enum Tag {
        Field,
        Value,
        Values,
    }
    // (position of `<`, is an end tag, which, end of the name)
    let mut tags = Vec::new();
    for lt in memchr::memchr_iter(b'<', bytes) {
        let Some((close, local, name_end)) = tag_at(bytes, lt) else {
            continue;
        };
        let tag = if local.eq_ignore_ascii_case(b"field") {
            Tag::Field
        } else if local.eq_ignore_ascii_case(b"value") {
            Tag::Value
        } else if local.eq_ignore_ascii_case(b"values") {
            Tag::Values
        } else {
            continue;
        };
        tags.push((lt, close, tag, name_end));
    }
    let content =
        |name_end: usize| memchr::memchr(b'>', &bytes[name_end..]).map(|e| name_end + e + 1);
    let next = |from: usize, close: bool, tag: Tag| {
        tags[tags.partition_point(|t| t.0 < from)..]
            .iter()
            .find(|t| t.1 == close && t.2 == tag)
            .map(|t| t.0)
    };
    for &(_, close, tag, name_end) in &tags {
        if close || tag != Tag::Field {
            continue;
        }
        let Some(name_start) = content(name_end) else {
            continue;
        };
        let Some(name_stop) = next(name_start, true, Tag::Field) else {
            continue;
        };
        if crate::secrets::field_secrecy(text[name_start..name_stop].trim()).is_none() {
            continue;
        }
        // Every `<value>` up to the end of this `<values>` (or the next
        // field): a repeated value is as secret as the first.
        let stop = [
            next(name_stop, true, Tag::Values),
            next(name_stop, false, Tag::Field),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(bytes.len());
        let mut after = name_stop;
        while let Some(&(lt, _, _, v_name_end)) = tags[tags.partition_point(|t| t.0 < after)..]
            .iter()
            .take_while(|t| t.0 < stop)
            .find(|t| !t.1 && t.2 == Tag::Value)
        {
            // The end of the start tag (attribute values hold no `>` here).
            let Some(start) = content(v_name_end) else {
                break;
            };
            after = start.max(lt + 1);
            if bytes[..start].ends_with(b"/>") {
                continue;
            }
            // Its end tag, or (misspelled, `</valu>`) the next end tag.
            let end = next(start, true, Tag::Value)
                .filter(|&e| e <= stop)
                .or_else(|| memchr::memmem::find(&bytes[start..], b"</").map(|e| start + e))
                .unwrap_or(bytes.len());
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

/// The tag whose `<` is at `lt`: whether it is an end tag, its local
/// name, and where the name ends.
fn tag_at(bytes: &[u8], lt: usize) -> Option<(bool, &[u8], usize)> {
    let (close, at) = match bytes.get(lt + 1)? {
        b'/' => (true, lt + 2),
        _ => (false, lt + 1),
    };
    let (local, name_end) = local_name(bytes, at);
    Some((close, local, name_end))
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
        let Some((is_close, local, name_end)) = tag_at(bytes, lt) else {
            continue;
        };
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

/// `Basic <token>` (any case, any run of ASCII whitespace between, as
/// HTTP header folding and Apex string escapes allow): the token.
fn basic_tokens(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Searched ignoring case, without a lower-case copy of the text.
    static BASIC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    let basic = BASIC.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["basic"])
            .expect("a valid needle")
    });
    for m in basic.find_iter(bytes) {
        let gap = bytes[m.end()..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if gap == 0 {
            continue;
        }
        let start = m.end() + gap;
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

/// URL user info, read as URL parsers (WHATWG, Salesforce) and the host
/// detection (`hosts::UrlInfo`) read it: after `scheme:` and any number of
/// `/` or `\` (`https://`, `HTTPS:\\`, a bare `user:password@host`), the
/// authority runs to the first `/`, `\`, `?` or `#`, and the user info to
/// its **last** `@` (`svc:p@ss@host`: the password is `p@ss`). The part after
/// the user info's first `:` is masked, or the whole user info when it has
/// no `:` (`https://TOKEN@host`: a token used as user name). Apply it to
/// decoded text too ([`Decoded`]): `svc&#58;pw&#64;host` reads the same.
pub(crate) fn url_userinfo(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    if memchr::memchr(b'@', bytes).is_none() {
        return out;
    }
    let scheme_char = |b: &u8| b.is_ascii_alphanumeric() || b"+-.".contains(b);
    let mut prev_end = 0;
    // No run yet: a range no start falls in.
    let (mut run, mut run_at) = (usize::MAX..usize::MAX, None);
    // The run's user info was found: a later colon of the same run finds
    // a part of it (its range ends at the same `@` and starts later), and
    // searching again for each would be quadratic (`a:a:a:…@h`).
    let mut run_found = false;
    for colon in memchr::memchr_iter(b':', bytes) {
        // `scheme:`, letters first; the user name of a bare `user:pw@host`
        // reads the same way.
        let from = bytes[prev_end.min(colon)..colon]
            .iter()
            .rposition(|b| !scheme_char(b))
            .map_or(prev_end.min(colon), |p| prev_end.min(colon) + p + 1);
        if from == colon || !bytes[from].is_ascii_alphabetic() {
            continue;
        }
        let start = colon
            + 1
            + bytes[colon + 1..]
                .iter()
                .take_while(|b| matches!(b, b'/' | b'\\'))
                .count();
        prev_end = colon + 1;
        // The colons of one run share its end and its last `@`: found
        // once per run, so a line of colons stays linear.
        if !(run.start <= start && start <= run.end) {
            // A quote ends the URL only when one opened it (`'https://…'`
            // in Apex, `url="…"`); elsewhere `'` is a user-info character
            // (RFC 3986's sub-delims), and so is an escaped quote inside a
            // quoted literal (`\'`). `#` of a character reference (`&#x9;`)
            // is no fragment.
            let quote = from
                .checked_sub(1)
                .map(|q| bytes[q])
                .filter(|q| b"'\"`".contains(q));
            let mut i = start;
            while i < bytes.len() {
                let b = bytes[i];
                let ends = match b {
                    b'\\' if quote.is_some() && bytes.get(i + 1).copied() == quote => {
                        i += 2;
                        continue;
                    }
                    b'#' => i == 0 || bytes[i - 1] != b'&',
                    b'\'' | b'"' | b'`' => Some(b) == quote,
                    _ => b.is_ascii_whitespace() || b.is_ascii_control() || b"/\\?<>".contains(&b),
                };
                if ends {
                    break;
                }
                i += 1;
            }
            let mut end = i.min(bytes.len());
            // `user:pass word@host` or `user:pa\ss@host`: no URL parser
            // takes it, but the password is still one. When the run that
            // stops at a blank or a backslash has a `user:` and no `@`, an
            // `@` before the next line break, tag, quote or `/` ends it.
            if matches!(bytes.get(end), Some(b' ' | b'\t' | b'\\'))
                && memchr::memchr(b':', &bytes[start..end]).is_some()
                && memchr::memchr(b'@', &bytes[start..end]).is_none()
            {
                let rest = &bytes[end..];
                let hard = rest
                    .iter()
                    .position(|b| b"\n\r<>/\"'`?#".contains(b))
                    .unwrap_or(rest.len());
                if memchr::memchr(b'@', &rest[..hard]).is_some() {
                    end += hard;
                }
            }
            run = start..end;
            run_at = memchr::memrchr(b'@', &bytes[start..end]).map(|a| start + a);
            run_found = false;
        }
        if run_found {
            continue;
        }
        let Some(at) = run_at.filter(|&a| a >= start) else {
            continue;
        };
        match memchr::memchr(b':', &bytes[start..at]) {
            Some(c) if start + c + 1 < at => out.push(start + c + 1..at),
            Some(_) => {}
            None if at > start => out.push(start..at),
            None => {}
        }
        run_found = out.last().is_some_and(|r| r.end == at);
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

/// The values to search for elsewhere: each range's text as it is spelled
/// and as it reads ([`Decoded`]), the token of a `Basic <token>` value
/// (the credential itself, which a label may repeat alone), and the tails
/// of a base64 `user:password` token that still spell its password
/// ([`crate::secrets::basic_token_tails`]).
fn values_of(text: &str, ranges: &[Range<usize>]) -> Vec<String> {
    let mut out = Vec::new();
    // A set, not a search of `out`: a class with 100,000 `Basic` tokens
    // took 37 s comparing each with all before it (third adversarial run
    // C15).
    let mut seen = std::collections::HashSet::new();
    let mut push = |v: &str| {
        let v = v.trim();
        if v.len() >= MIN_REPEATED && seen.insert(v.to_owned()) {
            out.push(v.to_owned());
        }
    };
    for raw in ranges.iter().filter_map(|r| text.get(r.clone())) {
        push(raw);
        let decoded = Decoded::new(raw).text;
        push(&decoded);
        for t in basic_tokens(&decoded) {
            push(&decoded[t.clone()]);
            // What the token encodes, `user:password`: the password is as
            // secret written in clear elsewhere (a label) as encoded.
            if let Some(pair) = base64_text(&decoded[t.clone()]) {
                if let Some((_, password)) = pair.split_once(':') {
                    push(&pair);
                    push(password);
                }
            }
            // A tail of the token spells the password too (a label
            // quoting `OlpxN…` of `Basic c3Zj…OlpxN…`).
            for tail in crate::secrets::basic_token_tails(&decoded[t]) {
                push(tail);
            }
        }
        for tail in crate::secrets::basic_token_tails(&decoded) {
            push(tail);
        }
    }
    out
}

/// The text a Base64 token (standard or URL-safe alphabet, padded or not)
/// encodes, when it is printable UTF-8.
fn base64_text(token: &str) -> Option<String> {
    let text = String::from_utf8(crate::secrets::decode_base64(token)?).ok()?;
    (!text.chars().any(char::is_control)).then_some(text)
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

    #[test]
    fn added_in_counts_each_value_short_or_long() {
        let long = "L".repeat(LONG_VALUE + 1);
        let secrets = Secrets::from_values(vec!["Zq7x".into(), "Zq7xy".into(), long.clone()]);
        assert!(!secrets.added_in("a Zq7xy b", "a Zq7xy b"));
        assert!(secrets.added_in("a Zq7xy b", "a Zq7xy b Zq7x"));
        assert!(!secrets.added_in("Zq7x Zq7x", "Zq7x"));
        assert!(secrets.added_in("", &long));
        assert!(!secrets.added_in(&long, &long));
        assert!(!Secrets::default().added_in("", "anything"));
    }

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
    fn base64_tokens_read_as_their_text() {
        assert_eq!(base64_text("dXNlcjpwYXNz").as_deref(), Some("user:pass"));
        assert_eq!(
            base64_text("dXNlcjpwYXNzMQ==").as_deref(),
            Some("user:pass1")
        );
        assert_eq!(base64_text("dXNlcjpwYXNzMQ").as_deref(), Some("user:pass1"));
        assert_eq!(base64_text("c3ZjOnA_cQ").as_deref(), Some("svc:p?q"));
        assert_eq!(base64_text("AAEC"), None);
        assert_eq!(base64_text("a"), None);
        assert_eq!(base64_text("ab!c"), None);
    }

    #[test]
    fn the_password_a_basic_token_encodes_is_a_secret_value() {
        // `svc@contoso.com:Zq-Encoded-Pw9`
        let header = "Basic c3ZjQGNvbnRvc28uY29tOlpxLUVuY29kZWQtUHc5";
        let values = values_of(header, std::slice::from_ref(&(0..header.len())));
        assert!(values.iter().any(|v| v == "Zq-Encoded-Pw9"), "{values:?}");
        assert!(values.iter().any(|v| v == "svc@contoso.com:Zq-Encoded-Pw9"));
        assert!(!values.iter().any(|v| v == "svc@contoso.com"));
    }

    #[test]
    fn a_tail_of_a_basic_token_is_masked_where_it_is_repeated() {
        // `c3Zj…` is base64 of `svc@contoso.com:Zq7>>>???c119`; its tail
        // `OlpxN…` (from the colon's block) is base64 of `:Zq7>>>???c119`.
        let text = "<NamedCredential><password>Basic c3ZjQGNvbnRvc28uY29tOlpxNz4+Pj8/P2MxMTk</password><label>Mail OlpxNz4+Pj8/P2MxMTk=</label><description>c28uY29tOlpxNz4+Pj8/P2MxMTk</description></NamedCredential>";
        let f = file(text);
        let masked: Vec<&str> = secret_ranges(&f).iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            masked,
            [
                "Basic c3ZjQGNvbnRvc28uY29tOlpxNz4+Pj8/P2MxMTk",
                "OlpxNz4+Pj8/P2MxMTk",
                "c28uY29tOlpxNz4+Pj8/P2MxMTk"
            ]
        );
    }

    #[test]
    fn password_fields_of_forms_and_queries_are_found() {
        let text = "req.setBody('grant_type=password&client_id=abc&username=svc@contoso.com&password=Zq1Ropc');\n<endpoint>https://outlook.office365.com/EWS/Exchange.asmx?user=svc&amp;password=Zq2Query</endpoint>\n'a=1&PWD=Zq3Pwd&b=2' \"passwd=Zq4Passwd\" ?client_secret=Zq5Client \n";
        assert_eq!(
            found(text),
            ["Zq1Ropc", "Zq2Query", "Zq3Pwd", "Zq4Passwd", "Zq5Client"]
        );
        for text in [
            "grant_type=password&username=svc",
            "x_password=Zz1Other&my_pwd=Zz2",
            "password={!$Credential.Password}&pwd=${PW}&passwd=&password=changeme",
            "String.format('password={0}&pwd=%s', args); // sends password=true",
            "WHERE x = 'password=' + :pw AND y = 'pwd=:secret'",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
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
        // Field tags that are not plain, a misspelled end tag.
        let odd = "<CustomMetadata><values><field >Client_Secret__c</field><value xsi:type=\"xsd:string\">Zq83CmdSecret</valu></values>\n<md:values><md:field>Api_Key__c</md:field><md:value>Zq84Key</md:value></md:values><oops";
        assert_eq!(found(odd), ["Zq83CmdSecret", "Zq84Key"]);
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
        assert_eq!(found(text), ["Pw0rd!", "user", "b"]);
    }

    /// As URL parsers read it: the user info runs to the authority's last
    /// `@`; a user name without a password is a token; `\` works as `/`,
    /// and so does no slash at all.
    #[test]
    fn url_user_info_as_parsers_read_it() {
        let cases = [
            (
                "https://svc:p@ss3r@outlook.office365.com/EWS/x@y",
                vec!["p@ss3r"],
            ),
            ("https://svc:a@b@Zq@h?q=x@y#z@w", vec!["a@b@Zq"]),
            (
                "https://Zq74TokenAB@outlook.office365.com/EWS",
                vec!["Zq74TokenAB"],
            ),
            (
                "HTTPS:\\\\svc:Zq77BsPw@outlook.office365.com\\EWS",
                vec!["Zq77BsPw"],
            ),
            ("https:svc:Zq7Pw@h/x", vec!["Zq7Pw"]),
            ("svc:Zq8Pw@outlook.office365.com/EWS", vec!["Zq8Pw"]),
            ("'https://svc:Zq9Pw@h' + x", vec!["Zq9Pw"]),
            // Quotes are user-info characters unless one opened the URL.
            (
                "<endpoint>https://svc:Zq7'Apos@outlook.office365.com/EWS</endpoint>",
                vec!["Zq7'Apos"],
            ),
            ("\"https://svc:Zq7'In@h/x\"", vec!["Zq7'In"]),
            ("'https://svc:Zq7\\'Esc@h/x'", vec!["Zq7\\'Esc"]),
            ("url=\"https://svc:Zq7`Tick@h\"", vec!["Zq7`Tick"]),
            ("https://svc:Zq7&#x9;Ref@h/x", vec!["Zq7&#x9;Ref"]),
            ("'https://h/x' + ',a@b'", vec![]),
            // Not a URL any parser takes, still a password.
            (
                "<endpoint>https://svc:Zq7 Space@h/EWS</endpoint>",
                vec!["Zq7 Space"],
            ),
            ("https://svc:Zq7\\Back@h/x", vec!["Zq7\\Back"]),
            ("https://h sends svc@contoso.com", vec![]),
            ("'https://h'+'a@b'", vec![]),
            (
                "https://h/p@x https://h2?a@b svc@contoso.com 10:30 @x",
                vec![],
            ),
        ];
        for (text, want) in cases {
            let got: Vec<&str> = merge(url_userinfo(text))
                .into_iter()
                .map(|r| &text[r])
                .collect();
            assert_eq!(got, want, "{text}");
        }
        // Spelled with character references: found in the text as it reads.
        let text = "<endpoint>https://svc&#58;Zq78EntPw&#64;outlook.office365.com/EWS</endpoint>";
        assert_eq!(
            Secrets::default().scrub(text),
            "<endpoint>https://svc&#58;********&#64;outlook.office365.com/EWS</endpoint>"
        );
        // A line of colons stays linear (and finds nothing), and so does
        // one that ends in an `@` (one user info, found once).
        assert!(url_userinfo(&"a:".repeat(200_000)).is_empty());
        let long = format!("https://{}@outlook.office365.com/EWS", "a:".repeat(200_000));
        let found = merge(url_userinfo(&long));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].end, long.find('@').unwrap());
    }

    /// A value is found however it is spelled, here or in another file:
    /// CDATA, character references, `&amp;`, a comment inside it.
    #[test]
    fn values_are_found_as_spelled_and_as_they_read() {
        let cases = [
            (
                "<password><![CDATA[Zq80Cdata]]></password>",
                "Zq80Cdata",
                "<label>Zq80Cdata</label>",
            ),
            (
                "<password>&#72;unt3rZq72</password>",
                "Hunt3rZq72",
                "<label>Hunt3rZq72</label>",
            ),
            (
                "<password>Hunt&amp;3rZq71</password>",
                "Hunt&3rZq71",
                "<label>Hunt&#38;3rZq71</label>",
            ),
            (
                "<password>Zq81<!--x-->Split</password>",
                "Zq81Split",
                "<label>Zq81Split</label>",
            ),
            (
                "<password>Zq90Pw</password>",
                "Zq90Pw",
                "<label>&#x5A;q90Pw</label>",
            ),
        ];
        for (secret, reads, label) in cases {
            let text = format!("<NamedCredential>{label}{secret}</NamedCredential>");
            let red = Redacted::new(&file(&text));
            assert_eq!(
                red.text,
                "<NamedCredential><label>********</label><password>********</password></NamedCredential>",
                "{text}"
            );
            let secrets = Secrets::of_files([&file(&format!(
                "<NamedCredential>{secret}</NamedCredential>"
            ))]);
            assert_eq!(
                secrets.scrub(&format!("named credential \"{reads}\" (Ex)")),
                "named credential \"********\" (Ex)"
            );
            assert_eq!(
                Redacted::masking(&file(&format!("<x>{label}</x>")), &secrets).text,
                "<x><label>********</label></x>"
            );
        }
    }

    /// `Basic`, then any run of ASCII whitespace, then the token.
    #[test]
    fn a_basic_token_after_any_whitespace_is_found() {
        for gap in ["\t", "\n", "\r\n", "\x0c", " \t "] {
            let text = format!("x Basic{gap}c3ZjOlpxOTNTZWNyZXQ= y");
            let start = text.find("c3Zj").unwrap();
            assert_eq!(basic_tokens(&text), vec![start..start + 20], "{gap:?}");
        }
        assert!(basic_tokens("Basicc3ZjOlpxOTNTZWNyZXQ=").is_empty());
    }

    /// The token of a `Basic <token>` value is a value of its own.
    #[test]
    fn a_basic_token_alone_is_found_too() {
        for header in ["Basic c3ZjOlpxOTNTZWNyZXQ=", "basic c3ZjOlpxOTNTZWNyZXQ="] {
            let secrets =
                Secrets::from_values(values_of(header, std::slice::from_ref(&(0..header.len()))));
            assert_eq!(
                secrets.scrub("external credential \"c3ZjOlpxOTNTZWNyZXQ=\" (Basic_EC)"),
                "external credential \"********\" (Basic_EC)"
            );
        }
    }

    /// Many values, one pass: each occurrence of each is masked, a value
    /// inside or overlapping another included.
    #[test]
    fn many_values_in_one_pass() {
        let mut values: Vec<String> = (0..5000).map(|i| format!("Zq{i:05}Pw")).collect();
        values.push("abc".into());
        values.push("bcdef".into());
        let secrets = Secrets::from_values(values);
        assert_eq!(
            secrets.scrub("x Zq04999Pw y Zq00000Pw abcdef Zq5Pw"),
            "x ******** y ******** ******** Zq5Pw"
        );
    }

    /// A class the pre-filter does not parse (it names no Exchange host)
    /// is parsed for its secrets when its bytes name a password: its value
    /// is masked in texts from other files too.
    #[test]
    fn a_password_in_a_class_that_is_not_analysed_is_masked() {
        let text = "public class JiraClient {\n  private static final String API_PASSWORD = 'Zq9Jira!Pw';\n  String plain = 'Zq9Other';\n}\n";
        let class = SourceFile::new(
            "classes/JiraClient.cls".into(),
            "classes/JiraClient.cls".into(),
            MetadataKind::ApexClass,
            Format::Source,
            text.as_bytes().to_vec(),
        );
        assert!(class.apex().is_some_and(|v| !v.parsed));
        let found: Vec<&str> = secret_ranges(&class)
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(found, ["Zq9Jira!Pw"]);
        let secrets = Secrets::of_files([&class]);
        assert_eq!(
            secrets.scrub("label Zq9Jira!Pw, Zq9Other"),
            "label ********, Zq9Other"
        );
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
            "String b = 'grant_type=password&username=u&pwd=Zq1';",
            "String b = 'passwd=Zq2&client_secret=Zq3';",
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
