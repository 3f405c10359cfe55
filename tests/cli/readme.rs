//! The README's tour runs as written: the ```sh block after the
//! `<!-- readme-tour ... -->` mark, then the one after
//! `<!-- readme-after-tour ... -->` (the backups), as one `sh -e` script, in
//! a folder laid out like the project's (its `samples/`) after `casebook demo`.

use std::path::Path;
use std::process::Command;

use crate::common::Env;

const MARK: &str = "<!-- readme-tour";
const AFTER_MARK: &str = "<!-- readme-after-tour";

fn readme() -> String {
    std::fs::read_to_string(Env::root().join("README.md")).unwrap()
}

/// The lines of the first ```sh block after `mark`.
fn block_after(readme: &str, mark: &str) -> String {
    let after = &readme[readme.find(mark).expect("README has the mark")..];
    let block = &after[after.find("```sh\n").expect("an sh block after the mark") + 6..];
    block[..block.find("```").expect("the block ends")].to_string()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn the_readme_tour_runs_as_written_on_the_demo_desk() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Env::root().join("samples"), &dir.path().join("samples"));
    let bin = Path::new(env!("CARGO_BIN_EXE_casebook"));
    let path = format!("{}:/usr/bin:/bin", bin.parent().unwrap().display());
    let sh = |script: &str| {
        Command::new("/bin/sh")
            .args(["-e", "-x", "-c", script])
            .env_clear()
            .env("PATH", &path)
            .env("HOME", dir.path())
            .env("COLUMNS", "120")
            .current_dir(dir.path())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    // The README's first step (`cargo run --release -- demo`), with the built binary.
    let demo = sh("casebook demo");
    assert!(demo.status.success(), "casebook demo: {demo:?}");
    let readme = readme();
    let script = block_after(&readme, MARK) + &block_after(&readme, AFTER_MARK);
    assert!(script.lines().count() >= 20, "{script}");
    let out = sh(&script);
    assert!(
        out.status.success(),
        "the README's tour stopped (the last `+` line failed):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("<html"), "report.html is the report");
    let backups = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .count();
    assert_eq!(backups, 1, "the backup the README made");
    let original = std::fs::read_to_string(dir.path().join("original.eml")).unwrap();
    assert!(original.contains("Third outage in two weeks"), "{original}");
}

#[test]
fn every_handle_the_readme_uses_is_in_the_sample_team() {
    let people = std::fs::read_to_string(Env::sample("people.csv")).unwrap();
    let handles: Vec<&str> = people
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    let readme = readme();
    let used = regex::Regex::new(r"--as ([a-z0-9_]+)").unwrap();
    let unknown: Vec<&str> = used
        .captures_iter(&readme)
        .map(|c| c.get(1).unwrap().as_str())
        .filter(|h| !handles.contains(h) && *h != "HANDLE")
        .collect();
    assert!(unknown.is_empty(), "not in samples/people.csv: {unknown:?}");
}
