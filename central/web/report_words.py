"""A 办不成事 report's progress in words, for the centre's public progress page.

The kiosk's progress screen says the same steps with the same words (kiosk.words.flows'
``progress.step.*``, ``progress.now.*``, ``progress.next_step``, ``progress.promised_words``,
``progress.answer``); the centre never imports the kiosk, so a test holds the two tables equal.
Every entry is ``(Chinese, English)``; placeholders in braces are filled by the page.
"""

from __future__ import annotations

import datetime as dt

#: The five steps in their order (受理→分类→转办→办结→反馈).
STEPS: tuple[str, ...] = ("accepted", "classified", "dispatched", "resolved", "answered")

STEP_WORDS: dict[str, tuple[str, str]] = {
    "accepted": ("受理", "Accepted"),
    "classified": ("分类", "Classified"),
    "dispatched": ("转办", "Sent to the office"),
    "resolved": ("办结", "Resolved"),
    "answered": ("反馈", "Answered"),
}

#: Where the report stands, by its status (``received``: not accepted yet).
NOW_WORDS: dict[str, tuple[str, str]] = {
    "received": ("当前进度：已收到，等待受理", "Now: received, waiting to be accepted"),
    "accepted": ("当前进度：已受理", "Now: accepted"),
    "classified": ("当前进度：已分类，等待转办", "Now: classified, to be sent on"),
    "dispatched": ("当前进度：已转办，正在办理", "Now: sent to the office, in hand"),
    "resolved": ("当前进度：已办结，等待答复", "Now: resolved, answer to follow"),
    "answered": ("当前进度：已答复", "Now: answered"),
}

NEXT_STEP: tuple[str, str] = ("下一步：{step}", "Next step: {step}")
PROMISED: tuple[str, str] = ("将在{promised_date}前答复您",
                             "You will get an answer by {promised_date}")
ANSWER: tuple[str, str] = ("答复内容", "Answer")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_words(day: dt.date, language: str) -> str:
    """2026年12月3日 / 3 Dec 2026, as the kiosk's progress screen writes a date."""
    if language == "en":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"
