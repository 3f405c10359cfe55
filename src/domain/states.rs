//! The small states that are plain strings in the store and the commands today:
//! contact attempts, message direction, the outbox, the quarantine, comments.
//!
//! Each spelling here is the one the database holds (the `CHECK` lists of
//! `store/sqlite/migrations/0001_initial.sql`, checked by the migration tests) and the one
//! JSON, CSV, tables and messages print: for all of these the stored string is the
//! label. So every enum has `label()`/`Display` and serde as that string, a
//! forgiving `FromStr` for what people type (`No Answer`, `NO_ANSWER`), and, for the
//! stored ones, [`as_str`](ContactOutcome::as_str) to write and a strict
//! [`parse_stored`](ContactOutcome::parse_stored) to read a row back.

use super::case::named_enum;

/// A [`named_enum!`] whose values are stored: adds `as_str()`, the spelling written
/// to the database (the label), and `parse_stored()`, which takes exactly that
/// spelling and nothing else (a row that does not match is not a value to guess at).
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($variant:ident => $label:literal),+ $(,)? }) => {
        named_enum!($(#[$meta])* $name, $what, { $($variant => $label),+ });

        impl $name {
            /// The spelling stored in the database (the same as the label).
            pub fn as_str(self) -> &'static str {
                self.label()
            }

            /// A value read from the database: exactly one of the `as_str()` spellings.
            pub fn parse_stored(s: &str) -> Result<Self, String> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    format!(
                        "unknown stored {} `{}`: expected one of {}",
                        $what,
                        s,
                        names.join(", ")
                    )
                })
            }
        }
    };
}

stored_enum!(
    /// How the customer was contacted (`contact_attempts.method`, `casebook log --method`).
    ContactMethod, "contact method", {
        Phone => "phone",
        Email => "email",
        Voicemail => "voicemail",
        Sms => "sms",
        Chat => "chat",
        Meeting => "meeting",
    }
);

impl ContactMethod {
    /// The channel the no-response rule counts: a voicemail is a phone call that went
    /// to the machine, so phone and voicemail are one method (design.md, Contact methods).
    pub fn channel(self) -> ContactMethod {
        match self {
            ContactMethod::Voicemail => ContactMethod::Phone,
            other => other,
        }
    }
}

stored_enum!(
    /// What came of a contact attempt (`contact_attempts.outcome`, `casebook log --outcome`).
    ContactOutcome, "contact outcome", {
        Reached => "reached",
        NoAnswer => "no-answer",
        LeftMessage => "left-message",
        Sent => "sent",
    }
);

impl ContactOutcome {
    /// Everything but `reached` (the customer answering) is an unanswered attempt,
    /// which the no-response rule counts (`rules::Attempt::unanswered`).
    pub fn unanswered(self) -> bool {
        self != ContactOutcome::Reached
    }
}

stored_enum!(
    /// Which way an email went (`messages.direction`): received by the desk, or sent by it.
    MessageDirection, "message direction", {
        In => "in",
        Out => "out",
    }
);

stored_enum!(
    /// Why an outgoing message was written (`outbox.kind`): the acknowledgement of a new
    /// case, a staff notification, a reply to the contact, the owner report.
    OutboxKind, "outbox kind", {
        Ack => "ack",
        Notify => "notify",
        Reply => "reply",
        Report => "report",
    }
);

stored_enum!(
    /// The life of an outgoing message (`outbox.status`): waiting to be delivered,
    /// being handed to the transport, delivered, refused or given up, or never to be sent.
    OutboxStatus, "outbox status", {
        Queued => "queued",
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
        Dropped => "dropped",
    }
);

named_enum!(
    /// What one delivery attempt did (`outbox::Outcome.result`, printed by `outbox flush`;
    /// not stored): `retry` leaves the message queued, the others are its new status.
    DeliveryResult, "delivery result", {
        Sent => "sent",
        Retry => "retry",
        Failed => "failed",
        Dropped => "dropped",
    }
);

impl DeliveryResult {
    /// The outbox status the message has after this attempt.
    pub fn status_after(self) -> OutboxStatus {
        match self {
            DeliveryResult::Sent => OutboxStatus::Sent,
            DeliveryResult::Retry => OutboxStatus::Queued,
            DeliveryResult::Failed => OutboxStatus::Failed,
            DeliveryResult::Dropped => OutboxStatus::Dropped,
        }
    }
}

stored_enum!(
    /// Where a quarantined message stands (`quarantine.status`): held, released (it
    /// became a case or joined one, or was kept as auto-generated mail), or dropped.
    QuarantineStatus, "quarantine status", {
        Held => "held",
        Released => "released",
        Dropped => "dropped",
    }
);

stored_enum!(
    /// What a comment row is (`comments.kind`): a comment (`casebook comment`, notes of
    /// assign, escalate and ingest) or the owner's review (`casebook review`), which
    /// also counts as touching the case.
    CommentKind, "comment kind", {
        Comment => "comment",
        Review => "review",
    }
);

#[cfg(test)]
mod tests {

    use super::*;

