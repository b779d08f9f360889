//! Finding the SFDX project around a path, reading its configuration and
//! loading the metadata files the rules read.

pub mod config;

use crate::metadata::MetadataKind;
use crate::source::SourceFile;
use config::{parse_manifest, ConfigError, Manifest};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub const MANIFEST: &str = "sfdx-project.json";
pub const FORCEIGNORE: &str = ".forceignore";

/// Why a path whose resolved location leaves its project is not read.
pub const OUTSIDE: &str = "symbolic link to outside the project; not read";

/// Whether `path`, with every link followed, is inside `root` (resolved
/// too): what may be read, walked or written of the project at `root`. A
/// folder link on the way (`namedCredentials -> /elsewhere`) counts like
/// a file link. A path that does not exist is judged by its nearest
/// existing folder.
pub fn confined(root: &Path, path: &Path) -> bool {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    inside(&real_root, path)
}

/// [`confined`] for a root already resolved.
fn inside(real_root: &Path, path: &Path) -> bool {
    match path.ancestors().find_map(|p| p.canonicalize().ok()) {
        Some(real) => real.starts_with(real_root),
        None => true,
    }
}

/// Metadata files larger than this are reported, not read (the largest
/// real ones are a few MB; a 3 GiB file took 6.3 GB of memory).
pub const MAX_FILE_SIZE: u64 = 256 << 20;

/// `.forceignore` limits: each pattern costs the matcher about 25 KB (a
/// 1.6 MB file of 40,000 patterns took 1 GB and 12 s); real files hold a
/// few dozen short lines. Past a limit, the rest is not used and a warning
/// says what was cut (a file that should have been ignored is checked).
pub const MAX_FORCEIGNORE_BYTES: usize = 256 << 10;
pub const MAX_FORCEIGNORE_PATTERNS: usize = 2_000;
pub const MAX_FORCEIGNORE_LINE: usize = 1_024;

/// Adds the patterns of `path` (gitignore syntax) within the limits above;
/// returns the warnings.
fn add_forceignore(b: &mut GitignoreBuilder, path: &Path) -> Vec<String> {
    use std::io::Read;
    let mut warnings = Vec::new();
    let mut bytes = Vec::new();
    // A link is followed when it stays in the project (its folder), like
    // the manifest's; one that leads out is not read (fourth adversarial
    // run, D11: both were "a symbolic link loop").
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && !confined(path.parent().unwrap_or(Path::new("")), path) {
        return vec!["a link to outside the project; not read".into()];
    }
    let open = if is_link {
        open_regular(path)
    } else {
        open_no_follow(path)
    };
    let read = open.and_then(|f| {
        f.take(MAX_FORCEIGNORE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
    });
    if let Err(err) = read {
        return vec![format!("cannot read: {}", io_reason(&err))];
    }
    if bytes.len() > MAX_FORCEIGNORE_BYTES {
        bytes.truncate(MAX_FORCEIGNORE_BYTES);
        // The line cut in two is not used either.
        let whole = memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1);
        bytes.truncate(whole);
        warnings.push(format!(
            "larger than {} KiB; only its first {} lines are used",
            MAX_FORCEIGNORE_BYTES >> 10,
            bytes.iter().filter(|&&b| b == b'\n').count()
        ));
    }
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut patterns = 0usize;
    let mut dropped = 0usize;
    // (first line, count) of patterns too long to use.
    let mut long: Option<(usize, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let pattern = line.trim_end();
        if pattern.is_empty() || pattern.starts_with('#') {
            continue;
        }
        if patterns == MAX_FORCEIGNORE_PATTERNS {
            dropped += 1;
            continue;
        }
        if line.len() > MAX_FORCEIGNORE_LINE {
            long.get_or_insert((i + 1, 0)).1 += 1;
            continue;
        }
        patterns += 1;
        if let Err(err) = b.add_line(Some(path.to_path_buf()), line) {
            warnings.push(format!("line {}: {err}", i + 1));
        }
    }
    if let Some((line, n)) = long {
        warnings.push(format!(
            "{n} pattern(s) longer than {MAX_FORCEIGNORE_LINE} bytes not used (the first on line {line})"
        ));
    }
    if dropped > 0 {
        warnings.push(format!(
            "more than {MAX_FORCEIGNORE_PATTERNS} patterns; the first {MAX_FORCEIGNORE_PATTERNS} are used, {dropped} after them are not"
        ));
    }
    warnings
}

