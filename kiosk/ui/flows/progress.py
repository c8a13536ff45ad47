"""Bridge of 进度查询: look reports up at the centre by tracking number and check code or by ID
card, and offline receipts' local numbers in the outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from kiosk.flows.base import Effect, Event
from kiosk.flows.progress import (
    ByCard,
    ByNumber,
    EnterCode,
    EnterNumber,
    FindLocalNumber,
    Finish,
    LocalNumberFound,
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

def report_info(status: ReportStatus) -> ReportInfo:
    """The client's ReportStatus as the flow's plain ReportInfo."""
    return ReportInfo(
        tracking_no=status.tracking_no, status=status.status,
        promised_date=status.promised_date,
        steps=tuple(StepInfo(s.step, s.done_at) for s in status.steps),
        answer=status.answer, kind_name=status.kind_name, kind_name_en=status.kind_name_en,
        received_at=status.received_at)


def lookup_event(outcome: Outcome) -> Event:
    if outcome.ok:
        found = outcome.value if isinstance(outcome.value, tuple) else (outcome.value,)
        return ReportsFound(tuple(report_info(status) for status in found))
    if outcome.rejected and outcome.reason_key in ("report.unknown", "not_found"):
        return LookUpFailed("not_found")
    return LookUpFailed(outcome.reason_key or "central.server_error")


def local_event(local_ref: str, outcome: Outcome) -> Event:
    """The outbox item behind a local number as the flow's LocalNumberFound."""
    item = outcome.value if outcome.ok else None
    if item is None:
        return LocalNumberFound(local_ref, known=False)
    result = item.result or {}
    tracking_no, code = result.get("tracking_no"), result.get("check_code")
    if item.status == "sent" and isinstance(tracking_no, str) and isinstance(code, str):
        return LocalNumberFound(local_ref, True, tracking_no, code)
    return LocalNumberFound(local_ref, known=True, refused=item.status == "failed")


class ProgressBridge(FlowBridge[ProgressFlow]):
    """QML sees it as ``flowHub.progress``."""

    def _new_flow(self) -> ProgressFlow:
        return ProgressFlow(self.hub.session, self.catalogue, self.hub.now())

    def _execute_own(self, effect: Effect) -> bool:
        if isinstance(effect, LookUpReports):
            if effect.tracking_no:
                self.runner.report_status(effect.tracking_no, self.answer(lookup_event),
                                          check_code=effect.check_code)
            elif effect.id_hash:
                self.runner.reports_by_card(effect.id_hash, self.answer(lookup_event))
            return True
        if isinstance(effect, FindLocalNumber):
            ref = effect.local_ref
            self.runner.find_local_report(ref, self.answer(lambda o: local_event(ref, o)))
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
