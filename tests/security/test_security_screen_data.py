"""Security: what a card read puts on the screen, on the ticket and on the wire is masked."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from central.testing import demo_config
from drivers.idcard.card import CardRecord, parse_card
from drivers.idcard.cards import VALID_CARDS
from hall.catalogue import Catalogue
from kiosk.flows.base import CardInserted, PrinterChecked, PrintTemplate
from kiosk.flows.session import CitizenSession
from kiosk.flows.take_number import (
    ChooseMatter,
    ChooseZone,
    Confirm,
    Continue,
    RequestTicket,
    TakeNumberFlow,
    TicketInfo,
    TicketIssued,
)

CATALOGUE = Catalogue.from_dict(demo_config())
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0)  # marriage registration is open


def _secrets(record: CardRecord) -> list[str]:
    """Everything on the card that must never be shown or sent whole."""
    values = [record.full_id_number(), record.name, record.address]
    if record.appended_address:
        values.append(record.appended_address)
    return [v for v in values if v and len(v) >= 2]


@pytest.mark.parametrize("card", VALID_CARDS[:6], ids=lambda c: c.label)
def test_a_card_read_shows_only_masked_values_and_sends_only_the_hash(card: Any) -> None:
    record = parse_card(card.text, card.photo)
    session = CitizenSession(b"hall-salt", elder_age=70)
    keys = (f"k{n}" for n in itertools.count(1))
    flow = TakeNumberFlow(session, CATALOGUE, MONDAY_10, make_key=lambda: next(keys))
    seen: list[str] = []
    effects: list[Any] = []
    flow.handle(ChooseZone("C"))
    flow.handle(ChooseMatter("marriage-reg"))
    effects += flow.handle(CardInserted(record))
    seen.append(repr(flow.view()))
    assert flow.view().data.get("masked_name")  # the citizen does see who was read
    effects += flow.handle(Continue())
    effects += flow.handle(PrinterChecked(ok=True))
    seen.append(repr(flow.view()))
    effects += flow.handle(Confirm())
    [request] = [e for e in effects if isinstance(e, RequestTicket)]
    assert request.id_hash == record.id_hash(b"hall-salt")
    effects += flow.handle(TicketIssued(TicketInfo(
        ticket_id="0" * 32, number="C001", ahead=0, windows="21-23",
        issued_at="2026-11-23 10:00", queue_url="https://hall.example/q/C001")))
    seen.append(repr(flow.view()))
    jobs = [e for e in effects if isinstance(e, PrintTemplate)]
    assert jobs, "a ticket was printed"
    shown = "\n".join(seen + [repr(e) for e in effects] + [repr(job.data) for job in jobs])
    for secret in _secrets(record):
        assert secret not in shown, f"{secret[:2]}... reached the screen, ticket or request"
    session.drop()
    assert session.card is None and session.id_hash is None
