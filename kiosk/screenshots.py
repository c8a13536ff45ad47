"""Screenshots of every screen of every citizen flow: Chinese and English, normal and elder mode.

Drives the real kiosk (1080x1920, 21.5") against the simulated hall - reader, virtual printer
and the local reference centre - with taps posted as a touch screen delivers them, and saves
each screen as a PNG (half size by default, to keep docs/ small). Run it on a real display
server so fonts render as on the panel:

    xvfb-run -a -s "-screen 0 1080x1920x24" .venv/bin/python -m kiosk.screenshots

``--landscape`` drives a 1920x1080 panel instead and prefixes every file with ``landscape_``
(``-screen 0 1920x1080x24``).

Files are named ``<flow>_<screen>_<lang>.png`` and ``<flow>_<screen>_elder_<lang>.png``; the
staff's PIN pad and service menu (bilingual on one screen) are ``service_pinpad.png`` and
``service_menu.png``.

A developer's entry point, not a screen: it builds the app and the simulated hall (places the
card, reaches into the client), so it lives beside kiosk/app.py and kiosk/simulation.py, and
kiosk/ui stays free of the simulation (tests/test_layers.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.app import KioskApp
    from kiosk.config import Settings
    from kiosk.simulation import Simulation

ROOT = Path(__file__).resolve().parents[1]
MODES = [("zh", False), ("en", False), ("zh", True), ("en", True)]


class Camera:
    """Taps the running kiosk by objectName and saves what the window shows."""

    def __init__(self, app: Any, out: Path, scale: float, prefix: str = "") -> None:
        self.app, self.out, self.scale, self.prefix = app, out, scale, prefix
        self.language, self.elder = "zh", False
        self.saved: list[Path] = []

    # ---- waiting and finding
    def pump(self, until: Callable[[], bool], timeout_s: float = 15.0, what: str = "") -> None:
        from PySide6.QtCore import QEventLoop

        deadline = time.monotonic() + timeout_s
        while not until():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the kiosk did not get there in time: {what}")
            self.app.qt.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def settle(self, ms: int = 250) -> None:
        """Let bindings, layouts and a couple of frames land."""
        deadline = time.monotonic() + ms / 1000
        self.pump(lambda: time.monotonic() > deadline)

    def find(self, name: str) -> Any:
        from kiosk.ui.touch import find_visible

        return find_visible(self.app.window, name)

    def visible(self, name: str) -> bool:
        from kiosk.ui.touch import is_shown

        return is_shown(self.app.window, name)

    def screen(self, name: str) -> None:
        self.pump(lambda: self.app.window.property("currentName") == name, what=name)
        self.settle()

    # ---- acting
    def tap(self, name: str) -> None:
        from kiosk.ui.touch import post_tap

        self.settle(80)
        self.pump(lambda: self.visible(name), what=name)
        item = self.find(name)
        self.reveal(item)
        post_tap(self.app.window, item)
        self.settle(80)

    def reveal(self, item: Any) -> None:
        """Scroll a page taller than the screen (landscape) to the item, as a swipe would, and
        wait until it stays put (a QR code or a notice landing late still moves it)."""
        from PySide6.QtCore import Q_ARG, QMetaObject, QPointF

        page = item.parentItem()
        while page is not None and page.objectName() != "pageView":
            page = page.parentItem()
        if page is None:
            return
        last = None
        for _ in range(10):
            QMetaObject.invokeMethod(page, "reveal", Q_ARG("QVariant", item))
            self.settle(120)
            where = (item.mapToScene(QPointF(0, 0)).y(), page.property("contentHeight"))
            if where == last:
                return
            last = where

    def tap_key(self, label: str) -> None:
        """A tap on the on-screen keyboard's key showing ``label``."""
        from kiosk.ui.touch import post_tap

        panel = self.find("inputPanel")
        pending, key = [panel], None
        while pending and key is None:
            item = pending.pop()
            if item.isVisible() and item.property("text") == label \
                    and item.property("key") is not None:
                key = item
            pending.extend(item.childItems())
        if key is None:
            raise LookupError(f"key {label!r}")
        post_tap(self.app.window, key)
        self.settle(120)

    def shot(self, name: str, *, exact: bool = False) -> None:
        """Save the window as ``name`` with the mode's suffix (``exact``: as ``name`` alone)."""
        from PySide6.QtCore import Qt

        self.settle()
        image = self.app.window.grabWindow()
        if self.scale != 1:
            image = image.scaledToWidth(round(image.width() * self.scale),
                                        Qt.TransformationMode.SmoothTransformation)
        path = self.out / (f"{self.prefix}{name}.png" if exact else
                           f"{self.prefix}{name}{'_elder' if self.elder else ''}"
                           f"_{self.language}.png")
        image.save(str(path))
        self.saved.append(path)
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path, flush=True)

    def home(self) -> None:
        if self.app.window.property("currentName") != "home":
            self.app.shell.goHome()
        self.screen("home")

    def mode(self, language: str, elder: bool) -> None:
        """Home, then the citizen's language and elder mode (going home resets both)."""
        self.home()
        self.language, self.elder = language, elder
        self.app.input_mode.set_keys(False)  # a touch citizen: no focus ring left from keys
        self.app.shell.setLanguage(language)
        self.app.shell.setElderMode(elder)
        self.settle()


