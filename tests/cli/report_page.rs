// The HTML owner report in a real browser: headless Chromium renders it at
// 420 px (a phone's mail app) and 1280 px; the page must not scroll sideways,
// and a desk of 500 open cases must stay under the ~100 KB at which Gmail
// clips a mail. Screenshots are left in target/report-screenshots/ to look at.

use std::path::{Path, PathBuf};
use std::process::Command;

use casebook::domain::case::{NewCase, Priority};
use chrono::{Duration, Utc};

use crate::common::{self, Env};
use crate::snapshots::report_desk;

const CHROMIUM: &str = "/usr/bin/chromium";

/// The sample desk of the report snapshots plus `extra` open cases spread
/// over the team, some overdue, with `report.case_url` configured.
fn big_desk(extra: usize, per_owner: usize) -> Env {
    let env = report_desk();
    let config = std::fs::read_to_string(&env.config).unwrap().replace(
        "subject = \"Open cases by owner\"",
        "subject = \"Open cases by owner\"\ncase_url = \"https://cases.northwind-voice.example/c/{number}\"",
    );
    let config = config.replace(
        "html_cases_per_owner = 25",
        &format!("html_cases_per_owner = {per_owner}"),
    );
    assert!(
        config.contains("case_url")
            && config.contains(&format!("html_cases_per_owner = {per_owner}")),
        "samples/config.toml changed its [report] section"
    );
    env.write("config.toml", &config);
    let team = [
        "salvarez",
        "jbrennan",
        "pmorgan",
        "dnguyen",
        "kwhitfield",
        "rokafor",
        "tbecker",
        "zfontaine",
        "aprice",
        "bortiz",
        "gsantos",
        "hkim",
    ];
    let seed = env.seed();
    let now: chrono::DateTime<Utc> = common::NOW.parse().unwrap();
    for i in 0..extra {
        let mut c = NewCase::new(
            &format!(
                "Quote for {} additional handsets at the branch office, floor {}",
                i % 40,
                i % 7
            ),
            now - Duration::hours(3 + (i as i64 % 300)),
        );
        c.creator = Some(team[i % team.len()].into());
        c.priority = if i % 5 == 0 {
            Priority::Expedited
        } else {
            Priority::Standard
        };
        c.next_due = Some(now + Duration::hours(i as i64 % 48 - 20));
        let n = seed.case(&c);
        seed.owner(n, team[(i * 7) % team.len()]);
    }
    env
}

fn html_of(env: &Env) -> String {
    let out = env.run(&["report", "--format", "html"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::stdout_of(&out)
}

fn chromium(args: &[&str], page: &Path) -> std::process::Output {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is needed for this test (.ci/run installs it)"
    );
    let profile = tempfile::tempdir().unwrap();
    Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(page)
        .output()
        .unwrap()
}

/// A page that shows `html` in a frame `width` px wide (headless Chromium
/// will not make a window narrower than 500 px; a frame is laid out, media
/// queries included, at its own width) and, once loaded, writes the framed
/// page's `document.documentElement.scrollWidth` into the DOM.
fn framed(html: &str, width: u32, dir: &Path) -> PathBuf {
    let doc = html.replace('&', "&amp;").replace('"', "&quot;");
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\
         <iframe id=\"f\" style=\"border:0;width:{width}px;height:2400px;display:block\" srcdoc=\"{doc}\"></iframe>\
         <script>window.addEventListener('load', function () {{ var d = document.getElementById('f').contentDocument; \
         document.body.setAttribute('data-scroll-width', d.documentElement.scrollWidth); \
         document.body.setAttribute('data-inner-width', d.defaultView.innerWidth); }});</script></body></html>"
    );
    let file = dir.join(format!("framed-{width}.html"));
    std::fs::write(&file, page).unwrap();
    file
}

fn attribute(dom: &str, name: &str) -> u32 {
    let key = format!("{name}=\"");
    let at = dom
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in the DOM"));
    dom[at + key.len()..]
        .split('"')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap()
}

/// The framed page's scroll width at `width` px, as Chromium lays it out.
fn scroll_width(html: &str, width: u32, dir: &Path) -> u32 {
    let file = framed(html, width, dir);
    let window = width.max(500);
    let out = chromium(
        &[
            &format!("--window-size={window},2400"),
            "--virtual-time-budget=3000",
            "--dump-dom",
        ],
        &file,
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        attribute(&dom, "data-inner-width"),
        width,
        "the frame is not {width} px wide"
    );
    attribute(&dom, "data-scroll-width")
}

fn screenshot(html: &str, width: u32, dir: &Path, name: &str) -> PathBuf {
    let page = framed(html, width, dir);
    let shots = Env::root().join("target/report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let png = shots.join(name);
    let _ = std::fs::remove_file(&png);
    let out = chromium(
        &[
            &format!("--window-size={},2400", width.max(500)),
            "--virtual-time-budget=3000",
            &format!("--screenshot={}", png.display()),
        ],
        &page,
    );
    let bytes = std::fs::read(&png)
        .unwrap_or_else(|_| panic!("no screenshot: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
        "{}",
        png.display()
    );
    png
}

#[test]
fn the_html_report_fits_a_phone_and_a_desktop_in_chromium() {
    let env = big_desk(60, 4);
    let html = html_of(&env);
    let dir = tempfile::tempdir().unwrap();
    for width in [420, 1280] {
        let w = scroll_width(&html, width, dir.path());
        assert!(
            w <= width,
            "at {width} px the page is {w} px wide: it scrolls sideways"
        );
    }
    screenshot(&html, 420, dir.path(), "report-420.png");
    screenshot(&html, 1280, dir.path(), "report-1280.png");
    // Each case links to its page; each owner's section is capped.
    assert!(html.contains("<a href=\"https://cases.northwind-voice.example/c/1\">#1</a>"));
    assert!(
        html.contains(" more (the plain-text part lists every case)"),
        "no cap"
    );
}

#[test]
fn a_500_case_report_stays_under_100_kb() {
    let env = big_desk(500, 25);
    let html = html_of(&env);
    assert!(
        html.len() < 100_000,
        "the HTML report of 500 cases is {} bytes: Gmail clips mail above about 102 KB",
        html.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let w = scroll_width(&html, 420, dir.path());
    assert!(w <= 420, "at 420 px the 500-case page is {w} px wide");
    println!("500-case HTML report: {} bytes", html.len());
}
