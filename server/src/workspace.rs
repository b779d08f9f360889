//! The [`Workspace`]: the SFDX projects a front end works on, and where
//! their [`Analysis`] snapshots come from. Both front ends open one: the
//! command line from the paths it was given ([`Workspace::open_paths`]),
//! the language server from its workspace folders
//! ([`Workspace::add_folder`]) and the files it is sent. It owns project
//! discovery (the project around a path, projects nested in a folder, each
//! with its own configuration and `.forceignore`), applies changes (buffer
//! edits, changes on disk, settings) in the order they come, and hands out
//! an immutable analysis per project, made again only after a change.

use crate::analysis::Analysis;
use crate::check::{CheckOptions, CheckResult};
use crate::diagnostic::Finding;
use crate::metadata::MetadataKind;
use crate::project::{self, find_nested_roots, find_root, Ignored, LoadOptions, Project};
use crate::source::SourceFile;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A change the workspace applies, in the order the front end got them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// An open buffer's text (its version as the editor numbers them).
    Buffer {
        path: PathBuf,
        version: i32,
        text: String,
    },
    /// A buffer was closed: the disk is the truth again.
    Closed(PathBuf),
    /// A file changed on disk (created, changed or deleted). The manifest or
    /// `.forceignore` loads its project again.
    Disk(PathBuf),
}

/// A path the command line was given that cannot be checked.
#[derive(Debug)]
pub struct OpenError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

/// One SFDX project of the workspace, as loaded, with the changes applied
/// since.
pub struct Member {
    pub root: PathBuf,
    manifest: Option<PathBuf>,
    /// Paths named inside it (command line): read even when only the default
    /// ignore rules would skip them; findings are kept only for them unless
    /// the project's own folder was named too.
    explicit: Vec<PathBuf>,
    whole: bool,
    /// Projects nested in it, not walked (they are members of their own).
    skip: Vec<PathBuf>,
    threads: usize,
    /// The command line's members keep no text of the Apex classes that
    /// nothing can use (`LoadOptions::drop_unread_text`); the language
    /// server's keep every file whole.
    drop_unread_text: bool,
    /// The folders its walk stops after ([`LoadOptions::max_dirs`]).
    max_dirs: Option<usize>,
    project: Project,
    /// Which version of each open buffer `project` holds.
    buffers: HashMap<PathBuf, i32>,
    analysis: Option<Arc<Analysis>>,
    /// Changes with every change of `project` (unique among all members):
    /// the id of the [`Job`]s made from it.
    version: u64,
    /// The result of the last analysis, while the project changed since
    /// only in the text of Apex files it had: the next analysis keeps what
    /// did not depend on them ([`Analysis::after_apex_edit`]).
    before_apex_edit: Option<(CheckOptions, CheckResult)>,
}

impl Member {
    fn load(
        root: PathBuf,
        manifest: Option<PathBuf>,
        explicit: Vec<PathBuf>,
        skip: Vec<PathBuf>,
        threads: usize,
        drop_unread_text: bool,
        max_dirs: Option<usize>,
    ) -> Member {
        let whole = explicit.is_empty() || explicit.contains(&root);
        let explicit: Vec<PathBuf> = explicit.into_iter().filter(|p| *p != root).collect();
        let project = Project::load_skipping(
            &root,
            manifest.clone(),
            &LoadOptions {
                threads,
                explicit: explicit.clone(),
                drop_unread_text,
                max_dirs,
            },
            &skip,
        );
        Member {
            root,
            manifest,
            explicit,
            whole,
            skip,
            threads,
            drop_unread_text,
            max_dirs,
            project,
            buffers: HashMap::new(),
            analysis: None,
            version: next_version(),
            before_apex_edit: None,
        }
    }

    /// The project around `path` (a workspace folder, or a file opened
    /// outside every known project): see [`find_root`].
    pub fn around(path: &Path) -> Member {
        let (root, manifest) = find_root(path);
        let max_dirs = server_bound(&manifest);
        Member::load(root, manifest, Vec::new(), Vec::new(), 0, false, max_dirs)
    }

    /// The project as loaded, with the changes applied since.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Paths named inside the project (command line).
    pub fn explicit(&self) -> &[PathBuf] {
        &self.explicit
    }

    /// Whether findings are kept for the named paths only.
    pub fn restricted(&self) -> bool {
        !self.whole && !self.explicit.is_empty()
    }

