//! exchange-auth-lint: finds Salesforce ↔ Microsoft Exchange configurations
//! that still rely on basic authentication (and the related retirements) in
//! SFDX projects. `docs/architecture.md` draws the shape; the module map,
//! from the bottom layer up (a module imports only from layers below it):
//!
//! 1. Text and vocabulary: [`text`] (line index, the one changed region of
//!    an edit, printable text), [`domain`] (`Exchange`, `LsConnection`,
//!    `Cloud`), [`hosts`] (where a URL points), [`secrets`] (what a secret
//!    looks like), [`i18n`], [`timeline`] (dated events, the as-of date).
//! 2. Sources, each with its typed view: [`xml`] (span tree) and
//!    [`metadata`] (views over it, the secret fields of each type), [`apex`]
//!    (tree-sitter), [`source`] (one file as the engine holds it), [`docs`]
//!    (field reference for hover).
//! 3. The project: [`project`] (discovery, nested projects, `.forceignore`,
//!    `sfdx-project.json`), [`suppress`], [`diagnostic`], [`redact`].
//! 4. [`facts`]: what the whole project says (RULES.md).
//! 5. [`edit`]: text edits and the editors that compute them (no rules).
//! 6. [`rules`]: one file per rule (one `Rule` static: id, name, severity
//!    and its dated escalation, docs, check, fixer); the registry lists them
//!    and resolves configuration keys.
//! 7. The engine: [`check`] (the rules pass: levels, suppressions), then
//!    [`analysis`] (an immutable, checked snapshot of a project: facts,
//!    findings, secrets; built once, asked everything), then [`fix`]
//!    (offers, resolve, validation, the suppression comment, and
//!    `fix::session`, the one fix-all that `check --fix`, `check --diff`
//!    and the editor's Fix All run: operations on an `Analysis`), then
//!    [`workspace`] (the projects a front end opens: discovery, nested
//!    projects, changes applied in order, one analysis per project).
//! 8. Front ends: [`report`] writers, the CLI ([`cli`], with `cli::fix` for `--fix`/`--diff`, and [`ci`]) and
//!    the language server ([`lsp`]), which converts positions at its edge;
//!    both open a [`workspace::Workspace`].
//!
//! Data flows one way: bytes → source views → facts → rules → findings (+
//! fixes) → a front end. A rule never reads files or prints; a front end
//! never inspects XML. In the editor, a buffer's new version updates its
//! [`source::SourceFile`] in place: only the element around the change is
//! parsed again (`xml::edit`), and the other files keep their trees.

pub mod analysis;
pub mod apex;
pub mod check;
pub mod ci;
pub mod diagnostic;
pub mod docs;
pub mod domain;
pub mod edit;
pub mod facts;
pub mod fix;
pub mod hosts;
pub mod i18n;
pub mod lsp;
pub mod metadata;
pub mod project;
pub mod redact;
pub mod rules;
pub mod secrets;
pub mod source;
pub mod suppress;
pub mod text;
pub mod timeline;
pub mod workspace;
pub mod write;
pub mod xml;

pub mod cli;
pub mod report;
