"""Bridges between the citizen flows (kiosk/flows) and their QML screens (qml/flows)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Slot


class FlowHub(QObject):
    """Tells the shell which QML screen starts each home-screen entry ('' = coming soon)."""

    def __init__(self, shell: Any, services: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.services = services

    @Slot(str, result=str)
    def screenFor(self, entry: str) -> str:
        return ""
