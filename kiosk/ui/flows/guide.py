"""Bridge of 办事指南 / 一次性告知单: browse or search, read the guide, print the slip."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot

from kiosk.flows.guide import (
    ChooseZone,
    Finish,
    GuideFlow,
    OpenIntegrated,
    OpenMatter,
    PrintSlip,
    Search,
)
from kiosk.ui.flows.bridge import FlowBridge
from kiosk.ui.flows.ticket import matter_entry, zone_entry


class GuideBridge(FlowBridge[GuideFlow]):
    """QML sees it as ``flowHub.guide``."""

    def _new_flow(self) -> GuideFlow:
        return GuideFlow(self.hub.session, self.catalogue, self.hub.now())

    def _extra(self, data: dict[str, Any]) -> dict[str, Any]:
        assert self.flow is not None  # _refresh asks only while a flow runs
        catalogue = self.flow.catalogue
        if self.flow.state.name == "BROWSE":
            data["zoneList"] = [zone_entry(catalogue.zone(z)) for z in data.get("zones", [])]
            data["matterList"] = [matter_entry(catalogue.matter(m))
                                  for m in data.get("matters", [])]
            data["integratedList"] = [
                {"id": s.id, "name": s.name, "name_en": s.name_en}
                for s in (catalogue.integrated_service(i) for i in data.get("integrated", []))]
        return data

    @Slot(str)
    def search(self, query: str) -> None:
        self.dispatch(Search(query))

    @Slot(str)
    def chooseZone(self, zone_id: str) -> None:
        self.dispatch(ChooseZone(zone_id or None))

    @Slot(str)
    def openMatter(self, matter_id: str) -> None:
        self.dispatch(OpenMatter(matter_id))

    @Slot(str)
    def openIntegrated(self, service_id: str) -> None:
        self.dispatch(OpenIntegrated(service_id))

    @Slot()
    def printSlip(self) -> None:
        self.dispatch(PrintSlip())

    @Slot()
    def finish(self) -> None:
        self.dispatch(Finish())
