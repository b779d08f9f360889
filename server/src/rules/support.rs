//! What the rules' fix builders share: finding elements, naming new files,
//! the tenant to put in token URLs.

use super::rule::Context;
use crate::diagnostic::Finding;
use crate::edit::{Draft, Edit, FileChange, Offer, WorkspaceEdit};
use crate::metadata::{Format, MetadataKind};
use crate::source::{FileId, SourceFile};
use crate::xml::{ElementId, XmlTree};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Shown where the tenant could not be found: a value no tenant has, that
/// an admin sees at a glance.
pub const TENANT_PLACEHOLDER: &str = "TENANT-ID-OR-DOMAIN";
/// Shown where an Entra ID application (client) id belongs.
pub const CLIENT_ID_PLACEHOLDER: &str = "ENTRA-APPLICATION-CLIENT-ID";

/// The offer of a rule with exactly one fix, preferred, when the finding's
/// file parsed (files with XML001 are never rewritten).
pub fn single_offer(ctx: &Context, finding: &Finding, id: &str, title: String) -> Vec<Offer> {
    if parsed(ctx, finding.file).is_err() {
        return Vec::new();
    }
    vec![Offer {
        id: id.to_owned(),
        title,
        preferred: true,
    }]
}

/// The parsed file of a finding, or why there is none.
pub fn parsed<'a>(ctx: &'a Context, file: FileId) -> Result<(&'a SourceFile, &'a XmlTree), String> {
    let f = ctx.file(file);
    if f.apex.is_some() {
        return Err(ctx
            .lang
            .pick(
                "Apex is not rewritten automatically: moving from EWS to Microsoft Graph changes the code",
                "Apex は自動では書き換えません。EWS から Microsoft Graph への移行はコードの変更です",
            )
            .to_owned());
    }
    match f.tree() {
        Some(t) => Ok((f, t)),
        None => Err(ctx
            .lang
            .pick(
                "the file is not well-formed XML (XML001)",
                "ファイルが整形式の XML ではありません（XML001）",
            )
            .to_owned()),
    }
}

/// The element whose range is exactly `range`.
pub fn element_at(tree: &XmlTree, range: &Range<usize>) -> Option<ElementId> {
    tree.elements()
        .find(|(_, el)| el.range() == *range)
        .map(|(id, _)| id)
}

pub fn edit_of(file: &SourceFile, edits: Vec<Edit>) -> FileChange {
    FileChange::Edit {
        path: file.path.clone(),
        edits,
    }
}

pub fn draft(note: Option<String>, changes: Vec<FileChange>) -> Draft {
    Draft {
        note,
        edit: WorkspaceEdit { changes },
    }
}

/// The tenant for token URLs: declared `tenant`, else the domain of a
/// service account's user name, else the placeholder. The flag is true
/// for the placeholder.
pub fn tenant(ctx: &Context, username: Option<&str>) -> (String, bool) {
    if let Some(t) = &ctx.project.manifest.config.tenant {
        return (t.clone(), false);
    }
    let domain = username
        .and_then(|u| u.trim().rsplit_once('@'))
        .map(|(_, d)| d.trim().trim_end_matches('.').to_ascii_lowercase())
        .filter(|d| tenant_domain(d));
    match domain {
        Some(d) => (d, false),
        None => (TENANT_PLACEHOLDER.to_owned(), true),
    }
}

/// Whether `domain` (a user name's, lower case) can name a Microsoft Entra
/// tenant: a public DNS name (labels of letters, digits and inner hyphens,
/// a top-level domain that is not all digits), not one reserved for private
/// networks or tests (`contoso.local`, `corp.internal`, `x.test`; the
/// fixtures' `contoso.example` stands for a real domain), and not
/// a consumer mail service's (`gmail.com`, `outlook.com`), which is no
/// organisation's tenant. Anything else gets the placeholder (FIX001).
fn tenant_domain(domain: &str) -> bool {
    const PRIVATE: &[&str] = &[
        "local",
        "localhost",
        "localdomain",
        "internal",
        "intranet",
        "intra",
        "lan",
        "home",
        "corp",
        "private",
        "test",
        "invalid",
        "domain",
    ];
    const CONSUMER: &[&str] = &[
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
    ];
    let labels: Vec<&str> = domain.split('.').collect();
    let well_formed = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    let top = labels.last().copied().unwrap_or_default();
    well_formed
        && !top.bytes().all(|b| b.is_ascii_digit())
        && !PRIVATE.contains(&top)
        && !CONSUMER.contains(&domain)
}

