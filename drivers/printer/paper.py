"""Paper renderer: draws a decoded ticket as the printer would, and a payload as a PNG.

The production driver's preview (a ticket shown on screen when it did not print), the sample
command and the virtual printer all draw paper here; none of them needs the simulator.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from drivers.printer.escpos_decoder import (
    EscPosDecoder,
    FeedItem,
    ImageItem,
    QrItem,
    TextLine,
    Ticket,
    TicketItem,
)
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

    def _item_image(self, item: TicketItem) -> Image.Image:
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