    /// Every variant: its stored string, its label and Display, the forgiving and the
    /// strict parse, serde; the table covers `ALL` exactly; unknown strings are refused
    /// with a message naming every valid value.
    macro_rules! check_stored {
        ($ty:ident, $what:literal, [$(($v:ident, $s:literal)),+ $(,)?]) => {{
            let table: &[($ty, &str)] = &[$(($ty::$v, $s)),+];
            assert_eq!(
                table.iter().map(|(v, _)| *v).collect::<Vec<_>>(),
                $ty::ALL,
                "the table lists every {} in order",
                $what
            );
            for &(v, s) in table {
                assert_eq!(v.as_str(), s);
                assert_eq!(v.label(), s);
                assert_eq!(v.to_string(), s);
                assert_eq!($ty::parse_stored(s), Ok(v));
                assert_eq!(s.parse::<$ty>(), Ok(v));
                assert_eq!(s.to_uppercase().replace('-', "_").parse::<$ty>(), Ok(v));
                assert_eq!(format!(" {} ", s.replace('-', " ")).parse::<$ty>(), Ok(v));
                let json = serde_json::to_string(&v).unwrap();
                assert_eq!(json, format!("\"{s}\""));
                assert_eq!(serde_json::from_str::<$ty>(&json).unwrap(), v);
            }
            let all: Vec<&str> = table.iter().map(|(_, s)| *s).collect();
            let err = "bogus".parse::<$ty>().unwrap_err();
            assert_eq!(
                err,
                format!("unknown {} `bogus`: use one of {}", $what, all.join(", "))
            );
            let err = $ty::parse_stored("bogus").unwrap_err();
            assert_eq!(
                err,
                format!(
                    "unknown stored {} `bogus`: expected one of {}",
                    $what,
                    all.join(", ")
                )
            );
            // The store's spelling is exact: what people may type is not a stored value.
            let first = table[0].1;
            assert!($ty::parse_stored(&first.to_uppercase()).is_err());
            assert!($ty::parse_stored(&format!(" {first}")).is_err());
            assert!($ty::parse_stored("").is_err());
            let err = serde_json::from_str::<$ty>("\"bogus\"").unwrap_err().to_string();
            assert!(err.contains("`bogus`") && err.contains(first), "{err}");
        }};
    }

    #[test]
    fn contact_methods() {
        check_stored!(
            ContactMethod,
            "contact method",
            [
                (Phone, "phone"),
                (Email, "email"),
                (Voicemail, "voicemail"),
                (Sms, "sms"),
                (Chat, "chat"),
                (Meeting, "meeting"),
            ]
        );
    }

    #[test]
    fn contact_outcomes() {
        check_stored!(
            ContactOutcome,
            "contact outcome",
            [
                (Reached, "reached"),
                (NoAnswer, "no-answer"),
                (LeftMessage, "left-message"),
                (Sent, "sent"),
            ]
        );
        assert_eq!(
            "No Answer".parse::<ContactOutcome>(),
            Ok(ContactOutcome::NoAnswer)
        );
        assert_eq!(
            "left_message".parse::<ContactOutcome>(),
            Ok(ContactOutcome::LeftMessage)
        );
    }

    #[test]
    fn only_reaching_the_customer_is_an_answer() {
        use ContactOutcome::*;
        for (o, unanswered) in [
            (Reached, false),
            (NoAnswer, true),
            (LeftMessage, true),
            (Sent, true),
        ] {
            assert_eq!(o.unanswered(), unanswered, "{o}");
        }
    }

    #[test]
    fn message_directions() {
        check_stored!(
            MessageDirection,
            "message direction",
            [(In, "in"), (Out, "out")]
        );
    }

    #[test]
    fn outbox_kinds() {
        check_stored!(
            OutboxKind,
            "outbox kind",
            [
                (Ack, "ack"),
                (Notify, "notify"),
                (Reply, "reply"),
                (Report, "report")
            ]
        );
    }

    #[test]
    fn outbox_statuses() {
        check_stored!(
            OutboxStatus,
            "outbox status",
            [
                (Queued, "queued"),
                (Sending, "sending"),
                (Sent, "sent"),
                (Failed, "failed"),
                (Dropped, "dropped"),
            ]
        );
    }

    #[test]
    fn delivery_results() {
        let table = [
            (DeliveryResult::Sent, "sent", OutboxStatus::Sent),
            (DeliveryResult::Retry, "retry", OutboxStatus::Queued),
            (DeliveryResult::Failed, "failed", OutboxStatus::Failed),
            (DeliveryResult::Dropped, "dropped", OutboxStatus::Dropped),
        ];
        assert_eq!(table.map(|(r, _, _)| r), DeliveryResult::ALL);
        for (r, s, after) in table {
            assert_eq!(r.label(), s);
            assert_eq!(r.to_string(), s);
            assert_eq!(s.parse::<DeliveryResult>(), Ok(r));
            assert_eq!(s.to_uppercase().parse::<DeliveryResult>(), Ok(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{s}\""));
            assert_eq!(
                serde_json::from_str::<DeliveryResult>(&format!("\"{s}\"")).unwrap(),
                r
            );
            assert_eq!(r.status_after(), after);
        }
        assert_eq!(
            "queued".parse::<DeliveryResult>().unwrap_err(),
            "unknown delivery result `queued`: use one of sent, retry, failed, dropped"
        );
    }

    #[test]
    fn quarantine_statuses() {
        check_stored!(
            QuarantineStatus,
            "quarantine status",
            [(Held, "held"), (Released, "released"), (Dropped, "dropped")]
        );
    }

    #[test]
    fn comment_kinds() {
        check_stored!(
            CommentKind,
            "comment kind",
            [(Comment, "comment"), (Review, "review")]
        );
    }
}
