"""The layer rule: drivers never import Qt; flows import neither Qt, requests nor drivers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "drivers": ("PySide6", "kiosk", "requests"),
    "kiosk/flows": ("PySide6", "requests", "drivers", "serial", "escpos"),
    "kiosk/catalogue.py": ("PySide6", "requests", "drivers"),
    "kiosk/ui": ("serial", "escpos", "requests", "socket", "drivers", "central"),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Top-level module names a file imports, except those under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for child in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def files_of(area: str) -> list[Path]:
    path = ROOT / area
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


@pytest.mark.parametrize("area", sorted(FORBIDDEN))
def test_layer_imports(area: str) -> None:
    violations = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in files_of(area)
        for line, module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN[area]
        # kiosk/ui/qr.py may use the pure-Python QR matrix from drivers/qr (no I/O).
        and not (area == "kiosk/ui" and module.startswith("drivers.qr"))
    ]
    assert not violations, "\n".join(violations)


def test_the_scanner_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from typing import TYPE_CHECKING\nimport PySide6.QtCore\n"
                   "if TYPE_CHECKING:\n    import requests\n", encoding="utf-8")
    assert [m for _, m in imported_modules(bad)] == ["typing", "PySide6.QtCore"]
