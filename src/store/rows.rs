//! The data of the store's interface: the rows operations return, the rows
//! and filters they take, by table family. Every backend reads and writes
//! these; the family modules re-export them under their own names
//! (`store::cases::CaseFilter`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::case::{Case, CaseNumber, Priority, Status, Tier};
use crate::domain::states::{
    CommentKind, ContactMethod, ContactOutcome, MessageDirection, OutboxKind, OutboxStatus,
    QuarantineStatus,
};

// ---------------------------------------------------------------------------
// accounts

/// An account's two managers, without its domains and contacts (what an
/// escalation asks of an account).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccountManagers {
    pub account_manager: Option<String>,
    pub regional_manager: Option<String>,
}

// ---------------------------------------------------------------------------
// activity

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub author: Option<String>,
    pub kind: CommentKind,
    pub public: bool,
    pub body: String,
    pub mentions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ContactAttempt {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub method: ContactMethod,
    pub outcome: ContactOutcome,
    pub note: Option<String>,
}

// ---------------------------------------------------------------------------
// cases

/// Which cases a listing shows. Every filter is optional; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// `Some(None)` selects the queue (no owner).
    pub owner: Option<Option<String>>,
    pub creator: Option<String>,
    pub statuses: Vec<Status>,
    pub open_only: bool,
    pub priority: Option<Priority>,
    pub account: Option<String>,
    pub tier: Option<Tier>,
    pub opened_since: Option<DateTime<Utc>>,
    pub opened_before: Option<DateTime<Utc>>,
    /// Only cases whose next due time is before this instant.
    pub due_before: Option<DateTime<Utc>>,
    /// Only cases created by a member of staff (not by the system).
    pub staff_created: bool,
    /// Only cases whose subject, description or a comment holds every word (prefixes match).
    pub text: Option<String>,
    pub limit: Option<usize>,
    /// Skip this many cases of the order first (paging; with `limit`).
    pub offset: Option<usize>,
    pub order: CaseOrder,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseOrder {
    #[default]
    Number,
    NextDue,
    OwnerThenDue,
    /// The highest case number (the most recently opened) first: search's
    /// rank, which the search index gives in order, so a page costs its size.
    NewestFirst,
}

/// One line of a case's history.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A column of `cases` the workflow may change. The column names are fixed here, so
/// no caller text ever reaches the SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Subject,
    AccountId,
    ContactName,
    ContactEmail,
    Category,
    CaseType,
    Status,
    PriorStatus,
    Priority,
    Owner,
    Am,
    Rm,
    SupportRep,
    Team,
    HoldUntil,
    HoldReason,
    UpdatedAt,
    StatusChangedAt,
    ClosedAt,
    AssignedAt,
    FirstContactAt,
    LastContactAt,
    LastInboundAt,
    EscalatedAt,
    HandoffAt,
}

/// A new value for a column: text, a time, a row id, or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(Option<String>),
    Time(Option<DateTime<Utc>>),
    Id(Option<i64>),
}

// ---------------------------------------------------------------------------
// messages

/// One message to store.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub case_id: Option<CaseNumber>,
    pub direction: MessageDirection,
    /// Without angle brackets.
    pub message_id: Option<&'a str>,
    /// Lowercased address; empty when unknown.
    pub sender: &'a str,
    pub subject: &'a str,
    pub sent_at: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
    pub auto_reason: Option<&'a str>,
    pub raw: &'a [u8],
}

/// A message stored before: its row and the case it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub case_id: Option<CaseNumber>,
}

/// An attachment as listed on a case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseAttachment {
    /// 1-based position among the case's attachments.
    pub number: usize,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    #[serde(skip)]
    pub message: i64,
    #[serde(skip)]
    pub part_index: usize,
}

/// How many inbound messages are stored: all, auto-generated, with a case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub inbound: i64,
    pub auto: i64,
    pub with_case: i64,
}

/// What inbound mail needs to know about a case to thread into it.
#[derive(Debug, Clone)]
pub struct ThreadTarget {
    pub number: CaseNumber,
    pub status: Status,
    pub contact_email: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub owner: Option<String>,
}

/// A message of a case, without its raw bytes.
#[derive(Debug, Clone, Serialize)]
pub struct MessageMeta {
    pub direction: MessageDirection,
    pub message_id: Option<String>,
    pub sender: String,
    /// For outbound mail: who it went to (from the outbox).
    pub to: Option<String>,
    pub subject: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
    pub auto_reason: Option<String>,
    pub size: i64,
}

