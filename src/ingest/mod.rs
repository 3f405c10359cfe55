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
use pipeline::{Decision, Outcome, Pipeline, Reading};

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
    each: impl FnMut(&Decision) -> Result<()>,
) -> Result<Summary>
where
    I: IntoIterator<Item = Vec<u8>>,
{
    let unread = msgs.into_iter().map(|raw| Message {
        raw,
        reading: None,
        back: None,
    });
    store_messages(store, p, unread, batch, dry_run, each)
}

/// One message of a run, and its reading when it was read ahead.
struct Message {
    raw: Vec<u8>,
    reading: Option<Reading>,
    /// Where a message read ahead goes when done with: back to the reading
    /// thread, to be freed there. glibc frees a block into the arena of the
    /// thread that allocated it, under that arena's lock, and contending
    /// for it with the reading thread cost the storing thread more than
    /// the reading saved.
    back: Option<std::sync::mpsc::Sender<(Vec<u8>, Option<Reading>)>>,
}

impl Message {
    /// Done with the reading (the raw bytes are kept to redo the batch).
    fn give_back_reading(&mut self) {
        if let (Some(back), Some(reading)) = (&self.back, self.reading.take()) {
            let _ = back.send((Vec::new(), Some(reading)));
        }
    }
}

impl Drop for Message {
    fn drop(&mut self) {
        if let Some(back) = &self.back {
            let _ = back.send((std::mem::take(&mut self.raw), self.reading.take()));
        }
    }
}

/// A bulk import's reading thread hands over this many messages at once
/// (each handover may wake the other thread: one per message cost the
/// storing thread a fifth of its time in the kernel), and may be up to
/// [`READ_AHEAD_CHUNKS`] such chunks ahead.
const READ_CHUNK: usize = 64;
const READ_AHEAD_CHUNKS: usize = 4;

/// [`run_messages`] for a bulk import on two cores: a second thread reads
/// each message (parses it, and works out a stranger's new case) while this
/// one stores those before it. If reading fails for good, what was stored
/// before stays committed, and the run is an error.
pub fn import<I>(
    store: &Store,
    p: &Pipeline<'_>,
    msgs: I,
    batch: usize,
    dry_run: bool,
    each: impl FnMut(&Decision) -> Result<()>,
) -> Result<Summary>
where
    I: IntoIterator<Item = Vec<u8>>,
    I::IntoIter: Send,
{
    let msgs = msgs.into_iter();
    let reader = &p.reader;

    std::thread::scope(|scope| {
        let (send, read) = std::sync::mpsc::sync_channel::<Vec<_>>(READ_AHEAD_CHUNKS);
        let (back, done_with) = std::sync::mpsc::channel();
        let reading = std::thread::Builder::new().name("reading".into());
        let reading = reading.spawn_scoped(scope, move || {
            let mut msgs = msgs.peekable();
            while msgs.peek().is_some() {
                // Freed here: see `Message::back`.
                while done_with.try_recv().is_ok() {}
                let chunk = (msgs.by_ref().take(READ_CHUNK))
                    .map(|raw| {
                        // A message whose reading panics is read again by
                        // the pipeline, which quarantines it.
                        let reading =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                reader.read(&raw)
                            }));
                        Message {
                            raw,
                            reading: reading.ok(),
                            back: Some(back.clone()),
                        }
                    })
                    .collect();
                if send.send(chunk).is_err() {
                    break; // storing stopped
                }
            }
        })?;
        let stored = store_messages(store, p, read.into_iter().flatten(), batch, dry_run, each);
        match (stored, reading.join()) {
            (Err(e), _) => Err(e),
            (Ok(summary), Ok(())) => Ok(summary),
            (Ok(summary), Err(_)) => Err(error::user(format!(
                "reading the messages failed after {}; they are stored, and a re-run skips them as duplicates",
                summary.line()
            ))),
        }
    })
}

