//! exchange-auth-lint: finds Salesforce ↔ Microsoft Exchange configurations
//! that still rely on basic authentication (and the related retirements) in
//! SFDX projects.
//!
//! Data flows one way: bytes → [`xml`] span tree → [`metadata`] views →
//! [`facts`] → [`rules`] → [`diagnostic::Finding`]s → a front end
//! ([`report`] for the CLI, [`lsp`] for editors).
//!
//! In the editor, a buffer's new version updates its [`source::SourceFile`]
//! in place: only the element around the change is parsed again
//! (`xml::edit`), and the other files keep their trees.

pub mod apex;
pub mod check;
pub mod ci;
pub mod diagnostic;
pub mod docs;
pub mod domain;
pub mod edit;
pub mod facts;
pub mod fix;
pub mod i18n;
pub mod lsp;
pub mod metadata;
pub mod project;
pub mod redact;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod text;
pub mod timeline;
pub mod xml;

pub mod cli;
pub mod cli_fix;
pub mod report;
