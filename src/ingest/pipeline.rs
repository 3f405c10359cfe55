//! One inbound message → a decision: the steps of ARCHITECTURE.md "The life of one message", each a
//! plain function that records what it decided and why (`--explain`).
//!
//! [`Reader::read`] works out what the bytes alone tell (size, parse,
//! automatic-mail signals; in a bulk import also a stranger's new case),
//! needs no store and runs on a bulk import's reading thread. [`decide`]
//! runs inside the caller's transaction and does all the writing;
//! [`process`] wraps it in a savepoint and turns a panic or a non-temporary
//! error into a quarantined message; [`process_unguarded`] leaves the
//! rollback of a failure to the caller (a bulk import's batch).

use crate::domain::case::CaseNumber;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::store::Db;
use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::{Config, TrustVerify};
use crate::desk::vocabulary::{known_category, known_type, type_choices};
use crate::desk::{Announcer, Desk, Settings};
use crate::domain::case::{NewCase, Priority};
use crate::domain::category;
use crate::domain::person::Person;
use crate::mail::parse::{self, Inbound, ParseError};
use crate::mail::{autoreply, forward, quoted, thread, trust};
use crate::store::messages::{self, NewMessage, ThreadTarget};
use crate::store::{accounts, activity, cases, people, quarantine};

use super::classify::Classifier;

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// A new case; `follows` is the closed case it follows up.
    Created {
        case: CaseNumber,
        follows: Option<CaseNumber>,
    },
    /// Appended to an open case, or to a closed one that it reopened.
    Appended { case: CaseNumber, reopened: bool },
    /// Stored before: nothing new.
    Duplicate { case: Option<CaseNumber> },
    /// Auto-generated mail, kept (on the case it threads to, if any).
    Auto {
        case: Option<CaseNumber>,
        reason: String,
    },
    /// Held in quarantine; `again` when the same bytes were already held.
    Quarantined {
        id: i64,
        reason: String,
        again: bool,
    },
}

impl Outcome {
    /// The line ingest prints.
    pub fn line(&self) -> String {
        match self {
            Outcome::Created {
                case,
                follows: Some(old),
            } => format!("created #{case} (follows up closed #{old})"),
            Outcome::Created { case, .. } => format!("created #{case}"),
            Outcome::Appended {
                case,
                reopened: true,
            } => format!("appended to #{case} (reopened)"),
            Outcome::Appended { case, .. } => format!("appended to #{case}"),
            Outcome::Duplicate { case: Some(n) } => format!("duplicate of #{n}"),
            Outcome::Duplicate { case: None } => {
                "duplicate of a message kept without a case".into()
            }
            Outcome::Auto { case: Some(n), .. } => format!("kept auto-reply on #{n}"),
            Outcome::Auto { case: None, .. } => "kept auto-reply (no case)".into(),
            Outcome::Quarantined { id, reason, .. } => format!("quarantined Q{id}: {reason}"),
        }
    }
}

/// One decision and the steps that led to it, for `--explain`.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    #[serde(flatten)]
    pub outcome: Outcome,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub step: &'static str,
    pub decision: String,
}

#[derive(Default)]
struct Explain(Vec<Step>);

impl Explain {
    fn say(&mut self, step: &'static str, decision: impl Into<String>) {
        self.0.push(Step {
            step,
            decision: decision.into(),
        });
    }

    fn done(self, outcome: Outcome) -> Decision {
        Decision {
            outcome,
            steps: self.0,
        }
    }
}

/// Everything a run needs, prepared once.
pub struct Pipeline<'a> {
    pub settings: &'a Settings,
    pub announcer: &'a Announcer,
    /// What reads a message without the store (shared with a bulk import's reading thread).
    pub reader: Reader<'a>,
    /// Whether `--explain` is on: some explanations cost extra lookups.
    pub explain: bool,

    /// Staff by lowercased address, each looked up once (people do not
    /// change during a run); `None` is an address of nobody on the staff.
    people: std::cell::RefCell<std::collections::HashMap<String, Option<Person>>>,
}

impl<'a> Pipeline<'a> {
    /// The pipeline of one delivery.
    pub fn new(settings: &'a Settings, announcer: &'a Announcer) -> Pipeline<'a> {
        Pipeline {
            settings,
            announcer,
            reader: Reader {
                desk: &settings.config.desk,
                classifier: Classifier::new(&settings.config.rules.0),
                // mail::thread's tag pattern, prepared once per run.
                tag: thread::Tag::new(&settings.config.desk.tag_prefix),
                ahead: false,
            },
            explain: false,
            people: Default::default(),
        }
    }

    /// The pipeline of a bulk import: what it prepares is built for many
    /// messages, and its reader works out all a stranger's new case needs.
    pub fn for_a_batch(settings: &'a Settings, announcer: &'a Announcer) -> Pipeline<'a> {
        let p = Pipeline::new(settings, announcer);
        Pipeline {
            reader: Reader {
                classifier: p.reader.classifier.for_a_batch(),
                ahead: true,
                ..p.reader
            },
            ..p
        }
    }

    /// The member of staff with this address, if any.
    fn person(&self, conn: &Db, email: &str) -> Result<Option<Person>> {
        if email.is_empty() {
            return Ok(None);
        }
        let key = email.to_lowercase();
        if let Some(known) = self.people.borrow().get(&key) {
            return Ok(known.clone());
        }
        let found = people::by_email(conn, email)?;
        self.people.borrow_mut().insert(key, found.clone());
        Ok(found)
    }

    /// The case number in our subject tag.
    fn case_tag(&self, subject: &str) -> Option<CaseNumber> {
        thread::tagged_case(&self.reader.tag, subject)
    }

    fn config(&self) -> &Config {
        &self.settings.config
    }

    /// The desk on the message's transaction.
    fn desk<'d>(&'d self, db: &'d Db) -> Desk<'d> {
        Desk::new(db, self.settings, self.announcer)
    }

    fn now(&self) -> DateTime<Utc> {
        self.settings.now
    }
}

