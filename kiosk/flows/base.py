"""Shared machinery of the citizen flows: common events and effects, views, the error rule.

A flow is a pure state machine (photobooth/OctoPrint style): ``handle(event)`` changes
``state`` in one place and returns effects for the app to carry out (print, ask the centre,
speak). Time arrives as ``Tick`` events; nothing here sleeps, opens a port or imports Qt.
Every flow accepts ``Cancel``, ``Home`` and ``IdleReset`` in every state: each ends the
session, which drops all personal data. Errors are a state that remembers where it came
from: ``Retry`` goes back there, ``Abort`` goes home.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from hall.catalogue import Catalogue
from kiosk.flows.session import CitizenSession

if TYPE_CHECKING:
    from drivers.idcard.card import CardRecord

log = logging.getLogger("kiosk.flows")


# --------------------------------------------------------------------------- events


class Event:
    """Something that happened: a tap, a device answer, the centre's answer, time passing."""


@dataclass(frozen=True)
class Cancel(Event):
    """The citizen gave up on this flow."""


@dataclass(frozen=True)
class Home(Event):
    """The home button: the session ends."""


@dataclass(frozen=True)
class IdleReset(Event):
    """Nobody answered the 'need more time?' prompt: forget everything."""


@dataclass(frozen=True)
class Back(Event):
    """One screen back, where the flow has a previous screen."""


@dataclass(frozen=True)
class Retry(Event):
    """From an error: try again from where the error happened."""


@dataclass(frozen=True)
class Abort(Event):
    """From an error: give up and go home."""


@dataclass(frozen=True)
class Tick(Event):
    """The clock, delivered by the app (flows keep no timers)."""

    now: dt.datetime


@dataclass(frozen=True)
class CardInserted(Event):
    """A card was read. The record stays in the session; only its salted hash leaves."""

    card: CardRecord = field(repr=False)

    def __repr__(self) -> str:  # never show the card, even masked, in logs of events
        return "CardInserted(card=<hidden>)"


@dataclass(frozen=True)
class CardUnreadable(Event):
    """The reader could not read the card; ``reason_key`` comes from the ID card service."""

    reason_key: str


# --------------------------------------------------------------------------- effects


class Effect:
    """Something the app must do for a flow."""


@dataclass(frozen=True)
class Speak(Effect):
    """Read a message aloud (elder mode)."""

    key: str


@dataclass(frozen=True)
class EndSession(Effect):
    """The flow is over and personal data is gone: show home. ``reason``: done/cancel/home/idle."""

    reason: str


@dataclass(frozen=True)
class CheckPrinter(Effect):
    """Ask the printer service for fresh status; the answer comes back as ``PrinterChecked``."""


@dataclass(frozen=True)
class PrinterChecked(Event):
    """The printer's answer to ``CheckPrinter``."""

    ok: bool
    reason_key: str = ""


@dataclass(frozen=True)
class PrintTemplate(Effect):
    """Print one of the printer templates; the answer comes back as ``PrintFinished``."""

    name: str
    data: Mapping[str, Any] = field(hash=False)


@dataclass(frozen=True)
class PrintFinished(Event):
    """The printer service's ``jobFinished`` for the flow's last ``PrintTemplate``."""

    printed: bool
    reason_key: str = ""


# --------------------------------------------------------------------------- view


@dataclass(frozen=True)
class View:
    """What the screen shows: message keys and plain values, never display strings."""

    flow: str
    state: str
    prompt: str  # message key of the screen's question or title
    data: Mapping[str, Any] = field(default_factory=dict, hash=False)
    error: str | None = None  # message key when state is ERROR
    elder: bool = False
    language: str = "zh"


# --------------------------------------------------------------------------- the flow

S = TypeVar("S", bound=enum.Enum)


def new_key() -> str:
    """An idempotency key: the centre answers a repeated request with the first answer."""
    return uuid.uuid4().hex


