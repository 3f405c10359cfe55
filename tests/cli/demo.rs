//! The README's first command: `casebook demo` builds a desk from the bundled samples.

use crate::common;

use common::Env;

#[test]
fn demo_runs_the_days_job_on_the_bundled_samples() {
    let env = Env::new();
    let out = env.ok(&["demo", "--dir", "demo"]);
    for want in [
        "imported 14 people",
        "imported 36 accounts",
        "10 created, 0 appended, 0 duplicate(s), 0 auto-generated, 0 quarantined",
        "pool: fewest open cases",
        "no account matched",
        "logged phone reached on #1",
        "Contoso Dental Group",
        "mail out to salvarez@northwind-voice.example: [Case #1]",
        "open cases by owner",
    ] {
        assert!(out.contains(want), "the demo lacks `{want}`:\n{out}");
    }
    // The acknowledgements went out through the file transport, one .eml each.
    let sent = std::fs::read_dir(env.path("demo/outbox")).unwrap().count();
    assert!(sent >= 8, "{sent} messages in the demo outbox");
    // Running it again starts from a fresh database.
    let again = env.ok(&["demo", "--dir", "demo"]);
    assert!(again.contains("10 created"), "{again}");
}