/// The part of the pipeline that needs no store: what a message's bytes
/// alone tell. It holds nothing that changes during a run, so a bulk
/// import's reading thread shares it.
pub struct Reader<'a> {
    desk: &'a crate::config::DeskConfig,
    classifier: Classifier<'a>,
    /// Our `[Case #N]` tag: threads a reply, and is removed from the subject of a new case.
    tag: thread::Tag,
    /// Whether [`Reader::read`] also works out a stranger's new case (a bulk
    /// import, where it is done on the reading thread; one delivery leaves
    /// it until it knows it needs it).
    ahead: bool,
}

/// What a message's bytes alone tell, worked out before the store is read.
pub struct Reading(Content);

enum Content {
    /// Not to be read: held with this reason, said at this step.
    Held { step: &'static str, reason: String },
    Mail {
        inbound: Box<Inbound>,
        auto: Option<String>,
        /// The text and category of the new case if the sender is a stranger.
        as_stranger: Option<StrangerCase>,
    },
}

/// A stranger's mail as a new case: its From is the contact, its own text
/// (without the quoted history) the description.
struct StrangerCase {
    subject: String,
    split: quoted::Split,
    classified: super::classify::Classified,
}

impl Reader<'_> {
    /// Size, parse, and automatic-mail signals (with a stranger's new case
    /// when reading ahead).
    pub fn read(&self, raw: &[u8]) -> Reading {
        let desk = self.desk;
        if raw.len() > desk.max_message_bytes {
            let reason = format!(
                "over the size limit ({} bytes > desk.max_message_bytes {})",
                raw.len(),
                desk.max_message_bytes
            );
            return Reading(Content::Held {
                step: "size",
                reason,
            });
        }
        let inbound = match parse::parse(raw) {
            Ok(m) => m,
            Err(e) => {
                let reason = match e {
                    ParseError::Empty => "the message is empty".to_string(),
                    ParseError::NoHeaders => {
                        "no usable headers (From, Subject, Message-ID, Date)".into()
                    }
                    ParseError::Panic(m) => format!("the mail parser panicked: {m}"),
                    ParseError::TooComplex(why) => why,
                };
                return Reading(Content::Held {
                    step: "parse",
                    reason,
                });
            }
        };
        let auto = autoreply::auto_generated(&inbound, &desk.ingest_address);
        // Mail that never opens a case needs no new case's text.
        let as_stranger = (self.ahead && auto.is_none()).then(|| self.as_stranger(&inbound));
        Reading(Content::Mail {
            inbound: Box::new(inbound),
            auto,
            as_stranger,
        })
    }

    fn as_stranger(&self, m: &Inbound) -> StrangerCase {
        let split = quoted::split(&m.body_text, &m.subject);
        let subject = self.case_subject(&m.subject);
        let classified = self.classifier.classify(&subject, &split.own);
        StrangerCase {
            subject,
            split,
            classified,
        }
    }

    /// A new case's subject: without our old tags (a follow-up of a closed
    /// case links it instead), `Re:`/`Fwd:` prefixes or doubled spaces.
    fn case_subject(&self, subject: &str) -> String {
        let subject = self.tag.replace_all(subject, |_| " ".into());
        let stripped = forward::strip_subject_prefixes(&subject);
        let stripped = stripped.split_whitespace().collect::<Vec<_>>().join(" ");
        if stripped.is_empty() {
            "(no subject)".into()
        } else {
            stripped
        }
    }
}

/// Runs one message in a savepoint of `tx`: all of it is kept or none. A
/// panic or an error that a retry cannot fix quarantines the message in a
/// fresh savepoint; temporary store errors (locked, full) are returned.
/// `retry` is the quarantine number when re-running a held message.
pub fn process(tx: &Db, p: &Pipeline<'_>, raw: &[u8], retry: Option<i64>) -> Result<Decision> {
    process_with(tx, p, raw, retry, decide)
}

/// [`process`] with the message read already (by a bulk import's reading
/// thread; `None` when reading it panicked there, so that it is read again
/// here, where a panic quarantines it).
pub fn process_read(
    tx: &Db,
    p: &Pipeline<'_>,
    raw: &[u8],
    reading: Option<&Reading>,
    retry: Option<i64>,
) -> Result<Decision> {
    process_with(tx, p, raw, retry, |conn, p, raw, retry| {
        decide_read(conn, p, raw, reading, retry)
    })
}

/// [`process_read`] without a savepoint, for a batch that is rolled back
/// whole when a message fails: `None` when this one did (a panic, or an
/// error a retry cannot fix), with its writes left for that rollback.
pub fn process_unguarded(
    tx: &Db,
    p: &Pipeline<'_>,
    raw: &[u8],
    reading: Option<&Reading>,
) -> Result<Option<Decision>> {
    let decided = catch_unwind(AssertUnwindSafe(|| decide_read(tx, p, raw, reading, None)));
    match decided {
        Ok(Ok(d)) => Ok(Some(d)),
        Ok(Err(e)) if crate::error::is_temporary(&e) => Err(e),
        Ok(Err(_)) | Err(_) => Ok(None),
    }
}

