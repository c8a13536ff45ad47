"""Soak driver: many seeded citizen sessions through the real kiosk, with resource figures.

Shared by the CI soak (tests/soak/test_soak.py) and the full run (``python -m bench.soak``).
The real kiosk runs in-process offscreen against the simulated reader, the virtual printer and
the local reference centre. Each session starts the way a citizen starts one: a tap on the home
screen's entry (and on the top bar's language and elder-mode buttons), posted to the window as a
touch press and release, so the real QML screen is pushed, bound and popped. Inside a flow the
driver calls the bridge slots the screen's buttons call (in the order the e2e tests tap them).
Between sessions the centre sometimes publishes a new signed configuration bundle, now and then
while a citizen is mid-session (the kiosk must hold it until home). The figures are read from
/proc, from the window's object tree and from the centre's own database, so a lost or doubled
report shows up there, not in our own counts.

The driver waits inside a running Qt event loop (``QEventLoop.exec``), as the kiosk does under
``app.exec()``. ``processEvents()`` called from top-level code never runs ``deleteLater()``
(Qt runs a deferred delete only once control is back in an event loop): a soak that only
processes events keeps every Loader item and pushed screen ever replaced, which is not what
a kiosk in the hall does.
"""

from __future__ import annotations

import gc
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
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


def rss_by_kind() -> dict[str, float]:
    """Resident MB by kind of mapping, so growth says where it is: the main heap (brk), anonymous
    maps (Python's arenas, other threads' malloc arenas, large blocks), Qt's JavaScript heap,
    and files (libraries, fonts, databases)."""
    kinds: Counter[str] = Counter()
    kind = "anon"
    with open("/proc/self/smaps", encoding="utf-8", errors="replace") as maps:
        for line in maps:
            fields = line.split()
            if fields and fields[0] == "Rss:":
                kinds[kind] += int(fields[1])
            elif fields and "-" in fields[0] and not fields[0].endswith(":"):
                name = fields[5] if len(fields) > 5 else ""
                kind = ("heap" if name == "[heap]" else "js" if "JSGCHeap" in name
                        else "file" if name.startswith("/") else "anon")
    return {name: round(kb / 1024, 1) for name, kb in sorted(kinds.items())}


def thread_counts() -> tuple[int, int]:
    """(Python threads, kernel tasks): Qt's own threads only show in the second."""
    return threading.active_count(), len(os.listdir("/proc/self/task"))


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def _qobject_classes_below(*roots: Any) -> list[str]:
    """Class names of every QObject below ``roots`` (not the roots themselves), read from Qt's
    own ``dumpObjectTree``, which makes no Python object.

    Why not ``findChildren``: it wraps every object in a Python wrapper, and PySide never frees
    the wrapper of an object that C++ deletes later (it stays with its parent's wrapper). A
    walk left ~700 of them, a session's taps ~2: 1 Python object per session and most of the
    8.5 MB a 10,000-session soak grew, all of it the soak's own, none the kiosk's.

    Qt Virtual Keyboard's navigation highlight is left out: its loader holds a Behavior's
    animation or not depending on whether keys or touch were used last (853 vs 852 between two
    snapshots at home), which is keyboard state, not a leak.
    """
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    lines: list[str] = []

    def collect(kind: Any, context: Any, message: str) -> None:
        if kind == QtMsgType.QtDebugMsg and "::" in message:
            lines.append(message)
        elif previous is not None:
            previous(kind, context, message)

    previous = qInstallMessageHandler(collect)
    try:
        for root in roots:
            root.dumpObjectTree()  # "<indent>Class::objectName <flags>", 4 spaces a level
    finally:
        qInstallMessageHandler(previous)
    classes: list[str] = []
    skipping_below: int | None = None
    for line in lines:
        depth = (len(line) - len(line.lstrip(" "))) // 4
        if skipping_below is not None and depth > skipping_below:
            continue
        skipping_below = None
        class_name, _, rest = line.strip().partition("::")
        if rest.split(" ", 1)[0] == "navigationHighlight":
            skipping_below = depth
        elif depth > 0:
            classes.append(class_name)
    return classes


