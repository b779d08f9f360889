//! Reference text shown on hover: what a metadata element means and what
//! this tool checks about it, and where a URL points. English and Japanese.

pub mod fields;

pub use fields::{field_doc, is_url_field, url_doc};
