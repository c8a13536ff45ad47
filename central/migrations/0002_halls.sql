-- Version 2: many halls on one centre. Every kiosk, config, queue, ticket, appointment,
-- report, evaluation and help call belongs to a hall; the staff token moves from meta to its
-- hall. What existed before belongs to the hall 'default', so a one-hall centre carries on.
-- Tables whose keys change are rebuilt (SQLite cannot alter a primary key); every statement
-- runs on SQLite and PostgreSQL alike.
CREATE TABLE halls (
    id TEXT PRIMARY KEY,
    staff_token_hash TEXT UNIQUE,
    created_at TEXT NOT NULL
);
INSERT INTO halls (id, staff_token_hash, created_at)
    SELECT 'default', (SELECT value FROM meta WHERE key = 'staff_token_hash'), '2026-01-01T00:00:00+08:00';
DELETE FROM meta WHERE key = 'staff_token_hash';

ALTER TABLE kiosks ADD COLUMN hall_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE appointments ADD COLUMN hall_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE reports ADD COLUMN hall_id TEXT NOT NULL DEFAULT 'default';
CREATE INDEX reports_hall ON reports (hall_id, status, created_at);
ALTER TABLE evaluations ADD COLUMN hall_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE help_calls ADD COLUMN hall_id TEXT NOT NULL DEFAULT 'default';
CREATE INDEX help_calls_hall ON help_calls (hall_id, status, created_at);

-- Numbers run per hall, matter and day: counters' scope names the hall.
UPDATE counters SET scope = 'ticket:default:' || substr(scope, 8) WHERE scope LIKE 'ticket:%';

CREATE TABLE configs_v2 (
    hall_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    body TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (hall_id, version)
);
INSERT INTO configs_v2 (hall_id, version, published_at, body, signature)
    SELECT 'default', version, published_at, body, signature FROM configs;
DROP TABLE configs;
ALTER TABLE configs_v2 RENAME TO configs;

CREATE TABLE queues_v2 (
    hall_id TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    day TEXT NOT NULL,
    waiting INTEGER NOT NULL,
    waiting_priority INTEGER NOT NULL,
    PRIMARY KEY (hall_id, matter_id, day)
);
INSERT INTO queues_v2 (hall_id, matter_id, day, waiting, waiting_priority)
    SELECT 'default', matter_id, day, waiting, waiting_priority FROM queues;
DROP TABLE queues;
ALTER TABLE queues_v2 RENAME TO queues;

CREATE TABLE tickets_v2 (
    id TEXT PRIMARY KEY,
    hall_id TEXT NOT NULL,
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
    UNIQUE (hall_id, matter_id, day, number)
);
INSERT INTO tickets_v2 (id, hall_id, matter_id, day, number, display, kiosk_id, priority,
                        appointment_code, id_hash, status, window_no, created_at, called_at)
    SELECT id, 'default', matter_id, day, number, display, kiosk_id, priority, appointment_code,
           id_hash, status, window_no, created_at, called_at FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_v2 RENAME TO tickets;
CREATE INDEX tickets_queue_v2 ON tickets (hall_id, matter_id, day, status, number);
