//! Fixes: titled sets of text edits across one or more files, computed by
//! the rule that found the problem, from the span tree (the edit types are
//! in `edit/`). Rules never write
//! files; front ends (the CLI's `check --fix`/`--diff`, the language
//! server's code actions) apply them.
//!
//! The API is split so an editor can stay cheap:
//! - [`offers_for`] lists the fixes of a finding (id, title, preferred)
//!   without computing edits (code-action titles);
//! - [`resolve`] computes and validates one offer's edits (code-action
//!   resolve);
//! - [`fixes_for`] does both for every offer.
//!
//! The same operations on an [`Analysis`] (which holds the context):
//! [`Analysis::offers`], [`Analysis::resolve`], [`Analysis::fixes`],
//! [`Analysis::preferred`], [`Analysis::suppression`], and fix-all,
//! [`Analysis::fix_all`] (`session`).
//!
//! Every fix is validated before anyone sees it: files with XML001 are
//! never rewritten, new files never overwrite existing ones, and a result
//! that is not well-formed is refused.

pub mod session;
pub mod suppression;

pub use crate::edit::{
    apply, check_edits, escape, json_edit, xml_edit, Draft, Edit, FileChange, Fix, Offer, Refusal,
    WorkspaceEdit,
};
pub use crate::rules::Fixer;

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::Context;
use crate::source::SourceFile;
use crate::tr;
use crate::xml::XmlTree;
use std::path::Path;

impl Analysis {
    /// The fixes offered for `finding`, without their edits (cheap).
    pub fn offers(&self, finding: &Finding) -> Vec<Offer> {
        offers_for(&self.context(), finding)
    }

    /// Builds and validates one offer.
    pub fn resolve(&self, finding: &Finding, offer: &Offer) -> Result<Fix, Refusal> {
        resolve(&self.context(), finding, offer)
    }

    /// Every fix for `finding`, and the ones refused with the reason.
    pub fn fixes(&self, finding: &Finding) -> (Vec<Fix>, Vec<Refusal>) {
        compute(&self.context(), finding)
    }

    /// The fix `check --fix` would apply for `finding`.
    pub fn preferred(&self, finding: &Finding) -> Option<Result<Fix, Refusal>> {
        preferred_for(&self.context(), finding)
    }

    /// The comment that suppresses `finding` (not offered for SUP001, nor
    /// in a file without a span tree).
    pub fn suppression(&self, finding: &Finding) -> Option<Fix> {
        suppression::disable_for_element(
            &self.project().files[finding.file],
            finding,
            self.options().lang,
        )
    }

    /// The file-wide comment that suppresses `finding`'s rule in its file
    /// (not offered for SUP001).
    pub fn file_suppression(&self, finding: &Finding) -> Option<Fix> {
        suppression::disable_for_file(
            &self.project().files[finding.file],
            finding,
            self.options().lang,
        )
    }
}

/// The fixer of a rule, if it has one.
pub fn fixer(rule: &str) -> Option<&'static Fixer> {
    crate::rules::by_id(rule)?.fixer
}

/// The fixes offered for `finding`, without their edits.
pub fn offers_for(ctx: &Context, finding: &Finding) -> Vec<Offer> {
    fixer(finding.rule).map_or_else(Vec::new, |f| (f.offers)(ctx, finding))
}

/// Builds and validates one offer.
pub fn resolve(ctx: &Context, finding: &Finding, offer: &Offer) -> Result<Fix, Refusal> {
    let refuse = |reason: String| Refusal {
        rule: finding.rule,
        title: offer.title.clone(),
        reason,
    };
    let fixer = fixer(finding.rule).ok_or_else(|| refuse("the rule has no fixes".into()))?;
    let mut draft = (fixer.build)(ctx, finding, offer).map_err(refuse)?;
    drop_orphaned_secret_entities(ctx, &mut draft.edit);
    let (masked, removes) = secure_removed_secrets(ctx, &mut draft.edit).map_err(|other| {
        refuse(tr!(
            ctx.lang,
            "the secret value this fix removes is also written in {other}; once it is gone from here nothing would mark that copy as secret, and the next check would print it. Remove it from {other} first.",
            "この修正で削除するシークレットの値は {other} にも書かれています。ここから消えるとその写しをシークレットと判断できなくなり、次の検査で表示されてしまいます。先に {other} から削除してください。"
        ))
    })?;
    if masked > 0 {
        let said = tr!(
            ctx.lang,
            "The secret value was also written elsewhere in the file ({masked} place(s): a label, a URL, a comment); each copy is now ******** — give those places their real text.",
            "シークレットの値はファイルの別の場所（{masked} か所: ラベル、URL、コメントなど）にも書かれていたため、それぞれ ******** に置き換えました。本来の内容に直してください。"
        );
        draft.note = Some(match draft.note.take() {
            Some(note) => format!("{note} {said}"),
            None => said,
        });
    }
    validate(ctx, &draft.edit).map_err(refuse)?;
    Ok(Fix {
        rule: finding.rule,
        id: offer.id.clone(),
        title: offer.title.clone(),
        preferred: offer.preferred,
        note: draft.note,
        edit: draft.edit,
        removes,
    })
}

