"""Rate the service (好差评): link to a ticket or a window → five levels → reasons for the two
lowest → an optional mobile number for the call back (回访), two lowest only → thanks → home.

Level 5 is 非常满意 and 1 非常不满意, as the national scale and the centre count them. The
evaluation goes out through the outbox like a report, so a low rating is never lost. The
call-back number is optional (one tap skips it), shown masked, never in a log or a repr, and
lives only in this flow and the outbox item, which forgets it once the centre has it.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hall.phone import mask_mobile, normalise_mobile
from kiosk.flows.base import Effect, Event, Flow

LEVELS = (5, 4, 3, 2, 1)  # shown best first
LOW_LEVELS = (1, 2)
REASONS = ("attitude", "slow", "unclear", "many_visits", "not_done", "environment")
THANKS_SECONDS = 8
_TICKET_ID_RE = re.compile(r"[0-9a-f]{32}")
_WINDOW_RE = re.compile(r"[0-9A-Za-z-]{1,20}")


class State(enum.Enum):
    LINK = "link"
    LEVEL = "level"
    REASONS = "reasons"
    PHONE = "phone"
    SUBMITTING = "submitting"
    THANKS = "thanks"
    ERROR = "error"
    FINISHED = "finished"


@dataclass(frozen=True)
class LinkTicket(Event):
    """The ticket this evaluation is about (the app knows it from the session or a scan)."""

    ticket_id: str


@dataclass(frozen=True)
class LinkWindow(Event):
    """A window number typed on the keypad."""

    window: str


@dataclass(frozen=True)
class ChooseLevel(Event):
    level: int


@dataclass(frozen=True)
class ToggleReason(Event):
    reason: str


@dataclass(frozen=True)
class Submit(Event):
    pass


@dataclass(frozen=True)
class EnterPhone(Event):
    """A mobile number for the 回访, typed on the keypad (never shown in a repr)."""

    number: str = field(repr=False)


@dataclass(frozen=True)
class SkipPhone(Event):
    """No call back, thank you: the 差评 goes without a number."""


@dataclass(frozen=True)
class EvaluationSent(Event):
    """Stored by the outbox (sent now or later): either way the citizen is thanked."""


@dataclass(frozen=True)
class EvaluationFailed(Event):
    reason_key: str


@dataclass(frozen=True)
class Finish(Event):
    pass


@dataclass(frozen=True)
class SubmitEvaluation(Effect):
    """Put the evaluation in the outbox; ``body()`` is the centre's POST /v1/evaluations body."""

    level: int
    reasons: tuple[str, ...]
    ticket_id: str | None
    window: str | None
    idempotency_key: str
    phone: str | None = field(default=None, repr=False)  # the 回访 number: personal

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"level": self.level, "reasons": list(self.reasons)}
        if self.ticket_id:
            body["ticket_id"] = self.ticket_id
        if self.window:
            body["window"] = self.window
        if self.phone:
            body["phone"] = self.phone
        return body


