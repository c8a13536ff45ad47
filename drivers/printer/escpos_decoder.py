"""ESC/POS decoder: the bytes a printer receives, turned back into what it would print.

Incremental (any chunking), strict on purpose: it starts outside Chinese mode, so CJK sent
without FS & shows up as mojibake. Used by the virtual printer (drivers.printer.virtual) and by
the paper renderer (drivers.printer.paper) that draws a payload as the ticket it would give.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from drivers.printer.render import LINE_SPACING_DOTS
from drivers.printer.textwidth import char_width

CODE_PAGES = {0: "cp437", 2: "cp850", 16: "cp1252", 17: "cp866", 19: "cp858"}


# ---------------------------------------------------------------------------- ticket model
@dataclass(frozen=True)
class TextRun:
    text: str
    bold: bool = False
    underline: bool = False
    invert: bool = False
    width: int = 1
    height: int = 1


@dataclass
class TextLine:
    runs: list[TextRun]
    align: str = "left"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class QrItem:
    content: str
    module: int
    ec: str
    align: str = "left"


@dataclass
class ImageItem:
    image: Image.Image  # mode "1", 0 = black dot
    align: str = "left"


@dataclass(frozen=True)
class FeedItem:
    dots: int


#: One thing on the paper, in the order it came out.
TicketItem = TextLine | QrItem | ImageItem | FeedItem


@dataclass
class Ticket:
    """What came out of the printer between two cuts."""

    items: list[TicketItem] = field(default_factory=list)
    cut: str | None = None  # "full", "partial" or None (job ended without a cut)
    complete: bool = True  # False when paper ran out or the printer went offline mid-ticket
    png_path: Path | None = None

    @property
    def lines(self) -> list[TextLine]:
        return [item for item in self.items if isinstance(item, TextLine)]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def qr_contents(self) -> list[str]:
        return [item.content for item in self.items if isinstance(item, QrItem)]

    @property
    def images(self) -> list[ImageItem]:
        return [item for item in self.items if isinstance(item, ImageItem)]

    def is_empty(self) -> bool:
        return not any(not isinstance(item, FeedItem) for item in self.items)


class _Incomplete(Exception):
    """The buffer ends inside a command: wait for more bytes."""


# --------------------------------------------------------------------------------- decoder
class EscPosDecoder:
    """Incremental ESC/POS decoder. feed() accepts any chunking; replies to status queries are
    produced by `status_reply(n)`; `may_print()` says whether paper comes out right now."""

    def __init__(
        self,
        on_ticket: Callable[[Ticket], None],
        status_reply: Callable[[int], bytes | None],
        may_print: Callable[[], bool],
        default_chinese_mode: bool = False,
    ):
        self.on_ticket = on_ticket
        self.status_reply = status_reply
        self.may_print = may_print
        self.default_chinese_mode = default_chinese_mode
        self.buffer = b""
        self.ticket = Ticket()
        self.unknown_commands: list[bytes] = []
        self._reset()

    def _reset(self) -> None:
        self.align = "left"
        self.bold = False
        self.underline = False
        self.invert = False
        self.width = 1
        self.height = 1
        self.chinese_mode = self.default_chinese_mode
        self.code_page = 0
        self.runs: list[TextRun] = []
        self.qr_model_ec = "L"
        self.qr_module = 3
        self.qr_data = b""

    # ---------------------------------------------------------------- output helpers
    def _add(self, item: TicketItem) -> None:
        if self.may_print():
            self.ticket.items.append(item)
        else:
            self.ticket.complete = False

    def _text(self, text: str) -> None:
        run = TextRun(text, self.bold, self.underline, self.invert, self.width, self.height)
        if self.runs and _same_style(self.runs[-1], run):
            self.runs[-1] = TextRun(self.runs[-1].text + text, *_style_tuple(run))
        else:
            self.runs.append(run)

    def _flush_line(self, feed_when_empty: bool = True) -> None:
        if self.runs:
            self._add(TextLine(self.runs, self.align))
        elif feed_when_empty:
            self._add(FeedItem(LINE_SPACING_DOTS))
        self.runs = []

    def finish_ticket(self, cut: str | None) -> None:
        self._flush_line(feed_when_empty=False)
        ticket, self.ticket = self.ticket, Ticket()
        ticket.cut = cut
        if not ticket.is_empty() or not ticket.complete:
            self.on_ticket(ticket)

    # ----------------------------------------------------------------------- parsing
    def feed(self, data: bytes) -> bytes:
        """Decode bytes; returns the status replies to send back (possibly b"")."""
        self.buffer += data
        replies = bytearray()
        pos = 0
        buf = self.buffer
        while pos < len(buf):
            try:
                pos, reply = self._one(buf, pos)
            except _Incomplete:
                break
            if reply:
                replies += reply
        self.buffer = buf[pos:]
        return bytes(replies)

    @staticmethod
    def _need(buf: bytes, end: int) -> None:
        if end > len(buf):
            raise _Incomplete

    def _one(self, buf: bytes, pos: int) -> tuple[int, bytes | None]:
        b = buf[pos]
        if b == 0x0A:
            self._flush_line()
            return pos + 1, None
        if b == 0x0D:
            return pos + 1, None
        if b == 0x09:
            used = sum(char_width(c) for r in self.runs for c in r.text)
            self._text(" " * (8 - used % 8))
            return pos + 1, None
        if b == 0x10:
            return self._dle(buf, pos)
        if b == 0x1B:
            return self._esc(buf, pos)
        if b == 0x1D:
            return self._gs(buf, pos)
        if b == 0x1C:
            return self._fs(buf, pos)
        if b < 0x20:
            return pos + 1, None
        return self._text_bytes(buf, pos)

    def _text_bytes(self, buf: bytes, pos: int) -> tuple[int, None]:
        end = pos
        chars: list[str] = []
        while end < len(buf) and buf[end] >= 0x20:
            b = buf[end]
            if b < 0x80:
                chars.append(chr(b))
                end += 1
            elif self.chinese_mode and 0x81 <= b <= 0xFE:
                size = 4 if end + 1 < len(buf) and 0x30 <= buf[end + 1] <= 0x39 else 2
                if end + size > len(buf):
                    if not chars:
                        raise _Incomplete
                    break
                chars.append(buf[end : end + size].decode("gb18030", errors="replace"))
                end += size
            else:
                chars.append(bytes([b]).decode(CODE_PAGES.get(self.code_page, "cp437"), "replace"))
                end += 1
        if chars:
            self._text("".join(chars))
        return end, None

    def _dle(self, buf: bytes, pos: int) -> tuple[int, bytes | None]:
        self._need(buf, pos + 2)
        cmd = buf[pos + 1]
        if cmd == 0x04:  # DLE EOT n: real-time status
            self._need(buf, pos + 3)
            return pos + 3, self.status_reply(buf[pos + 2])
        if cmd == 0x05:  # DLE ENQ n
            self._need(buf, pos + 3)
            return pos + 3, None
        if cmd == 0x14:  # DLE DC4 fn m t (pulse etc.)
            self._need(buf, pos + 5)
            return pos + 5, None
        return pos + 1, None

    def _esc(self, buf: bytes, pos: int) -> tuple[int, bytes | None]:
        self._need(buf, pos + 2)
        cmd = chr(buf[pos + 1])
        if cmd == "@":
            self._flush_line(feed_when_empty=False)
            self._reset()
            return pos + 2, None
        if cmd in "2<":
            return pos + 2, None
        self._need(buf, pos + 3)
        n = buf[pos + 2]
        if cmd == "!":
            self.bold = bool(n & 0x08)
            self.height = 2 if n & 0x10 else 1
            self.width = 2 if n & 0x20 else 1
            self.underline = bool(n & 0x80)
        elif cmd in "EG":
            self.bold = bool(n & 1)
        elif cmd == "-":
            self.underline = n in (1, 2, 49, 50)
        elif cmd == "a":
            self.align = {0: "left", 48: "left", 1: "center", 49: "center"}.get(n, "right")
        elif cmd == "t":
            self.code_page = n
        elif cmd == "d":
            self._flush_line(feed_when_empty=False)
            if n:
                self._add(FeedItem(n * LINE_SPACING_DOTS))
        elif cmd == "J":
            self._flush_line(feed_when_empty=False)
            self._add(FeedItem(n))
        elif cmd == "*":  # ESC * m nL nH: column bit image (rendered as blank space here)
            self._need(buf, pos + 5)
            width = buf[pos + 3] + 256 * buf[pos + 4]
            end = pos + 5 + width * (3 if n in (32, 33) else 1)
            self._need(buf, end)
            return end, None
        elif cmd == "c":  # ESC c 3/4/5 n
            self._need(buf, pos + 4)
            return pos + 4, None
        elif cmd == "p":
            self._need(buf, pos + 5)
            return pos + 5, None
        elif cmd == "D":
            end = buf.find(b"\x00", pos + 2)
            if end < 0:
                raise _Incomplete
            return end + 1, None
        elif cmd not in "3MV{R r SUT":
            self.unknown_commands.append(buf[pos : pos + 2])
            return pos + 2, None
        return pos + 3, None

    def _gs(self, buf: bytes, pos: int) -> tuple[int, bytes | None]:
        self._need(buf, pos + 2)
        cmd = chr(buf[pos + 1])
        if cmd == "(":
            return self._gs_paren(buf, pos)
        if cmd == "v":
            return self._raster(buf, pos)
        if cmd == "V":
            self._need(buf, pos + 3)
            m = buf[pos + 2]
            end = pos + 3 if m in (0, 1, 48, 49) else pos + 4
            self._need(buf, end)
            if m in (65, 66):
                self._add(FeedItem(buf[pos + 3]))
            self.finish_ticket("full" if m in (0, 48, 65) else "partial")
            return end, None
        if cmd in "LWP$\\":
            self._need(buf, pos + 4)
            return pos + 4, None
        if cmd == "k":
            self._need(buf, pos + 3)
            m = buf[pos + 2]
            if m <= 6:
                end = buf.find(b"\x00", pos + 3)
                if end < 0:
                    raise _Incomplete
                return end + 1, None
            self._need(buf, pos + 4)
            end = pos + 4 + buf[pos + 3]
            self._need(buf, end)
            return end, None
        self._need(buf, pos + 3)
        n = buf[pos + 2]
        if cmd == "!":
            self.width = (n >> 4) + 1
            self.height = (n & 0x0F) + 1
        elif cmd == "B":
            self.invert = bool(n & 1)
        elif cmd == "r":  # transmit status (processed in order, after the preceding data)
            reply = self.status_reply(4 if n in (1, 49) else 1)
            return pos + 3, reply
        elif cmd not in "bHhwfaI":
            self.unknown_commands.append(buf[pos : pos + 2])
        return pos + 3, None

    def _gs_paren(self, buf: bytes, pos: int) -> tuple[int, None]:
        self._need(buf, pos + 5)
        fn_group = chr(buf[pos + 2])
        length = buf[pos + 3] + 256 * buf[pos + 4]
        end = pos + 5 + length
        self._need(buf, end)
        body = buf[pos + 5 : end]
        if fn_group == "k" and len(body) >= 2 and body[0] == 0x31:  # cn=49: QR code
            fn = body[1]
            if fn == 67 and len(body) >= 3:
                self.qr_module = body[2]
            elif fn == 69 and len(body) >= 3:
                self.qr_model_ec = {48: "L", 49: "M", 50: "Q", 51: "H"}.get(body[2], "L")
            elif fn == 80:
                self.qr_data = body[3:]
            elif fn == 81:
                self._flush_line(feed_when_empty=False)
                content = self.qr_data.decode("utf-8", errors="replace")
                self._add(QrItem(content, self.qr_module, self.qr_model_ec, self.align))
        return end, None

    def _raster(self, buf: bytes, pos: int) -> tuple[int, None]:
        self._need(buf, pos + 8)
        width_bytes = buf[pos + 4] + 256 * buf[pos + 5]
        height = buf[pos + 6] + 256 * buf[pos + 7]
        end = pos + 8 + width_bytes * height
        self._need(buf, end)
        self._flush_line(feed_when_empty=False)
        data = bytes(0xFF ^ b for b in buf[pos + 8 : end])  # ESC/POS 1 = black; PIL "1" 0 = black
        if width_bytes and height:
            image = Image.frombytes("1", (width_bytes * 8, height), data)
            self._add(ImageItem(image, self.align))
        return end, None

    def _fs(self, buf: bytes, pos: int) -> tuple[int, None]:
        self._need(buf, pos + 2)
        cmd = chr(buf[pos + 1])
        if cmd == "&":
            self.chinese_mode = True
            return pos + 2, None
        if cmd == ".":
            self.chinese_mode = False
            return pos + 2, None
        if cmd in "!-CW":
            self._need(buf, pos + 3)
            return pos + 3, None
        if cmd in "Sp":
            self._need(buf, pos + 4)
            return pos + 4, None
        self.unknown_commands.append(buf[pos : pos + 2])
        return pos + 2, None


def _style_tuple(run: TextRun) -> tuple[bool, bool, bool, int, int]:
    return (run.bold, run.underline, run.invert, run.width, run.height)


def _same_style(a: TextRun, b: TextRun) -> bool:
    return _style_tuple(a) == _style_tuple(b)
