-- Version 4: the staff desk. Personal staff accounts with roles, server-side sessions, an
-- append-only audit log, the units work orders are dispatched to, messages sent to citizens,
-- and who owns / escalated each report (办不成事 work order). Portable SQL (SQLite + PostgreSQL).
CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    hall_id TEXT NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit TEXT,
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    disabled_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX staff_hall ON staff (hall_id, role);

CREATE TABLE desk_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX desk_sessions_staff ON desk_sessions (staff_id);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    hall_id TEXT NOT NULL,
    staff_id TEXT,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    tracking_no TEXT,
    detail TEXT
);
CREATE INDEX audit_log_hall ON audit_log (hall_id, at);
CREATE INDEX audit_log_order ON audit_log (tracking_no, at);

CREATE TABLE units (
    hall_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (hall_id, name)
);

CREATE TABLE messages_sent (
    id TEXT PRIMARY KEY,
    hall_id TEXT NOT NULL,
    tracking_no TEXT,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    sent_at TEXT NOT NULL
);
CREATE INDEX messages_sent_hall ON messages_sent (hall_id, sent_at);

ALTER TABLE reports ADD COLUMN owner_id TEXT;
ALTER TABLE reports ADD COLUMN escalated_at TEXT;
ALTER TABLE reports ADD COLUMN escalation_reason TEXT;
CREATE INDEX reports_unit ON reports (hall_id, unit, status);
CREATE INDEX reports_recent ON reports (hall_id, created_at);
-- The desk's inboxes and the overdue check look only at open orders: a partial index keeps
-- them small however many answered reports the hall has (both engines support WHERE here).
CREATE INDEX reports_open ON reports (hall_id, promised_date) WHERE status <> 'answered';
CREATE INDEX reports_open_late ON reports (promised_date)
    WHERE status <> 'answered' AND escalated_at IS NULL