/// The loop of both: the messages (each with its reading, when read
/// already) through the pipeline, committed in batches.
///
/// A batch is written without a savepoint per message (whose page copies
/// cost a bulk import a tenth of its time), trusting that messages
/// succeed: a panic or an error is rare, since what cannot be read is held
/// as a normal outcome. When one fails anyway, the batch so far is rolled
/// back and done again the careful way, each message in its own savepoint,
/// which quarantines the failing one. So the batch keeps its raw messages,
/// and says its decisions only once they are final.
fn store_messages(
    store: &Store,
    p: &Pipeline<'_>,
    msgs: impl IntoIterator<Item = Message>,
    batch: usize,
    dry_run: bool,
    mut each: impl FnMut(&Decision) -> Result<()>,
) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut tx = store.begin()?;
    // A dry run never commits: each message is guarded from the start.
    let mut pending = Pending::new(dry_run);
    for m in msgs {
        let (raw, reading) = (&m.raw, m.reading.as_ref());
        let d = if pending.guarded {
            pipeline::process_read(&tx, p, raw, reading, None)?
        } else if let Some(d) = pipeline::process_unguarded(&tx, p, raw, reading)? {
            d
        } else {
            drop(tx);
            tx = store.begin()?;
            pending.redo_guarded(&tx, p, &mut summary, &mut each)?;
            pipeline::process(&tx, p, raw, None)?
        };
        pending.add(m, d, &mut summary, &mut each)?;
        // Commit every `batch` messages, and at least every second so that
        // procmail deliveries waiting for the lock are not held up long.
        if !dry_run && pending.is_full(batch) {
            commit(tx, p)?;
            pending.committed(&mut summary, &mut each)?;
            tx = store.begin()?;
        }
    }
    if dry_run {
        drop(tx);
    } else {
        commit(tx, p)?;
        pending.committed(&mut summary, &mut each)?;
    }
    Ok(summary)
}

/// The most raw mail a batch holds before it commits (it keeps it in memory).
const MAX_BATCH_BYTES: usize = 32 << 20;

/// The messages of the batch being written, kept until it commits.
struct Pending {
    /// Whether each message runs in its own savepoint: its decision is
    /// final as soon as it is made, and is said then.
    guarded: bool,
    /// The unguarded messages and their decisions, to say on commit or to redo.
    kept: Vec<Message>,
    decisions: Vec<Decision>,
    messages: usize,
    bytes: usize,
    started: std::time::Instant,
}

impl Pending {
    fn new(guarded: bool) -> Pending {
        Pending {
            guarded,
            kept: Vec::new(),
            decisions: Vec::new(),
            messages: 0,
            bytes: 0,
            started: std::time::Instant::now(),
        }
    }

    fn add(
        &mut self,
        mut m: Message,
        d: Decision,
        summary: &mut Summary,
        each: &mut impl FnMut(&Decision) -> Result<()>,
    ) -> Result<()> {
        self.messages += 1;
        self.bytes += m.raw.len();
        if self.guarded {
            summary.count(&d.outcome);
            each(&d)
        } else {
            m.give_back_reading();
            self.kept.push(m);
            self.decisions.push(d);
            Ok(())
        }
    }

    fn is_full(&self, batch: usize) -> bool {
        self.messages >= batch.max(1)
            || self.bytes >= MAX_BATCH_BYTES
            || self.started.elapsed() >= MAX_HOLD
    }

    /// The batch so far again, in `tx` (the first try was rolled back),
    /// each message in a savepoint, as is the rest of the batch.
    fn redo_guarded(
        &mut self,
        tx: &crate::store::Db,
        p: &Pipeline<'_>,
        summary: &mut Summary,
        each: &mut impl FnMut(&Decision) -> Result<()>,
    ) -> Result<()> {
        self.guarded = true;
        self.decisions.clear();
        for m in std::mem::take(&mut self.kept) {
            let d = pipeline::process(tx, p, &m.raw, None)?;
            summary.count(&d.outcome);
            each(&d)?;
        }
        Ok(())
    }

    /// The batch is committed: its kept decisions are said, and the next
    /// batch starts unguarded.
    fn committed(
        &mut self,
        summary: &mut Summary,
        each: &mut impl FnMut(&Decision) -> Result<()>,
    ) -> Result<()> {
        let decisions = std::mem::take(&mut self.decisions);
        *self = Pending::new(false);
        for d in &decisions {
            summary.count(&d.outcome);
            each(d)?;
        }
        Ok(())
    }
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
