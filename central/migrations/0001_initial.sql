-- Version 1: the schema of the release before migrations (central/db.py SCHEMA at 3e94551).
-- A database made by that release has these tables without schema_version; the runner
-- recognises it and records it as version 1.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE kiosks (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_auth_failure_at TEXT
);
CREATE TABLE counters (
    scope TEXT NOT NULL,
    day TEXT NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (scope, day)
);
CREATE TABLE queues (
    matter_id TEXT NOT NULL,
    day TEXT NOT NULL,
    waiting INTEGER NOT NULL,
    waiting_priority INTEGER NOT NULL,
    PRIMARY KEY (matter_id, day)
);
CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL,
    day TEXT NOT NULL,
    number INTEGER NOT NULL,
    display TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    priority TEXT,
    appointment_code TEXT,
    id_hash TEXT,
    status TEXT NOT NULL,
    window_no TEXT,
    created_at TEXT NOT NULL,
    called_at TEXT,
    UNIQUE (matter_id, day, number)
);
CREATE INDEX tickets_queue ON tickets (matter_id, day, status, number);
CREATE TABLE appointments (
    code TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL,
    day TEXT NOT NULL,
    id_hash TEXT,
    ticket_id TEXT
);
CREATE TABLE idempotency (
    kiosk_id TEXT NOT NULL,
    key TEXT NOT NULL,
    operation TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, key)
);
CREATE TABLE reports (
    tracking_no TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    matter_id TEXT,
    situation TEXT NOT NULL,
    description TEXT NOT NULL,
    phone TEXT NOT NULL,
    id_hash TEXT,
    language TEXT NOT NULL,
    created_at TEXT NOT NULL,
    promised_date TEXT NOT NULL,
    complexity TEXT NOT NULL,
    kind TEXT,
    unit TEXT,
    resolution TEXT,
    answer TEXT,
    status TEXT NOT NULL
);
CREATE TABLE report_steps (
    tracking_no TEXT NOT NULL,
    step TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (tracking_no, step)
);
CREATE TABLE evaluations (
    id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    ticket_id TEXT,
    window_no TEXT,
    tracking_no TEXT,
    comment TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE help_calls (
    id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    location TEXT NOT NULL,
    reason TEXT NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE TABLE heartbeats (
    kiosk_id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE configs (
    version INTEGER PRIMARY KEY,
    published_at TEXT NOT NULL,
    body TEXT NOT NULL,
    signature TEXT NOT NULL
);