fn process_with(
    tx: &Db,
    p: &Pipeline<'_>,
    raw: &[u8],
    retry: Option<i64>,
    decide: impl FnOnce(&Db, &Pipeline<'_>, &[u8], Option<i64>) -> Result<Decision>,
) -> Result<Decision> {
    let failure = {
        let sp = tx.savepoint()?;
        let result = catch_unwind(AssertUnwindSafe(|| decide(tx, p, raw, retry)));
        match result {
            Ok(Ok(d)) => {
                sp.commit()?;
                return Ok(d);
            }
            Ok(Err(e)) if crate::error::is_temporary(&e) => return Err(e),
            Ok(Err(e)) => format!("error while classifying: {e:#}"),
            Err(panic) => format!("panic while classifying: {}", panic_text(panic)),
        }
        // Dropping the savepoint rolls back whatever the message had written.
    };
    let sp = tx.savepoint()?;
    let mut ex = Explain::default();
    ex.say("failure", failure.clone());
    let d = hold(tx, p, &mut ex, raw, &failure, retry)?;
    sp.commit()?;
    Ok(ex.done(d))
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}

/// Quarantines `raw` (or updates the held row on a retry); a re-delivery of
/// bytes already held is not stored twice.
fn hold(
    conn: &Db,
    p: &Pipeline<'_>,
    ex: &mut Explain,
    raw: &[u8],
    reason: &str,
    retry: Option<i64>,
) -> Result<Outcome> {
    if let Some(id) = retry {
        quarantine::set_reason(conn, id, reason)?;
        ex.say("quarantine", format!("still held as Q{id}"));
        return Ok(Outcome::Quarantined {
            id,
            reason: reason.into(),
            again: true,
        });
    }
    if let Some(h) = quarantine::find_identical(conn, raw)? {
        ex.say(
            "quarantine",
            format!("the same bytes are already held as Q{}", h.id),
        );
        return Ok(Outcome::Quarantined {
            id: h.id,
            reason: h.reason,
            again: true,
        });
    }
    let id = quarantine::insert(conn, reason, raw, p.now())?;
    ex.say("quarantine", format!("held as Q{id}"));
    Ok(Outcome::Quarantined {
        id,
        reason: reason.into(),
        again: false,
    })
}

/// The steps of ingest (ARCHITECTURE.md, "The life of one message") for one message, writing into `conn`.
pub fn decide(conn: &Db, p: &Pipeline<'_>, raw: &[u8], retry: Option<i64>) -> Result<Decision> {
    decide_read(conn, p, raw, None, retry)
}

/// [`decide`] for a message read already (`None`: read it here).
fn decide_read(
    conn: &Db,
    p: &Pipeline<'_>,
    raw: &[u8],
    reading: Option<&Reading>,
    retry: Option<i64>,
) -> Result<Decision> {
    let read_here;
    let reading = match reading {
        Some(reading) => reading,
        None => {
            read_here = p.reader.read(raw);
            &read_here
        }
    };
    let mut ex = Explain::default();
    let cfg = p.config();
    let now = p.now();
    if cfg.trust.verify == TrustVerify::None {
        ex.say("trust", trust::UNSAFE_OPT_OUT);
    }

    // Size and parse: what cannot be read is held, never dropped.
    let (inbound, auto, as_stranger) = match &reading.0 {
        Content::Held { step, reason } => {
            ex.say(step, reason.clone());
            let o = hold(conn, p, &mut ex, raw, reason, retry)?;
            return Ok(ex.done(o));
        }
        Content::Mail {
            inbound,
            auto,
            as_stranger,
        } => (inbound.as_ref(), auto.clone(), as_stranger.as_ref()),
    };
    let sender = inbound
        .from
        .as_ref()
        .map(|a| a.email.as_str())
        .unwrap_or("");
    ex.say(
        "message",
        format!(
            "{} from `{}`, {} bytes, subject {:?}",
            inbound
                .message_id
                .as_deref()
                .map(|m| format!("<{m}>"))
                .unwrap_or_else(|| "no Message-ID".into()),
            if sender.is_empty() {
                "(nobody)"
            } else {
                sender
            },
            raw.len(),
            inbound.subject
        ),
    );
    for repair in &inbound.repairs {
        ex.say("repaired", repair.clone());
    }

    // Duplicate (Message-ID scoped to the sender; bytes when there is no id).
    if let Some(d) = duplicate(conn, inbound, sender, raw, &mut ex)? {
        if let Some(q) = retry {
            quarantine::release(conn, q, d.case_id, now)?;
        }
        return Ok(ex.done(Outcome::Duplicate { case: d.case_id }));
    }

    match &auto {
        Some(r) => ex.say("auto-generated", format!("yes: {r}")),
        None => ex.say("auto-generated", "no: no automatic-mail signal"),
    }

    let target = find_thread(conn, p, inbound, &mut ex)?;
    let person = verified_person(p.person(conn, sender)?, inbound, sender, cfg, &mut ex);

    // The raw bytes are kept in the same transaction as what they cause, on
    // the case they end up on.
    let kept = |ex: &mut Explain, case: Option<CaseNumber>| -> Result<()> {
        keep(conn, inbound, sender, raw, auto.as_deref(), now, case)?;
        ex.say(
            "kept",
            format!(
                "raw message stored ({} attachment(s) listed)",
                inbound.attachments.len()
            ),
        );
        // A copy held in quarantine earlier (before a config change, say) is resolved now.
        if retry.is_none() {
            if let Some(h) = quarantine::find_identical(conn, raw)? {
                quarantine::release(conn, h.id, case, now)?;
                ex.say(
                    "quarantine",
                    format!("the copy held as Q{} is released", h.id),
                );
            }
        }
        Ok(())
    };

    if let Some(reason) = auto.clone() {
        let case = target.as_ref().map(|t| t.number);
        kept(&mut ex, case)?;
        if let Some(n) = case {
            cases::add_event(conn, n, now, None, "auto-reply", None, Some(&reason))?;
        }
        ex.say(
            "outcome",
            "auto-generated mail never opens a case or gets a reply",
        );
        if let Some(q) = retry {
            quarantine::release(conn, q, case, now)?;
        }
        return Ok(ex.done(Outcome::Auto { case, reason }));
    }

    let mut follows = None;
    if let Some(t) = target {
        // Staff mail, or a staff forward of the contact's mail, counts as the
        // customer's only when the original comes from outside.
        // Mail from the team a case is handed off to is the team's reply, never the customer's.
        let team_mail = match cases::get(conn, t.number)? {
            Some(c) => crate::desk::handoff::is_team_mail(&p.desk(conn), &c, sender)?,
            None => false,
        };
        let customer = !team_mail
            && (person.is_none()
                || (inbound.forwarded.as_ref())
                    .and_then(|f| f.from.as_ref())
                    .is_some_and(|f| t.contact_email.as_deref() == Some(f.email.as_str())));
        let window = cfg.desk.reopen_window_days;
        if t.status.is_closed() && customer && beyond_reopen_window(t.closed_at, now, window) {
            ex.say(
                "closed case",
                format!(
                    "#{} closed {} day(s) ago, beyond desk.reopen_window_days = {window}: a new case links it",
                    t.number,
                    now.signed_duration_since(t.closed_at.unwrap_or(now)).num_days()
                ),
            );
            follows = Some(t.number);
        } else {
            // The message is stored before the case reacts to it.
            kept(&mut ex, Some(t.number))?;
            let team = team_mail.then_some(sender);
            let o = thread_into(conn, p, &t, customer, team, person.as_ref(), &mut ex)?;
            if let Some(q) = retry {
                quarantine::release(conn, q, Some(t.number), now)?;
            }
            return Ok(ex.done(o));
        }
    }

    let case = create_case(
        conn,
        p,
        inbound,
        person.as_ref(),
        as_stranger,
        follows,
        &mut ex,
        &kept,
    )?;
    if let Some(q) = retry {
        quarantine::release(conn, q, Some(case), now)?;
    }
    Ok(ex.done(Outcome::Created { case, follows }))
}

/// The member of staff the mail may act as: `claimed` (the person with the
/// From address) only when the desk's MTA vouches for it (`mail::trust`);
/// otherwise nobody, and the mail is a stranger's.
fn verified_person(
    claimed: Option<Person>,
    m: &Inbound,
    sender: &str,
    cfg: &Config,
    ex: &mut Explain,
) -> Option<Person> {
    let Some(who) = claimed else {
        ex.say("trust", "not a staff address: a stranger's mail");
        return None;
    };
    let verdict = trust::verify(&m.headers, sender, cfg.trust.policy());
    let handle = &who.handle;
    match &verdict {
        trust::Verdict::Verified(why) => ex.say("trust", format!("staff `{handle}`, verified: {why}")),
        trust::Verdict::Believed(why) => ex.say("trust", format!("staff `{handle}`, {why}")),
        trust::Verdict::Unverified(why) => ex.say(
            "trust",
            format!("`{sender}` is staff `{handle}`'s address but unverified ({why}): a stranger's mail, which may open a case for its From and nothing more"),
        ),
    }
    verdict.is_staff().then_some(who)
}

fn duplicate(
    conn: &Db,
    m: &Inbound,
    sender: &str,
    raw: &[u8],
    ex: &mut Explain,
) -> Result<Option<messages::Stored>> {
    let found = match &m.message_id {
        Some(id) => messages::find_duplicate(conn, id, sender)?,
        None => messages::find_identical(conn, raw)?,
    };
    let case = |s: &messages::Stored| {
        s.case_id
            .map(|c| format!("#{c}"))
            .unwrap_or_else(|| "no case".into())
    };
    match (&m.message_id, &found) {
        (Some(id), Some(s)) => ex.say(
            "duplicate",
            format!(
                "yes: <{id}> from `{sender}` is stored already ({})",
                case(s)
            ),
        ),
        (Some(id), None) => ex.say("duplicate", format!("no: <{id}> from `{sender}` is new")),
        (None, Some(s)) => ex.say(
            "duplicate",
            format!(
                "yes: no Message-ID, and the same bytes are stored ({})",
                case(s)
            ),
        ),
        (None, None) => ex.say("duplicate", "no: no Message-ID, and no identical message"),
    }
    Ok(found)
}

/// Stores the raw message on `case` and lists its attachments.
fn keep(
    conn: &Db,
    m: &Inbound,
    sender: &str,
    raw: &[u8],
    auto: Option<&str>,
    now: DateTime<Utc>,
    case: Option<CaseNumber>,
) -> Result<i64> {
    let id = messages::insert(
        conn,
        &NewMessage {
            case_id: case,
            direction: crate::domain::states::MessageDirection::In,
            message_id: m.message_id.as_deref(),
            sender,
            subject: &m.subject,
            sent_at: m.date,
            received_at: now,
            auto_reason: auto,
            raw,
        },
    )?;
    for a in &m.attachments {
        messages::add_attachment(conn, id, case, a.index, &a.name, &a.content_type, a.size)?;
    }
    Ok(id)
}

/// Threading, in order: subject tag, In-Reply-To/References against stored
/// message ids, our own `<case-N@domain>` references.
fn find_thread(
    conn: &Db,
    p: &Pipeline<'_>,
    m: &Inbound,
    ex: &mut Explain,
) -> Result<Option<ThreadTarget>> {
    let desk = &p.config().desk;
    if m.subject.contains('[') && m.subject.contains('#') {
        if let Some(n) = p.case_tag(&m.subject) {
            if let Some(t) = messages::thread_target(conn, n)? {
                ex.say(
                    "thread",
                    format!(
                        "by subject tag [{} #{n}] → #{n} ({})",
                        desk.tag_prefix, t.status
                    ),
                );
                return Ok(Some(t));
            }
            ex.say(
                "thread",
                format!("the subject tag names #{n}, which does not exist: ignored"),
            );
        }
    }
    let mut ids: Vec<String> = m.in_reply_to.clone();
    ids.extend(m.references.iter().rev().cloned());
    if !ids.is_empty() {
        if let Some((n, id)) = messages::case_of_message_ids(conn, &ids)? {
            if let Some(t) = messages::thread_target(conn, n)? {
                ex.say(
                    "thread",
                    format!(
                        "by In-Reply-To/References: <{id}> is a stored message of #{n} ({})",
                        t.status
                    ),
                );
                return Ok(Some(t));
            }
        }
        if ids
            .iter()
            .any(|i| i.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("case-")))
        {
            if let Some(n) = thread::case_reference(&ids, &desk.domain) {
                if let Some(t) = messages::thread_target(conn, n)? {
                    ex.say(
                        "thread",
                        format!(
                            "by our reference <case-{n}@{}> → #{n} ({})",
                            desk.domain, t.status
                        ),
                    );
                    return Ok(Some(t));
                }
            }
        }
        ex.say(
            "thread",
            format!(
                "none: no tag, and none of {} referenced id(s) is known",
                ids.len()
            ),
        );
    } else {
        ex.say("thread", "none: no case tag, no In-Reply-To or References");
    }
    Ok(None)
}

