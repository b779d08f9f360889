use std::borrow::Cow;

/// Text for a terminal or a log, where control characters act: line
/// breaks (a file name holding `\n::error …` would start a GitHub workflow
/// command), escape sequences, C0 and C1 controls, DEL and the bidirectional
/// overrides are written as `\n`, `\u{1b}`… ; a backslash stays itself.
/// The first `#` of an Azure Pipelines command prefix (`##vso[`, `##[`,
/// which the agent reads anywhere in a line) is written `\u{23}`.
pub fn printable(s: &str) -> Cow<'_, str> {
    match controls_escaped(s) {
        Cow::Borrowed(s) => defuse_azure(s, "\\u{23}"),
        Cow::Owned(s) => Cow::Owned(defuse_azure(&s, "\\u{23}").into_owned()),
    }
}

/// [`printable`] but for `##vso[`: for the data of an Azure Pipelines
/// logging command, which the agent never reads a second command from.
pub fn controls_escaped(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    };
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if bad(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `c` is invisible or acts when a report is shown, yet is valid
/// raw in JSON and XML text: DEL and the C1 controls (U+0085 breaks a
/// line in some log viewers, U+009B starts a terminal escape sequence),
/// the line and paragraph separators (U+2028 ends a JavaScript string
/// literal) and the bidirectional embeddings, overrides and isolates.
fn acts_when_shown(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A serialised JSON or XML document with every character
/// [`acts_when_shown`] written by `escape` (`\u0085` in JSON, `&#x85;` in
/// XML). They can only stand in string values or text there, where the
/// escape reads back as the same character: a parser sees the same
/// values, the file, a log that prints it and a viewer that shows it
/// hold no raw control.
pub fn invisible_escaped(doc: &str, escape: fn(u32) -> String) -> Cow<'_, str> {
    if !doc.chars().any(acts_when_shown) {
        return Cow::Borrowed(doc);
    }
    let mut out = String::with_capacity(doc.len() + 16);
    for c in doc.chars() {
        if acts_when_shown(c) {
            out.push_str(&escape(c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Where an Azure Pipelines command prefix starts in `s`: `##vso[` (any
/// case) or `##[`, which the agent reads anywhere in a line of the log.
fn azure_prefixes(s: &str) -> impl Iterator<Item = usize> + '_ {
    let b = s.as_bytes();
    memchr::memchr_iter(b'#', b).filter(move |&i| {
        if b.get(i + 1) != Some(&b'#') {
            return false;
        }
        let rest = &b[i + 2..];
        rest.first() == Some(&b'[')
            || rest
                .get(..4)
                .is_some_and(|r| r.eq_ignore_ascii_case(b"vso["))
    })
}

/// Whether `s` holds an Azure Pipelines command prefix (`##vso[`, `##[`).
pub fn holds_azure_command(s: &str) -> bool {
    azure_prefixes(s).next().is_some()
}

/// `s` with the first `#` of every Azure Pipelines command prefix
/// (`##vso[`, `##[`) written as `hash`: `\u0023` in JSON, `&#35;` in XML
/// and HTML (the parsed value is unchanged), `\u{23}` in text for people.
pub fn defuse_azure<'a>(s: &'a str, hash: &str) -> Cow<'a, str> {
    let mut at = 0;
    let mut out = String::new();
    for i in azure_prefixes(s) {
        if i < at {
            continue;
        }
        out.push_str(&s[at..i]);
        out.push_str(hash);
        at = i + 1;
    }
    if at == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[at..]);
    Cow::Owned(out)
}

/// Whether a line printed as it is would be read as more than text by a
/// CI runner or a terminal: a GitHub workflow command (`::` once leading
/// whitespace and one diff marker are dropped: the runner trims the
/// line), an Azure Pipelines command (`##vso[`, `##[`, anywhere in the
/// line), or a character a terminal or a log splitter acts on (C0 but
/// tab, DEL, C1 such as U+009B and U+0085, ESC, U+2028, U+2029, the
/// bidirectional overrides). A lone CR counts: runners split lines at it.
/// `line` excludes its line break (`\n`, or the `\r\n` of a CRLF file).
pub fn interpreted_in_a_log(line: &str) -> bool {
    let acts = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    };
    if line.chars().any(acts) || holds_azure_command(line) {
        return true;
    }
    let blank = |c: char| c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}');
    let trimmed = line.trim_start_matches(blank);
    let unmarked = trimmed
        .strip_prefix(['+', '-'])
        .unwrap_or(trimmed)
        .trim_start_matches(blank);
    trimmed.starts_with("::") || unmarked.starts_with("::")
}

/// A path for a diff header as git writes one (`core.quotePath`): as it
/// is when it holds only printable ASCII but `"` and `\`, else in double
/// quotes with C-style escapes (`\n`, `\t`, `\"`, `\\`, octal bytes for
/// other controls and for every non-ASCII byte). `git apply` reads both;
/// a line break in a file name never starts a line of the log. A name
/// holding `##vso[` or `##[` is quoted too, its first `#` written `\043`.
pub fn git_quoted(path: &str) -> Cow<'_, str> {
    let plain = |b: u8| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
    let azure: Vec<usize> = azure_prefixes(path).collect();
    if azure.is_empty() && path.bytes().all(plain) {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    out.push('"');
    for (i, b) in path.bytes().enumerate() {
        match b {
            // `##vso[` is an Azure Pipelines command anywhere in a line.
            b'#' if azure.contains(&i) => out.push_str("\\043"),
            b'\x07' => out.push_str("\\a"),
            b'\x08' => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\x0b' => out.push_str("\\v"),
            b'\x0c' => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b if plain(b) => out.push(b as char),
            b => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_quotes_what_git_quotes() {
        assert_eq!(git_quoted("a/force-app/X.xml"), "a/force-app/X.xml");
        assert_eq!(git_quoted("a/with space"), "a/with space");
        assert_eq!(
            git_quoted("a/X\n::error::y\u{1b}\"\\\u{7}.xml"),
            "\"a/X\\n::error::y\\033\\\"\\\\\\a.xml\""
        );
        assert_eq!(git_quoted("a/é\u{202e}"), "\"a/\\303\\251\\342\\200\\256\"");
        assert_eq!(git_quoted("a/##vso[x]1"), "\"a/\\043#vso[x]1\"");
    }

    #[test]
    fn azure_prefixes_are_defused() {
        assert_eq!(
            printable("x##vso[task.setvariable variable=X]1 ##[error]y ##VSO[z # ## #[ ##v"),
            "x\\u{23}#vso[task.setvariable variable=X]1 \\u{23}#[error]y \\u{23}#VSO[z # ## #[ ##v"
        );
        assert_eq!(defuse_azure("###vso[", "&#35;"), "#&#35;#vso[");
        assert_eq!(printable("a\n##vso["), "a\\n\\u{23}#vso[");
    }

    #[test]
    fn lines_a_runner_or_terminal_reads_are_told_apart() {
        for line in [
            " ::error::X",
            "   ::add-mask::Y",
            "+::warning::Z",
            "- \u{a0}::group::W",
            " \u{feff}::error::V",
            " x ##vso[task.setvariable variable=A]1",
            " ##[error]B",
            " a\rb",
            " \u{1b}[31mred",
            " \u{9b}31m",
            " a\u{85}b",
            " a\u{2028}b",
            " a\u{202e}b",
            " a\u{7f}",
        ] {
            assert!(interpreted_in_a_log(line), "{line:?}");
        }
        for line in [
            " <label>Mail</label>",
            "+    <label>A::B</label>",
            "-\t<protocol>Password</protocol>",
            "@@ -1,3 +1,4 @@",
            "--- a/x.xml",
            " # ## #[ ##v",
            " \u{feff}<?xml version=\"1.0\"?>",
            " é ü 日本",
            "",
        ] {
            assert!(!interpreted_in_a_log(line), "{line:?}");
        }
    }
}
