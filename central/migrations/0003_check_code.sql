-- Version 3: the report receipt's 4-digit check code, asked for by the kiosk's progress
-- look-up (issue 15, an edge that holds). Stored as issued: 10,000 values are no secret from
-- anyone who can read this table (a hash would be reversed by trying them all), and staff read
-- it out to a citizen who lost the receipt. Reports from before this step have NULL: staff only.
ALTER TABLE reports ADD COLUMN check_code TEXT;
