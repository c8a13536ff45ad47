"""Fixtures for the flow tests: a small valid catalogue in dict form, and the catalogue built from it."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drivers.idcard.card import CardRecord, CardType, Sex
from drivers.idcard.cards import make_id_number
from hall.catalogue import Catalogue
from kiosk.flows.base import EndSession, Flow
from kiosk.flows.session import CitizenSession


def _guide(name: str, name_en: str, place: str, place_en: str) -> dict[str, Any]:
    return {
        "conditions": [f"申请人本人办理{name}"],
        "conditions_en": [f"The applicant applies for {name_en} in person"],
        "materials": [
            {"name": "居民身份证", "name_en": "Resident ID card", "originals": 1, "copies": 1},
            {"name": "户口簿", "name_en": "Household register", "originals": 1, "copies": 0,
             "note": "本人页", "note_en": "Own page"},
        ],
        "time_limit": "当场办结", "time_limit_en": "On the spot",
        "fee": "免费", "fee_en": "Free",
        "place": place, "place_en": place_en,
        "hours_text": "工作日 9:00-17:00", "hours_text_en": "Weekdays 9:00-17:00",
        "online_url": "https://hall.example/guide/x",
    }


WEEKDAYS = {"open": "09:00", "close": "17:00", "days": [1, 2, 3, 4, 5]}

EXAMPLE_BUNDLE: dict[str, Any] = {
    "hall": {
        "name": "示例区政务服务中心", "name_en": "Example District Government Service Centre",
        "hotline": "12345", "director_hotline": "0371-12345678",
        "staffed_hours": "周一至周五 9:00-12:00, 13:30-17:30",
        "staffed_hours_en": "Mon-Fri 9:00-12:00, 13:30-17:30",
        "tracking_url": "https://hall.example/track/{tracking_no}",
        "queue_url": "https://hall.example/q/{ticket_id}",
    },
    "notices": [
        {"zh": "国庆假期窗口暂停服务", "en": "Windows closed for the National Day holiday",
         "from": "2026-10-01", "until": "2026-10-08"},
        {"zh": "24小时自助区全年开放", "en": "The 24-hour area is open all year"},
    ],
    "zones": [
        {"id": "A", "name": "综合窗口区", "name_en": "Comprehensive windows", "floor": 1,
         "windows": "1-12", "location": "一楼东侧", "location_en": "1F east"},
        {"id": "C", "name": "婚姻登记区", "name_en": "Marriage registration", "floor": 2,
         "windows": "21-23", "location": "二楼西侧", "location_en": "2F west"},
        {"id": "S", "name": "社保医保区", "name_en": "Social and medical insurance", "floor": 1,
         "windows": "30-35", "location": "一楼北侧", "location_en": "1F north"},
    ],
    "matters": [
        {"id": "marriage-reg", "zone": "C", "prefix": "C", "name": "婚姻登记",
         "name_en": "Marriage registration", "windows": "21-23", "hours": dict(WEEKDAYS),
         "daily_quota": 120, "needs_staff": True, "appointment": True,
         "guide": _guide("婚姻登记", "marriage registration", "二楼C区21-23号窗口",
                         "2F zone C windows 21-23")},
        {"id": "birth-cert", "zone": "A", "prefix": "A", "name": "出生医学证明",
         "name_en": "Birth medical certificate", "windows": "1-4", "hours": dict(WEEKDAYS),
         "guide": _guide("出生医学证明", "the birth certificate", "一楼A区1-4号窗口",
                         "1F zone A windows 1-4")},
        {"id": "hukou-newborn", "zone": "A", "prefix": "A", "name": "新生儿入户",
         "name_en": "Newborn household registration", "windows": "5-8", "hours": dict(WEEKDAYS),
         "guide": _guide("新生儿入户", "newborn registration", "一楼A区5-8号窗口",
                         "1F zone A windows 5-8")},
        {"id": "medical-ins-newborn", "zone": "S", "prefix": "S", "name": "新生儿医保参保",
         "name_en": "Newborn medical insurance", "windows": "30-32",
         "hours": {"open": "09:00", "close": "12:00", "days": [1, 3, 5]},
         "guide": _guide("新生儿医保参保", "newborn insurance", "一楼S区30-32号窗口",
                         "1F zone S windows 30-32")},
        {"id": "social-card", "zone": "S", "prefix": "S", "name": "社保卡补换",
         "name_en": "Social security card replacement", "windows": "33-35", "hours": dict(WEEKDAYS),
         "needs_staff": False},
        {"id": "housing-fund", "zone": "A", "prefix": "G", "name": "住房公积金提取",
         "name_en": "Housing fund withdrawal", "windows": "9-12", "hours": dict(WEEKDAYS),
         "daily_quota": 50},
    ],
    "integrated": [
        {"id": "newborn", "name": "出生一件事", "name_en": "Newborn: one-stop",
         "matters": ["birth-cert", "hukou-newborn", "medical-ins-newborn"]},
    ],
    "texts": {"home.title": {"zh": "欢迎光临", "en": "Welcome"}},
    "timeouts": {"idle_s": 90, "idle_prompt_s": 20, "elder_idle_s": 180},
    "service": {"pin_hash": "pbkdf2_sha256$600000$c2FsdA==$aGFzaA=="},
    "report": {"ordinary_days": 5, "complex_days": 10},
    "ratings": {"rectify_days": 5, "callback_days": 2},
}


@pytest.fixture
def bundle() -> dict[str, Any]:
    """A fresh deep copy of the example bundle, free for a test to break."""
    return copy.deepcopy(EXAMPLE_BUNDLE)


@pytest.fixture
def catalogue(bundle: dict[str, Any]) -> Catalogue:
    return Catalogue.from_dict(bundle)


# ---------------------------------------------------------------- flow fixtures


MONDAY_10AM = dt.datetime(2026, 11, 23, 10, 0)
SALT = b"test-salt"


def make_card(birth: dt.date, name: str = "测试市民") -> CardRecord:
    """A fictional resident card (valid check digit) born on ``birth``."""
    return CardRecord(
        name=name, sex=Sex(1), nation="汉", birth=birth, address="示例市示例路1号",
        issuer="示例市公安局", valid_from=dt.date(2015, 1, 1), valid_to=None,
        card_type=CardType.RESIDENT, _id_number=make_id_number("110101", birth, "123"),
    )


@pytest.fixture
def elder_card() -> CardRecord:
    return make_card(dt.date(1950, 3, 1), "测试老人")  # 76 on MONDAY_10AM


@pytest.fixture
def young_card() -> CardRecord:
    return make_card(dt.date(1990, 6, 15))  # 36


@pytest.fixture
def session() -> CitizenSession:
    return CitizenSession(SALT, elder_age=70)


@pytest.fixture
def keys() -> Iterator[Callable[[], str]]:
    """Predictable idempotency keys k1, k2, ... so tests can tell confirmations apart."""
    counter = itertools.count(1)
    yield lambda: f"k{next(counter)}"


@pytest.fixture
def now() -> dt.datetime:
    """A Monday morning: every staffed matter of the example bundle is open."""
    return MONDAY_10AM


@pytest.fixture
def assert_ended() -> Callable[[Flow, list, str], None]:
    return assert_session_ended


def assert_session_ended(flow: Flow, effects: list, reason: str) -> None:
    """What a citizen must be able to rely on after leaving: home, nothing of theirs left."""
    assert effects == [EndSession(reason)]
    assert flow.finished
    assert flow.session.is_empty
    assert flow.session.elder_mode is False
    assert flow.error_key is None
    assert flow.handle(object()) == []  # type: ignore[arg-type]
