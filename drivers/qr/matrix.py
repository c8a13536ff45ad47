"""QR module matrices from qrcode's get_matrix(), so screens and printers need no PIL backend."""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
import qrcode.constants

#: Error-correction levels by name; qrcode's internal numbers (1/0/3/2) are not in L<M<Q<H order.
ERROR_CORRECTION = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}

QUIET_ZONE_MODULES = 4


class QrDataError(ValueError):
    """The text cannot be encoded as a QR code (empty or too long)."""


@dataclass(frozen=True)
class QrMatrix:
    """Dark/light modules of one QR symbol, WITHOUT quiet zone (callers add their own)."""

    text: str
    ec: str
    version: int
    modules: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Modules per side (21 for version 1, +4 per version)."""
        return len(self.modules)

    def size_with_quiet_zone(self, quiet: int = QUIET_ZONE_MODULES) -> int:
        return self.size + 2 * quiet


def qr_matrix(text: str, ec: str = "M") -> QrMatrix:
    """Encode text (UTF-8) at the named error-correction level, smallest version that fits."""
    if not text:
        raise QrDataError("QR text is empty")
    level = ERROR_CORRECTION.get(ec.upper())
    if level is None:
        raise QrDataError(f"unknown error-correction level {ec!r}; expected one of L, M, Q, H")
    code = qrcode.QRCode(error_correction=level, border=0)
    code.add_data(text.encode("utf-8"))
    try:
        code.make(fit=True)
    except (qrcode.exceptions.DataOverflowError, ValueError) as exc:
        raise QrDataError(f"QR text too long ({len(text)} characters)") from exc
    rows = tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())
    return QrMatrix(text=text, ec=ec.upper(), version=int(code.version), modules=rows)