/// A fix that removes the last reference to an internal entity whose value
/// is a secret (`<password>&pw;</password>` with `<!ENTITY pw "…">`) removes
/// the declaration too: the value was the secret, and it must not stay
/// in the file when the element that used it is gone.
fn drop_orphaned_secret_entities(ctx: &Context, edit: &mut WorkspaceEdit) {
    for change in &mut edit.changes {
        let FileChange::Edit { path, edits } = change else {
            continue;
        };
        let Some((text, Some(file))) = current_text(ctx, path) else {
            continue;
        };
        if !text.contains("<!ENTITY") {
            continue;
        }
        let secrets = crate::redact::secret_ranges(file);
        let after = apply(text, edits);
        let mut added = false;
        for decl in crate::xml::entity_declarations(text) {
            let reference = format!("&{};", decl.name);
            let secret = secrets
                .iter()
                .any(|r| r.start <= decl.value.start && decl.value.end <= r.end);
            let touched = edits.iter().any(|e| overlaps(&e.range, &decl.whole));
            if secret && !touched && text.contains(&reference) && !after.contains(&reference) {
                let range = crate::edit::xml_edit::removal_with_line(text, decl.whole);
                edits.push(Edit::delete(range));
                added = true;
            }
        }
        if added {
            edits.sort_by_key(|e| (e.range.start, e.range.end));
        }
    }
}

fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Whether the copy of a removed secret at `r` stands alone: a word of
/// its own (between spaces, quotes, brackets, `:`, `=`, `,` or `;`, or
/// ending a sentence) or the password of a URL's user info. Only such a
/// copy becomes `********`: a value that merely contains the password
/// (`Room42-North` beside `Room42`, an endpoint `outlook.office365.com`
/// beside `office365`) is another value, which masking would change
/// (fourth adversarial run, D4).
fn stands_alone(text: &str, r: &std::ops::Range<usize>) -> bool {
    let apart = |c: char| c.is_whitespace() || ":=,;\"'()[]{}<>|".contains(c);
    let before = text[..r.start].chars().next_back();
    let mut rest = text[r.end..].chars();
    let after = rest.next();
    let alone = before.is_none_or(apart)
        && match after {
            None => true,
            Some('.' | '!' | '?') => rest.next().is_none_or(apart),
            Some(c) => apart(c),
        };
    alone
        || crate::redact::url_userinfo(text)
            .iter()
            .any(|u| u.start <= r.start && r.end <= u.end)
}

/// Whether `r` lies in the text of an XML file (a value, a comment),
/// not in its markup (names, attributes, CDATA and comment delimiters,
/// entity references): a password `values` or `string` that the file's
/// own tags and types spell is no copy of it (masking them broke the
/// file: D4).
fn in_text(file: &SourceFile, r: &std::ops::Range<usize>) -> bool {
    let text = file.text.as_str();
    let Some(tree) = file.tree() else {
        return false;
    };
    if tree
        .comments()
        .iter()
        .any(|c| c.body.start <= r.start && r.end <= c.body.end)
    {
        return true;
    }
    tree.elements().any(|(_, el)| {
        let content = el.content();
        el.children.is_empty()
            && el.end_tag.is_some()
            && content.start <= r.start
            && r.end <= content.end
            && !text_markup(&text[content.clone()])
                .iter()
                .any(|m| overlaps(&(m.start + content.start..m.end + content.start), r))
    })
}

