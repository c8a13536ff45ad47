-- Version 6: help calls, live. Who is coming (the staff member's display name and role, no
-- more), escalation to the duty officer, the duty phone outside staffed hours, who closed the
-- call (a staff username, or 'kiosk' when the citizen cancelled), and one change counter per
-- hall that every instance's desk pages watch.
ALTER TABLE help_calls ADD COLUMN coming_staff_id TEXT;
ALTER TABLE help_calls ADD COLUMN coming_name TEXT;
ALTER TABLE help_calls ADD COLUMN coming_role TEXT;
ALTER TABLE help_calls ADD COLUMN coming_at TEXT;
ALTER TABLE help_calls ADD COLUMN escalated_at TEXT;
ALTER TABLE help_calls ADD COLUMN after_hours INTEGER NOT NULL DEFAULT 0;
ALTER TABLE help_calls ADD COLUMN phoned_at TEXT;
ALTER TABLE help_calls ADD COLUMN closed_by TEXT;
CREATE INDEX help_calls_unanswered ON help_calls (created_at)
    WHERE status = 'open' AND coming_at IS NULL AND escalated_at IS NULL;
CREATE TABLE help_call_changes (
    hall_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
);