class EvaluationFlow(Flow[State]):
    name = "evaluation"
    START, ERROR, FINISHED = State.LINK, State.ERROR, State.FINISHED
    PROMPTS: ClassVar[Mapping[State, str]] = {
        State.LINK: "evaluation.link",
        State.LEVEL: "evaluation.level",
        State.REASONS: "evaluation.reasons",
        State.PHONE: "evaluation.phone",
        State.SUBMITTING: "evaluation.submitting",
        State.THANKS: "evaluation.thanks",
        State.ERROR: "common.error",
        State.FINISHED: "common.home",
    }
    BACK: ClassVar[Mapping[State, State]] = {State.LEVEL: State.LINK, State.REASONS: State.LEVEL,
                                             State.PHONE: State.REASONS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clear()

    def clear(self) -> None:
        super().clear()
        self.ticket_id: str | None = None
        self.window: str | None = None
        self.level: int | None = None
        self.reasons: tuple[str, ...] = ()
        self.phone: str | None = None
        self.input_error: str | None = None
        self.submission: SubmitEvaluation | None = None
        self.thanked_at: dt.datetime | None = None

    def _handle(self, event: Event) -> list[Effect] | None:
        state = self.state
        if state == State.LINK:
            if isinstance(event, LinkTicket):
                if not _TICKET_ID_RE.fullmatch(event.ticket_id):
                    raise ValueError("ticket_id must be the centre's 32-hex ticket id")
                self.ticket_id, self.window = event.ticket_id, None
                return self._go(State.LEVEL)
            if isinstance(event, LinkWindow):
                window = event.window.strip()
                if not _WINDOW_RE.fullmatch(window):
                    self.input_error = "evaluation.bad_window"
                    return self._say("evaluation.bad_window")
                self.input_error, self.window, self.ticket_id = None, window, None
                return self._go(State.LEVEL)
        elif state == State.LEVEL:
            if isinstance(event, ChooseLevel):
                if event.level not in LEVELS:
                    raise ValueError(f"level must be 1-5, got {event.level!r}")
                self.level, self.submission = event.level, None
                if event.level in LOW_LEVELS:
                    self.input_error = None
                    return self._go(State.REASONS)
                self.reasons = ()
                return self._submit()
        elif state == State.REASONS:
            if isinstance(event, ToggleReason):
                if event.reason not in REASONS:
                    raise ValueError(f"unknown reason {event.reason!r}")
                chosen = list(self.reasons)
                if event.reason in chosen:
                    chosen.remove(event.reason)
                else:
                    chosen.append(event.reason)
                self.reasons, self.input_error, self.submission = tuple(chosen), None, None
                return []
            if isinstance(event, Submit):
                if not self.reasons:
                    self.input_error = "evaluation.pick_reason"
                    return self._say("evaluation.pick_reason")
                self.input_error = None
                return self._go(State.PHONE)
        elif state == State.PHONE:
            if isinstance(event, EnterPhone):
                number = normalise_mobile(event.number)
                if number is None:
                    self.input_error = "report.bad_mobile"
                    return self._say("report.bad_mobile")
                if number != self.phone:
                    self.phone, self.submission = number, None
                self.input_error = None
                return self._submit()
            if isinstance(event, SkipPhone):
                if self.phone is not None:
                    self.phone, self.submission = None, None
                self.input_error = None
                return self._submit()
        elif state == State.SUBMITTING:
            if isinstance(event, EvaluationSent):
                self.thanked_at = self.now
                return self._go(State.THANKS)
            if isinstance(event, EvaluationFailed):
                origin = State.PHONE if self.level in LOW_LEVELS else State.LEVEL
                return self._fail(event.reason_key, retry_to=origin)
        elif state == State.THANKS and isinstance(event, Finish):
            return self._end("done")
        return None

    def _submit(self) -> list[Effect]:
        if self.submission is None:
            assert self.level is not None
            self.submission = SubmitEvaluation(self.level, self.reasons, self.ticket_id,
                                               self.window, self._key(), phone=self.phone)
        return [*self._go(State.SUBMITTING), self.submission]

    def _retry(self, origin: State) -> list[Effect]:
        if self.submission is not None:  # same evaluation, same key
            return self._submit()
        return self._go(origin)

    def _tick(self) -> list[Effect]:
        if (self.state == State.THANKS and self.thanked_at is not None
                and (self.now - self.thanked_at).total_seconds() >= THANKS_SECONDS):
            return self._end("done")
        return []

    def _data(self) -> dict[str, Any]:
        if self.state == State.LINK:
            return {"input_error": self.input_error}
        if self.state == State.LEVEL:
            return {"levels": [{"level": lv, "label": f"evaluation.level.{lv}"} for lv in LEVELS],
                    "ticket_id": self.ticket_id, "window": self.window}
        if self.state == State.REASONS:
            return {"reasons": [{"reason": r, "label": f"evaluation.reason.{r}",
                                 "chosen": r in self.reasons} for r in REASONS],
                    "input_error": self.input_error, "level": self.level}
        if self.state == State.PHONE:
            return {"input_error": self.input_error, "level": self.level,
                    "phone_masked": mask_mobile(self.phone) if self.phone else ""}
        if self.state == State.THANKS:
            return {"level": self.level, "home_in_s": THANKS_SECONDS}
        return {}
