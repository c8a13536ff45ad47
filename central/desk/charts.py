"""Small server-side charts for the desk: inline SVG, no JavaScript, no chart library.

Two shapes are enough for the hall's statistics: a horizontal bar chart (long Chinese labels
such as matter names read best on their own line above the bar) and a column chart (tickets by
hour). Both are accessible: ``role="img"`` with a ``<title>`` and ``<desc>`` the screen reader
reads, each bar carries its number in ``data-value`` and in a visible label, and the page puts
the same numbers in a table beside the chart.

Geometry: no ``viewBox``, so text keeps its size in CSS pixels on a 1366×768 hall PC and on a
phone alike; widths are percentages of the chart's width, heights are pixels. Colours and fonts
come from classes styled in ``static/stats.css`` (the desk's CSP forbids inline styles).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

_ids = itertools.count(1)

BAR_ROW_PX = 44  # one horizontal bar: a label line and the bar below it
BAR_PX = 16
BAR_SPAN_PCT = 86.0  # the longest possible bar; the rest of the width holds its number
COLUMN_PLOT_PX = 160  # the column chart's plot height
COLUMN_TOP_PX = 22  # room above the tallest column for its number
COLUMN_AXIS_PX = 22  # room below the plot for the hour labels


@dataclass(frozen=True)
class Bar:
    """One bar: its label (Chinese, with English in ``label_en``) and its value."""

    label: str
    value: float
    label_en: str = ""
    text: str = ""  # the value as shown (e.g. "3 分 20 秒"); default: the number itself

    @property
    def shown(self) -> str:
        return self.text or _number(self.value)


def nice_max(value: float) -> float:
    """The axis end: the smallest 1, 2, 2.5 or 5 × 10^n at or above ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _frame(kind: str, title: str, desc: str, height: int, body: list[str]) -> Markup:
    n = next(_ids)
    t_id, d_id = f"chart-{n}-title", f"chart-{n}-desc"
    return Markup(
        f'<svg class="chart {kind}" width="100%" height="{height}" role="img" '
        f'aria-labelledby="{t_id} {d_id}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{t_id}">{escape(title)}</title><desc id="{d_id}">{escape(desc)}</desc>'
        + "".join(body) + "</svg>")


def bar_chart(title: str, bars: Sequence[Bar], *, desc: str = "", empty: str = "无数据 No data",
              span_pct: float = BAR_SPAN_PCT) -> Markup:
    """Horizontal bars, one per row, longest = the axis end (a "nice" number ≥ the largest).

    ``span_pct``: the width a bar at the axis end takes; the rest holds its number (shorter
    when the numbers are long words, such as "11.5 分 min", so they fit on a phone too)."""
    top = nice_max(max((b.value for b in bars), default=0))
    desc = desc or "；".join(f"{b.label} {b.shown}" for b in bars) or empty
    body: list[str] = []
    if not bars:
        body.append(f'<text class="empty" x="0" y="24">{escape(empty)}</text>')
    for i, bar in enumerate(bars):
        y = i * BAR_ROW_PX
        pct = bar.value / top * span_pct
        label = escape(bar.label) + (Markup(' <tspan class="en">') + escape(bar.label_en)
                                     + Markup("</tspan>") if bar.label_en else "")
        body.append(
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{_number(bar.value)}">'
            f'<text class="label" x="0" y="{y + 15}">{label}</text>'
            f'<rect class="track" x="0" y="{y + 21}" width="{span_pct}%" height="{BAR_PX}"/>'
            f'<rect class="fill" x="0" y="{y + 21}" width="{pct:.3f}%" height="{BAR_PX}"/>'
            f'<text class="value" x="{pct + 1:.3f}%" y="{y + 34}">{escape(bar.shown)}</text>'
            "</g>")
    height = max(1, len(bars)) * BAR_ROW_PX + 4
    return _frame("bars", title, desc, height, body)


def column_chart(title: str, bars: Sequence[Bar], *, desc: str = "", every_label: int = 1
                 ) -> Markup:
    """Vertical columns side by side (an hour or day histogram); heights in pixels.

    ``every_label``: on a phone only every n-th axis label shows (class ``minor`` on the rest).
    """
    top = nice_max(max((b.value for b in bars), default=0))
    desc = desc or "；".join(f"{b.label} {b.shown}" for b in bars if b.value) or "无数据 No data"
    width = 100.0 / max(1, len(bars))
    base = COLUMN_TOP_PX + COLUMN_PLOT_PX
    body = []
    for tick in (0.5, 1.0):  # two gridlines, labelled inside the plot
        y = base - tick * COLUMN_PLOT_PX
        body.append(f'<line class="grid" x1="0" x2="100%" y1="{y:.1f}" y2="{y:.1f}"/>'
                    f'<text class="tick" x="0" y="{y - 3:.1f}">{_number(top * tick)}</text>')
    body.append(f'<line class="axis" x1="0" x2="100%" y1="{base}" y2="{base}"/>')
    for i, bar in enumerate(bars):
        h = bar.value / top * COLUMN_PLOT_PX
        x = i * width
        minor = " minor" if i % every_label else ""
        body.append(
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{_number(bar.value)}">'
            f'<rect class="fill" x="{x + width * 0.15:.3f}%" y="{base - h:.3f}" '
            f'width="{width * 0.7:.3f}%" height="{h:.3f}"/>'
            + (f'<text class="value{minor}" x="{x + width / 2:.3f}%" y="{base - h - 4:.3f}" '
               f'text-anchor="middle">{escape(bar.shown)}</text>' if bar.value else "")
            + f'<text class="label{minor}" x="{x + width / 2:.3f}%" y="{base + 16}" '
            f'text-anchor="middle">{escape(bar.label)}</text></g>')
    return _frame("columns", title, desc, base + COLUMN_AXIS_PX, body)
