"""Maintenance: hidden entry, PIN pad and the service menu, over services built elsewhere.

The composition root (kiosk/app.py) builds every service once -- the centre client, heartbeat,
watchdog, voice, lock-down, the PIN checker, the ticket preview -- and hands the menu what it
uses; nothing here constructs a service or knows whether the hall is simulated (a scan in
tests/test_ui_builds_nothing.py says so). QML sees the ``Maintenance`` as ``maintenance``.
Main.qml shows ``maintenance.layerUrl`` above every screen, so the PIN pad and the service menu
cover whatever a citizen left open. Every device or network call here runs on one of the
kiosk's workers (kiosk/services/workers.py); its result comes back to the GUI thread through a
queued signal.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot

from kiosk import clock
from kiosk.services.backlight import STEP_PERCENT, Backlight, BacklightStatus
from kiosk.services.gesture import GestureSpec, HiddenEntryGesture
from kiosk.services.overrides import LocalOverrides
from kiosk.services.pin import PinChecker, PinOutcome, PinResult
from kiosk.ui.lockdown import HiddenEntryWatcher
from kiosk.ui.qtproperty import Property
from kiosk.words import pair

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickWindow

    from drivers.idcard.card import CardRecord
    from kiosk.config import Settings
    from kiosk.flows.session import CitizenSession
    from kiosk.services.hub import Services
    from kiosk.ui.i18n import Translations
    from kiosk.ui.shell import Shell
    from kiosk.ui.theme import Theme
    from kiosk.ui.voice import Voice

#: The newest ticket image the printer rendered, or None (the virtual printer's, in simulation;
#: the composition root passes None when there is nothing to show).
TicketPreview = Callable[[], Path | None]

log = logging.getLogger("kiosk.ui.maintenance")

PIN_LAYER = "maintenance/PinPad.qml"
MENU_LAYER = "maintenance/ServiceMenu.qml"
EXIT_RESTART = 75  # EX_TEMPFAIL: systemd (Restart=always) starts the kiosk again
EXIT_TO_DESKTOP = 10  # deploy unit needs RestartPreventExitStatus=10 for this to stick
GESTURE_REGION_MM = 20.0
MAX_PIN_DIGITS = 12
_TOUCHES = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress,
            QEvent.Type.Wheel)


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("hall-kiosk")
    except Exception:  # not installed as a package (running from a checkout)
        import tomllib

        pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"])
        except (OSError, KeyError, ValueError):
            return "unknown"


def _bilingual(key: str, arg: Any = "") -> tuple[str, str]:
    zh, en = pair(key)
    return zh.replace("%1", str(arg)), en.replace("%1", str(arg))


class _ErrorMemory(logging.Handler):
    """Remembers the last ERROR line for the heartbeat (redacted like every log line)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.last: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        from kiosk.privacy import redact

        try:
            self.last = redact(f"{record.name}: {record.getMessage()}")[:300]
        except Exception:  # a log handler must never raise
            self.last = record.name


