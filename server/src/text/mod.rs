//! Text utilities every source kind shares: byte offsets ↔ lines and
//! columns. The engine speaks byte offsets; front ends convert at the edge.

mod change;
mod line_index;
mod printable;

pub use change::Change;

/// The file's line break: that of its first line (`\n` when it has none).
pub fn line_ending(text: &str) -> &'static str {
    line_break_at(text, 0)
}

/// The line break of the line holding `at`: the one that ends it, or on
/// the last line the one before it (`\n` when the text has none). A fix
/// that inserts lines uses the break of the lines around them, so each
/// part of a file with mixed line breaks keeps its own.
pub fn line_break_at(text: &str, at: usize) -> &'static str {
    let at = floor_char_boundary(text, at.min(text.len()));
    let kind = |i: usize| {
        if text[i..].starts_with("\r\n") {
            "\r\n"
        } else if text.as_bytes()[i] == b'\r' {
            "\r"
        } else {
            "\n"
        }
    };
    if let Some(i) = text[at..].find(['\n', '\r']) {
        return kind(at + i);
    }
    match text[..at].rfind(['\n', '\r']) {
        // A CRLF's LF: the break is the pair.
        Some(i) if i > 0 && text.as_bytes()[i] == b'\n' && text.as_bytes()[i - 1] == b'\r' => {
            "\r\n"
        }
        Some(i) => kind(i),
        None => "\n",
    }
}

pub use line_index::{floor_char_boundary, LineCol, LineIndex};
pub use printable::{
    controls_escaped, defuse_azure, git_quoted, holds_azure_command, interpreted_in_a_log,
    invisible_escaped, printable,
};

#[cfg(test)]
mod tests {
    use super::{line_break_at, line_ending};

    #[test]
    fn the_line_break_of_a_line() {
        let text = "a\nb\r\nc\rd";
        assert_eq!(line_ending(text), "\n");
        assert_eq!(line_break_at(text, 0), "\n");
        assert_eq!(line_break_at(text, 2), "\r\n");
        // On the CR of a CRLF, and on its LF.
        assert_eq!(line_break_at(text, 3), "\r\n");
        assert_eq!(line_break_at(text, 5), "\r");
        // The last line has none: the one before it.
        assert_eq!(line_break_at(text, 7), "\r");
        assert_eq!(line_break_at("x\r\ny", 3), "\r\n");
        assert_eq!(line_break_at("xy", 1), "\n");
        assert_eq!(line_break_at("", 0), "\n");
        assert_eq!(line_break_at("é\r\n", 1), "\r\n");
    }
}
