"""Templates as data: a small interpreter turning JSON ticket templates into ESC/POS commands.

Building blocks go through python-escpos (set, qr, image, cut); text goes through _raw with our
own encoding, because escpos 3.1's magic encode sends CJK as bare GB18030 (no FS &) and prints
full-width punctuation on its own as "?".
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from escpos import constants as esc
from escpos.escpos import Escpos
from PIL import Image, ImageDraw, ImageFont

from drivers.printer.profiles import PrinterProfile
from drivers.printer.textwidth import display_width, wrap
from drivers.printer.transport import DummyPrinter
from drivers.qr.matrix import QUIET_ZONE_MODULES, qr_matrix

TEMPLATE_DIR = Path(__file__).with_name("templates")
DEFAULT_FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEFAULT_BOLD_FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
NOTO_SC_INDEX = 2  # face index of "Noto Sans CJK SC" in the .ttc (0 is JP: wrong glyph shapes)

FS_CHINESE_ON = b"\x1c\x26"  # FS &
FS_CHINESE_OFF = b"\x1c\x2e"  # FS .
LINE_DOTS = 24  # font A height; CJK cells are 24 x 24
LINE_SPACING_DOTS = 30  # ESC 2 default, ~1/6 inch at 203 dpi (what the paper preview uses)
QR_EC = {"L": esc.QR_ECLEVEL_L, "M": esc.QR_ECLEVEL_M, "Q": esc.QR_ECLEVEL_Q, "H": esc.QR_ECLEVEL_H}
LANGUAGES = ("zh", "en")


class TemplateError(ValueError):
    """A template or its data is wrong; the message names the template and the key."""


@lru_cache(maxsize=32)
def load_template(name: str) -> dict[str, Any]:
    path = TEMPLATE_DIR / f"{name}.json"
    if not path.is_file():
        raise TemplateError(f"unknown template {name!r}; known: {', '.join(template_names())}")
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TemplateError(f"{path.name}: invalid JSON ({exc})") from exc
    if not isinstance(data.get("blocks"), list):
        raise TemplateError(f"{path.name}: 'blocks' must be a list")
    return data


def template_names() -> list[str]:
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.json"))


def example_data(name: str) -> dict[str, Any]:
    """Example data stored in the template itself (for the sample command, bench and tests)."""
    return dict(load_template(name).get("example", {}))


class _Scope(Mapping[str, Any]):
    """Field lookup for one template run: in English, `x_en` wins over `x`; inner scopes (an
    item of a list) shadow outer ones."""

    def __init__(self, data: Mapping[str, Any], lang: str, parent: _Scope | None = None):
        self.data, self.lang, self.parent = data, lang, parent

    def __getitem__(self, key: str) -> Any:
        if self.lang == "en" and f"{key}_en" in self.data and self.data[f"{key}_en"] not in (
            None,
            "",
        ):
            return self.data[f"{key}_en"]
        if key in self.data:
            return self.data[key]
        if self.parent is not None:
            return self.parent[key]
        raise KeyError(key)

    def get_raw(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            return None

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def child(self, data: Any) -> _Scope:
        return _Scope(data if isinstance(data, Mapping) else {"item": data}, self.lang, self)


class _Formatter(string.Formatter):
    def __init__(self, template: str):
        self.template = template

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        try:
            value = kwargs[key]
        except KeyError:
            raise TemplateError(f"template {self.template}: missing field {key!r}") from None
        return "" if value is None else value


@dataclass
class _Style:
    align: str = "left"
    bold: bool = False
    width: int = 1
    height: int = 1


class TicketRenderer:
    """Interprets one template against data and emits it through an escpos printer object."""

    def __init__(
        self,
        profile: PrinterProfile,
        font_path: str = DEFAULT_FONT_PATH,
        bold_font_path: str | None = DEFAULT_BOLD_FONT_PATH,
        chinese_mode: bool | None = None,
        native_qr: bool | None = None,
    ):
        self.profile = profile
        self.font_path = font_path
        has_bold = bool(bold_font_path) and Path(str(bold_font_path)).is_file()
        self.bold_font_path = str(bold_font_path) if has_bold else font_path
        self.chinese_mode = profile.chinese_mode if chinese_mode is None else chinese_mode
        self.native_qr = profile.native_qr if native_qr is None else native_qr

    # ------------------------------------------------------------------ public
    def render_bytes(self, template: str, data: Mapping[str, Any], lang: str = "zh") -> bytes:
        """Exact bytes of one ticket, produced by python-escpos into an in-memory Dummy."""
        printer = DummyPrinter()
        self.render(printer, template, data, lang)
        return bytes(printer.output)

    def render(
        self, printer: Escpos, template: str, data: Mapping[str, Any], lang: str = "zh"
    ) -> None:
        if lang not in LANGUAGES:
            raise TemplateError(f"language must be one of {LANGUAGES}, got {lang!r}")
        spec = load_template(template)
        self._printer = printer
        self._template = template
        _give_profile_width(printer, self.profile)
        printer.hw("INIT")  # ESC @: known state, whatever the last job left behind
        printer._raw(b"\x1bt" + bytes([self.profile.code_page]))  # ESC t n
        self._style = _Style()
        self._blocks(spec["blocks"], _Scope(data, lang))

    # ------------------------------------------------------------ text output
    def text_line(self, text: str, style: _Style) -> None:
        """One already-wrapped line: ASCII as is; CJK inside FS & ... FS . as GB18030; a line the
        printer's font cannot show (no Chinese mode, or a character outside GBK) as an image."""
        self._apply_style(style)
        if text.isascii():
            self._printer._raw(text.encode("ascii") + b"\n")
        elif self.chinese_mode and _gbk_printable(text):
            self._printer._raw(FS_CHINESE_ON + text.encode("gb18030") + FS_CHINESE_OFF + b"\n")
        else:
            self._image_line(text, style)

    def _apply_style(self, style: _Style) -> None:
        current = self._style
        p = self._printer
        if style.align != current.align:
            p.set(align=style.align)
        if style.bold != current.bold:
            p.set(bold=style.bold)
        if (style.width, style.height) != (current.width, current.height):
            p.set(custom_size=True, width=style.width, height=style.height)
        self._style = _Style(style.align, style.bold, style.width, style.height)

    def _image_line(self, text: str, style: _Style) -> None:
        """Render the line with Noto Sans CJK SC at the printer's cell size and send it as a
        raster image, positioned by our own alignment (raster alignment varies by model)."""
        self._apply_style(_Style("left", style.bold, style.width, style.height))
        image = render_text_image(
            text,
            self.bold_font_path if style.bold else self.font_path,
            self.profile.dots_per_line,
            style.align,
            style.width,
            style.height,
            self.profile.dots_per_column,
        )
        self._printer.image(image, impl="bitImageRaster")

    # ------------------------------------------------------------- interpreter
    def _blocks(self, blocks: Iterable[Mapping[str, Any]], scope: _Scope) -> None:
        for block in blocks:
            if not self._applies(block, scope):
                continue
            kind = block.get("type")
            handler = getattr(self, f"_block_{kind}", None)
            if handler is None:
                raise TemplateError(f"template {self._template}: unknown block type {kind!r}")
            handler(block, scope)

    def _applies(self, block: Mapping[str, Any], scope: _Scope) -> bool:
        if "when" in block and not scope.get_raw(block["when"]):
            return False
        if "unless" in block and scope.get_raw(block["unless"]):
            return False
        return not ("lang" in block and block["lang"] != scope.lang)

    def _text(self, spec: Any, scope: _Scope, lang: str | None = None) -> str:
        """A text spec: "format {field}", {"zh": .., "en": ..}, or {"parts": [...], "sep": ..}."""
        lang = lang or scope.lang
        if isinstance(spec, Mapping) and "parts" in spec:
            parts, sep = self._parts(spec, scope, lang)
            return sep.join(parts)
        if isinstance(spec, Mapping):
            spec = spec.get(lang) or spec.get("zh") or ""
        if not isinstance(spec, str):
            raise TemplateError(f"template {self._template}: text must be a string, got {spec!r}")
        return _Formatter(self._template).vformat(spec, (), scope)

    def _parts(
        self, spec: Mapping[str, Any], scope: _Scope, lang: str | None = None
    ) -> tuple[list[str], str]:
        parts = [
            self._text(part.get("text", part) if isinstance(part, Mapping) else part, scope, lang)
            for part in spec["parts"]
            if not isinstance(part, Mapping) or self._applies(part, scope)
        ]
        sep = spec.get("sep", " ")
        sep = self._text(sep, scope, lang) if isinstance(sep, Mapping) else sep
        return [p for p in parts if p], sep

    def _texts(self, block: Mapping[str, Any], key: str, scope: _Scope) -> list[str]:
        """Localised text; with "both": true an English ticket also carries the Chinese line
        (for the staff at the window)."""
        spec = block[key]
        if scope.lang == "en" and block.get("both") and isinstance(spec, Mapping):
            zh, en = self._text(spec, scope, "zh"), self._text(spec, scope, "en")
            return [zh, en] if zh != en else [zh]
        return [self._text(spec, scope)]

    def _sized(self, value: Any, default: Any) -> Any:
        if isinstance(value, Mapping):
            return value.get(str(self.profile.paper_mm), default)
        return default if value is None else value

    def _style_of(self, block: Mapping[str, Any]) -> _Style:
        size = self._sized(block.get("size"), [1, 1])
        return _Style(block.get("align", "left"), bool(block.get("bold", False)), *size)

    def _emit_wrapped(self, text: str, style: _Style, indent: int = 0) -> None:
        columns = self.profile.columns // style.width
        for line in wrap(text, columns, indent):
            self.text_line(line, style)

    def _block_text(self, block: Mapping[str, Any], scope: _Scope) -> None:
        style = self._style_of(block)
        for text in self._texts(block, "text", scope):
            if text or block.get("keep_empty"):
                self._emit_wrapped(text, style, int(block.get("indent", 0)))

    def _block_big(self, block: Mapping[str, Any], scope: _Scope) -> None:
        """The queue number: as large as fits one line, capped per paper width."""
        text = self._text(block["text"], scope)
        cap = int(self._sized(block.get("max_size"), 6))
        fit = max(1, min(cap, 8, self.profile.columns // max(1, display_width(text))))
        style = _Style(block.get("align", "center"), bool(block.get("bold", True)), fit, fit)
        self._emit_wrapped(text, style)

    def _block_field(self, block: Mapping[str, Any], scope: _Scope) -> None:
        """"Label：value" with the value's continuation lines hanging under the value."""
        label = self._text(block["label"], scope)
        value = self._text(block["value"], scope)
        if not value and not block.get("keep_empty"):
            return
        sep = "：" if scope.lang == "zh" else ": "
        head = f"{label}{sep}"
        indent = display_width(head) if display_width(head) <= self.profile.columns // 3 else 2
        style = self._style_of(block)
        self._emit_wrapped(head + value, style, indent)

    def _block_rule(self, block: Mapping[str, Any], scope: _Scope) -> None:
        char = block.get("char", "-")
        self.text_line(char * (self.profile.columns // display_width(char)), _Style())

    def _block_feed(self, block: Mapping[str, Any], scope: _Scope) -> None:
        self._apply_style(_Style(align=self._style.align))
        lines = int(block.get("lines", 1))
        if lines > 0:
            self._printer._raw(b"\x1bd" + bytes([min(lines, 255)]))  # ESC d n

    def _block_list(self, block: Mapping[str, Any], scope: _Scope) -> None:
        """Bulleted lines from a list field; "bullet": "□ " makes a checklist."""
        items = scope.get_raw(block["items"]) or []
        bullet = block.get("bullet", "· ")
        style = self._style_of(block)
        columns = self.profile.columns // style.width
        for item in items:
            inner = scope.child(item)
            spec = block.get("text", "{item}")
            if isinstance(spec, Mapping) and "parts" in spec:
                parts, sep = self._parts(spec, inner)
            else:
                parts, sep = [self._text(spec, inner)], ""
            for line in wrap_parts(parts, sep, columns, bullet):
                self.text_line(line, style)
            if "sub" in block and self._applies(block["sub"], inner):
                sub = self._text(block["sub"]["text"], inner)
                if sub:
                    indent = display_width(bullet)
                    self._emit_wrapped(" " * indent + sub, style, indent)

    def _block_each(self, block: Mapping[str, Any], scope: _Scope) -> None:
        for index, item in enumerate(scope.get_raw(block["items"]) or [], start=1):
            inner = scope.child(item)
            inner.data = {**inner.data, "index": index}
            self._blocks(block["blocks"], inner)

    def _block_qr(self, block: Mapping[str, Any], scope: _Scope) -> None:
        data = self._text(block["data"], scope)
        if not data:
            return
        ec = str(block.get("ec", "M")).upper()
        matrix = qr_matrix(data, ec)
        share = float(self._sized(block.get("share"), 0.5))
        module = int(self.profile.dots_per_line * share) // matrix.size_with_quiet_zone()
        module = max(1, min(self.profile.max_qr_module, module))
        if self.native_qr:
            self._apply_style(_Style(align="center"))
            self._printer.qr(data, ec=QR_EC[ec], size=module, native=True)
            self._printer._raw(b"\n")
        else:
            self._apply_style(_Style(align="left"))  # the image carries its own left margin
            self._printer.image(
                qr_raster_image(matrix.modules, module, self.profile.dots_per_line),
                impl="bitImageRaster",
            )
        if "caption" in block:
            caption = {"text": block["caption"], "align": "center", "both": block.get("both")}
            self._block_text(caption, scope)

    def _block_cut(self, block: Mapping[str, Any], scope: _Scope) -> None:
        self._apply_style(_Style())
        if self.profile.cut == "none":
            self._printer._raw(b"\x1bd\x06")
        else:
            self._printer.cut(mode="PART" if self.profile.cut == "partial" else "FULL")


def wrap_parts(parts: list[str], sep: str, columns: int, bullet: str = "") -> list[str]:
    """Wrap a checklist line so that parts ("原件2份", "复印件1份") are not split between lines
    unless one part alone is wider than a line. Continuation lines hang under the bullet."""
    indent = display_width(bullet)
    lines: list[str] = []
    current = bullet
    for index, part in enumerate(parts):
        piece = (sep if index else "") + part
        if display_width(current + piece) <= columns:
            current += piece
            continue
        if current.strip() and current != bullet:
            # the separator's punctuation ("," in English) stays at the end of the line
            tail = (current + (sep if index else "")).rstrip()
            lines.append(tail if display_width(tail) <= columns else current.rstrip())
            current = " " * indent + part
        else:
            current += piece
        if display_width(current) > columns:
            wrapped = wrap(current, columns, indent)
            lines += wrapped[:-1]
            current = wrapped[-1]
    lines.append(current.rstrip())
    return lines


def _gbk_printable(text: str) -> bool:
    """Printer Chinese fonts cover GBK; characters beyond it (☐, ✓, emoji) would print as
    garbage, so such a line goes out as an image instead."""
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _give_profile_width(printer: Escpos, profile: PrinterProfile) -> None:
    """escpos image() checks media.width.pixels; give this printer instance its own copy."""
    data = json.loads(json.dumps(printer.profile.profile_data))
    data.setdefault("media", {}).setdefault("width", {})
    data["media"]["width"]["pixels"] = profile.dots_per_line
    data["media"]["width"]["mm"] = profile.paper_mm
    printer.profile.profile_data = data


@lru_cache(maxsize=8)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    index = NOTO_SC_INDEX if path.endswith(".ttc") else 0
    try:
        return ImageFont.truetype(path, size, index=index)
    except OSError as exc:
        raise TemplateError(f"printer.font_path: cannot load font {path!r} ({exc})") from exc


def render_text_image(
    text: str,
    font_path: str,
    paper_dots: int,
    align: str = "left",
    width: int = 1,
    height: int = 1,
    column_dots: int = 12,
) -> Image.Image:
    """A 1-bit image of one line, laid out like the printer would (24-dot cells, magnified)."""
    font = _font(font_path, LINE_DOTS)
    base_w = max(1, int(font.getlength(text)) + 2)
    base = Image.new("L", (base_w, LINE_DOTS + 6), 255)
    ImageDraw.Draw(base).text((0, LINE_DOTS - 2), text, font=font, fill=0, anchor="ls")
    scaled = base.resize((base_w * width, (LINE_DOTS + 6) * height), Image.Resampling.NEAREST)
    scaled_w = min(scaled.width, paper_dots)
    canvas = Image.new("1", (paper_dots, scaled.height), 1)
    x = {"center": (paper_dots - scaled_w) // 2, "right": paper_dots - scaled_w}.get(align, 0)
    ink = scaled.crop((0, 0, scaled_w, scaled.height)).point(lambda v: 255 if v > 128 else 0)
    canvas.paste(ink.convert("1"), (x, 0))
    return _trim_right(canvas)


def _trim_right(image: Image.Image) -> Image.Image:
    """Drop blank columns on the right (fewer bytes), keeping a multiple of 8 dots."""
    inverted = Image.eval(image.convert("L"), lambda v: 255 - v)
    box = inverted.getbbox()
    if box is None:
        return image.crop((0, 0, 8, image.height))
    right = min(image.width, (box[2] + 7) // 8 * 8)
    return image.crop((0, 0, right, image.height))


def qr_raster_image(modules: tuple[tuple[bool, ...], ...], module_dots: int, paper_dots: int
                    ) -> Image.Image:
    """A centred QR with a 4-module quiet zone, as a 1-bit image (for printers without native
    QR). Only the left margin is sent; the paper right of the code needs no bytes."""
    size = len(modules) + 2 * QUIET_ZONE_MODULES
    side = size * module_dots
    left = max(0, (paper_dots - side) // 2)
    image = Image.new("1", (left + side, side), 1)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                x0 = left + (x + QUIET_ZONE_MODULES) * module_dots
                y0 = (y + QUIET_ZONE_MODULES) * module_dots
                draw.rectangle((x0, y0, x0 + module_dots - 1, y0 + module_dots - 1), fill=0)
    width = (image.width + 7) // 8 * 8
    if width != image.width:
        padded = Image.new("1", (width, side), 1)
        padded.paste(image, (0, 0))
        image = padded
    return image
