"""Screenshots of every desk page, at a hall PC's 1366×768 and on a phone (390×844).

    python -m central.desk.screenshots [--out docs/screenshots/desk]

Starts a real centre on a throwaway SQLite file with the demo hall's desk (units, one account
per role, reports in several states, one answered so "messages sent" has a row) and drives
Debian's headless Chromium through the pages. Needs chromium, chromium-driver and selenium.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from central.desk.accounts import Accounts, Staff
from central.desk.browser import click_and_load, headless_chromium, viewport
from central.desk.demo import seed_desk_demo
from central.desk.helpcalls import HelpCalls
from central.desk.orders import WorkOrders
from central.desk.ratings import Ratings
from central.testing import HALL_TZ, Clock, RunningCentre, running_centre

WHEN = dt.datetime(2026, 11, 24, 10, 0, tzinfo=HALL_TZ)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="docs/screenshots/desk")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, \
            running_centre(Path(tmp) / "central.db", clock=Clock(WHEN)) as centre:
        service = centre.service
        user, password = seed_desk_demo(service, "default", centre.kiosk_id)
        accounts = Accounts(service.db, service.now)
        orders = WorkOrders(service)
        clerk = accounts.staff_by_username("demo-clerk")
        assert clerk is not None
        by_status: dict[str, list[str]] = {}
        for row in orders.inbox(clerk, "all"):
            by_status.setdefault(row["status"], []).append(row["tracking_no"])
        answered = by_status["accepted"][0]  # accepted by the demo clerk
        for action, form in (("classify", {"kind": "not_yet", "complexity": "ordinary"}),
                             ("dispatch", {"unit": "区人力资源和社会保障局"}),
                             ("resolve", {"resolution": "已协调社保中心一次性告知所需材料"}),
                             ("answer", {"answer": "已为您一次性列明材料清单，请带齐后到3号窗口办理。"})):
            orders.act(clerk, answered, action, form)
        new = sorted(by_status["received"])[0]
        escalated = by_status["dispatched"][0]  # promised yesterday: overdue, escalated
        driver = headless_chromium(1366, 768)
        shots: list[Path] = []

        def shot(name: str) -> None:
            path = out / f"{name}.png"
            driver.save_screenshot(str(path))
            shots.append(path)

        def log_in(username: str) -> None:
            driver.delete_all_cookies()
            driver.get(f"{centre.url}/desk/login")
            driver.find_element("id", "username").send_keys(username)
            driver.find_element("id", "password").send_keys(password)
            click_and_load(driver, driver.find_element("id", "login"))

        try:
            driver.get(f"{centre.url}/desk/login")
            shot("01-login")
            log_in(user)
            shot("02-inbox-escalated")
            driver.get(f"{centre.url}/desk/inbox?box=new")
            shot("03-inbox-new")
            driver.get(f"{centre.url}/desk/inbox?box=all")
            shot("04-inbox-all")
            driver.get(f"{centre.url}/desk/orders/{new}")
            shot("05-order-new")
            driver.get(f"{centre.url}/desk/orders/{escalated}")
            shot("06-order-overdue-escalated")
            driver.get(f"{centre.url}/desk/orders/{answered}")
            shot("07-order-answered")
            driver.get(f"{centre.url}/desk/messages")
            shot("08-messages-sent")
            driver.get(f"{centre.url}/desk/audit")
            shot("09-audit-log")
            _disable_former_clerk(accounts, user)
            driver.get(f"{centre.url}/desk/admin")
            shot("10-admin")
            driver.get(f"{centre.url}/desk/ledger")
            shot("10b-ledger")
            driver.get(f"{centre.url}/desk/stats")
            shot("10g-statistics-month")
            full_page(driver, out / "10h-statistics-month-full.png")
            shots.append(out / "10h-statistics-month-full.png")
            driver.get(f"{centre.url}/desk/stats?period={(WHEN - dt.timedelta(days=1)).date()}")
            shot("10i-statistics-day")
            _seed_help_calls(centre, clerk)
            driver.get(f"{centre.url}/desk/help")
            shot("10c-help-calls")
            rectified = _work_a_rectification(service, clerk)
            driver.get(f"{centre.url}/desk/ratings")
            shot("10d-ratings")
            driver.get(f"{centre.url}/desk/rectify?box=all")
            shot("10e-rectify-inbox")
            driver.get(f"{centre.url}/desk/rectify/{rectified}")
            shot("10f-rectify-order-call-back")
            log_in("demo-unit")
            shot("11-unit-handler-inbox")
            log_in("demo-clerk")
            driver.get(f"{centre.url}/desk/admin")
            shot("12-clerk-refused-admin")
            window_shots(centre, driver, shot)
            account_shots(centre.url, driver, shot, log_in, password)
            driver.delete_all_cookies()
            driver.get(f"{centre.url}/desk/login")
            viewport(driver, 390, 844, mobile=True)
            shot("13-phone-login")
            log_in("demo-duty")
            shot("14-phone-inbox")
            driver.get(f"{centre.url}/desk/orders/{escalated}")
            shot("15-phone-order")
            driver.get(f"{centre.url}/desk/ratings")
            shot("16-phone-ratings")
            driver.get(f"{centre.url}/desk/rectify/{rectified}")
            shot("17-phone-rectify-order")
            driver.get(f"{centre.url}/desk/stats")
            shot("18-phone-statistics")
            full_page(driver, out / "19-phone-statistics-full.png")
            shots.append(out / "19-phone-statistics-full.png")
        finally:
            driver.quit()
    for path in shots:
        print(path)
    return 0


def full_page(driver: Any, path: Path) -> None:
    """The whole page, beyond the viewport (a long page such as the statistics)."""
    import base64

    size = driver.execute_script("return [document.documentElement.scrollWidth, "
                                 "document.documentElement.scrollHeight]")
    data = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "captureBeyondViewport": True, "fromSurface": True,
        "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}})
    path.write_bytes(base64.b64decode(data["data"]))


def window_shots(centre: RunningCentre, driver: Any, shot: Callable[[str], None]) -> None:
    """The clerk's window page: a comprehensive window of two matters in the middle of work."""
    import requests

    def take(matter: str, **extra: str) -> None:
        requests.post(f"{centre.url}/v1/tickets", json={"matter_id": matter, **extra},
                      headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex},
                      timeout=10).raise_for_status()

    for matter in ("birth-cert", "elderly-allowance", "birth-cert", "birth-cert",
                   "elderly-allowance", "birth-cert"):
        take(matter)
    take("elderly-allowance", priority="elderly")
    centre.service.calling.set_window("default", "3", ["marriage-reg"])
    driver.get(f"{centre.url}/desk/window")
    driver.find_element("id", "window-no").send_keys("5")
    for matter in ("birth-cert", "elderly-allowance"):
        driver.find_element("id", f"matter-{matter}").click()
    shot("20-window-choose")
    click_and_load(driver, driver.find_element("id", "do-open"))
    for button in ("do-call-next", "do-call-next", "do-call-next", "do-recall"):
        click_and_load(driver, driver.find_element("id", button))
    shot("21-window-calling")