/// Whether another file holds a copy of a removed secret value (`lost`,
/// in either spelling) that the next check would show: in its path, any
/// occurrence in a file that is no XML (an Apex class), one in the text
/// of an XML file, a value or a comment, whatever spells it there (a tag
/// that spells it is no copy). A value still secret somewhere
/// (`elsewhere`) stays masked and is no concern.
fn holds_copy(
    file: &SourceFile,
    lost: &crate::redact::Secrets,
    elsewhere: &crate::redact::Secrets,
) -> bool {
    let text = file.text.as_str();
    let shown = |r: &std::ops::Range<usize>| !elsewhere.found_in(&text[r.clone()]);
    if !elsewhere.found_in(&file.rel_path) && lost.found_in(&file.rel_path) {
        return true;
    }
    let found = lost.ranges(text);
    match file.tree() {
        Some(tree) if file.apex.is_none() => found.iter().filter(|r| shown(r)).any(|r| {
            tree.comments()
                .iter()
                .any(|c| c.body.start <= r.start && r.end <= c.body.end)
                || tree.elements().any(|(_, el)| {
                    let content = el.content();
                    el.children.is_empty() && content.start <= r.start && r.end <= content.end
                })
        }),
        _ => found.iter().any(shown),
    }
}

/// Whether every occurrence of `values` in `file` lies in its secret
/// ranges (the other credential's own `<password>`): no copy shown there.
fn only_secret(file: &SourceFile, values: &crate::redact::Secrets) -> bool {
    let secret = crate::redact::secret_ranges(file);
    values
        .ranges(&file.text)
        .iter()
        .all(|r| secret.iter().any(|s| s.start <= r.start && r.end <= s.end))
}

/// The markup inside an element's text: CDATA and comment delimiters,
/// entity and character references.
fn text_markup(content: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for delimiter in ["<![CDATA[", "]]>", "<!--", "-->"] {
        out.extend(
            content
                .match_indices(delimiter)
                .map(|(i, d)| i..i + d.len()),
        );
    }
    for (i, _) in content.match_indices('&') {
        let end = content[i..].find(';').map_or(i + 1, |e| i + e + 1);
        out.push(i..end);
    }
    out
}

