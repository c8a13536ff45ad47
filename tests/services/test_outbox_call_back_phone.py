"""A 差评's call-back number (回访) goes through the outbox like a report's phone: on disk until
the centre has it, then gone from the outbox file and its WAL; the centre's 整改 order keeps it."""

from __future__ import annotations

import time
from pathlib import Path

from central.testing import running_centre
from kiosk.flows.evaluation import SubmitEvaluation
from kiosk.services.central import CentralClient
from kiosk.services.outbox import Outbox

PHONE = "13987654321"


def outbox_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_the_call_back_number_is_forgotten_once_delivered(tmp_path):
    effect = SubmitEvaluation(1, ("attitude",), None, "12", "call-back-1", phone=PHONE)
    path = tmp_path / "kiosk" / "outbox.db"
    with running_centre(tmp_path / "central.db") as centre:
        outbox = Outbox(path, CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id,
                                            backoff_s=0.01), backoff_initial_s=0.01)
        try:
            outbox.put("evaluation", effect.body(), item_id=effect.idempotency_key)
            assert PHONE.encode() in outbox_bytes(path)  # durable before anything is sent
            deadline = time.monotonic() + 20
            while outbox.pending and time.monotonic() < deadline:
                outbox.send_due()
                time.sleep(0.02)
            assert outbox.pending == 0 and outbox.failed == 0
        finally:
            outbox.close()
        assert PHONE.encode() not in outbox_bytes(path)
        with centre.service.db.read() as tx:
            row = tx.one("SELECT r.phone, r.phone_masked, r.status FROM rectifications r "
                         "JOIN evaluations e ON e.id = r.evaluation_id WHERE e.window_no = '12'")
    assert row == {"phone": PHONE, "phone_masked": "139****4321", "status": "received"}
