"""The common part of every flow bridge: events in, view out, effects carried out off-thread.

A bridge owns one flow state machine at a time. QML taps call its slots, which become flow
events; the flow's view is published as properties; effects go to the ``EffectRunner`` and their
answers come back as flow events on the GUI thread. Answers that arrive after the flow ended
(home, idle reset) are dropped: a ``generation`` counter tells old answers from new ones.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.flows.base import (
    Abort,
    Back,
    Cancel,
    CardInserted,
    CardUnreadable,
    CheckPrinter,
    Effect,
    EndSession,
    Event,
    PrinterChecked,
    PrintFinished,
    PrintTemplate,
    Retry,
    Speak,
    Tick,
)
from kiosk.ui.qtproperty import Property

if TYPE_CHECKING:
    from drivers.idcard.card import CardRecord
    from hall.catalogue import Catalogue
    from kiosk.flows.base import View
    from kiosk.services.effects import EffectRunner, Outcome
    from kiosk.ui.flows import FlowHub

log = logging.getLogger("kiosk.ui.flows")

NO_CATALOGUE = "NO_CATALOGUE"  # state shown when no configuration has arrived yet


def to_qml(value: Any) -> Any:
    """View data as values QML can show: dates as text, enums as names, tuples as lists."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Mapping):
        return {str(k): to_qml(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_qml(v) for v in value]
    return value


class SteppedFlow(Protocol):
    """What a bridge needs of its flow: a start, events in, effects and a view out."""

    def start(self) -> list[Effect]: ...

    def handle(self, event: Event) -> list[Effect]: ...

    def view(self) -> View: ...


F = TypeVar("F", bound=SteppedFlow)


class FlowBridge(QObject, Generic[F]):
    """Base bridge. Subclasses build the flow (``_new_flow``) and handle their own effects."""

    changed = Signal()
    spoke = Signal(str)  # message key read aloud in elder mode (the voice service listens)

    def __init__(self, hub: FlowHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.flow: F | None = None
        self.generation = 0
        self._state = ""
        self._prompt = ""
        self._error = ""
        self._data: dict[str, Any] = {}
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(lambda: self.dispatch(Tick(self.hub.now())))

    # ---- for subclasses
    def _new_flow(self) -> F:
        raise NotImplementedError

    def _extra(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add what QML needs beyond the view (names from the catalogue, in both languages)."""
        return data

    def _execute_own(self, effect: Effect) -> bool:
        """Carry out a flow-specific effect; False if unknown."""
        return False

    @property
    def runner(self) -> EffectRunner:
        return self.hub.runner

    @property
    def catalogue(self) -> Catalogue:
        """The bundle in force, for ``_new_flow``: ``start`` builds no flow that needs one
        before one has arrived."""
        catalogue = self.hub.catalogue
        assert catalogue is not None
        return catalogue

    # ---- lifetime
    @Slot()
    def start(self) -> None:
        """A new run of the flow for the current session (the screen just opened)."""
        self.generation += 1
        catalogue = self.hub.catalogue
        if catalogue is None and self.needs_catalogue:
            self.flow = None
            self._publish(NO_CATALOGUE, "flow.no_catalogue", "", {})
            return
        self.flow = self._new_flow()
        self.hub.sync_session()
        self.hub.activate(self)
        self._ticker.start()
        effects = self.flow.start()
        self._refresh()
        self.execute(effects)

    needs_catalogue = True

    def detach(self) -> None:
        """The session ended elsewhere (home, idle reset): forget the flow, ignore late answers."""
        self.generation += 1
        self.flow = None
        self._ticker.stop()

    @property
    def active(self) -> bool:
        return self.flow is not None and not getattr(self.flow, "finished", False)

    # ---- events
    def dispatch(self, event: Event) -> None:
        if self.flow is None:
            return
        effects = self.flow.handle(event)
        self._refresh()
        self.execute(effects)

    def answer(self, make_event: Callable[[Outcome], Event | None]) -> Callable[[Outcome], None]:
        """A callback that turns a service's answer into a flow event, if still wanted."""
        generation = self.generation

        def deliver(outcome: Outcome) -> None:
            if generation != self.generation or self.flow is None:
                log.info("%s: late answer dropped", type(self).__name__)
                return
            event = make_event(outcome)
            if event is not None:
                self.dispatch(event)

        return deliver

    def execute(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, EndSession):
                self._end(effect.reason)
            elif isinstance(effect, Speak):
                self.spoke.emit(effect.key)
            elif isinstance(effect, CheckPrinter):
                self.runner.check_printer(self.answer(
                    lambda o: PrinterChecked(o.ok, o.reason_key)))
            elif isinstance(effect, PrintTemplate):
                self.runner.print_template(effect.name, effect.data, self.hub.language,
                                           self.answer(lambda o: PrintFinished(o.ok, o.reason_key)))
            elif not self._execute_own(effect):
                log.warning("%s: no handler for %s", type(self).__name__, type(effect).__name__)

    def _end(self, reason: str) -> None:
        log.info("%s ended (%s)", type(self).__name__, reason)
        self.detach()
        self.hub.end_session(reason)

    # ---- the card reader, routed here by the hub while this flow is active
    def card_read(self, record: CardRecord) -> None:
        self.dispatch(CardInserted(record))

    def card_unreadable(self, reason_key: str) -> None:
        self.dispatch(CardUnreadable(reason_key))

    # ---- view
    def _refresh(self) -> None:
        if self.flow is None:
            return
        view = self.flow.view()
        data = self._extra(dict(view.data))
        self._publish(view.state, view.prompt, view.error or "", data)

    def _publish(self, state: str, prompt: str, error: str, data: dict[str, Any]) -> None:
        self._state, self._prompt, self._error = state, prompt, error
        self._data = to_qml(data)
        self.changed.emit()

    @Property(str, notify=changed)
    def state(self) -> str:
        return self._state

    @Property(str, notify=changed)
    def prompt(self) -> str:
        return self._prompt

    @Property(str, notify=changed)
    def error(self) -> str:
        return self._error

    @Property("QVariantMap", notify=changed)
    def data(self) -> dict[str, Any]:
        return self._data

    # ---- taps every flow understands
    @Slot()
    def back(self) -> None:
        self.dispatch(Back())

    @Slot()
    def retry(self) -> None:
        self.dispatch(Retry())

    @Slot()
    def abort(self) -> None:
        if self.flow is None:
            self.hub.end_session()
            return
        self.dispatch(Abort())

    @Slot()
    def cancel(self) -> None:
        """The screen was left (top-bar back): the flow ends and its data is dropped."""
        if self.active:
            self.dispatch(Cancel())
