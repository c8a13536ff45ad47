"""Bridge of the help call: one tap from anywhere, sent durably through the outbox."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot

from kiosk.flows.base import Abort, Cancel, Effect, Event, Home, Retry
from kiosk.flows.help import (
    AskForHelp,
    CancelHelpCall,
    Close,
    CloseHelp,
    HelpCall,
    HelpFailed,
    HelpQueued,
    HelpSent,
    SendHelpCall,
)
from kiosk.services.effects import Outcome
from kiosk.ui.flows.bridge import FlowBridge, log


class HelpBridge(FlowBridge[HelpCall]):
    """QML sees it as ``flowHub.help``. It lives beside the flows: it never ends the session."""

    closeRequested = Signal()
    needs_catalogue = False

    def _new_flow(self) -> HelpCall:
        settings = self.hub.settings
        location = settings.kiosk.location if settings is not None else ""
        if self.hub.language == "en" and settings is not None and settings.kiosk.location_en:
            location = settings.kiosk.location_en
        catalogue = self.hub.catalogue
        staff = catalogue.staff_on_site(self.hub.now()) if catalogue is not None else None
        return HelpCall(location or "kiosk",
                        hotline=catalogue.hall.hotline if catalogue is not None else "12345",
                        language=self.hub.language, elder_mode=self.hub.elder_mode,
                        staff_on_site=staff is None or staff.open,
                        staff_back_at=staff.next_open if staff is not None else None)

    @Slot(str)
    def ask(self, from_flow: str) -> None:
        """The help screen opened: call staff (a second tap while a call runs calls nobody)."""
        if self.flow is None or not self.flow.is_open:
            self.generation += 1
            self.flow = self._new_flow()
        self.dispatch(AskForHelp(from_flow or None))

    def start(self) -> None:  # the help screen calls ask() instead
        self.ask("")

    def detach(self) -> None:
        if self.flow is not None:
            self.flow.handle(Home())  # a call already sent stays open for the staff
        super().detach()

    @property
    def active(self) -> bool:
        return self.flow is not None and self.flow.is_open

    def _execute_own(self, effect: Effect) -> bool:
        if isinstance(effect, SendHelpCall):
            def event(outcome: Outcome) -> Event:
                if not outcome.ok:
                    return HelpFailed(outcome.reason_key or "central.server_error")
                item = outcome.value
                if item.status == "sent":
                    return HelpSent(str((item.result or {}).get("id") or item.id))
                return HelpQueued()  # stored; the outbox sends it when the centre is back

            self.runner.call_help(effect.body(), self.answer(event),
                                  idempotency_key=effect.idempotency_key)
            return True
        if isinstance(effect, CancelHelpCall):
            # The centre has no kiosk-side cancel: staff close the call when they arrive.
            log.info("help call cancelled at the kiosk (staff close it at the centre)")
            return True
        if isinstance(effect, CloseHelp):
            self.detach()
            self.closeRequested.emit()
            return True
        return False

    def _refresh(self) -> None:
        if self.flow is None:
            return
        view = self.flow.view()
        self._publish(view.state, view.prompt, view.error or "", dict(view.data))

    # ---- taps
    @Slot()
    def retry(self) -> None:
        self.dispatch(Retry())

    @Slot()
    def cancel(self) -> None:
        self.dispatch(Cancel())

    @Slot()
    def close(self) -> None:
        if self.flow is not None and self.flow.state.name == "FAILED":
            self.dispatch(Abort())
        else:
            self.dispatch(Close())