/// The manifest's bytes: a regular file within [`MAX_INPUT_SIZE`]; a link
/// is followed only when it stays inside the project, so that an error
/// excerpt never shows a line of a file from elsewhere.
fn read_manifest(root: &Path, path: &Path) -> Result<Vec<u8>, String> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        match path.canonicalize() {
            Ok(real) if real.starts_with(&real_root) => {}
            Ok(_) => return Err("a link to outside the project; not read".into()),
            Err(e) => return Err(io_reason(&e)),
        }
    }
    read_regular(path, MAX_INPUT_SIZE)
}

/// Opens for reading without following a final symbolic link and without
/// blocking on a FIFO (whatever the path became since it was checked).
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// Opens a regular file for reading, following links, without blocking
/// on a FIFO: anything else is an error once open.
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// The most a project's manifest or a baseline may hold.
pub const MAX_INPUT_SIZE: u64 = 64 << 20;

/// Reads a file the run depends on (the manifest, a baseline) whole: a
/// regular file of at most `max` bytes, opened without blocking on a FIFO
/// and checked once open, so a path that is or becomes a device, a FIFO or
/// a folder is an error, never a hang or an endless read.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options
        .open(path)
        .map_err(|e| crate::write::io_reason(&e))?;
    let meta = file.metadata().map_err(|e| crate::write::io_reason(&e))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let too_large = || format!("larger than {} MiB", max >> 20);
    if meta.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::write::io_reason(&e))?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads `file`, of `len` bytes by its `fstat`, into the start of `bytes`,
/// at most [`MAX_FILE_SIZE`] + 1 bytes, and returns how many it read.
/// One `read` in the common case: a read of `len + 1` bytes that returns
/// exactly `len` has reached the end (a file that grew since its `fstat`
/// returns more, and is read on to its end; one that returns less, say on a
/// signal, is read on too), where reading to the end would take a second
/// `read` to see it. `bytes` keeps its length between calls (no zeroing of
/// a reused buffer); what lies past the returned count is stale.
fn read_whole(mut file: std::fs::File, len: u64, bytes: &mut Vec<u8>) -> std::io::Result<usize> {
    use std::io::Read;
    let want = len.min(MAX_FILE_SIZE) as usize + 1;
    if bytes.len() < want {
        bytes.resize(want, 0);
    }
    let first = loop {
        match file.read(&mut bytes[..want]) {
            Ok(n) => break n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    };
    if first == 0 || first as u64 == len {
        return Ok(first);
    }
    bytes.truncate(first);
    // `take`: a file that grows while it is read stays within the limit.
    file.take(MAX_FILE_SIZE + 1 - first as u64)
        .read_to_end(bytes)?;
    Ok(bytes.len())
}

fn libc_eloop() -> i32 {
    #[cfg(unix)]
    {
        libc::ELOOP
    }
    #[cfg(not(unix))]
    {
        -1
    }
}

/// A problem that kept one file or folder from being checked; the rest of
/// the project still is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadProblem {
    pub path: PathBuf,
    pub message: String,
}

/// Files are shared (`Arc`): a copy of a project is cheap, and a change
/// (a buffer edit, a fix-all pass) replaces only the files it touches, so
/// an analysis keeps the project it was made from while a newer one is
/// built.
#[derive(Clone, Debug)]
pub struct Project {
    /// The folder of `sfdx-project.json`, or the scanned folder.
    pub root: PathBuf,
    /// `sfdx-project.json`, when there is one.
    pub manifest_path: Option<PathBuf>,
    pub manifest_text: String,
    pub manifest: Manifest,
    pub config_errors: Vec<ConfigError>,
    pub filter: PathFilter,
    pub files: Vec<Arc<SourceFile>>,
    pub problems: Vec<LoadProblem>,
    /// Paths named on the command line that the project's own rules keep
    /// out of the check (`.forceignore`, the config's `exclude`): reported,
    /// never dropped silently.
    pub skipped: Vec<Skipped>,
    /// The secret values of texts the project knows but does not check,
    /// to mask in any output and never to be written again: files that
    /// `.forceignore` or `exclude` keep out of the check (read for their
    /// secrets only, when the project is loaded: a password of an excluded
    /// credential repeated as a checked file's label is still a secret).
    /// Use [`Project::secrets`] for all of the project's secrets.
    pub unchecked_secrets: crate::redact::Secrets,
    /// The secret values of texts a fix replaced in memory (a pass of
    /// `--fix` that removed a password before the next pass copies a
    /// label): masked like the others, but no longer in any file, so they
    /// do not keep a copy elsewhere masked once the fix is written.
    pub replaced_secrets: crate::redact::Secrets,
}

