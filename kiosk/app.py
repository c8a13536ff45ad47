"""Composition root: the only place that knows real from simulated hardware and wires it all up.

``KioskApp`` builds the Qt application objects from settings; ``main()`` runs it with signal
handling so SIGTERM from systemd shuts the kiosk down cleanly while the Qt loop runs.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import resource
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kiosk.config import Settings

if TYPE_CHECKING:
    from types import FrameType

    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlComponent

    from hall.catalogue import Catalogue
    from kiosk.services.heartbeat import Heartbeat
    from kiosk.services.hub import Services
    from kiosk.services.watchdog import Watchdog
    from kiosk.simulation import Simulation
    from kiosk.ui.flows import FlowHub
    from kiosk.ui.lockdown import LockdownFilter
    from kiosk.ui.maintenance import Maintenance
    from kiosk.ui.voice import Voice

    SignalHandlers = tuple[int, int, QSocketNotifier]  # the wake-up pipe and its notifier

log = logging.getLogger("kiosk.app")

QML_DIR = Path(__file__).resolve().parent / "ui" / "qml"
HEAP_RELEASE_DELAY_MS = 1000  # after home: the popped screen is destroyed by then


def stop_pyside_source_scan() -> bool:
    """Stop PySide6 reading the source of every module imported after it; True when stopped.

    shiboken replaces ``__import__`` and, for each new module, calls ``inspect.getsource`` to
    see whether the text mentions PySide6 (its per-module ``from __feature__ import`` switch).
    linecache then keeps every line of every such module for the life of the process: 12 MB
    of the kiosk's 142 MB at start, and a read of ~400 files. The kiosk never selects a
    ``__feature__`` (ruff bans the import), so every module keeps Qt's default names whatever
    the answer is; "no" is given without reading anything. A PySide without this hook is left
    as it is.
    """
    import sys

    import PySide6  # noqa: F401  (installs the hook and its Python half)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _no_pyside_features  # type: ignore[attr-defined]  # private hook
    return True


def _no_pyside_features(module: object) -> bool:
    return False


def prepare_environment(*, offscreen: bool = False, keyboard: bool = True) -> None:
    """Environment Qt reads once at start-up; must run before QGuiApplication exists."""
    stop_pyside_source_scan()
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")  # fastest style to load
    if keyboard:
        os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
        os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")  # dock inline only
        _prepare_pinyin_user_dictionary()
    if offscreen:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pinyin_user_dictionary() -> Path:
    """Where Qt Virtual Keyboard's pinyin decoder keeps its user dictionary (ConfigLocation)."""
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "qtvirtualkeyboard" / "pinyin" / "usr_dict.dat"


def _prepare_pinyin_user_dictionary() -> None:
    """Create the decoder's (empty) user dictionary before the keyboard loads.

    Qt logs a warning when the file is missing, on every fresh machine. The dictionary itself
    stays empty: every text field a citizen types into sets ``Qt.ImhSensitiveData``, which
    turns the decoder's learning off, so one citizen's words are never offered to the next.
    """
    path = pinyin_user_dictionary()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError as error:  # a read-only home: Qt warns once, typing still works
        log.warning("cannot prepare the pinyin dictionary folder %s: %s", path.parent, error)