/// Whether a customer reply to a closed case comes too late to reopen it
/// (desk.reopen_window_days after it closed): a new case then links it.
pub fn beyond_reopen_window(
    closed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    window_days: u32,
) -> bool {
    let closed = closed_at.unwrap_or(now);
    now.signed_duration_since(closed) > chrono::Duration::days(i64::from(window_days))
}

/// Appends a (stored) message to a threaded case: a customer reply reopens a
/// closed case (within the window: the caller checked) or wakes a waiting one.
fn thread_into(
    conn: &Db,
    p: &Pipeline<'_>,
    t: &ThreadTarget,
    customer: bool,
    team_sender: Option<&str>,
    person: Option<&Person>,
    ex: &mut Explain,
) -> Result<Outcome> {
    let now = p.now();
    let actor = person.map(|p| p.handle.as_str());
    let what = if customer {
        "customer reply"
    } else {
        "staff mail"
    };
    cases::add_event(conn, t.number, now, actor, "inbound mail", None, Some(what))?;
    let reopened = t.status.is_closed() && customer;
    if reopened {
        // customer_replied below reopens it: one change, so one message per reader.
        ex.say(
            "closed case",
            format!(
                "#{} closed {} day(s) ago, within desk.reopen_window_days = {}: reopened (In Progress)",
                t.number,
                now.signed_duration_since(t.closed_at.unwrap_or(now)).num_days(),
                p.config().desk.reopen_window_days
            ),
        );
    }
    if customer {
        crate::desk::change::customer_replied(&p.desk(conn), t.number, now)?;
        if !reopened {
            ex.say(
                "status",
                if t.status.waits_on_others() {
                    format!("customer reply: {} → Waiting for Support", t.status)
                } else {
                    format!("customer reply: stays {}", t.status)
                },
            );
        }
    } else if let Some(sender) = team_sender {
        let how = format!("mail from {sender}");
        crate::desk::handoff::record_reply(&p.desk(conn), t.number, actor, &how)?;
        ex.say(
            "handoff",
            format!("{how}: the handed-off team replied; stays {}", t.status),
        );
    } else {
        ex.say("status", format!("mail from staff: stays {}", t.status));
    }
    crate::desk::due::refresh(&p.desk(conn), t.number)?;
    Ok(Outcome::Appended {
        case: t.number,
        reopened,
    })
}

