//! The one region where two versions of a buffer differ, and bringing a
//! line table up to date after it without counting lines again (the span
//! tree's side is in `xml::edit`).

use super::LineIndex;
use std::ops::Range;

/// The one region where two versions of a text differ: `old` in the old
/// text became `new` in the new one; both start at the same offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub old: Range<usize>,
    pub new: Range<usize>,
}

impl Change {
    /// The smallest single change that turns `old` into `new` (common
    /// prefix and suffix removed, both on character boundaries); `None`
    /// when they are equal.
    pub fn between(old: &str, new: &str) -> Option<Change> {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let mut prefix = common_prefix(a, b);
        while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
            prefix -= 1;
        }
        if prefix == a.len() && prefix == b.len() {
            return None;
        }
        let limit = a.len().min(b.len()) - prefix;
        let mut suffix = common_suffix(&a[a.len() - limit..], &b[b.len() - limit..]);
        while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
            suffix -= 1;
        }
        Some(Change {
            old: prefix..a.len() - suffix,
            new: prefix..b.len() - suffix,
        })
    }

    /// The changes that turn `old` into `new`, one per run of changed
    /// lines (a line diff, each run then trimmed to its changed bytes), in
    /// order and not overlapping. Unlike [`Change::between`], text that
    /// stays the same between two changed places is in none of them, so an
    /// edit built from these never carries a copy of it (a secret two
    /// elements away from what a fix changed, say). A diff that takes too
    /// long falls back to coarser runs; the changes still turn `old` into
    /// `new`.
    pub fn each_between(old: &str, new: &str) -> Vec<Change> {
        let Some(whole) = Change::between(old, new) else {
            return Vec::new();
        };
        // Only the differing middle is diffed: a one-byte change in a
        // 1 MB file diffs a line or two.
        let (old_mid, new_mid) = (&old[whole.old.clone()], &new[whole.new.clone()]);
        // The LCS diff where its table stays small (every metadata file
        // a fix touches); Myers beyond. similar 2.7's Myers can return runs
        // out of order (seen on texts with lone CRs), so the runs are
        // checked below and, when they do not follow each other, the one
        // whole change is all there is.
        let lines = |t: &str| t.split_inclusive('\n').count() + 1;
        let algorithm = if lines(old_mid).saturating_mul(lines(new_mid)) <= 4_000_000 {
            similar::Algorithm::Lcs
        } else {
            similar::Algorithm::Myers
        };
        Change::each_between_by(old, new, whole, algorithm)
    }

    fn each_between_by(
        old: &str,
        new: &str,
        whole: Change,
        algorithm: similar::Algorithm,
    ) -> Vec<Change> {
        let (old_mid, new_mid) = (&old[whole.old.clone()], &new[whole.new.clone()]);
        let diff = similar::TextDiff::configure()
            .algorithm(algorithm)
            .timeout(std::time::Duration::from_millis(250))
            .diff_lines(old_mid, new_mid);
        let starts = |lines: &[&str]| {
            let mut at = Vec::with_capacity(lines.len() + 1);
            let mut n = 0;
            at.push(0);
            for l in lines {
                n += l.len();
                at.push(n);
            }
            at
        };
        let (old_at, new_at) = (starts(diff.old_slices()), starts(diff.new_slices()));
        let mut out: Vec<Change> = Vec::new();
        let (mut old_next, mut new_next) = (0, 0);
        for op in diff.ops() {
            let (o, n) = (op.old_range(), op.new_range());
            if o.start != old_next || n.start != new_next {
                return vec![whole];
            }
            (old_next, new_next) = (o.end, n.end);
            if matches!(op, similar::DiffOp::Equal { .. }) {
                continue;
            }
            let old_run = old_at[o.start]..old_at[o.end];
            let new_run = new_at[n.start]..new_at[n.end];
            // Runs next to each other (a delete then an insert) become one.
            if let Some(last) = out.last_mut() {
                if last.old.end == old_run.start && last.new.end == new_run.start {
                    last.old.end = old_run.end;
                    last.new.end = new_run.end;
                    continue;
                }
            }
            out.push(Change {
                old: old_run,
                new: new_run,
            });
        }
        if old_next != diff.old_slices().len() || new_next != diff.new_slices().len() {
            return vec![whole];
        }
        out.into_iter()
            .filter_map(|run| {
                let inner = Change::between(&old_mid[run.old.clone()], &new_mid[run.new.clone()])?;
                Some(Change {
                    old: whole.old.start + run.old.start + inner.old.start
                        ..whole.old.start + run.old.start + inner.old.end,
                    new: whole.new.start + run.new.start + inner.new.start
                        ..whole.new.start + run.new.start + inner.new.end,
                })
            })
            .collect()
    }

    /// How much every offset after the change moves.
    pub(crate) fn shift(&self, offset: usize) -> usize {
        offset - self.old.end + self.new.end
    }
}

/// Compares in blocks (`memcmp`) before looking at single bytes: the
/// common prefix of two versions of a 1 MB document is usually almost all
/// of it.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Length of the common suffix of two slices of the same length.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len();
    let mut i = 0;
    while i + BLOCK <= n && a[n - i - BLOCK..n - i] == b[n - i - BLOCK..n - i] {
        i += BLOCK;
    }
    while i < n && a[n - i - 1] == b[n - i - 1] {
        i += 1;
    }
    i
}