/// A path named explicitly that is not checked, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: Ignored,
}

impl Skipped {
    /// `excluded by .forceignore; not checked` and the like (without the path).
    pub fn message(&self) -> &'static str {
        match self.reason {
            Ignored::ByForceignore => "excluded by .forceignore; not checked",
            Ignored::ByExclude => {
                "excluded by `plugins.exchangeAuthLint.exclude` in sfdx-project.json; not checked"
            }
            Ignored::ByDefault => "a hidden folder (ignored by default); not checked",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Walker threads; 0 = one per core.
    pub threads: usize,
    /// Paths named on the command line: files are loaded even when only the
    /// default ignore rules would skip them; folders outside the package
    /// directories are walked too.
    pub explicit: Vec<PathBuf>,
    /// Keep no text of the Apex classes that nothing can use (see
    /// [`SourceFile::read`]): for a one-shot check, never for files that
    /// an editor may change.
    pub drop_unread_text: bool,
    /// Stop walking after this many folders (a warning says so): for a
    /// folder that is in no project, which the language server may be
    /// given as a workspace folder (`/`, a home directory).
    pub max_dirs: Option<usize>,
}

/// The folders a language server walks at most in a workspace folder that
/// is in no SFDX project (no `sfdx-project.json` at or above it): an
/// editor started at `/` or in a home directory would walk the whole disk.
/// A project's own folders are never cut.
pub const MAX_DIRS_OUTSIDE_PROJECTS: usize = 10_000;

/// Folders no walk enters (below the root it starts at): not files anyone
/// keeps metadata in, and reading `/proc` or `/dev` can block or never end.
const SYSTEM_DIRS: [&str; 3] = ["/proc", "/sys", "/dev"];

/// Finds the project root for `path`: the nearest folder at or above it
/// with `sfdx-project.json`, else `path` itself (or its folder for a file).
pub fn find_root(path: &Path) -> (PathBuf, Option<PathBuf>) {
    let start = if path.is_file() {
        path.parent().unwrap_or(path)
    } else {
        path
    };
    for dir in start.ancestors() {
        let manifest = dir.join(MANIFEST);
        // Whatever bears the name, but a folder: one that cannot be read
        // (a FIFO, a device, a dangling link) is an error in the manifest,
        // not a project without one.
        if std::fs::symlink_metadata(&manifest).is_ok_and(|m| !m.is_dir()) && !manifest.is_dir() {
            return (dir.to_path_buf(), Some(manifest));
        }
    }
    (start.to_path_buf(), None)
}

/// SFDX projects below `dir` (folders other than `dir` holding
/// `sfdx-project.json`), outermost first; hidden folders and `node_modules`
/// are not searched. For a scanned folder that is not itself in a project:
/// each nested project is checked with its own configuration.
pub fn find_nested_roots(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .follow_links(false)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || name == "node_modules"
                    || SYSTEM_DIRS.iter().any(|d| e.path() == Path::new(d)))
        })
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.depth() > 1 && e.file_name() == MANIFEST)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect();
    found.sort();
    let mut outermost: Vec<PathBuf> = Vec::new();
    for root in found {
        if !outermost.iter().any(|o| root.starts_with(o)) {
            outermost.push(root);
        }
    }
    outermost
}

/// Decides which paths are checked: `.forceignore` (gitignore semantics,
/// relative to the root), its defaults (dotfiles, `**/*.dup`) and the
/// config's `exclude` globs.
#[derive(Clone, Debug)]
pub struct PathFilter {
    root: PathBuf,
    forceignore: Option<Gitignore>,
    exclude: Option<Gitignore>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ignored {
    /// Dotfiles and `*.dup`: overridden by naming the file explicitly.
    ByDefault,
    ByForceignore,
    ByExclude,
}

impl Ignored {
    /// The machine-readable reason (`skipped[].reason` in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Ignored::ByDefault => "hidden",
            Ignored::ByForceignore => "forceignore",
            Ignored::ByExclude => "exclude",
        }
    }
}