/// The fields of a new case, before it is stored.
struct Fields {
    case: NewCase,
    /// The forwarder's note (without its commands) and any ignored commands.
    comment: Option<String>,
    mentions: Vec<String>,
    forwarder_email: Option<String>,
    original_date: Option<DateTime<Utc>>,
}

#[allow(clippy::too_many_arguments)]
fn create_case(
    conn: &Db,
    p: &Pipeline<'_>,
    m: &Inbound,
    person: Option<&Person>,
    as_stranger: Option<&StrangerCase>,
    follows: Option<CaseNumber>,
    ex: &mut Explain,
    kept: &dyn Fn(&mut Explain, Option<CaseNumber>) -> Result<()>,
) -> Result<CaseNumber> {
    let now = p.now();
    let mut f = case_fields(conn, p, m, person, as_stranger, ex)?;
    f.case.linked_case = follows;
    // Nothing below moves the SLA (notes and the acknowledgement are not contact).
    let due = crate::desk::due::for_new(&p.desk(conn), &f.case)?;
    f.case.first_contact_due = due.first_contact_due;
    f.case.next_due = due.next_due;
    let n = cases::insert(conn, &f.case)?;
    // Stored on the case before anything reads the case's mail (the acknowledgement does).
    kept(ex, Some(n))?;
    let actor = f.case.creator.as_deref();
    if let Some(d) = f.original_date {
        cases::add_event(
            conn,
            n,
            now,
            actor,
            "original date",
            None,
            Some(&d.to_rfc3339()),
        )?;
    }
    if let Some(old) = follows {
        cases::add_event(
            conn,
            n,
            now,
            None,
            "linked case",
            None,
            Some(&format!("#{old}")),
        )?;
        cases::add_event(
            conn,
            old,
            now,
            None,
            "follow-up case",
            None,
            Some(&format!("#{n}")),
        )?;
    }
    if let Some(body) = &f.comment {
        activity::add_comment(
            conn,
            n,
            &activity::Comment {
                id: 0,
                at: now,
                author: f.case.creator.clone(),
                kind: crate::domain::states::CommentKind::Comment,
                public: false,
                body: body.clone(),
                mentions: f.mentions.clone(),
            },
        )?;
    }
    if let Some(email) = &f.forwarder_email {
        if let Some(case) = cases::get(conn, n)? {
            if p.config().mail.acknowledge {
                crate::desk::notify::acknowledge(&p.desk(conn), &case, email)?;
                ex.say(
                    "acknowledge",
                    format!(
                        "queued to `{email}` with the [{} #{n}] tag",
                        p.config().desk.tag_prefix
                    ),
                );
            }
            if !f.mentions.is_empty() {
                crate::desk::notify::case_changed(
                    &p.desk(conn),
                    &crate::desk::notify::Notice {
                        case: &case,
                        actor: f.case.creator.as_deref(),
                        change: "created from mail".into(),
                        also: f.mentions.clone(),
                        note: f.comment.clone(),
                        quiet: Vec::new(),
                    },
                )?;
                ex.say("mentions", format!("notify {}", f.mentions.join(", ")));
            }
        }
    }
    ex.say("outcome", format!("new case #{n}, status New"));
    Ok(n)
}

