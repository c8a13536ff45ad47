"""Screenshots of the hall display (landscape and portrait) and a ticket's phone page.

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
    for name in shots:
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