# ---- the flows, screen by screen

SCREENSHOT_PIN = "246810"


def maintenance(cam: Camera) -> None:
    """The hidden PIN pad (three digits typed) and the service menu, once: both bilingual."""
    if cam.language != "zh" or cam.elder:
        return
    menu = cam.app.maintenance
    menu.openPinPad()
    cam.pump(lambda: cam.visible("pinPad"), what="the PIN pad")
    for digit in SCREENSHOT_PIN[:3]:
        menu.pinDigit(digit)
    cam.shot("service_pinpad", exact=True)
    for digit in SCREENSHOT_PIN[3:]:
        menu.pinDigit(digit)
    menu.pinSubmit()
    cam.pump(lambda: cam.visible("serviceMenu"), 30, "the service menu")
    cam.pump(lambda: menu.status_value("centre").endswith(" ms"), 15, "the centre's latency")
    cam.shot("service_menu", exact=True)
    menu.close()
    cam.screen("home")


def home(cam: Camera) -> None:
    cam.shot("home")


def ticket(cam: Camera) -> None:
    cam.tap("entry_ticket")
    cam.screen("ticket.choose_zone")
    cam.shot("flow_ticket_zones")
    cam.tap("zone_C")
    cam.screen("ticket.choose_matter")
    cam.shot("flow_ticket_matters")
    cam.tap("matter_marriage-reg")
    cam.screen("ticket.identify")
    cam.shot("flow_ticket_identify")
    simulation = cam.app.simulation
    try:
        for attempt in range(3):  # a loaded machine can stall the simulated reader: lift, retry
            simulation.place_card("resident")
            try:
                cam.pump(lambda: bool(cam.app.flows.ticket.data.get("card")), 10, "card read")
            except TimeoutError as error:
                print(f"card not read ({attempt + 1}/3): {error}", file=sys.stderr, flush=True)
                simulation.remove_card()
                cam.settle(1000)
            else:
                cam.shot("flow_ticket_identify_card")
                break
        cam.tap("continueButton")
        if cam.elder:
            cam.screen("ticket.ask_priority")
            cam.shot("flow_ticket_priority")
            cam.tap("priorityNo")
        cam.screen("ticket.confirm")
        cam.pump(lambda: cam.app.flows.ticket.data.get("printer_ok") is not None,
                 what="printer checked")
        cam.shot("flow_ticket_confirm")
        cam.tap("confirmButton")
        cam.screen("ticket.ticket")
        cam.pump(lambda: cam.app.flows.ticket.data.get("print_status") != "pending",
                 what="printed")
        cam.shot("flow_ticket_ticket")
    finally:
        simulation.remove_card()
    cam.tap("finishButton")
    cam.screen("home")


