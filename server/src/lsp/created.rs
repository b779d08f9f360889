//! Files the server creates itself (for clients that cannot create files
//! through an edit), and taking them back when the rest of the fix fails.

use std::path::{Path, PathBuf};

/// The files created so far, and the folders made for them.
#[derive(Debug, Default)]
pub struct Created {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Created {
    /// Creates `path` with `text`, whole (a temporary file renamed into
    /// place), never over an existing file; makes the missing folders.
    pub fn create(&mut self, path: &Path, text: &str) -> std::io::Result<()> {
        let mut missing = Vec::new();
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            missing.push(d.to_path_buf());
            dir = d.parent();
        }
        let result = crate::write::create_new(path, text.as_bytes());
        // Innermost first, the order they are removed in.
        self.folders.extend(missing);
        result?;
        self.files.push(path.to_path_buf());
        Ok(())
    }

    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Removes what [`Created::create`] made (folders only if empty).
    pub fn undo(&mut self) {
        for file in self.files.drain(..) {
            let _ = std::fs::remove_file(file);
        }
        for folder in self.folders.drain(..) {
            let _ = std::fs::remove_dir(folder);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_and_takes_back_with_its_folders() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.xml");
        std::fs::write(&old, "old").unwrap();
        let new = dir.path().join("a/b/new.xml");
        let mut created = Created::default();
        created.create(&new, "<x/>\n").unwrap();
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "<x/>\n");
        assert!(created.create(&old, "new").is_err(), "never overwrites");
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "old");
        created.undo();
        assert!(!dir.path().join("a").exists());
        assert!(old.exists());
    }
}
