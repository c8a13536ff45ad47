-- Version 9: appointment slots. The booked slot's start (hall-local ISO time) is kept on the
-- appointment and copied onto the ticket it is checked in with, so a checked-in appointment
-- is called in its slot's place (central/calling.py, "Who is called next"); the hall's grace
-- (minutes after the slot's start within which a late arrival keeps the slot's place).
ALTER TABLE appointments ADD COLUMN slot_at TEXT;
ALTER TABLE tickets ADD COLUMN slot_at TEXT;
ALTER TABLE halls ADD COLUMN slot_grace_min INTEGER NOT NULL DEFAULT 15;
