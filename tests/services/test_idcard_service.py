"""IdCardService against the pty simulator: driver events arrive as Qt signals on the GUI thread."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread

from drivers.idcard.cards import CARDS
from drivers.idcard.simulator import CardSimulator
from kiosk.services.idcard import IdCardService
from kiosk.words import pair

TIMEOUT_MS = 5000


@pytest.fixture
def sim() -> Iterator[CardSimulator]:
    simulator = CardSimulator()
    simulator.open_pty()
    yield simulator
    simulator.close()


@pytest.fixture
def service(qtbot, sim: CardSimulator) -> Iterator[IdCardService]:
    svc = IdCardService(
        sim.port_path,
        poll_interval_s=0.01,
        sam_timeout_s=0.15,
        find_timeout_s=0.15,
        read_timeout_s=0.6,
        reconnect_max_s=0.1,
    )
    yield svc
    svc.stop()


def test_card_read_and_removed_arrive_on_the_gui_thread(qtbot, sim, service) -> None:
    threads: list[object] = []
    service.cardRead.connect(lambda _record: threads.append(QThread.currentThread()))
    with qtbot.waitSignal(service.readerConnected, timeout=TIMEOUT_MS):
        service.start()
    assert service.connected

    with qtbot.waitSignal(service.cardRead, timeout=TIMEOUT_MS) as read:
        sim.place(CARDS["long_term"])
    record = read.args[0]
    assert record.name == "李示例" and record.valid_to is None
    assert "李示例" not in repr(record)
    assert threads == [service.thread()]  # delivered on the thread the service lives in

    with qtbot.waitSignal(service.cardRemoved, timeout=TIMEOUT_MS):
        sim.remove()


def test_unreadable_card_gives_a_reason_key_with_texts(qtbot, sim, service) -> None:
    with qtbot.waitSignal(service.readerConnected, timeout=TIMEOUT_MS):
        service.start()
    with (
        qtbot.assertNotEmitted(service.cardRead, wait=0),
        qtbot.waitSignal(service.cardUnreadable, timeout=TIMEOUT_MS) as unreadable,
    ):
        sim.place(CARDS["bad_check_digit"])
    assert unreadable.args == ["card.invalid"]
    zh, en = pair("card.invalid")
    assert "人工窗口" in zh and "staffed window" in en


def test_unplug_reports_lost_then_connected_again(qtbot, sim, service) -> None:
    with qtbot.waitSignal(service.readerConnected, timeout=TIMEOUT_MS):
        service.start()
    with qtbot.waitSignal(service.readerLost, timeout=TIMEOUT_MS) as lost:
        sim.unplug()
    assert lost.args == ["reader.io_error"] and not service.connected
    with qtbot.waitSignal(service.readerConnected, timeout=TIMEOUT_MS):
        sim.replug()
    assert service.connected


def test_stop_ends_the_worker_and_events(qtbot, sim, service) -> None:
    with qtbot.waitSignal(service.readerConnected, timeout=TIMEOUT_MS):
        service.start()
    service.stop()
    with qtbot.assertNotEmitted(service.cardRead, wait=200):
        sim.place(CARDS["resident"])
