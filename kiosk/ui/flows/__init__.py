"""Bridges between the citizen flows (kiosk/flows) and their QML screens (qml/flows).

``FlowHub`` is the context property ``flowHub``: it says which screen starts each home-screen
entry, holds one bridge per flow (``flowHub.ticket``, ``.help``, ``.evaluation``, ``.report``,
``.guide``, ``.progress``), routes the ID card reader to the flow on screen, keeps the citizen
session in step with the shell's language and elder mode, and sends the shell home when a flow
ends.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Slot

from kiosk.ui.flows.bridge import FlowBridge
from kiosk.ui.flows.evaluation import EvaluationBridge
from kiosk.ui.flows.guide import GuideBridge
from kiosk.ui.flows.help import HelpBridge
from kiosk.ui.flows.progress import ProgressBridge
from kiosk.ui.flows.report import ReportBridge
from kiosk.ui.flows.ticket import TakeNumberBridge

if TYPE_CHECKING:
    from drivers.idcard.card import CardRecord
    from hall.catalogue import Catalogue
    from kiosk.config import Settings
    from kiosk.flows.session import CitizenSession
    from kiosk.ui.flows.ports import FlowServices, FlowShell
from kiosk.ui.qtproperty import Property

log = logging.getLogger("kiosk.ui.flows")

SCREENS = {
    "ticket": "flows/TakeNumber.qml",
    "help": "flows/Help.qml",
    "evaluation": "flows/Evaluation.qml",
    "report": "flows/Report.qml",
    "guide": "flows/Guide.qml",
    "progress": "flows/Progress.qml",
}


def local_now() -> dt.datetime:
    """The hall's wall clock, in the hall's time zone whatever the machine's (kiosk.clock)."""
    from kiosk import clock

    return clock.now()


class FlowHub(QObject):
    """Tells the shell which QML screen starts each home-screen entry ('' = coming soon)."""

    def __init__(self, shell: FlowShell, services: FlowServices, parent: QObject | None = None, *,
                 clock: Callable[[], dt.datetime] = local_now) -> None:
        super().__init__(parent)
        self.shell = shell
        self.services = services
        self.clock = clock
        self.settings: Settings | None = services.settings
        self.runner = services.effects  # built by the services hub, with its workers
        self._ticket = TakeNumberBridge(self, self)
        self._help = HelpBridge(self, self)
        self._evaluation = EvaluationBridge(self, self)
        self._report = ReportBridge(self, self)
        self._guide = GuideBridge(self, self)
        self._progress = ProgressBridge(self, self)
        self._bridges: list[FlowBridge[Any]] = [self._ticket, self._help, self._evaluation,
                                           self._report, self._guide, self._progress]
        self._active: FlowBridge[Any] | None = None
        shell.homeRequested.connect(self._on_home)
        shell.elderModeChanged.connect(self.sync_session)
        shell.languageChanged.connect(self._on_language)
        if services.idcard is not None:
            services.idcard.cardRead.connect(self._on_card)
            services.idcard.cardUnreadable.connect(self._on_card_unreadable)

    # ---- what the bridges need
    @property
    def session(self) -> CitizenSession:
        return self.shell.session

    @property
    def catalogue(self) -> Catalogue | None:
        return self.services.catalogue

    @property
    def language(self) -> str:
        return str(self.shell.language)

    @property
    def elder_mode(self) -> bool:
        return bool(self.shell.elderMode)

    def now(self) -> dt.datetime:
        return self.clock()

    def sync_session(self) -> None:
        """The flows read language and elder mode from the session; the shell owns them."""
        session = self.shell.session
        session.set_language(self.language)
        session.set_elder_mode(self.elder_mode)

    def _on_language(self) -> None:
        self.sync_session()
        for bridge in self._bridges:
            bridge._refresh()

    def activate(self, bridge: FlowBridge[Any]) -> None:
        """The flow on screen: it gets the card reader's events."""
        if self._active is not None and self._active is not bridge:
            self._active.detach()
        self._active = bridge

    def end_session(self, reason: str = "done") -> None:
        """A flow ended: home (deferred, so the screen that asked is not destroyed mid-call).

        Backing out (``cancel``) keeps the citizen's modes; finishing, Home and abort end them.
        """
        QTimer.singleShot(0, self, self.shell.leaveFlow if reason == "cancel" else self.shell.goHome)

    def _on_home(self) -> None:
        self._active = None
        for bridge in self._bridges:
            bridge.detach()

    def _on_card(self, record: CardRecord) -> None:
        if self._active is not None and self._active.active:
            self._active.card_read(record)

    def _on_card_unreadable(self, reason_key: str) -> None:
        if self._active is not None and self._active.active:
            self._active.card_unreadable(reason_key)

    @property
    def bridges(self) -> list[FlowBridge[Any]]:
        """Every flow's bridge (the app connects their ``spoke`` signals to the voice)."""
        return list(self._bridges)

    # ---- QML
    @Slot(str, result=str)
    def screenFor(self, entry: str) -> str:
        return SCREENS.get(entry, "")

    @Property(QObject, constant=True)
    def ticket(self) -> QObject:
        return self._ticket

    @Property(QObject, constant=True)
    def help(self) -> QObject:
        return self._help

    @Property(QObject, constant=True)
    def evaluation(self) -> QObject:
        return self._evaluation

    @Property(QObject, constant=True)
    def report(self) -> QObject:
        return self._report

    @Property(QObject, constant=True)
    def guide(self) -> QObject:
        return self._guide

    @Property(QObject, constant=True)
    def progress(self) -> QObject:
        return self._progress

    def close(self) -> None:
        self.runner.close()
