"""The ID-hash rule: the only form of an ID number that leaves the kiosk.

The kiosk hashes the number it read from a card; the centre stores that hash on appointments
and reports and matches later hashes against it (check-in by card, looking up one's reports).
Both sides, and anything that books appointments by ID number, must therefore normalise the
number the same way before hashing, or the same person gets two hashes.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["hash_id_number", "normalise_id_number"]


def normalise_id_number(id_number: str) -> str:
    """The number as hashed: surrounding whitespace dropped and letters upper-cased.

    A typed "11010519491231002x " and the card's "11010519491231002X" are one person. A number
    as a card reports it (18 characters ``\\d{17}[\\dX]`` or ``[A-Z]{3}\\d{12}``) is already in
    this form, so hashes made from card reads before this rule existed stay the same. Anything
    but ASCII inside is refused (ValueError, with no digits in the message) rather than folded:
    ``str.upper`` would turn "ß" into "SS".
    """
    number = id_number.strip()
    if not number.isascii():
        raise ValueError("an ID number has ASCII characters only")
    return number.upper()


def hash_id_number(id_number: str, salt: str | bytes) -> str:
    """HMAC-SHA256 (hex) of the normalised ID number, keyed by the hall's salt."""
    key = salt.encode("utf-8") if isinstance(salt, str) else salt
    return hmac.new(key, normalise_id_number(id_number).encode("ascii"), hashlib.sha256).hexdigest()