def ticket_errors(cam: Camera) -> None:
    """The centre cannot be reached: the error screen says what still works."""
    central = cam.app.services.central
    real_url = central.base_url
    cam.tap("entry_ticket")
    cam.screen("ticket.choose_zone")
    cam.tap("zone_A")
    cam.screen("ticket.choose_matter")
    cam.tap("matter_birth-cert")
    cam.screen("ticket.identify")
    cam.tap("continueButton")
    if cam.elder:
        cam.screen("ticket.ask_priority")
        cam.tap("priorityNo")
    cam.screen("ticket.confirm")
    central.base_url = "http://127.0.0.1:9"
    try:
        cam.tap("confirmButton")
        cam.screen("ticket.error")
        cam.shot("flow_ticket_offline")
    finally:
        central.base_url = real_url


def report(cam: Camera) -> None:
    cam.tap("entry_report")
    cam.screen("report.identify")
    cam.shot("flow_report_identify")
    cam.tap("usePhoneButton")
    cam.screen("report.enter_phone")
    for digit in "1381234567":
        cam.tap(f"key_{digit}")
    cam.tap("keyNext")  # ten digits: refused inline
    cam.shot("flow_report_phone")
    cam.tap("key_8")
    cam.tap("keyNext")
    cam.screen("report.choose_matter")
    cam.shot("flow_report_matter")
    cam.tap("matter_marriage-reg")
    cam.screen("report.situation")
    cam.shot("flow_report_situation")
    cam.tap("situation_several_visits")
    cam.screen("report.describe")
    cam.tap("phrase_0")
    cam.shot("flow_report_describe")
    cam.tap("descriptionField")
    cam.pump(lambda: bool(cam.find("inputPanel").property("active")), what="keyboard")
    cam.shot("flow_report_keyboard")
    cam.tap("nextButton")
    cam.screen("report.contact")
    cam.shot("flow_report_contact")
    cam.tap("keepContactButton")
    cam.screen("report.review")
    cam.shot("flow_report_review")
    cam.tap("submitButton")
    cam.screen("report.result")
    cam.shot("flow_report_result")
    cam.tap("finishButton")
    cam.screen("home")


def guide(cam: Camera) -> None:
    cam.tap("entry_guide")
    cam.screen("guide.browse")
    cam.shot("flow_guide_browse")
    if cam.language == "zh":  # pinyin initials filter at every letter, still unfinished pinyin
        cam.tap("searchField")
        cam.pump(lambda: bool(cam.find("inputPanel").property("active")), what="keyboard")
        for letter in "hyd":
            cam.tap_key(letter)
        cam.pump(lambda: cam.visible("matter_marriage-reg"), what="initials found")
        cam.shot("flow_guide_search")
        cam.app.shell.goHome()  # the typed letters go with the session
        cam.screen("home")
        cam.app.shell.setElderMode(cam.elder)
        cam.tap("entry_guide")
        cam.screen("guide.browse")
    cam.tap("matter_marriage-reg")
    cam.screen("guide.guide")
    cam.shot("flow_guide_matter")
    cam.tap("printButton")
    cam.pump(lambda: cam.app.flows.guide.data.get("print_status") not in ("", "pending", None),
             what="slip printed")
    cam.shot("flow_guide_printed")
    cam.tap("flowBack")
    cam.screen("guide.browse")
    cam.tap("integrated_newborn")
    cam.screen("guide.guide")
    cam.shot("flow_guide_integrated")


