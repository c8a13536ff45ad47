"""Report what could not be done (办不成事反映): identify → matter → what happened → describe →
contact → review → submit → receipt.

The report is handed to the app as one ``SubmitReport`` effect with an idempotency key made when
the review screen opens; the app puts it in the outbox, so a report is never lost: offline, the
citizen gets a local reference and a receipt saying it will be sent when the network returns.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from hall.phone import normalise_mobile
from kiosk import clock
from kiosk.flows.base import (
    CardInserted,
    CardUnreadable,
    Effect,
    Event,
    Flow,
    PrintFinished,
    PrintTemplate,
)
from kiosk.flows.session import mask_phone
from kiosk.words import text


class State(enum.Enum):
    IDENTIFY = "identify"
    ENTER_PHONE = "enter_phone"
    CHOOSE_MATTER = "choose_matter"
    SITUATION = "situation"
    DESCRIBE = "describe"
    CONTACT = "contact"
    REVIEW = "review"
    SUBMITTING = "submitting"
    RESULT = "result"
    ERROR = "error"
    FINISHED = "finished"


SITUATIONS = ("not_accepted", "not_approved", "several_visits", "staff_attitude", "other")
QUICK_PHRASES = ("report.phrase.missing_material", "report.phrase.system_down",
                 "report.phrase.sent_elsewhere", "report.phrase.no_explanation",
                 "report.phrase.waited_long")
MAX_DESCRIPTION = 500
# ---- events


@dataclass(frozen=True)
class UsePhone(Event):
    """Identify by mobile number instead of a card."""


@dataclass(frozen=True)
class EnterPhone(Event):
    number: str


@dataclass(frozen=True)
class Search(Event):
    query: str


@dataclass(frozen=True)
class ChooseMatter(Event):
    """A matter id, or None for 'not sure / not in the list'."""

    matter_id: str | None


@dataclass(frozen=True)
class ChooseSituation(Event):
    situation: str


@dataclass(frozen=True)
class Describe(Event):
    """The whole description text as typed so far (the keyboard owns editing)."""

    text: str


@dataclass(frozen=True)
class AddPhrase(Event):
    """Append a quick phrase (a message key) in the session's language."""

    key: str


@dataclass(frozen=True)
class SkipDescription(Event):
    pass


@dataclass(frozen=True)
class Next(Event):
    """Go on from the describe or contact screen with what is entered."""


@dataclass(frozen=True)
class EnterContact(Event):
    number: str


@dataclass(frozen=True)
class Edit(Event):
    """From review: change one part (``identify``, ``matter``, ``situation``, ``describe``,
    ``contact``)."""

    part: str


@dataclass(frozen=True)
class Submit(Event):
    pass


@dataclass(frozen=True)
class ReportAccepted(Event):
    """The centre registered it (via the outbox's first attempt)."""

    tracking_no: str
    promised_date: dt.date
    tracking_url: str = ""
    check_code: str = ""  # printed and shown: the progress look-up asks for it


@dataclass(frozen=True)
class ReportQueued(Event):
    """Offline: the outbox keeps it and will send it; ``local_ref`` maps to the tracking no later."""

    local_ref: str


@dataclass(frozen=True)
class ReportFailed(Event):
    """The outbox could not even store it (disk full), or the centre refused it."""

    reason_key: str


@dataclass(frozen=True)
class Finish(Event):
    pass


# ---- effects


@dataclass(frozen=True)
class SubmitReport(Effect):
    """Put the report in the outbox. ``body()`` is the centre's POST /v1/reports body."""

    matter_id: str | None
    situation: str
    description: str
    contact_phone: str
    id_hash: str | None
    language: str
    idempotency_key: str

    def __repr__(self) -> str:  # the description and phone are personal
        return (f"SubmitReport(matter_id={self.matter_id!r}, situation={self.situation!r}, "
                f"key={self.idempotency_key!r})")

    def body(self) -> dict[str, Any]:
        situation, label = CENTRE_SITUATION.get(self.situation, (self.situation, ""))
        description = self.description or text("report.no_description", self.language)
        body: dict[str, Any] = {
            "matter_id": self.matter_id,
            "situation": situation,
            "description": f"{label}{description}" if label else description,
            "phone": self.contact_phone,
            "language": self.language,
        }
        if self.id_hash:
            body["id_hash"] = self.id_hash
        return body


