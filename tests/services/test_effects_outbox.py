"""The effects runner hears from the outbox itself whether a report or help call got through.

Real parts: the reference centre on 127.0.0.1 (or a port nobody listens on), a real outbox
file, the kiosk's two workers and one shared centre client. The waits given to the runner are
long (30 s) on purpose: an answer well before them can only have come from the outbox's
``on_sent`` / ``on_retry`` callbacks, never from the deadline (or a poll).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from central.testing import running_centre
from kiosk.services.central import CentralClient
from kiosk.services.effects import EffectRunner, Outcome, ReportDelivery
from kiosk.services.outbox import Outbox
from kiosk.services.workers import CENTRAL_IO, LOCAL_IO, Workers

LONG_WAIT_S = 30.0
ANSWERED_WITHIN_MS = 10_000


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Any]:
    with running_centre(tmp_path / "central.db") as running:
        yield running


@pytest.fixture
def kiosk_parts(qapp: Any, tmp_path: Path) -> Iterator[Callable[[str, str, str], EffectRunner]]:
    """Build the runner the way the services hub does, against a given centre URL."""
    made: list[tuple[EffectRunner, Outbox, Workers, CentralClient]] = []

    def build(url: str, token: str, kiosk_id: str) -> EffectRunner:
        workers = Workers()
        client = CentralClient(url, token, kiosk_id, backoff_s=0.01, retries=0,
                               connect_timeout_s=2)
        outbox = Outbox(tmp_path / f"outbox-{len(made)}.sqlite3", client)
        runner = EffectRunner(client, outbox, None, central_io=workers.central,
                              local_io=workers.local)
        outbox.on_sent = outbox.on_failed = outbox.on_retry = runner.outbox_event
        outbox.start()
        made.append((runner, outbox, workers, client))
        return runner

    yield build
    for runner, outbox, workers, client in made:
        outbox.on_sent = outbox.on_failed = outbox.on_retry = None
        runner.close()
        outbox.close()
        workers.shutdown(timeout_s=10)
        client.close()


def test_report_gets_its_tracking_number_as_soon_as_the_outbox_delivers_it(
        centre: Any, kiosk_parts: Any, qtbot: Any) -> None:
    runner = kiosk_parts(centre.url, centre.kiosk_token, centre.kiosk_id)
    answers: list[Outcome] = []
    runner.submit_report({"matter_id": "marriage-reg", "situation": "not_accepted",
                          "description": "窗口说材料不全", "phone": "13912345678",
                          "language": "zh"}, answers.append, wait_s=LONG_WAIT_S)
    qtbot.waitUntil(lambda: answers != [], timeout=ANSWERED_WITHIN_MS)
    outcome = answers[0]
    assert outcome.ok, outcome
    delivery = outcome.value
    assert isinstance(delivery, ReportDelivery)
    assert delivery.tracking_no.startswith("R") and delivery.promised_date is not None
    assert runner.outbox.pending == 0


def test_help_call_to_an_unreachable_centre_says_so_after_the_first_try(
        kiosk_parts: Any, qtbot: Any) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    runner = kiosk_parts(f"http://127.0.0.1:{port}", "token", "kiosk-1")
    answers: list[Outcome] = []
    runner.call_help({"language": "zh", "reason": "help"}, answers.append, wait_s=LONG_WAIT_S)
    qtbot.waitUntil(lambda: answers != [], timeout=ANSWERED_WITHIN_MS)
    item = answers[0].value
    assert answers[0].ok and item.status == "pending" and item.attempts == 1  # kept, retried
    assert runner.outbox.pending == 1


def test_the_runner_uses_the_kiosks_two_workers_and_starts_no_thread(
        centre: Any, kiosk_parts: Any, qtbot: Any) -> None:
    runner = kiosk_parts(centre.url, centre.kiosk_token, centre.kiosk_id)
    before = {thread.name for thread in threading.enumerate()}
    assert {CENTRAL_IO, LOCAL_IO} <= before
    answers: list[Outcome] = []
    for number in range(5):
        runner.put("evaluation", {"window_no": "3", "level": 5, "reasons": []}, answers.append)
        runner.report_status(f"R{number:012d}", answers.append)
    qtbot.waitUntil(lambda: len(answers) == 10, timeout=ANSWERED_WITHIN_MS)
    assert {thread.name for thread in threading.enumerate()} == before
