"""Every word the kiosk shows, speaks or prints from a key: one mapping, key -> (Chinese, English).

The words are kept in one table per area (the shell, the flows, the flow screens, the services'
and the devices' reason keys, and the staff-only maintenance menu) and merged here into
``WORDS``. Merging refuses, at import, a key that two tables define and a pair without both
languages, so no table can silently win over another. Python code looks words up with
``text()`` or ``pair()``; QML uses qsTrId over the .qm files ``python -m kiosk.ui.i18n``
compiles from ``WORDS`` (a test fails when they are stale).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from kiosk.words import devices, flows, maintenance, screens, services, shell

#: The area tables, in the order they are merged (the order changes nothing: clashes fail).
TABLES: dict[str, Mapping[str, tuple[str, str]]] = {
    "kiosk.words.shell": shell.WORDS,
    "kiosk.words.flows": flows.WORDS,
    "kiosk.words.screens": screens.WORDS,
    "kiosk.words.services": services.WORDS,
    "kiosk.words.devices": devices.WORDS,
    "kiosk.words.maintenance": maintenance.WORDS,
}


class WordsError(ValueError):
    """A key defined twice, or a pair that is not (Chinese, English)."""


def merge(tables: Mapping[str, Mapping[str, tuple[str, str]]]) -> Mapping[str, tuple[str, str]]:
    """One read-only mapping of every table's words; a clash or a missing language raises."""
    merged: dict[str, tuple[str, str]] = {}
    home: dict[str, str] = {}
    for table_name, table in tables.items():
        for key, texts in table.items():
            if key in merged:
                raise WordsError(f"{key!r} is defined twice: in {home[key]} and in {table_name}")
            if (not isinstance(texts, tuple) or len(texts) != 2
                    or not all(isinstance(t, str) and t.strip() for t in texts)):
                raise WordsError(f"{key!r} in {table_name} needs a Chinese and an English text")
            merged[key], home[key] = texts, table_name
    return MappingProxyType(merged)


WORDS: Mapping[str, tuple[str, str]] = merge(TABLES)


def pair(key: str) -> tuple[str, str]:
    """(Chinese, English) of ``key``; an unknown key shows as itself in both."""
    return WORDS.get(key, (key, key))


def text(key: str, language: str) -> str:
    """The words of ``key`` in ``language`` ("zh" or "en"); an unknown key shows as itself."""
    zh, en = pair(key)
    return en if language == "en" else zh
