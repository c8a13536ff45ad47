"""Virtual ESC/POS printer: decodes what a real one would receive and draws the paper as PNG.

It listens on TCP (like port 9100 printers) or a pseudo-terminal, or reads a capture file; it
answers DLE EOT with a scriptable state so the kiosk's status handling meets real bytes. Strict
on purpose: it starts outside Chinese mode, so CJK sent without FS & shows up as mojibake.

    python -m drivers.printer.virtual --port 9100 --out DIR [--paper 58|80] [--state ok]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import select
import socket
import sys
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from drivers.printer.render import (
    DEFAULT_BOLD_FONT_PATH,
    DEFAULT_FONT_PATH,
    LINE_DOTS,
    LINE_SPACING_DOTS,
    _font,
)
from drivers.printer.textwidth import char_width
from drivers.qr.matrix import qr_matrix

PAPER_DOTS = {58: 384, 80: 576}
DPI = 203

# DLE EOT replies (n=1, 2, 3, 4) per scripted state; None = the printer stays silent.
STATUS_REPLIES: dict[str, dict[int, int] | None] = {
    "ok": {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12},
    "paper_near_end": {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E},
    "paper_out": {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72},
    "cover_open": {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12},
    "offline": {1: 0x1A, 2: 0x12, 3: 0x12, 4: 0x12},
    "error": {1: 0x1A, 2: 0x52, 3: 0x32, 4: 0x12},
    "no_answer": None,
    "garbled": {1: 0xFF, 2: 0x00, 3: 0xFF, 4: 0x00},
}
PRINTING_STATES = ("ok", "paper_near_end", "no_answer", "garbled")
# A simulated kiosk runs for days: it keeps the latest tickets and bytes, not all of them.
TICKETS_KEPT = 200
RECEIVED_KEPT = 256 * 1024
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


@dataclass
class Ticket:
    """What came out of the printer between two cuts."""

    items: list[TextLine | QrItem | ImageItem | FeedItem] = field(default_factory=list)
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
    def _add(self, item: TextLine | QrItem | ImageItem | FeedItem) -> None:
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


# ---------------------------------------------------------------------------- paper PNG
class PaperRenderer:
    """Draws a ticket like the printer would: 12 x 24 dot cells (24 x 24 for CJK), Noto Sans CJK
    SC, magnified by GS ! sizes, 1 px = 1 dot at 203 dpi."""

    MARGIN = 16

    def __init__(self, dots: int, font_path: str = DEFAULT_FONT_PATH,
                 bold_font_path: str = DEFAULT_BOLD_FONT_PATH):
        self.dots = dots
        self.font_path = font_path
        self.bold_font_path = bold_font_path if Path(bold_font_path).is_file() else font_path

    def render(self, ticket: Ticket) -> Image.Image:
        blocks = [self._item_image(item) for item in ticket.items]
        height = sum(b.height for b in blocks) + 2 * self.MARGIN
        paper = Image.new("L", (self.dots + 2 * self.MARGIN, max(height, 60)), 255)
        y = self.MARGIN
        for block in blocks:
            paper.paste(block, (self.MARGIN, y))
            y += block.height
        draw = ImageDraw.Draw(paper)
        draw.line((0, 0, 0, paper.height), fill=200)
        draw.line((paper.width - 1, 0, paper.width - 1, paper.height), fill=200)
        if ticket.cut:
            for x in range(0, paper.width, 12):
                draw.line((x, paper.height - 1, x + 6, paper.height - 1), fill=120)
        if not ticket.complete:
            draw.text((self.MARGIN, paper.height - 40), "[PAPER OUT / OFFLINE: ticket incomplete]",
                      fill=0, font=_font(self.font_path, 20))
        return paper

    def _item_image(self, item: TextLine | QrItem | ImageItem | FeedItem) -> Image.Image:
        if isinstance(item, FeedItem):
            return Image.new("L", (self.dots, max(1, item.dots)), 255)
        if isinstance(item, ImageItem):
            img = item.image.convert("L").crop((0, 0, min(item.image.width, self.dots),
                                                 item.image.height))
            canvas = Image.new("L", (self.dots, img.height), 255)
            canvas.paste(img, (self._x(img.width, item.align), 0))
            return canvas
        if isinstance(item, QrItem):
            return self._qr(item)
        return self._line(item)

    def _x(self, width: int, align: str) -> int:
        room = max(0, self.dots - width)
        return {"center": room // 2, "right": room}.get(align, 0)

    def _qr(self, item: QrItem) -> Image.Image:
        try:
            modules = qr_matrix(item.content, item.ec).modules
        except ValueError:
            return Image.new("L", (self.dots, LINE_SPACING_DOTS), 255)
        side = len(modules) * item.module
        canvas = Image.new("L", (self.dots, side), 255)
        draw = ImageDraw.Draw(canvas)
        x0 = self._x(side, item.align)
        for y, row in enumerate(modules):
            for x, dark in enumerate(row):
                if dark:
                    left, top = x0 + x * item.module, y * item.module
                    draw.rectangle((left, top, left + item.module - 1, top + item.module - 1),
                                   fill=0)
        return canvas

    def _line(self, line: TextLine) -> Image.Image:
        """Lay the runs out cell by cell; wrap at the paper edge like the printer does."""
        rows: list[list[tuple[Image.Image, int]]] = [[]]
        used = 0
        for run in line.runs:
            font_path = self.bold_font_path if run.bold else self.font_path
            for ch in run.text:
                if not char_width(ch):
                    continue
                cell = _cell(ch, font_path, run.underline, run.invert, run.width, run.height)
                if used + cell.width > self.dots and rows[-1]:
                    rows.append([])
                    used = 0
                rows[-1].append((cell, used))
                used += cell.width
        images = []
        for row in rows:
            height = max((cell.height for cell, _ in row), default=LINE_DOTS)
            width = sum(cell.width for cell, _ in row)
            row_img = Image.new("L", (self.dots, max(LINE_SPACING_DOTS, height + 6)), 255)
            x0 = self._x(width, line.align)
            for cell, x in row:
                row_img.paste(cell, (x0 + x, height - cell.height))
            images.append(row_img)
        total = Image.new("L", (self.dots, sum(i.height for i in images)), 255)
        y = 0
        for img in images:
            total.paste(img, (0, y))
            y += img.height
        return total


@lru_cache(maxsize=4096)
def _cell(ch: str, font_path: str, underline: bool, invert: bool, width: int,
          height: int) -> Image.Image:
    """One character cell as the print head would make it (cached: tickets repeat glyphs)."""
    cell_w = char_width(ch) * 12
    font = _font(font_path, LINE_DOTS)
    # Noto's Latin is proportional: squeeze wide glyphs (m, W) into the printer's fixed cell
    glyph_w = max(cell_w, int(font.getlength(ch)) + 1)
    cell = Image.new("L", (glyph_w, LINE_DOTS), 255)
    draw = ImageDraw.Draw(cell)
    draw.text((glyph_w / 2, LINE_DOTS - 3), ch, font=font, fill=0, anchor="ms")
    if glyph_w > cell_w:
        cell = cell.resize((cell_w, LINE_DOTS), Image.Resampling.LANCZOS)
        draw = ImageDraw.Draw(cell)
    if underline:
        draw.line((0, LINE_DOTS - 1, cell_w, LINE_DOTS - 1), fill=0)
    if invert:
        cell = Image.eval(cell, lambda v: 255 - v)
    return cell.resize((cell_w * width, LINE_DOTS * height), Image.Resampling.NEAREST)


# ------------------------------------------------------------------------ virtual printer
class VirtualPrinter:
    """A printer you can script: state, paper running out mid-job, and a PNG of every ticket."""

    def __init__(self, out_dir: str | os.PathLike[str], paper_mm: int = 80, state: str = "ok",
                 default_chinese_mode: bool = False, font_path: str = DEFAULT_FONT_PATH,
                 render_png: bool = True, tickets_kept: int = TICKETS_KEPT):
        if paper_mm not in PAPER_DOTS:
            raise ValueError(f"paper_mm must be 58 or 80, got {paper_mm}")
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.paper_mm = paper_mm
        self.render_png = render_png
        self.tickets: list[Ticket] = []  # the latest ``tickets_kept``, oldest first
        self.tickets_kept = tickets_kept
        self.printed = 0  # every ticket ever finished (counts on after old ones are dropped)
        self.last_png_path: Path | None = None
        self.received = bytearray()  # the latest RECEIVED_KEPT bytes
        self.status_queries = 0
        self._state = "ok"
        self.set_state(state)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._paper_left: int | None = None
        self._renderer = PaperRenderer(PAPER_DOTS[paper_mm], font_path)
        self._decoder = EscPosDecoder(self._on_ticket, self._status_reply,
                                      lambda: self._state in PRINTING_STATES,
                                      default_chinese_mode)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._pty_fds: tuple[int, int] | None = None
        self._png_queue: queue.Queue[Ticket | None] | None = None

    def _start_png_thread(self) -> None:
        if self._png_queue is None:
            self._png_queue = queue.Queue()
            self._png_thread = threading.Thread(target=self._png_loop, daemon=True,
                                                name="virtual-printer-png")
            self._png_thread.start()

    # ------------------------------------------------------------------ scripting
    @property
    def state(self) -> str:
        return self._state

    def set_state(self, state: str) -> None:
        if state not in STATUS_REPLIES:
            raise ValueError(f"unknown state {state!r}; expected one of {', '.join(STATUS_REPLIES)}")
        self._state = state

    def run_out_of_paper_after(self, nbytes: int) -> None:
        """Paper ends after `nbytes` more received bytes: the rest of the job is not printed."""
        with self._lock:
            self._paper_left = nbytes

    @property
    def unknown_commands(self) -> list[bytes]:
        return list(self._decoder.unknown_commands)

    def wait_for_tickets(self, count: int, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.printed < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    # ------------------------------------------------------------------- decoding
    def feed(self, data: bytes) -> bytes:
        """Hand received bytes to the decoder; returns the status replies to send back."""
        with self._lock:
            self.received += data
            if len(self.received) > RECEIVED_KEPT:
                del self.received[:-RECEIVED_KEPT]
            if self._paper_left is not None and len(data) >= self._paper_left:
                head, tail = data[: self._paper_left], data[self._paper_left :]
                self._paper_left = None
                replies = self._decoder.feed(head)
                self._state = "paper_out"
                return replies + self._decoder.feed(tail)
            if self._paper_left is not None:
                self._paper_left -= len(data)
            return self._decoder.feed(data)

    def end_of_stream(self) -> None:
        """The sender hung up: what is in the buffer comes out without a cut."""
        with self._lock:
            self._decoder.finish_ticket(None)

    def read_file(self, path: str | os.PathLike[str]) -> list[Ticket]:
        before = self.printed
        self.feed(Path(path).read_bytes())
        self.end_of_stream()
        new = self.printed - before
        return self.tickets[-new:] if new else []

    def _status_reply(self, n: int) -> bytes | None:
        self.status_queries += 1
        replies = STATUS_REPLIES[self._state]
        if replies is None or n not in replies:
            return None
        return bytes([replies[n]])

    def _on_ticket(self, ticket: Ticket) -> None:
        """Real printers answer DLE EOT at once, whatever they are printing: with a transport
        running, drawing the PNG happens on its own thread so status replies never wait."""
        if self._png_queue is not None:
            self._png_queue.put(ticket)
        else:
            self._finish(ticket)

    def _png_loop(self) -> None:
        assert self._png_queue is not None
        while True:
            ticket = self._png_queue.get()
            if ticket is None:
                return
            self._finish(ticket)

    def _finish(self, ticket: Ticket) -> None:
        if self.render_png:
            path = self.out_dir / f"ticket-{self.printed + 1:04d}.png"
            self._renderer.render(ticket).save(path)
            ticket.png_path = path
            self.last_png_path = path
        with self._changed:
            self.tickets.append(ticket)
            del self.tickets[:-self.tickets_kept]
            self.printed += 1
            self._changed.notify_all()

    def render_png_of(self, ticket: Ticket, path: str | os.PathLike[str]) -> Path:
        self._renderer.render(ticket).save(path)
        return Path(path)

    # ------------------------------------------------------------------ transports
    def start_tcp(self, port: int = 9100, host: str = "127.0.0.1") -> int:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, port))
        server.listen(4)
        server.settimeout(0.1)
        self._server = server
        self._start_png_thread()
        self._spawn(self._accept_loop)
        return int(server.getsockname()[1])

    def _accept_loop(self) -> None:
        assert self._server
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(0.1)
            self._conns.append(conn)
            self._spawn(self._serve_connection, conn)

    def _serve_connection(self, conn: socket.socket) -> None:
        with contextlib.closing(conn):
            while not self._stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not data:
                    break
                reply = self.feed(data)
                if reply:
                    with contextlib.suppress(OSError):
                        conn.sendall(reply)
        self.end_of_stream()

    def start_pty(self) -> str:
        """A pseudo-terminal; open the returned path as a serial printer."""
        master, slave = os.openpty()
        tty.setraw(slave)
        self._pty_fds = (master, slave)
        self._start_png_thread()
        self._spawn(self._pty_loop, master)
        return os.ttyname(slave)

    def _pty_loop(self, master: int) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            reply = self.feed(data)
            if reply:
                os.write(master, reply)

    def _spawn(self, target: Callable[..., object], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True,
                                  name=f"virtual-printer-{target.__name__}")
        self._threads.append(thread)
        thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._server:
            with contextlib.suppress(OSError):
                self._server.close()
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=2)
        if self._png_queue is not None:
            self._png_queue.put(None)
            self._png_thread.join(timeout=10)
        if self._pty_fds:
            for fd in self._pty_fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._pty_fds = None


def render_ticket_png(payload: bytes, path: str | os.PathLike[str], paper_mm: int = 80) -> Path:
    """The paper a payload would give, as a PNG (the on-screen stand-in for a ticket that did
    not print, and the sample command's picture)."""
    renderer = PaperRenderer(PAPER_DOTS[paper_mm])
    tickets: list[Ticket] = []
    decoder = EscPosDecoder(tickets.append, lambda n: None, lambda: True)
    decoder.feed(payload)
    decoder.finish_ticket(None)
    if not tickets:
        raise ValueError("payload prints nothing")
    renderer.render(tickets[0]).save(path)
    return Path(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9100, help="TCP port (0 = any free port)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--pty", action="store_true", help="listen on a pseudo-terminal instead")
    parser.add_argument("--file", help="decode a capture file and exit")
    parser.add_argument("--out", required=True, help="directory for ticket PNGs")
    parser.add_argument("--paper", type=int, choices=(58, 80), default=80)
    parser.add_argument("--state", choices=sorted(STATUS_REPLIES), default="ok")
    args = parser.parse_args(argv)
    vp = VirtualPrinter(args.out, paper_mm=args.paper, state=args.state)
    if args.file:
        for ticket in vp.read_file(args.file):
            print(f"{ticket.png_path}: {len(ticket.lines)} lines, QR {ticket.qr_contents}")
        return 0
    where = f"pty {vp.start_pty()}" if args.pty else f"tcp {args.host}:{vp.start_tcp(args.port, args.host)}"
    print(f"virtual printer on {where}, {args.paper} mm, state {args.state}, PNGs in {args.out}",
          flush=True)
    try:
        seen = 0
        while True:
            time.sleep(0.2)
            while seen < len(vp.tickets):
                ticket = vp.tickets[seen]
                seen += 1
                print(f"{ticket.png_path}: {len(ticket.lines)} lines, QR {ticket.qr_contents}",
                      flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        vp.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
