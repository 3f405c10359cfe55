//! The one way tests put a desk into a given state without going through
//! the commands: the store's own interface, never raw SQL, so that seeding
//! works on every backend the store has.

use casebook::domain::case::{CaseNumber, NewCase, Status};
use casebook::domain::states::MessageDirection;
use casebook::store::cases::{set_fields, Column, FieldValue};
use casebook::store::messages::NewMessage;
use casebook::store::{accounts, cases, messages, Db, Store};
use chrono::{DateTime, Utc};

pub struct Seed {
    store: Store,
}

impl Seed {
    pub fn new(store: Store) -> Seed {
        Seed { store }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn db(&self) -> &Db {
        self.store.db()
    }

    /// The id of an imported account, by name.
    pub fn account_id(&self, name: &str) -> i64 {
        accounts::get_by_name(self.db(), name)
            .unwrap()
            .unwrap_or_else(|| panic!("no account {name}"))
            .id
    }

    pub fn case(&self, c: &NewCase) -> CaseNumber {
        cases::insert(self.db(), c).unwrap()
    }

    /// Sets case columns directly, without events or notifications.
    pub fn set(&self, case: CaseNumber, fields: &[(Column, FieldValue)]) {
        set_fields(self.db(), case, fields).unwrap();
    }

    pub fn owner(&self, case: CaseNumber, handle: &str) {
        self.set(case, &[(Column::Owner, text(handle))]);
    }

    /// Sets the status; a closed status gets `closed_at`.
    pub fn status(&self, case: CaseNumber, status: Status, closed_at: Option<DateTime<Utc>>) {
        self.set(
            case,
            &[
                (Column::Status, text(status.label())),
                (Column::ClosedAt, FieldValue::Time(closed_at)),
            ],
        );
    }

    pub fn subject(&self, case: CaseNumber, subject: &str) {
        self.set(case, &[(Column::Subject, text(subject))]);
    }

    /// Stores a message on a case as if it had been received (or sent) at `at`.
    pub fn message(
        &self,
        case: CaseNumber,
        direction: MessageDirection,
        message_id: &str,
        sender: &str,
        subject: &str,
        at: DateTime<Utc>,
    ) -> i64 {
        messages::insert(
            self.db(),
            &NewMessage {
                case_id: Some(case),
                direction,
                message_id: Some(message_id),
                sender,
                subject,
                sent_at: None,
                received_at: at,
                auto_reason: None,
                raw: b"raw",
            },
        )
        .unwrap()
    }
}

pub fn text(s: &str) -> FieldValue {
    FieldValue::Text(Some(s.to_string()))
}

pub fn time(t: DateTime<Utc>) -> FieldValue {
    FieldValue::Time(Some(t))
}

/// The epoch plus `secs`: where tests stored bare integers before.
pub fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

/// What a seeded case has besides its subject; left out: no account, contact,
/// owner or creator, the default type, opened four hours before `common::NOW`.
#[derive(Default, Clone, Copy)]
pub struct CaseSpec<'a> {
    pub account: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub creator: Option<&'a str>,
    pub case_type: Option<&'a str>,
    pub opened: Option<DateTime<Utc>>,
}

impl Seed {
    /// Creates a case as `spec` says, through the store; returns its number.
    pub fn case_as(&self, subject: &str, spec: CaseSpec<'_>) -> i64 {
        let now: DateTime<Utc> = super::NOW.parse().unwrap();
        let mut c = NewCase::new(
            subject,
            spec.opened.unwrap_or(now - chrono::Duration::hours(4)),
        );
        c.account_id = spec.account.map(|a| self.account_id(a));
        c.contact_email = spec.contact.map(String::from);
        c.creator = spec.creator.map(String::from);
        if let Some(t) = spec.case_type {
            c.case_type = t.into();
        }
        let n = self.case(&c);
        if let Some(o) = spec.owner {
            self.set(
                n,
                &[
                    (Column::Owner, text(o)),
                    (Column::AssignedAt, time(c.opened_at)),
                ],
            );
        }
        n.get()
    }
}
