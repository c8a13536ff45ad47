"""The catalogue refuses bad bundles with a message naming the key, and finds matters as citizens type."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from hall.catalogue import Catalogue, CatalogueError, window_numbers


def ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


# ---------------------------------------------------------------- a good bundle


def test_example_bundle_builds_frozen_catalogue(catalogue: Catalogue) -> None:
    assert catalogue.hall.director_hotline == "0371-12345678"
    assert ids(catalogue.zones) == ["A", "C", "S"]
    marriage = catalogue.matter("marriage-reg")
    assert marriage.zone == "C" and marriage.prefix == "C" and marriage.appointment
    assert marriage.hours.open == dt.time(9) and marriage.hours.days == (1, 2, 3, 4, 5)
    assert marriage.guide is not None
    assert marriage.guide.materials[0].name_en == "Resident ID card"
    assert marriage.guide.materials[0].copies == 1
    assert catalogue.matter("housing-fund").guide is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        marriage.name = "x"  # type: ignore[misc]


def test_defaults_fill_optional_sections(bundle: dict[str, Any]) -> None:
    for key in ("notices", "integrated", "texts", "timeouts", "service", "report", "ratings"):
        del bundle[key]
    cat = Catalogue.from_dict(bundle)
    assert cat.timeouts.idle_s == 90 and cat.timeouts.elder_idle_s == 180
    assert cat.report.ordinary_days == 5 and cat.report.complex_days == 10
    assert cat.ratings.rectify_days == 5 and cat.ratings.callback_days == 2
    assert cat.notices == () and cat.integrated == ()


def test_same_bundle_gives_equal_catalogues(bundle: dict[str, Any]) -> None:
    assert Catalogue.from_dict(bundle) == Catalogue.from_dict(bundle)


def test_lookups(catalogue: Catalogue) -> None:
    assert ids(catalogue.matters_in_zone("A")) == ["birth-cert", "hukou-newborn", "housing-fund"]
    assert catalogue.matters_in_zone("nope") == []
    newborn = catalogue.integrated_service("newborn")
    assert ids(catalogue.matters_of(newborn)) == [
        "birth-cert", "hukou-newborn", "medical-ins-newborn"]
    assert catalogue.zone("C").floor == 2
    with pytest.raises(KeyError, match="unknown matter 'nope'"):
        catalogue.matter("nope")
    override = catalogue.text("home.title")
    assert override is not None and override.en == "Welcome"
    assert catalogue.text("missing.key") is None


def test_url_templates(catalogue: Catalogue) -> None:
    assert catalogue.hall.tracking_link("R2026-0001") == "https://hall.example/track/R2026-0001"
    assert catalogue.hall.queue_link("t-9") == "https://hall.example/q/t-9"


def test_tracking_url_may_take_the_check_code_or_be_left_to_the_centre(bundle) -> None:
    bundle["hall"]["tracking_url"] = "https://hall.example/r/{tracking_no}?c={check_code}"
    hall = Catalogue.from_dict(bundle).hall
    assert hall.tracking_link("R123456789012", "0427") == "https://hall.example/r/R123456789012?c=0427"
    del bundle["hall"]["tracking_url"]  # the centre's own progress page (its receipt answer)
    assert Catalogue.from_dict(bundle).hall.tracking_url == ""


def test_active_notices_respect_date_range(catalogue: Catalogue) -> None:
    holiday = "国庆假期窗口暂停服务"
    assert holiday in [n.zh for n in catalogue.active_notices(dt.date(2026, 10, 1))]
    assert holiday in [n.zh for n in catalogue.active_notices(dt.date(2026, 10, 8))]
    assert holiday not in [n.zh for n in catalogue.active_notices(dt.date(2026, 10, 9))]
    assert holiday not in [n.zh for n in catalogue.active_notices(dt.date(2026, 9, 30))]
    # the undated notice always shows
    assert len(catalogue.active_notices(dt.date(2030, 1, 1))) == 1


def test_notice_dates_accept_toml_dates(bundle: dict[str, Any]) -> None:
    bundle["notices"][0]["from"] = dt.date(2026, 10, 1)
    cat = Catalogue.from_dict(bundle)
    assert cat.notices[0].valid_from == dt.date(2026, 10, 1)


# ---------------------------------------------------------------- opening hours

MONDAY = dt.date(2026, 11, 23)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_open_during_hours(catalogue: Catalogue) -> None:
    marriage = catalogue.matter("marriage-reg")
    availability = catalogue.is_open(marriage, at(MONDAY, 10))
    assert availability and availability.closes_at == at(MONDAY, 17)


@pytest.mark.parametrize(
    ("when", "next_open"),
    [
        (at(MONDAY, 8, 59), at(MONDAY, 9)),  # before opening: today
        (at(MONDAY, 17), at(MONDAY + dt.timedelta(1), 9)),  # at closing: tomorrow
        (at(MONDAY + dt.timedelta(4), 18), at(MONDAY + dt.timedelta(7), 9)),  # Friday evening
        (at(MONDAY + dt.timedelta(5), 11), at(MONDAY + dt.timedelta(7), 9)),  # Saturday
    ],
)
def test_closed_says_when_it_opens(catalogue: Catalogue, when: dt.datetime,
                                   next_open: dt.datetime) -> None:
    availability = catalogue.is_open(catalogue.matter("marriage-reg"), when)
    assert not availability
    assert availability.next_open == next_open


def test_matter_open_on_some_weekdays_only(catalogue: Catalogue) -> None:
    insurance = catalogue.matter("medical-ins-newborn")  # Mon, Wed, Fri mornings
    tuesday = MONDAY + dt.timedelta(1)
    assert not catalogue.is_open(insurance, at(tuesday, 10))
    assert catalogue.is_open(insurance, at(tuesday, 10)).next_open == at(tuesday + dt.timedelta(1), 9)
    assert not catalogue.is_open(insurance, at(MONDAY, 12, 30))


def test_self_service_matter_is_always_open(catalogue: Catalogue) -> None:
    assert catalogue.is_open(catalogue.matter("social-card"), at(MONDAY + dt.timedelta(6), 3))


STAFFED = [{"open": "09:00", "close": "12:00", "days": [1, 2, 3, 4, 5]},
           {"open": "13:30", "close": "17:30", "days": [1, 2, 3, 4, 5]}]


@pytest.mark.parametrize(
    ("when", "on_site", "back_at"),
    [
        (at(MONDAY, 10), True, None),
        (at(MONDAY, 12, 30), False, at(MONDAY, 13, 30)),  # lunch break: back this afternoon
        (at(MONDAY, 3), False, at(MONDAY, 9)),  # 3 a.m.: back this morning
        (at(MONDAY + dt.timedelta(4), 18), False, at(MONDAY + dt.timedelta(7), 9)),  # Friday night
        (at(MONDAY + dt.timedelta(6), 15), False, at(MONDAY + dt.timedelta(7), 9)),  # Sunday
    ],
)
def test_staff_on_site_follows_the_halls_staffed_windows(
        bundle: dict[str, Any], when: dt.datetime, on_site: bool, back_at: Any) -> None:
    bundle["hall"]["staffed"] = STAFFED
    staff = Catalogue.from_dict(bundle).staff_on_site(when)
    assert bool(staff) is on_site
    assert staff.next_open == back_at


def test_a_hall_without_staffed_windows_counts_as_staffed(catalogue: Catalogue) -> None:
    assert catalogue.hall.staffed == ()
    assert catalogue.staff_on_site(at(MONDAY + dt.timedelta(6), 3))


@pytest.mark.parametrize(
    ("staffed", "message"),
    [
        ({"open": "09:00"}, "hall.staffed: expected a list of opening windows, got a table"),
        ([{"open": "09:00", "close": "08:00", "days": [1]}],
         "hall.staffed[0].close: expected a closing time after the opening time"),
        ([STAFFED[0], {"open": "13:30", "close": "17:30", "days": [0]}],
         "hall.staffed[1].days: expected distinct ISO weekdays 1-7 (1 = Monday), got [0]"),
    ],
)
def test_bad_staffed_windows_name_the_key(bundle: dict[str, Any], staffed: Any, message: str) -> None:
    bundle["hall"]["staffed"] = staffed
    with pytest.raises(CatalogueError) as error:
        Catalogue.from_dict(bundle)
    assert str(error.value) == message


def test_next_opening_after_today_for_gone_quota(catalogue: Catalogue) -> None:
    marriage = catalogue.matter("marriage-reg")
    assert catalogue.next_opening_after_today(marriage, at(MONDAY, 8)) == at(
        MONDAY + dt.timedelta(1), 9)


# ---------------------------------------------------------------- search


def test_pinyin_initials_find_marriage_registration(catalogue: Catalogue) -> None:
    assert ids(catalogue.search("hyd"))[0] == "marriage-reg"
    assert ids(catalogue.search("HYDJ")) == ["marriage-reg"]


def test_full_pinyin_chinese_and_english_substrings(catalogue: Catalogue) -> None:
    assert ids(catalogue.search("hunyin")) == ["marriage-reg"]
    assert ids(catalogue.search("公积金")) == ["housing-fund"]
    assert ids(catalogue.search("登记")) == ["marriage-reg"]
    assert ids(catalogue.search("housing")) == ["housing-fund"]
    assert ids(catalogue.search("withdraw")) == ["housing-fund"]
    assert ids(catalogue.search("  gong ji jin ")) == ["housing-fund"]


def test_search_ranks_closer_matches_first(catalogue: Catalogue) -> None:
    # "xse" is a prefix of 新生儿入户's initials (xsery) and inside nothing else's start
    assert ids(catalogue.search("xse"))[0] == "hukou-newborn"
    # Chinese prefix beats Chinese substring: 新生儿… starts with 新生; nothing else contains it
    found = ids(catalogue.search("新生儿"))
    assert set(found) == {"hukou-newborn", "medical-ins-newborn"}
    # exact name outranks a longer name containing it
    assert ids(catalogue.search("社保卡补换"))[0] == "social-card"


def test_polyphones_match_every_reading(bundle: dict[str, Any]) -> None:
    bundle["matters"][5]["name"] = "银行代缴公积金"  # 行: xing by default, hang here
    bundle["matters"][4]["name"] = "重新办理社保卡"  # 重: zhong by default, chong here
    cat = Catalogue.from_dict(bundle)
    assert ids(cat.search("yhdj")) == ["housing-fund"]
    assert ids(cat.search("yinhang")) == ["housing-fund"]
    assert ids(cat.search("cxbl")) == ["social-card"]
    assert ids(cat.search("yxdj")) == ["housing-fund"]  # the common reading still works


def test_search_without_match_or_query_is_empty(catalogue: Catalogue) -> None:
    assert catalogue.search("zzzz") == []
    assert catalogue.search("   ") == []
    assert catalogue.search("婚姻xx") == []


def test_search_integrated_services(catalogue: Catalogue) -> None:
    assert ids(catalogue.search_integrated("cs")) == ["newborn"]
    assert ids(catalogue.search_integrated("一件事")) == ["newborn"]
    assert catalogue.search_integrated("hyd") == []


# ---------------------------------------------------------------- bad bundles


def _set(d: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        d = d[key]
    if value is _DELETE:
        del d[path[-1]]
    else:
        d[path[-1]] = value


_DELETE = object()

BAD = [
    (("matters", 0, "zone"), "Z", "matters[0].zone: unknown zone 'Z'"),
    (("hall",), _DELETE, "hall: missing"),
    (("hall", "name"), 5, "hall.name: expected text, got number 5"),
    (("hall", "queue_url"), "https://hall.example/q/", "hall.queue_url: expected an http(s) URL "
     "containing {ticket_id}"),
    (("hall", "tracking_url"), "hall.example/track/{tracking_no}", "hall.tracking_url: expected "
     "an http(s) URL containing {tracking_no}"),
    (("zones", 1, "floor"), "2", "zones[1].floor: expected an integer, got text '2'"),
    (("zones", 1, "id"), "A", "zones[1].id: duplicate zone id 'A'"),
    (("matters", 2, "id"), "birth-cert", "matters[2].id: duplicate matter id 'birth-cert'"),
    (("matters", 0, "prefix"), "cc", "matters[0].prefix: expected one capital letter A-Z"),
    (("matters", 1, "hours", "open"), "9am", "matters[1].hours.open: expected a time HH:MM"),
    (("matters", 1, "hours", "close"), "08:00", "matters[1].hours.close: expected a closing time"),
    (("matters", 1, "hours", "days"), [0, 8], "matters[1].hours.days: expected distinct ISO"),
    (("matters", 0, "daily_quota"), -1, "matters[0].daily_quota: expected at least 0, got -1"),
    (("matters", 0, "needs_staff"), "yes", "matters[0].needs_staff: expected true or false"),
    (("matters", 0, "guide", "materials", 1, "copies"), "two",
     "matters[0].guide.materials[1].copies: expected an integer"),
    (("matters", 0, "guide", "conditions_en"), [], "matters[0].guide.conditions_en: expected 1"),
    (("matters", 0, "nmae"), "x", "matters[0].nmae: unknown key (did you mean 'name'?)"),
    (("integrated", 0, "matters", 1), "nope", "integrated[0].matters[1]: unknown matter 'nope'"),
    (("integrated", 0, "matters"), ["birth-cert"], "integrated[0].matters: expected a list of at"),
    (("notices", 0, "until"), "2026-09-01", "notices[0].until: expected a date on or after"),
    (("notices", 0, "from"), "1 Oct", "notices[0].from: expected a date YYYY-MM-DD"),
    (("timeouts", "idle_s"), 0, "timeouts.idle_s: expected at least 10"),
    (("service", "pin_hash"), "1234", "service.pin_hash: expected pbkdf2_sha256$"),
    (("report", "complex_days"), 2, "report.complex_days: expected at least ordinary_days"),
    (("ratings", "rectify_days"), 0, "ratings.rectify_days: expected at least 1, got 0"),
    (("ratings", "callback_days"), "2", "ratings.callback_days: expected an integer"),
    (("ratings", "recall_days"), 2, "ratings.recall_days: unknown key"),
    (("texts", "home.title"), {"zh": "欢迎"}, 'texts."home.title".en: missing'),
    (("zones",), [], "zones: expected at least one zone"),
    (("matters",), "none", "matters: expected a list of tables, got text 'none'"),
    (("extra",), 1, "extra: unknown key"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD, ids=[m.split(":")[0] for *_, m in BAD])
def test_bad_bundle_names_key_and_expectation(bundle: dict[str, Any], path: tuple[Any, ...],
                                              value: Any, message: str) -> None:
    _set(bundle, path, value)
    with pytest.raises(CatalogueError) as caught:
        Catalogue.from_dict(bundle)
    assert str(caught.value).startswith(message)
    assert caught.value.path == message.split(": ")[0]


def test_bundle_that_is_not_a_table() -> None:
    with pytest.raises(CatalogueError, match="bundle: expected a table"):
        Catalogue.from_dict([])  # type: ignore[arg-type]


@pytest.mark.parametrize("windows", ["5", "1-4", "21,23", "1-4、7", " 13 - 17 "])
def test_window_numbers_in_the_forms_halls_write_them(bundle: dict[str, Any], windows: str) -> None:
    bundle["matters"][0]["windows"] = windows
    assert Catalogue.from_dict(bundle).matters[0].windows == windows.strip()


def test_a_matter_served_at_no_window_leaves_the_numbers_out(bundle: dict[str, Any]) -> None:
    del bundle["matters"][0]["windows"]
    assert Catalogue.from_dict(bundle).matters[0].windows == ""


@pytest.mark.parametrize(("windows", "numbers"), [("5", True), ("1-4、7", True), ("自助区", False),
                                                 ("3楼东侧", False), ("", False)])
def test_words_where_window_numbers_belong_are_kept_and_told_apart(
        bundle: dict[str, Any], windows: str, numbers: bool) -> None:
    """A bundle published with words there stays valid; screens say "号窗口" only for numbers."""
    bundle["matters"][0]["windows"] = windows
    matter = Catalogue.from_dict(bundle).matters[0]
    assert matter.windows == windows
    assert window_numbers(matter.windows) is numbers
