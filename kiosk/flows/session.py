"""One citizen's session: everything they entered or a card gave, dropped with one call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drivers.idcard.card import CardRecord

LANGUAGES = ("zh", "en")


class CitizenSession:
    """Owns the personal data of the citizen at the screen so ``drop()`` forgets all of it.

    Only the salted hash of the ID number (``id_hash``) ever leaves the kiosk; the card record
    stays here for masked display and is forgotten on ``drop()``. ``repr`` shows no personal data.
    """

    def __init__(self, id_salt: bytes, *, language: str = "zh", elder_age: int = 70) -> None:
        self._id_salt = id_salt
        self._default_language = language
        self.elder_age = elder_age
        self._on_drop: list[Callable[[], None]] = []
        self._reset()

    def _reset(self) -> None:
        self.card: CardRecord | None = None
        self.id_hash: str | None = None
        self.age: int | None = None
        self.phone: str | None = None
        self.texts: dict[str, str] = {}
        self.language = self._default_language
        self.elder_mode = False

    # ---- what a card gives

    def accept_card(self, card: CardRecord, today: dt.date) -> None:
        """Keep the card for masked display, its salted hash and the holder's age."""
        self.card = card
        self.id_hash = card.id_hash(self._id_salt)
        self.age = card.age_on(today)

    @property
    def has_card(self) -> bool:
        return self.card is not None

    @property
    def is_elder(self) -> bool:
        """Card shows an age at or over the hall's threshold (priority, elder mode offered)."""
        return self.age is not None and self.age >= self.elder_age

    def masked_name(self) -> str:
        return self.card.masked_name() if self.card is not None else ""

    # ---- preferences

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
        self.language = language

    def set_elder_mode(self, on: bool) -> None:
        self.elder_mode = on

    # ---- lifetime

    def on_drop(self, callback: Callable[[], None]) -> None:
        """Register a flow's ``clear`` so dropping the session also empties the flow."""
        if callback not in self._on_drop:
            self._on_drop.append(callback)

    def drop(self) -> None:
        """Forget everything personal: card, hash, age, phone, texts, language, elder mode."""
        callbacks, self._on_drop = self._on_drop, []
        for callback in callbacks:
            callback()
        self._reset()

    @property
    def is_empty(self) -> bool:
        return (self.card is None and self.id_hash is None and self.phone is None
                and not self.texts and self.age is None)

    def __repr__(self) -> str:
        return (f"CitizenSession(card={'yes' if self.card else 'no'}, "
                f"phone={'***' if self.phone else 'no'}, texts={len(self.texts)}, "
                f"language={self.language}, elder_mode={self.elder_mode})")

    __str__ = __repr__


def mask_phone(phone: str) -> str:
    """138****5678: enough for the citizen to recognise their number, useless to a bystander."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
