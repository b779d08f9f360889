//! Byte offset ↔ line/column conversion. Lines end at `\n`, `\r\n` or a
//! lone `\r` (as in LSP). Columns are counted in whatever unit a consumer
//! needs, from the same line table. A leading byte order mark is not part
//! of the first line's columns: editors neither show nor count it.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the first byte of each line.
    pub(super) line_starts: Vec<usize>,
    pub(super) len: usize,
    /// Length of a leading UTF-8 byte order mark (0 or 3).
    pub(super) bom: usize,
}

/// Zero-based line and column; the column unit depends on the method that
/// produced it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(i + 1);
            }
        }
        LineIndex {
            line_starts,
            len: text.len(),
            bom: if text.starts_with('\u{feff}') { 3 } else { 0 },
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Zero-based line of `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// Where columns of `line` start counting: its first byte, or after the
    /// byte order mark on the first line.
    fn column_start(&self, line: usize) -> usize {
        if line == 0 {
            self.bom.min(self.len)
        } else {
            self.line_starts[line]
        }
    }

    /// Byte range of a line, without its line ending (nor byte order mark).
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.column_start(line.min(self.line_starts.len() - 1));
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Line and column in bytes (UTF-8 code units).
    pub fn utf8(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        LineCol {
            line,
            col: offset.saturating_sub(self.column_start(line)),
        }
    }

    /// Line and column in UTF-16 code units (LSP's default, SARIF's
    /// `utf16CodeUnits`).
    pub fn utf16(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.column_start(line).min(offset);
        LineCol {
            line,
            col: text[start..offset].encode_utf16().count(),
        }
    }

    /// Line and column in Unicode scalar values (what a person counts).
    pub fn chars(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.column_start(line).min(offset);
        LineCol {
            line,
            col: text[start..offset].chars().count(),
        }
    }

    /// Byte offset of a UTF-16 position, clamped to the line's end (a
    /// column inside a surrogate pair means the character's start).
    pub fn offset_utf16(&self, text: &str, pos: LineCol) -> usize {
        if pos.line >= self.line_starts.len() {
            return self.len;
        }
        let range = self.line_range(text, pos.line);
        let mut units = 0;
        for (i, ch) in text[range.clone()].char_indices() {
            units += ch.len_utf16();
            // A column inside a surrogate pair means the character's start.
            if units > pos.col {
                return range.start + i;
            }
        }
        range.end
    }

    /// Byte offset of a UTF-8 position, clamped to the line's end and to a
    /// character boundary.
    pub fn offset_utf8(&self, text: &str, pos: LineCol) -> usize {
        if pos.line >= self.line_starts.len() {
            return self.len;
        }
        let range = self.line_range(text, pos.line);
        floor_char_boundary(text, (range.start + pos.col).min(range.end))
    }
}

pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_lone_cr_and_wide_chars() {
        let text = "a\r\nb\rc\n日本𝄞x";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let x = text.find('x').unwrap();
        assert_eq!(idx.utf8(x), LineCol { line: 3, col: 10 });
        assert_eq!(idx.utf16(text, x), LineCol { line: 3, col: 4 });
        assert_eq!(idx.chars(text, x), LineCol { line: 3, col: 3 });
        assert_eq!(idx.offset_utf16(text, LineCol { line: 3, col: 4 }), x);
        assert_eq!(idx.offset_utf8(text, LineCol { line: 3, col: 10 }), x);
        assert_eq!(&text[idx.line_range(text, 0)], "a");
        assert_eq!(&text[idx.line_range(text, 1)], "b");
        assert_eq!(idx.utf8(text.find('c').unwrap()).line, 2);
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        let text = "\u{feff}<a>\n<b/>";
        let idx = LineIndex::new(text);
        let a = text.find('<').unwrap();
        assert_eq!(a, 3);
        assert_eq!(idx.chars(text, a), LineCol { line: 0, col: 0 });
        assert_eq!(idx.utf16(text, a), LineCol { line: 0, col: 0 });
        assert_eq!(idx.utf8(a), LineCol { line: 0, col: 0 });
        assert_eq!(idx.chars(text, a + 1), LineCol { line: 0, col: 1 });
        // Offsets inside the mark clamp to the line's first column.
        assert_eq!(idx.chars(text, 1), LineCol { line: 0, col: 0 });
        assert_eq!(idx.utf8(0), LineCol { line: 0, col: 0 });
        assert_eq!(idx.offset_utf16(text, LineCol { line: 0, col: 0 }), a);
        assert_eq!(idx.offset_utf8(text, LineCol { line: 0, col: 1 }), a + 1);
        assert_eq!(&text[idx.line_range(text, 0)], "<a>");
        assert_eq!(idx.chars(text, text.len()), LineCol { line: 1, col: 4 });
        // A lone mark.
        let idx = LineIndex::new("\u{feff}");
        assert_eq!(idx.chars("\u{feff}", 3), LineCol { line: 0, col: 0 });
    }
}
