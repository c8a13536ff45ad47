"""Call for help: one tap from any flow sends a help request with the kiosk's location.

Independent of the flows (the app shows it over whatever flow is open and returns there when it
closes), so a citizen stuck anywhere is one tap from a person. Holds no personal data.
Outside the hall's staffed hours nobody may be on site: the call is still recorded, but the
citizen is told so, given the hotline and when staff are back, instead of being asked to wait.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass
from typing import Any

from kiosk.flows.base import (
    Abort,
    Cancel,
    Effect,
    Event,
    Home,
    IdleReset,
    Retry,
    Speak,
    View,
    new_key,
)

log = logging.getLogger("kiosk.flows")

REASON_BY_FLOW = {"report": "report", "device": "device"}


class State(enum.Enum):
    CLOSED = "closed"
    SENDING = "sending"
    COMING = "coming"
    RECORDED = "recorded"  # sent outside staffed hours: nobody is promised
    QUEUED = "queued"  # stored, not yet delivered: the centre cannot be reached right now
    FAILED = "failed"


@dataclass(frozen=True)
class AskForHelp(Event):
    """The help button. ``from_flow`` names the open flow (or "device" for a device fault)."""

    from_flow: str | None = None


@dataclass(frozen=True)
class HelpSent(Event):
    call_id: str


@dataclass(frozen=True)
class HelpQueued(Event):
    """The call is stored on the kiosk but the centre has not received it yet."""


@dataclass(frozen=True)
class HelpFailed(Event):
    reason_key: str


@dataclass(frozen=True)
class StaffComing(Event):
    """A staff member answered "I'm coming" on the desk: display name and role, nothing more."""

    name: str
    role_name: str
    role_name_en: str


@dataclass(frozen=True)
class Close(Event):
    """'Back to what I was doing' once staff are on their way."""


@dataclass(frozen=True)
class SendHelpCall(Effect):
    """POST /v1/help-calls via the outbox; ``body()`` is its body."""

    location: str
    reason: str
    language: str
    idempotency_key: str

    def body(self) -> dict[str, Any]:
        return {"location": self.location, "reason": self.reason, "language": self.language}


@dataclass(frozen=True)
class FollowHelpCall(Effect):
    """Ask the centre, while the panel is open, whether someone said "I'm coming"."""

    call_id: str


@dataclass(frozen=True)
class CancelHelpCall(Effect):
    call_id: str | None
    idempotency_key: str


@dataclass(frozen=True)
class CloseHelp(Effect):
    """Hide the help panel and show the flow underneath again, where it was."""


PROMPTS = {
    State.CLOSED: "help.closed",
    State.SENDING: "help.sending",
    State.COMING: "help.coming",
    State.RECORDED: "help.after_hours",
    State.QUEUED: "help.queued",
    State.FAILED: "help.failed",
}


class HelpCall:
    """The help panel's state machine; ``location`` is the kiosk's (from kiosk.toml).

    ``staff_on_site`` and ``staff_back_at`` come from the hall's staffed hours at the moment
    the panel opens (``Catalogue.staff_on_site``).
    """

    name = "help"

    def __init__(self, location: str, *, hotline: str = "12345", language: str = "zh",
                 elder_mode: bool = False, staff_on_site: bool = True,
                 staff_back_at: dt.datetime | None = None) -> None:
        self.location = location
        self.hotline = hotline
        self.staff_on_site = staff_on_site
        self.staff_back_at = staff_back_at
        self.language = language
        self.elder_mode = elder_mode
        self.state = State.CLOSED
        self.call_id: str | None = None
        self.request: SendHelpCall | None = None
        self.error_key: str | None = None
        self.coming: StaffComing | None = None

    def start(self) -> list[Effect]:
        """Opening the panel does nothing yet: ``AskForHelp`` sends the call."""
        return []

    def handle(self, event: Event) -> list[Effect]:
        state = self.state
        if isinstance(event, AskForHelp):
            if state in (State.SENDING, State.COMING, State.RECORDED, State.QUEUED):
                return []  # already sent or stored: a second tap calls nobody twice
            reason = REASON_BY_FLOW.get(event.from_flow or "", "assist")
            self.request = SendHelpCall(self.location, reason, self.language, new_key())
            self.call_id, self.error_key = None, None
            return [*self._go(State.SENDING), self.request]
        if state == State.CLOSED:
            return []
        if isinstance(event, HelpSent) and state == State.SENDING:
            self.call_id = event.call_id
            return [*self._go(State.COMING if self.staff_on_site else State.RECORDED),
                    FollowHelpCall(event.call_id)]
        if isinstance(event, StaffComing) and state in (State.COMING, State.RECORDED):
            if self.coming is not None:
                return []
            self.coming = event
            # After hours too: the duty officer answered, so somebody is coming after all.
            self.state = State.COMING
            log.info("help: staff on the way")
            return [Speak("help.staff_coming")] if self.elder_mode else []
        if isinstance(event, HelpQueued) and state == State.SENDING:
            # Never "staff are on their way" before staff could have heard of it.
            return self._go(State.QUEUED)
        if isinstance(event, HelpFailed) and state == State.SENDING:
            self.error_key = event.reason_key
            return self._go(State.FAILED)
        if isinstance(event, Retry) and state == State.FAILED and self.request is not None:
            self.error_key = None
            return [*self._go(State.SENDING), self.request]
        if isinstance(event, Cancel):
            effects: list[Effect] = []
            if self.request is not None and state in (State.SENDING, State.COMING,
                                                      State.RECORDED, State.QUEUED):
                effects.append(CancelHelpCall(self.call_id, self.request.idempotency_key))
            return [*effects, *self._close()]
        if isinstance(event, (Close, Abort)) and state in (State.COMING, State.RECORDED,
                                                           State.QUEUED, State.FAILED):
            return self._close()
        if isinstance(event, (Home, IdleReset)):
            # the session ends underneath; a call already sent stays open for the staff
            self._reset()
            return []
        return []

    def _close(self) -> list[Effect]:
        self._reset()
        return [CloseHelp()]

    def _reset(self) -> None:
        self.state = State.CLOSED
        self.call_id, self.request, self.error_key = None, None, None
        self.coming = None

    def _go(self, state: State) -> list[Effect]:
        log.info("help: %s -> %s", self.state.name, state.name)
        self.state = state
        return [Speak(PROMPTS[state])] if self.elder_mode else []

    @property
    def is_open(self) -> bool:
        return self.state != State.CLOSED

    def view(self) -> View:
        return View(flow=self.name, state=self.state.name, prompt=PROMPTS[self.state],
                    data={"location": self.location, "call_id": self.call_id,
                          "hotline": self.hotline,
                          "hotline_hint": "help.hotline_hint"
                          if self.state in (State.FAILED, State.QUEUED) else None,
                          "staff_on_site": self.staff_on_site,
                          "coming_name": self.coming.name if self.coming else None,
                          "coming_role": (self.coming.role_name_en if self.language == "en"
                                          else self.coming.role_name) if self.coming else None,
                          "staff_back_at": self.staff_back_at},
                    error=self.error_key, elder=self.elder_mode, language=self.language)
