"""Security: what the outbox leaves on disk once a report has been delivered."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import stat
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from central.testing import running_centre
from hall.idhash import hash_id_number
from kiosk import logsetup
from kiosk.config import Settings
from kiosk.services.central import CentralClient
from kiosk.services.outbox import Outbox
from kiosk.services.overrides import LocalOverrides
from kiosk.services.pin import LOCKOUT_FILE, PinGate, hash_pin

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
    """The outbox turns ``secure_delete`` on itself, so this holds whatever SQLite's build."""
    raw = _files(delivered)
    assert PHONE.encode() not in raw and WORDS.encode() not in raw


TEXT = "我在窗口等了三个小时，没有人受理我的婚姻登记材料"  # the report text, UTF-8 on disk


def _every_file(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _holding(folder: Path, secret: str) -> list[str]:
    return [name for name, data in _every_file(folder).items() if secret.encode() in data]


def test_a_delivered_reports_phone_and_text_are_gone_from_every_file_in_the_data_folder(
        tmp_path: Path, qtbot: Any) -> None:
    """The kiosk's own services on a data folder (outbox, config, logs at DEBUG, overrides,
    PIN lock-out state) deliver a report to the real centre. Once the centre has acknowledged
    it, and while the kiosk still runs (the database connection open), no file anywhere under
    the data folder holds the phone number or the report text; the receipt is still there."""
    from kiosk.services.hub import Services

    data = tmp_path / "data"
    data.mkdir()
    os.chmod(data, 0o755)  # an older install's folder: tightened by the kiosk
    with running_centre(tmp_path / "central.db") as centre:
        settings = (Settings()
                    .replace("kiosk", data_dir=str(data), id=centre.kiosk_id, keep_sent_s=3600)
                    .replace("central", url=centre.url, token=centre.kiosk_token,
                             public_key=centre.public_key)
                    .replace("reader", enabled=False).replace("printer", enabled=False))
        logsetup.setup(settings.data_path("logs"), "DEBUG")
        services = Services(settings)
        assert services.outbox.keep_sent_s == 3600  # kiosk.toml [kiosk] keep_sent_s
        try:
            LocalOverrides(settings.data_path("local")).save(volume_percent=40, muted=False)
            PinGate(hash_pin("246810"), state_path=settings.data_path("local", LOCKOUT_FILE)
                    ).check("975310")
            item = services.outbox.put("report", {
                "matter_id": "marriage-reg", "situation": "not_accepted", "description": TEXT,
                "phone": PHONE, "id_hash": hash_id_number("11010519491231002X", "hall-salt")})
            # Until the centre has it, it must be kept (and the grep below can see it).
            assert _holding(data, PHONE) and _holding(data, TEXT)
            services.start()
            qtbot.waitUntil(lambda: services.outbox.count("sent") == 1, timeout=20_000)

            reports = requests.get(f"{centre.url}/v1/staff/reports",
                                   headers=centre.staff_headers(), timeout=10).json()
            assert [r["phone"] for r in reports] == [PHONE]  # the centre really has it
            receipt = services.outbox.get(item.id)
            assert receipt.body == {} and receipt.result["tracking_no"] == reports[0][
                "tracking_no"]
            files = _every_file(data)
            assert {"outbox.sqlite3", "logs/kiosk.log", "local/overrides.json",
                    f"local/{LOCKOUT_FILE}", "config/config-bundle.json"} <= files.keys()
            assert _holding(data, PHONE) == [] and _holding(data, TEXT) == []
        finally:
            services.stop()
            logsetup.setup(None)
    assert _holding(data, PHONE) == [] and _holding(data, TEXT) == []
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
