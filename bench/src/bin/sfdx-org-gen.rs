//! Writes a synthetic SFDX org, deterministic by seed.
//!
//! ```text
//! sfdx-org-gen --files 100000 --seed 1 --out target/bench-org/100k
//! ```
//!
//! Next to the tree it writes `<out>.candidates` (the files the linter
//! reads, one absolute path a line), `<out>.stats.json` and `<out>.stamp`;
//! a tree whose stamp matches the request is kept as it is.
//!
//! `sfdx-org-gen --package-dirs N --out DIR` writes a project of N package
//! directories instead, one small file in each.

use exchange_auth_lint_bench::gen::{generate, generate_package_dirs, GENERATOR_VERSION};
use std::path::PathBuf;
use std::process::exit;

fn usage() -> ! {
    eprintln!("usage: sfdx-org-gen --files N [--seed S] --out DIR [--force]");
    eprintln!("       sfdx-org-gen --package-dirs N --out DIR");
    exit(2)
}

fn main() {
    let mut files = None;
    let mut seed = 1u64;
    let mut out = None;
    let mut force = false;
    let mut package_dirs: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--files" => files = args.next().and_then(|v| v.replace('_', "").parse().ok()),
            "--seed" => {
                seed = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--out" => out = args.next().map(PathBuf::from),
            "--force" => force = true,
            "--package-dirs" => {
                package_dirs = args.next().and_then(|v| v.replace('_', "").parse().ok())
            }
            _ => usage(),
        }
    }
    if let (Some(n), Some(out)) = (package_dirs, &out) {
        let _ = std::fs::remove_dir_all(out);
        if let Err(e) = generate_package_dirs(out, n) {
            eprintln!("cannot write {}: {e}", out.display());
            exit(1);
        }
        return;
    }
    let (Some(files), Some(out)) = (files, out) else {
        usage()
    };
    let sidecar = |ext: &str| {
        let mut s = out.clone().into_os_string();
        s.push(ext);
        PathBuf::from(s)
    };
    let stamp = format!("version={GENERATOR_VERSION} files={files} seed={seed}\n");
    if !force
        && out.is_dir()
        && std::fs::read_to_string(sidecar(".stamp")).ok().as_deref() == Some(&stamp)
    {
        eprintln!("{}: up to date ({})", out.display(), stamp.trim());
        return;
    }
    if out.exists() {
        if let Err(e) = std::fs::remove_dir_all(&out) {
            eprintln!("cannot remove {}: {e}", out.display());
            exit(1);
        }
    }
    let _ = std::fs::remove_file(sidecar(".stamp"));
    let started = std::time::Instant::now();
    let stats = match std::fs::create_dir_all(&out).and_then(|_| generate(&out, files, seed)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot write {}: {e}", out.display());
            exit(1);
        }
    };
    let abs = out.canonicalize().unwrap_or(out.clone());
    let mut list = String::new();
    for c in &stats.candidates {
        let rel = c.strip_prefix(&out).unwrap_or(c);
        list.push_str(&abs.join(rel).to_string_lossy());
        list.push('\n');
    }
    let by_category: serde_json::Map<String, serde_json::Value> = stats
        .by_category
        .iter()
        .map(|(k, (n, b))| (k.to_string(), serde_json::json!({ "files": n, "bytes": b })))
        .collect();
    let json = serde_json::json!({
        "files": stats.files,
        "bytes": stats.bytes,
        "seed": seed,
        "candidates": stats.candidates.len(),
        "candidateBytes": stats.candidate_bytes,
        "flagged": stats.flagged,
        "clean": stats.clean.len(),
        "byCategory": by_category,
    });
    let written = std::fs::write(sidecar(".candidates"), list)
        .and_then(|_| {
            std::fs::write(
                sidecar(".stats.json"),
                serde_json::to_string_pretty(&json).unwrap_or_default(),
            )
        })
        .and_then(|_| std::fs::write(sidecar(".stamp"), &stamp));
    if let Err(e) = written {
        eprintln!("cannot write the side files of {}: {e}", out.display());
        exit(1);
    }
    eprintln!(
        "{}: {} files, {:.1} MB, {} candidates ({} flagged) in {:.1}s",
        out.display(),
        stats.files,
        stats.bytes as f64 / 1e6,
        stats.candidates.len(),
        stats.flagged.len(),
        started.elapsed().as_secs_f64()
    );
}
