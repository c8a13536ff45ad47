-- Version 5: counter calling. Windows (one or several matters each: a comprehensive window
-- pools their queues), the hall's calling rules, and every state change of a ticket stored
-- with its time, so waits and service times are measured, not guessed.
ALTER TABLE halls ADD COLUMN priority_every INTEGER NOT NULL DEFAULT 0;
ALTER TABLE halls ADD COLUMN no_show_after INTEGER NOT NULL DEFAULT 2;

-- queue_matter: the queue a ticket waits in now (its own matter, or the one it was
-- transferred to; the number stays unique within the matter it was issued for).
ALTER TABLE tickets ADD COLUMN queue_matter TEXT;
UPDATE tickets SET queue_matter = matter_id;
ALTER TABLE tickets ADD COLUMN recalls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN finished_at TEXT;
CREATE INDEX tickets_waiting ON tickets (hall_id, day, status, queue_matter);

CREATE TABLE windows (
    hall_id TEXT NOT NULL,
    id TEXT NOT NULL,
    matters TEXT NOT NULL,
    paused_at TEXT,
    current_ticket TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (hall_id, id)
);

-- seq runs per hall and day (a counters row 'event:<hall>'); kinds: called, recalled, served,
-- no_show, transferred, paused, resumed (the last two without a ticket).
CREATE TABLE ticket_events (
    hall_id TEXT NOT NULL,
    day TEXT NOT NULL,
    seq INTEGER NOT NULL,
    ticket_id TEXT,
    kind TEXT NOT NULL,
    window_no TEXT,
    matter_id TEXT,
    at TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (hall_id, day, seq)
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);
