"""How a migration file becomes statements: portable ones for both engines, engine sections
for what cannot be portable (triggers), and a ';' inside a string or a body ends nothing."""

from __future__ import annotations

import pytest

from central.migrations import parse, steps

TEXT = """-- a comment; with a semicolon
CREATE TABLE a (x TEXT DEFAULT 'one; two');
CREATE INDEX a_x ON a (x);

-- engine: sqlite
CREATE TRIGGER a_frozen BEFORE UPDATE ON a
BEGIN
    SELECT RAISE(ABORT, 'a is frozen');
END;
-- engine: postgresql
CREATE FUNCTION a_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a is frozen; really';
END
$$;
CREATE TRIGGER a_frozen BEFORE UPDATE ON a FOR EACH STATEMENT EXECUTE FUNCTION a_frozen();
-- engine: all
ALTER TABLE a ADD COLUMN y TEXT
"""


def test_statements_split_at_their_own_ends_and_go_to_their_engine() -> None:
    found = [(engine, " ".join(sql.split())) for engine, sql in parse(TEXT)]
    assert found == [
        (None, "CREATE TABLE a (x TEXT DEFAULT 'one; two')"),
        (None, "CREATE INDEX a_x ON a (x)"),
        ("sqlite", "CREATE TRIGGER a_frozen BEFORE UPDATE ON a BEGIN SELECT RAISE(ABORT, "
                   "'a is frozen'); END"),
        ("postgresql", "CREATE FUNCTION a_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       "BEGIN RAISE EXCEPTION 'a is frozen; really'; END $$"),
        ("postgresql", "CREATE TRIGGER a_frozen BEFORE UPDATE ON a FOR EACH STATEMENT "
                       "EXECUTE FUNCTION a_frozen()"),
        (None, "ALTER TABLE a ADD COLUMN y TEXT"),  # the file's last needs no ';'
    ]


def test_an_unknown_engine_or_a_statement_running_into_a_section_is_refused() -> None:
    with pytest.raises(RuntimeError, match="unknown engine"):
        parse("-- engine: mysql\nSELECT 1;", "0099_x.sql")
    with pytest.raises(RuntimeError, match="runs into"):
        parse("SELECT 1\n-- engine: sqlite\nSELECT 2;", "0099_x.sql")


def test_each_engine_gets_the_audit_triggers_of_its_own_dialect() -> None:
    sqlite = dict((name, s) for _v, name, s in steps("sqlite"))["0008_accounts.sql"]
    postgres = dict((name, s) for _v, name, s in steps("postgresql"))["0008_accounts.sql"]
    assert [s.split("\n")[0] for s in sqlite] == [
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"]
    assert [s.split("\n")[0] for s in postgres] == [
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log"]
