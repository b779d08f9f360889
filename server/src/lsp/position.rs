//! The one place where LSP positions and byte offsets meet.
//!
//! The engine speaks byte offsets only. A client counts columns in UTF-16
//! code units unless it offered UTF-8 at `initialize` (then we pick
//! UTF-8). Lines end at `\n`, `\r\n` or a lone `\r`, as in LSP (the rope is
//! built without Unicode line separators for that reason).

use crate::text::{floor_char_boundary, LineCol, LineIndex};
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (the protocol default).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// The byte offset of `pos`. A line past the end means the end of the
    /// text; a column past the end of its line means the end of the line
    /// (before its line ending), as the protocol asks; a column inside a
    /// character means the start of that character.
    pub fn offset(self, rope: &Rope, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= rope.len_lines() {
            return rope.len_bytes();
        }
        let start = rope.line_to_char(line);
        let end = line_content_end(rope, line);
        let col = pos.character as usize;
        let ch = match self {
            Encoding::Utf16 => {
                let base = rope.char_to_utf16_cu(start);
                let target = (base + col).min(rope.char_to_utf16_cu(end));
                rope.utf16_cu_to_char(target)
            }
            Encoding::Utf8 => {
                let base = rope.char_to_byte(start);
                let target = (base + col).min(rope.char_to_byte(end));
                rope.byte_to_char(target)
            }
        };
        rope.char_to_byte(ch.min(end))
    }

    /// The position of byte `offset` of a text the engine holds, from its
    /// line table (clamped to the text; inside a character means that
    /// character's start). A leading byte order mark is not a column:
    /// editors neither show nor send it.
    pub fn position(self, lines: &LineIndex, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset);
        let at = match self {
            Encoding::Utf16 => lines.utf16(text, offset),
            Encoding::Utf8 => lines.utf8(offset),
        };
        Position::new(at.line as u32, at.col as u32)
    }

    pub fn range(self, lines: &LineIndex, text: &str, range: std::ops::Range<usize>) -> Range {
        Range::new(
            self.position(lines, text, range.start),
            self.position(lines, text, range.end),
        )
    }

    /// [`Encoding::offset`] for a text the engine holds, from its line
    /// table.
    pub fn offset_in(self, lines: &LineIndex, text: &str, pos: Position) -> usize {
        let at = LineCol {
            line: pos.line as usize,
            col: pos.character as usize,
        };
        match self {
            Encoding::Utf16 => lines.offset_utf16(text, at),
            Encoding::Utf8 => lines.offset_utf8(text, at),
        }
    }

    pub fn byte_range_in(
        self,
        lines: &LineIndex,
        text: &str,
        range: Range,
    ) -> std::ops::Range<usize> {
        let start = self.offset_in(lines, text, range.start);
        let end = self.offset_in(lines, text, range.end);
        start.min(end)..end.max(start)
    }

    /// The byte range of `range` in an editor buffer.
    pub fn byte_range(self, rope: &Rope, range: Range) -> std::ops::Range<usize> {
        let start = self.offset(rope, range.start);
        let end = self.offset(rope, range.end);
        start.min(end)..end.max(start)
    }
}

/// The char index where `line`'s content ends (before `\n`, `\r\n`, `\r`).
fn line_content_end(rope: &Rope, line: usize) -> usize {
    if line + 1 >= rope.len_lines() {
        return rope.len_chars();
    }
    let next = rope.line_to_char(line + 1);
    let mut end = next;
    if end > 0 && rope.char(end - 1) == '\n' {
        end -= 1;
    }
    if end > 0 && rope.char(end - 1) == '\r' && end > rope.line_to_char(line) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_both_encodings() {
        let text = "a\r\n日本語𝄞x\rb\nlast";
        let rope = Rope::from_str(text);
        let lines = LineIndex::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for (offset, _) in text.char_indices() {
                if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                    continue; // inside CRLF: no position addresses it
                }
                let pos = enc.position(&lines, text, offset);
                assert_eq!(enc.offset(&rope, pos), offset, "{enc:?} {offset}");
                assert_eq!(enc.offset_in(&lines, text, pos), offset, "{enc:?} {offset}");
            }
        }
        let x = text.find('x').unwrap();
        assert_eq!(
            Encoding::Utf16.position(&lines, text, x),
            Position::new(1, 5)
        );
        assert_eq!(
            Encoding::Utf8.position(&lines, text, x),
            Position::new(1, 13)
        );
        // Past the end of a line: its end, before the CRLF.
        let clef = text.find('𝄞').unwrap();
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let far = Position::new(0, 99);
            assert_eq!(enc.offset(&rope, far), 1);
            assert_eq!(enc.offset_in(&lines, text, far), 1);
            // Past the last line: the end of the text.
            let below = Position::new(9, 0);
            assert_eq!(enc.offset(&rope, below), text.len());
            assert_eq!(enc.offset_in(&lines, text, below), text.len());
        }
        // Inside a surrogate pair (or a UTF-8 sequence): the character's start.
        let inside = Position::new(1, 4);
        assert_eq!(Encoding::Utf16.offset(&rope, inside), clef);
        assert_eq!(Encoding::Utf16.offset_in(&lines, text, inside), clef);
        let inside = Position::new(1, 10);
        assert_eq!(Encoding::Utf8.offset(&rope, inside), clef);
        assert_eq!(Encoding::Utf8.offset_in(&lines, text, inside), clef);
        assert_eq!(
            Encoding::Utf16.position(&lines, text, text.len()),
            Position::new(3, 4)
        );
        // Inside a character: its start.
        assert_eq!(
            Encoding::Utf16.position(&lines, text, clef + 1),
            Encoding::Utf16.position(&lines, text, clef)
        );
    }
}
