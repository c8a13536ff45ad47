"""Spreadsheet downloads of the desk: CSV (UTF-8 with BOM) and XLSX (XlsxWriter).

A download is a list of :class:`Sheet` (a title, column headings, rows). CSV puts the sheets one
after another, each under its title; XLSX gives each its own worksheet with a bold, frozen
heading row, a filter and column widths that fit Chinese text. Text is always written as text:
XlsxWriter's ``write_string`` never turns "=…" into a formula, so a citizen's or a clerk's words
cannot become one (the CSV export prefixes such cells with an apostrophe instead).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import xlsxwriter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | int | float | None


@dataclass
class Sheet:
    name: str  # the worksheet's name (≤ 31 characters, no []:*?/\)
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]] = field(default_factory=list)
    title: str = ""  # a line above the table in the CSV (defaults to the name)
    #: XLSX only: a native chart beside the table ("column" or "bar") of this column's values
    #: against the first column's labels (the spreadsheet draws it from the cells themselves).
    chart: tuple[str, int] | None = None
    key: str = ""  # how a page finds this table among others


def csv_cell(value: Cell) -> str:
    """No spreadsheet formulas from citizens' or staff's text (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_text(sheets: Sequence[Sheet], *, titles: bool = True) -> str:
    """All sheets as one CSV text with a BOM (Excel on the hall PC reads the Chinese right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for i, sheet in enumerate(sheets):
        if titles:
            if i:
                writer.writerow([])
            writer.writerow([sheet.title or sheet.name])
        writer.writerow(sheet.columns)
        writer.writerows([[csv_cell(v) for v in row] for row in sheet.rows])
    return "\ufeff" + buffer.getvalue()


def _width(text: str) -> int:
    """Display width in character cells: a hanzi takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx workbook with one worksheet per sheet, built in memory."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    head = book.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1,
                            "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    number = book.add_format({"valign": "top"})
    used: set[str] = set()
    for sheet in sheets:
        name = _BAD_SHEET_CHARS.sub("-", sheet.name)[:31] or "Sheet"
        while name in used:
            name = name[:28] + f"-{len(used)}"
        used.add(name)
        ws = book.add_worksheet(name)
        widths = [min(40, max(8, _width(str(c)))) for c in sheet.columns]
        for col, heading in enumerate(sheet.columns):
            ws.write_string(0, col, str(heading), head)
        for r, row in enumerate(sheet.rows, start=1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    ws.write_blank(r, col, None, wrap)
                elif isinstance(value, int | float):
                    ws.write_number(r, col, value, number)
                else:
                    ws.write_string(r, col, value, wrap)
                    if col < len(widths):
                        widths[col] = min(40, max(widths[col], _width(value)))
        for col, w in enumerate(widths):
            ws.set_column(col, col, w + 2)
        ws.freeze_panes(1, 0)
        if sheet.rows and sheet.columns:
            ws.autofilter(0, 0, len(sheet.rows), len(sheet.columns) - 1)
        if sheet.chart and sheet.rows:
            kind, col = sheet.chart
            chart = book.add_chart({"type": kind})
            last = len(sheet.rows)
            chart.add_series({"name": [name, 0, col], "categories": [name, 1, 0, last, 0],
                              "values": [name, 1, col, last, col],
                              "data_labels": {"value": True}, "fill": {"color": "#0B5CAD"}})
            chart.set_title({"name": sheet.title or sheet.name})
            chart.set_legend({"none": True})
            if kind == "bar":
                chart.set_y_axis({"reverse": True})  # the first row at the top, as in the table
            chart.set_size({"width": 640, "height": max(300, 24 * last + 80)})
            ws.insert_chart(1, len(sheet.columns) + 1, chart)
    book.close()
    return buffer.getvalue()
