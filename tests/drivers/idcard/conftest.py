"""Fixtures for the ID card driver tests: a pty simulator, an event recorder, a reader factory."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drivers.idcard.card import CardRecord
from drivers.idcard.reader import IdCardReader, ReaderConfig
from drivers.idcard.simulator import CardSimulator

WAIT_S = 5.0  # generous upper bound for any single event; tests never assert timings

#: Short poll and timeouts so the suite drives time quickly; the logic is the same as in 1x.
FAST = {
    "poll_interval_s": 0.01,
    "sam_timeout_s": 0.15,
    "find_timeout_s": 0.15,
    "read_timeout_s": 0.6,
    "reconnect_min_s": 0.02,
    "reconnect_max_s": 0.1,
}


class Recorder:
    """Listener that keeps every event in order and lets a test wait for one."""

    def __init__(self, raise_after: str = "") -> None:
        self.events: list[tuple[str, Any]] = []
        self._changed = threading.Condition()
        self._raise_after = raise_after  # simulate a buggy listener on this event kind

    def _add(self, kind: str, payload: Any = None) -> None:
        with self._changed:
            self.events.append((kind, payload))
            self._changed.notify_all()
        if kind == self._raise_after:
            raise RuntimeError("listener bug")

    def reader_connected(self) -> None:
        self._add("connected")

    def reader_lost(self, reason_key: str) -> None:
        self._add("lost", reason_key)

    def card_read(self, record: CardRecord) -> None:
        self._add("read", record)

    def card_removed(self) -> None:
        self._add("removed")

    def card_unreadable(self, reason_key: str) -> None:
        self._add("unreadable", reason_key)

    def count(self, kind: str) -> int:
        with self._changed:
            return sum(1 for event_kind, _ in self.events if event_kind == kind)

    def of(self, kind: str) -> list[Any]:
        with self._changed:
            return [payload for event_kind, payload in self.events if event_kind == kind]

    def kinds(self) -> list[str]:
        with self._changed:
            return [kind for kind, _ in self.events]

    def wait_for(self, kind: str, count: int = 1, timeout: float = WAIT_S) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.count_unlocked(kind) >= count, timeout)

    def count_unlocked(self, kind: str) -> int:
        return sum(1 for event_kind, _ in self.events if event_kind == kind)


@pytest.fixture
def sim() -> Iterator[CardSimulator]:
    simulator = CardSimulator()
    simulator.open_pty()
    yield simulator
    simulator.close()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def start_reader(
    recorder: Recorder,
) -> Iterator[Callable[..., IdCardReader]]:
    """``start_reader(port, **overrides)``: a started reader on FAST timings, stopped after."""
    readers: list[IdCardReader] = []

    def start(port: str, **overrides: Any) -> IdCardReader:
        reader = IdCardReader(ReaderConfig(port=port, **{**FAST, **overrides}), recorder)
        readers.append(reader)
        reader.start()
        return reader

    yield start
    for reader in readers:
        reader.stop()
        assert not reader.running


@pytest.fixture
def make_recorder() -> type[Recorder]:
    return Recorder


@pytest.fixture
def polls_pass() -> Callable[[CardSimulator, int], bool]:
    """Wait until the reader has sent ``polls`` more commands: time passing, counted in bytes."""

    def wait(sim: CardSimulator, polls: int = 8) -> bool:
        return sim.wait_for_requests(len(sim.requests) + polls, timeout=WAIT_S)

    return wait
