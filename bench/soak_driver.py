"""Soak driver: many seeded citizen sessions through the real kiosk, with resource figures.

Shared by the CI soak (tests/soak/test_soak.py) and the full run (``python -m bench.soak``).
The real kiosk runs in-process offscreen against the simulated reader, the virtual printer and
the local reference centre. Sessions drive the flow bridges as the QML screens would (the same
slots, in the order the e2e tests tap them); the figures are read from /proc and from the
centre's own database, so a lost or doubled report shows up there, not in our own counts.
"""

from __future__ import annotations

import gc
import json
import os
import random
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FLOWS = ("ticket", "report", "evaluation", "guide", "progress", "help")
SITUATIONS = ("not_accepted", "not_approved", "several_visits", "staff_attitude", "other")
EVAL_REASONS = ("attitude", "slow", "unclear", "many_visits", "not_done", "environment")


class SoakError(AssertionError):
    """The kiosk did not reach the expected state in time (a hang is a soak failure)."""


def rss_mb() -> float:
    """Resident set size now, from the kernel (not the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def thread_counts() -> tuple[int, int]:
    """(Python threads, kernel tasks): Qt's own threads only show in the second."""
    return threading.active_count(), len(os.listdir("/proc/self/task"))


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


@dataclass
class Snapshot:
    sessions: int
    rss_mb: float
    py_threads: int
    tasks: int
    fds: int


def snapshot(sessions: int) -> Snapshot:
    gc.collect()
    py_threads, tasks = thread_counts()
    return Snapshot(sessions, round(rss_mb(), 2), py_threads, tasks, fd_count())


@dataclass
class SoakResult:
    sessions: int
    seconds: float
    warm: Snapshot
    end: Snapshot
    warnings: list[str]
    submitted_reports: Counter[str]
    submitted_evaluations: Counter[tuple[str, int, str]]
    server_reports: Counter[str]
    server_evaluations: Counter[tuple[str, int, str]]
    shown_tracking: list[str]
    server_tracking: set[str]
    flows_run: Counter[str] = field(default_factory=Counter)

    @property
    def reports_ok(self) -> bool:
        """Every report the soak submitted is at the centre exactly once, and nothing else."""
        return (self.submitted_reports == self.server_reports
                and set(self.shown_tracking) <= self.server_tracking)

    @property
    def evaluations_ok(self) -> bool:
        return self.submitted_evaluations == self.server_evaluations

    def figures(self) -> dict[str, Any]:
        return {
            "bench": "soak", "sessions": self.sessions, "seconds": round(self.seconds, 1),
            "sessions_per_s": round(self.sessions / self.seconds, 2) if self.seconds else 0,
            "rss_start_mb": self.warm.rss_mb, "rss_end_mb": self.end.rss_mb,
            "growth_mb": round(self.end.rss_mb - self.warm.rss_mb, 2), "goal_growth_mb": 5,
            "threads": [self.warm.py_threads, self.end.py_threads],
            "tasks": [self.warm.tasks, self.end.tasks], "fds": [self.warm.fds, self.end.fds],
            "warnings": len(self.warnings),
            "reports": sum(self.submitted_reports.values()),
            "evaluations": sum(self.submitted_evaluations.values()),
            "reports_ok": self.reports_ok, "evaluations_ok": self.evaluations_ok,
            "flows": dict(self.flows_run),
        }


