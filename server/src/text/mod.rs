//! Text utilities every source kind shares: byte offsets ↔ lines and
//! columns. The engine speaks byte offsets; front ends convert at the edge.

mod change;
mod line_index;
mod printable;

pub use change::Change;

pub use line_index::{floor_char_boundary, LineCol, LineIndex};
pub use printable::{
    controls_escaped, defuse_azure, git_quoted, holds_azure_command, interpreted_in_a_log,
    invisible_escaped, printable,
};
