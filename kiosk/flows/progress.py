"""Progress of 办不成事 reports (进度查询): by tracking number and check code on a keypad, by the
local number of a report made while the centre was down, or by ID card.

The receipt carries a random tracking number and a 4-digit check code; the centre answers
"not found" alike for an unknown number and a wrong code, so nobody reads another citizen's
report by trying numbers.

A local number (8 letters and digits, ``DD5C9501``, printed when the report went into the
outbox) is looked up in this kiosk's outbox (``FindLocalNumber``): once delivered, the outbox's
receipt holds the centre's tracking number and check code and the look-up continues with them;
before that the screen says plainly that the report is waiting to be sent. By card, the centre
lists the holder's latest reports (newest first); the card itself is the proof.

Shows each report of that person with its position on the five steps 受理→分类→转办→办结→反馈,
the dates and the answer when there is one. The app asks the centre (``LookUpReports``) and
feeds the answer back as ``ReportsFound``.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from kiosk.flows.base import CardInserted, CardUnreadable, Effect, Event, Flow, new_key


class State(enum.Enum):
    CHOOSE_METHOD = "choose_method"
    ENTER_NUMBER = "enter_number"
    ENTER_CODE = "enter_code"
    WAIT_CARD = "wait_card"
    LOOKING_UP = "looking_up"
    RESULTS = "results"
    ERROR = "error"
    FINISHED = "finished"


STEPS = ("accepted", "classified", "dispatched", "resolved", "answered")
TRACKING_RE = re.compile(r"R\d{12}")
LOCAL_REF_RE = re.compile(r"[0-9A-F]{8}")
#: The state of a report in words, by its last step done ("received": none yet).
STATUS_WORDS = {"received": "progress.now.received", "accepted": "progress.now.accepted",
                "classified": "progress.now.classified", "dispatched": "progress.now.dispatched",
                "resolved": "progress.now.resolved", "answered": "progress.now.answered"}
CHECK_CODE_RE = re.compile(r"\d{4}")


def normalise_tracking_no(text: str) -> str | None:
    """'R' and 12 digits; the keypad may send only digits, spaces or a lowercase r."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if compact.isdigit():
        compact = "R" + compact
    return compact if TRACKING_RE.fullmatch(compact) else None


def normalise_local_ref(text: str) -> str | None:
    """The 8 hex characters of an offline receipt's local number, or None."""
    compact = re.sub(r"[\s-]", "", text).upper()
    return compact if LOCAL_REF_RE.fullmatch(compact) else None


@dataclass(frozen=True)
class StepInfo:
    step: str  # one of STEPS
    done_at: str | None


@dataclass(frozen=True)
class ReportInfo:
    """One report as the centre describes it (the app converts ``ReportStatus``)."""

    tracking_no: str
    status: str
    promised_date: dt.date
    steps: tuple[StepInfo, ...]
    answer: str | None = None
    kind_name: str | None = None
    kind_name_en: str | None = None
    matter_id: str | None = None
    received_at: str = ""


@dataclass(frozen=True)
class ByNumber(Event):
    pass


@dataclass(frozen=True)
class ByCard(Event):
    pass


@dataclass(frozen=True)
class EnterNumber(Event):
    text: str


@dataclass(frozen=True)
class EnterCode(Event):
    text: str


@dataclass(frozen=True)
class ReportsFound(Event):
    reports: tuple[ReportInfo, ...]


@dataclass(frozen=True)
class LookUpFailed(Event):
    """``reason_key``: central.offline, central.server_error, ..."""

    reason_key: str


@dataclass(frozen=True)
class LocalNumberFound(Event):
    """The outbox's answer for a local number: delivered (with the centre's tracking number
    and check code), still waiting (``tracking_no`` None), or unknown (``known`` False)."""

    local_ref: str
    known: bool
    tracking_no: str | None = None
    check_code: str | None = None
    refused: bool = False  # the centre refused it for good: staff have it, it will not arrive

    def __repr__(self) -> str:  # the code opens the report: never in a log line
        return (f"LocalNumberFound(local_ref={self.local_ref!r}, known={self.known},"
                f" tracking_no={self.tracking_no!r})")


