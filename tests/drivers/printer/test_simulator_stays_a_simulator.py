"""The virtual printer is a simulator: production code draws paper without it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SIMULATOR = "drivers.printer.virtual"
#: Where running the simulated device is the job (tests and bench are not scanned).
MAY_START_THE_SIMULATOR = {"kiosk/simulation.py", "drivers/printer/virtual.py"}


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_no_production_module_imports_the_virtual_printer() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for area in ("drivers", "kiosk", "central")
        for path in sorted((ROOT / area).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in MAY_START_THE_SIMULATOR
        and any(name == SIMULATOR or name.startswith(SIMULATOR + ".") for name in imports_of(path))
    ]
    assert not offenders, offenders


def test_the_preview_and_sample_load_without_the_simulator(tmp_path: Path) -> None:
    """A preview drawn by the production driver, in a fresh interpreter: the simulator module
    (sockets, pty, PNG thread) is never loaded."""
    script = (
        "import sys\n"
        "from drivers.printer import PrinterDriver, example_data, load_profile\n"
        "from drivers.printer.sample import main\n"
        "driver = PrinterDriver('dummy', {}, load_profile('generic-58'))\n"
        f"driver.preview_png('queue_ticket', example_data('queue_ticket'), {str(tmp_path / 'p.png')!r})\n"
        f"main(['report_receipt', '--png', {str(tmp_path / 's.png')!r}])\n"
        f"assert {SIMULATOR!r} not in sys.modules, 'the simulator was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p.png").stat().st_size > 1000 and (tmp_path / "s.png").stat().st_size > 1000