    /// Whether `finding` is one this member reports (see [`Member::restricted`]).
    pub fn keeps(&self, project: &Project, finding: &Finding) -> bool {
        !self.restricted() || named(&self.explicit, project, finding)
    }

    /// Whether `path` is below the project's root and not in a project
    /// nested in it that it does not walk (a member of its own).
    pub fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.root) && !self.skip.iter().any(|s| path.starts_with(s))
    }

    /// The manifest's path, when the project has one.
    pub fn manifest_path(&self) -> Option<&Path> {
        self.manifest.as_deref()
    }

    /// The buffer versions the project holds.
    pub fn buffers(&self) -> &HashMap<PathBuf, i32> {
        &self.buffers
    }

    /// The analysis of the project as it is now, made when anything changed
    /// since the last one (or the options did): [`Member::prepare`],
    /// [`Job::run`] and [`Member::accept`] in one step.
    pub fn analysis(&mut self, options: &CheckOptions) -> Arc<Analysis> {
        if let Some(kept) = self.kept(options) {
            return kept;
        }
        let job = self.job(options);
        let id = job.id();
        let analysis = Arc::new(job.run());
        self.accept(id, analysis.clone());
        analysis
    }

    /// The analysis kept for the project as it is now, when it was made
    /// with `options` (or options that give the same findings).
    pub fn kept(&self, options: &CheckOptions) -> Option<Arc<Analysis>> {
        self.analysis
            .as_ref()
            .filter(|a| same_options(a.options(), options))
            .cloned()
    }

    /// What an analysis of the project as it is now needs, to be run
    /// anywhere ([`Job::run`]); `None` when the kept analysis is of the
    /// project as it is now ([`Member::kept`]). Cheap: the project is
    /// copied, not its files.
    pub fn prepare(&mut self, options: &CheckOptions) -> Option<Job> {
        match self.kept(options) {
            Some(_) => None,
            None => Some(self.job(options)),
        }
    }

    fn job(&mut self, options: &CheckOptions) -> Job {
        let previous = match self.before_apex_edit.take() {
            Some((previous_options, previous)) if same_options(&previous_options, options) => {
                Some(previous)
            }
            _ => None,
        };
        Job {
            id: self.version,
            project: Arc::new(self.project.clone()),
            options: options.clone(),
            previous,
            named: self.restricted().then(|| self.explicit.clone()),
        }
    }

    /// Keeps the analysis a job made (`job`: its [`Job::id`]), unless the
    /// project changed since the job was prepared; whether it was kept.
    pub fn accept(&mut self, job: u64, analysis: Arc<Analysis>) -> bool {
        if job != self.version {
            return false;
        }
        self.analysis = Some(analysis);
        true
    }

    /// Changes with every change of the project (the id a job made now
    /// would have).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// A new analysis of the project as it is now, for the caller alone
    /// (the command line narrows it further); not kept.
    pub fn analyse(&self, options: &CheckOptions) -> Analysis {
        let mut analysis = Analysis::new(self.project.clone(), options);
        if self.restricted() {
            analysis.retain_findings(|p, f| self.keeps(p, f));
        }
        analysis
    }

    /// Loads the project again from disk, as it was opened (the manifest
    /// may have appeared or gone since, for a folder).
    pub fn reload(&mut self) {
        if self.explicit.is_empty() {
            let manifest = self.root.join(project::MANIFEST);
            self.manifest = manifest.is_file().then_some(manifest);
        }
        self.project = Project::load_skipping(
            &self.root,
            self.manifest.clone(),
            &LoadOptions {
                threads: self.threads,
                explicit: self.explicit.clone(),
                drop_unread_text: self.drop_unread_text,
                max_dirs: self.max_dirs,
            },
            &self.skip,
        );
        self.buffers.clear();
        self.analysis = None;
        self.version = next_version();
        self.before_apex_edit = None;
    }

    /// Applies one change; false when it does not concern this project.
    pub fn apply(&mut self, change: &Change) -> bool {
        match change {
            Change::Buffer {
                path,
                version,
                text,
            } => {
                if !self.contains(path) {
                    return false;
                }
                if self.buffers.get(path) == Some(version) {
                    return true;
                }
                // Let go of the old analysis first: when nobody holds it any
                // more, the file is then updated in place, not copied. An
                // edit of an Apex file the project has keeps its result.
                let apex_edit = self
                    .project
                    .file(path)
                    .is_some_and(|(_, f)| f.kind.is_apex());
                match self.analysis.take() {
                    Some(last) if apex_edit => {
                        let options = last.options().clone();
                        self.before_apex_edit = Some((options, last.into_result()));
                    }
                    _ if apex_edit => {}
                    _ => self.before_apex_edit = None,
                }
                self.version = next_version();
                self.apply_buffer(path, text.clone());
                self.buffers.insert(path.clone(), *version);
            }
            Change::Closed(path) => {
                if self.buffers.remove(path).is_none() {
                    return false;
                }
                self.analysis = None;
                self.version = next_version();
                self.before_apex_edit = None;
                self.reload_from_disk(path);
            }
            Change::Disk(path) => {
                if !self.contains(path) {
                    return false;
                }
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name == project::MANIFEST || name == project::FORCEIGNORE {
                    let affects = self.manifest.as_deref() == Some(path.as_path())
                        || path.parent() == Some(self.root.as_path());
                    if !affects {
                        return false;
                    }
                    self.reload();
                } else if MetadataKind::from_file_name(name).is_some() {
                    // An open buffer is the truth for its file.
                    if self.buffers.contains_key(path) {
                        return true;
                    }
                    self.analysis = None;
                    self.version = next_version();
                    self.before_apex_edit = None;
                    self.reload_from_disk(path);
                } else {
                    return false;
                }
            }
        }
        true
    }

    /// Puts a buffer's text in the project, when the project checks the
    /// file. A file it holds already is updated in place (see
    /// [`SourceFile::set_text`]): the other files, and most of this one,
    /// are not read or parsed again.
    fn apply_buffer(&mut self, path: &Path, text: String) {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return;
        };
        let Some((kind, format)) = MetadataKind::from_file_name(name) else {
            return;
        };
        if self.is_excluded(path) {
            return;
        }
        match self.project.file_mut(path) {
            Some(file) => {
                file.set_text(text);
                self.project.resolve_apex_file(path);
            }
            None => self.project.upsert(SourceFile::new(
                path.to_path_buf(),
                self.project.rel_path(path),
                kind,
                format,
                text.into_bytes(),
            )),
        }
    }

    fn is_excluded(&self, path: &Path) -> bool {
        matches!(
            self.project.filter.check(path, false),
            Some(Ignored::ByForceignore | Ignored::ByExclude)
        ) || (self.project.manifest_path.is_some() && self.project.package_dir_of(path).is_none())
    }

    fn reload_from_disk(&mut self, path: &Path) {
        if self.is_excluded(path) {
            self.project.remove(path);
            return;
        }
        match self.project.read_file(path) {
            Some(Ok(file)) => self.project.upsert(file),
            _ => self.project.remove(path),
        }
    }
}