@dataclass(frozen=True)
class OpenReport(Event):
    tracking_no: str


@dataclass(frozen=True)
class Finish(Event):
    pass


@dataclass(frozen=True)
class LookUpReports(Effect):
    """Ask the centre: one tracking number, or every report of a card holder."""

    tracking_no: str | None = None
    id_hash: str | None = None
    request_id: str = ""
    check_code: str | None = None

    def __repr__(self) -> str:  # the code opens the report: never in a log line
        return (f"LookUpReports(tracking_no={self.tracking_no!r}, by_card={bool(self.id_hash)},"
                f" request_id={self.request_id!r})")


@dataclass(frozen=True)
class FindLocalNumber(Effect):
    """Ask this kiosk's outbox what became of an offline report's local number."""

    local_ref: str


class ProgressFlow(Flow[State]):
    name = "progress"
    START, ERROR, FINISHED = State.CHOOSE_METHOD, State.ERROR, State.FINISHED
    PROMPTS: ClassVar[Mapping[State, str]] = {
        State.CHOOSE_METHOD: "progress.choose_method",
        State.ENTER_NUMBER: "progress.enter_number",
        State.ENTER_CODE: "progress.enter_code",
        State.WAIT_CARD: "progress.place_card",
        State.LOOKING_UP: "progress.looking_up",
        State.RESULTS: "progress.results",
        State.ERROR: "common.error",
        State.FINISHED: "common.home",
    }
    BACK: ClassVar[Mapping[State, State]] = {
        State.ENTER_NUMBER: State.CHOOSE_METHOD,
        State.ENTER_CODE: State.ENTER_NUMBER,
        State.WAIT_CARD: State.CHOOSE_METHOD,
        State.RESULTS: State.CHOOSE_METHOD,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clear()

    def clear(self) -> None:
        super().clear()
        self.input_error: str | None = None
        self.card_problem: str | None = None
        self.tracking_no: str | None = None
        self.lookup: LookUpReports | None = None
        self.reports: tuple[ReportInfo, ...] = ()
        self.selected: str | None = None
        self.local_ref: str | None = None
        self.waiting_local: bool = False
        self.refused_local: bool = False

    def _handle(self, event: Event) -> list[Effect] | None:
        state = self.state
        if state == State.CHOOSE_METHOD:
            if isinstance(event, ByNumber):
                self.input_error = None
                return self._go(State.ENTER_NUMBER)
            if isinstance(event, ByCard):
                if self.session.id_hash:
                    return self._look_up(LookUpReports(id_hash=self.session.id_hash))
                return self._go(State.WAIT_CARD)
            if isinstance(event, CardInserted):
                return self._card(event)
        elif state == State.ENTER_NUMBER:
            if isinstance(event, EnterNumber):
                number = normalise_tracking_no(event.text)
                local = None if number else normalise_local_ref(event.text)
                if local is not None:
                    self.input_error, self.local_ref = None, local
                    self.waiting_local = self.refused_local = False
                    return [*self._go(State.LOOKING_UP), FindLocalNumber(local)]
                if number is None:
                    self.input_error = "progress.bad_number"
                    return self._say("progress.bad_number")
                self.input_error, self.tracking_no = None, number
                return self._go(State.ENTER_CODE)
        elif state == State.ENTER_CODE:
            if isinstance(event, EnterCode):
                code = re.sub(r"\s", "", event.text)
                if not CHECK_CODE_RE.fullmatch(code):
                    self.input_error = "progress.bad_code"
                    return self._say("progress.bad_code")
                self.input_error = None
                return self._look_up(LookUpReports(tracking_no=self.tracking_no,
                                                   check_code=code))
        elif state == State.WAIT_CARD:
            if isinstance(event, CardInserted):
                return self._card(event)
            if isinstance(event, CardUnreadable):
                self.card_problem = event.reason_key
                return self._say(event.reason_key)
        elif state == State.LOOKING_UP:
            if isinstance(event, LocalNumberFound) and event.local_ref == self.local_ref:
                if not event.known:
                    self.input_error = "progress.local_unknown"
                    return self._go(State.ENTER_NUMBER)
                if event.tracking_no is None or not event.check_code:
                    self.reports = ()
                    self.waiting_local, self.refused_local = not event.refused, event.refused
                    return self._go(State.RESULTS)
                self.tracking_no = event.tracking_no
                return self._look_up(LookUpReports(tracking_no=event.tracking_no,
                                                   check_code=event.check_code))
            if isinstance(event, ReportsFound):
                self.reports = tuple(sorted(event.reports, key=lambda r: r.received_at,
                                            reverse=True))
                self.selected = self.reports[0].tracking_no if len(self.reports) == 1 else None
                return self._go(State.RESULTS)
            if isinstance(event, LookUpFailed):
                if event.reason_key == "not_found":
                    self.reports = ()
                    return self._go(State.RESULTS)
                if event.reason_key == "report.lookup_limited":
                    return self._fail(event.reason_key, retry_to=State.ENTER_CODE)
                return self._fail(event.reason_key, retry_to=State.LOOKING_UP)
        elif state == State.RESULTS:
            if isinstance(event, OpenReport):
                if any(r.tracking_no == event.tracking_no for r in self.reports):
                    self.selected = event.tracking_no
                return []
            if isinstance(event, Finish):
                return self._end("done")
        return None

    def _card(self, event: CardInserted) -> list[Effect]:
        self._accept_card(event)
        self.card_problem = None
        return self._look_up(LookUpReports(id_hash=self.session.id_hash))

    def _look_up(self, lookup: LookUpReports) -> list[Effect]:
        self.lookup = LookUpReports(lookup.tracking_no, lookup.id_hash, new_key(),
                                    lookup.check_code)
        return [*self._go(State.LOOKING_UP), self.lookup]

    def _retry(self, origin: State) -> list[Effect]:
        if origin == State.LOOKING_UP and self.lookup is not None:
            return [*self._go(State.LOOKING_UP), self.lookup]
        return self._go(origin)

    @staticmethod
    def describe(report: ReportInfo) -> dict[str, Any]:
        """One report for the screen: every step with its label key, done date and whether
        it is the current one."""
        done = {s.step: s.done_at for s in report.steps}
        reached = [s for s in STEPS if done.get(s)]
        current = reached[-1] if reached else None
        nxt = next((s for s in STEPS if not done.get(s)), None)
        status = current or "received"
        return {
            "now": STATUS_WORDS.get(status, "progress.now.received"),
            "next_step": f"progress.step.{nxt}" if nxt else None,
            # A promise stands until the answer is given; after that there is no date to wait for.
            "promise": None if current == "answered" else "progress.promised",
            "received_at": report.received_at[:10],
            "tracking_no": report.tracking_no,
            "status": report.status,
            "promised_date": report.promised_date,
            "answer": report.answer,
            "kind_name": report.kind_name, "kind_name_en": report.kind_name_en,
            "matter_id": report.matter_id,
            "steps": [{"step": s, "label": f"progress.step.{s}", "done_at": done.get(s),
                       "current": s == current} for s in STEPS],
        }

    def _data(self) -> dict[str, Any]:
        if self.state == State.ENTER_NUMBER:
            return {"input_error": self.input_error}
        if self.state == State.ENTER_CODE:
            return {"input_error": self.input_error, "tracking_no": self.tracking_no}
        if self.state == State.WAIT_CARD:
            return {"card_problem": self.card_problem}
        if self.state == State.RESULTS:
            return {
                "reports": [self.describe(r) for r in self.reports],
                "selected": self.selected,
                "local_ref": self.local_ref,
                "notice": ("progress.local_waiting" if self.waiting_local else
                           "progress.local_refused" if self.refused_local else
                           None if self.reports else
                           "progress.none_found_card" if self.lookup is not None
                           and self.lookup.id_hash else "progress.none_found"),
            }
        return {}
