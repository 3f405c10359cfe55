-- casebook schema, version 1: every noun of design.md's vocabulary.
-- Times are INTEGER seconds since the Unix epoch (UTC). Handles reference people.

CREATE TABLE people (
    handle           TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    email            TEXT NOT NULL UNIQUE,
    roles            TEXT NOT NULL DEFAULT '',          -- comma-separated: am, rm, agent, lead
    regional_manager TEXT REFERENCES people(handle) DEFERRABLE INITIALLY DEFERRED,
    pool             INTEGER NOT NULL DEFAULT 0,        -- works the below-Silver pool
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL
);

CREATE TABLE accounts (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    tier             TEXT NOT NULL CHECK (tier IN ('Platinum', 'Gold', 'Silver', 'Bronze', 'Standard')),
    account_manager  TEXT REFERENCES people(handle) DEFERRABLE INITIALLY DEFERRED,
    regional_manager TEXT REFERENCES people(handle) DEFERRABLE INITIALLY DEFERRED,
    created_at       INTEGER NOT NULL
);

CREATE TABLE account_domains (
    domain     TEXT PRIMARY KEY,                        -- lowercased
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
);

CREATE TABLE contacts (
    email      TEXT PRIMARY KEY,                        -- lowercased
    name       TEXT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
);
CREATE INDEX contacts_account ON contacts(account_id);

CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,              -- the case number, shown #N
    subject           TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    account_id        INTEGER REFERENCES accounts(id),
    contact_name      TEXT,
    contact_email     TEXT,
    origin            TEXT NOT NULL DEFAULT 'shell',    -- email, shell
    case_type         TEXT NOT NULL DEFAULT 'Account Management',
    category          TEXT NOT NULL DEFAULT 'General Question',
    priority          TEXT NOT NULL DEFAULT 'Standard',
    status            TEXT NOT NULL DEFAULT 'New',
    prior_status      TEXT,                             -- remembered by Waiting for Support
    owner             TEXT REFERENCES people(handle),   -- NULL: the Account Management Queue
    creator           TEXT REFERENCES people(handle),   -- NULL: the system (mail from a stranger)
    am                TEXT REFERENCES people(handle),   -- Account Manager field
    rm                TEXT REFERENCES people(handle),   -- Regional Manager field
    support_rep       TEXT,
    team              TEXT,
    linked_case       INTEGER REFERENCES cases(id),
    hold_until        INTEGER,
    hold_reason       TEXT,
    opened_at         INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    status_changed_at INTEGER NOT NULL,
    closed_at         INTEGER,                          -- NULL while open
    assigned_at       INTEGER,
    first_contact_at  INTEGER,
    last_contact_at   INTEGER,
    last_inbound_at   INTEGER,
    escalated_at      INTEGER,
    handoff_at        INTEGER,
    first_contact_due INTEGER,
    next_due          INTEGER
);
CREATE INDEX cases_open_owner   ON cases(owner, next_due)   WHERE closed_at IS NULL;
CREATE INDEX cases_open_creator ON cases(creator, next_due) WHERE closed_at IS NULL;
CREATE INDEX cases_open_due     ON cases(next_due)          WHERE closed_at IS NULL;
CREATE INDEX cases_account      ON cases(account_id);
CREATE INDEX cases_contact      ON cases(contact_email);
CREATE INDEX cases_status       ON cases(status);

CREATE TABLE watchers (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    handle  TEXT NOT NULL REFERENCES people(handle),
    PRIMARY KEY (case_id, handle)
);

-- The append-only history of a case.
CREATE TABLE events (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at      INTEGER NOT NULL,
    actor   TEXT,                                       -- NULL: the system
    field   TEXT NOT NULL,
    old     TEXT,
    new     TEXT
);
CREATE INDEX events_case ON events(case_id, at);

CREATE TABLE comments (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at      INTEGER NOT NULL,
    author  TEXT,                                       -- NULL: the system
    kind    TEXT NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'review')),
    public  INTEGER NOT NULL DEFAULT 0,
    body    TEXT NOT NULL
);
CREATE INDEX comments_case ON comments(case_id, at);

CREATE TABLE mentions (
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    handle     TEXT NOT NULL REFERENCES people(handle),
    PRIMARY KEY (comment_id, handle)
);

CREATE TABLE contact_attempts (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at      INTEGER NOT NULL,
    actor   TEXT,
    method  TEXT NOT NULL CHECK (method IN ('phone', 'email', 'voicemail', 'sms', 'chat', 'meeting')),
    outcome TEXT NOT NULL CHECK (outcome IN ('reached', 'no-answer', 'left-message', 'sent')),
    note    TEXT
);
CREATE INDEX contact_attempts_case ON contact_attempts(case_id, at);

-- Every email, inbound or outbound, byte for byte.
CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER REFERENCES cases(id),
    direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    message_id  TEXT,                                   -- without angle brackets
    sender      TEXT NOT NULL DEFAULT '',               -- lowercased address
    subject     TEXT NOT NULL DEFAULT '',
    sent_at     INTEGER,                                -- the Date header
    received_at INTEGER NOT NULL,
    auto_reason TEXT,                                   -- why it was judged auto-generated
    size        INTEGER NOT NULL,
    raw         BLOB NOT NULL
);
CREATE UNIQUE INDEX messages_dedup ON messages(message_id, sender) WHERE message_id IS NOT NULL;
CREATE INDEX messages_message_id ON messages(message_id);
CREATE INDEX messages_case ON messages(case_id);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    message      INTEGER NOT NULL REFERENCES messages(id),
    case_id      INTEGER REFERENCES cases(id),
    part_index   INTEGER NOT NULL,                      -- 1-based within the message
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER REFERENCES cases(id),
    kind            TEXT NOT NULL,                      -- ack, notify, reply, report, ...
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    raw             BLOB NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_recipient_day ON outbox(recipient, created_at);

CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY,
    reason      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    raw         BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'released', 'dropped')),
    case_id     INTEGER REFERENCES cases(id),
    resolved_at INTEGER
);

-- One row per calendar day the owner report was mailed.
CREATE TABLE report_sends (
    day     TEXT PRIMARY KEY,                           -- YYYY-MM-DD in the business time zone
    sent_at INTEGER NOT NULL
);

-- What sweep has done, so every rule fires once per occasion.
CREATE TABLE sweep_log (
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    rule      TEXT NOT NULL,
    occasion  INTEGER NOT NULL,                         -- the instant that made the rule fire
    at        INTEGER NOT NULL,
    PRIMARY KEY (case_id, rule, occasion)
);
