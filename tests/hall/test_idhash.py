"""The one ID-hash rule: what normalisation does, and that card, booking and centre agree."""

from __future__ import annotations

import hashlib
import hmac
import uuid

import pytest
import requests

from central.testing import running_centre
from drivers.idcard.card import parse_card
from drivers.idcard.cards import CARDS, VALID_CARDS
from hall.idhash import hash_id_number, normalise_id_number

SALT = b"hall-salt"


def card_record(label: str):
    card = CARDS[label]
    return parse_card(card.text, card.photo, card.appended_address)


def test_normalisation_drops_surrounding_space_and_upper_cases_the_check_letter() -> None:
    # What a clerk or a booking form may type is the same person as the card's number.
    assert normalise_id_number(" 41010519491231059x\n") == "41010519491231059X"
    assert normalise_id_number("\u300041010519491231059X\u3000") == "41010519491231059X"  # 全角空格
    assert normalise_id_number("can110085111101") == "CAN110085111101"
    assert hash_id_number("41010519491231059x ", SALT) == hash_id_number("41010519491231059X", SALT)
    # It changes nothing inside the number: a different digit is a different person.
    assert hash_id_number("41010519491231059X", SALT) != hash_id_number("41010519491231058X", SALT)


def test_non_ascii_is_refused_without_repeating_the_number() -> None:
    for number in ("４１０１０５１９４９１２３１０５９Ｘ", "41010519491231059ß"):
        with pytest.raises(ValueError) as refused:
            hash_id_number(number, SALT)
        assert "4101" not in str(refused.value) and "４" not in str(refused.value)


@pytest.mark.parametrize("card", VALID_CARDS, ids=lambda card: card.label)
def test_card_hashes_are_the_ones_already_stored(card) -> None:
    """Every card number is already normalised, so a hash stored before the rule was shared
    (HMAC-SHA256 of the number exactly as the card gave it) still matches."""
    record = parse_card(card.text, card.photo, card.appended_address)
    number = record.full_id_number()
    assert normalise_id_number(number) == number
    before = hmac.new(SALT, number.encode("ascii"), hashlib.sha256).hexdigest()
    assert record.id_hash(SALT) == hash_id_number(number, SALT) == before
    assert hash_id_number(number, SALT.decode()) == before  # the salt as configured (text)


def test_a_booking_by_typed_number_is_checked_in_by_the_card(tmp_path) -> None:
    """The booking system hashes what was typed (lower-case x, a trailing space); the kiosk
    hashes the card. The real centre must see one person and check the booking in."""
    record = card_record("appended_address")  # its number ends in X
    typed = record.full_id_number().lower() + " "
    with running_centre(tmp_path / "central.db") as centre, requests.Session() as http:
        day = centre.clock().date().isoformat()
        http.post(f"{centre.url}/v1/staff/appointments", headers=centre.staff_headers(),
                  json={"matter_id": "marriage-reg", "day": day,
                        "id_hash": hash_id_number(typed, SALT)}, timeout=10).raise_for_status()
        ticket = http.post(f"{centre.url}/v1/tickets", headers={
            **centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex},
            json={"matter_id": "marriage-reg", "id_hash": record.id_hash(SALT)}, timeout=10)
    assert ticket.status_code == 201, ticket.text
    assert ticket.json()["priority"] == "appointment"
