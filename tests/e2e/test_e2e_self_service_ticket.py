"""A self-service matter (the credit-report terminal) in 取号: the kiosk says up front that no
number is needed and where to go, instead of an error after confirming (the centre issues no
number for it), and nothing says "号窗口" where there is no window."""

from __future__ import annotations

from typing import Any


def test_a_self_service_matter_says_no_number_is_needed_and_where_to_go(
        kiosk: Any, tap: Any, find: Any, screen: Any, qtbot: Any) -> None:
    tap(kiosk.window, "entry_ticket")
    screen(kiosk, "ticket.choose_zone")
    tap(kiosk.window, "zone_A")
    screen(kiosk, "ticket.choose_matter")
    assert find(kiosk.window, "matter_credit-report").property("subText") == "自助办理"
    assert "号窗口" in find(kiosk.window, "matter_elderly-allowance").property("subText")
    tap(kiosk.window, "matter_credit-report")
    screen(kiosk, "ticket.unavailable")

    assert find(kiosk.window, "flowPrompt").property("text") == "该事项无需取号"
    notice = find(kiosk.window, "unavailableNoticeText").property("text")
    assert notice == "该事项为自助办理，请到一楼24小时自助服务区办理"
    tap(kiosk.window, "languageButton")
    qtbot.waitUntil(lambda: "self-service" in find(
        kiosk.window, "unavailableNoticeText").property("text"), timeout=3000)
    assert "24-hour self-service area, 1F" in find(
        kiosk.window, "unavailableNoticeText").property("text")
    tap(kiosk.window, "languageButton")

    tap(kiosk.window, "otherMatterButton")  # the citizen's place in the flow is kept
    screen(kiosk, "ticket.choose_matter")
    tap(kiosk.window, "homeButton")
    screen(kiosk, "home")
