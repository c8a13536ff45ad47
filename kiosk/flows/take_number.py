"""Take a queue number (取号): zone → matter → optional ID card → confirm → ticket.

The printer is checked when the confirm screen opens, so the citizen is told before the number
is taken when the ticket will be on screen only. One confirmation takes one number however often
the button is tapped: the idempotency key belongs to the confirmation, and a retry after a
network error reuses it so the centre cannot hand out a second number.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from hall.catalogue import Matter, Zone, window_numbers
from kiosk import clock
from kiosk.flows.base import (
    Abort,
    CardInserted,
    CardUnreadable,
    CheckPrinter,
    Effect,
    Event,
    Flow,
    PrinterChecked,
    PrintFinished,
    PrintTemplate,
)
from kiosk.words import text


class State(enum.Enum):
    CHOOSE_ZONE = "choose_zone"
    CHOOSE_MATTER = "choose_matter"
    IDENTIFY = "identify"
    ASK_PRIORITY = "ask_priority"  # elder mode: the disability question gets its own screen
    CONFIRM = "confirm"
    REQUESTING = "requesting"
    TICKET = "ticket"
    UNAVAILABLE = "unavailable"
    ERROR = "error"
    FINISHED = "finished"


# ---- events (taps and answers)


@dataclass(frozen=True)
class ChooseZone(Event):
    zone_id: str


@dataclass(frozen=True)
class Search(Event):
    """Search text typed on the matter screen (pinyin initials, Chinese or English)."""

    query: str


@dataclass(frozen=True)
class ChooseMatter(Event):
    matter_id: str


@dataclass(frozen=True)
class DeclareDisability(Event):
    """The citizen says they need the priority channel because of a disability."""

    declared: bool = True


@dataclass(frozen=True)
class EnterAppointmentCode(Event):
    code: str


@dataclass(frozen=True)
class Continue(Event):
    """Go on without (or with) a card from the identify screen."""


@dataclass(frozen=True)
class Confirm(Event):
    """'Take my number'. Taps after the first are ignored."""


@dataclass(frozen=True)
class TicketInfo:
    """The centre's ticket, as plain values (the app converts the client's ``Ticket``)."""

    ticket_id: str
    number: str
    ahead: int
    windows: str = ""
    issued_at: str = ""
    queue_url: str = ""
    priority: str | None = None
    estimated_wait_min: int | None = None


@dataclass(frozen=True)
class TicketIssued(Event):
    ticket: TicketInfo


@dataclass(frozen=True)
class TicketRefused(Event):
    """The centre said no: ``reason`` is its key (ticket.closed, ticket.quota_gone, ...)."""

    reason: str
    come_back_at: dt.datetime | None = None


@dataclass(frozen=True)
class CentreOffline(Event):
    """The centre did not answer (CentralOffline)."""


@dataclass(frozen=True)
class CentreFailed(Event):
    """The centre answered nonsense or 5xx (CentralServerError); ``reason_key`` for the screen."""

    reason_key: str = "central.server_error"


@dataclass(frozen=True)
class Finish(Event):
    """'Done' on the ticket screen."""


# ---- effects


@dataclass(frozen=True)
class RequestTicket(Effect):
    """Ask the centre for a number (CentralClient.take_ticket)."""

    matter_id: str
    priority_reason: str | None  # "elderly" | "disabled" | None
    appointment: bool  # check in a booked appointment by the card (id_hash)
    id_hash: str | None
    idempotency_key: str
    appointment_code: str | None = None


PRINT_PENDING, PRINTED, PRINT_FAILED, SCREEN_ONLY = "pending", "printed", "failed", "screen_only"
#: The centre's limits in the citizen's words, and where "try again" leads: after a minute the
#: same confirmation may work; a person's daily limit for a matter leaves only other matters.
LIMITS: Mapping[str, tuple[str, State]] = {
    "ticket.rate_limited": ("take.rate_limited", State.CONFIRM),
    "ticket.person_limit": ("take.person_limit", State.CHOOSE_MATTER),
}


def _served_until(closes_at: Any, language: str) -> str:
    """今日办理至17:00 / Served today until 17:00; empty when not known."""
    if not closes_at:
        return ""
    return text("take.ticket.served_until", language).format(closes_at=f"{closes_at:%H:%M}")


def _minutes(stamp: str) -> str:
    """The centre's ISO time as a ticket prints it ("2026-12-02 04:08", the hall's own clock);
    text that is not an ISO time is printed as it came."""
    try:
        return clock.in_hall(dt.datetime.fromisoformat(stamp)).strftime("%Y-%m-%d %H:%M") if stamp else ""
    except ValueError:
        return stamp


class TakeNumberFlow(Flow[State]):
    """取号. Needs the catalogue for zones, matters and opening hours."""

    name = "take_number"
    START, ERROR, FINISHED = State.CHOOSE_ZONE, State.ERROR, State.FINISHED
    PROMPTS: ClassVar[Mapping[State, str]] = {
        State.CHOOSE_ZONE: "take.choose_zone",
        State.CHOOSE_MATTER: "take.choose_matter",
        State.IDENTIFY: "take.identify",
        State.ASK_PRIORITY: "take.ask_priority",
        State.CONFIRM: "take.confirm",
        State.REQUESTING: "take.requesting",
        State.TICKET: "take.ticket",
        State.UNAVAILABLE: "take.unavailable",
        State.ERROR: "common.error",
        State.FINISHED: "common.home",
    }
    BACK: ClassVar[Mapping[State, State]] = {
        State.CHOOSE_MATTER: State.CHOOSE_ZONE,
        State.IDENTIFY: State.CHOOSE_MATTER,
        State.ASK_PRIORITY: State.IDENTIFY,
        State.CONFIRM: State.IDENTIFY,
        State.UNAVAILABLE: State.CHOOSE_MATTER,
    }

    def clear(self) -> None:
        super().clear()
        self.zone_id: str | None = None
        self.query = ""
        self.matter_id: str | None = None
        self.disability = False
        self.appointment_code: str | None = None
        self.card_problem: str | None = None
        self.printer_ok: bool | None = None
        self.printer_reason = ""
        self.confirmation_key: str | None = None
        self.ticket: TicketInfo | None = None
        self.print_status = ""
        self.unavailable_reason = ""
        self.come_back_at: dt.datetime | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clear()

    # ---- derived

    @property
    def matter(self) -> Matter | None:
        return self.catalogue.matter(self.matter_id) if self.matter_id else None

    @property
    def priority_reason(self) -> str | None:
        if self.session.is_elder:
            return "elderly"
        if self.disability:
            return "disabled"
        return None

    @property
    def checks_in_appointment(self) -> bool:
        matter = self.matter
        return bool(matter and matter.appointment and self.session.id_hash)

    # ---- events

    def _handle(self, event: Event) -> list[Effect] | None:
        state = self.state
        if isinstance(event, CardInserted) and state in (State.CHOOSE_ZONE, State.CHOOSE_MATTER,
                                                          State.IDENTIFY, State.CONFIRM):
            self._accept_card(event)
            self.card_problem = None
            return []
        if isinstance(event, CardUnreadable) and state == State.IDENTIFY:
            self.card_problem = event.reason_key
            return self._say(event.reason_key)
        if state == State.CHOOSE_ZONE:
            if isinstance(event, ChooseZone):
                self.catalogue.zone(event.zone_id)  # unknown id is a UI bug: raise KeyError
                self.zone_id, self.query = event.zone_id, ""
                return self._go(State.CHOOSE_MATTER)
            if isinstance(event, Search):
                self.query = event.query
                return self._go(State.CHOOSE_MATTER)
        elif state == State.CHOOSE_MATTER:
            if isinstance(event, Search):
                self.query = event.query
                return []
            if isinstance(event, ChooseMatter):
                return self._choose_matter(event.matter_id)
        elif state == State.IDENTIFY:
            if isinstance(event, DeclareDisability):
                self.disability = event.declared
                return []
            if isinstance(event, EnterAppointmentCode):
                self.appointment_code = event.code.strip() or None
                return []
            if isinstance(event, Continue):
                if self.session.elder_mode and self.priority_reason is None:
                    return self._go(State.ASK_PRIORITY)
                return self._to_confirm()
        elif state == State.ASK_PRIORITY:
            if isinstance(event, DeclareDisability):
                self.disability = event.declared
                return self._to_confirm()
        elif state == State.CONFIRM:
            if isinstance(event, PrinterChecked):
                self.printer_ok, self.printer_reason = event.ok, event.reason_key
                return []
            if isinstance(event, Confirm):
                return [*self._go(State.REQUESTING), self._request()]
        elif state == State.REQUESTING:
            if isinstance(event, PrinterChecked):  # late answer: still worth knowing
                self.printer_ok, self.printer_reason = event.ok, event.reason_key
                return []
            return self._on_answer(event)
        elif state == State.TICKET:
            if isinstance(event, PrintFinished) and self.print_status == PRINT_PENDING:
                self.print_status = PRINTED if event.printed else PRINT_FAILED
                self.printer_reason = event.reason_key
                return []
            if isinstance(event, Finish):
                return self._end("done")
        elif state == State.UNAVAILABLE and isinstance(event, Abort):
            # "Home now" on the closed / quota-gone screen: the citizen must never be left
            # on a screen whose button does nothing (it used to wait for the idle reset).
            return self._end("abort")
        return None

    def _to_confirm(self) -> list[Effect]:
        """A new confirmation screen: fresh printer check, fresh idempotency key."""
        self.printer_ok, self.printer_reason = None, ""
        self.confirmation_key = self._key()
        return [*self._go(State.CONFIRM), CheckPrinter()]

    def _choose_matter(self, matter_id: str) -> list[Effect]:
        matter = self.catalogue.matter(matter_id)
        self.matter_id = matter.id
        if not matter.needs_staff:  # the centre issues no number for it: say where to go
            self.unavailable_reason, self.come_back_at = "ticket.self_service", None
            return self._go(State.UNAVAILABLE)
        availability = self.catalogue.is_open(matter, self.now)
        if not availability:
            self.unavailable_reason = "ticket.closed"
            self.come_back_at = availability.next_open
            return self._go(State.UNAVAILABLE)
        return self._go(State.IDENTIFY)

    #: Prompts ``_prompt`` gives besides the states' own (read aloud too: kiosk.ui.voice_clips).
    EXTRA_PROMPTS = ("take.no_queue",)

    def _prompt(self) -> str:
        if self.state == State.UNAVAILABLE and self.unavailable_reason == "ticket.self_service":
            return "take.no_queue"
        return super()._prompt()

    def _request(self) -> RequestTicket:
        assert self.matter_id is not None and self.confirmation_key is not None
        return RequestTicket(
            matter_id=self.matter_id,
            priority_reason=self.priority_reason,
            appointment=self.checks_in_appointment,
            id_hash=self.session.id_hash,
            idempotency_key=self.confirmation_key,
            appointment_code=self.appointment_code,
        )

    def _on_answer(self, event: Event) -> list[Effect] | None:
        if isinstance(event, TicketIssued):
            self.ticket = event.ticket
            effects = self._go(State.TICKET)
            if self.printer_ok is False:
                self.print_status = SCREEN_ONLY
                return effects
            self.print_status = PRINT_PENDING
            return [*effects, PrintTemplate("queue_ticket", self.ticket_print_data())]
        if isinstance(event, TicketRefused):
            if event.reason in ("ticket.closed", "ticket.quota_gone"):
                matter = self.matter
                assert matter is not None
                self.unavailable_reason = event.reason
                fallback = (self.catalogue.next_opening_after_today(matter, self.now)
                            if event.reason == "ticket.quota_gone"
                            else self.catalogue.next_opening(matter, self.now))
                self.come_back_at = event.come_back_at or fallback
                return self._go(State.UNAVAILABLE)
            if event.reason in LIMITS:
                words, retry_to = LIMITS[event.reason]
                return self._fail(words, retry_to=retry_to)
            if event.reason.startswith("appointment."):
                self.appointment_code = None
                return self._fail(event.reason, retry_to=State.IDENTIFY)
            return self._fail(event.reason, retry_to=State.CONFIRM)
        if isinstance(event, CentreOffline):
            return self._fail("take.offline", retry_to=State.REQUESTING)
        if isinstance(event, CentreFailed):
            return self._fail(event.reason_key, retry_to=State.REQUESTING)
        return None

    def _retry(self, origin: State) -> list[Effect]:
        if origin == State.REQUESTING:  # same confirmation, same key: never a second number
            return [*self._go(State.REQUESTING), self._request()]
        if origin == State.CONFIRM:
            return self._to_confirm()
        return self._go(origin)

    # ---- output

    def ticket_print_data(self) -> dict[str, Any]:
        """Fields of the ``queue_ticket`` printer template (no personal data on a ticket)."""
        assert self.ticket is not None
        matter = self.matter
        assert matter is not None
        zone = self.catalogue.zone(matter.zone)
        hall = self.catalogue.hall
        come = self.catalogue.is_open(matter, self.now).closes_at
        return {
            "hall_name": hall.name, "hall_name_en": hall.name_en,
            "number": self.ticket.number,
            # The screen's priority words (老年人优先 / 残疾人优先 ...), also on paper; an English
            # ticket carries the Chinese too, for the staff at the window.
            **self._printed_priority(self.ticket.priority),
            "matter": matter.name, "matter_en": matter.name_en,
            "zone_name": zone.name, "zone_name_en": zone.name_en, "floor": zone.floor,
            **self._printed_place(self.ticket.windows or matter.windows, zone),
            "people_ahead": self.ticket.ahead,
            "issued_at": _minutes(self.ticket.issued_at) or self.now.strftime("%Y-%m-%d %H:%M"),
            "queue_url": self.ticket.queue_url or hall.queue_link(self.ticket.ticket_id),
            # Printed only when somebody is ahead and the centre sent an estimate.
            "wait_min": (self.ticket.estimated_wait_min or "") if self.ticket.ahead else "",
            # The screen's words (take.ticket.served_until): one vocabulary on screen and paper.
            "note": _served_until(come, "zh"), "note_en": _served_until(come, "en"),
        }

    @staticmethod
    def _printed_priority(priority: str | None) -> dict[str, str]:
        if not priority:
            return {"priority": "", "priority_en": "", "priority_zh": ""}
        zh, en = text(f"take.priority.{priority}", "zh"), text(f"take.priority.{priority}", "en")
        return {"priority": zh, "priority_en": en, "priority_zh": zh}

    @staticmethod
    def _printed_place(windows: str, zone: Zone) -> dict[str, Any]:
        """The ticket prints "窗口 5号" for numbers; a place in words goes under 位置 instead."""
        if not windows or window_numbers(windows):
            return {"windows": windows, "location": zone.location, "location_en": zone.location_en}
        return {"windows": "", "location": f"{zone.location} {windows}".strip(),
                "location_en": f"{zone.location_en} {windows}".strip()}

    def _data(self) -> dict[str, Any]:
        cat = self.catalogue
        data: dict[str, Any] = {"zone_id": self.zone_id, "matter_id": self.matter_id}
        if self.state == State.CHOOSE_ZONE:
            data["zones"] = [z.id for z in cat.zones]
        elif self.state == State.CHOOSE_MATTER:
            found = (cat.search(self.query) if self.query
                     else cat.matters_in_zone(self.zone_id or ""))
            data["query"] = self.query
            data["matters"] = [m.id for m in found]
        elif self.state in (State.IDENTIFY, State.ASK_PRIORITY, State.CONFIRM,
                            State.REQUESTING):
            data.update(
                # elder mode asks about disability on its own screen (one decision each)
                ask_disability=not self.session.elder_mode,
                card=self.session.has_card,
                masked_name=self.session.masked_name(),
                priority=self.priority_reason,
                disability=self.disability,
                appointment_offered=bool(self.matter and self.matter.appointment),
                appointment=self.checks_in_appointment or bool(self.appointment_code),
                card_problem=self.card_problem,
                offer_elder_mode=self.session.is_elder and not self.session.elder_mode,
            )
            if self.state in (State.CONFIRM, State.REQUESTING):
                data["printer_ok"] = self.printer_ok
                if self.printer_ok is False:
                    data["notice"] = "take.screen_only_notice"
        elif self.state == State.TICKET and self.ticket is not None:
            print_data = self.ticket_print_data()
            data.update(
                number=self.ticket.number,
                ahead=self.ticket.ahead,
                zone_name=print_data["zone_name"], zone_name_en=print_data["zone_name_en"],
                floor=print_data["floor"], windows=print_data["windows"],
                location=print_data["location"], location_en=print_data["location_en"],
                qr_url=print_data["queue_url"],
                # Everything the paper says is on the screen too (it stands in for the paper
                # when the printer fails): the matter, the time taken, until when it is served.
                matter_name=print_data["matter"], matter_name_en=print_data["matter_en"],
                issued_at=print_data["issued_at"],
                note=print_data["note"], note_en=print_data["note_en"],
                wait_min=print_data["wait_min"],
                priority=self.ticket.priority,
                print_status=self.print_status,
                printer_reason=self.printer_reason,
                notice={PRINT_FAILED: "take.print_failed", SCREEN_ONLY: "take.screen_is_ticket",
                        PRINT_PENDING: "take.printing", PRINTED: "take.printed"}[self.print_status],
            )
        elif self.state == State.UNAVAILABLE:
            guide = self.matter.guide if self.matter else None
            zone = self.catalogue.zone(self.matter.zone) if self.matter else None
            data.update(
                reason=self.unavailable_reason,
                message={"ticket.closed": "take.closed", "ticket.self_service": "take.self_service"}
                .get(self.unavailable_reason or "", "take.quota_gone"),
                place=(guide.place if guide and guide.place else zone.location if zone else ""),
                place_en=(guide.place_en if guide and guide.place_en
                          else zone.location_en if zone else ""),
                come_back_at=self.come_back_at,
                hours_text=guide.hours_text if guide else "",
                hours_text_en=guide.hours_text_en if guide else "",
                staffed_hours=cat.hall.staffed_hours,
                staffed_hours_en=cat.hall.staffed_hours_en,
            )
        elif self.state == State.ERROR:
            data["still_works"] = (
                ["take.still_works.guide", "take.still_works.report", "take.still_works.help"]
                if self.error_key == "take.offline" else [])
        return data