def progress(cam: Camera, tracking_no: str, check_code: str) -> None:
    cam.tap("entry_progress")
    cam.screen("progress.choose_method")
    cam.shot("flow_progress_method")
    cam.tap("byCardButton")
    cam.screen("progress.wait_card")
    cam.shot("flow_progress_card")
    cam.tap("flowBack")
    cam.screen("progress.choose_method")
    cam.tap("byNumberButton")
    cam.screen("progress.enter_number")
    for digit in tracking_no[1:]:
        cam.tap(f"key_{digit}")
    cam.shot("flow_progress_number")
    cam.tap("keyNext")
    cam.screen("progress.enter_code")
    for digit in check_code:
        cam.tap(f"key_{digit}")
    cam.shot("flow_progress_code")
    cam.tap("keyNext")
    cam.screen("progress.results")
    cam.shot("flow_progress_results")
    cam.tap("backButton")  # back, not home: the mode stays for the next shots
    cam.screen("home")
    cam.tap("entry_progress")
    cam.screen("progress.choose_method")
    # By card: the holder's reports, newest first, each with its state in words.
    cam.tap("byCardButton")
    cam.screen("progress.wait_card")
    simulation = cam.app.simulation
    try:
        simulation.place_card("resident")
        cam.pump(lambda: cam.app.window.property("currentName") == "progress.results", 20,
                 "card results")
        cam.shot("flow_progress_card_results")
    finally:
        simulation.remove_card()
    cam.tap("backButton")
    cam.screen("home")
    cam.tap("entry_progress")
    cam.screen("progress.choose_method")
    # A local number from an offline receipt: typed with the letter keys.
    cam.tap("byNumberButton")
    cam.screen("progress.enter_number")
    for sign in "DD5C9501":
        cam.tap(f"key_{sign}")
    cam.shot("flow_progress_local_number")
    cam.tap("keyNext")
    cam.screen("progress.enter_number")
    cam.pump(lambda: bool(cam.app.flows.progress.data.get("input_error")), what="checked")
    cam.shot("flow_progress_local_unknown")
    cam.tap("flowBack")
    cam.screen("progress.choose_method")
    cam.tap("homeButton")
    cam.screen("home")


def card_reports(app: KioskApp, settings: Settings, simulation: Simulation) -> None:
    """Two reports made with the simulated 'resident' card (one already under way), so the
    look-up by card has something to list."""
    import requests

    from drivers.idcard.card import parse_card
    from drivers.idcard.cards import CARDS

    assert app.services is not None
    id_hash = parse_card(CARDS["resident"].text).id_hash(settings.central.id_salt.encode())
    info = simulation.central_info
    staff = {"Authorization": f"Bearer {info['staff_token']}"}
    older = app.services.central.submit_report(
        {"matter_id": "marriage-reg", "situation": "repeated_visits",
         "description": "跑了三次还没办成", "phone": "13912345678", "language": "zh",
         "id_hash": id_hash}, idempotency_key="screenshots-card-1")
    base = f"{info['url']}/v1/staff/reports/{older.tracking_no}"
    for step, body in (("accept", {}), ("classify", {"kind": "hard", "complexity": "ordinary"}),
                       ("dispatch", {"unit": "区民政局"})):
        requests.post(f"{base}/{step}", json=body, headers=staff, timeout=10)
    time.sleep(1.1)  # a second apart: "newest first" has something to order
    app.services.central.submit_report(
        {"matter_id": "marriage-reg", "situation": "not_accepted",
         "description": "窗口说材料不全", "phone": "13912345678", "language": "zh",
         "id_hash": id_hash}, idempotency_key="screenshots-card-2")


def evaluation(cam: Camera) -> None:
    cam.tap("entry_evaluation")
    cam.screen("evaluation.link")
    cam.tap("key_1")
    cam.tap("key_7")
    cam.shot("flow_evaluation_window")
    cam.tap("linkNext")
    cam.screen("evaluation.level")
    cam.shot("flow_evaluation_level")
    cam.tap("level_2")
    cam.screen("evaluation.reasons")
    cam.tap("reason_slow")
    cam.shot("flow_evaluation_reasons")
    cam.tap("submitButton")
    cam.screen("evaluation.phone")
    for digit in "13800138000":
        cam.tap(f"key_{digit}")
    cam.shot("flow_evaluation_phone")  # masked as typed: 138 **** 8000
    cam.tap("phoneNext")
    cam.screen("evaluation.thanks")
    cam.shot("flow_evaluation_thanks")


