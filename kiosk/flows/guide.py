"""Guides and one-time notification slips (办事指南 / 一次性告知单).

Browse or search matters and integrated services, read a guide, print the slip, or scan the QR
for the online guide. An integrated service (一件事一次办) shows and prints one merged slip.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from hall.catalogue import Guide, Matter
from kiosk import clock
from kiosk.flows.base import Effect, Event, Flow, PrintFinished, PrintTemplate


class State(enum.Enum):
    BROWSE = "browse"
    GUIDE = "guide"
    ERROR = "error"
    FINISHED = "finished"


@dataclass(frozen=True)
class Search(Event):
    query: str


@dataclass(frozen=True)
class ChooseZone(Event):
    """Filter the list by zone; None shows everything."""

    zone_id: str | None


@dataclass(frozen=True)
class OpenMatter(Event):
    matter_id: str


@dataclass(frozen=True)
class OpenIntegrated(Event):
    service_id: str


@dataclass(frozen=True)
class PrintSlip(Event):
    pass


@dataclass(frozen=True)
class Finish(Event):
    pass


def merged_materials(guides: list[Guide]) -> list[dict[str, Any]]:
    """One list for several matters: an original shown once serves all (max), every office
    keeps its own copies (sum)."""
    merged: dict[str, dict[str, Any]] = {}
    for guide in guides:
        for m in guide.materials:
            entry = merged.get(m.name)
            if entry is None:
                merged[m.name] = {"name": m.name, "name_en": m.name_en, "originals": m.originals,
                                  "copies": m.copies, "note": m.note, "note_en": m.note_en}
                continue
            entry["originals"] = max(entry["originals"], m.originals)
            entry["copies"] += m.copies
            if m.note and m.note not in entry["note"]:
                entry["note"] = "；".join(x for x in (entry["note"], m.note) if x)
                entry["note_en"] = "; ".join(x for x in (entry["note_en"], m.note_en) if x)
    return list(merged.values())


class GuideFlow(Flow[State]):
    """办事指南: read-only, no personal data; printing needs no centre."""

    name = "guide"
    START, ERROR, FINISHED = State.BROWSE, State.ERROR, State.FINISHED
    PROMPTS: ClassVar[Mapping[State, str]] = {
        State.BROWSE: "guide.browse",
        State.GUIDE: "guide.show",
        State.ERROR: "common.error",
        State.FINISHED: "common.home",
    }
    BACK: ClassVar[Mapping[State, State]] = {State.GUIDE: State.BROWSE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clear()

    def clear(self) -> None:
        super().clear()
        self.query = ""
        self.zone_id: str | None = None
        self.matter_id: str | None = None
        self.service_id: str | None = None
        self.print_status = ""
        self.printer_reason = ""

    # ---- events

    def _handle(self, event: Event) -> list[Effect] | None:
        if self.state == State.BROWSE:
            if isinstance(event, Search):
                self.query = event.query
                return []
            if isinstance(event, ChooseZone):
                if event.zone_id is not None:
                    self.catalogue.zone(event.zone_id)
                self.zone_id = event.zone_id
                return []
            if isinstance(event, OpenMatter):
                self.matter_id = self.catalogue.matter(event.matter_id).id
                self.service_id, self.print_status = None, ""
                return self._go(State.GUIDE)
            if isinstance(event, OpenIntegrated):
                self.service_id = self.catalogue.integrated_service(event.service_id).id
                self.matter_id, self.print_status = None, ""
                return self._go(State.GUIDE)
        elif self.state == State.GUIDE:
            if isinstance(event, PrintSlip):
                if self.print_status == "pending" or not self._matters_with_guides():
                    return []
                self.print_status = "pending"
                return [PrintTemplate("notification_slip", self.slip_data())]
            if isinstance(event, PrintFinished) and self.print_status == "pending":
                self.print_status = "printed" if event.printed else "failed"
                self.printer_reason = event.reason_key
                return []
            if isinstance(event, Finish):
                return self._end("done")
        return None

    # ---- content

    def _matters(self) -> list[Matter]:
        if self.service_id:
            return self.catalogue.matters_of(self.catalogue.integrated_service(self.service_id))
        return [self.catalogue.matter(self.matter_id)] if self.matter_id else []

    def _matters_with_guides(self) -> list[Matter]:
        return [m for m in self._matters() if m.guide is not None]

    def _online_url(self) -> str:
        """The guide's URL; for a merged slip only when all its matters share one page."""
        urls = {m.guide.online_url for m in self._matters_with_guides()
                if m.guide and m.guide.online_url}
        return urls.pop() if len(urls) == 1 else ""

    def slip_data(self) -> dict[str, Any]:
        """Fields of the ``notification_slip`` template (one merged slip for a service)."""
        matters = self._matters_with_guides()
        if self.service_id:
            service = self.catalogue.integrated_service(self.service_id)
            title, title_en = service.name, service.name_en
        else:
            title, title_en = matters[0].name, matters[0].name_en
        hall = self.catalogue.hall
        guides = [m.guide for m in matters if m.guide is not None]
        return {
            "hall_name": hall.name, "hall_name_en": hall.name_en,
            "title": title, "title_en": title_en,
            "integrated": self.service_id is not None,
            "matters": [
                {"name": m.name, "name_en": m.name_en,
                 "conditions": list(g.conditions), "conditions_en": list(g.conditions_en),
                 "time_limit": g.time_limit, "time_limit_en": g.time_limit_en,
                 "fee": g.fee, "fee_en": g.fee_en, "place": g.place, "place_en": g.place_en,
                 "hours_text": g.hours_text, "hours_text_en": g.hours_text_en}
                for m, g in zip(matters, guides, strict=True)
            ],
            "materials": merged_materials(guides),
            "online_url": self._online_url(),
            "printed_at": clock.in_hall(self.now).strftime("%Y-%m-%d %H:%M"),
        }

    def _data(self) -> dict[str, Any]:
        cat = self.catalogue
        if self.state == State.BROWSE:
            if self.query:
                matters = cat.search(self.query)
                services = cat.search_integrated(self.query)
            elif self.zone_id:
                matters, services = cat.matters_in_zone(self.zone_id), []
            else:
                matters, services = list(cat.matters), list(cat.integrated)
            return {"query": self.query, "zone_id": self.zone_id, "zones": [z.id for z in cat.zones],
                    "matters": [m.id for m in matters], "integrated": [s.id for s in services]}
        if self.state == State.GUIDE:
            has_guide = bool(self._matters_with_guides())
            return {
                "matter_id": self.matter_id,
                "service_id": self.service_id,
                "has_guide": has_guide,
                "notice": None if has_guide else "guide.no_guide",
                "slip": self.slip_data() if has_guide else None,
                "qr_url": self._online_url() if has_guide else "",
                "print_status": self.print_status,
                "print_notice": {"pending": "guide.printing", "printed": "guide.printed",
                                 "failed": "guide.print_failed"}.get(self.print_status),
            }
        return {}