#: Walks the window's visual tree in its own JavaScript engine (JS wrappers are collected by
#: its garbage collector; Python ones would stay, see _qobject_classes_below): the number of
#: items, or the topmost visible one with a given objectName.
_VISUAL_TREE_JS = """(function (root, name) {
    var count = 0, found = null, pending = [root];
    while (pending.length > 0) {
        var item = pending.pop();
        count += 1;
        if (name !== "" && item.objectName === name && item.visible)
            found = item;
        for (var i = 0; i < item.children.length; ++i)
            pending.push(item.children[i]);
    }
    return name === "" ? count : found;
})"""


def _walk_visual_tree(app: Any, name: str = "") -> Any:
    walk = getattr(app, "_soak_tree_walk", None)
    if walk is None:
        walk = app._soak_tree_walk = app.engine.evaluate(_VISUAL_TREE_JS)
    result = walk.call([app.engine.toScriptValue(app.window.contentItem()), name])
    return result.toInt() if not name else (None if result.isNull() else result.toQObject())


def qt_object_classes(app: Any) -> Counter[str]:
    """The counted QObjects by class name (what a failing count names)."""
    return Counter(_qobject_classes_below(app.window, app.root))


def qt_object_counts(app: Any) -> tuple[int, int]:
    """(QObjects owned by the window or the app's root, items in the window's visual tree).

    Loader items are in the visual tree but not always QObject children of the window, hence
    both counts. Taken at home, they are the same after every session unless
    something the sessions made is never destroyed.
    """
    return len(_qobject_classes_below(app.window, app.root)), _walk_visual_tree(app)


@dataclass
class Snapshot:
    sessions: int
    rss_mb: float
    py_threads: int
    tasks: int
    fds: int
    qobjects: int = 0
    items: int = 0
    py_objects: int = 0
    #: QObjects by class, so a failing count says what grew.
    qobject_classes: Counter[str] = field(default_factory=Counter, repr=False)


def snapshot(sessions: int, app: Any = None) -> Snapshot:
    gc.collect()
    py_threads, tasks = thread_counts()
    qobjects, items = qt_object_counts(app) if app is not None else (0, 0)
    classes = qt_object_classes(app) if app is not None else Counter()
    gc.collect()  # the wrappers the count made
    return Snapshot(sessions, round(rss_mb(), 2), py_threads, tasks, fd_count(), qobjects, items,
                    len(gc.get_objects()), classes)


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
    pushes_published: int = 0
    pushes_applied: int = 0
    pushes_held: int = 0  # published mid-session, held until home (as the kiosk must)
    refused_tickets: int = 0

    @property
    def growth_mb(self) -> float:
        return round(self.end.rss_mb - self.warm.rss_mb, 2)

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
            "growth_mb": self.growth_mb, "goal_growth_mb": 5,
            "threads": [self.warm.py_threads, self.end.py_threads],
            "tasks": [self.warm.tasks, self.end.tasks], "fds": [self.warm.fds, self.end.fds],
            "qobjects": [self.warm.qobjects, self.end.qobjects],
            "items": [self.warm.items, self.end.items],
            "py_objects": [self.warm.py_objects, self.end.py_objects],
            "config_pushes": {"published": self.pushes_published, "applied": self.pushes_applied,
                              "held_mid_session": self.pushes_held},
            "refused_tickets": self.refused_tickets,
            "warnings": len(self.warnings),
            "reports": sum(self.submitted_reports.values()),
            "evaluations": sum(self.submitted_evaluations.values()),
            "reports_ok": self.reports_ok, "evaluations_ok": self.evaluations_ok,
            "flows": dict(self.flows_run),
        }


DEMO_CONFIG = ROOT / "central" / "demo_config.toml"
ALL_HOURS = 'hours = { open = "00:00", close = "23:59", days = [1, 2, 3, 4, 5, 6, 7] }'


def pushed_idle_s(number: int) -> int:
    return 90 + 30 * (number % 3)