class QtWarningRecorder:
    """Records Qt warnings and worse. Installed only once screens are compiled (see run())."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self._previous: Any = None

    def __call__(self, kind: Any, _context: Any, message: str) -> None:
        from PySide6.QtCore import QtMsgType

        if kind != QtMsgType.QtDebugMsg and kind != QtMsgType.QtInfoMsg:
            self.messages.append(str(message))

    def install(self) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        self._previous = qInstallMessageHandler(self)

    def remove(self) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(self._previous)


class SoakDriver:
    """One kiosk, N sessions. ``run`` returns the figures and what the centre holds."""

    def __init__(self, workdir: Path, *, seed: int = 8, timeout_s: float = 20.0) -> None:
        self.workdir = workdir
        self.random = random.Random(seed)
        self.timeout_s = timeout_s
        self.app: Any = None
        self.simulation: Any = None
        self.submitted_reports: Counter[str] = Counter()
        self.submitted_evaluations: Counter[tuple[str, int, str]] = Counter()
        self.shown_tracking: list[str] = []
        self.flows_run: Counter[str] = Counter()
        self._serial = 0
        self.refused_tickets = 0
        self.homes = 0  # shell.homeRequested emissions: how a session is seen to end
        self._homes_at_start = 0

    # ---- the kiosk
    def start(self) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from kiosk.app import KioskApp, prepare_environment
        from kiosk.config import load
        from kiosk.simulation import Simulation

        prepare_environment()
        settings = load(ROOT / "kiosk.toml").replace(
            "kiosk", data_dir=str(self.workdir / "var")).replace("display", fullscreen=False).replace(
            # The voice thread runs as configured, on Qt's silent engine: on a machine without
            # an audio server, speech-dispatcher 0.11 deadlocks on its first sentence and stays
            # so for every later client of that user (the kiosk copes; the machine should not).
            "ui", voice_engine="mock")
        self.simulation = Simulation(self.workdir / "sim")
        settings = self.simulation.start(settings)
        try:
            self.app = KioskApp(settings, windowed=True, simulation=self.simulation)
            self.pump(lambda: self.app.screens_ready and self.app.services.catalogue is not None,
                      timeout_s=60)
            self.app.shell.homeRequested.connect(self._on_home)
            # The voice connects to speech-dispatcher 3 s after start-up, on its own thread
            # (bounded: 'unavailable' if it never answers); its start-up messages are not
            # what the warning recorder is for, and its thread belongs in the warm-up count.
            voice = self.app.voice
            self.pump(lambda: voice is None or voice.state in ("ready", "unavailable")
                      or not voice.enabled, timeout_s=30, what="the voice started")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.app is not None:
            self.app.close()
            self.app = None
        if self.simulation is not None:
            self.simulation.stop()
            self.simulation = None

    def pump(self, until: Callable[[], bool], timeout_s: float | None = None,
             what: str = "") -> None:
        """Run the Qt loop until ``until()`` (bounded: a hang fails the soak)."""
        from PySide6.QtCore import QEventLoop

        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        flags = QEventLoop.ProcessEventsFlag.AllEvents
        while not until():
            if time.monotonic() > deadline:
                raise SoakError(f"timed out waiting for {what or until}")
            self.app.qt.processEvents(flags, 5)
            time.sleep(0.0005)  # let the service threads have the GIL

    def state_is(self, bridge: Any, *states: str) -> Callable[[], bool]:
        return lambda: bridge.flow is not None and bridge.state in states

    def wait_state(self, bridge: Any, *states: str) -> None:
        self.pump(self.state_is(bridge, *states), what=f"{type(bridge).__name__} in {states}")

    def wait_home(self, bridge: Any) -> None:
        """The flow ended and the shell went home (deferred by the hub, so wait for it)."""
        self.pump(lambda: self.homes > self._homes_at_start and bridge.flow is None,
                  what=f"{type(bridge).__name__} back home")

    def _on_home(self) -> None:
        self.homes += 1

    # ---- one session
    def session(self, number: int) -> str:
        """One citizen: language, elder mode, a flow, maybe walked away; ends at home."""
        rnd = self.random
        shell = self.app.shell
        shell.setLanguage(rnd.choice(("zh", "zh", "en")))
        shell.setElderMode(rnd.random() < 0.2)
        flow = rnd.choice(FLOWS)
        walk_away = rnd.random() < 0.1
        self._homes_at_start = self.homes
        getattr(self, f"_{flow}")(number, walk_away)
        if walk_away:
            shell.reset_session()  # the idle timer's reset
        self.simulation.remove_card()
        self.pump(lambda: self.homes > self._homes_at_start
                  and all(getattr(self.app.flows, f).flow is None for f in FLOWS)
                  and shell.session.is_empty, what="home with the session dropped")
        self.flows_run[flow + ("/idle" if walk_away else "")] += 1
        return flow

    def _ticket(self, _number: int, walk_away: bool) -> None:
        bridge = self.app.flows.ticket
        bridge.start()
        self.wait_state(bridge, "CHOOSE_ZONE")
        bridge.chooseZone("C")
        self.wait_state(bridge, "CHOOSE_MATTER")
        bridge.chooseMatter("marriage-reg")
        self.wait_state(bridge, "IDENTIFY", "ASK_PRIORITY")
        if self.random.random() < 0.5:
            self.simulation.place_card(self.random.randrange(9))
            self._settle(0.2)  # the reader's frames arrive over the pseudo-terminal
        if walk_away:
            return
        if bridge.state == "IDENTIFY":
            bridge.proceed()
        if bridge.state == "ASK_PRIORITY":  # elder mode asks the disability question apart
            bridge.declareDisability(self.random.random() < 0.3)
        self.wait_state(bridge, "CONFIRM")
        bridge.confirm()
        self.wait_state(bridge, "TICKET", "UNAVAILABLE", "ERROR")
        if bridge.state != "TICKET":  # quota reached or centre refused: the citizen goes home
            self.refused_tickets += 1
            self.app.shell.goHome()
            return
        bridge.finish()
        self.wait_home(bridge)

    def _report(self, number: int, walk_away: bool) -> None:
        bridge = self.app.flows.report
        bridge.start()
        self.wait_state(bridge, "IDENTIFY")
        bridge.usePhone()
        self.wait_state(bridge, "ENTER_PHONE")
        bridge.enterPhone("138" + f"{self.random.randrange(10**8):08d}")
        self.wait_state(bridge, "CHOOSE_MATTER")
        bridge.chooseMatter("marriage-reg")
        self.wait_state(bridge, "SITUATION")
        bridge.chooseSituation(self.random.choice(SITUATIONS))
        self.wait_state(bridge, "DESCRIBE")
        self._serial += 1
        marker = f"soak {self._serial} session {number}"
        bridge.describe(marker)
        bridge.next()
        self.wait_state(bridge, "CONTACT")
        bridge.next()  # keep the number given at the start
        self.wait_state(bridge, "REVIEW")
        if walk_away:
            return
        bridge.submit()
        self.wait_state(bridge, "RESULT", "ERROR")
        if bridge.state != "RESULT":
            raise SoakError(f"report refused: {bridge.error}")
        self.submitted_reports[marker] += 1
        flow = bridge.flow
        if flow.tracking_no:
            self.shown_tracking.append(flow.tracking_no)
        bridge.finish()
        self.wait_home(bridge)

    def _evaluation(self, number: int, walk_away: bool) -> None:
        bridge = self.app.flows.evaluation
        bridge.start()
        self.wait_state(bridge, "LINK")
        self._serial += 1
        window = f"S{self._serial}"
        bridge.linkWindow(window)
        self.wait_state(bridge, "LEVEL")
        if walk_away:
            return
        level = self.random.randint(1, 5)
        reasons: tuple[str, ...] = ()
        bridge.chooseLevel(level)
        if level <= 2:
            self.wait_state(bridge, "REASONS")
            reasons = tuple(self.random.sample(EVAL_REASONS, self.random.randint(1, 3)))
            for reason in reasons:
                bridge.toggleReason(reason)
            bridge.submit()
        self.wait_state(bridge, "THANKS", "ERROR")
        if bridge.state != "THANKS":
            raise SoakError(f"evaluation refused: {bridge.error}")
        self.submitted_evaluations[(window, level, json.dumps(list(reasons)))] += 1
        bridge.finish()
        self.wait_home(bridge)

    def _guide(self, _number: int, walk_away: bool) -> None:
        bridge = self.app.flows.guide
        bridge.start()
        self.wait_state(bridge, "BROWSE")
        bridge.search(self.random.choice(("hyd", "婚姻", "marriage", "")))
        bridge.openMatter("marriage-reg")
        self.wait_state(bridge, "GUIDE")
        if walk_away:
            return
        if self.random.random() < 0.5:
            printed = len(self.simulation.virtual_printer.tickets)
            bridge.printSlip()
            if self.simulation.virtual_printer.state == "ok":
                self.pump(lambda: len(self.simulation.virtual_printer.tickets) > printed,
                          what="the slip printed")
            self._settle(0.05)
        bridge.finish()
        self.wait_home(bridge)

    def _progress(self, _number: int, walk_away: bool) -> None:
        bridge = self.app.flows.progress
        bridge.start()
        self.wait_state(bridge, "CHOOSE_METHOD")
        bridge.byNumber()
        self.wait_state(bridge, "ENTER_NUMBER")
        if walk_away:
            return
        known = self.shown_tracking and self.random.random() < 0.7
        tracking = (self.random.choice(self.shown_tracking) if known
                    else "R" + f"{self.random.randrange(10**12):012d}")
        bridge.enterNumber(tracking)
        self.wait_state(bridge, "RESULTS", "ERROR", "ENTER_NUMBER")
        self._settle(0.01)
        self.wait_state(bridge, "RESULTS", "ERROR", "ENTER_NUMBER")
        if known and bridge.state != "RESULTS":
            raise SoakError(f"a report the kiosk submitted was not found: {bridge.error}")
        if bridge.state == "RESULTS":
            bridge.finish()
            self.wait_home(bridge)
        else:
            self.app.shell.goHome()

    def _help(self, _number: int, walk_away: bool) -> None:
        bridge = self.app.flows.help
        bridge.ask("")
        self.pump(lambda: bridge.flow is not None and bridge.state in ("COMING", "QUEUED", "FAILED"),
                  what="help call answered")
        if walk_away:
            return
        bridge.close()
        self.pump(lambda: not bridge.active, what="help closed")
        self.app.shell.goHome()

    def _settle(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        self.pump(lambda: time.monotonic() >= end, timeout_s=seconds + 5)

    # ---- between sessions
    def printer_fault(self) -> None:
        """Paper runs out now and then, and is refilled a few sessions later."""
        printer = self.simulation.virtual_printer
        if printer.state == "ok" and self.random.random() < 0.05:
            printer.set_state("paper_out")
        elif printer.state != "ok" and self.random.random() < 0.3:
            printer.set_state("ok")

    # ---- the whole soak
    def run(self, sessions: int, *, progress: Callable[[int], None] | None = None) -> SoakResult:
        warm_up = max(1, sessions // 10)
        recorder = QtWarningRecorder()
        recorder.install()  # only now: screens are precompiled, the QML loader thread is idle
        started = time.monotonic()
        warm = snapshot(0)
        try:
            for number in range(sessions):
                self.printer_fault()
                self.session(number)
                if number + 1 == warm_up:
                    warm = snapshot(warm_up)
                if progress is not None:
                    progress(number + 1)
            self.simulation.virtual_printer.set_state("ok")
            outbox = self.app.services.outbox
            outbox.wake()
            self.pump(lambda: outbox.pending == 0, timeout_s=60, what="the outbox drained")
            self._settle(0.5)
            end = snapshot(sessions)
        finally:
            recorder.remove()
        seconds = time.monotonic() - started
        server_reports, server_evaluations, server_tracking = self.server_records()
        return SoakResult(sessions, seconds, warm, end, recorder.messages,
                          self.submitted_reports, self.submitted_evaluations,
                          server_reports, server_evaluations, self.shown_tracking,
                          server_tracking, self.flows_run)

    def server_records(self) -> tuple[Counter[str], Counter[tuple[str, int, str]], set[str]]:
        """What the centre's database holds for this kiosk (read-only)."""
        info = self.simulation.central_info
        database = info.get("database") or str(self.simulation.workdir / "central.db")
        kiosk_id = info["kiosk_id"]
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            reports = db.execute("SELECT tracking_no, description FROM reports WHERE kiosk_id = ?",
                                 (kiosk_id,)).fetchall()
            evaluations = db.execute(
                "SELECT window_no, level, reasons FROM evaluations WHERE kiosk_id = ?",
                (kiosk_id,)).fetchall()
        # Some situations prefix the description with their label: match the soak's marker.
        markers = (re.search(r"soak \d+ session \d+", d or "") for _, d in reports)
        return (Counter(m.group(0) if m else "?" for m in markers),
                Counter((w, int(level), json.dumps(json.loads(r))) for w, level, r in evaluations),
                {tracking for tracking, _ in reports})
