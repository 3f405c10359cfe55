//! Ingest: inbound mail becomes cases (ARCHITECTURE.md, "The life of one message"). [`pipeline`]
//! decides what one message is; this module feeds it messages from stdin, an
//! mbox or a maildir inside transactions, and fetches attachments back out.

pub(crate) mod classify;
pub mod pipeline;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::error;
use crate::store::{quarantine, Store};
use pipeline::{Decision, Outcome, Pipeline};

/// How many messages a bulk import commits at once (each still all-or-nothing).
pub const BATCH: usize = 10_000;

/// The longest a bulk import holds the write lock between commits.
const MAX_HOLD: std::time::Duration = std::time::Duration::from_secs(1);

/// What a run did, message by message counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub messages: usize,
    pub created: usize,
    pub appended: usize,
    pub duplicates: usize,
    pub auto: usize,
    pub quarantined: usize,
}

impl Summary {
    pub fn count(&mut self, o: &Outcome) {
        self.messages += 1;
        match o {
            Outcome::Created { .. } => self.created += 1,
            Outcome::Appended { .. } => self.appended += 1,
            Outcome::Duplicate { .. } => self.duplicates += 1,
            Outcome::Quarantined { again: true, .. } => self.duplicates += 1,
            Outcome::Auto { .. } => self.auto += 1,
            Outcome::Quarantined { .. } => self.quarantined += 1,
        }
    }

    pub fn line(&self) -> String {
        format!(
            "{} message(s): {} created, {} appended, {} duplicate(s), {} auto-generated, {} quarantined",
            self.messages, self.created, self.appended, self.duplicates, self.auto, self.quarantined
        )
    }
}

/// Runs `msgs` through the pipeline, committing every `batch` messages
/// (or rolling everything back with `dry_run`). `each` sees every decision.
/// A temporary store error stops the run: what was committed stays, and a
/// re-run skips it as duplicates.
pub fn run_messages<I>(
    store: &Store,
    p: &Pipeline<'_>,
    msgs: I,
    batch: usize,
    dry_run: bool,
    mut each: impl FnMut(&Decision) -> Result<()>,
) -> Result<Summary>
where
    I: IntoIterator<Item = Vec<u8>>,
{
    let mut summary = Summary::default();
    let mut tx = store.begin()?;
    let mut in_batch = 0;
    let mut started = std::time::Instant::now();
    for raw in msgs {
        let d = pipeline::process(&tx, p, &raw, None)?;
        summary.count(&d.outcome);
        each(&d)?;
        in_batch += 1;
        // Commit every `batch` messages, and at least every second so that
        // procmail deliveries waiting for the lock are not held up long.
        if !dry_run && (in_batch >= batch.max(1) || started.elapsed() >= MAX_HOLD) {
            commit(tx, p)?;
            tx = store.begin()?;
            in_batch = 0;
            started = std::time::Instant::now();
        }
    }
    if dry_run {
        drop(tx);
    } else {
        commit(tx, p)?;
    }
    Ok(summary)
}

/// Commits one batch of messages; a search index that could not be updated
/// is a warning, not a lost delivery.
fn commit(tx: crate::store::WriteTx<'_>, p: &Pipeline<'_>) -> Result<()> {
    if let Some(warning) = tx.commit()? {
        p.announcer.warn(&format!("casebook: warning: {warning}"));
    }
    Ok(())
}

/// Re-runs the pipeline on a held message (after a config change, say).
pub fn retry_held(store: &Store, p: &Pipeline<'_>, id: i64, dry_run: bool) -> Result<Decision> {
    let conn = store.db();
    let held = quarantine::get(conn, id)?.ok_or_else(|| {
        error::user(format!(
            "no quarantined message `Q{id}`: see `casebook quarantine list`"
        ))
    })?;
    if held.status != crate::domain::states::QuarantineStatus::Held {
        return Err(error::user(format!(
            "`Q{id}` is {} already: only held messages can be retried",
            held.status
        )));
    }
    let raw = quarantine::raw(conn, id)?.unwrap_or_default();
    let tx = store.begin()?;
    let d = pipeline::process(&tx, p, &raw, Some(id))?;
    if dry_run {
        drop(tx);
    } else {
        commit(tx, p)?;
    }
    Ok(d)
}

/// The files of a maildir (its `cur/` and `new/` folders, and those of every
/// Maildir++ subfolder), in name order.
pub fn maildir_files(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, in_mail_folder: bool, out: &mut Vec<PathBuf>) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read the folder `{}`", dir.display()))?
            .collect::<std::io::Result<_>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            let ft = e.file_type()?;
            if ft.is_dir() {
                let name = e.file_name();
                let name = name.to_string_lossy();
                if name == "tmp" {
                    continue;
                }
                walk(&path, name == "cur" || name == "new", out)?;
            } else if in_mail_folder && ft.is_file() {
                out.push(path);
            }
        }
        Ok(())
    }
    if !dir.is_dir() {
        return Err(error::user(format!(
            "`{}` is not a maildir folder (one with cur/ and new/)",
            dir.display()
        )));
    }
    let mut out = Vec::new();
    walk(dir, false, &mut out)?;
    Ok(out)
}
