"""Bridge of 进度查询: look a report up at the centre by its tracking number and check code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from kiosk.flows.base import Effect, Event
from kiosk.flows.progress import (
    ByCard,
    ByNumber,
    EnterCode,
    EnterNumber,
    Finish,
    LookUpFailed,
    LookUpReports,
    OpenReport,
    ProgressFlow,
    ReportInfo,
    ReportsFound,
    StepInfo,
)
from kiosk.services.effects import Outcome
from kiosk.ui.flows.bridge import FlowBridge

if TYPE_CHECKING:
    from kiosk.services.central import ReportStatus

# The centre's client has no "reports of this card holder" call yet: said in plain words.
CARD_LOOKUP_MISSING = "progress.card_lookup_unavailable"


def report_info(status: ReportStatus) -> ReportInfo:
    """The client's ReportStatus as the flow's plain ReportInfo."""
    return ReportInfo(
        tracking_no=status.tracking_no, status=status.status,
        promised_date=status.promised_date,
        steps=tuple(StepInfo(s.step, s.done_at) for s in status.steps),
        answer=status.answer, kind_name=status.kind_name, kind_name_en=status.kind_name_en)


def lookup_event(outcome: Outcome) -> Event:
    if outcome.ok:
        return ReportsFound((report_info(outcome.value),))
    if outcome.rejected and outcome.reason_key in ("report.unknown", "not_found"):
        return LookUpFailed("not_found")
    return LookUpFailed(outcome.reason_key or "central.server_error")


class ProgressBridge(FlowBridge[ProgressFlow]):
    """QML sees it as ``flowHub.progress``."""

    def _new_flow(self) -> ProgressFlow:
        return ProgressFlow(self.hub.session, self.catalogue, self.hub.now())

    def _execute_own(self, effect: Effect) -> bool:
        if isinstance(effect, LookUpReports):
            if effect.tracking_no:
                self.runner.report_status(effect.tracking_no, self.answer(lookup_event),
                                          check_code=effect.check_code)
            else:
                self.answer(lambda _o: LookUpFailed(CARD_LOOKUP_MISSING))(Outcome(False))
            return True
        return False

    @Slot()
    def byNumber(self) -> None:
        self.dispatch(ByNumber())

    @Slot()
    def byCard(self) -> None:
        self.dispatch(ByCard())

    @Slot(str)
    def enterNumber(self, text: str) -> None:
        self.dispatch(EnterNumber(text))

    @Slot(str)
    def enterCode(self, text: str) -> None:
        self.dispatch(EnterCode(text))

    @Slot(str)
    def openReport(self, tracking_no: str) -> None:
        self.dispatch(OpenReport(tracking_no))

    @Slot()
    def finish(self) -> None:
        self.dispatch(Finish())