/// An API name that no file of `kind` in the project (or on disk at the
/// new path) has: `base`, `base_2`, `base_3`…
pub fn unique_name(
    ctx: &Context,
    base: &str,
    kind: MetadataKind,
    dir: &Path,
    format: Format,
) -> String {
    let base = api_name(base);
    let taken = |name: &str| {
        ctx.project
            .files
            .iter()
            .any(|f| f.kind == kind && f.api_name().eq_ignore_ascii_case(name))
            || dir.join(kind.file_name(name, format)).exists()
            || dir.join(kind.file_name(name, other(format))).exists()
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|i| format!("{base}_{i}"))
        .find(|n| !taken(n))
        .expect("an unused name exists")
}

/// A file of `kind` named `base`, `base_2`… in `dir` that holds exactly
/// `text` and that `in_use` says nothing uses: what a fix created before
/// its run was killed (new files are written before the files that refer
/// to them). Reused instead of creating a duplicate beside it. Only the
/// names up to the first free one are looked at, the ones
/// [`unique_name`] would have passed over.
pub fn orphan_to_reuse(
    ctx: &Context,
    base: &str,
    kind: MetadataKind,
    dir: &Path,
    text: &str,
    in_use: impl Fn(&str) -> bool,
) -> Option<String> {
    let base = api_name(base);
    for name in std::iter::once(base.clone()).chain((2..).map(|i| format!("{base}_{i}"))) {
        let same_name: Vec<_> = ctx
            .project
            .files
            .iter()
            .filter(|f| f.kind == kind && f.api_name().eq_ignore_ascii_case(&name))
            .collect();
        if same_name.is_empty() {
            return None;
        }
        let ours = same_name
            .iter()
            .any(|f| f.path.parent() == Some(dir) && f.text.as_str() == text);
        if ours && same_name.len() == 1 && !in_use(&name) {
            return Some(name);
        }
    }
    None
}

fn other(format: Format) -> Format {
    match format {
        Format::Source => Format::MetadataApi,
        Format::MetadataApi => Format::Source,
    }
}

/// A valid API name: letters, digits and single underscores, starting with
/// a letter, at most 70 characters (room for a suffix).
pub fn api_name(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let mut out: String = out.trim_end_matches('_').chars().take(70).collect();
    while out.ends_with('_') {
        out.pop();
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'X');
    }
    out
}

/// Where a new file of `kind` goes for a file at `near`: the folder of an
/// existing file of that kind in the same package directory, else the
/// type's folder beside `near`'s folder.
pub fn folder_for(ctx: &Context, kind: MetadataKind, near: &Path) -> PathBuf {
    let package = ctx.project.package_dir_of(near);
    if let Some(existing) = ctx
        .project
        .files
        .iter()
        .filter(|f| f.kind == kind)
        .find(|f| ctx.project.package_dir_of(&f.path) == package)
    {
        if let Some(dir) = existing.path.parent() {
            return dir.to_path_buf();
        }
    }
    let dir = near.parent().unwrap_or(Path::new("."));
    dir.parent().unwrap_or(dir).join(kind.folder())
}

#[cfg(test)]
mod tests {
    use super::tenant_domain;

    #[test]
    fn only_public_organisation_domains_name_a_tenant() {
        for d in [
            "contoso.com",
            "contoso.onmicrosoft.com",
            "mail.contoso.co.jp",
            "xn--bcher-kva.example.de",
            "a-b.io",
        ] {
            assert!(tenant_domain(d), "{d}");
        }
        for d in [
            "contoso.local",
            "corp.internal",
            "contoso.lan",
            "x.test",
            "192.168.1.10",
            "gmail.com",
            "outlook.com",
            "contoso..com",
            "-contoso.com",
            "contoso-.com",
            "contoso",
            "con_toso.com",
        ] {
            assert!(!tenant_domain(d), "{d}");
        }
    }
}
