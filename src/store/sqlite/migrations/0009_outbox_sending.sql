-- At most once per Message-ID where the transport can tell: a claimed message
-- is `sending` (handed_off_at: when this attempt began, next_attempt_at: the
-- end of its lease) until its result is recorded. A flush that finds one whose
-- lease ran out knows an earlier run died mid-delivery and checks before it
-- sends again. SQLite cannot change a CHECK in place: the table is rebuilt.
ALTER TABLE outbox RENAME TO outbox_before_9;

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER REFERENCES cases(id),
    kind            TEXT NOT NULL,                      -- ack, notify, reply, report, ...
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    raw             BLOB NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    handed_off_at   INTEGER
);

INSERT INTO outbox (id, case_id, kind, recipient, subject, message_id, raw, status, attempts,
                    last_error, next_attempt_at, created_at, sent_at)
SELECT id, case_id, kind, recipient, subject, message_id, raw, status, attempts,
       last_error, next_attempt_at, created_at, sent_at
FROM outbox_before_9;

DROP TABLE outbox_before_9;

CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX outbox_recipient_lower ON outbox(lower(recipient), created_at);