/// Contact, subject, description, creator, account, category and priority of
/// a new case, from the message (or the original inside a staff forward).
/// `as_stranger` is the case read ahead for a stranger's mail, if it was.
fn case_fields(
    conn: &Db,
    p: &Pipeline<'_>,
    m: &Inbound,
    person: Option<&Person>,
    as_stranger: Option<&StrangerCase>,
    ex: &mut Explain,
) -> Result<Fields> {
    let cfg = p.config();
    let mut case = NewCase::new("", p.now());
    case.origin = "email".into();
    let mut note: Option<String> = None;
    let mut commands: Vec<(String, String)> = Vec::new();
    let mut original_date = m.date;
    let mut classified = None;
    match (person, &m.forwarded) {
        (Some(who), Some(found)) => {
            // Unwrap one level, and a further one only while its sender is staff too.
            let (fwd, stopped) =
                found.through_staff(|email| p.person(conn, email).ok().flatten().is_some());
            let fwd = &fwd;
            ex.say(
                "forward",
                format!(
                    "{} forward{} from the known person `{}`: unwrapped level {} of {} (stopped: {stopped}); the original decides contact, subject, date and description",
                    fwd.format,
                    fwd.language.map(|l| format!(" in {l}")).unwrap_or_default(),
                    who.handle,
                    fwd.depth,
                    fwd.levels.len(),
                ),
            );
            ex.say("client", forward::clients_of(fwd.format));
            if fwd.found != forward::Found::FromLine {
                ex.say("sender", fwd.found.says());
            }
            // Never the forwarder: a sender named without an address is the
            // contact's name, and the case has no contact address.
            case.contact_name = fwd
                .from
                .as_ref()
                .and_then(|a| a.name.clone())
                .or_else(|| fwd.from_name.clone());
            case.contact_email = fwd.from.as_ref().map(|a| a.email.clone());
            case.subject = p
                .reader
                .case_subject(fwd.subject.as_deref().unwrap_or(&m.subject));
            let level_subject = fwd.subject.clone().unwrap_or_default();
            own_text(&mut case, quoted::split(&fwd.body, &level_subject), ex);
            // A time printed without a zone is the forwarder's local time: the desk's.
            original_date = fwd
                .date
                .map(|d| d.in_zone(p.settings.display_tz()))
                .or(m.date);
            case.creator = Some(who.handle.clone());
            let (c, rest) = forward::note_commands(&fwd.note);
            commands = c;
            note = Some(rest);
        }
        (Some(who), None) => {
            ex.say(
                "forward",
                format!(
                    "none: direct mail from the known person `{}`, who becomes the creator",
                    who.handle
                ),
            );
            case.subject = p.reader.case_subject(&m.subject);
            let (c, rest) = forward::note_commands(&m.body_text);
            commands = c;
            own_text(&mut case, quoted::split(&rest, &m.subject), ex);
            case.creator = Some(who.handle.clone());
        }
        (None, fwd) => {
            if let Some(f) = fwd {
                ex.say(
                    "forward",
                    format!("{} forward from a stranger: not unwrapped; From is the contact, note commands are ignored", f.format),
                );
            } else {
                ex.say(
                    "forward",
                    "none: the sender is the contact; the creator is the system",
                );
            }
            case.contact_name = m.from.as_ref().and_then(|a| a.name.clone());
            case.contact_email = m.from.as_ref().map(|a| a.email.clone());
            let read_here;
            let read = match as_stranger {
                Some(read) => read,
                None => {
                    read_here = p.reader.as_stranger(m);
                    &read_here
                }
            };
            case.subject = read.subject.clone();
            own_text(&mut case, read.split.clone(), ex);
            classified = Some(read.classified.clone());
        }
    }
    ex.say(
        "contact",
        match (&case.contact_name, &case.contact_email) {
            (Some(n), Some(e)) => format!("{n} <{e}>"),
            (None, Some(e)) => e.clone(),
            (Some(n), None) => format!("{n} (no address: flagged for triage)"),
            (None, None) => "none".into(),
        },
    );
    ex.say(
        "creator",
        case.creator
            .as_deref()
            .map(|c| format!("`{c}`"))
            .unwrap_or_else(|| "the system".into()),
    );

    // Note commands (staff only): a bad value is ignored and said so.
    let mut ignored: Vec<String> = Vec::new();
    let mut category_cmd: Option<String> = None;
    let mut priority_cmd: Option<Priority> = None;
    let mut account_cmd: Option<(i64, String)> = None;
    for (key, value) in &commands {
        let value = value.trim();
        match key.as_str() {
            "priority" => match value.parse::<Priority>() {
                Ok(pr) => priority_cmd = Some(pr),
                Err(e) => ignored.push(format!("`Priority: {value}`: {e}")),
            },
            "category" => match known_category(cfg, value) {
                Some(c) => category_cmd = Some(c),
                None => ignored.push(format!(
                    "`Category: {value}`: not a known category (the SOP's or a [[rules]] category)"
                )),
            },
            "account" => match accounts::get_by_name(conn, value)? {
                Some(a) => account_cmd = Some((a.id, a.name)),
                None => ignored.push(format!("`Account: {value}`: no such account")),
            },
            "type" => match known_type(cfg, value) {
                Some(t) => case.case_type = t,
                None => ignored.push(format!(
                    "`Type: {value}`: use one of {}",
                    type_choices(cfg).join(", ")
                )),
            },
            _ => {}
        }
    }
    if !commands.is_empty() {
        let used: Vec<String> = commands.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        ex.say("note commands", used.join("; "));
    }
    for i in &ignored {
        ex.say("ignored", i.clone());
    }

    // Account.
    if let Some((id, name)) = account_cmd {
        case.account_id = Some(id);
        ex.say("account", format!("{name} by the `Account:` note command"));
    } else if let Some(email) = &case.contact_email {
        match accounts::match_sender(conn, email)? {
            Some((id, how)) => {
                case.account_id = Some(id);
                let name = if p.explain {
                    accounts::get(conn, id)?.map(|a| a.name).unwrap_or_default()
                } else {
                    format!("account {id}")
                };
                ex.say("account", format!("{name} by {how} ({email})"));
            }
            None => ex.say(
                "account",
                format!("none: `{email}` matches no contact or domain; flagged for triage"),
            ),
        }
    } else {
        ex.say("account", "none: no contact address; flagged for triage");
    }

    // Category and priority.
    // A stranger's was classified with the rest of its case.
    let classified = classified
        .unwrap_or_else(|| (p.reader.classifier).classify(&case.subject, &case.description));
    match category_cmd {
        Some(c) => {
            ex.say("category", format!("{c} by the `Category:` note command"));
            case.priority = category::sop_priority(&c)
                .parse()
                .unwrap_or(Priority::Standard);
            case.category = c;
        }
        None => {
            ex.say(
                "category",
                format!("{} by {}", classified.category, classified.why),
            );
            case.category = classified.category.clone();
            case.priority = classified.priority.parse().unwrap_or(Priority::Standard);
            // A disconnect asked for sooner than 30 days from the mail is
            // short notice, whatever the contract (sop/000, priorities).
            if case.category.starts_with("Disconnect ") {
                let sent = original_date.unwrap_or(p.now());
                let sent = sent.with_timezone(&p.settings.display_tz()).date_naive();
                let text = format!("{}\n{}", case.subject, case.description);
                if let Some(days) = category::disconnect_notice_days(&text, sent)
                    .filter(|d| (0..category::DISCONNECT_NOTICE_DAYS).contains(d))
                {
                    case.category = "Disconnect with less than 30 days notice".into();
                    case.priority = Priority::Expedited;
                    ex.say(
                        "category",
                        format!(
                            "{}: the disconnect is asked for {days} days after the mail",
                            case.category
                        ),
                    );
                }
            }
        }
    }
    match priority_cmd {
        Some(pr) => {
            case.priority = pr;
            ex.say("priority", format!("{pr} by the `Priority:` note command"));
        }
        None => ex.say("priority", format!("{} from the category", case.priority)),
    }
    if case.case_type != "Account Management" {
        ex.say(
            "type",
            format!("{} by the `Type:` note command", case.case_type),
        );
    }
    if p.explain {
        ex.say("owner", owner_to_be(conn, case.account_id)?);
    }
    if let Some(d) = original_date {
        ex.say("date", format!("originally sent {}", d.to_rfc3339()));
    }

    // The note becomes an internal comment, with what was ignored.
    let mut comment = note.unwrap_or_default().trim().to_string();
    if !ignored.is_empty() {
        if !comment.is_empty() {
            comment.push_str("\n\n");
        }
        comment.push_str("casebook ignored these note commands:\n");
        for i in &ignored {
            comment.push_str(&format!("- {i}\n"));
        }
    }
    let mentions = if case.creator.is_some() {
        mentioned(conn, &comment)?
    } else {
        Vec::new()
    };
    let forwarder_email = person.map(|p| p.email.clone());
    Ok(Fields {
        case,
        comment: (!comment.trim().is_empty()).then(|| comment.trim_end().to_string()),
        mentions,
        forwarder_email,
        original_date,
    })
}