/// The check of a project as it was when the job was prepared
/// ([`Member::prepare`]): it needs nothing of the member, so it may run on
/// any thread while the member goes on changing.
pub struct Job {
    id: u64,
    project: Arc<Project>,
    options: CheckOptions,
    /// The result the check may keep part of ([`Analysis::after_apex_edit`]).
    previous: Option<CheckResult>,
    /// The paths findings are kept for, when the member is restricted.
    named: Option<Vec<PathBuf>>,
}

impl Job {
    /// What to give [`Member::accept`] with the analysis.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The project's root.
    pub fn root(&self) -> &Path {
        &self.project.root
    }

    /// Runs the check (the rules pass): the slow part.
    pub fn run(self) -> Analysis {
        let mut analysis = match &self.previous {
            Some(previous) => Analysis::after_apex_edit(self.project, &self.options, previous),
            None => Analysis::new(self.project, &self.options),
        };
        if let Some(named_paths) = &self.named {
            analysis.retain_findings(|p, f| named(named_paths, p, f));
        }
        analysis
    }
}

/// Whether `finding` is in one of the paths named.
fn named(paths: &[PathBuf], project: &Project, finding: &Finding) -> bool {
    let path = &project.files[finding.file].path;
    paths.iter().any(|e| path.starts_with(e))
}

/// A member version no member had.
fn next_version() -> u64 {
    static VERSIONS: AtomicU64 = AtomicU64::new(1);
    VERSIONS.fetch_add(1, Ordering::Relaxed)
}

