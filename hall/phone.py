"""Mainland mobile numbers as kiosk and centre both accept them (a wire shape of their own).

A report's contact number and a 差评's optional call-back number (回访) are 11-digit mainland
mobiles: the kiosk normalises what a citizen typed, the centre checks the same pattern on the
wire, so neither can accept a number the other refuses.
"""

from __future__ import annotations

import re

#: The normalised form on the wire: 11 digits, 1 then 3-9.
MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"
_MOBILE_RE = re.compile(MOBILE_PATTERN)


def normalise_mobile(text: str) -> str | None:
    """An 11-digit mainland mobile number without spaces or dashes, or None when invalid."""
    digits = re.sub(r"[\s-]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits if _MOBILE_RE.fullmatch(digits) else None


def mask_mobile(phone: str) -> str:
    """138****5678: enough for its owner to recognise, useless to a bystander."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