def process_age_ms() -> float:
    """Milliseconds since this process was created (kernel clock, so interpreter start counts)."""
    with open("/proc/self/stat", "rb") as stat:
        start_ticks = int(stat.read().rsplit(b")", 1)[1].split()[19])
    started = start_ticks / os.sysconf("SC_CLK_TCK")
    return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class KioskApp:
    """Everything one running kiosk is made of; tests build it offscreen and tap its window."""

    def __init__(self, settings: Settings, *, windowed: bool = False,
                 simulation: Simulation | None = None) -> None:
        from PySide6.QtCore import QObject  # not Qt: its ~100 enums cost ~16 ms to create
        from PySide6.QtGui import QFont, QGuiApplication
        from PySide6.QtQml import QQmlApplicationEngine
        from PySide6.QtQuick import QQuickWindow  # registers the type: root arrives as a QQuickWindow

        from kiosk import clock
        from kiosk.flows.session import CitizenSession
        from kiosk.ui.i18n import Translations
        from kiosk.ui.idle import IdleMonitor
        from kiosk.ui.keynav import HardwareTyping, InputMode
        from kiosk.ui.shell import Shell
        from kiosk.ui.theme import FONT_FAMILY, Theme

        self.settings = settings
        self.simulation = simulation
        clock.set_zone(settings.hall.timezone)
        self.qt = cast(QGuiApplication, QGuiApplication.instance() or QGuiApplication([]))
        self.qt.setFont(QFont(FONT_FAMILY))
        self.root = QObject()  # parent of every long-lived QObject below

        display, ui = settings.display, settings.ui
        fullscreen = display.fullscreen and not windowed
        # Fullscreen, the window takes its screen's size (kiosk.ui.window keeps it so);
        # [display] width/height size only a development window.
        size = self.qt.primaryScreen().geometry().size() if fullscreen else None
        width, height = (size.width(), size.height()) if size else (display.width, display.height)
        self.theme = Theme(width, height, display.diagonal_inches, self.root,
                           rotation=display.rotation)
        self.idle = IdleMonitor(ui.idle_timeout_s * 1000, ui.idle_prompt_s * 1000, self.root)
        self.input_mode = InputMode(self.root)  # keys or touch: focus ring and first focus
        self.translations = Translations(self.qt)
        self.engine = QQmlApplicationEngine()
        self.shell = Shell(
            translations=self.translations, theme=self.theme, idle=self.idle,
            session_factory=lambda: CitizenSession(
                settings.central.id_salt.encode(), language=ui.language, elder_age=ui.elder_age),
            language=ui.language,
            hall={"name": settings.kiosk.hall_name, "name_en": settings.kiosk.hall_name_en},
            elder_idle_factor=ui.elder_idle_factor, retranslate=self.engine.retranslate,
            parent=self.root,
        )
        self.services: Services | None = None
        self.flows: FlowHub | None = None
        self.maintenance: Maintenance | None = None
        self.voice: Voice | None = None
        self.heartbeat: Heartbeat | None = None
        self.watchdog: Watchdog | None = None
        self.lockdown: LockdownFilter | None = None
        self._warming: list[QQmlComponent] = []
        self.heap_releases = 0  # times freed heap went back to the system (at home)
        self.heap_release_pending = False
        context = self.engine.rootContext()
        for name, value in {
            "shell": self.shell, "theme": self.theme, "idle": self.idle, "flowHub": None, "maintenance": None,
            "inputMode": self.input_mode,
            "displayWidth": width, "displayHeight": height,
            "displayRotation": display.rotation, "simulated": simulation is not None,
            "frameless": fullscreen,
        }.items():
            context.setContextProperty(name, value)
        self.engine.addImportPath(str(QML_DIR))
        self.engine.load(QML_DIR / "Main.qml")
        if not self.engine.rootObjects():
            raise RuntimeError("the QML user interface failed to load; see the log above")
        self.window = cast(QQuickWindow, self.engine.rootObjects()[0])
        # Every touch, mouse and key event reaches the window first. Filtering there, and not
        # on the whole application, keeps Python out of the thousands of events the scene's
        # objects exchange (half of the home screen's build time when both filters saw them).
        # The last installed runs first: hardware typing goes last, after idle and input mode
        # have seen the key it may take for the pinyin input method.
        self.hardware_typing = HardwareTyping(self.window, self.root)
        self.window.installEventFilter(self.hardware_typing)
        self.window.installEventFilter(self.idle)
        self.window.installEventFilter(self.input_mode)
        from kiosk.ui.window import CloseGuard, ScreenFit

        self.screen_fit = ScreenFit(self.window, self.theme, fullscreen=fullscreen, parent=self.root)
        self.close_guard: CloseGuard | None = None
        if fullscreen:
            self.close_guard = CloseGuard(self.root)  # Alt+F4, a window manager's Close
            self.window.installEventFilter(self.close_guard)
            self.window.showFullScreen()  # frameless: Main.qml's flags
        if simulation is not None:
            self.qt.installEventFilter(simulation.shortcuts)
        # Home first, devices and network right after: the citizen sees the screen ~1 s sooner,
        # and nobody can tap within the moment the services take to come up.
        self._services_requested = False
        self.window.frameSwapped.connect(self._on_first_frame)

    def _on_first_frame(self) -> None:
        # Deferred to the loop: the first frame is on screen (and measured) before the
        # services' imports and device opening run. On a real display frames are swapped on
        # the render thread and arrive here queued, several before the first is handled (and
        # disconnected): only the first may start anything.
        from PySide6.QtCore import QTimer

        if self._services_requested:
            return
        self._services_requested = True
        with contextlib.suppress(RuntimeError):
            self.window.frameSwapped.disconnect(self._on_first_frame)
        QTimer.singleShot(0, self.root, self._start_services)

    def _start_services(self) -> None:
        from PySide6.QtCore import QTimer

        from kiosk.services.hub import Services
        from kiosk.ui import qr
        from kiosk.ui.flows import FlowHub

        # image://qr/ for the on-screen QR codes: only flow and service screens show one, and
        # none can open before flowHub and maintenance exist (set below).
        qr.install(self.engine)

        # python-escpos 3.1 parses its YAML capability database on every import and caches it
        # in a fresh temporary folder each time (one leaked folder per start); give it ours.
        cache = self.settings.data_path("cache")
        cache.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(cache))
        self.services = Services(self.settings, self.root)
        self.services.catalogueChanged.connect(self._apply_catalogue)
        # Home-screen banners: what does not work right now, and what still does.
        self.services.configsync.connectionChanged.connect(
            lambda state: self.shell.set_status(centreOnline=state != "offline"))
        if self.services.printer is not None:
            self.services.printer.statusChanged.connect(
                lambda status: self.shell.set_status(printerOk=status.can_print))
        if self.services.idcard is not None:  # identify screens offer to go on without a card
            self.services.idcard.readerLost.connect(
                lambda _reason: self.shell.set_status(readerOk=False))
            self.services.idcard.readerConnected.connect(
                lambda: self.shell.set_status(readerOk=True))
        self.shell.screenChanged.connect(
            lambda: self.services.configsync.set_session_active(self.shell.screen != "home"))
        self.shell.homeRequested.connect(self._release_heap_soon)
        self.flows = FlowHub(self.shell, self.services, self.root)
        self.engine.rootContext().setContextProperty("flowHub", self.flows)
        from kiosk.ui.voice import Voice

        ui = self.settings.ui
        self.voice = Voice(self.translations.text, engine=ui.voice_engine,
                           volume_percent=ui.volume, enabled=ui.voice, parent=self.root)
        for bridge in self.flows.bridges:  # flows ask to speak only in elder mode
            bridge.spoke.connect(lambda key: self.voice.say(key, self.shell.language))
        self.shell.promptRequested.connect(lambda key: self.voice.say(key, self.shell.language))
        self.shell.speakRequested.connect(  # focused controls and results, read from the screen
            lambda text, queued: self.voice.say_text(text, self.shell.language, queued=queued))
        # Off the start-up path (see Voice.start); tied to the voice so a closed app never fires.
        QTimer.singleShot(3000, self.voice, self.voice.start)
        self._start_maintenance(self.services)
        self.engine.rootContext().setContextProperty("maintenance", self.maintenance)
        self.services.start()
        self.shell.set_status(centreOnline=self.services.configsync.connection != "offline")
        self._warm_qml()
        log.info("services started")
        self.servicesStarted()

    def _start_maintenance(self, services: Services) -> None:
        """The service menu and what keeps the kiosk looked after -- PIN checker, heartbeat,
        lock-down, systemd watchdog -- built here, once; the menu is handed what it uses."""
        from kiosk.services.backlight import Backlight
        from kiosk.services.heartbeat import Heartbeat
        from kiosk.services.overrides import LocalOverrides
        from kiosk.services.pin import LOCKOUT_FILE, PinChecker, PinGate
        from kiosk.services.watchdog import Watchdog
        from kiosk.ui.lockdown import install_lockdown, keep_screen_on
        from kiosk.ui.maintenance import Maintenance, app_version

        settings = self.settings
        self.maintenance = Maintenance(
            settings=settings, qt=self.qt, shell=self.shell, theme=self.theme,
            window=self.window, services=services, voice=self.voice,
            translations=self.translations,
            checker=PinChecker(PinGate(settings.service.pin_hash,
                                       state_path=settings.data_path("local", LOCKOUT_FILE)),
                               self.root, executor=services.workers.local),
            backlight=Backlight(settings.display.backlight_root),
            overrides=LocalOverrides(settings.data_path("local")),
            ticket_preview=self._ticket_preview(), parent=self.root)
        self.maintenance.restore_volume()
        self.heartbeat = Heartbeat(
            kiosk_id=settings.kiosk.id, app_version=app_version(),
            providers=self.maintenance.heartbeat_providers(), send=services.central.heartbeat,
            interval_ms=settings.central.heartbeat_interval_s * 1000,
            executor=services.workers.central, parent=self.root)
        self.heartbeat.start()
        if settings.display.fullscreen:
            self.lockdown = install_lockdown(self.qt, hide_cursor=settings.display.hide_cursor)
            log.info("screen: %s", keep_screen_on())
        self.watchdog = Watchdog.from_environment(self.root)
        self.watchdog.start()

    def _ticket_preview(self) -> Callable[[], Path | None] | None:
        """What the menu shows after a test page: the virtual printer's picture of it
        (simulation only; a real printer's paper is looked at, not previewed)."""
        virtual = getattr(self.simulation, "virtual_printer", None)
        if virtual is None:
            return None
        return lambda: virtual.last_png_path

    def _stop_maintenance(self) -> None:
        from kiosk.ui.lockdown import set_cursor_hidden

        if self.maintenance is not None:
            self.maintenance.stop()
        if self.heartbeat is not None:
            self.heartbeat.shutdown()  # waits for a beat in flight on central-io
        if self.watchdog is not None:
            self.watchdog.stop()
        if self.lockdown is not None:
            self.qt.removeEventFilter(self.lockdown)
            set_cursor_hidden(False)
            self.lockdown = None

    def _warm_qml(self) -> None:
        """Compile the flow and service screens in the background while the citizen reads home.

        The first tap then pushes an already compiled screen, and no synchronous type load
        ever has to wait for Qt's loader thread in the middle of a tap.
        """
        from PySide6.QtCore import QUrl
        from PySide6.QtQml import QQmlComponent

        files = [*sorted(QML_DIR.glob("flows/*.qml")), *sorted(QML_DIR.glob("maintenance/*.qml"))]
        self._warming = [
            QQmlComponent(self.engine, QUrl.fromLocalFile(str(path)),
                          QQmlComponent.CompilationMode.Asynchronous, self.root)
            for path in files
        ]

    def _release_heap_soon(self) -> None:
        """A session ended: once home is painted and the old screen destroyed, give the freed
        heap back (kiosk/services/heap.py): months of sessions must not creep up in RSS."""
        from PySide6.QtCore import QTimer

        if not self.heap_release_pending:
            self.heap_release_pending = True
            QTimer.singleShot(HEAP_RELEASE_DELAY_MS, self.root, self._release_heap)

    def _release_heap(self) -> None:
        from kiosk.services import heap

        self.heap_release_pending = False
        if heap.release_free_heap():
            self.heap_releases += 1

    @property
    def screens_ready(self) -> bool:
        """Whether every screen has been compiled (tests wait for it before tapping)."""
        return self.flows is not None and not any(c.isLoading() for c in self._warming)

    @property
    def settled(self) -> bool:
        """Everything a first citizen may use is loaded: services, every screen compiled, the
        on-screen keyboard, and the voice engine started or given up."""
        from PySide6.QtCore import QObject

        keyboard = self.window.findChild(QObject, "keyboardLoader")
        voice_done = (self.voice is not None
                      and (not self.voice.enabled or self.voice.state in ("ready", "unavailable")))
        return (self.screens_ready and voice_done
                and (keyboard is None or keyboard.property("item") is not None))

    def servicesStarted(self) -> None:
        """Called once the services are up."""

    def _apply_catalogue(self, catalogue: Catalogue) -> None:
        """A new configuration bundle (applied between sessions): hall texts, notices, timeouts."""
        from kiosk import clock

        # The centre's zone wins over kiosk.toml's (it was validated when the bundle was parsed);
        # a bundle that names none leaves kiosk.toml's.
        zone = catalogue.hall.timezone or self.settings.hall.timezone
        if zone != clock.zone().key:
            clock.set_zone(zone)
            log.info("hall time zone %s (%s)", zone,
                     "from the centre's configuration" if catalogue.hall.timezone else "kiosk.toml")
        timeouts = catalogue.timeouts
        self.idle.set_times(timeouts.idle_s * 1000, max(10, timeouts.idle_prompt_s) * 1000)
        self.shell.set_elder_idle_factor(timeouts.elder_idle_s / max(1, timeouts.idle_s))
        hall = catalogue.hall
        self.shell.set_hall(
            {"name": hall.name, "name_en": hall.name_en},
            [{"zh": n.zh, "en": n.en,
              "from": n.valid_from.isoformat() if n.valid_from else "",
              "until": n.valid_until.isoformat() if n.valid_until else ""}
             for n in catalogue.notices])

    def close(self) -> None:
        """Release the QML scene and every object the app made (tests build many apps)."""
        self.shell.session.drop()
        self._stop_maintenance()
        if self.flows is not None:
            self.flows.close()
        if self.voice is not None:
            self.voice.close()  # ends the speech thread (bounded; see kiosk.ui.voice)
        if self.services is not None:
            self.services.stop()
        if self.window is not None:
            self.window.removeEventFilter(self.idle)
            self.window.removeEventFilter(self.input_mode)
            self.window.removeEventFilter(self.hardware_typing)
            if self.close_guard is not None:
                self.window.removeEventFilter(self.close_guard)
        if self.simulation is not None:
            self.qt.removeEventFilter(self.simulation.shortcuts)
        # The scene goes before the objects it binds to, so no binding reads a dead object.
        for root in self.engine.rootObjects():
            root.deleteLater()
        self.engine.deleteLater()
        self.window = None  # type: ignore[assignment]  # closed: nothing reads it again
        self.root.deleteLater()