/// The case's description is the sender's own text; the quoted history
/// below it is kept apart (`mail::quoted`, shown collapsed, searched too).
/// A message the sender forwards stays in the description.
fn own_text(case: &mut NewCase, split: quoted::Split, ex: &mut Explain) {
    if let Some(why) = split.starts_with {
        ex.say(
            "quoted",
            format!(
                "{} lines of quoted history from {why} on, kept apart from the description",
                split.quoted.lines().count()
            ),
        );
    }
    case.description = split.own;
    case.quoted = split.quoted;
}

/// `@handle` mentions of known people in a note.
fn mentioned(conn: &Db, text: &str) -> Result<Vec<String>> {
    let mut known = Vec::new();
    for handle in crate::domain::rules::mentions(text) {
        if people::get(conn, &handle)?.is_some() {
            known.push(handle);
        }
    }
    Ok(known)
}

/// Who the new case will go to: the queue now, and what triage will do.
fn owner_to_be(conn: &Db, account: Option<i64>) -> Result<String> {
    let Some(a) = account
        .map(|id| accounts::get(conn, id))
        .transpose()?
        .flatten()
    else {
        return Ok("the queue; no account, so triage leaves it there and lists it".into());
    };
    Ok(if a.tier.needs_account_manager() {
        match &a.account_manager {
            Some(am) => format!(
                "the queue; triage gives it to `{am}`, the {} account's AM",
                a.tier
            ),
            None => format!(
                "the queue; the {} account has no AM, so triage lists it",
                a.tier
            ),
        }
    } else {
        format!("the queue; {} is below Silver, so triage gives it to the pool AM with the fewest open cases", a.tier)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::Ctx;

    fn n(x: i64) -> CaseNumber {
        CaseNumber::new(x).unwrap()
    }

    fn test_ctx(dir: &std::path::Path) -> Ctx {
        Ctx::new(
            Config::default(),
            dir.join("config.toml"),
            crate::store::Location::Sqlite(dir.join("casebook.db")),
            None,
            "2026-11-23T14:00:00Z".parse().unwrap(),
            crate::render::Format::Table,
            false,
        )
    }

    #[test]
    fn a_panic_while_classifying_quarantines_the_message_and_keeps_nothing_else() {
        fn writes_then_panics(
            conn: &Db,
            p: &Pipeline<'_>,
            raw: &[u8],
            _: Option<i64>,
        ) -> Result<Decision> {
            let m = parse::parse(raw).unwrap();
            keep(conn, &m, "a@b.example", raw, None, p.now(), None).unwrap();
            panic!("boom in the classifier");
        }
        let dir = tempfile::tempdir().unwrap();
        let ctx = test_ctx(dir.path());
        let store = ctx.create_store().unwrap();
        let p = Pipeline::new(&ctx.settings, &ctx.announcer);
        let raw = b"From: a@b.example\nSubject: hi\nMessage-ID: <p@x>\n\nbody\n";
        let tx = store.begin().unwrap();
        let d = process_with(&tx, &p, raw, None, writes_then_panics).unwrap();
        tx.commit().unwrap();
        match &d.outcome {
            Outcome::Quarantined { id, reason, again } => {
                assert_eq!(*id, 1);
                assert!(!again);
                assert!(reason.contains("panic while classifying: boom"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let conn = store.db();
        assert_eq!(messages::counts(conn).unwrap().inbound, 0, "rolled back");
        assert_eq!(quarantine::raw(conn, 1).unwrap().unwrap(), raw);
        // Retrying runs the real pipeline on the stored bytes.
        let d = crate::ingest::retry_held(store, &p, 1, false).unwrap();
        assert_eq!(
            d.outcome,
            Outcome::Created {
                case: n(1),
                follows: None
            }
        );
        assert_eq!(
            quarantine::get(conn, 1).unwrap().unwrap().status,
            crate::domain::states::QuarantineStatus::Released
        );
    }

    #[test]
    fn a_new_case_is_stored_with_the_due_times_a_refresh_gives() {
        let dir = tempfile::tempdir().unwrap();
        let mut ctx = test_ctx(dir.path());
        // Half a second past a time whose 4-hour SLA ends exactly at closing.
        ctx.settings.now = "2026-11-23T18:00:00.500Z".parse().unwrap();
        let store = ctx.create_store().unwrap();
        let p = Pipeline::new(&ctx.settings, &ctx.announcer);
        for (i, subject) in ["Quote for phones", "URGENT: cancel service now", "Hello"]
            .iter()
            .enumerate()
        {
            let raw = format!(
                "From: c@customer.example\nSubject: {subject}\nMessage-ID: <due-{i}@x>\n\nbody\n"
            );
            let tx = store.begin().unwrap();
            let d = process(&tx, &p, raw.as_bytes(), None).unwrap();
            tx.commit().unwrap();
            let Outcome::Created { case, .. } = d.outcome else {
                panic!("{:?}", d.outcome)
            };
            let stored = cases::get(store.db(), case).unwrap().unwrap();
            let want = crate::desk::due::compute(&ctx.desk(store.db()), &stored).unwrap();
            assert!(stored.next_due.is_some(), "{subject}");
            assert_eq!(
                (stored.first_contact_due, stored.next_due),
                (want.first_contact_due, want.next_due),
                "{subject}"
            );
        }
    }

    #[test]
    fn the_reopen_window_counts_calendar_days_since_closing() {
        let now: DateTime<Utc> = "2026-11-23T14:00:00Z".parse().unwrap();
        let days = |d: i64| Some(now - chrono::Duration::days(d));
        let table = [
            (days(0), 14, false),
            (days(13), 14, false),
            (days(14), 14, false),
            (
                Some(now - chrono::Duration::days(14) - chrono::Duration::seconds(1)),
                14,
                true,
            ),
            (days(30), 14, true),
            (days(1), 0, true),
            (None, 0, false),
        ];
        for (closed, window, beyond) in table {
            assert_eq!(
                beyond_reopen_window(closed, now, window),
                beyond,
                "{closed:?} {window}"
            );
        }
    }

    #[test]
    fn decisions_serialise_with_their_outcome_and_steps() {
        let d = Decision {
            outcome: Outcome::Appended {
                case: n(4),
                reopened: false,
            },
            steps: vec![Step {
                step: "thread",
                decision: "by subject tag".into(),
            }],
        };
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["outcome"], "appended");
        assert_eq!(v["case"], 4);
        assert_eq!(v["steps"][0]["step"], "thread");
    }

    #[test]
    fn outcome_lines() {
        assert_eq!(
            Outcome::Created {
                case: n(3),
                follows: None
            }
            .line(),
            "created #3"
        );
        assert_eq!(
            Outcome::Appended {
                case: n(3),
                reopened: false
            }
            .line(),
            "appended to #3"
        );
        assert_eq!(
            Outcome::Duplicate { case: Some(n(3)) }.line(),
            "duplicate of #3"
        );
        assert_eq!(
            Outcome::Auto {
                case: None,
                reason: "x".into()
            }
            .line(),
            "kept auto-reply (no case)"
        );
        assert_eq!(
            Outcome::Quarantined {
                id: 7,
                reason: "no headers".into(),
                again: false
            }
            .line(),
            "quarantined Q7: no headers"
        );
    }
}
