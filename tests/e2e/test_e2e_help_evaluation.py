"""Call for help and 好差评 end to end: taps on the QML screens, answers from the centre."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def test_help_from_inside_a_flow_reaches_staff_and_returns_to_the_flow(
        kiosk: Any, tap: Any, find: Any, screen: Any, qtbot: Any, centre_get: Any) -> None:
    open_before = {c["id"] for c in centre_get("/v1/staff/help-calls?status=open", staff=True)}
    tap(kiosk.window, "entry_ticket")
    screen(kiosk, "ticket.choose_zone")
    tap(kiosk.window, "zone_C")
    screen(kiosk, "ticket.choose_matter")
    tap(kiosk.window, "helpButton")  # one tap, from any screen
    screen(kiosk, "help.coming")
    assert "一楼24小时自助服务区" in find(kiosk.window, "helpComingText").property("text")

    def new_calls() -> list[dict[str, Any]]:
        calls = centre_get("/v1/staff/help-calls?status=open", staff=True)
        return [c for c in calls if c["id"] not in open_before]

    qtbot.waitUntil(lambda: len(new_calls()) == 1, timeout=8000)
    assert new_calls()[0]["location"] == "一楼24小时自助服务区"

    tap(kiosk.window, "helpClose")
    screen(kiosk, "ticket.choose_matter")  # back where the citizen was
    assert find(kiosk.window, "matter_marriage-reg").isVisible()


def test_low_rating_needs_a_reason_and_is_recorded_by_the_centre(
        kiosk: Any, hall: Any, tap: Any, find: Any, screen: Any, qtbot: Any) -> None:
    simulation, _ = hall
    tap(kiosk.window, "entry_evaluation")
    screen(kiosk, "evaluation.link")
    for name in ("key_1", "key_7", "linkNext"):
        tap(kiosk.window, name)
    screen(kiosk, "evaluation.level")
    tap(kiosk.window, "level_2")
    screen(kiosk, "evaluation.reasons")
    tap(kiosk.window, "submitButton")  # no reason picked yet: asked inline, nothing sent
    assert "至少选择一个原因" in find(kiosk.window, "inputErrorText").property("text")
    assert kiosk.window.property("currentName") == "evaluation.reasons"
    tap(kiosk.window, "reason_slow")
    tap(kiosk.window, "submitButton")
    # The optional call-back number (回访): masked on screen as it is typed.
    screen(kiosk, "evaluation.phone")
    assert find(kiosk.window, "skipPhoneButton").isVisible()
    assert "回访" in find(kiosk.window, "flowPrompt").property("text")
    for digit in "13800138000":
        tap(kiosk.window, f"key_{digit}")
    shown = find(kiosk.window, "phoneDisplay").property("text")
    assert shown == "138 **** 8000", shown
    tap(kiosk.window, "phoneNext")
    screen(kiosk, "evaluation.thanks")

    database = simulation.central_info["database"]

    def recorded() -> list[tuple[Any, ...]]:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            return db.execute("SELECT e.level, e.reasons, r.phone_masked, r.status "
                              "FROM evaluations e JOIN rectifications r "
                              "ON r.evaluation_id = e.id WHERE e.window_no = '17'").fetchall()

    qtbot.waitUntil(lambda: len(recorded()) == 1, timeout=8000)
    level, reasons, masked, status = recorded()[0]  # the 差评 opened its 整改 order
    assert level == 2 and json.loads(reasons) == ["slow"]
    assert masked == "138****8000" and status == "received"

    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")


def test_the_five_rating_levels_are_drawn_alike(kiosk: Any, tap: Any, find: Any,
                                                screen: Any) -> None:
    """No level leans: same fill, border, text colour and weight; only order and words differ."""
    tap(kiosk.window, "entry_evaluation")
    screen(kiosk, "evaluation.link")
    for name in ("key_1", "key_7", "linkNext"):
        tap(kiosk.window, name)
    screen(kiosk, "evaluation.level")
    buttons = [find(kiosk.window, f"level_{level}") for level in range(1, 6)]
    looks = {(b.property("kind"), b.property("color").name(), b.property("fg").name(),
              b.property("pixelSize")) for b in buttons}
    assert len(looks) == 1, looks
    heights = [b.height() for b in buttons]
    assert max(heights) - min(heights) <= 1  # the layout shares the height out whole pixels
    texts = [b.property("text") for b in buttons]
    assert all(t.count("★") + t.count("☆") == 5 for t in texts)  # five stars on every row
    assert [t.count("★") for t in texts] == [1, 2, 3, 4, 5]
    assert len({t.split()[-1] for t in texts}) == 5  # each level in its own words


def test_the_phone_step_in_elder_mode_is_skipped_in_one_tap(
        kiosk: Any, hall: Any, tap: Any, find: Any, screen: Any, qtbot: Any) -> None:
    simulation, _ = hall
    tap(kiosk.window, "elderButton")
    tap(kiosk.window, "entry_evaluation")
    screen(kiosk, "evaluation.link")
    for name in ("key_1", "key_9", "linkNext"):
        tap(kiosk.window, name)
    screen(kiosk, "evaluation.level")
    tap(kiosk.window, "level_1")
    screen(kiosk, "evaluation.reasons")
    tap(kiosk.window, "reason_attitude")
    tap(kiosk.window, "submitButton")
    screen(kiosk, "evaluation.phone")
    skip = find(kiosk.window, "skipPhoneButton")
    mm = kiosk.theme.mm
    assert skip.height() >= 24 * mm - 1  # an elder-mode target
    assert find(kiosk.window, "phoneNote").isVisible()
    tap(kiosk.window, "skipPhoneButton")
    screen(kiosk, "evaluation.thanks")
    database = simulation.central_info["database"]

    def recorded() -> list[tuple[Any, ...]]:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            return db.execute("SELECT r.phone, r.phone_masked FROM evaluations e JOIN "
                              "rectifications r ON r.evaluation_id = e.id "
                              "WHERE e.window_no = '19'").fetchall()

    qtbot.waitUntil(lambda: len(recorded()) == 1, timeout=8000)
    assert recorded() == [(None, None)]  # a 整改 order all the same, with no number
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")