def _install_signal_handlers(qt: QGuiApplication) -> SignalHandlers:
    """SIGTERM/SIGINT wake the Qt loop through a pipe so Python handlers run promptly.

    A pipe, not a socket pair: importing socket cost ~4 ms before the home screen's first frame.
    """
    from PySide6.QtCore import QSocketNotifier

    reader, writer = os.pipe()
    os.set_blocking(reader, False)
    os.set_blocking(writer, False)
    signal.set_wakeup_fd(writer)

    def on_wakeup() -> None:
        with contextlib.suppress(OSError):
            os.read(reader, 64)

    notifier = QSocketNotifier(reader, QSocketNotifier.Type.Read, qt)
    notifier.activated.connect(on_wakeup)

    def quit_on_signal(number: int, _frame: FrameType | None) -> None:
        # No logging here: the handler may interrupt a log write, and the file handler is not
        # reentrant. Log and quit from the event loop instead.
        from PySide6.QtCore import QTimer

        name = signal.Signals(number).name

        def shut_down() -> None:
            log.info("received %s, shutting down", name)
            qt.exit(0)  # not quit(): quit() first asks the window to close, which it refuses

        QTimer.singleShot(0, shut_down)

    signal.signal(signal.SIGTERM, quit_on_signal)
    signal.signal(signal.SIGINT, quit_on_signal)
    return (reader, writer, notifier)