// ---------------------------------------------------------------------------
// outbox

/// One outbox row, without its raw bytes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutboxEntry {
    pub id: i64,
    pub status: OutboxStatus,
    pub kind: OutboxKind,
    pub case: Option<CaseNumber>,
    pub recipient: String,
    pub subject: String,
    pub attempts: i64,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub message_id: String,
}

/// A message to store in the outbox.
#[derive(Debug, Clone)]
pub struct NewOutgoing<'a> {
    pub case: Option<CaseNumber>,
    pub kind: OutboxKind,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub message_id: &'a str,
    pub raw: &'a [u8],
    /// `queued`, or `dropped` with `last_error` saying why it is never sent.
    pub status: OutboxStatus,
    pub last_error: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// Which outbox rows a listing shows.
#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    /// Empty: every status.
    pub statuses: Vec<OutboxStatus>,
    pub case: Option<CaseNumber>,
}

/// A message claimed for delivery.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub recipient: String,
    pub message_id: String,
    pub raw: Vec<u8>,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
    /// An earlier run claimed it and never recorded a result (it died while
    /// handing the message over): it may have been delivered.
    pub interrupted: bool,
}

/// An outbound message kept on its case, so replies thread back by In-Reply-To.
pub struct OutboundMessage<'a> {
    pub case: Option<CaseNumber>,
    pub message_id: &'a str,
    pub sender: &'a str,
    pub subject: &'a str,
    pub at: DateTime<Utc>,
    pub raw: &'a [u8],
}

// ---------------------------------------------------------------------------
// quarantine

#[derive(Debug, Clone, Serialize)]
pub struct Held {
    pub id: i64,
    pub reason: String,
    pub size: i64,
    pub received_at: DateTime<Utc>,
    /// Held, released (it became a case or joined one) or dropped.
    pub status: QuarantineStatus,
    pub case_id: Option<CaseNumber>,
    pub resolved_at: Option<DateTime<Utc>>,
}

// ---------------------------------------------------------------------------
// views

/// What the views show of a case: every column comes from the covering indexes
/// on open cases (migration 3), so listing open cases never reads the table.
#[derive(Debug, Clone)]
pub struct ViewCase {
    pub number: CaseNumber,
    pub subject: String,
    pub account: Option<String>,
    pub owner: Option<String>,
    pub creator: Option<String>,
    pub status: Status,
    pub priority: Priority,
    pub opened_at: DateTime<Utc>,
    pub next_due: Option<DateTime<Utc>>,
}

/// A case's stored first-contact and next-contact due times.
pub type StoredDue = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

// ---------------------------------------------------------------------------
// sweep

/// An open case sweep looks at (waiting for an AM, handed off, or of the
/// Integration type): the columns its rules read, and when and by whom
/// staff last commented on it (`cases.last_comment_at` and
/// `last_comment_by`, kept by every comment), which tells sweep whose
/// comments it has to read at all.
#[derive(Debug, Clone)]
pub struct SweptCase {
    pub case: Case,
    pub last_comment_at: Option<DateTime<Utc>>,
    pub last_comment_by: Option<String>,
}

/// The candidates whose rows of each table sweep's rules read: each table
/// is read once for all of them (a query per case would cost more than the
/// rules, and a round trip each on PostgreSQL).
#[derive(Debug, Default)]
pub struct SweepAsked {
    pub attempts: Vec<CaseNumber>,
    pub comments: Vec<CaseNumber>,
    pub events: Vec<CaseNumber>,
}

/// What the store found for a [`SweepAsked`], each list in case order, then time.
#[derive(Debug, Default)]
pub struct SweepFacts {
    pub attempts: Vec<SweptAttempt>,
    /// Comments by staff (system comments have no author and are left out).
    pub comments: Vec<SweptComment>,
    /// History events named one of the fields asked for.
    pub events: Vec<SweptEvent>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SweptAttempt {
    pub case: CaseNumber,
    pub at: DateTime<Utc>,
    pub method: ContactMethod,
    pub outcome: ContactOutcome,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SweptComment {
    pub case: CaseNumber,
    pub at: DateTime<Utc>,
    pub author: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SweptEvent {
    pub case: CaseNumber,
    pub at: DateTime<Utc>,
    pub field: String,
}

/// What sweep already did: a row of the sweep log.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepDone {
    pub case: CaseNumber,
    pub rule: String,
    pub occasion: DateTime<Utc>,
}
