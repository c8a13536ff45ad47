"""进度查询 end to end: a report registered at the centre, looked up by its number and the
receipt's check code on the keypad."""

from __future__ import annotations

from typing import Any


def type_keys(app: Any, tap: Any, digits: str) -> None:
    for digit in digits:
        tap(app.window, f"key_{digit}")


def test_tracking_number_shows_the_five_steps(kiosk: Any, tap: Any, find: Any,
                                              screen: Any) -> None:
    receipt = kiosk.services.central.submit_report(
        {"matter_id": "marriage-reg", "situation": "not_accepted",
         "description": "测试：材料齐全但未受理", "phone": "13912345678", "language": "zh"},
        idempotency_key="e2e-progress-1")
    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    tap(kiosk.window, "byNumberButton")
    screen(kiosk, "progress.enter_number")
    type_keys(kiosk, tap, "123")
    tap(kiosk.window, "keyNext")  # too short: said inline, the citizen stays
    assert "R加12位数字" in find(kiosk.window, "inputErrorText").property("text")
    tap(kiosk.window, "keyClear")
    type_keys(kiosk, tap, receipt.tracking_no[1:])
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.enter_code")
    assert find(kiosk.window, "codeForNumber").property("text") == f"回执编号：{receipt.tracking_no}"
    type_keys(kiosk, tap, "12")
    tap(kiosk.window, "keyNext")  # too short: said inline
    assert "4位数字" in find(kiosk.window, "inputErrorText").property("text")
    tap(kiosk.window, "keyClear")
    type_keys(kiosk, tap, receipt.check_code)
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.results")
    assert find(kiosk.window, "reportNumber_0").property("text") == receipt.tracking_no
    labels = [find(kiosk.window, f"step_{s}").property("text")
              for s in ("accepted", "classified", "dispatched", "resolved", "answered")]
    assert [label[:2] for label in labels] == ["受理", "分类", "转办", "办结", "反馈"]


def test_unknown_number_says_none_found(kiosk: Any, tap: Any, find: Any, screen: Any) -> None:
    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    tap(kiosk.window, "byNumberButton")
    type_keys(kiosk, tap, "209901010999")
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.enter_code")
    type_keys(kiosk, tap, "0000")
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.results")
    assert "没有查到" in find(kiosk.window, "noneFoundText").property("text")


def test_a_real_number_with_a_wrong_code_says_the_same(kiosk: Any, tap: Any, find: Any,
                                                      screen: Any) -> None:
    receipt = kiosk.services.central.submit_report(
        {"matter_id": "marriage-reg", "situation": "other", "description": "测试",
         "phone": "13912345678", "language": "zh"}, idempotency_key="e2e-progress-2")
    wrong = f"{(int(receipt.check_code) + 1) % 10000:04d}"
    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    tap(kiosk.window, "byNumberButton")
    type_keys(kiosk, tap, receipt.tracking_no[1:])
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.enter_code")
    type_keys(kiosk, tap, wrong)
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.results")
    assert "没有查到" in find(kiosk.window, "noneFoundText").property("text")
