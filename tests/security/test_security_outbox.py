"""Security: what the outbox leaves on disk once a report has been delivered."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from central.testing import running_centre
from hall.idhash import hash_id_number
from kiosk.services.central import CentralClient
from kiosk.services.outbox import Outbox

PHONE = "13912348765"
WORDS = "security-marker-描述"


def _files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


@pytest.fixture
def delivered(tmp_path: Path) -> Path:
    """One report with a phone number, delivered to a real centre and then purged."""
    folder = tmp_path / "kiosk"
    with running_centre(tmp_path / "central.db") as centre:
        client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, backoff_s=0.01)
        outbox = Outbox(folder / "outbox.db", client, keep_sent_s=0)
        outbox.put("report", {"matter_id": "marriage-reg", "situation": "not_accepted",
                              "description": WORDS, "phone": PHONE,
                              "id_hash": hash_id_number("11010519491231002X", "hall-salt")})
        assert PHONE.encode() in _files(folder)  # waiting to be sent: it must be kept
        deadline = time.monotonic() + 20
        while outbox.pending and time.monotonic() < deadline:
            outbox.send_due()
            time.sleep(0.02)
        assert outbox.pending == 0 and outbox.count("sent") == 1
        assert outbox.purge_sent() == 1
        assert outbox.items() == []
        outbox.close()
        client.close()
    return folder


def test_a_purged_report_is_no_longer_listed(delivered: Path) -> None:
    reopened = Outbox(delivered / "outbox.db")
    try:
        assert reopened.items() == [] and reopened.pending == 0
    finally:
        reopened.close()


def test_a_purged_reports_phone_number_is_gone_from_the_disk(delivered: Path) -> None:
    """Holds because this SQLite zeroes deleted content (secure_delete defaults to on in
    Debian's build); the outbox does not set the pragma itself (see docs/security.md)."""
    raw = _files(delivered)
    assert PHONE.encode() not in raw and WORDS.encode() not in raw