def _remove_signal_handlers(installed: SignalHandlers) -> None:
    """Undo _install_signal_handlers once the Qt loop has ended."""
    reader, writer, notifier = installed
    notifier.setEnabled(False)
    signal.set_wakeup_fd(-1)
    os.close(reader)
    os.close(writer)


def warn_about_plain_http(url: str) -> bool:
    """Plain HTTP to another host sends the token and citizens' reports readable on the LAN."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    if urlsplit(url).scheme == "http" and host not in {"127.0.0.1", "localhost", "::1"}:
        log.warning("central.url %s is plain http: the kiosk token and reports cross the hall "
                    "network unencrypted; use https://", url)
        return True
    return False


#: Exit code when another kiosk already runs on the same data folder (2 is a bad config).
EXIT_ALREADY_RUNNING = 3


def main(settings: Settings, *, simulate: bool = False, windowed: bool = False,
         smoke: bool = False) -> int:
    """Run the kiosk until it is told to stop; return the process exit code."""
    import sys

    from kiosk import logsetup
    from kiosk.services.files import private_folder
    from kiosk.services.instance_lock import AlreadyRunning, InstanceLock

    # The data folder holds the outbox, logs and lock-out state: the kiosk's user only (0700).
    private_folder(settings.data_path())
    # One kiosk per data folder, before any device is opened: two would fight over the reader,
    # the printer and the outbox. The kernel frees the lock however this process ends.
    lock = InstanceLock(settings.data_path("kiosk.lock"))
    try:
        lock.acquire()
    except AlreadyRunning as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
    from kiosk import clock

    clock.set_zone(settings.hall.timezone)  # before the first log line: logs show hall time
    logsetup.setup(settings.data_path("logs"), settings.logging.level,
                   settings.logging.max_bytes, settings.logging.backups)
    prepare_environment()
    warn_about_plain_http(settings.central.url)
    simulation = None
    if simulate:
        from kiosk.simulation import Simulation

        simulation = Simulation(settings.data_path("sim"))
        settings = simulation.start(settings)
    try:
        app = KioskApp(settings, windowed=windowed or not settings.display.fullscreen,
                       simulation=simulation)
        keep = _install_signal_handlers(app.qt)
        if smoke:
            from PySide6.QtCore import QTimer

            figures: dict[str, float] = {}

            def first_frame() -> None:
                if "startup_ms" in figures:
                    return  # a later frame, queued before this handler was disconnected
                with contextlib.suppress(RuntimeError):
                    app.window.frameSwapped.disconnect(first_frame)
                cpu = os.times()  # CPU to the first frame: what a busy machine stretches least
                figures.update(startup_ms=round(process_age_ms()), rss_mb=round(peak_rss_mb(), 1),
                               cpu_ms=round((cpu.user + cpu.system) * 1000))

            def report_when_settled() -> None:
                # Time to the home screen's first frame; peak memory once the kiosk is as it
                # will be for its first citizen (the keyboard, screens and voice load after
                # the services: measured earlier, 22 MB of them went uncounted).
                if not app.settled:
                    QTimer.singleShot(50, app.root, report_when_settled)
                    return
                figures["rss_mb"] = round(peak_rss_mb(), 1)
                print(json.dumps(figures), flush=True)
                app.qt.exit(0)  # quit() would ask the window to close (refused)

            app.window.frameSwapped.connect(first_frame)
            # The smoke run hooks this one instance (no subclass for a measurement).
            app.servicesStarted = report_when_settled  # type: ignore[method-assign]
        log.info("kiosk %s running%s", settings.kiosk.id, " (simulated devices)" if simulate else "")
        code = app.qt.exec()
        _remove_signal_handlers(keep)
        app.close()
        return code
    finally:
        if simulation is not None:
            simulation.stop()
        lock.release()