class Flow(Generic[S]):
    """Base of the citizen flows: the common events, the error rule and the end of a session.

    Subclasses set ``name``, ``START``, ``ERROR``, ``FINISHED``, ``PROMPTS`` (a message key per
    state) and ``BACK`` (previous screen per state), and implement ``_handle``, ``_data`` and
    ``clear``.
    """

    name: ClassVar[str] = "flow"
    START: ClassVar[Any]
    ERROR: ClassVar[Any]
    FINISHED: ClassVar[Any]
    PROMPTS: ClassVar[Mapping[Any, str]]
    BACK: ClassVar[Mapping[Any, Any]] = {}

    def __init__(self, session: CitizenSession, catalogue: Catalogue, now: dt.datetime, *,
                 make_key: Callable[[], str] = new_key) -> None:
        self.session = session
        self.catalogue = catalogue
        self.now = now
        self._make_key = make_key
        self.state: S = self.START
        self.error_key: str | None = None
        self.error_from: S | None = None
        session.on_drop(self.clear)

    # ---- public

    def start(self) -> list[Effect]:
        """Effects of showing the first screen (its prompt read aloud in elder mode)."""
        return self._speak()

    def handle(self, event: Event) -> list[Effect]:
        """Feed one event; returns what the app must do. Unexpected events are ignored."""
        if isinstance(event, Tick):
            self.now = event.now
            return self._tick()
        if isinstance(event, (Cancel, Home, IdleReset)):
            return self._end({Cancel: "cancel", Home: "home", IdleReset: "idle"}[type(event)])
        if self.state == self.FINISHED:
            return []
        if self.state == self.ERROR:
            if isinstance(event, Retry):
                origin = self.error_from if self.error_from is not None else self.START
                self.error_key, self.error_from = None, None
                return self._retry(origin)
            if isinstance(event, Abort):
                return self._end("abort")
            return []
        if isinstance(event, Back) and self.state in self.BACK:
            return self._go(self.BACK[self.state])
        effects = self._handle(event)
        if effects is None:
            log.debug("%s: %s ignored in %s", self.name, type(event).__name__, self.state.name)
            return []
        return effects

    def view(self) -> View:
        return View(
            flow=self.name,
            state=self.state.name,
            prompt=self._prompt(),
            data=self._data(),
            error=self.error_key,
            elder=self.session.elder_mode,
            language=self.session.language,
        )

    @property
    def finished(self) -> bool:
        return bool(self.state == self.FINISHED)

    def clear(self) -> None:
        """Forget what the citizen entered in this flow (called when the session drops)."""
        self.error_key, self.error_from = None, None

    # ---- for subclasses

    def _handle(self, event: Event) -> list[Effect] | None:
        raise NotImplementedError

    def _data(self) -> dict[str, Any]:
        return {}

    def _tick(self) -> list[Effect]:
        return []

    def _retry(self, origin: S) -> list[Effect]:
        """Default retry: show the screen where the error happened again."""
        return self._go(origin)

    def _go(self, state: S) -> list[Effect]:
        """The one place that changes state (logged without personal data)."""
        if state != self.state:
            log.info("%s: %s -> %s", self.name, self.state.name, state.name)
        self.state = state
        return self._speak()

    def _speak(self) -> list[Effect]:
        if self.session.elder_mode and self.state != self.FINISHED:
            return [Speak(self.error_key if self.state == self.ERROR and self.error_key
                          else self._prompt())]
        return []

    def _prompt(self) -> str:
        """The screen's prompt key: the state's, unless a flow words one case differently."""
        return self.PROMPTS[self.state]

    def _say(self, key: str) -> list[Effect]:
        """Read a message aloud in elder mode (an input problem shown on the same screen)."""
        return [Speak(key)] if self.session.elder_mode else []

    def _fail(self, key: str, *, retry_to: S | None = None) -> list[Effect]:
        """Enter the error state; ``Retry`` returns to ``retry_to`` (default: current state)."""
        self.error_from = retry_to if retry_to is not None else self.state
        self.error_key = key
        return self._go(self.ERROR)

    def _end(self, reason: str) -> list[Effect]:
        """End the flow and the session: every personal value is dropped here."""
        self.session.drop()  # calls self.clear()
        self.clear()
        self._go(self.FINISHED)
        return [EndSession(reason)]

    def _accept_card(self, event: CardInserted) -> None:
        self.session.accept_card(event.card, self.now.date())

    def _key(self) -> str:
        return self._make_key()
