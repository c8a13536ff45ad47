"""The shell's Python side: language, elder mode, hall texts, navigation and session reset.

QML shows what this object says and forwards taps to its slots; it owns no business rules. The
citizen's data lives in one session object, so going home or an idle reset is one ``drop()``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from kiosk import clock
from kiosk.ui.i18n import Translations
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.qtproperty import Property
from kiosk.ui.theme import Theme

log = logging.getLogger("kiosk.ui.shell")


class Session(Protocol):
    """What the shell needs of the citizen session: it can forget everything at once."""

    def drop(self) -> None: ...


SessionT = TypeVar("SessionT", bound=Session)


class Shell(QObject, Generic[SessionT]):
    """State every screen shares; the root object QML sees as ``shell``.

    Generic in the session it makes, so its users see the app's ``CitizenSession``.
    """

    languageChanged = Signal()
    elderModeChanged = Signal()
    hallChanged = Signal()
    homeRequested = Signal()
    statusChanged = Signal()
    screenChanged = Signal()
    speakRequested = Signal(str, bool)  # (words shown on screen, queued after what is read)
    promptRequested = Signal(str)  # a message key read aloud: home's prompt in elder mode

    HOME_PROMPT = "home.choose"  # 请选择您要办理的事项 (rendered with the flows' prompts)

    def __init__(self, *, translations: Translations, theme: Theme, idle: IdleMonitor,
                 session_factory: Callable[[], SessionT], language: str,
                 hall: dict[str, str], elder_idle_factor: float = 2.0,
                 retranslate: Callable[[], None] = lambda: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translations = translations
        self._theme = theme
        self._idle = idle
        self._session_factory = session_factory
        self.session: SessionT = session_factory()
        self._default_language = language
        self._elder_idle_factor = elder_idle_factor
        self._retranslate = retranslate
        self._hall = dict(hall)
        self._notices: list[dict[str, str]] = []
        self._screen = "home"
        self._elder = False
        self._status: dict[str, Any] = {"centreOnline": True, "printerOk": True, "readerOk": True}
        translations.use(language)
        idle.expired.connect(self.reset_session)

    # -- language and elder mode -------------------------------------------------------------
    @Property(str, notify=languageChanged)
    def language(self) -> str:
        return self._translations.language

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        if language != self._translations.language:
            self._translations.use(language)
            self._retranslate()
            self._watch_idle()
            self.languageChanged.emit()
            self.hallChanged.emit()

    @Slot()
    def toggleLanguage(self) -> None:
        self.setLanguage("en" if self.language == "zh" else "zh")

    @Property(bool, notify=elderModeChanged)
    def elderMode(self) -> bool:
        return self._elder

    @Slot(bool)
    def setElderMode(self, elder: bool) -> None:
        if elder != self._elder:
            self._elder = elder
            self._theme.set_elder(elder)
            self._idle.set_scale(self._elder_idle_factor if elder else 1.0)
            self._watch_idle()
            self.elderModeChanged.emit()
            self._prompt_home()

    def set_elder_idle_factor(self, factor: float) -> None:
        """How much longer elders wait before the idle prompt (from pushed config)."""
        self._elder_idle_factor = max(1.0, factor)
        if self._elder:
            self._idle.set_scale(self._elder_idle_factor)

    @Slot(str, bool)
    def speak(self, text: str, queued: bool) -> None:
        """QML asks for words it shows to be read aloud: the focused control as keys move the
        focus, and the results that matter (ticket number, window, tracking number...)."""
        if text.strip():
            self.speakRequested.emit(text, queued)

    # -- hall texts from config ----------------------------------------------------------------
    def set_hall(self, hall: dict[str, str], notices: list[dict[str, str]]) -> None:
        """New hall texts and notices from a config bundle (applied between sessions)."""
        self._hall = dict(hall)
        self._notices = [dict(n) for n in notices]
        self.hallChanged.emit()

    def _pick(self, zh: str, en: str) -> str:
        return en if self.language == "en" and en else zh

    @Property(str, notify=hallChanged)
    def hallName(self) -> str:
        return self._pick(self._hall.get("name", ""), self._hall.get("name_en", ""))

    @Property("QStringList", notify=hallChanged)
    def notices(self) -> list[str]:
        today = clock.today().isoformat()
        return [self._pick(n.get("zh", ""), n.get("en", "")) for n in self._notices
                if n.get("from", "") <= today <= (n.get("until") or "9999")]

    # -- the home clock ------------------------------------------------------------------------
    @Slot(result=str)
    def clockText(self) -> str:
        """Date and time for the home screen, in hall time (QML's Date would use the machine's
        zone: UTC on a fresh install)."""
        return clock.home_clock(self.language)

    # -- device and centre banners -------------------------------------------------------------
    def set_status(self, **status: Any) -> None:
        if any(self._status.get(k) != v for k, v in status.items()):
            self._status.update(status)
            self.statusChanged.emit()

    @Property(bool, notify=statusChanged)
    def centreOnline(self) -> bool:
        return bool(self._status["centreOnline"])

    @Property(bool, notify=statusChanged)
    def printerOk(self) -> bool:
        return bool(self._status["printerOk"])

    @Property(bool, notify=statusChanged)
    def readerOk(self) -> bool:
        """False while the ID card reader is lost (unplugged, not answering)."""
        return bool(self._status["readerOk"])

    # -- navigation and the session --------------------------------------------------------------
    @Property(str, notify=screenChanged)
    def screen(self) -> str:
        return self._screen

    @Slot(str)
    def screenShown(self, name: str) -> None:
        """QML reports the visible screen; the idle timer only runs away from home."""
        if name != self._screen:
            log.info("screen %s -> %s", self._screen, name)
            self._screen = name
            self._watch_idle()
            self.screenChanged.emit()
            self._prompt_home()

    def _prompt_home(self) -> None:
        """Home has a prompt too: read when elder mode is switched on there or an elder
        comes back to it."""
        if self._elder and self._screen == "home":
            self.promptRequested.emit(self.HOME_PROMPT)

    def _watch_idle(self) -> None:
        """The idle timer runs away from home, and at home while a mode the citizen chose
        (elder mode, another language) is still on: the next citizen starts clean."""
        chosen = self._elder or self._translations.language != self._default_language
        self._idle.set_enabled(self._screen != "home" or chosen)

    @Slot()
    def leaveFlow(self) -> None:
        """Back out of a flow's first step: home, its data dropped, but elder mode and the
        language stay (an elder who tapped the wrong tile keeps large text and voice)."""
        log.info("flow left (back)")
        self.session.drop()
        self.session = self._session_factory()
        self.homeRequested.emit()

    @Slot()
    def goHome(self) -> None:
        """Home drops everything the citizen entered; a new session starts clean."""
        self.reset_session(reason="home")

    @Slot()
    def reset_session(self, reason: str = "idle") -> None:
        log.info("session reset (%s)", reason)
        self.session.drop()
        self.session = self._session_factory()
        self.setElderMode(False)
        self.setLanguage(self._default_language)
        self.homeRequested.emit()