def _work_a_rectification(service: Any, clerk: Staff) -> str:
    """The demo's dispatched 整改 order rectified, found not satisfied at its 回访 (再整改),
    rectified again and called back once without an answer, so its page shows the second
    rectification, the 回访 form, the record and the history; return its number."""
    ratings = Ratings(WorkOrders(service))
    [row] = [r for r in ratings.inbox(clerk, "all") if r["status"] == "dispatched"]
    ratings.act(clerk, row["id"], "rectify", {"measures": "已约谈3号窗口人员，服务规范再培训"})
    ratings.act(clerk, row["id"], "callback", {"outcome": "not_satisfied",
                                               "note": "群众表示午间仍排队较久"})
    ratings.act(clerk, row["id"], "rectify", {
        "measures": "已调整3号窗口午间排班，高峰时段增开1个窗口；向群众说明办理时限"})
    ratings.act(clerk, row["id"], "callback", {"outcome": "unreachable", "note": "无人接听"})
    return str(row["id"])


def _disable_former_clerk(accounts: Accounts, admin_name: str) -> None:
    """A clerk who left the hall: disabled, so the admin page shows the state and its button."""
    admin = accounts.staff_by_username(admin_name)
    assert admin is not None
    former = accounts.add_staff("default", "former-clerk", "a-long-password-1", "clerk",
                                display_name="窗口 周强（已调离）")
    accounts.disable(admin, former.id)


def account_shots(url: str, driver: Any, shot: Callable[[str], None],
                  log_in: Callable[[str], None], password: str) -> None:
    """My account: the form, a refused change, a done change; a disabled account's login;
    the audit log with those changes."""
    log_in("demo-clerk")
    driver.get(f"{url}/desk/account")
    shot("22-account")

    def change(current: str, new: str) -> None:
        driver.find_element("id", "current-password").send_keys(current)
        driver.find_element("id", "new-password").send_keys(new)
        driver.find_element("id", "repeat-password").send_keys(new)
        click_and_load(driver, driver.find_element("id", "do-change-password"))

    change("not-the-password", "a new long password 1")
    shot("23-account-refused")
    change(password, "a new long password 1")
    shot("24-account-changed")
    driver.delete_all_cookies()
    driver.get(f"{url}/desk/login")
    driver.find_element("id", "username").send_keys("former-clerk")
    driver.find_element("id", "password").send_keys("a-long-password-1")
    click_and_load(driver, driver.find_element("id", "login"))
    shot("25-login-disabled-refused")
    log_in("demo-admin")
    driver.get(f"{url}/desk/audit")
    shot("26-audit-account-changes")


def _seed_help_calls(centre: RunningCentre, clerk: Staff) -> None:
    """Three open help calls: one answered by the clerk, one escalated, one just in."""
    orders = WorkOrders(centre.service)
    calls = HelpCalls(centre.service, orders, orders.notifier, duty_phone="13900001111")

    def call(location: str, reason: str) -> str:
        answer = requests.post(f"{centre.url}/v1/help-calls", timeout=10,
                               json={"location": location, "reason": reason, "language": "zh"},
                               headers={**centre.kiosk_headers(),
                                        "Idempotency-Key": uuid.uuid4().hex})
        answer.raise_for_status()
        return str(answer.json()["id"])

    calls.coming(clerk, call("一楼24小时自助服务区 1 号机", "assist"))
    call("二楼自助区 3 号机", "device")
    kept, calls.escalate_after_s = calls.escalate_after_s, 0.0
    calls.escalate_unanswered()
    calls.escalate_after_s = kept
    call("一楼24小时自助服务区 2 号机", "report")


if __name__ == "__main__":
    sys.exit(main())