def help_call(cam: Camera) -> None:
    cam.tap("entry_ticket")
    cam.screen("ticket.choose_zone")
    cam.tap("helpButton")
    cam.screen("help.coming")
    cam.shot("flow_help_coming")
    cam.tap("helpClose")
    cam.screen("ticket.choose_zone")


def focus(cam: Camera) -> None:
    """What a keypad user sees: the focus ring (keys only, no touch)."""
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    def press(key: Qt.Key) -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.postEvent(cam.app.window, QKeyEvent(
                kind, key, Qt.KeyboardModifier.NoModifier, ""))
        cam.settle(80)

    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Return)
    cam.screen("ticket.choose_zone")
    for _ in range(3):
        press(Qt.Key.Key_Down)
    cam.shot("keys_ticket_zones")


def run(out: Path, scale: float, only: str, landscape: bool = False) -> list[Path]:
    from kiosk import logsetup
    from kiosk.app import KioskApp, prepare_environment
    from kiosk.config import load
    from kiosk.services.pin import hash_pin
    from kiosk.simulation import Simulation

    logsetup.setup(None, os.environ.get("KIOSK_LOG", "WARNING"))
    prepare_environment()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load(ROOT / "kiosk.toml").replace("kiosk", data_dir=tmp).replace(
            "display", fullscreen=False, width=1920 if landscape else 1080,
            height=1080 if landscape else 1920, diagonal_inches=21.5,
            rotation=0).replace("ui", voice=False).replace(
            "service", pin_hash=hash_pin(SCREENSHOT_PIN))
        simulation = Simulation(Path(tmp) / "sim")
        settings = simulation.start(settings)
        app = KioskApp(settings, windowed=True, simulation=simulation)
        cam = Camera(app, out, scale, "landscape_" if landscape else "")
        app.window.requestActivate()  # no window manager on Xvfb: focus it as cage would
        try:
            cam.pump(lambda: app.screens_ready and app.services is not None
                     and app.services.catalogue is not None, 30, "start-up")
            keyboard = cam.find("keyboardLoader")
            cam.pump(lambda: keyboard.property("item") is not None, 30, "keyboard")
            assert app.services is not None
            receipt = app.services.central.submit_report(
                {"matter_id": "marriage-reg", "situation": "not_accepted",
                 "description": "窗口说材料不全，但没说缺什么", "phone": "13912345678",
                 "language": "zh"}, idempotency_key="screenshots-progress")
            card_reports(app, settings, simulation)
            flows: dict[str, Callable[[Camera], None]] = {
                "home": home, "ticket": ticket, "ticket_errors": ticket_errors,
                "report": report, "guide": guide,
                "progress": lambda c: progress(c, receipt.tracking_no, receipt.check_code),
                "evaluation": evaluation, "help": help_call, "keys": focus,
                "maintenance": maintenance,
            }
            for language, elder in MODES:
                for name, flow in flows.items():
                    if only and only not in name:
                        continue
                    cam.mode(language, elder)
                    flow(cam)
            cam.home()
        finally:
            app.close()
            simulation.stop()
    return cam.saved


def main(argv: Iterator[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--scale", type=float, default=0.5, help="size of the PNGs (0.5: half)")
    parser.add_argument("--only", default="", help="only flows whose name contains this")
    parser.add_argument("--landscape", action="store_true",
                        help="a 1920x1080 panel: files named landscape_*.png")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        print("no display: run under xvfb-run (see the module docstring)", file=sys.stderr)
        return 2
    saved = run(args.out, args.scale, args.only, args.landscape)
    print(f"{len(saved)} screenshots in {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
