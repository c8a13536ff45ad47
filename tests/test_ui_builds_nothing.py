"""Screens build nothing: kiosk/app.py is the only composition root (issue 13, point 2).

The maintenance menu used to be a second one: it built two centre clients, the heartbeat and
the watchdog, and read the virtual printer through ``app.simulation``. This scan of the source
of every module under kiosk/ui fails when any of that comes back: a call to a class defined in
kiosk/services (other than the plain values listed below), a thread pool or HTTP session of its
own, or any use of the simulation.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "kiosk" / "ui"
SERVICES = ROOT / "kiosk" / "services"

#: Named in the issue: never built under kiosk/ui, whatever module they come from.
NAMED = {"CentralClient", "Heartbeat", "Watchdog", "SystemdNotifier", "Services",
         "ThreadPoolExecutor", "Session", "Simulation"}
#: Classes of kiosk/services that are plain values or pure logic, not services: screens may
#: make these (an answer, a status, the gesture's geometry and its state machine).
VALUES = {"Outcome", "ReportDelivery", "BacklightStatus", "PinOutcome", "GestureSpec",
          "HiddenEntryGesture"}


def service_classes() -> set[str]:
    names: set[str] = set()
    for path in SERVICES.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names.update(node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef))
    return names


def built_class(call: ast.Call, imported: dict[str, str]) -> str:
    """The class a call makes: ``Name(...)``, ``module.Name(...)`` or ``Name.from_x(...)``."""
    func = call.func
    if isinstance(func, ast.Name):
        return imported.get(func.id, func.id)
    if isinstance(func, ast.Attribute):
        owner = func.value
        if isinstance(owner, ast.Name) and imported.get(owner.id, owner.id)[:1].isupper():
            return imported.get(owner.id, owner.id)  # a classmethod constructor
        return func.attr
    return ""


def problems_in(source: str, where: str, services: set[str]) -> list[str]:
    tree = ast.parse(source)
    found: list[str] = []
    imported: dict[str, str] = {}  # local name -> imported name
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                imported[alias.asname or alias.name] = alias.name
            if node.module == "kiosk.simulation":
                found.append(f"{where}:{node.lineno} imports kiosk.simulation")
        if isinstance(node, ast.Import):
            found += [f"{where}:{node.lineno} imports {a.name}" for a in node.names
                      if a.name == "kiosk.simulation"]
        if isinstance(node, ast.Attribute) and node.attr in ("simulation", "virtual_printer"):
            found.append(f"{where}:{node.lineno} reads .{node.attr}")
        if isinstance(node, ast.Constant) and node.value in ("simulation", "virtual_printer"):
            found.append(f"{where}:{node.lineno} names {node.value!r} (getattr?)")
        if isinstance(node, ast.Call):
            built = built_class(node, imported)
            if built in NAMED or (built in services and built not in VALUES):
                found.append(f"{where}:{node.lineno} constructs {built}")
    return found


def test_no_module_under_kiosk_ui_builds_a_service_or_reads_the_simulation() -> None:
    services = service_classes()
    assert {"CentralClient", "Heartbeat", "Watchdog", "EffectRunner", "PinChecker"} <= services
    modules = sorted(UI.rglob("*.py"))
    assert len(modules) > 10  # the scan sees the package, not an empty folder
    problems = [problem for path in modules
                for problem in problems_in(path.read_text(encoding="utf-8"),
                                           str(path.relative_to(ROOT)), services)]
    assert problems == [], "\n".join(problems)


def test_the_scan_catches_what_the_menu_used_to_do() -> None:
    """The rule is only worth its name if the old menu's code would fail it."""
    old = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from kiosk.services.central import CentralClient\n"
        "from kiosk.services.heartbeat import Heartbeat\n"
        "from kiosk.services.pin import PinChecker as Checker\n"
        "def install(app):\n"
        "    from kiosk.services.watchdog import Watchdog\n"
        "    client = CentralClient('u', 't', 'k')\n"
        "    Heartbeat(send=client.heartbeat)\n"
        "    Watchdog.from_environment(None)\n"
        "    Checker(None)\n"
        "    ThreadPoolExecutor(2)\n"
        "    virtual = getattr(app.simulation, 'virtual_printer', None)\n")
    text = "\n".join(problems_in(old, "old_menu.py", service_classes()))
    for needle in ("constructs CentralClient", "constructs Heartbeat", "constructs Watchdog",
                   "constructs PinChecker", "constructs ThreadPoolExecutor",
                   "reads .simulation", "'virtual_printer'"):
        assert needle in text, text
    fine = "from kiosk.services.effects import Outcome\nOutcome(True, 1)\nQTimer.singleShot(0, f)\n"
    assert problems_in(fine, "fine.py", service_classes()) == []
