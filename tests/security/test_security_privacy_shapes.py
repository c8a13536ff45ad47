"""Security: the shapes of personal numbers people actually type, through the outbox guard and
the log filter alike (one shared set of patterns, kiosk/privacy.py), and ordinary text left as
it is."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import logsetup
from kiosk.services.outbox import Outbox, OutboxError

#: (what a citizen typed, the kind the guard names) for identity-document numbers.
DOCUMENTS = [
    ("11010519491231002X", "ID number"),
    ("110101199003070011", "ID number"),
    ("110101 19900307 0011", "ID number"),
    ("110101-1990-0307-0011", "ID number"),
    ("1101 0119 9003 0700 11", "ID number"),
    ("110101 19491231 002x", "ID number"),
    ("１１０１０１１９９００３０７００１１", "ID number"),  # full-width, from an input method
    ("810000199003070014", "ID number"),  # Hong Kong/Macau/Taiwan residence permit (8…)
    ("E12345678", "passport number"),
    ("EA1234567", "passport number"),
    ("G12345678", "passport number"),
    ("e12345678", "passport number"),
    ("SE1234567", "passport number"),
    ("C12345678", "Hong Kong/Macau permit number"),  # 港澳通行证, old booklet
    ("CB1234567", "Hong Kong/Macau permit number"),  # 港澳通行证, card
    ("H12345678", "home-return permit number"),  # 回乡证 (Hong Kong)
    ("M1234567801", "home-return permit number"),  # 回乡证 (Macau), with issue count
    ("台胞证12345678", "Taiwan permit number"),  # 台胞证, 8 digits
    ("台胞证号码：1234567890", "Taiwan permit number"),  # 台胞证, 10 characters
    ("台湾居民来往大陆通行证 12345678(B)", "Taiwan permit number"),
    ("USA123456789012", "permanent-residence number"),
]

PHONES = [
    "13800138000",
    "138 0013 8000",
    "138-0013-8000",
    "+8613800138000",
    "+86 138 0013 8000",
    "0086 13800138000",
    "0086-138-0013-8000",
    "(+86) 138 0013 8000",
    "８６１３８００１３８０００",
    "１３８００１３８０００",
    "0371-66668888",
    "010 8888 6666",
    "+86 371 6666 8888",
]

#: Ordinary text the kiosk logs and stores every day; none of it may be touched.
ORDINARY = [
    "report delivered: tracking number R202611240001",
    "ticket A012 for 婚姻登记, 3 waiting, window 5 (5号窗口)",
    "opening hours 08:30-12:00 and 14:30-17:30 on 2026-11-24",
    "2026年11月24日 14:05:33 取号 F003",
    "the centre answered in 1234 ms (config v12, 20261124)",
    "item 9f2c4e6a0b1d4c3e8f7a6b5c4d3e2f10 sent to http://127.0.0.1:8400/v1/reports",
    "order number 202611241234567890 and pid 12345",
    "published_at 2026-11-24T10:00:00+08:00, etag W/\"3-a1b2c3\"",
    "printer 0x0416:0x5011 paper 80 mm, retry 3 of 5",
]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text.translate({0xFF10 + i: str(i) for i in range(10)}))


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[callable]:
    """Log one line through the real set-up; return what the file and the menu buffer hold."""
    logsetup.setup(tmp_path / "logs")

    def log_line(text: str) -> str:
        logging.getLogger("kiosk.test").warning("citizen typed: %s", text)
        for handler in logging.getLogger().handlers:
            handler.flush()
        written = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8").splitlines()[-1]
        assert logsetup.recent_lines.lines[-1].endswith(written.split(": ", 1)[1])
        return written.split("citizen typed: ", 1)[1]

    yield log_line
    logsetup.setup(None)


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "box" / "outbox.sqlite3")
    yield box
    box.close()


def _files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


@pytest.mark.parametrize(("number", "kind"), DOCUMENTS, ids=[n for n, _ in DOCUMENTS])
def test_document_numbers_are_refused_by_the_outbox_and_blanked_in_logs(
        number: str, kind: str, outbox: Outbox, logged, tmp_path: Path) -> None:
    with pytest.raises(OutboxError) as refused:
        outbox.put("report", {"matter_id": "marriage-reg", "situation": "not_accepted",
                              "description": f"我的证件是 {number}，请帮忙", "phone": "13800138000"})
    assert refused.value.reason == "outbox.private_data" and kind in refused.value.detail
    assert number not in refused.value.detail
    assert number.encode() not in _files(tmp_path / "box")
    shown = logged(number)
    digits = _digits(number)
    assert number not in shown and digits[2:-2] not in _digits(shown)
    assert "*" in shown


@pytest.mark.parametrize("number", PHONES)
def test_phone_numbers_are_blanked_in_logs_and_kept_by_the_outbox_until_delivered(
        number: str, outbox: Outbox, logged) -> None:
    shown = logged(f"call me on {number} please")
    assert number not in shown and "****" in shown.replace(" ", "").replace("-", "")
    assert _digits(number)[-8:-4] not in _digits(shown)
    item = outbox.put("report", {"matter_id": "marriage-reg", "situation": "not_accepted",
                                 "description": "请回电", "phone": number})
    assert outbox.get(item.id).body["phone"] == number  # a phone is for the centre: kept


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_neither_refused_nor_mangled(text: str, outbox: Outbox, logged) -> None:
    assert logged(text) == text
    item = outbox.put("report", {"matter_id": "marriage-reg", "situation": "not_accepted",
                                 "description": text, "phone": "13800138000"})
    assert outbox.get(item.id).body["description"] == text