/// What a fix does to the secret values of the files it edits: the copies
/// of a value it removes are masked, or it is refused.
///
/// Once a secret's element is gone nothing marks its copies (a label, a
/// URL's user info, a comment) as secret, and every later run would print
/// them. Each copy in the text of an edited file, outside the fix's edits,
/// that is no secret of the fixed file and stands alone there becomes
/// `********`; `Ok` says how many. A copy that cannot be masked without
/// changing another value (inside it: `Mail Zq7x1` beside `Zq7x`), or that
/// sits in a file the fix does not edit (a password repeated in an Apex
/// endpoint URL), of a value that is no secret of any file any more:
/// `Err` is where it is, and nothing is changed. Occurrences in markup
/// (a tag that spells the password) are no copies.
fn secure_removed_secrets(
    ctx: &Context,
    edit: &mut WorkspaceEdit,
) -> Result<(usize, crate::redact::Secrets), String> {
    let mut lost: Vec<String> = Vec::new();
    // Each removed value as spelled and as it reads, to look for in the
    // other files (a copy there may be spelled otherwise: `&#90;…`,
    // CDATA, a comment inside it; sixth adversarial run).
    let mut lost_spellings: Vec<crate::redact::Secrets> = Vec::new();
    let mut inside: Vec<(String, String)> = Vec::new();
    let mut masks: Vec<(usize, Vec<std::ops::Range<usize>>)> = Vec::new();
    for (i, change) in edit.changes.iter().enumerate() {
        let FileChange::Edit { path, edits } = change else {
            continue;
        };
        let Some((text, Some(file))) = current_text(ctx, path) else {
            continue;
        };
        let ranges = crate::redact::secret_ranges(file);
        if ranges.is_empty() || file.apex.is_some() {
            continue;
        }
        let fixed = SourceFile::new(
            file.path.clone(),
            file.rel_path.clone(),
            file.kind,
            file.format,
            apply(text, edits).into_bytes(),
        );
        let still = crate::redact::Secrets::of_files([&fixed]);
        let removed: Vec<std::ops::Range<usize>> = ranges
            .iter()
            .filter(|r| {
                let v = text[(*r).clone()].trim();
                v.len() >= 3 && !still.found_in(v)
            })
            .cloned()
            .collect();
        lost.extend(removed.iter().map(|r| text[r.clone()].trim().to_owned()));
        if !removed.is_empty() {
            lost_spellings.push(crate::redact::Secrets::at(text, &removed));
        }
        // The Basic token the user name and password made goes with them.
        let tokens_after = crate::redact::basic_tokens_of(&fixed);
        let tokens: Vec<String> = crate::redact::basic_tokens_of(file)
            .into_iter()
            .filter(|t| !tokens_after.contains(t))
            .collect();
        lost.extend(tokens.iter().cloned());
        if !tokens.is_empty() {
            lost_spellings.push(crate::redact::Secrets::from_values(tokens));
        }
        let fixed_secrets: std::collections::HashSet<&str> = crate::redact::secret_ranges(&fixed)
            .iter()
            .map(|r| &fixed.text[r.clone()])
            .collect();
        let declarations: Vec<std::ops::Range<usize>> = crate::xml::entity_declarations(text)
            .into_iter()
            .map(|d| d.whole)
            .collect();
        let copies: Vec<std::ops::Range<usize>> = ranges
            .iter()
            .filter(|r| {
                !edits
                    .iter()
                    .any(|e| overlaps(r, &e.range) || e.range.start == r.start)
            })
            .filter(|r| !declarations.iter().any(|d| overlaps(r, d)))
            .filter(|r| !fixed_secrets.contains(&text[(*r).clone()]))
            .cloned()
            .collect();
        let (copies, within): (Vec<_>, Vec<_>) = copies
            .into_iter()
            .filter(|r| in_text(file, r))
            .partition(|r| stands_alone(text, r));
        for r in within {
            let line = text[..r.start].matches('\n').count() + 1;
            inside.push((text[r].to_owned(), format!("{}:{line}", file.rel_path)));
        }
        if !copies.is_empty() {
            masks.push((i, copies));
        }
    }
    // The removed values that another file still holds as a secret and
    // also shows as plain text (a label): this fix is safe only while
    // that other secret stays, so no fix of the same pass may remove it
    // too (see [`crate::fix::session`]; sixth adversarial run, F6).
    let mut guarded: Vec<String> = Vec::new();
    if !lost.is_empty() || !inside.is_empty() {
        let edited: Vec<&Path> = edit.changes.iter().map(|c| c.path()).collect();
        let others: Vec<&SourceFile> = ctx
            .project
            .files
            .iter()
            .map(|f| &**f)
            .filter(|f| !edited.contains(&f.path.as_path()))
            .collect();
        let mut elsewhere = crate::redact::Secrets::of_files(others.iter().copied());
        elsewhere.extend(&ctx.project.unchecked_secrets);
        for (v, place) in &inside {
            if !elsewhere.found_in(v) {
                return Err(place.clone());
            }
        }
        if lost.iter().any(|v| !elsewhere.found_in(v)) {
            let lost = crate::redact::Secrets::union(lost_spellings.iter().cloned());
            if let Some(f) = others.iter().find(|f| holds_copy(f, &lost, &elsewhere)) {
                return Err(f.rel_path.clone());
            }
        }
        let none = crate::redact::Secrets::default();
        for v in lost.iter().filter(|v| elsewhere.found_in(v)) {
            let one = crate::redact::Secrets::from_values(vec![v.clone()]);
            if others
                .iter()
                .any(|f| holds_copy(f, &one, &none) && !only_secret(f, &one))
            {
                guarded.push(v.clone());
            }
        }
    }
    let mut masked = 0;
    for (i, copies) in masks {
        if let FileChange::Edit { edits, .. } = &mut edit.changes[i] {
            masked += copies.len();
            edits.extend(
                copies
                    .into_iter()
                    .map(|r| Edit::replace(r, crate::redact::MASK)),
            );
            edits.sort_by_key(|e| (e.range.start, e.range.end));
        }
    }
    Ok((masked, crate::redact::Secrets::from_values(guarded)))
}

/// Every fix for `finding`, and the ones refused with the reason.
pub fn compute(ctx: &Context, finding: &Finding) -> (Vec<Fix>, Vec<Refusal>) {
    let mut fixes = Vec::new();
    let mut refused = Vec::new();
    for offer in offers_for(ctx, finding) {
        match resolve(ctx, finding, &offer) {
            Ok(fix) => fixes.push(fix),
            Err(r) => refused.push(r),
        }
    }
    (fixes, refused)
}

/// Every valid fix for `finding`.
pub fn fixes_for(ctx: &Context, finding: &Finding) -> Vec<Fix> {
    compute(ctx, finding).0
}

/// The fix `check --fix` would apply for `finding`.
pub fn preferred_for(ctx: &Context, finding: &Finding) -> Option<Result<Fix, Refusal>> {
    let offer = offers_for(ctx, finding).into_iter().find(|o| o.preferred)?;
    Some(resolve(ctx, finding, &offer))
}

/// The text a fix starts from for `path`: a project file, or the manifest.
pub fn current_text<'a>(
    ctx: &'a Context,
    path: &Path,
) -> Option<(&'a str, Option<&'a SourceFile>)> {
    if let Some(f) = ctx.project.files.iter().find(|f| f.path == path) {
        return Some((&f.text, Some(f)));
    }
    if ctx.project.manifest_path.as_deref() == Some(path) {
        return Some((&ctx.project.manifest_text, None));
    }
    None
}

