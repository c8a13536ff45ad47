"""Bridge of the evaluation flow (好差评): the rating goes through the durable outbox."""

from __future__ import annotations

from PySide6.QtCore import Slot

from kiosk.flows.base import Effect, Event
from kiosk.flows.evaluation import (
    ChooseLevel,
    EnterPhone,
    EvaluationFailed,
    EvaluationFlow,
    EvaluationSent,
    Finish,
    LinkWindow,
    SkipPhone,
    Submit,
    SubmitEvaluation,
    ToggleReason,
)
from kiosk.services.effects import Outcome
from kiosk.ui.flows.bridge import FlowBridge


def evaluation_event(outcome: Outcome) -> Event:
    return EvaluationSent() if outcome.ok else EvaluationFailed(
        outcome.reason_key or "outbox.disk_error")


class EvaluationBridge(FlowBridge[EvaluationFlow]):
    """QML sees it as ``flowHub.evaluation``."""

    def _new_flow(self) -> EvaluationFlow:
        return EvaluationFlow(self.hub.session, self.catalogue, self.hub.now())

    def _execute_own(self, effect: Effect) -> bool:
        if isinstance(effect, SubmitEvaluation):
            self.runner.put("evaluation", effect.body(), self.answer(evaluation_event),
                            idempotency_key=effect.idempotency_key)
            return True
        return False

    @Slot(str)
    def linkWindow(self, window: str) -> None:
        self.dispatch(LinkWindow(window))

    @Slot(int)
    def chooseLevel(self, level: int) -> None:
        self.dispatch(ChooseLevel(level))

    @Slot(str)
    def toggleReason(self, reason: str) -> None:
        self.dispatch(ToggleReason(reason))

    @Slot()
    def submit(self) -> None:
        self.dispatch(Submit())

    @Slot()
    def finish(self) -> None:
        self.dispatch(Finish())

    @Slot(str)
    def enterPhone(self, number: str) -> None:
        self.dispatch(EnterPhone(number))

    @Slot()
    def skipPhone(self) -> None:
        self.dispatch(SkipPhone())
