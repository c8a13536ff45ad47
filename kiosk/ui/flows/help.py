"""Bridge of the help call: one tap from anywhere, sent durably through the outbox."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot

from kiosk.flows.base import Abort, Cancel, Effect, Event, Home, Retry
from kiosk.flows.help import (
    AskForHelp,
    CancelHelpCall,
    Close,
    CloseHelp,
    FollowHelpCall,
    HelpCall,
    HelpFailed,
    HelpQueued,
    HelpSent,
    SendHelpCall,
    StaffComing,
)
from kiosk.services.effects import Outcome
from kiosk.ui.flows.bridge import FlowBridge, log


class HelpBridge(FlowBridge[HelpCall]):
    """QML sees it as ``flowHub.help``. It lives beside the flows: it never ends the session."""

    closeRequested = Signal()
    needs_catalogue = False
    #: how often the open panel asks the centre whether someone said "I'm coming"
    follow_every_ms = 3000

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
        if isinstance(effect, FollowHelpCall):
            self._follow(effect.call_id)
            return True
        if isinstance(effect, CancelHelpCall):
            self._cancel(effect.call_id)
            return True
        if isinstance(effect, CloseHelp):
            self.detach()
            self.closeRequested.emit()
            return True
        return False

    def _follow(self, call_id: str) -> None:
        """Ask again in a few seconds, while this call's panel is open and nobody is named."""
        generation = self.generation

        def still_waiting() -> bool:
            flow = self.flow
            return (generation == self.generation and flow is not None
                    and flow.call_id == call_id and flow.coming is None
                    and flow.state.name in ("COMING", "RECORDED"))

        def event(outcome: Outcome) -> Event | None:
            if not still_waiting():
                return None
            status = outcome.value if outcome.ok else None
            if status is not None and status.coming_name:
                return StaffComing(status.coming_name, status.coming_role_name or "",
                                   status.coming_role_name_en or "")
            if status is None or status.open:  # not yet (or the centre is unreachable)
                self._follow(call_id)
            return None

        def ask() -> None:
            if still_waiting():
                self.runner.run(lambda: self.runner.central.help_call_status(call_id),
                                self.answer(event))

        QTimer.singleShot(self.follow_every_ms, self, ask)

    def _cancel(self, call_id: str | None) -> None:
        """Tell the centre, so the call leaves the desk pages (best effort: staff can close it)."""
        if call_id is None:
            log.info("help call cancelled before the centre had it: staff close it at the centre")
            return

        def done(outcome: Outcome) -> None:
            if not outcome.ok:
                log.warning("help call cancel not delivered (%s): staff close it at the centre",
                            outcome.reason_key)

        self.runner.run(lambda: self.runner.central.cancel_help_call(call_id), done)

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
