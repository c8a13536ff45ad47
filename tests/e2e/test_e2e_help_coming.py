"""'我来了' end to end: the kiosk's help call answered on the centre's desk names who is
coming on the kiosk's help screen; a cancel on the kiosk closes the call at the centre."""

from __future__ import annotations

import re
from typing import Any

import requests


def desk_login(info: dict[str, Any]) -> tuple[requests.Session, str]:
    http = requests.Session()
    page = http.get(f"{info['url']}/desk/login", timeout=10)
    token = re.search(r'name="csrf" value="([^"]*)"', page.text)
    assert token
    answer = http.post(f"{info['url']}/desk/login", timeout=10, data={
        "csrf": token.group(1), "next": "/desk/help", "username": info["desk_user"],
        "password": info["desk_password"]})
    csrf = re.search(r'name="csrf" value="([^"]*)"', answer.text)
    assert answer.ok and csrf, answer.url
    return http, csrf.group(1)


def test_the_help_screen_names_who_is_coming_and_a_cancel_closes_the_call(
        kiosk: Any, hall: Any, tap: Any, find: Any, screen: Any, qtbot: Any,
        centre_get: Any) -> None:
    info = hall[0].central_info
    open_before = {c["id"] for c in centre_get("/v1/staff/help-calls?status=open", staff=True)}

    def new_calls() -> list[dict[str, Any]]:
        calls = centre_get("/v1/staff/help-calls?status=open", staff=True)
        return [c for c in calls if c["id"] not in open_before]

    tap(kiosk.window, "helpButton")
    screen(kiosk, "help.coming")
    qtbot.waitUntil(lambda: len(new_calls()) == 1, timeout=8000)
    call_id = new_calls()[0]["id"]

    def named() -> str:
        try:
            return str(find(kiosk.window, "helpWhoIsComingText").property("text"))
        except LookupError:  # hidden while nobody is named
            return ""

    assert named() == ""  # nobody named before anyone answered

    http, csrf = desk_login(info)
    try:
        answer = http.post(f"{info['url']}/desk/help/{call_id}/coming", data={"csrf": csrf},
                           timeout=10)
        assert answer.ok
    finally:
        http.close()
    qtbot.waitUntil(lambda: "王敏" in named(), timeout=10000)
    assert named() == "大厅管理员 管理员 王敏 已收到呼叫，正在赶来"

    tap(kiosk.window, "helpCancel")  # the citizen no longer needs anyone
    qtbot.waitUntil(lambda: not new_calls(), timeout=8000)
