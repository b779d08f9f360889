//! Fingerprints of findings that survive line shifts and unrelated edits,
//! shared by SARIF (`partialFingerprints`), GitLab Code Quality
//! (`fingerprint`) and baselines; and GitHub's `primaryLocationLineHash`.
//! None contains or derives from a secret value: every hash is taken over
//! the file's text with its secrets masked.

use crate::diagnostic::Finding;
use crate::project::Project;
use crate::redact::Redacted;
use std::collections::HashMap;
use std::ops::Range;

/// One known finding, as a baseline records it (`ci::baseline`) and a
/// report lists the fixed ones.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// Relative to the path base, `/`-separated.
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
}

/// A stable 128-bit FNV-1a hash, hex-encoded (two 64-bit lanes with
/// different offsets). Not cryptographic: it only has to be stable across
/// runs, versions and machines.
pub fn stable_hash(parts: &[&str]) -> String {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x6c62_272e_07bb_0142;
    for part in parts {
        for &byte in part.as_bytes().iter().chain(std::iter::once(&0u8)) {
            a = (a ^ byte as u64).wrapping_mul(PRIME);
            b = (b ^ byte as u64).wrapping_mul(PRIME).rotate_left(5);
        }
    }
    format!("{a:016x}{b:016x}")
}

/// The finding's element as text, with secrets masked and whitespace
/// collapsed, so that re-indenting or moving it keeps its fingerprint.
fn normalized_snippet(red: &Redacted, range: &Range<usize>) -> String {
    let start = red.map(range.start).min(red.text.len());
    let end = red.map(range.end).clamp(start, red.text.len());
    let start = crate::text::floor_char_boundary(&red.text, start);
    let end = crate::text::floor_char_boundary(&red.text, end);
    red.text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What identifies one finding across runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prints {
    /// `HASH:N`: the stable hash of the rule id, the file's path relative
    /// to its project root and the finding's normalized source text; `N`
    /// counts identical hashes in the project (1 for the first).
    pub stable: String,
    /// GitHub's `primaryLocationLineHash` of the finding's first line
    /// ([`line_hashes`]), over the masked text.
    pub line_hash: String,
}

/// The prints of each of `findings` (all of one project), in order.
pub fn of_project<'f>(
    project: &Project,
    findings: impl IntoIterator<Item = &'f Finding>,
) -> Vec<Prints> {
    let mut redacted: HashMap<usize, (Redacted, Vec<String>)> = HashMap::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    findings
        .into_iter()
        .map(|f| {
            let file = &project.files[f.file];
            let (red, lines) = redacted.entry(f.file).or_insert_with(|| {
                let red = Redacted::new(file);
                let lines = line_hashes(&red.text);
                (red, lines)
            });
            let hash = stable_hash(&[f.rule, &file.rel_path, &normalized_snippet(red, &f.range)]);
            let n = seen.entry(hash.clone()).or_insert(0);
            *n += 1;
            let line = file.lines.chars(&file.text, f.range.start).line;
            Prints {
                stable: format!("{hash}:{n}"),
                line_hash: lines.get(line).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

/// GitHub's `primaryLocationLineHash` of every line of `text` (index 0 for
/// line 1), computed as GitHub's code-scanning upload computes it when a
/// result has none: a rolling hash (base 37, 64-bit wrapping) of the 100
/// UTF-16 code units that follow the start of the line, spaces and tabs
/// left out, `\r\n` and `\r` read as `\n`, the end of the file as 65535
/// followed by zeros; `HASH:N` with the hash in lower-case hex and `N`
/// counting identical hashes in the file.
pub fn line_hashes(text: &str) -> Vec<String> {
    const BLOCK: usize = 100;
    const MOD: u64 = 37;
    const EOF: u64 = 65535;
    struct State {
        window: [u64; BLOCK],
        line_at: [Option<usize>; BLOCK],
        hash: u64,
        first_mod: u64,
        index: usize,
        line: usize,
        line_start: bool,
        prev_cr: bool,
        counts: HashMap<u64, usize>,
        out: Vec<String>,
    }
    impl State {
        fn output(&mut self) {
            let n = self.counts.entry(self.hash).or_insert(0);
            *n += 1;
            self.out.push(format!("{:x}:{n}", self.hash));
            self.line_at[self.index] = None;
        }
        fn update(&mut self, current: u64) {
            let begin = self.window[self.index];
            self.window[self.index] = current;
            self.hash = MOD
                .wrapping_mul(self.hash)
                .wrapping_add(current)
                .wrapping_sub(self.first_mod.wrapping_mul(begin));
            self.index = (self.index + 1) % BLOCK;
        }
        fn process(&mut self, mut current: u64) {
            let (space, tab, lf, cr) = (b' ' as u64, b'\t' as u64, b'\n' as u64, b'\r' as u64);
            if current == space || current == tab || (self.prev_cr && current == lf) {
                self.prev_cr = false;
                return;
            }
            if current == cr {
                current = lf;
                self.prev_cr = true;
            } else {
                self.prev_cr = false;
            }
            if self.line_at[self.index].is_some() {
                self.output();
            }
            if self.line_start {
                self.line_start = false;
                self.line += 1;
                self.line_at[self.index] = Some(self.line);
            }
            if current == lf {
                self.line_start = true;
            }
            self.update(current);
        }
    }
    let mut s = State {
        window: [0; BLOCK],
        line_at: [None; BLOCK],
        hash: 0,
        first_mod: MOD.wrapping_pow(BLOCK as u32),
        index: 0,
        line: 0,
        line_start: true,
        prev_cr: false,
        counts: HashMap::new(),
        out: Vec::new(),
    };
    for unit in text.encode_utf16() {
        s.process(unit as u64);
    }
    s.process(EOF);
    for _ in 0..BLOCK {
        if s.line_at[s.index].is_some() {
            s.output();
        }
        s.update(0);
    }
    s.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable_and_separates_parts() {
        assert_eq!(stable_hash(&["a", "b"]), stable_hash(&["a", "b"]));
        assert_ne!(stable_hash(&["ab", ""]), stable_hash(&["a", "b"]));
        assert_eq!(stable_hash(&["a", "b"]).len(), 32);
        // Pinned: the value must not change between versions, or every
        // code-scanning alert and baseline entry would be new again.
        assert_eq!(
            stable_hash(&[
                "EXO001",
                "force-app/a b.xml",
                "<protocol>Password</protocol>"
            ]),
            "d7a0b773671c75643a91a4c2f02fa5e3"
        );
    }

    #[test]
    fn line_hashes_follow_the_upload_actions_algorithm() {
        // One hash per line, blank lines included; the same line text
        // followed by the same 100 characters hashes the same.
        let h = line_hashes("a\nb\n");
        assert_eq!(h.len(), 3, "{h:?}");
        // Hand-computed: "a\nb\n" then EOF, zeros. For line 3 (empty, at
        // EOF) the window is [65535, 0 × 99].
        let pow = |n: u32| 37u64.wrapping_pow(n);
        let line3 = 65535u64.wrapping_mul(pow(99));
        assert_eq!(h[2], format!("{line3:x}:1"));
        let line2 = (b'b' as u64)
            .wrapping_mul(pow(99))
            .wrapping_add(10u64.wrapping_mul(pow(98)))
            .wrapping_add(65535u64.wrapping_mul(pow(97)));
        assert_eq!(h[1], format!("{line2:x}:1"));
        // Spaces and tabs do not count; \r\n and \r are \n.
        assert_eq!(line_hashes("  a\t\r\nb\r"), line_hashes("a\nb\n"));
        // Identical lines at the end get :1 and :2.
        let h = line_hashes("x\nx\n");
        assert_ne!(h[0], h[1]);
        assert_eq!(
            line_hashes("")[0],
            format!("{:x}:1", 65535u64.wrapping_mul(pow(99)))
        );
    }
}