impl PathFilter {
    pub fn new(root: &Path, exclude: &[String]) -> (PathFilter, Vec<LoadProblem>) {
        let mut problems = Vec::new();
        let forceignore_path = root.join(FORCEIGNORE);
        let forceignore = forceignore_path.is_file().then(|| {
            let mut b = GitignoreBuilder::new(root);
            for message in add_forceignore(&mut b, &forceignore_path) {
                problems.push(LoadProblem {
                    path: forceignore_path.clone(),
                    message,
                });
            }
            b.build().unwrap_or_else(|_| Gitignore::empty())
        });
        let exclude = (!exclude.is_empty()).then(|| {
            let mut b = GitignoreBuilder::new(root);
            for glob in exclude {
                if let Err(err) = b.add_line(None, glob) {
                    problems.push(LoadProblem {
                        path: root.join(MANIFEST),
                        message: format!("exclude glob `{glob}`: {err}"),
                    });
                }
            }
            b.build().unwrap_or_else(|_| Gitignore::empty())
        });
        (
            PathFilter {
                root: root.to_path_buf(),
                forceignore,
                exclude,
            },
            problems,
        )
    }

    pub fn check(&self, path: &Path, is_dir: bool) -> Option<Ignored> {
        let rel = path.strip_prefix(&self.root).ok()?;
        if rel.as_os_str().is_empty() {
            return None;
        }
        let matched = |g: &Option<Gitignore>| {
            g.as_ref()
                .is_some_and(|g| g.matched_path_or_any_parents(rel, is_dir).is_ignore())
        };
        if matched(&self.forceignore) {
            return Some(Ignored::ByForceignore);
        }
        if matched(&self.exclude) {
            return Some(Ignored::ByExclude);
        }
        let hidden = rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        let dup = !is_dir && path.extension().is_some_and(|e| e == "dup");
        (hidden || dup).then_some(Ignored::ByDefault)
    }
}

impl Project {
    /// The secret values of every file of the project, checked or not
    /// ([`Project::unchecked_secrets`]): what any text leaving the process
    /// must not show and what a fix must not write.
    pub fn secrets(&self) -> crate::redact::Secrets {
        let mut secrets = crate::redact::Secrets::of_files(self.files.iter().map(|f| &**f));
        secrets.extend(&self.unchecked_secrets);
        secrets.extend(&self.replaced_secrets);
        secrets
    }

    /// Loads the project whose root is `root` (see [`find_root`]).
    pub fn load(root: &Path, manifest_path: Option<PathBuf>, options: &LoadOptions) -> Project {
        Project::load_skipping(root, manifest_path, options, &[])
    }

    /// Like [`Project::load`], without walking the folders in `skip`:
    /// SFDX projects nested in a scanned folder, which are checked on
    /// their own (their own config and `.forceignore`).
    pub fn load_skipping(
        root: &Path,
        manifest_path: Option<PathBuf>,
        options: &LoadOptions,
        skip: &[PathBuf],
    ) -> Project {
        let mut problems = Vec::new();
        let mut config_errors = Vec::new();
        let mut manifest_text = String::new();
        let mut manifest = Manifest::default();
        if let Some(path) = &manifest_path {
            match read_manifest(root, path) {
                Ok(bytes) => {
                    manifest_text = String::from_utf8_lossy(&bytes).into_owned();
                    let (m, errs) = parse_manifest(&manifest_text);
                    manifest = m;
                    config_errors = errs;
                }
                Err(reason) => config_errors.push(ConfigError {
                    range: 0..0,
                    message: format!("cannot read: {reason}"),
                }),
            }
        }
        let (filter, filter_problems) = PathFilter::new(root, &manifest.config.exclude);
        problems.extend(filter_problems);

        let mut walk_roots: Vec<PathBuf> = Vec::new();
        let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        if manifest_path.is_some() {
            for dir in &manifest.package_dirs {
                let abs = if dir == "." {
                    root.to_path_buf()
                } else {
                    root.join(dir)
                };
                // Normalised and confined when read; a link may still lead
                // out of the project.
                let outside = abs
                    .canonicalize()
                    .is_ok_and(|real| !real.starts_with(&real_root));
                if outside {
                    problems.push(LoadProblem {
                        path: abs,
                        message: "package directory is a link to outside the project; not walked"
                            .into(),
                    });
                } else if abs.is_dir() {
                    walk_roots.push(abs);
                } else {
                    problems.push(LoadProblem {
                        path: abs,
                        message: "package directory does not exist".into(),
                    });
                }
            }
        } else {
            walk_roots.push(root.to_path_buf());
        }
        // Nested or repeated package directories: walk each folder once,
        // or its files would be loaded (and reported) twice.
        // Sorted by components, a folder's subfolders follow it: one pass
        // (a pairwise check took minutes for 50,000 directories).
        walk_roots.sort();
        walk_roots.dedup();
        let mut outer: Vec<PathBuf> = Vec::with_capacity(walk_roots.len());
        for r in walk_roots {
            if !outer.last().is_some_and(|o| r.starts_with(o)) {
                outer.push(r);
            }
        }
        let mut walk_roots = outer;
        let mut explicit_files = Vec::new();
        let mut explicit_dirs = Vec::new();
        let mut skipped = Vec::new();
        for path in &options.explicit {
            // A named path through a folder link out of the project (the
            // command line confines its paths already; this is the last
            // word for any caller).
            let probe = match std::fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() && !path.is_dir() => path.parent(),
                _ => Some(path.as_path()),
            };
            if probe.is_some_and(|p| !inside(&real_root, p)) {
                problems.push(LoadProblem {
                    path: path.clone(),
                    message: OUTSIDE.into(),
                });
                continue;
            }
            if path.is_dir() {
                // A folder the project ignores would be walked for nothing
                // (its first entry is skipped): say so instead.
                if let Some(reason) = filter.check(path, true) {
                    skipped.push(Skipped {
                        path: path.clone(),
                        reason,
                    });
                    continue;
                }
                explicit_dirs.push(path.clone());
                if !walk_roots.iter().any(|r| path.starts_with(r)) {
                    walk_roots.retain(|r| !r.starts_with(path));
                    walk_roots.push(path.clone());
                }
            } else {
                explicit_files.push(path.clone());
            }
        }

