"""Real-time printer status (DLE EOT 1/2/4): our own reading and validation of the reply bytes.

python-escpos 3.1's paper_status() says "paper OK" when the printer does not answer at all; a
kiosk that believes that hands out nothing and tells the citizen to take their ticket. Here no
answer (or a reply that is not a valid status byte) is UNKNOWN, never OK.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime

DLE_EOT_PRINTER = b"\x10\x04\x01"  # n=1: printer status (bit 3: offline)
DLE_EOT_OFFLINE = b"\x10\x04\x02"  # n=2: offline cause (bit 2 cover open, 5 paper end, 6 error)
DLE_EOT_ERROR = b"\x10\x04\x03"  # n=3: error cause (not queried; the virtual printer answers it)
DLE_EOT_PAPER = b"\x10\x04\x04"  # n=4: roll paper sensor (bits 2,3 near end; bits 5,6 paper end)

# Every DLE EOT reply has bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0. Anything else is not a
# status byte (a stale byte, line noise, an ASB packet) and is rejected.
_FIXED_MASK = 0x93
_FIXED_VALUE = 0x12

OFFLINE_BIT = 0x08
COVER_OPEN_BIT = 0x04
PAPER_END_STOP_BIT = 0x20
ERROR_BIT = 0x40
PAPER_NEAR_END_BITS = 0x0C
PAPER_OUT_BITS = 0x60


class PrinterState(enum.Enum):
    OK = "ok"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    ERROR = "error"
    UNKNOWN = "unknown"


#: Reason keys for states that stop printing (or warn), with zh/en text for the UI layer.
STATE_REASON = {
    PrinterState.PAPER_NEAR_END: "printer.paper_near_end",
    PrinterState.PAPER_OUT: "printer.paper_out",
    PrinterState.COVER_OPEN: "printer.cover_open",
    PrinterState.OFFLINE: "printer.offline",
    PrinterState.ERROR: "printer.error",
    PrinterState.UNKNOWN: "printer.no_answer",
}


def is_status_byte(value: int) -> bool:
    return value & _FIXED_MASK == _FIXED_VALUE


@dataclass(frozen=True)
class PrinterStatus:
    """One reading of the printer. Flags are None when that query got no valid answer."""

    state: PrinterState
    online: bool | None = None
    cover_open: bool | None = None
    paper_near_end: bool | None = None
    paper_out: bool | None = None
    error: bool | None = None
    reason_key: str = ""
    detail: str = ""
    raw: bytes = b""
    at: datetime = field(default_factory=lambda: datetime.now(UTC), compare=False)

    @property
    def can_print(self) -> bool:
        """Only a printer that positively answered "fine" (or "paper low") gets a job."""
        return self.state in (PrinterState.OK, PrinterState.PAPER_NEAR_END)

    def same_condition(self, other: PrinterStatus | None) -> bool:
        return other is not None and (self.state, self.reason_key) == (
            other.state,
            other.reason_key,
        )

    def as_dict(self) -> dict[str, object]:
        """For the heartbeat and the service menu (JSON-friendly)."""
        return {
            "state": self.state.value,
            "online": self.online,
            "cover_open": self.cover_open,
            "paper_near_end": self.paper_near_end,
            "paper_out": self.paper_out,
            "error": self.error,
            "reason_key": self.reason_key,
            "detail": self.detail,
            "raw": self.raw.hex(" "),
            "at": self.at.isoformat(),
        }


def unknown_status(reason_key: str = "printer.no_answer", detail: str = "") -> PrinterStatus:
    return PrinterStatus(PrinterState.UNKNOWN, reason_key=reason_key, detail=detail)


def _single_status_byte(reply: bytes | None) -> int | None:
    """The reply must be exactly one byte with the fixed bits right; else it is no answer."""
    if reply is None or len(reply) != 1:
        return None
    return reply[0] if is_status_byte(reply[0]) else None


def interpret(
    printer_reply: bytes | None, offline_reply: bytes | None, paper_reply: bytes | None
) -> PrinterStatus:
    """Combine the three DLE EOT replies into one state. The most specific cause wins: a
    printer with its cover open also says "offline", and one out of paper says both."""
    raw = b"".join(r for r in (printer_reply, offline_reply, paper_reply) if r)
    printer = _single_status_byte(printer_reply)
    offline = _single_status_byte(offline_reply)
    paper = _single_status_byte(paper_reply)
    if printer is None and offline is None and paper is None:
        garbled = any(r for r in (printer_reply, offline_reply, paper_reply))
        return PrinterStatus(
            PrinterState.UNKNOWN,
            reason_key="printer.bad_answer" if garbled else "printer.no_answer",
            detail=f"invalid status reply {raw.hex(' ')}" if garbled else "no status reply",
            raw=raw,
        )
    online = None if printer is None else not printer & OFFLINE_BIT
    cover_open = None if offline is None else bool(offline & COVER_OPEN_BIT)
    error = None if offline is None else bool(offline & ERROR_BIT)
    stopped_paper = None if offline is None else bool(offline & PAPER_END_STOP_BIT)
    paper_out = None if paper is None else bool(paper & PAPER_OUT_BITS)
    paper_near_end = None if paper is None else bool(paper & PAPER_NEAR_END_BITS)
    if paper_out or stopped_paper:
        state = PrinterState.PAPER_OUT
        paper_out = True
    elif cover_open:
        state = PrinterState.COVER_OPEN
    elif error:
        state = PrinterState.ERROR
    elif online is False:
        state = PrinterState.OFFLINE
    elif None in (online, offline, paper):
        # A partial answer cannot vouch for the printer: one of the three queries went unanswered.
        missing = [
            name
            for name, value in (("printer", printer), ("offline", offline), ("paper", paper))
            if value is None
        ]
        return PrinterStatus(
            PrinterState.UNKNOWN,
            online=online,
            cover_open=cover_open,
            paper_near_end=paper_near_end,
            paper_out=paper_out,
            error=error,
            reason_key="printer.no_answer",
            detail=f"no valid reply to: {', '.join(missing)}",
            raw=raw,
        )
    elif paper_near_end:
        state = PrinterState.PAPER_NEAR_END
    else:
        state = PrinterState.OK
    return PrinterStatus(
        state,
        online=online,
        cover_open=cover_open,
        paper_near_end=paper_near_end,
        paper_out=paper_out,
        error=error,
        reason_key=STATE_REASON.get(state, ""),
        raw=raw,
    )
