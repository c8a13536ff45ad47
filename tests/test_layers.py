"""The layer rules: who may import whom (README.md, "Architecture", draws the same picture).

``hall`` is the contract below kiosk and centre and stands on neither; the centre never imports
the kiosk nor the kiosk the centre; drivers know no Qt and no business; flows know neither
services, screens, Qt nor hardware; services know no screens; screens open no ports and never
reach for the simulated hall.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# area (a folder or file under the repo) -> modules its files must not import. A rule names a
# module and everything below it: "kiosk.services" forbids kiosk.services.central, not
# kiosk.servicesx.
FORBIDDEN = {
    "hall": ("kiosk", "central", "drivers", "PySide6", "requests"),
    "drivers": ("PySide6", "kiosk", "central", "requests"),
    "central": ("kiosk", "PySide6"),
    "kiosk": ("central",),
    "kiosk/flows": ("PySide6", "requests", "drivers", "serial", "escpos",
                    "kiosk.services", "kiosk.ui"),
    "kiosk/services": ("kiosk.ui",),
    "kiosk/ui": ("serial", "escpos", "requests", "socket", "drivers", "central", "kiosk.simulation"),
}

# area -> modules allowed although a rule above forbids them.
ALLOWED = {
    # kiosk/ui/qr.py may use the pure-Python QR matrix from drivers/qr (no I/O).
    "kiosk/ui": ("drivers.qr",),
}


def module_of(path: Path, root: Path) -> list[str]:
    """The dotted package a file belongs to (``kiosk/ui/qr.py`` -> ["kiosk", "ui"])."""
    return list(path.relative_to(root).parent.parts)


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """Modules a file imports, as absolute dotted names, except under ``if TYPE_CHECKING:``.

    ``from a.b import c`` counts as importing both ``a.b`` and ``a.b.c`` (``c`` may be a
    module), and relative imports are resolved against the file's package, so a rule about
    ``kiosk.services`` also catches ``from kiosk import services`` and ``from ..services import x``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for child in ast.walk(node)}
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module_of(path, root)
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if node.module:
                found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}" if module else alias.name)
                      for alias in node.names if alias.name != "*"]
    return found


def names(module: str, rules: tuple[str, ...]) -> bool:
    """Whether ``module`` is one of ``rules`` or lies below one."""
    return any(module == rule or module.startswith(rule + ".") for rule in rules)


def files_of(area: str, root: Path = ROOT) -> list[Path]:
    path = root / area
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


def violations(area: str, root: Path = ROOT) -> list[str]:
    """One line per offending import statement, naming the outermost forbidden module."""
    found: dict[tuple[str, int], str] = {}
    for path in files_of(area, root):
        for line, module in imported_modules(path, root):
            if names(module, FORBIDDEN[area]) and not names(module, ALLOWED.get(area, ())):
                found.setdefault((str(path.relative_to(root)), line), module)
    return [f"{where}:{line} imports {module}" for (where, line), module in sorted(found.items())]


@pytest.mark.parametrize("area", sorted(FORBIDDEN))
def test_layer_imports(area: str) -> None:
    assert files_of(area), f"{area} has no Python files: a rule about nothing"
    found = violations(area)
    assert not found, "\n".join(found)


def test_the_scanner_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from typing import TYPE_CHECKING\nimport PySide6.QtCore\n"
                   "if TYPE_CHECKING:\n    import requests\n", encoding="utf-8")
    assert [m for _, m in imported_modules(bad, tmp_path)] == [
        "typing", "typing.TYPE_CHECKING", "PySide6.QtCore"]


def test_the_scanner_works_at_module_granularity(tmp_path: Path) -> None:
    flows = tmp_path / "kiosk" / "flows"
    flows.mkdir(parents=True)
    (tmp_path / "kiosk" / "ui").mkdir()
    (flows / "__init__.py").write_text("from . import base\n", encoding="utf-8")
    (flows / "relative.py").write_text("from ..services import central\n", encoding="utf-8")
    (flows / "package.py").write_text("from kiosk import ui\n", encoding="utf-8")
    (flows / "fine.py").write_text("from kiosk.flows.base import Flow\nimport kiosk.servicesx\n"
                                   "from .base import Flow as Again\n", encoding="utf-8")
    assert [m for _, m in imported_modules(flows / "relative.py", tmp_path)] == [
        "kiosk.services", "kiosk.services.central"]
    assert [m for _, m in imported_modules(flows / "__init__.py", tmp_path)] == [
        "kiosk.flows.base"]
    assert violations("kiosk/flows", tmp_path) == [
        "kiosk/flows/package.py:1 imports kiosk.ui",
        "kiosk/flows/relative.py:1 imports kiosk.services",
    ]
    assert names("drivers.qr.matrix", ALLOWED["kiosk/ui"]) and not names("drivers.qrx", ("drivers.qr",))