/// The bound of a language server's walk ([`LoadOptions::max_dirs`]):
/// only a folder in no project is cut.
fn server_bound(manifest: &Option<PathBuf>) -> Option<usize> {
    manifest
        .is_none()
        .then_some(project::MAX_DIRS_OUTSIDE_PROJECTS)
}

/// Whether two option sets give the same findings.
pub fn same_options(a: &CheckOptions, b: &CheckOptions) -> bool {
    a.as_of == b.as_of
        && a.lang == b.lang
        && a.select == b.select
        && a.ignore == b.ignore
        && a.overrides == b.overrides
}

/// The projects a front end works on.
#[derive(Default)]
pub struct Workspace {
    members: Vec<Member>,
    /// Walker threads (0: one per core).
    threads: usize,
}

impl Workspace {
    /// An empty workspace (the language server adds its folders).
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// The command line's workspace: the paths grouped by the project they
    /// are in, in the order given; a folder that is in no project but holds
    /// several is one member per nested project (each with its own
    /// configuration and `.forceignore`). Every project is loaded, without
    /// the text of the Apex classes that nothing can use (a one-shot check
    /// never edits them).
    pub fn open_paths(paths: &[PathBuf], threads: usize) -> Result<Workspace, OpenError> {
        // (root, manifest, paths named inside it, nested projects not to walk)
        type Group = (PathBuf, Option<PathBuf>, Vec<PathBuf>, Vec<PathBuf>);
        let mut groups: Vec<Group> = Vec::new();
        let cwd = std::env::current_dir().unwrap_or_default();
        for path in paths {
            let abs = absolute_keeping_link(path).map_err(|error| OpenError {
                path: path.clone(),
                error,
            })?;
            if !confined_as_named(&cwd, path) {
                return Err(OpenError {
                    path: path.clone(),
                    error: std::io::Error::other(project::OUTSIDE),
                });
            }
            let (root, manifest) = find_root(&abs);
            let nested = if manifest.is_none() && abs.is_dir() {
                find_nested_roots(&abs)
            } else {
                Vec::new()
            };
            for n in &nested {
                if !groups.iter().any(|g| g.0 == *n) {
                    let manifest = Some(n.join(project::MANIFEST));
                    groups.push((n.clone(), manifest, Vec::new(), Vec::new()));
                }
                if let Some(g) = groups.iter_mut().find(|g| g.0 == *n) {
                    g.2.push(n.clone());
                }
            }
            match groups.iter_mut().find(|g| g.0 == root) {
                Some(g) => {
                    g.2.push(abs);
                    g.3.extend(nested);
                }
                None => groups.push((root, manifest, vec![abs], nested)),
            }
        }
        let members = groups
            .into_iter()
            .map(|(root, manifest, explicit, skip)| {
                Member::load(root, manifest, explicit, skip, threads, true, None)
            })
            .collect();
        Ok(Workspace { members, threads })
    }

    pub fn members(&self) -> &[Member] {
        &self.members
    }

    pub fn members_mut(&mut self) -> &mut [Member] {
        &mut self.members
    }

    /// Adds the project of a workspace folder (the project around it), once.
    /// Returns its index.
    pub fn add_folder(&mut self, folder: &Path) -> usize {
        let (root, manifest) = find_root(folder);
        self.add(root, manifest)
    }

    /// Adds a member loaded elsewhere ([`Member::around`] on a thread of
    /// its own), unless one of the same root came meanwhile. Returns its
    /// index.
    pub fn insert(&mut self, member: Member) -> usize {
        if let Some(i) = self.index_of(&member.root) {
            return i;
        }
        self.members.push(member);
        self.members.len() - 1
    }

    /// The index of the project whose root is `root`.
    pub fn index_of(&self, root: &Path) -> Option<usize> {
        self.members.iter().position(|m| m.root == root)
    }