# The centre's API (central/app.py ReportRequest) names "came several times" repeated_visits and
# has no staff-attitude situation yet: such reports go as "other", labelled in the description.
CENTRE_SITUATION = {
    "several_visits": ("repeated_visits", ""),
    "staff_attitude": ("other", "【工作人员态度】"),
}


class ReportFlow(Flow[State]):
    """办不成事反映."""

    name = "report"
    START, ERROR, FINISHED = State.IDENTIFY, State.ERROR, State.FINISHED
    PROMPTS: ClassVar[Mapping[State, str]] = {
        State.IDENTIFY: "report.identify",
        State.ENTER_PHONE: "report.enter_phone",
        State.CHOOSE_MATTER: "report.choose_matter",
        State.SITUATION: "report.situation",
        State.DESCRIBE: "report.describe",
        State.CONTACT: "report.contact",
        State.REVIEW: "report.review",
        State.SUBMITTING: "report.submitting",
        State.RESULT: "report.result",
        State.ERROR: "common.error",
        State.FINISHED: "common.home",
    }
    BACK: ClassVar[Mapping[State, State]] = {
        State.ENTER_PHONE: State.IDENTIFY,
        State.CHOOSE_MATTER: State.IDENTIFY,
        State.SITUATION: State.CHOOSE_MATTER,
        State.DESCRIBE: State.SITUATION,
        State.CONTACT: State.DESCRIBE,
        State.REVIEW: State.CONTACT,
    }
    _EDIT_TARGETS: ClassVar[Mapping[str, State]] = {
        "identify": State.IDENTIFY, "matter": State.CHOOSE_MATTER,
        "situation": State.SITUATION, "describe": State.DESCRIBE, "contact": State.CONTACT,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clear()

    def clear(self) -> None:
        super().clear()
        self.query = ""
        self.matter_id: str | None = None
        self.matter_chosen = False
        self.situation: str | None = None
        self.description = ""
        self.contact: str | None = None
        self.input_error: str | None = None
        self.card_problem: str | None = None
        self.submission: SubmitReport | None = None
        self.submitted_at: dt.datetime | None = None
        self.tracking_no: str | None = None
        self.check_code = ""
        self.tracking_url = ""
        self.promised_date: dt.date | None = None
        self.local_ref: str | None = None
        self.print_status = ""
        self.idempotency_key = ""
        self._returning_to_review = False

    @property
    def identified(self) -> bool:
        return self.session.id_hash is not None or self.session.phone is not None

    # ---- events

    def _handle(self, event: Event) -> list[Effect] | None:
        state = self.state
        if state == State.IDENTIFY:
            if isinstance(event, CardInserted):
                self._accept_card(event)
                self.card_problem = None
                return self._after(State.CHOOSE_MATTER)
            if isinstance(event, CardUnreadable):
                self.card_problem = event.reason_key
                return self._say(event.reason_key)
            if isinstance(event, UsePhone):
                self.input_error = None
                return self._go(State.ENTER_PHONE)
        elif state == State.ENTER_PHONE:
            if isinstance(event, EnterPhone):
                number = normalise_mobile(event.number)
                if number is None:
                    self.input_error = "report.bad_mobile"
                    return self._say("report.bad_mobile")
                self.input_error = None
                self.session.phone = number
                self.contact = self.contact or number
                return self._after(State.CHOOSE_MATTER)
        elif state == State.CHOOSE_MATTER:
            if isinstance(event, Search):
                self.query = event.query
                return []
            if isinstance(event, ChooseMatter):
                if event.matter_id is not None:
                    self.catalogue.matter(event.matter_id)  # unknown id: UI bug, KeyError
                self.matter_id, self.matter_chosen = event.matter_id, True
                return self._after(State.SITUATION)
        elif state == State.SITUATION:
            if isinstance(event, ChooseSituation):
                if event.situation not in SITUATIONS:
                    raise ValueError(f"unknown situation {event.situation!r}")
                self.situation = event.situation
                return self._after(State.DESCRIBE)
        elif state == State.DESCRIBE:
            return self._describe(event)
        elif state == State.CONTACT:
            if isinstance(event, EnterContact):
                number = normalise_mobile(event.number)
                if number is None:
                    self.input_error = "report.bad_mobile"
                    return self._say("report.bad_mobile")
                self.input_error, self.contact = None, number
                return self._to_review()
            if isinstance(event, Next) and self.contact:
                return self._to_review()
        elif state == State.REVIEW:
            if isinstance(event, Edit):
                self._returning_to_review = True
                return self._go(self._EDIT_TARGETS[event.part])
            if isinstance(event, Submit):
                return self._submit()
        elif state == State.SUBMITTING:
            return self._on_outcome(event)
        elif state == State.RESULT:
            if isinstance(event, PrintFinished) and self.print_status == "pending":
                self.print_status = "printed" if event.printed else "failed"
                return []
            if isinstance(event, Finish):
                return self._end("done")
        return None

    def _describe(self, event: Event) -> list[Effect] | None:
        if isinstance(event, Describe):
            if len(event.text) > MAX_DESCRIPTION:
                self.input_error = "report.too_long"
                self.description = event.text[:MAX_DESCRIPTION]
                return self._say("report.too_long")
            self.input_error, self.description = None, event.text
            return []
        if isinstance(event, AddPhrase):
            if event.key not in QUICK_PHRASES:
                raise ValueError(f"unknown quick phrase {event.key!r}")
            phrase = text(event.key, self.session.language)
            joined = f"{self.description}{'；' if self.description else ''}{phrase}"
            self.description = joined[:MAX_DESCRIPTION]
            return []
        if isinstance(event, SkipDescription):
            self.description, self.input_error = "", None
            return self._after(State.CONTACT)
        if isinstance(event, Next):
            if not self.description.strip():
                self.input_error = "report.describe_or_skip"
                return self._say("report.describe_or_skip")
            self.input_error = None
            return self._after(State.CONTACT)
        return None

    def _after(self, state: State) -> list[Effect]:
        """Next screen, or straight back to review when the citizen came from there to edit."""
        if self._returning_to_review and self._complete():
            return self._to_review()
        return self._go(state)

    def _complete(self) -> bool:
        return self.identified and self.matter_chosen and bool(self.situation) and bool(
            self.contact)

    def _to_review(self) -> list[Effect]:
        self._returning_to_review = False
        self.submission = None  # a changed report is a new submission with a new key
        self.idempotency_key = self._key()
        return self._go(State.REVIEW)

    def _submit(self) -> list[Effect]:
        if self.submission is None:
            assert self.situation is not None and self.contact is not None
            self.submission = SubmitReport(
                matter_id=self.matter_id,
                situation=self.situation,
                description=self.description.strip(),
                contact_phone=self.contact,
                id_hash=self.session.id_hash,
                language=self.session.language,
                idempotency_key=self.idempotency_key,
            )
            self.submitted_at = self.now
        return [*self._go(State.SUBMITTING), self.submission]

    def _on_outcome(self, event: Event) -> list[Effect] | None:
        if isinstance(event, ReportAccepted):
            self.tracking_no, self.promised_date = event.tracking_no, event.promised_date
            self.check_code = event.check_code
            # The centre's answer names the page (its own progress page, code included);
            # an older centre's may not: the hall's template then, or no QR code at all.
            hall = self.catalogue.hall
            self.tracking_url = event.tracking_url or (
                hall.tracking_link(event.tracking_no, event.check_code)
                if hall.tracking_url else "")
            return self._show_result()
        if isinstance(event, ReportQueued):
            self.local_ref = event.local_ref
            self.promised_date = add_working_days(self.now.date(),
                                                  self.catalogue.report.ordinary_days)
            return self._show_result()
        if isinstance(event, ReportFailed):
            return self._fail(event.reason_key, retry_to=State.REVIEW)
        return None

    def _retry(self, origin: State) -> list[Effect]:
        if origin == State.REVIEW and self.submission is not None:
            return self._submit()  # same submission, same key: never two reports
        return self._go(origin)

    def _show_result(self) -> list[Effect]:
        self.print_status = "pending"
        return [*self._go(State.RESULT), PrintTemplate("report_receipt", self.receipt_data())]

    # ---- output

    def receipt_data(self) -> dict[str, Any]:
        """Fields of the ``report_receipt`` template: no ID number, phone masked."""
        hall = self.catalogue.hall
        matter = self.catalogue.matter(self.matter_id) if self.matter_id else None
        situation_key = f"report.situation.{self.situation}"
        reported_zh = text(situation_key, "zh")
        reported_en = text(situation_key, "en")
        if self.description:
            reported_zh = f"{reported_zh}：{self.description}"
            reported_en = f"{reported_en}: {self.description}"
        submitted = self.submitted_at or self.now
        return {
            "hall_name": hall.name, "hall_name_en": hall.name_en,
            "tracking_no": self.tracking_no or "",
            "check_code": self.check_code,
            "local_ref": self.local_ref or "",
            "offline": self.local_ref is not None and self.tracking_no is None,
            "matter": matter.name if matter else "", "matter_en": matter.name_en if matter else "",
            "reported": reported_zh, "reported_en": reported_en,
            "submitted_at": clock.in_hall(submitted).strftime("%Y-%m-%d %H:%M"),
            "answer_by": self.promised_date.isoformat() if self.promised_date else "",
            "tracking_url": self.tracking_url,
            "director_hotline": hall.director_hotline, "hotline": hall.hotline,
        }

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"input_error": self.input_error}
        if self.state == State.IDENTIFY:
            data.update(card_problem=self.card_problem)
        elif self.state == State.CHOOSE_MATTER:
            found = self.catalogue.search(self.query) if self.query else list(
                self.catalogue.matters)
            data.update(query=self.query, matters=[m.id for m in found])
        elif self.state == State.SITUATION:
            data.update(situations=[f"report.situation.{s}" for s in SITUATIONS],
                        values=list(SITUATIONS))
        elif self.state == State.DESCRIBE:
            data.update(text=self.description, max_length=MAX_DESCRIPTION,
                        phrases=list(QUICK_PHRASES))
        elif self.state == State.CONTACT:
            data.update(contact_masked=mask_phone(self.contact) if self.contact else "")
        elif self.state in (State.REVIEW, State.SUBMITTING):
            data.update(
                identified_by="card" if self.session.id_hash else "phone",
                masked_name=self.session.masked_name(),
                matter_id=self.matter_id,
                situation=f"report.situation.{self.situation}",
                text=self.description,
                contact_masked=mask_phone(self.contact) if self.contact else "",
            )
        elif self.state == State.RESULT:
            data.update(
                tracking_no=self.tracking_no,
                check_code=self.check_code,
                local_ref=self.local_ref,
                offline=self.tracking_no is None,
                notice="report.queued_offline" if self.tracking_no is None
                else "report.registered",
                promised_date=self.promised_date,
                qr_url=self.tracking_url,
                director_hotline=self.catalogue.hall.director_hotline,
                print_status=self.print_status,
            )
        return data


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start`` by the centre's calendar (hall.calendar).

    Statutory holidays and make-up working days count as the centre counts them, so an offline
    receipt promises the date the centre will; a hall's own extra days are known to the centre
    only, and its answer, when the report is delivered, is the one that holds.
    """
    # Imported here: the holiday tables cost ~0.15 s, paid on the first offline report only
    # instead of at every start.
    from hall.calendar import HallCalendar

    return HallCalendar().add_working_days(start, days)
