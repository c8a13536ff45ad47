"""Debian's headless Chromium under Selenium, for the desk's browser tests and screenshots.

Playwright's own browser download cannot work in halls' networks (nor here), so this drives
the system's ``chromium`` through the system's ``chromedriver`` (apt: chromium,
chromium-driver); Selenium is in the ``test`` extra.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def chromium_available() -> bool:
    return shutil.which(CHROMIUM) is not None and shutil.which(CHROMEDRIVER) is not None


def headless_chromium(width: int = 1366, height: int = 768, *, mobile: bool = False) -> Any:
    """A new headless Chromium at ``width``×``height`` CSS pixels (``mobile``: a phone)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-extensions", "--lang=zh-CN",
                "--force-device-scale-factor=1", "--hide-scrollbars",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium's sandbox refuses to run as root
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    viewport(driver, width, height, mobile=mobile)
    return driver


def viewport(driver: Any, width: int, height: int, *, mobile: bool = False) -> None:
    """Exactly this viewport (a headless window's size includes its invisible frame)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def click_and_load(driver: Any, element: Any, timeout_s: float = 15.0) -> None:
    """Click something that submits a form or follows a link, and wait for the new page.

    Without the wait a test may read the page it is leaving (a POST that takes longer)."""
    old = driver.find_element("tag name", "html")
    element.click()
    wait_for_new_page(driver, old, timeout_s)


def wait_for_new_page(driver: Any, old: Any, timeout_s: float = 15.0) -> None:
    """Wait until ``old`` (the previous page's root element) is gone and the new one loaded."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def gone(_driver: Any) -> bool:
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            # Chromium sometimes reports a node of the page just left this way instead.
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    WebDriverWait(driver, timeout_s).until(gone)
    WebDriverWait(driver, timeout_s).until(
        lambda d: d.execute_script("return document.readyState") == "complete")
