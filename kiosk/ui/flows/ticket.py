"""Bridge of the take-a-number flow (取号): taps to events, the centre's answer to events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot

from kiosk.flows.base import Effect, Event
from kiosk.flows.take_number import (
    CentreFailed,
    CentreOffline,
    ChooseMatter,
    ChooseZone,
    Confirm,
    Continue,
    DeclareDisability,
    EnterAppointmentCode,
    Finish,
    RequestTicket,
    Search,
    TakeNumberFlow,
    TicketInfo,
    TicketIssued,
    TicketRefused,
)
from kiosk.services.effects import Outcome
from kiosk.ui.flows.bridge import FlowBridge

if TYPE_CHECKING:
    from hall.catalogue import Matter, Zone


def zone_entry(zone: Zone) -> dict[str, Any]:
    return {"id": zone.id, "name": zone.name, "name_en": zone.name_en, "floor": zone.floor,
            "windows": zone.windows, "location": zone.location, "location_en": zone.location_en}


def matter_entry(matter: Matter) -> dict[str, Any]:
    return {"id": matter.id, "name": matter.name, "name_en": matter.name_en,
            "windows": matter.windows, "zone": matter.zone, "prefix": matter.prefix}


def ticket_event(outcome: Outcome) -> Event:
    """The centre's answer to RequestTicket as the flow's event."""
    if outcome.ok:
        t = outcome.value
        return TicketIssued(TicketInfo(ticket_id=t.id, number=t.number, ahead=t.ahead,
                                       windows=t.windows, issued_at=t.issued_at,
                                       queue_url=t.tracking_url, priority=t.priority,
                                       estimated_wait_min=t.estimated_wait_min))
    if outcome.offline:
        return CentreOffline()
    if outcome.rejected:
        return TicketRefused(outcome.reason_key, outcome.come_back_at)
    return CentreFailed(outcome.reason_key or "central.server_error")


class TakeNumberBridge(FlowBridge[TakeNumberFlow]):
    """QML sees it as ``flowHub.ticket``."""

    def _new_flow(self) -> TakeNumberFlow:
        return TakeNumberFlow(self.hub.session, self.catalogue, self.hub.now())

    def _extra(self, data: dict[str, Any]) -> dict[str, Any]:
        assert self.flow is not None  # _refresh asks only while a flow runs
        catalogue = self.flow.catalogue
        if "zones" in data:
            data["zoneList"] = [zone_entry(catalogue.zone(z)) for z in data["zones"]]
        if "matters" in data:
            data["matterList"] = [matter_entry(catalogue.matter(m)) for m in data["matters"]]
        matter = self.flow.matter
        if matter is not None:
            data["matter"] = matter_entry(matter)
            zone = catalogue.zone(matter.zone)
            data["zone"] = zone_entry(zone)
        if self.flow.zone_id:
            data["chosenZone"] = zone_entry(catalogue.zone(self.flow.zone_id))
        return data

    def _execute_own(self, effect: Effect) -> bool:
        if isinstance(effect, RequestTicket):
            self.runner.take_ticket(
                effect.matter_id, idempotency_key=effect.idempotency_key,
                priority=effect.priority_reason, appointment_code=effect.appointment_code,
                id_hash=effect.id_hash, done=self.answer(ticket_event))
            return True
        return False

    # ---- taps
    @Slot(str)
    def chooseZone(self, zone_id: str) -> None:
        self.dispatch(ChooseZone(zone_id))

    @Slot(str)
    def search(self, query: str) -> None:
        self.dispatch(Search(query))

    @Slot(str)
    def chooseMatter(self, matter_id: str) -> None:
        self.dispatch(ChooseMatter(matter_id))

    @Slot(bool)
    def declareDisability(self, declared: bool) -> None:
        self.dispatch(DeclareDisability(declared))

    @Slot(str)
    def enterAppointmentCode(self, code: str) -> None:
        self.dispatch(EnterAppointmentCode(code))

    @Slot()
    def proceed(self) -> None:
        """Go on from the identify screen, with or without a card."""
        self.dispatch(Continue())

    @Slot()
    def confirm(self) -> None:
        self.dispatch(Confirm())

    @Slot()
    def finish(self) -> None:
        self.dispatch(Finish())