    /// The roots of the projects, in the order of their indexes.
    pub fn roots(&self) -> impl Iterator<Item = &Path> + '_ {
        self.members.iter().map(|m| m.root.as_path())
    }

    /// Forgets the projects in `folder`.
    pub fn remove_folder(&mut self, folder: &Path) {
        self.members.retain(|m| !m.root.starts_with(folder));
    }

    /// The index of the project `path` belongs to (the innermost root),
    /// loading the one around it when it is outside every known project.
    ///
    /// A path that a folder in no project holds (a workspace folder `/` or
    /// `~`, whose walk may have stopped before it) but that has a project
    /// of its own above it gets that project: its own configuration, and
    /// files the folder's walk never reached.
    pub fn member_for(&mut self, path: &Path) -> usize {
        if let Some(i) = self.find(path) {
            if self.members[i].manifest.is_some() {
                return i;
            }
            let (root, manifest) = find_root(path);
            if manifest.is_none() || root == self.members[i].root {
                return i;
            }
            return self.add(root, manifest);
        }
        let (root, manifest) = find_root(path);
        self.add(root, manifest)
    }

    /// The index of the known project `path` belongs to (the innermost).
    pub fn find(&self, path: &Path) -> Option<usize> {
        self.members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.contains(path))
            .max_by_key(|(_, m)| m.root.components().count())
            .map(|(i, _)| i)
    }

    fn add(&mut self, root: PathBuf, manifest: Option<PathBuf>) -> usize {
        if let Some(i) = self.members.iter().position(|m| m.root == root) {
            return i;
        }
        let max_dirs = server_bound(&manifest);
        let member = Member::load(
            root,
            manifest,
            Vec::new(),
            Vec::new(),
            self.threads,
            false,
            max_dirs,
        );
        self.members.push(member);
        self.members.len() - 1
    }

    /// Applies a change to every project it concerns; returns their indexes.
    /// A file goes to every project that holds it (the innermost, and a
    /// project around it that walks into it); a manifest or `.forceignore`
    /// only to the project at whose root it is, which loads again.
    pub fn apply(&mut self, change: &Change) -> Vec<usize> {
        let mut hit = Vec::new();
        for (i, m) in self.members.iter_mut().enumerate() {
            if m.apply(change) {
                hit.push(i);
            }
        }
        hit
    }
}

/// Whether `path` (named on the command line, relative to `cwd`) stays in
/// the project it is named in once its links are followed. Which project
/// that is is decided without the links that lead out of it: the project
/// around the path as written, up to its first symbolic link below the
/// working directory (below the project's parent for a path elsewhere),
/// or the working directory when no project holds it. So a committed
/// `salesforce -> /elsewhere/proj` (holding a project of its own) is
/// refused by `check salesforce` like `namedCredentials -> /elsewhere`
/// inside a project; links above the working directory (`/tmp ->
/// /private/tmp`) are never in question. A link to a file is left to the
/// project, which reads it only when its target is inside.
fn confined_as_named(cwd: &Path, path: &Path) -> bool {
    let lexical = lexical_absolute(cwd, path);
    let link_to_file = std::fs::symlink_metadata(&lexical)
        .is_ok_and(|m| m.file_type().is_symlink())
        && !lexical.is_dir();
    let probe = match (link_to_file, lexical.parent()) {
        (true, Some(parent)) => parent.to_path_buf(),
        _ => lexical,
    };
    project::confined(&confining_root(&probe, cwd), &probe)
}

/// `path` joined to `cwd`, `.` and `..` taken away by name (not by
/// following links).
fn lexical_absolute(cwd: &Path, path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The folder `path` (lexical, absolute) must stay in: see
/// [`confined_as_named`].
fn confining_root(path: &Path, cwd: &Path) -> PathBuf {
    let (root, manifest) = find_root(path);
    let under_cwd = path.starts_with(cwd);
    let floor = if under_cwd {
        cwd.to_path_buf()
    } else if manifest.is_some() {
        root.parent().unwrap_or(&root).to_path_buf()
    } else {
        return root;
    };
    let mut prefixes: Vec<&Path> = path
        .ancestors()
        .filter(|p| p.starts_with(&floor) && *p != floor)
        .collect();
    prefixes.reverse();
    let first_link = prefixes
        .into_iter()
        .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()));
    match first_link.and_then(Path::parent) {
        Some(parent) => confining_root(parent, cwd),
        None if manifest.is_none() => cwd.to_path_buf(),
        None => root,
    }
}

