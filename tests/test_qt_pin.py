"""Regression guard for the PySide6 6.12.0 bug that drops a reference to None on void calls.

On the broken build the process aborts ("none_dealloc") after ~5,000 calls; a kiosk whose clock
ticks every second would die within hours. Two hundred thousand void calls must leave the
refcount of None where it was.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import QObject, QTimer


def test_void_qt_calls_do_not_leak_references_to_none(qapp: object) -> None:
    timer = QTimer()
    holder = QObject()
    before = sys.getrefcount(None)
    for i in range(100_000):
        timer.setInterval(i % 1000)  # void C++ call
        holder.setObjectName("x")  # void C++ call
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references on PySide6 {PySide6.__version__}"


def test_pinned_version_is_the_sound_one() -> None:
    assert PySide6.__version__ != "6.12.0"
