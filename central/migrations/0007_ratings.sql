-- Version 7: 好差评 follow-up. A rating knows the matter it is about (from its ticket or
-- report, filled in when it arrives); every 差评 (level 1 or 2) opens a 整改 (rectification)
-- work order with an owner, a unit, working-day deadlines for the rectification and the
-- 回访 (call back), escalation, and one row per call-back attempt. The citizen's call-back
-- number is kept on the order only until the 回访 is closed (phone_masked stays).
-- Portable SQL (SQLite + PostgreSQL), like 0004.
ALTER TABLE evaluations ADD COLUMN matter_id TEXT;
CREATE INDEX evaluations_hall ON evaluations (hall_id, created_at);

CREATE TABLE rectifications (
    id TEXT PRIMARY KEY,
    hall_id TEXT NOT NULL,
    evaluation_id TEXT NOT NULL UNIQUE,
    level INTEGER NOT NULL,
    matter_id TEXT,
    window_no TEXT,
    phone TEXT,
    phone_masked TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    rectify_due TEXT NOT NULL,
    callback_due TEXT,
    due_date TEXT NOT NULL,
    owner_id TEXT,
    unit TEXT,
    measures TEXT,
    rectified_at TEXT,
    escalated_at TEXT,
    escalation_reason TEXT,
    closed_at TEXT
);
CREATE INDEX rectifications_hall ON rectifications (hall_id, status, due_date);
CREATE INDEX rectifications_unit ON rectifications (hall_id, unit, status);
CREATE INDEX rectifications_open_late ON rectifications (due_date)
    WHERE status <> 'closed' AND escalated_at IS NULL;

CREATE TABLE callbacks (
    id TEXT PRIMARY KEY,
    rectification_id TEXT NOT NULL,
    hall_id TEXT NOT NULL,
    called_at TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    staff_name TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT
);
CREATE INDEX callbacks_order ON callbacks (rectification_id, called_at)
