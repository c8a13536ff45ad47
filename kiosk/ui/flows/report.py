"""Bridge of 办不成事反映: the report is committed to the outbox before anything is promised."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot

from kiosk.flows.base import Effect, Event
from kiosk.flows.report import (
    AddPhrase,
    ChooseMatter,
    ChooseSituation,
    Describe,
    Edit,
    EnterContact,
    EnterPhone,
    Finish,
    Next,
    ReportAccepted,
    ReportFailed,
    ReportFlow,
    ReportQueued,
    Search,
    SkipDescription,
    Submit,
    SubmitReport,
    UsePhone,
)
from kiosk.services.effects import Outcome
from kiosk.ui.flows.bridge import FlowBridge
from kiosk.ui.flows.ticket import matter_entry


def report_event(outcome: Outcome) -> Event:
    if not outcome.ok:
        return ReportFailed(outcome.reason_key or "outbox.disk_error")
    delivery = outcome.value
    if delivery.tracking_no and delivery.promised_date is not None:
        return ReportAccepted(delivery.tracking_no, delivery.promised_date,
                              delivery.tracking_url, delivery.check_code)
    return ReportQueued(delivery.local_ref)


class ReportBridge(FlowBridge[ReportFlow]):
    """QML sees it as ``flowHub.report``."""

    def _new_flow(self) -> ReportFlow:
        return ReportFlow(self.hub.session, self.catalogue, self.hub.now())

    def _extra(self, data: dict[str, Any]) -> dict[str, Any]:
        assert self.flow is not None  # _refresh asks only while a flow runs
        catalogue = self.flow.catalogue
        if "matters" in data:
            data["matterList"] = [matter_entry(catalogue.matter(m)) for m in data["matters"]]
        if self.flow.matter_id:
            data["matter"] = matter_entry(catalogue.matter(self.flow.matter_id))
        return data

    def _execute_own(self, effect: Effect) -> bool:
        if isinstance(effect, SubmitReport):
            self.runner.submit_report(effect.body(), self.answer(report_event),
                                      idempotency_key=effect.idempotency_key)
            return True
        return False

    @Slot()
    def usePhone(self) -> None:
        self.dispatch(UsePhone())

    @Slot(str)
    def enterPhone(self, number: str) -> None:
        self.dispatch(EnterPhone(number))

    @Slot(str)
    def search(self, query: str) -> None:
        self.dispatch(Search(query))

    @Slot(str)
    def chooseMatter(self, matter_id: str) -> None:
        self.dispatch(ChooseMatter(matter_id or None))

    @Slot(str)
    def chooseSituation(self, situation: str) -> None:
        self.dispatch(ChooseSituation(situation))

    @Slot(str)
    def describe(self, text: str) -> None:
        self.dispatch(Describe(text))

    @Slot(str)
    def addPhrase(self, key: str) -> None:
        self.dispatch(AddPhrase(key))

    @Slot()
    def skipDescription(self) -> None:
        self.dispatch(SkipDescription())

    @Slot()
    def next(self) -> None:
        self.dispatch(Next())

    @Slot(str)
    def enterContact(self, number: str) -> None:
        self.dispatch(EnterContact(number))

    @Slot(str)
    def edit(self, part: str) -> None:
        self.dispatch(Edit(part))

    @Slot()
    def submit(self) -> None:
        self.dispatch(Submit())

    @Slot()
    def finish(self) -> None:
        self.dispatch(Finish())
