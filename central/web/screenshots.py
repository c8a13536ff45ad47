"""Screenshots of the hall display (landscape and portrait), a ticket's phone page (waiting,
called, an appointment early for its slot) and a report's progress page.

    python -m central.web.screenshots [docs/screenshots]

Starts a demo centre on 127.0.0.1, takes numbers and calls a few of them, and photographs the
pages in Debian's headless Chromium (chromium + chromium-driver, Selenium from the test extra).
The browser tests use :func:`chromium` too.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import requests


def chromium(width: int, height: int, *, autoplay: bool = True, mobile: bool = False) -> Any:
    """Headless Chromium at ``width``×``height`` CSS pixels (the hall PC's flags if autoplay)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=zh-CN",
                 f"--window-size={width},{height}"):
        options.add_argument(flag)
    if autoplay:
        options.add_argument("--autoplay-policy=no-user-gesture-required")
    else:  # what an ordinary browser does until someone touches the page
        options.add_argument("--autoplay-policy=document-user-activation-required")
    if mobile:
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0},
            "userAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                         "AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
                         "MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN"})
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    if not mobile:
        # --window-size counts the window frame: size the page's viewport exactly.
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])
    return driver


def take(url: str, kiosk_headers: dict[str, str], matter: str, **extra: Any) -> dict[str, Any]:
    r = requests.post(f"{url}/v1/tickets", json={"matter_id": matter, **extra},
                      headers={**kiosk_headers, "Idempotency-Key": uuid.uuid4().hex}, timeout=30)
    r.raise_for_status()
    answer: dict[str, Any] = r.json()
    return answer


def main(argv: list[str]) -> int:
    from central.testing import running_centre

    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_centre(Path(tmp) / "c.db") as centre:
        staff = centre.staff_headers()
        kiosk = centre.kiosk_headers()
        for window, matters in (("5", ["birth-cert", "elderly-allowance"]),
                                ("21", ["marriage-reg"]), ("32", ["hukou-newborn"])):
            requests.put(f"{centre.url}/v1/staff/windows/{window}", json={"matters": matters},
                         headers=staff, timeout=10).raise_for_status()
        for matter in ("birth-cert", "marriage-reg", "hukou-newborn", "birth-cert",
                       "marriage-reg", "elderly-allowance", "marriage-reg"):
            take(centre.url, kiosk, matter)
        mine = take(centre.url, kiosk, "marriage-reg")
        for window in ("5", "32", "21", "5", "21"):
            requests.post(f"{centre.url}/v1/staff/windows/{window}/call-next", headers=staff,
                          timeout=10).raise_for_status()
        shots = []
        for name, size in (("centre_display_1920x1080.png", (1920, 1080)),
                           ("centre_display_portrait_1080x1920.png", (1080, 1920))):
            driver = chromium(*size)
            try:
                driver.get(f"{centre.url}/display")
                time.sleep(1.5)
                driver.save_screenshot(str(out / name))
                shots.append(name)
            finally:
                driver.quit()
        driver = chromium(375, 667, mobile=True)
        try:
            driver.get(mine["track_url"])
            time.sleep(1.0)
            driver.save_screenshot(str(out / "centre_phone_ticket_waiting_375x667.png"))
            requests.post(f"{centre.url}/v1/staff/windows/21/call-next", headers=staff,
                          timeout=10).raise_for_status()
            requests.post(f"{centre.url}/v1/staff/windows/21/call-next", headers=staff,
                          timeout=10).raise_for_status()
            time.sleep(1.5)
            driver.save_screenshot(str(out / "centre_phone_ticket_called_375x667.png"))
            shots += ["centre_phone_ticket_waiting_375x667.png",
                      "centre_phone_ticket_called_375x667.png"]
        finally:
            driver.quit()
        shots.append(appointment_shot(centre, out))
        shots += report_shots(centre, out)
    for name in shots:
        print(out / name)
    return 0


def appointment_shot(centre: Any, out: Path) -> str:
    """An appointment checked in before its slot: its slot, and that it moves up then."""
    booked = requests.post(f"{centre.url}/v1/staff/appointments", json={
        "matter_id": "marriage-reg", "day": centre.clock.when.date().isoformat(),
        "slot": "11:00"}, headers=centre.staff_headers(), timeout=10)
    booked.raise_for_status()
    take(centre.url, centre.kiosk_headers(), "marriage-reg")  # a walk-in ahead of it for now
    ticket = take(centre.url, centre.kiosk_headers(), "marriage-reg",
                  appointment_code=booked.json()["code"])
    name = "centre_phone_ticket_appointment_375x667.png"
    driver = chromium(375, 667, mobile=True)
    try:
        driver.get(ticket["track_url"])
        time.sleep(1.0)
        driver.save_screenshot(str(out / name))
    finally:
        driver.quit()
    return name


def report_shots(centre: Any, out: Path) -> list[str]:
    """A report's progress page on a phone: under way, then answered (the receipt's QR)."""
    staff = centre.staff_headers()
    receipt = requests.post(
        f"{centre.url}/v1/reports", timeout=30,
        json={"matter_id": "marriage-reg", "situation": "not_accepted",
              "description": "材料齐全但窗口不予受理", "phone": "13800138000"},
        headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex})
    receipt.raise_for_status()
    no = receipt.json()["tracking_no"]

    def step(action: str, body: dict[str, str]) -> None:
        requests.post(f"{centre.url}/v1/staff/reports/{no}/{action}", json=body, headers=staff,
                      timeout=30).raise_for_status()

    names = []
    driver = chromium(375, 667, mobile=True)
    try:
        step("accept", {})
        step("classify", {"kind": "hard", "complexity": "ordinary"})
        step("dispatch", {"unit": "区民政局"})
        driver.get(receipt.json()["progress_url"])
        driver.save_screenshot(str(out / "centre_phone_report_dispatched_375x667.png"))
        step("resolve", {"resolution": "已与民政核实"})
        step("answer", {"answer": "经核实，您的材料齐全，已安排容缺受理。请于三个工作日内携带身份证"
                                  "原件到3楼C区21号窗口补交照片。如有疑问请拨打 12345 热线。"})
        deadline = time.monotonic() + 10  # the open page shows the answer by itself (live)
        while time.monotonic() < deadline and not driver.find_elements("id", "answer"):
            time.sleep(0.1)
        driver.save_screenshot(str(out / "centre_phone_report_answered_375x667.png"))
        driver.get(f"{centre.url}/r/{no}")  # typed by hand: the page asks for the code
        driver.save_screenshot(str(out / "centre_phone_report_code_375x667.png"))
        names += ["centre_phone_report_dispatched_375x667.png",
                  "centre_phone_report_answered_375x667.png",
                  "centre_phone_report_code_375x667.png"]
    finally:
        driver.quit()
    return names


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
