"""What the flows' hub needs of its collaborators, said as Protocols where the hub lives.

``FlowHub`` is handed the shell and the services by the composition root (kiosk/app.py). These
Protocols name the members it uses, so a type checker sees the seam and the hub depends on
neither ``Shell`` nor ``Services`` as classes; anything with these members (a test's small
stand-in) fits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from hall.catalogue import Catalogue
    from kiosk.config import Settings
    from kiosk.flows.session import CitizenSession
    from kiosk.services.effects import EffectRunner
    from kiosk.services.idcard import IdCardService


class FlowShell(Protocol):
    """The shell as the flows see it: the citizen session, language, elder mode, going home
    (ending the session) or backing out of a flow (keeping the citizen's modes)."""

    @property
    def session(self) -> CitizenSession: ...

    @property
    def language(self) -> str: ...

    @property
    def elderMode(self) -> bool: ...

    @property
    def homeRequested(self) -> SignalInstance: ...

    @property
    def elderModeChanged(self) -> SignalInstance: ...

    @property
    def languageChanged(self) -> SignalInstance: ...

    def goHome(self) -> None: ...

    def leaveFlow(self) -> None: ...


class FlowServices(Protocol):
    """The kiosk's services as the flows use them: the effect runner (built by the services hub
    with its workers), the card reader, the bundle."""

    @property
    def settings(self) -> Settings: ...

    @property
    def effects(self) -> EffectRunner: ...

    @property
    def idcard(self) -> IdCardService | None: ...

    @property
    def catalogue(self) -> Catalogue | None: ...
