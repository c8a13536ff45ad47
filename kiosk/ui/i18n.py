"""Translations through Qt's tools: message-id tables -> .ts -> .qm, and switching at run time.

Both languages are translations of message ids (qsTrId), so neither is hard-coded in QML.
Run ``python -m kiosk.ui.i18n`` after changing a string table; a test fails when the committed
.qm files are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

I18N_DIR = Path(__file__).resolve().parents[2] / "assets" / "i18n"
LANGUAGES = {"zh": ("zh_CN", 0), "en": ("en_US", 1)}


# Every string table, as (module, name): message id -> (zh, en). The first table wins a clash.
STRING_TABLES = [
    ("kiosk.ui.strings", "UI_STRINGS"),
    ("kiosk.flows.messages", "MESSAGES"),
    ("kiosk.ui.flows.strings", "FLOW_UI_STRINGS"),
    ("kiosk.ui.maintenance.strings", "SERVICE_STRINGS"),
    ("drivers.printer", "MESSAGES"),
    ("drivers.idcard.reader", "MESSAGES"),
    ("kiosk.services.central", "MESSAGES"),
    ("kiosk.services.outbox", "MESSAGES"),
    ("kiosk.services.configsync", "MESSAGES"),
]


def all_messages() -> dict[str, tuple[str, str]]:
    """Every citizen-facing message id with its (zh, en) texts, from all string tables."""
    import importlib

    messages: dict[str, tuple[str, str]] = {}
    for module_name, table in STRING_TABLES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:  # a table's module exists but is broken: say so
                raise
            continue
        for key, texts in getattr(module, table, {}).items():
            messages.setdefault(key, (texts[0], texts[1]))
    return messages


def ts_document(language: str, messages: dict[str, tuple[str, str]]) -> str:
    """A Qt Linguist .ts file for one language (ids as sources, finished translations)."""
    # Imported here: xml.sax.saxutils pulls in urllib.request, http.client and ssl, ~20 ms and
    # ~4 MB that the kiosk's start-up (which only loads the .qm files) does not need.
    from xml.sax.saxutils import escape

    qt_locale, index = LANGUAGES[language]
    rows = []
    for key in sorted(messages):
        text = escape(messages[key][index])
        rows.append(f'    <message id="{escape(key)}">\n        <source>{text}</source>\n'
                    f"        <translation>{text}</translation>\n    </message>")
    body = "\n".join(rows)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
            f'<TS version="2.1" language="{qt_locale}">\n<context>\n    <name></name>\n'
            f"{body}\n</context>\n</TS>\n")


def build(out_dir: Path = I18N_DIR) -> list[Path]:
    """Write kiosk_<lang>.ts and compile them to .qm with pyside6-lrelease."""
    import subprocess

    out_dir.mkdir(parents=True, exist_ok=True)
    messages = all_messages()
    written = []
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    for language in LANGUAGES:
        ts = out_dir / f"kiosk_{language}.ts"
        ts.write_text(ts_document(language, messages), encoding="utf-8")
        qm = ts.with_suffix(".qm")
        subprocess.run([str(lrelease) if lrelease.exists() else "pyside6-lrelease", "-silent",
                        str(ts), "-qm", str(qm)], check=True)
        written += [ts, qm]
    return written


def is_current(out_dir: Path = I18N_DIR) -> bool:
    """Whether the committed .ts/.qm files match the string tables."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(Path(tmp))
        return all((out_dir / f.name).exists() and (out_dir / f.name).read_bytes() == f.read_bytes()
                   for f in fresh)


class Translations:
    """Installs the .qm of the chosen language; QML re-evaluates qsTrId on retranslate()."""

    def __init__(self, app: QCoreApplication, directory: Path = I18N_DIR) -> None:
        self._app = app
        self._translators: dict[str, QTranslator] = {}
        for language in LANGUAGES:
            translator = QTranslator(app)
            if not translator.load(str(directory / f"kiosk_{language}.qm")):
                raise FileNotFoundError(f"translation missing: {directory}/kiosk_{language}.qm")
            self._translators[language] = translator
        self.language = ""

    def use(self, language: str) -> None:
        if language == self.language:
            return
        if self.language:
            self._app.removeTranslator(self._translators[self.language])
        self._app.installTranslator(self._translators[language])
        self.language = language

    def text(self, key: str, language: str) -> str:
        """A message in a given language (for speech and printed text outside QML)."""
        return self._translators[language].translate("", key) or key


if __name__ == "__main__":
    for path in build():
        print(path)