/// `path` made absolute with its folders resolved, but a symbolic link to
/// an existing file kept as the link (a dangling one stays "no such
/// file"): the project it is named in decides whether its
/// target may be read (a link to `~/.git-credentials` named on the command
/// line is "outside the project; not read", never a project of its own).
fn absolute_keeping_link(path: &Path) -> std::io::Result<PathBuf> {
    let link_to_file = std::fs::symlink_metadata(path)?.file_type().is_symlink() && path.is_file();
    match (link_to_file, path.parent(), path.file_name()) {
        (true, Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            Ok(parent.canonicalize()?.join(name))
        }
        _ => path.canonicalize(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREDENTIAL: &str =
        "force-app/main/default/namedCredentials/Mail.namedCredential-meta.xml";

    /// A folder holding two projects, `a` and `b`, each with one named
    /// credential.
    fn two_projects() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        for name in ["a", "b"] {
            let root = top.join(name);
            let file = root.join(CREDENTIAL);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(
                root.join(project::MANIFEST),
                r#"{"packageDirectories": [{"path": "force-app", "default": true}]}"#,
            )
            .unwrap();
            std::fs::write(&file, "<NamedCredential/>\n").unwrap();
        }
        (dir, top)
    }

    /// A change on disk goes to the project the file is in, never to the
    /// folder around it that does not walk into that project.
    #[test]
    fn a_change_on_disk_goes_to_the_innermost_project() {
        let (_dir, top) = two_projects();
        let mut workspace = Workspace::open_paths(std::slice::from_ref(&top), 1).unwrap();
        let roots: Vec<&Path> = workspace.roots().collect();
        assert_eq!(roots, [top.join("a"), top.join("b"), top.clone()]);
        let file = top.join("a").join(CREDENTIAL);
        std::fs::write(
            &file,
            "<NamedCredential><label>x</label></NamedCredential>\n",
        )
        .unwrap();
        assert_eq!(workspace.find(&file), Some(0));
        assert_eq!(workspace.apply(&Change::Disk(file.clone())), [0]);
        assert!(workspace.members()[2].project().file(&file).is_none());
        let (_, read) = workspace.members()[0].project().file(&file).unwrap();
        assert!(read.text.contains("<label>x</label>"));
    }

    /// The manifest of a project reloads that project alone, and the
    /// server's workspace finds a project once, by its root.
    #[test]
    fn a_manifest_reloads_its_project_alone() {
        let (_dir, top) = two_projects();
        let mut workspace = Workspace::new();
        let a = workspace.add_folder(&top.join("a"));
        assert_eq!(workspace.add_folder(&top.join("a").join("force-app")), a);
        let b = workspace.member_for(&top.join("b").join(CREDENTIAL));
        assert_ne!(a, b);
        assert_eq!(workspace.index_of(&top.join("b")), Some(b));
        // Project `a` now checks nothing: its package folder is elsewhere.
        std::fs::write(
            top.join("a").join(project::MANIFEST),
            r#"{"packageDirectories": [{"path": "other", "default": true}]}"#,
        )
        .unwrap();
        let manifest = top.join("a").join(project::MANIFEST);
        assert_eq!(workspace.apply(&Change::Disk(manifest)), [a]);
        assert!(workspace.members()[a].project().files.is_empty());
        assert_eq!(workspace.members()[b].project().files.len(), 1);
        workspace.remove_folder(&top.join("a"));
        assert_eq!(workspace.index_of(&top.join("a")), None);
        assert_eq!(workspace.find(&top.join("b").join(CREDENTIAL)), Some(0));
    }

    /// A job's analysis is kept only while the member is as it was when the
    /// job was prepared; a kept analysis of the project now needs no job.
    #[test]
    fn a_job_is_kept_only_while_the_member_did_not_change() {
        let (_dir, top) = two_projects();
        let file = top.join("a").join(CREDENTIAL);
        let mut member = Member::around(&top.join("a"));
        let options = CheckOptions::default();
        let job = member.prepare(&options).unwrap();
        let stale = job.id();
        member.apply(&Change::Buffer {
            path: file.clone(),
            version: 2,
            text: "<NamedCredential><label>y</label></NamedCredential>\n".into(),
        });
        let before = Arc::new(job.run());
        assert!(!before
            .file(&file)
            .unwrap()
            .1
            .text
            .contains("<label>y</label>"));
        assert!(!member.accept(stale, before));
        assert!(member.kept(&options).is_none());
        let job = member.prepare(&options).unwrap();
        let id = job.id();
        assert_ne!(id, stale);
        let now = Arc::new(job.run());
        assert!(now.file(&file).unwrap().1.text.contains("<label>y</label>"));
        assert!(member.accept(id, now.clone()));
        assert!(member.prepare(&options).is_none());
        assert!(Arc::ptr_eq(&member.analysis(&options), &now));
    }
}