        let mut project = Project {
            root: root.to_path_buf(),
            manifest_path,
            manifest_text,
            manifest,
            config_errors,
            filter,
            files: Vec::new(),
            problems,
            skipped,
            unchecked_secrets: Default::default(),
            replaced_secrets: Default::default(),
        };
        let ignored = project.walk(
            &walk_roots,
            options.threads,
            skip,
            !explicit_dirs.is_empty(),
            options.drop_unread_text,
            options.max_dirs,
        );
        // A named folder whose metadata files the project all ignores
        // (`**/settings/**` leaves the folder itself unmatched): one note
        // for the folder, not a silent "0 metadata files".
        for dir in explicit_dirs {
            if project.files.iter().any(|f| f.path.starts_with(&dir)) {
                continue;
            }
            if let Some((_, reason)) = ignored.iter().find(|(p, _)| p.starts_with(&dir)) {
                project.skipped.push(Skipped {
                    path: dir,
                    reason: *reason,
                });
            }
        }
        for path in explicit_files {
            if project.files.iter().any(|f| f.path == path)
                || project.problems.iter().any(|p| p.path == path)
            {
                continue;
            }
            if let Some(reason @ (Ignored::ByForceignore | Ignored::ByExclude)) =
                project.filter.check(&path, false)
            {
                // Only files the rules would read: a README named among
                // changed files is not news.
                if path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(MetadataKind::from_file_name)
                    .is_some()
                {
                    project.skipped.push(Skipped { path, reason });
                }
                continue;
            }
            match project.read_file_as(&path, None, options.drop_unread_text) {
                Some(Ok(file)) => project.files.push(Arc::new(file)),
                Some(Err(problem)) => project.problems.push(problem),
                None => {}
            }
        }
        project.files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        project.problems.sort_by(|a, b| a.path.cmp(&b.path));
        project.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        project.skipped.dedup();
        project.resolve_apex();
        project
    }

    /// The lower-case API names of the project's named credentials.
    fn credential_names(&self) -> std::collections::HashSet<String> {
        self.files
            .iter()
            .filter(|f| f.kind == MetadataKind::NamedCredential)
            .map(|f| f.api_name().to_ascii_lowercase())
            .collect()
    }

    /// Parses the Apex classes the byte pre-filter left pending (only
    /// `callout:` needles) that call one of the project's named
    /// credentials; the others cannot matter to any rule.
    pub fn resolve_apex(&mut self) {
        let names = self.credential_names();
        if names.is_empty() {
            return;
        }
        for f in &mut self.files {
            resolve_one(f, &names);
        }
    }

    /// [`Project::resolve_apex`] for the file at `path` only (an edited
    /// buffer; the credentials did not change).
    pub fn resolve_apex_file(&mut self, path: &Path) {
        if !self
            .files
            .iter()
            .any(|f| f.path == path && f.apex.as_ref().is_some_and(|a| a.is_pending()))
        {
            return;
        }
        let names = self.credential_names();
        if let Some(f) = self.files.iter_mut().find(|f| f.path == path) {
            resolve_one(f, &names);
        }
    }

    /// The path relative to the root with `/` separators.
    pub fn rel_path(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Reads one candidate file; `None` when it is not a metadata file the
    /// rules read.
    ///
    /// Only regular files are read, opened without blocking and checked on
    /// the open file (a FIFO swapped in after a check would block a plain
    /// open forever); a symbolic link only when its target is inside the
    /// project (a link to `~/.git-credentials` or `/proc/self/environ` is
    /// reported, its target never read nor named); at most [`MAX_FILE_SIZE`].
    ///
    /// A file whose folder is reached through a link out of the project
    /// (a change on disk the editor reports below such a link) is
    /// reported the same way, never read.
    pub fn read_file(&self, path: &Path) -> Option<Result<SourceFile, LoadProblem>> {
        if let Some(folder) = path.parent() {
            let candidate = path
                .file_name()
                .map(|n| MetadataKind::from_file_name(&n.to_string_lossy()).is_some());
            if candidate == Some(true) && !confined(&self.root, folder) {
                return Some(Err(LoadProblem {
                    path: path.to_path_buf(),
                    message: OUTSIDE.into(),
                }));
            }
        }
        self.read_file_as(path, None, false)
    }

    /// [`Project::read_file`] when the walker already knows whether `path`
    /// is a symbolic link (from the directory entry): no `lstat` then, and
    /// the open file's `fstat` is the one stat of the file. The bytes are
    /// read into one buffer per thread, reused: a class whose text is not
    /// kept (`drop_unread_text`, see [`SourceFile::read`]) costs no
    /// allocation.
    fn read_file_as(
        &self,
        path: &Path,
        is_link: Option<bool>,
        drop_unread_text: bool,
    ) -> Option<Result<SourceFile, LoadProblem>> {
        let problem = |message: String| LoadProblem {
            path: path.to_path_buf(),
            message,
        };
        let os_name = path.file_name()?;
        let Some(name) = os_name.to_str() else {
            // Named like metadata but not UTF-8: say so instead of skipping.
            return MetadataKind::from_file_name(&os_name.to_string_lossy())
                .map(|_| Err(problem("file name is not valid UTF-8; not checked".into())));
        };
        let (kind, format) = MetadataKind::from_file_name(name)?;
        let link = is_link.unwrap_or_else(|| {
            std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        });
        let mut open_path = path.to_path_buf();
        if link {
            match path.canonicalize() {
                Ok(target) => {
                    let root = self
                        .root
                        .canonicalize()
                        .unwrap_or_else(|_| self.root.clone());
                    if !target.starts_with(&root) {
                        return Some(Err(problem(OUTSIDE.into())));
                    }
                    open_path = target;
                }
                Err(err) => {
                    let reason = match err.kind() {
                        std::io::ErrorKind::NotFound => "broken symbolic link".into(),
                        _ if err.raw_os_error() == Some(libc_eloop()) => {
                            "symbolic link loop; not followed".into()
                        }
                        _ => io_reason(&err),
                    };
                    return Some(Err(problem(format!("cannot read: {reason}"))));
                }
            }
        }
        let file = match open_no_follow(&open_path) {
            Ok(f) => f,
            Err(err) => return Some(Err(problem(format!("cannot read: {}", io_reason(&err))))),
        };
        let meta = match file.metadata() {
            Ok(m) => m,
            Err(err) => return Some(Err(problem(format!("cannot read: {}", io_reason(&err))))),
        };
        if meta.is_dir() {
            return None;
        }
        if !meta.is_file() {
            return Some(Err(problem("not a regular file; not checked".into())));
        }
        if meta.len() > MAX_FILE_SIZE {
            return Some(Err(problem(format!(
                "larger than {} MiB; not checked",
                MAX_FILE_SIZE >> 20
            ))));
        }
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        Some(BUFFER.with_borrow_mut(|bytes| {
            let result = match read_whole(file, meta.len(), bytes) {
                Ok(n) if n as u64 > MAX_FILE_SIZE => Err(problem(format!(
                    "larger than {} MiB; not checked",
                    MAX_FILE_SIZE >> 20
                ))),
                Ok(n) => Ok(SourceFile::read(
                    path.to_path_buf(),
                    self.rel_path(path),
                    kind,
                    format,
                    &bytes[..n],
                    drop_unread_text,
                )),
                Err(err) => Err(problem(format!("cannot read: {}", io_reason(&err)))),
            };
            // One large file read is no reason to hold its size for good.
            if bytes.capacity() > KEPT_BUFFER {
                *bytes = Vec::new();
            }
            result
        }))
    }

    /// Walks `roots` and loads what the rules read; with `record`, returns
    /// the candidates (folders and files named like metadata) that
    /// `.forceignore` or `exclude` kept out, sorted.
    fn walk(
        &mut self,
        roots: &[PathBuf],
        threads: usize,
        skip: &[PathBuf],
        record: bool,
        drop_unread_text: bool,
        max_dirs: Option<usize>,
    ) -> Vec<(PathBuf, Ignored)> {
        let Some((first, rest)) = roots.split_first() else {
            return Vec::new();
        };
        let mut builder = ignore::WalkBuilder::new(first);
        for r in rest {
            builder.add(r);
        }
        builder
            .standard_filters(false)
            .follow_links(false)
            .threads(threads);
        let found = Mutex::new(Vec::new());
        let problems = Mutex::new(Vec::new());
        let ignored = Mutex::new(Vec::new());
        let unchecked = Mutex::new(Vec::new());
        let dirs = std::sync::atomic::AtomicUsize::new(0);
        let cut = std::sync::atomic::AtomicBool::new(false);
        let this = &*self;
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                use ignore::WalkState;
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        let path = walk_error_path(&err).unwrap_or_else(|| this.root.clone());
                        problems.lock().unwrap().push(LoadProblem {
                            path,
                            message: walk_error_message(&err),
                        });
                        return WalkState::Continue;
                    }
                };
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if is_dir && skip.iter().any(|s| s == entry.path()) {
                    return WalkState::Skip;
                }
                if is_dir {
                    if entry.depth() > 0 && SYSTEM_DIRS.iter().any(|d| entry.path() == Path::new(d))
                    {
                        return WalkState::Skip;
                    }
                    if let Some(max) = max_dirs {
                        if dirs.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= max {
                            cut.store(true, std::sync::atomic::Ordering::Relaxed);
                            return WalkState::Quit;
                        }
                    }
                }
                // Most files of an org (classes, fields, layouts…) are never
                // read: decide by name first and match the ignore rules only
                // for folders and candidate files (a profile showed the
                // per-file `.forceignore` match dominating the walk).
                if !is_dir
                    && MetadataKind::from_file_name(&entry.file_name().to_string_lossy()).is_none()
                {
                    return WalkState::Continue;
                }
                if let Some(reason) = this.filter.check(entry.path(), is_dir) {
                    if reason == Ignored::ByDefault {
                        return if is_dir {
                            WalkState::Skip
                        } else {
                            WalkState::Continue
                        };
                    }
                    // Kept out of the check, not out of the repository: an
                    // excluded folder is still walked and its files read
                    // for their secret values only, which no output shows.
                    // (Only the top folder is recorded: what is under it
                    // is excluded with it.)
                    let under_excluded = entry
                        .path()
                        .parent()
                        .is_some_and(|p| this.filter.check(p, true).is_some());
                    if record && !under_excluded {
                        ignored
                            .lock()
                            .unwrap()
                            .push((entry.path().to_path_buf(), reason));
                    }
                    if !is_dir {
                        let is_link = entry.file_type().map(|t| t.is_symlink());
                        if let Some(Ok(file)) = this.read_file_as(entry.path(), is_link, false) {
                            let secrets = crate::redact::Secrets::of_files([&file]);
                            if !secrets.is_empty() {
                                unchecked.lock().unwrap().push(secrets);
                            }
                        }
                    }
                    return WalkState::Continue;
                }
                if is_dir {
                    return WalkState::Continue;
                }
                // Files, and also links and pipes named like metadata:
                // `read_file` reads what it can and reports the rest.
                let is_link = entry.file_type().map(|t| t.is_symlink());
                match this.read_file_as(entry.path(), is_link, drop_unread_text) {
                    Some(Ok(file)) => found.lock().unwrap().push(Arc::new(file)),
                    Some(Err(problem)) => problems.lock().unwrap().push(problem),
                    None => {}
                }
                WalkState::Continue
            })
        });
        self.files = found.into_inner().unwrap();
        self.problems.extend(problems.into_inner().unwrap());
        if let (true, Some(max)) = (cut.into_inner(), max_dirs) {
            self.problems.push(LoadProblem {
                path: first.clone(),
                message: format!(
                    "in no SFDX project: the search for metadata files stopped after {max} folders; open a project's folder (the one holding sfdx-project.json) instead"
                ),
            });
        }
        let unchecked = unchecked.into_inner().unwrap();
        if !unchecked.is_empty() {
            let mut all = crate::redact::Secrets::union(unchecked);
            all.extend(&self.unchecked_secrets);
            self.unchecked_secrets = all;
        }
        let mut ignored = ignored.into_inner().unwrap();
        ignored.sort_by(|a, b| a.0.cmp(&b.0));
        ignored
    }

    /// Replaces or adds a file from memory (an editor buffer).
    pub fn upsert(&mut self, file: SourceFile) {
        let credential = file.kind == MetadataKind::NamedCredential;
        let path = file.path.clone();
        self.upsert_file(file);
        if credential {
            self.resolve_apex();
        } else {
            self.resolve_apex_file(&path);
        }
    }

    fn upsert_file(&mut self, file: SourceFile) {
        match self.files.iter_mut().find(|f| f.path == file.path) {
            Some(slot) => *slot = Arc::new(file),
            None => {
                self.files.push(Arc::new(file));
                self.files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
            }
        }
    }

    /// The file at `path`, with its id.
    pub fn file(&self, path: &Path) -> Option<(crate::source::FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .find(|(_, f)| f.path == path)
            .map(|(id, f)| (id, &**f))
    }

    /// The file at `path`, to change in place (copied first when an
    /// analysis still shares it).
    pub fn file_mut(&mut self, path: &Path) -> Option<&mut SourceFile> {
        self.files
            .iter_mut()
            .find(|f| f.path == path)
            .map(Arc::make_mut)
    }

    pub fn remove(&mut self, path: &Path) {
        self.files.retain(|f| f.path != path);
    }

    /// The package directory `path` is in (absolute), if any.
    pub fn package_dir_of(&self, path: &Path) -> Option<PathBuf> {
        self.manifest
            .package_dirs
            .iter()
            .map(|d| self.root.join(d))
            .filter(|d| path.starts_with(d))
            .max_by_key(|d| d.components().count())
    }
}