/// Whether edits of `before` (giving `after`) write URL user info: an
/// inserted text that holds some (an endpoint copied with its password),
/// or user info in a result whose text had none.
fn adds_url_userinfo(before: &str, after: &str, edits: &[Edit]) -> bool {
    use crate::redact::has_url_userinfo;
    edits.iter().any(|e| has_url_userinfo(&e.new_text))
        || (has_url_userinfo(after) && !has_url_userinfo(before))
}

/// Checks a workspace edit before anyone applies it: edits in bounds and
/// not overlapping, no file with XML001 rewritten, every result well-formed
/// (XML re-parsed; `sfdx-project.json` re-read without errors), no new file
/// over an existing one nor outside the project (through a folder that is
/// a symbolic link), no secret value of the project's files written
/// where it was not (a label copied into a new file, say), and no URL user
/// info written at all.
pub fn validate(ctx: &Context, edit: &WorkspaceEdit) -> Result<(), String> {
    let lang = ctx.lang;
    // The secrets of every file of the project, not only of those the fix
    // edits: a label may repeat a password held in an Apex class.
    let secrets = ctx.secrets();
    let leak = |shown: &str| {
        tr!(
            lang,
            "the fix would write a secret value into {shown}; nothing was written",
            "この修正は {shown} にシークレットの値を書き込むことになるため、何も書き込んでいません"
        )
    };
    let mut seen: Vec<&Path> = Vec::new();
    for change in &edit.changes {
        let path = change.path();
        if seen.contains(&path) {
            return Err(format!("{} is changed twice", path.display()));
        }
        seen.push(path);
        let shown = ctx.project.rel_path(path);
        match change {
            FileChange::Edit { edits, .. } => {
                let Some((text, file)) = current_text(ctx, path) else {
                    return Err(tr!(
                        lang,
                        "{shown} is not part of the project",
                        "{shown} はプロジェクトに含まれていません"
                    ));
                };
                check_edits(text, edits)?;
                let result = apply(text, edits);
                if secrets.added_in(text, &result) || adds_url_userinfo(text, &result, edits) {
                    return Err(leak(&shown));
                }
                match file {
                    Some(file) => {
                        if file.tree.is_err() {
                            return Err(tr!(
                                lang,
                                "{shown} is not well-formed XML (XML001); files with XML001 are never rewritten",
                                "{shown} は整形式の XML ではありません（XML001）。XML001 のファイルは書き換えません"
                            ));
                        }
                        if let Err(err) = XmlTree::parse(&result) {
                            let reason = err.message;
                            return Err(tr!(
                                lang,
                                "the result in {shown} would not be well-formed XML ({reason}); nothing was written",
                                "{shown} の修正結果が整形式の XML になりません（{reason}）。何も書き込んでいません"
                            ));
                        }
                    }
                    None => {
                        let (_, errors) = crate::project::config::parse_manifest(&result);
                        if let Some(e) = errors.first() {
                            let reason = &e.message;
                            return Err(tr!(
                                lang,
                                "the result in {shown} would not be valid ({reason}); nothing was written",
                                "{shown} の修正結果が正しくありません（{reason}）。何も書き込んでいません"
                            ));
                        }
                    }
                }
            }
            FileChange::Create { text, .. } => {
                if path.exists() || current_text(ctx, path).is_some() {
                    return Err(tr!(
                        lang,
                        "{shown} already exists; fixes never overwrite files",
                        "{shown} は既に存在します。修正でファイルを上書きすることはありません"
                    ));
                }
                if let Some(link) = crate::write::created_outside(&ctx.project.root, path) {
                    let link = ctx.project.rel_path(&link);
                    return Err(tr!(
                        lang,
                        "{shown} would be created outside the project: {link} is a symbolic link that leads out of it",
                        "{shown} はプロジェクトの外に作成されることになります（{link} はプロジェクトの外を指すシンボリックリンクです）"
                    ));
                }
                if secrets.added_in("", text) || crate::redact::has_url_userinfo(text) {
                    return Err(leak(&shown));
                }
                if let Err(err) = XmlTree::parse(text) {
                    let reason = err.message;
                    return Err(tr!(
                        lang,
                        "the new file {shown} would not be well-formed XML ({reason})",
                        "新しいファイル {shown} が整形式の XML になりません（{reason}）"
                    ));
                }
            }
        }
    }
    Ok(())
}