impl LineIndex {
    /// Applies `change` (from `old_text` to `new_text`) in place when it
    /// adds and removes no line break; returns `false`, leaving the table
    /// untouched, when it must be built again instead.
    pub fn apply_text_change(&mut self, old_text: &str, new_text: &str, change: &Change) -> bool {
        let removed = &old_text.as_bytes()[change.old.clone()];
        let inserted = &new_text.as_bytes()[change.new.clone()];
        let is_break = |b: &u8| matches!(b, b'\n' | b'\r');
        // A `\r` just before the change could pair with a `\n` just after
        // it once the bytes between are gone (or stop pairing when bytes
        // come between): count lines again.
        let after_cr = change.old.start > 0 && old_text.as_bytes()[change.old.start - 1] == b'\r';
        // A change in the first three bytes can make or unmake a byte
        // order mark, which the first line's columns skip.
        let near_bom = change.old.start < 3;
        if after_cr || near_bom || removed.iter().chain(inserted).any(is_break) {
            return false;
        }
        // Line starts are the bytes after a break, so a start at the
        // change's offset belongs to the text before it.
        for start in &mut self.line_starts {
            if *start > change.old.start {
                *start = change.shift(*start);
            }
        }
        self.len = new_text.len();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_between_two_texts() {
        assert_eq!(Change::between("abc", "abc"), None);
        let c = Change::between("<a>x</a>", "<a>xyz</a>").unwrap();
        assert_eq!((c.old, c.new), (4..4, 4..6));
        let c = Change::between("aaaa", "aa").unwrap();
        assert_eq!((c.old, c.new), (2..4, 2..2));
        // Character boundaries: é (c3 a9) → è (c3 a8) is one whole char.
        let c = Change::between("<a>é</a>", "<a>è</a>").unwrap();
        assert_eq!((c.old, c.new), (3..5, 3..5));
        let long = "x".repeat(1000);
        let c = Change::between(&format!("{long}a{long}"), &format!("{long}{long}")).unwrap();
        assert_eq!((c.old, c.new), (1000..1001, 1000..1000));
    }

    /// Applies `changes` (offsets in `old` and `new`) to `old`.
    fn apply(old: &str, new: &str, changes: &[Change]) -> String {
        let mut out = String::new();
        let mut at = 0;
        for c in changes {
            assert!(c.old.start >= at, "{changes:?}");
            out.push_str(&old[at..c.old.start]);
            out.push_str(&new[c.new.clone()]);
            at = c.old.end;
        }
        out.push_str(&old[at..]);
        out
    }

    #[test]
    fn each_change_between_two_texts_leaves_the_lines_between_out() {
        assert_eq!(Change::each_between("a\nb\n", "a\nb\n"), vec![]);
        let old = "<a>\n  <x>1</x>\n  <password>Pw!</password>\n  <y>2</y>\n</a>\n";
        let new = "<a>\n  <x>one</x>\n  <password>Pw!</password>\n  <y>two</y>\n</a>\n";
        let changes = Change::each_between(old, new);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert_eq!(&old[changes[0].old.clone()], "1");
        assert_eq!(&new[changes[0].new.clone()], "one");
        assert_eq!(&old[changes[1].old.clone()], "2");
        assert_eq!(&new[changes[1].new.clone()], "two");
        assert!(changes.iter().all(|c| !new[c.new.clone()].contains("Pw!")));
        assert_eq!(apply(old, new, &changes), new);
        // A removed line and an inserted one, CRLF, no final break.
        let old = "a\r\nb\r\nc";
        let new = "a\r\nc\r\nd";
        assert_eq!(apply(old, new, &Change::each_between(old, new)), new);
        // Multi-byte characters at the edges of a run.
        let old = "é\nxé\nz";
        let new = "é\nyè\nz";
        assert_eq!(apply(old, new, &Change::each_between(old, new)), new);
    }

    #[test]
    fn runs_out_of_order_fall_back_to_the_one_whole_change() {
        let (old, new) = ("\r\r\r\n\né\ré\n\n\r", "\r\r\r\ré\r\n\r\ra");
        let whole = Change::between(old, new).unwrap();
        let myers = Change::each_between_by(old, new, whole.clone(), similar::Algorithm::Myers);
        assert_eq!(apply(old, new, &myers), new);
        let lcs = Change::each_between_by(old, new, whole, similar::Algorithm::Lcs);
        assert_eq!(apply(old, new, &lcs), new);
    }

    proptest::proptest! {
        #[test]
        fn each_change_between_rebuilds_the_new_text(
            old in "[ab\\n\\ré]{0,40}",
            new in "[ab\\n\\ré]{0,40}",
        ) {
            let changes = Change::each_between(&old, &new);
            proptest::prop_assert_eq!(apply(&old, &new, &changes), new.clone());
            for w in changes.windows(2) {
                proptest::prop_assert!(w[0].old.end <= w[1].old.start);
                proptest::prop_assert!(w[0].new.end <= w[1].new.start);
            }
        }
    }
}
