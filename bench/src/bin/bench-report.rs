//! Turns the raw results of `bench/run.sh` (hyperfine JSON exports and a
//! few text files in one folder) into the Markdown tables of
//! BENCHMARKS.md.
//!
//! `bench-report RESULTS_DIR ORG_DIR SIZES…`

use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// Merges the hyperfine exports `DIR/PREFIX-r*.json` (rounds of the same
/// commands, interleaved so that a change in the machine's load hits every
/// command alike) into one export-shaped value, or reads `DIR/PREFIX.json`.
fn read_rounds(dir: &Path, prefix: &str) -> Option<Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{prefix}-r")) && n.ends_with(".json"))
        })
        .collect();
    if files.is_empty() {
        return read_json(&dir.join(format!("{prefix}.json")));
    }
    files.sort();
    // name -> (times, user-seconds total, system-seconds total)
    let mut merged: Vec<(String, Vec<f64>, f64, f64)> = Vec::new();
    for f in files {
        let Some(v) = read_json(&f) else { continue };
        for r in v["results"].as_array().into_iter().flatten() {
            let name = r["command"].as_str().unwrap_or("?").to_string();
            let times: Vec<f64> = r["times"]
                .as_array()
                .map(|t| t.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default();
            let n = times.len() as f64;
            let user = r["user"].as_f64().unwrap_or(0.0) * n;
            let system = r["system"].as_f64().unwrap_or(0.0) * n;
            match merged.iter_mut().find(|m| m.0 == name) {
                Some(m) => {
                    m.1.extend(times);
                    m.2 += user;
                    m.3 += system;
                }
                None => merged.push((name, times, user, system)),
            }
        }
    }
    let results: Vec<Value> = merged
        .into_iter()
        .map(|(name, mut times, user, system)| {
            let n = times.len().max(1) as f64;
            let mut sorted = times.clone();
            sorted.sort_by(f64::total_cmp);
            let median = if sorted.is_empty() {
                f64::NAN
            } else if sorted.len() % 2 == 1 {
                sorted[sorted.len() / 2]
            } else {
                (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
            };
            let (min, max) = (sorted.first().copied(), sorted.last().copied());
            times.shrink_to_fit();
            serde_json::json!({
                "command": name,
                "median": median,
                "min": min,
                "max": max,
                "times": times,
                "user": user / n,
                "system": system / n,
            })
        })
        .collect();
    Some(serde_json::json!({ "results": results }))
}

fn read_text(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

/// `(name, median seconds, min, max, runs)` of each command of a hyperfine export.
fn medians(v: &Value) -> Vec<(String, f64, f64, f64, usize)> {
    with_cpu(v)
        .into_iter()
        .map(|(n, m, a, b, r, _)| (n, m, a, b, r))
        .collect()
}

/// Like [`medians`], plus the mean CPU time (user + system) of each command.
fn with_cpu(v: &Value) -> Vec<(String, f64, f64, f64, usize, f64)> {
    v["results"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    (
                        r["command"].as_str().unwrap_or("?").to_string(),
                        r["median"].as_f64().unwrap_or(f64::NAN),
                        r["min"].as_f64().unwrap_or(f64::NAN),
                        r["max"].as_f64().unwrap_or(f64::NAN),
                        r["times"].as_array().map_or(0, Vec::len),
                        r["user"].as_f64().unwrap_or(f64::NAN)
                            + r["system"].as_f64().unwrap_or(f64::NAN),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn find(rows: &[(String, f64, f64, f64, usize)], name: &str) -> Option<f64> {
    rows.iter().find(|r| r.0 == name).map(|r| r.1)
}

fn ms(s: f64) -> String {
    if s.is_nan() {
        "–".into()
    } else if s >= 10.0 {
        format!("{s:.1} s")
    } else if s >= 0.1 {
        format!("{:.0} ms", s * 1e3)
    } else {
        format!("{:.1} ms", s * 1e3)
    }
}

fn ratio(a: f64, b: Option<f64>) -> String {
    match b {
        Some(b) if b > 0.0 && !a.is_nan() => format!("{:.2}×", a / b),
        _ => "–".into(),
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

fn label(n: &str) -> String {
    match n.parse::<usize>() {
        Ok(v) if v >= 1000 && v % 1000 == 0 => format!("{}k", v / 1000),
        _ => n.to_string(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: bench-report RESULTS_DIR ORG_DIR SIZES…");
        std::process::exit(2);
    }
    let dir = PathBuf::from(&args[0]);
    let orgs = PathBuf::from(&args[1]);
    let sizes = &args[2..];
    let largest = sizes.last().expect("a size").clone();
    let big = label(&largest);
    let mut out = String::new();
    let mut targets: Vec<(String, String, String)> = Vec::new();

    if let Some(m) = read_text(&dir.join("machine.txt")) {
        let _ = writeln!(out, "{m}\n");
    }

    // Trees.
    let _ = writeln!(
        out,
        "| tree | files | size | candidate files (read) | candidate bytes |\n|---|---:|---:|---:|---:|"
    );
    for n in sizes {
        if let Some(s) = read_json(&orgs.join(format!("{n}.stats.json"))) {
            let _ = writeln!(
                out,
                "| {} | {} | {:.1} MB | {} | {:.2} MB |",
                label(n),
                s["files"],
                s["bytes"].as_f64().unwrap_or(0.0) / 1e6,
                s["candidates"],
                s["candidateBytes"].as_f64().unwrap_or(0.0) / 1e6
            );
        }
    }
    out.push('\n');

    // The main comparison, per size.
    for n in sizes.iter().rev() {
        let Some(v) = read_rounds(&dir, &format!("cli-{n}")) else {
            continue;
        };
        let rows = with_cpu(&v);
        let plain = medians(&v);
        let rg = find(&plain, "rg --files");
        let cat = find(&plain, "cat candidates");
        let rg_cpu = rows.iter().find(|r| r.0 == "rg --files").map(|r| r.5);
        let _ = writeln!(
            out,
            "**{} files** (hyperfine, warm cache; runs interleaved in rounds):\n\n| command | median | min–max | runs | ÷ `rg --files` | ÷ `cat` candidates | CPU (user+sys, mean) | CPU ÷ `rg --files` |\n|---|---:|---:|---:|---:|---:|---:|---:|",
            label(n)
        );
        for (name, med, min, max, runs, cpu) in &rows {
            let _ = writeln!(
                out,
                "| `{name}` | {} | {}–{} | {runs} | {} | {} | {} | {} |",
                ms(*med),
                ms(*min),
                ms(*max),
                ratio(*med, rg),
                ratio(*med, cat),
                ms(*cpu),
                ratio(*cpu, rg_cpu)
            );
        }
        out.push('\n');
        if *n == largest {
            if let (Some(check), Some(rg)) = (find(&plain, "check --format json"), rg) {
                let r = check / rg;
                targets.push((
                    format!("`check` on {big} files ≤ 1.5× `rg --files`"),
                    format!("{r:.2}×"),
                    verdict(r <= 1.5).into(),
                ));
            }
            let cpu = |name: &str| rows.iter().find(|r| r.0 == name).map(|r| r.5);
            if let (Some(c), Some(rg)) = (cpu("check --format json"), rg_cpu) {
                targets.push((
                    format!("the same in CPU time (user + system) on {big} files"),
                    format!("{:.2}×", c / rg),
                    verdict(c / rg <= 1.5).into(),
                ));
            }
        }
    }

    // Scaling.
    let mut scale = Vec::new();
    for n in sizes {
        if let Some(v) = read_rounds(&dir, &format!("cli-{n}")) {
            let rows = medians(&v);
            if let (Some(c), Some(rg)) = (
                find(&rows, "check --format json"),
                find(&rows, "rg --files"),
            ) {
                scale.push((n.clone(), c, rg));
            }
        }
    }
    if scale.len() > 1 {
        let _ = writeln!(out, "**Scaling** (`check --format json`, all cores; linear growth means time grows like the file count once fixed costs are small):\n\n| files | check | per 1k files | growth vs previous size | `rg --files` | per 1k files | growth |\n|---:|---:|---:|---:|---:|---:|---:|");
        let mut prev: Option<(f64, f64, f64)> = None;
        for (n, c, rg) in &scale {
            let files = n.parse::<f64>().unwrap_or(1.0);
            let k = files / 1000.0;
            let growth = |now: f64, before: f64, pf: f64| {
                format!("{:.1}× for {:.0}× files", now / before, files / pf)
            };
            let (gc, grg) = match prev {
                Some((pf, pc, prg)) => (growth(*c, pc, pf), growth(*rg, prg, pf)),
                None => ("–".into(), "–".into()),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {gc} | {} | {} | {grg} |",
                label(n),
                ms(*c),
                ms(c / k),
                ms(*rg),
                ms(rg / k)
            );
            prev = Some((files, *c, *rg));
        }
        out.push('\n');
    }
    if let Some(v) = read_rounds(&dir, "threads") {
        let rows = medians(&v);
        let one = find(&rows, "check --threads 1");
        let _ = writeln!(out, "**Threads** ({big} files, `--format json`):\n\n| command | median | speed-up over 1 thread |\n|---|---:|---:|");
        for (name, med, ..) in &rows {
            let s = one.map_or("–".into(), |o| format!("{:.2}×", o / med));
            let _ = writeln!(out, "| `{name}` | {} | {s} |", ms(*med));
        }
        out.push('\n');
    }

    // Memory.
    if let Some(kb) = read_text(&dir.join("rss.txt")).and_then(|s| s.parse::<f64>().ok()) {
        let mb = kb / 1024.0;
        let _ = writeln!(out, "**Peak RSS** of `check --format json` on {big} files (`/usr/bin/time -v`): {mb:.1} MB.\n");
        targets.push((
            format!("peak RSS on {big} files < 100 MB"),
            format!("{mb:.1} MB"),
            verdict(mb < 100.0).into(),
        ));
    }

    // Peer.
    let _ = writeln!(out, "**Peer: Salesforce Code Analyzer** (PMD rules `AvoidInsecureHttpRemoteSiteSetting`, `AvoidDisableProtocolSecurityRemoteSiteSetting`), same trees:\n");
    let mut peer_rows = String::new();
    for n in sizes {
        if let Some(v) = read_json(&dir.join(format!("peer-{n}.json"))) {
            let rows = medians(&v);
            let check = read_rounds(&dir, &format!("cli-{n}"))
                .and_then(|c| find(&medians(&c), "check --format json"));
            for (name, med, _, _, runs) in &rows {
                let speedup = check.map(|c| med / c);
                let _ = writeln!(
                    peer_rows,
                    "| {} | `{name}` | {} | {runs} | {} |",
                    label(n),
                    ms(*med),
                    speedup.map_or("–".into(), |s| format!("{s:.0}×"))
                );
                if let Some(s) = speedup {
                    targets.push((
                        format!("≥ 50× faster than the peer ({} files)", label(n)),
                        format!("{s:.0}×"),
                        verdict(s >= 50.0).into(),
                    ));
                }
            }
        }
    }
    if !peer_rows.is_empty() {
        let _ = writeln!(out, "| files | command | median | runs | peer ÷ `check` |\n|---:|---|---:|---:|---:|\n{peer_rows}");
    }
    if let Some(note) = read_text(&dir.join("peer-notes.txt")) {
        let _ = writeln!(out, "{note}\n");
    }

    // Language server.
    let _ = writeln!(
        out,
        "**Language server** (through the protocol, `lsp-bench`):\n"
    );
    if let Some(p) = read_text(&dir.join("lsp-pending.txt")) {
        let _ = writeln!(out, "{p}\n");
    }
    let mut lsp_rows = String::new();
    for n in sizes {
        if let Some(v) = read_json(&dir.join(format!("lsp-index-{n}.json"))) {
            let s = v["indexMs"].as_f64().unwrap_or(f64::NAN) / 1e3;
            let _ = writeln!(
                lsp_rows,
                "| initial index, {} files | {} | – | {} diagnostics |",
                label(n),
                ms(s),
                v["diagnostics"].as_str().unwrap_or("?")
            );
            if *n == largest {
                targets.push((
                    format!("initial index of {big} files < 2 s"),
                    ms(s),
                    verdict(s < 2.0).into(),
                ));
            }
        }
    }
    for which in ["large", "small", "large-tag", "small-tag"] {
        if let Some(v) = read_json(&dir.join(format!("lsp-latency-{which}.json"))) {
            let p50 = v["p50Ms"].as_f64().unwrap_or(f64::NAN);
            let p95 = v["p95Ms"].as_f64().unwrap_or(f64::NAN);
            let edit = match v["edit"].as_str() {
                Some("tag") => "typing in a tag",
                _ => "typing in a value",
            };
            let _ = writeln!(
                lsp_rows,
                "| didChange → diagnostics, {} ({:.0} KB), {edit}, {} edits | p50 {p50:.2} ms | p95 {p95:.2} ms | {} sync, {} diagnostics |",
                v["file"].as_str().unwrap_or("?").rsplit('/').next().unwrap_or("?"),
                v["bytes"].as_f64().unwrap_or(0.0) / 1024.0,
                v["edits"],
                v["sync"].as_str().unwrap_or("?"),
                v["diagnostics"].as_str().unwrap_or("?"),
            );
            if which == "large" {
                targets.push((
                    "didChange → diagnostics p50 < 5 ms, 1 MB file".into(),
                    format!("{p50:.2} ms"),
                    verdict(p50 < 5.0).into(),
                ));
            }
        }
    }
    if !lsp_rows.is_empty() {
        let _ = writeln!(
            out,
            "| measurement | p50 / time | p95 | how |\n|---|---:|---:|---|\n{lsp_rows}"
        );
    }

    if !targets.is_empty() {
        let _ = writeln!(
            out,
            "**Targets** (this run):\n\n| target | measured | |\n|---|---:|---|"
        );
        for (t, m, v) in targets {
            let _ = writeln!(out, "| {t} | {m} | {v} |");
        }
    }
    print!("{out}");
}