class _TouchWatch(QObject):
    """App-wide filter: any touch, click or key restarts the menu's inactivity timer."""

    def __init__(self, on_touch: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_touch = on_touch

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _TOUCHES:
            self._on_touch()
        return False


class Maintenance(QObject):
    """What QML sees as ``maintenance``: the PIN pad, the service menu and their actions."""

    layerChanged = Signal()
    pinChanged = Signal()
    statusChanged = Signal()
    noticeChanged = Signal()
    previewChanged = Signal()
    logChanged = Signal()
    audioChanged = Signal()
    brightnessChanged = Signal()
    _workDone = Signal(str, object)  # (action, result) from a worker thread

    def __init__(self, *, settings: Settings, qt: QGuiApplication, shell: Shell[CitizenSession],
                 theme: Theme, window: QQuickWindow | None, services: Services,
                 voice: Voice | None,
                 translations: Translations, checker: PinChecker, backlight: Backlight,
                 overrides: LocalOverrides, ticket_preview: TicketPreview | None,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.services = services
        self._qt = qt
        self._shell = shell
        self._voice = voice
        self._translations = translations
        self._ticket_preview = ticket_preview
        self._preview_before: Path | None = None
        self._central_io: Executor = services.workers.central
        self._local_io: Executor = services.workers.local
        self._clock = clock
        self._started = clock()
        self.app_version = app_version()
        self._layer = ""
        self._digits = ""
        self._pin_message: tuple[str, str] = ("", "")
        self._pin_outcome: PinOutcome | None = None
        self._notice: tuple[str, str] = ("", "")
        self._preview = ""
        self._log_lines: list[str] = []
        self._latency_ms: int | None = None
        self._centre_problem = ""
        self._config_received_at: dt.datetime | None = None
        self.exit_codes: list[int] = []
        self.quit_with: Callable[[int], None] = qt.exit  # tests capture the code instead
        self.checker = checker
        self.gate = checker.gate
        self.checker.checked.connect(self._on_pin_checked)
        self._workDone.connect(self._on_work_done)
        self._inactivity = QTimer(self)
        self._inactivity.setSingleShot(True)
        self._inactivity.timeout.connect(self._timed_out)
        self.set_menu_timeout_ms(self.settings.service.menu_timeout_s * 1000)
        self._touch_watch = _TouchWatch(self._touched, self)
        self._errors = _ErrorMemory()
        logging.getLogger().addHandler(self._errors)
        spec = GestureSpec(corner=self.settings.service.corner,
                           region_px=GESTURE_REGION_MM * float(theme.mm))
        width, height = self.settings.display.width, self.settings.display.height
        if window is not None:
            width, height = window.width() or width, window.height() or height
        self.watcher = HiddenEntryWatcher(HiddenEntryGesture(width, height, spec), parent=self)
        self._window = window
        if window is not None:  # the window follows its screen (kiosk.ui.window): the corner too
            window.widthChanged.connect(self._follow_window)
            window.heightChanged.connect(self._follow_window)
        self.watcher.triggered.connect(self.openPinPad)
        qt.installEventFilter(self.watcher)
        self._printer_job = ""
        self.services.configsync.bundleApplied.connect(self._on_config_applied)
        bundle = self.services.configsync.bundle_path
        if bundle.exists():
            self._config_received_at = dt.datetime.fromtimestamp(bundle.stat().st_mtime, dt.UTC)
        if self.services.printer is not None:
            self.services.printer.jobFinished.connect(self._on_print_finished)
            self.services.printer.statusChanged.connect(lambda *_: self.statusChanged.emit())
        if self.services.idcard is not None:
            self.services.idcard.readerConnected.connect(self.statusChanged)
            self.services.idcard.readerLost.connect(lambda *_: self.statusChanged.emit())
            self.services.idcard.cardRead.connect(self._on_test_card)
            self.services.idcard.cardUnreadable.connect(self._on_test_card_unreadable)
        self._awaiting_card = False
        self.overrides = overrides
        self.backlight = backlight
        self._backlight = BacklightStatus(problem="checking")

    # -- layers and the inactivity timeout ------------------------------------------------
    @Property(str, notify=layerChanged)
    def layerUrl(self) -> str:
        """QML file (relative to kiosk/ui/qml) shown above everything, or '' for none."""
        return self._layer

    def _set_layer(self, layer: str) -> None:
        if layer == self._layer:
            return
        was_open = bool(self._layer)
        self._layer = layer
        self.watcher.enabled = not layer
        if layer and not was_open:
            self._qt.installEventFilter(self._touch_watch)
        elif not layer and was_open:
            self._qt.removeEventFilter(self._touch_watch)
        if layer:
            self._inactivity.start()
        else:
            self._inactivity.stop()
        self.layerChanged.emit()

    def set_menu_timeout_ms(self, ms: int) -> None:
        """How long the pad or menu stays open untouched (config: [service] menu_timeout_s)."""
        self._inactivity.setInterval(max(1, int(ms)))

    @Property(int, notify=layerChanged)
    def menuTimeoutS(self) -> int:
        return round(self._inactivity.interval() / 1000)

    def _touched(self) -> None:
        if self._layer:
            self._inactivity.start()

    def _timed_out(self) -> None:
        log.info("service %s closed after %d s without a touch",
                 "menu" if self._layer == MENU_LAYER else "PIN pad", self.menuTimeoutS)
        self.close()

    def _follow_window(self) -> None:
        """A new screen size: the hidden gesture watches the new window's corner."""
        window = self._window
        if window is not None and window.width() and window.height():
            self.watcher.gesture.screen_width = window.width()
            self.watcher.gesture.screen_height = window.height()

    @Slot()
    def openPinPad(self) -> None:
        """The hidden gesture was made: show the PIN pad (or that the menu is disabled)."""
        self._digits = ""
        self._pin_outcome = None
        locked = self.gate.locked_for_s()
        if not self.gate.enabled:
            self._pin_message = _bilingual("svc.pin.disabled")
        elif locked:
            self._pin_message = _bilingual("svc.pin.locked", self._minutes(locked))
        else:
            self._pin_message = _bilingual("svc.pin.prompt")
        self._set_layer(PIN_LAYER)
        self.pinChanged.emit()

    @Slot()
    def close(self) -> None:
        """Leave the pad or menu and drop back to the home screen (nothing half-done stays)."""
        self._digits = ""
        self._notice = ("", "")
        self._preview = ""
        self._log_lines = []
        self._set_layer("")
        self.pinChanged.emit()
        self._shell.goHome()

    # -- PIN pad --------------------------------------------------------------------------
    @staticmethod
    def _minutes(seconds: float) -> int:
        return max(1, int(-(-seconds // 60)))

    @Property(bool, notify=pinChanged)
    def pinEnabled(self) -> bool:
        return self.gate.enabled

    @Property(int, notify=pinChanged)
    def pinLength(self) -> int:
        """Digits typed so far (the pad shows this many dots, never the digits)."""
        return len(self._digits)

    @Property(bool, notify=pinChanged)
    def pinBusy(self) -> bool:
        return self.checker.busy

    @Property(bool, notify=pinChanged)
    def pinLocked(self) -> bool:
        return self.gate.locked_for_s() > 0

    @Property(str, notify=pinChanged)
    def pinMessageZh(self) -> str:
        return self._pin_message[0]

    @Property(str, notify=pinChanged)
    def pinMessageEn(self) -> str:
        return self._pin_message[1]

    @Slot(str)
    def pinDigit(self, digit: str) -> None:
        if (self.checker.busy or not self.gate.enabled or len(self._digits) >= MAX_PIN_DIGITS
                or not (digit.isascii() and digit.isdigit() and len(digit) == 1)):
            return
        self._digits += digit
        self.pinChanged.emit()

    @Slot()
    def pinDelete(self) -> None:
        self._digits = self._digits[:-1]
        self.pinChanged.emit()

    @Slot()
    def pinClear(self) -> None:
        self._digits = ""
        self.pinChanged.emit()

    @Slot()
    def pinSubmit(self) -> None:
        """Check the typed PIN off the GUI thread; the pad shows 'checking' meanwhile."""
        if not self._digits or self.checker.busy:
            return
        pin, self._digits = self._digits, ""
        if self.checker.submit(pin):
            self._pin_message = _bilingual("svc.pin.checking")
        self.pinChanged.emit()

    def _on_pin_checked(self, outcome: PinOutcome) -> None:
        self._pin_outcome = outcome
        if self._layer != PIN_LAYER:
            return  # the pad was closed while the hash was being checked
        if outcome.result is PinResult.ACCEPTED:
            self.openMenu()
            return
        if outcome.result is PinResult.REJECTED:
            self._pin_message = _bilingual("svc.pin.wrong", outcome.attempts_left)
        elif outcome.result is PinResult.LOCKED:
            self._pin_message = _bilingual("svc.pin.locked", self._minutes(outcome.locked_for_s))
        else:
            self._pin_message = _bilingual("svc.pin.disabled")
        self.pinChanged.emit()

    # -- service menu ---------------------------------------------------------------------
    def openMenu(self) -> None:
        self._notice = ("", "")
        self._set_layer(MENU_LAYER)
        self.statusChanged.emit()
        self.noticeChanged.emit()
        self.networkCheck()  # the centre's latency belongs in the at-a-glance status
        self._submit("backlight", self.backlight.status, self._local_io)
        if self.services.printer is not None:
            self.services.printer.check_status()

    @Slot(str, str, result=str)
    def zh(self, key: str, arg: str = "") -> str:
        return _bilingual(key, arg)[0]

    @Slot(str, str, result=str)
    def en(self, key: str, arg: str = "") -> str:
        return _bilingual(key, arg)[1]

    def _set_notice(self, key: str, arg: Any = "") -> None:
        self._notice = _bilingual(key, arg)
        self.noticeChanged.emit()

    @Property(str, notify=noticeChanged)
    def noticeZh(self) -> str:
        return self._notice[0]

    @Property(str, notify=noticeChanged)
    def noticeEn(self) -> str:
        return self._notice[1]

    @Property(str, notify=previewChanged)
    def previewUrl(self) -> str:
        """file: URL of the virtual printer's last ticket (simulation only), or ''."""
        return Path(self._preview).as_uri() if self._preview else ""

    @Property(str, notify=logChanged)
    def logText(self) -> str:
        return "\n".join(self._log_lines)

    # status at a glance
    def paper_state(self) -> str:
        """'ok', 'near_end', 'out' or 'unknown' from the printer's last real answer."""
        printer = self.services.printer
        status = printer.last_status if printer is not None else None
        if status is None:
            return "unknown"
        if status.paper_out:
            return "out"
        if status.paper_near_end:
            return "near_end"
        if status.paper_out is False:
            return "ok"
        return "unknown"

    def device_states(self) -> dict[str, Any]:
        """For the heartbeat and the menu: each device's state in plain words."""
        services = self.services
        devices: dict[str, Any] = {}
        idcard = services.idcard
        devices["reader"] = ({"state": "disabled"} if idcard is None else
                             {"state": "ok" if idcard.connected else "disconnected"})
        printer = services.printer
        if printer is None:
            devices["printer"] = {"state": "disabled"}
        else:
            status = printer.last_status
            devices["printer"] = ({"state": "unknown"} if status is None else
                                  {"state": status.state.value, "reason": status.reason_key,
                                   "paper_out": status.paper_out,
                                   "paper_near_end": status.paper_near_end})
        return devices

    def disk_free_mb(self) -> int:
        path = Path(self.settings.kiosk.data_dir)
        while not path.exists() and path != path.parent:
            path = path.parent
        return shutil.disk_usage(path).free // (1024 * 1024)

    def status_rows(self) -> list[dict[str, Any]]:
        services = self.services
        rows: list[dict[str, Any]] = []

        def row(key: str, value: tuple[str, str] | str, ok: bool = True) -> None:
            text = value if isinstance(value, str) else f"{value[0]}  {value[1]}"
            label = pair(f"svc.status.{key}")
            rows.append({"key": key, "labelZh": label[0], "labelEn": label[1], "value": text,
                         "ok": ok})

        devices = self.device_states()
        reader = devices.get("reader", {}).get("state", "disabled")
        row("reader", _bilingual({"ok": "svc.value.connected", "disabled": "svc.value.disabled"}
                                 .get(reader, "svc.value.disconnected")), reader != "disconnected")
        printer = devices.get("printer", {})
        state = printer.get("state", "disabled")
        named = {"ok": "svc.value.ok", "paper_near_end": "svc.value.near_end",
                 "paper_out": "svc.value.out", "disabled": "svc.value.disabled",
                 "unknown": "svc.value.unknown"}.get(state)
        row("printer", _bilingual(named) if named else f"{state} {printer.get('reason') or ''}",
            state in ("ok", "paper_near_end", "disabled"))
        paper = self.paper_state()
        row("paper", _bilingual({"ok": "svc.value.ok", "near_end": "svc.value.near_end",
                                 "out": "svc.value.out"}.get(paper, "svc.value.unknown")),
            paper in ("ok", "near_end") or state == "disabled")
        if self._latency_ms is not None:
            row("centre", f"{self._latency_ms} ms")
        elif self._centre_problem:
            row("centre", self._centre_problem, ok=False)
        else:
            row("centre", _bilingual("svc.value.untested"))
        if services is not None:
            pending = services.outbox.pending
            row("outbox", str(pending), ok=pending == 0)
            version = services.configsync.current_version
            when = (clock.in_hall(self._config_received_at).strftime("%Y-%m-%d %H:%M")
                    if self._config_received_at else "")
            row("config", f"{version}  {when}".strip() if version is not None else
                _bilingual("svc.value.none"), version is not None)
        free = self.disk_free_mb()
        row("disk", f"{free / 1024:.1f} GB" if free >= 1024 else f"{free} MB", free >= 200)
        row("version", self.app_version)
        row("uptime", self.uptime_text())
        return rows

    def uptime_text(self) -> str:
        seconds = int(self._clock() - self._started)
        days, rest = divmod(seconds, 86400)
        hours, rest = divmod(rest, 3600)
        return (f"{days}d " if days else "") + f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"

    @Property("QVariantList", notify=statusChanged)
    def statusRows(self) -> list[dict[str, Any]]:
        return self.status_rows()

    def status_value(self, key: str) -> str:
        """The text one status row shows (tests and logs)."""
        return str(next(r["value"] for r in self.status_rows() if r["key"] == key))

    @Slot()
    def refresh(self) -> None:
        if self.services.printer is not None:
            self.services.printer.check_status()
        self.networkCheck()
        self.statusChanged.emit()

    # actions
    def _submit(self, action: str, work: Callable[[], Any], worker: Executor) -> None:
        """Run ``work`` on ``worker`` (central-io for the centre, local-io for files and
        sysfs); its outcome comes back to ``_on_work_done`` on the GUI thread."""
        def run() -> None:
            started = time.perf_counter()
            try:
                result: Any = ("ok", work(), time.perf_counter() - started)
            except Exception as error:  # shown on screen; the menu never crashes
                result = ("error", f"{type(error).__name__}: {error}"[:160], 0.0)
            self._workDone.emit(action, result)

        try:
            worker.submit(run)
        except RuntimeError:  # the kiosk's workers stopped: it is shutting down
            log.info("service menu action %s dropped: shutting down", action)

    def _on_work_done(self, action: str, result: Any) -> None:
        outcome, value, seconds = result
        if action == "network":
            if outcome == "ok":
                self._latency_ms, self._centre_problem = max(1, round(seconds * 1000)), ""
                self._set_notice("svc.result.network_ok", self._latency_ms)
            else:
                self._latency_ms, self._centre_problem = None, value
                self._set_notice("svc.result.network_failed", value)
            self.statusChanged.emit()
        elif action in ("backlight", "brightness"):
            self._backlight = (value if outcome == "ok" else
                               BacklightStatus(problem="unreadable"))
            self.brightnessChanged.emit()
        elif action == "save_volume" and outcome != "ok":
            self._set_notice("svc.result.volume_not_saved", value)
        elif action == "sync":
            if outcome == "ok":
                self._set_notice("svc.result.synced", self.services.configsync.current_version)
            else:
                self._set_notice("svc.result.sync_failed", value)
            self.statusChanged.emit()

    @Slot()
    def networkCheck(self) -> None:
        """Time one real authenticated call to the centre (a config fetch) on a worker thread."""
        self._submit("network", self.services.central.fetch_config, self._central_io)

    @Slot()
    def syncConfig(self) -> None:
        self._set_notice("svc.result.syncing")
        self._submit("sync", self.services.configsync.check_now, self._central_io)

    @Slot()
    def sendOutbox(self) -> None:
        self.services.outbox.wake()
        self._set_notice("svc.result.outbox", self.services.outbox.pending)
        self.statusChanged.emit()

    @Slot()
    def printTestPage(self) -> None:
        printer = self.services.printer
        if printer is None:
            self._set_notice("svc.result.no_printer")
            return
        profile = printer.profile
        status = printer.last_status
        data = {"kiosk_id": self.settings.kiosk.id, "model": self.settings.printer.profile,
                "status": status.state.value if status else "unknown",
                "paper_mm": self.settings.printer.paper_mm,
                "columns": getattr(profile, "columns", ""),
                "chinese_mode": "FS & " + self.settings.printer.encoding.upper()
                if self.settings.printer.chinese_mode else "off",
                "native_qr": "yes" if getattr(profile, "native_qr", False) else "no",
                "printed_at": clock.now().strftime("%Y-%m-%d %H:%M"),
                "qr_text": f"TEST {self.settings.kiosk.id}"}
        self._preview_before = self._ticket_preview() if self._ticket_preview else None
        self._printer_job = printer.print_template("test_page", data)
        self._preview = ""
        self.previewChanged.emit()
        self._set_notice("svc.result.printing")

    def _on_print_finished(self, job_id: str, printed: bool, reason_key: str) -> None:
        if job_id != self._printer_job:
            return
        self._printer_job = ""
        if printed:
            self._set_notice("svc.result.printed")
            if self._ticket_preview is not None:
                # The virtual printer renders its PNG on its own thread just after the bytes.
                self._wait_for_preview(self._ticket_preview, 50)
        else:
            self._set_notice("svc.result.print_failed", reason_key)
        self.statusChanged.emit()

    def _wait_for_preview(self, preview: TicketPreview, tries: int) -> None:
        path = preview()
        if path is not None and path != self._preview_before:
            self._preview = str(path)
            self.previewChanged.emit()
        elif tries > 0 and self._layer == MENU_LAYER:
            QTimer.singleShot(100, self, lambda: self._wait_for_preview(preview, tries - 1))

    @Slot()
    def voiceTest(self) -> None:
        """Read a sentence aloud in Chinese (the elder-mode voice, at the configured volume)."""
        voice = self._voice
        if voice is None or not voice.enabled:
            self._set_notice("svc.result.no_voice")
            return
        voice.start()  # returns at once; the engine connects on the speech thread
        if voice.state == "starting":
            self._set_notice("svc.result.voice_starting")
            return
        sentence = self._translations.text("voice.test", "zh")
        spoken = voice.say("voice.test", "zh")
        if not spoken:
            self._set_notice("svc.result.no_mandarin", sentence)
        else:
            self._set_notice("svc.result.voice" if voice.last_source == "engine"
                             else "svc.result.voice_recorded", sentence)

    # volume (live on the voice; kept in the data folder) and screen brightness
    def restore_volume(self) -> None:
        """Apply the volume and mute staff last set (over [ui] volume), at start-up."""
        voice = self._voice
        if voice is not None:
            volume, muted = self.overrides.volume(self.settings.ui.volume)
            voice.set_volume(volume, muted)

    def _change_volume(self, volume: int, muted: bool) -> None:
        voice = self._voice
        if voice is None:
            return
        voice.set_volume(volume, muted)
        volume, muted = voice.volume_percent, voice.muted
        self._submit("save_volume", lambda: self.overrides.save(volume_percent=volume, muted=muted),
                     self._local_io)
        self.audioChanged.emit()

    @Property(int, notify=audioChanged)
    def volumePercent(self) -> int:
        voice = self._voice
        return voice.volume_percent if voice is not None else 0

    @Property(bool, notify=audioChanged)
    def muted(self) -> bool:
        voice = self._voice
        return voice is None or voice.muted

    @Slot()
    def volumeUp(self) -> None:
        self._change_volume(self.volumePercent + STEP_PERCENT, False)

    @Slot()
    def volumeDown(self) -> None:
        self._change_volume(self.volumePercent - STEP_PERCENT, self.muted)

    @Slot()
    def toggleMute(self) -> None:
        self._change_volume(self.volumePercent, not self.muted)

    @Property(bool, notify=brightnessChanged)
    def brightnessAdjustable(self) -> bool:
        return self._backlight.adjustable

    @Property(int, notify=brightnessChanged)
    def brightnessPercent(self) -> int:
        return self._backlight.percent or 0

    @Property(str, notify=brightnessChanged)
    def brightnessNoteZh(self) -> str:
        return "" if self._backlight.adjustable else self._brightness_note()[0]

    @Property(str, notify=brightnessChanged)
    def brightnessNoteEn(self) -> str:
        return "" if self._backlight.adjustable else self._brightness_note()[1]

    def _brightness_note(self) -> tuple[str, str]:
        problem = self._backlight.problem or "unreadable"
        where = self._backlight.device or str(self.backlight.root)
        return _bilingual(f"svc.brightness.{problem}", where)

    def _change_brightness(self, step: int) -> None:
        if not self._backlight.adjustable:
            return
        target = self.brightnessPercent + step
        self._submit("brightness", lambda: self.backlight.set_percent(target), self._local_io)

    @Slot()
    def brightnessUp(self) -> None:
        self._change_brightness(STEP_PERCENT)

    @Slot()
    def brightnessDown(self) -> None:
        self._change_brightness(-STEP_PERCENT)

    @Slot()
    def readTestCard(self) -> None:
        """Arm the reader check: the next card placed is shown masked, and kept nowhere."""
        if self.services.idcard is None:
            self._set_notice("svc.result.no_reader")
            return
        self._awaiting_card = True
        self._set_notice("svc.result.place_card")

    def _on_test_card(self, record: CardRecord) -> None:
        if not self._awaiting_card or self._layer != MENU_LAYER:
            return
        self._awaiting_card = False
        kind = {"RESIDENT": "居民身份证 Resident ID", "FOREIGNER_2017": "外国人永居证 Foreigner 2017",
                "FOREIGNER_2023": "外国人永居证 Foreigner 2023",
                "HKMT_PERMIT": "港澳台居住证 HK/Macau/Taiwan permit"}.get(record.card_type.name, "")
        self._set_notice("svc.result.card_read",
                         f"{record.masked_name()} {record.masked_id()} ({kind})")

    def _on_test_card_unreadable(self, reason_key: str) -> None:
        if self._awaiting_card and self._layer == MENU_LAYER:
            self._awaiting_card = False
            self._set_notice("svc.result.card_unreadable", reason_key)

    @Slot()
    def showLog(self) -> None:
        from kiosk.logsetup import recent_lines

        self._log_lines = list(recent_lines.lines[-40:])
        self.logChanged.emit()

    @Slot()
    def restartApp(self) -> None:
        log.warning("restart requested from the service menu")
        self._set_notice("svc.result.restarting")
        self._quit(EXIT_RESTART)

    @Slot()
    def exitToDesktop(self) -> None:
        """Second step of exit (the menu asks for confirmation first)."""
        log.warning("exit to desktop confirmed in the service menu")
        self._quit(EXIT_TO_DESKTOP)

    def _quit(self, code: int) -> None:
        self.exit_codes.append(code)
        self.quit_with(code)

    def _on_config_applied(self, *_: Any) -> None:
        self._config_received_at = dt.datetime.now(dt.UTC)
        self.statusChanged.emit()

    # -- heartbeat ------------------------------------------------------------------------
    def heartbeat_providers(self) -> dict[str, Callable[[], Any]]:
        services = self.services
        return {
            "config_version": lambda: services.configsync.heartbeat_fields()["config_version"],
            "config_rejected": lambda: _rejection(services.configsync.heartbeat_fields()),
            "config_received_at": lambda: (self._config_received_at.isoformat(timespec="seconds")
                                           if self._config_received_at else None),
            "devices": self.device_states,
            "paper": self.paper_state,
            "outbox_pending": lambda: services.outbox.pending,
            "outbox_failed": lambda: services.outbox.failed,
            "last_error": lambda: self._errors.last,
            "pin": self.gate.counters,
            "disk_free_mb": self.disk_free_mb,
        }

    def stop(self) -> None:
        """Stop the menu's timers and filters (called when the app closes); the services it
        was handed belong to the composition root, which stops them."""
        self._inactivity.stop()
        self._qt.removeEventFilter(self.watcher)
        self._qt.removeEventFilter(self._touch_watch)
        logging.getLogger().removeHandler(self._errors)
        self.checker.shutdown()


def _rejection(fields: dict[str, Any]) -> dict[str, Any] | None:
    """The last refused bundle in the centre's strict shape: a garbled version must not get
    every later heartbeat refused as well."""
    rejected = fields.get("config_rejected")
    if not isinstance(rejected, dict):
        return None
    version = rejected.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        version = None
    return {"version": version, "reason": str(rejected.get("reason") or "unknown")[:500]}