def pushed_config(number: int) -> str:
    """The demo hall's configuration as the simulation serves it (every matter open around
    the clock), with push ``number``'s notice and idle timeout: a TOML file for ``publish``."""
    text = re.sub(r"^hours = \{[^}]*\}", ALL_HOURS, DEMO_CONFIG.read_text(encoding="utf-8"),
                  flags=re.MULTILINE)
    text, found = re.subn(r"^idle_s = \d+", f"idle_s = {pushed_idle_s(number)}", text,
                          flags=re.MULTILINE)
    if found != 1:
        raise SoakError("demo_config.toml has no [timeouts] idle_s to vary")
    return text + f'\n[[notices]]\nzh = "配置推送 soak push {number}"\nen = "soak push {number}"\n'


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

    def __init__(self, workdir: Path, *, seed: int = 8, timeout_s: float = 20.0,
                 push_every: int = 50) -> None:
        self.workdir = workdir
        self.random = random.Random(seed)
        self.timeout_s = timeout_s
        self.push_every = push_every  # one config push per this many sessions, on average
        self.app: Any = None
        self.simulation: Any = None
        self.submitted_reports: Counter[str] = Counter()
        self.submitted_evaluations: Counter[tuple[str, int, str]] = Counter()
        self.shown_tracking: list[str] = []
        self.check_codes: dict[str, str] = {}  # tracking number -> the receipt's check code
        self.flows_run: Counter[str] = Counter()
        self._serial = 0
        self.refused_tickets = 0
        self._seeded_reports: set[str] = set()  # the demo hall's own reports, set by run()
        self._seeded_evaluations: Counter[tuple[str, int, str]] = Counter()  # and ratings
        self.pushes_published = 0
        self.pushes_applied = 0
        self.pushes_held = 0
        self.homes = 0  # shell.homeRequested emissions: how a session is seen to end
        self._homes_at_start = 0
        self.frames = 0
        self._loop: Any = None
        self._timer: Any = None
        self._waiting: tuple[Callable[[], bool], float] | None = None
        self._wait_outcome: BaseException | None = None
        self._found: dict[str, Any] = {}

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
        # Citizens come every second or so, far faster than at a real kiosk: the centre's
        # per-kiosk rate limits would refuse most of them (they are tested in tests/central).
        self.simulation = Simulation(self.workdir / "sim", centre_limits=False)
        settings = self.simulation.start(settings)
        # The virtual printer lives in this process: its ticket history is the simulator's
        # memory, not the kiosk's, so it keeps only a few tickets here.
        self.simulation.virtual_printer.tickets_kept = 20
        try:
            self.app = KioskApp(settings, windowed=True, simulation=self.simulation)
            self.app.window.frameSwapped.connect(self._on_frame)
            self.pump(lambda: self.app.screens_ready and self.app.services.catalogue is not None,
                      timeout_s=60, what="the screens compiled and the configuration")
            self.app.shell.homeRequested.connect(self._on_home)
            # The keyboard loads after the services, and the voice connects to its engine 3 s
            # after start-up on its own thread (bounded: 'unavailable' if it never answers);
            # their start-up messages are not what the warning recorder is for, and the voice
            # thread belongs in the warm-up count.
            self.pump(lambda: self.app.settled, timeout_s=60,
                      what="the on-screen keyboard and the voice started")
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
        """Run the Qt event loop until ``until()`` (bounded: a hang fails the soak).

        A real ``QEventLoop.exec()``, not ``processEvents()``: deferred deletions run only in
        an event loop, as they do in the kiosk (see the module docstring).
        """
        from PySide6.QtCore import QEventLoop, QTimer

        if until():
            return
        if self._loop is None:
            self._loop = QEventLoop()
            self._timer = QTimer()
            self._timer.setInterval(2)
            self._timer.timeout.connect(self._check_wait)
        self._waiting = (until, time.monotonic() + (timeout_s or self.timeout_s))
        self._wait_outcome = None
        self._timer.start()
        try:
            self._loop.exec()
        finally:
            self._timer.stop()
            self._waiting = None
        if self._wait_outcome is not None:
            outcome, self._wait_outcome = self._wait_outcome, None
            if isinstance(outcome, SoakError):
                raise SoakError(f"timed out waiting for {what or until}")
            raise outcome

    def _check_wait(self) -> None:
        if self._waiting is None:
            self._loop.quit()
            return
        until, deadline = self._waiting
        try:
            done = until()
        except BaseException as error:  # raised again by pump(), outside the Qt slot
            self._wait_outcome = error
            done = True
        if not done and time.monotonic() > deadline:
            self._wait_outcome = SoakError()
            done = True
        if done:
            self._waiting = None
            self._loop.quit()

    def _on_frame(self) -> None:
        self.frames += 1

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

    # ---- taps, as a touch screen delivers them
    def find(self, name: str) -> Any:
        """The visible item named ``name`` in the window's visual tree (topmost if several).

        Remembered once found (the home screen's entries and the top bar live as long as the
        window), and looked up in JavaScript otherwise, so no walk leaves Python wrappers
        behind (see _qobject_classes_below).
        """
        import shiboken6

        item = self._found.get(name)
        if item is not None and shiboken6.isValid(item) and item.isVisible():
            return item
        found = _walk_visual_tree(self.app, name)
        if found is not None:
            self._found[name] = found
        return found

    def tap(self, name: str) -> None:
        """A press and a release at the centre of ``name``, once a frame shows it laid out."""
        from kiosk.ui.touch import post_tap

        frames = self.frames
        self.app.window.update()  # a state change just before: wait for its polished frame
        self.pump(lambda: self.frames > frames and self.find(name) is not None,
                  what=f"{name} on screen")
        post_tap(self.app.window, self.find(name))

    def open_entry(self, flow: str, bridge: Any) -> None:
        """Tap the home screen's entry: the real screen is pushed and starts its flow."""
        self.tap(f"entry_{flow}")
        self.pump(lambda: bridge.flow is not None and self.app.shell.screen != "home",
                  what=f"the {flow} screen opened")

    # ---- one session
    def session(self, number: int, *, push_mid_session: bool = False) -> str:
        """One citizen: language, elder mode, a flow, maybe walked away; ends at home."""
        rnd = self.random
        shell = self.app.shell
        language = rnd.choice(("zh", "zh", "en"))
        elder = rnd.random() < 0.2
        flow = rnd.choice(FLOWS)
        walk_away = rnd.random() < 0.1
        push = rnd.random() < 1 / self.push_every if self.push_every else False
        mid_session = (push and rnd.random() < 0.5) or push_mid_session
        if push and not mid_session:
            self.push_config()
        if shell.language != language:
            self.tap("languageButton")
            self.pump(lambda: shell.language == language, what="the language switched")
        if shell.elderMode != elder:
            self.tap("elderButton")
            self.pump(lambda: shell.elderMode == elder, what="elder mode switched")
        self._homes_at_start = self.homes
        self._push_mid_session = mid_session
        getattr(self, f"_{flow}")(number, walk_away)
        if walk_away:
            shell.reset_session()  # the idle timer's reset
        self.simulation.remove_card()
        self.pump(lambda: self.homes > self._homes_at_start
                  and all(getattr(self.app.flows, f).flow is None for f in FLOWS)
                  and shell.session.is_empty and shell.screen == "home",
                  what="home with the session dropped")
        if self._push_mid_session:  # the flow never got to publish (a very short session)
            self.push_config()
        self._wait_config_applied()
        self.flows_run[flow + ("/idle" if walk_away else "")] += 1
        return flow

    def _mid_session(self) -> None:
        """Called by each flow once its screen is open: the centre publishes now, perhaps."""
        if self._push_mid_session:
            self._push_mid_session = False
            self.push_config(mid_session=True)

    def _ticket(self, _number: int, walk_away: bool) -> None:
        bridge = self.app.flows.ticket
        self.open_entry("ticket", bridge)
        self.wait_state(bridge, "CHOOSE_ZONE")
        self._mid_session()
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
        if bridge.state != "TICKET":  # quota reached or centre refused: "home now"
            self.refused_tickets += 1
            bridge.abort()
        else:
            bridge.finish()
        self.wait_home(bridge)

    def _report(self, number: int, walk_away: bool) -> None:
        bridge = self.app.flows.report
        self.open_entry("report", bridge)
        self.wait_state(bridge, "IDENTIFY")
        self._mid_session()
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
            self.check_codes[flow.tracking_no] = flow.check_code
        bridge.finish()
        self.wait_home(bridge)

    def _evaluation(self, number: int, walk_away: bool) -> None:
        bridge = self.app.flows.evaluation
        self.open_entry("evaluation", bridge)
        self.wait_state(bridge, "LINK")
        self._mid_session()
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
            self.wait_state(bridge, "PHONE")  # the optional call-back number (回访)
            if self.random.random() < 0.5:
                bridge.enterPhone(f"139{self._serial % 10**8:08d}")
            else:
                bridge.skipPhone()
        self.wait_state(bridge, "THANKS", "ERROR")
        if bridge.state != "THANKS":
            raise SoakError(f"evaluation refused: {bridge.error}")
        self.submitted_evaluations[(window, level, json.dumps(list(reasons)))] += 1
        bridge.finish()
        self.wait_home(bridge)

    def _guide(self, _number: int, walk_away: bool) -> None:
        bridge = self.app.flows.guide
        self.open_entry("guide", bridge)
        self.wait_state(bridge, "BROWSE")
        self._mid_session()
        bridge.search(self.random.choice(("hyd", "婚姻", "marriage", "")))
        bridge.openMatter("marriage-reg")
        self.wait_state(bridge, "GUIDE")
        if walk_away:
            return
        if self.random.random() < 0.5:
            printed = self.simulation.virtual_printer.printed
            bridge.printSlip()
            if self.simulation.virtual_printer.state == "ok":
                self.pump(lambda: self.simulation.virtual_printer.printed > printed,
                          what="the slip printed")
            self._settle(0.05)
        bridge.finish()
        self.wait_home(bridge)

    def _progress(self, _number: int, walk_away: bool) -> None:
        bridge = self.app.flows.progress
        self.open_entry("progress", bridge)
        self.wait_state(bridge, "CHOOSE_METHOD")
        self._mid_session()
        bridge.byNumber()
        self.wait_state(bridge, "ENTER_NUMBER")
        if walk_away:
            return
        known = self.shown_tracking and self.random.random() < 0.7
        tracking = (self.random.choice(self.shown_tracking) if known
                    else "R" + f"{self.random.randrange(10**12):012d}")
        bridge.enterNumber(tracking)
        self.wait_state(bridge, "ENTER_CODE")
        bridge.enterCode(self.check_codes.get(tracking) or f"{self.random.randrange(10**4):04d}")
        self.wait_state(bridge, "RESULTS", "ERROR", "ENTER_CODE")
        self._settle(0.01)
        self.wait_state(bridge, "RESULTS", "ERROR", "ENTER_CODE")
        if known and bridge.state != "RESULTS":
            raise SoakError(f"a report the kiosk submitted was not found: {bridge.error}")
        if bridge.state == "RESULTS":
            bridge.finish()
            self.wait_home(bridge)
        else:
            self.app.shell.goHome()

    def _help(self, _number: int, walk_away: bool) -> None:
        bridge = self.app.flows.help
        self.open_entry("help", bridge)
        self.pump(lambda: bridge.flow is not None
                  and bridge.state in ("COMING", "RECORDED", "QUEUED", "FAILED"),
                  what="help call answered")
        self._mid_session()
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

    # ---- configuration pushed by the centre
    def push_config(self, *, mid_session: bool = False) -> None:
        """The centre publishes the next signed bundle (its own ``publish`` command).

        Each bundle carries a new notice and another idle timeout, which the home screen and
        the idle timer must show. Mid-session, the kiosk must hold the bundle until home.
        """
        info = self.simulation.central_info
        database = info.get("database") or str(self.simulation.workdir / "central.db")
        self.pushes_published += 1
        number = self.pushes_published
        config = self.workdir / "push.toml"
        config.write_text(pushed_config(number), encoding="utf-8")
        before = self.app.services.configsync.current_version
        publisher = subprocess.Popen(
            [sys.executable, "-m", "central", "publish", str(config), "--database", database,
             "--key", database + ".signing.pem"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.pump(lambda: publisher.poll() is not None, timeout_s=60, what="central publish")
        out, err = publisher.communicate()
        if publisher.returncode != 0:
            raise SoakError(f"central publish failed: {err.strip()}")
        self._expected_version = int(json.loads(out)["version"])
        self._expected_notice = f"soak push {number}"
        self._expected_idle_ms = pushed_idle_s(number) * 1000
        if mid_session:
            sync = self.app.services.configsync
            self.pump(lambda: sync.has_pending or sync.current_version != before,
                      timeout_s=30, what="the pushed bundle arrived mid-session")
            if sync.current_version != before:
                raise SoakError("a configuration bundle was applied in the middle of a session")
            self.pushes_held += 1

    def _wait_config_applied(self) -> None:
        """Home again: the last pushed bundle is in use, as the citizen at home sees it."""
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return
        sync, shell = self.app.services.configsync, self.app.shell
        self.pump(lambda: sync.current_version == expected
                  and any(self._expected_notice in n for n in shell.notices),
                  timeout_s=30, what=f"configuration v{expected} on the home screen")
        if self.app.idle.timeout_ms != self._expected_idle_ms:
            raise SoakError(f"pushed idle timeout not in use: {self.app.idle.timeout_ms} ms")
        self.pushes_applied += 1
        self._expected_version = None

    # ---- the whole soak
    def snapshot(self, sessions: int) -> Snapshot:
        """Figures at home, once the loop has run what the last session left to delete and
        the kiosk gave the freed heap back (as it does a second after every session)."""
        self.pump(lambda: not self.app.heap_release_pending, timeout_s=30,
                  what="the kiosk released its free heap")
        self._settle(0.1)
        # A transition still running is an animation object that lives a few hundred ms (seen:
        # one QQuickPropertyAnimation at warm-up in one run, at the end in another): count once
        # the scene is still, two equal counts 0.2 s apart (bounded), not mid-animation.
        counts, deadline = qt_object_counts(self.app), time.monotonic() + 5
        while time.monotonic() < deadline:
            self._settle(0.2)
            counts, previous = qt_object_counts(self.app), counts
            if counts == previous:
                break
        return snapshot(sessions, self.app)

    def run(self, sessions: int, *, warm_up: int | None = None,
            progress: Callable[[int], None] | None = None) -> SoakResult:
        """``sessions`` citizens; figures after the warm-up (default: the first tenth, as in
        the issue's 1,000 of 10,000) and at the end."""
        warm_up = max(1, sessions // 10) if warm_up is None else max(1, min(warm_up, sessions))
        recorder = QtWarningRecorder()
        recorder.install()  # only now: screens are precompiled, the QML loader thread is idle
        # The demo hall comes with reports and ratings of its own (the desk's worked
        # examples): not ours.
        self._seeded_reports = self.server_records()[2]
        self._seeded_evaluations = self.server_records()[1]
        started = time.monotonic()
        warm = snapshot(0)
        try:
            if self.push_every:  # from here on every bundle has one soak notice: home's
                self.push_config()  # object count does not change with the first push
                self._wait_config_applied()
            for number in range(sessions):
                self.printer_fault()
                # one push mid-session for sure, whatever the seed draws
                self.session(number, push_mid_session=number == 1 and bool(self.push_every))
                if number + 1 == warm_up:
                    warm = self.snapshot(warm_up)
                if progress is not None:
                    progress(number + 1)
            self.simulation.virtual_printer.set_state("ok")
            outbox = self.app.services.outbox
            outbox.wake()
            self.pump(lambda: outbox.pending == 0, timeout_s=60, what="the outbox drained")
            end = self.snapshot(sessions)
        finally:
            recorder.remove()
        seconds = time.monotonic() - started
        server_reports, server_evaluations, server_tracking = self.server_records()
        return SoakResult(sessions, seconds, warm, end, recorder.messages,
                          self.submitted_reports, self.submitted_evaluations,
                          server_reports, server_evaluations, self.shown_tracking,
                          server_tracking, self.flows_run, self.pushes_published,
                          self.pushes_applied, self.pushes_held, self.refused_tickets)

    def server_records(self) -> tuple[Counter[str], Counter[tuple[str, int, str]], set[str]]:
        """What the centre's database holds for this kiosk (read-only)."""
        info = self.simulation.central_info
        database = info.get("database") or str(self.simulation.workdir / "central.db")
        kiosk_id = info["kiosk_id"]
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            reports = [(tracking, description) for tracking, description in db.execute(
                "SELECT tracking_no, description FROM reports WHERE kiosk_id = ?", (kiosk_id,))
                if tracking not in self._seeded_reports]
            evaluations = db.execute(
                "SELECT window_no, level, reasons FROM evaluations WHERE kiosk_id = ?",
                (kiosk_id,)).fetchall()
        # Some situations prefix the description with their label: match the soak's marker.
        markers = (re.search(r"soak \d+ session \d+", d or "") for _, d in reports)
        return (Counter(m.group(0) if m else "?" for m in markers),
                Counter((w, int(level), json.dumps(json.loads(r))) for w, level, r in evaluations)
                - self._seeded_evaluations,
                {tracking for tracking, _ in reports})
