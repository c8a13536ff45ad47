"""Residual risks shown, not hidden: what an attacker who holds the hall salt can do."""

from __future__ import annotations

import datetime as dt

from drivers.idcard.cards import make_id_number
from hall.idhash import hash_id_number

SALT = "hall-salt-read-from-a-stolen-kiosk"


def test_a_known_salt_lets_an_id_hash_be_reversed_by_search() -> None:
    """The ID hash is keyed, not secret: 18 digits are mostly region + birth date, so with the
    salt (on every kiosk's disk) and a guess of region and birthday, 1,000 tries reverse it."""
    victim = make_id_number("410105", dt.date(1951, 3, 14), "237")
    leaked_hash = hash_id_number(victim, SALT)  # e.g. from the centre's database
    found = [candidate
             for sequence in range(1000)
             if hash_id_number(candidate := make_id_number("410105", dt.date(1951, 3, 14),
                                                          f"{sequence:03d}"), SALT) == leaked_hash]
    assert found == [victim]


def test_without_the_salt_the_same_search_finds_nothing() -> None:
    victim = make_id_number("410105", dt.date(1951, 3, 14), "237")
    leaked_hash = hash_id_number(victim, SALT)
    guesses = {hash_id_number(make_id_number("410105", dt.date(1951, 3, 14), f"{n:03d}"),
                              "change-me-per-hall") for n in range(1000)}
    assert leaked_hash not in guesses