/// The largest read buffer a thread keeps between files.
const KEPT_BUFFER: usize = 1 << 20;

fn resolve_one(f: &mut Arc<SourceFile>, names: &std::collections::HashSet<String>) {
    let wanted = f
        .apex
        .as_ref()
        .is_some_and(|apex| apex.is_pending() && crate::apex::calls_any_credential(&f.text, names));
    if wanted {
        Arc::make_mut(f).resolve_apex();
    }
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "file disappeared while checking".into(),
        #[cfg(unix)]
        _ if err.raw_os_error() == Some(libc::ELOOP) => "symbolic link loop; not followed".into(),
        _ => err.to_string(),
    }
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => walk_error_path(err),
        ignore::Error::WithLineNumber { err, .. } => walk_error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn walk_error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } => walk_error_message(err),
        ignore::Error::WithDepth { err, .. } => walk_error_message(err),
        ignore::Error::Loop { .. } => "symbolic link loop; not followed".into(),
        ignore::Error::Io(io) => format!("cannot read: {}", io_reason(io)),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::read_whole;

    /// The whole file, whatever its `fstat` said (a file that grew or
    /// shrank since), from a reused buffer longer than the file.
    #[test]
    fn read_whole_reads_to_the_end_in_any_case() {
        let dir = tempfile::tempdir().unwrap();
        let mut buffer = vec![b'x'; 64];
        for content in [&b""[..], b"a", b"public class A {}\n", &[b'z'; 40_000][..]] {
            let path = dir.path().join("A.cls");
            std::fs::write(&path, content).unwrap();
            let real = content.len() as u64;
            for claimed in [real, real.saturating_sub(1), 0, real + 1, real + 100] {
                let file = std::fs::File::open(&path).unwrap();
                let n = read_whole(file, claimed, &mut buffer).unwrap();
                assert_eq!(&buffer[..n], content, "claimed {claimed} of {real}");
            }
        }
    }
}
