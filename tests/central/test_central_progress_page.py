"""The report receipt's QR code page, /r/{tracking_no}?c={check_code}, on both engines.

No login: the check code opens it; a wrong code and an unknown number get the same page; wrong
guesses run out per client address and per number (different loopback addresses stand for
different phones); nothing that names the citizen is on it.
"""

from __future__ import annotations

import http.client
import re
import uuid
from urllib.parse import urlsplit

import pytest
import requests

from central.testing import demo_config, running_centre
from central.web import report_words
from central.web.progress import GuessLimiter, mask_personal

PHONE = "13800138000"
REPORT = {"matter_id": "marriage-reg", "situation": "not_accepted",
          "description": "材料齐全但窗口不予受理", "phone": PHONE}


def submit(kiosk_http, centre) -> dict:
    r = kiosk_http.post(f"{centre.url}/v1/reports", json=REPORT,
                        headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def get(url: str, source: str = "127.0.0.1") -> tuple[int, str, dict[str, str]]:
    """GET from a chosen loopback address: the centre sees another client (another phone)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10,
                                      source_address=(source, 0))
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        answer = conn.getresponse()
        return (answer.status, answer.read().decode(),
                {k.lower(): v for k, v in answer.getheaders()})
    finally:
        conn.close()


def visible(html: str) -> str:
    """The page's text as a reader sees it (tags dropped, space squeezed)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10000:04d}"


def test_the_receipt_points_at_the_page_with_its_check_code(centre, kiosk_http):
    receipt = submit(kiosk_http, centre)
    expected = f"{centre.url}/r/{receipt['tracking_no']}?c={receipt['check_code']}"
    assert receipt["progress_url"] == expected
    assert receipt["tracking_url"] == expected  # the demo hall names no page of its own: ours


def test_the_right_code_shows_the_steps_the_promise_then_the_answer(centre, kiosk_http,
                                                                    staff_http):
    receipt = submit(kiosk_http, centre)
    no, code = receipt["tracking_no"], receipt["check_code"]
    status, html, headers = get(receipt["progress_url"])  # no token: a phone scanning the QR
    assert status == 200
    assert headers["cache-control"] == "no-store" and headers["referrer-policy"] == "no-referrer"
    page = visible(html)
    assert no in page
    assert "当前进度：已收到，等待受理" in page and "Now: received, waiting to be accepted" in page
    assert "将在2026年12月1日前答复您" in page and "answer by 1 Dec 2026" in page
    assert page.index("受理") < page.index("分类") < page.index("转办") < page.index("办结")
    assert 'http-equiv="refresh" content="60"' in html  # not yet answered: it looks again
    # Nothing personal: not the phone (nor masked), the text, the situation, the code itself.
    for secret in (PHONE, "8000", REPORT["description"], "未被受理", code):
        assert secret not in page.replace(no, ""), secret

    base = f"{centre.url}/v1/staff/reports/{no}"
    staff_http.post(f"{base}/accept", json={}).raise_for_status()
    staff_http.post(f"{base}/classify", json={"kind": "hard", "complexity": "complex"}
                    ).raise_for_status()
    staff_http.post(f"{base}/dispatch", json={"unit": "区民政局"}).raise_for_status()
    page = visible(get(receipt["progress_url"])[1])
    assert "当前进度：已转办，正在办理" in page and "下一步：办结" in page
    assert "将在2026年12月8日前答复您" in page  # the classification moved the promise
    assert "区民政局" not in page  # which office has it is the desk's business

    staff_http.post(f"{base}/resolve", json={"resolution": "内部处理意见"}).raise_for_status()
    staff_http.post(f"{base}/answer", json={
        "answer": "已容缺受理，请补交照片。联系人电话 13912345678，身份证 410105199001011234。"}
                    ).raise_for_status()
    status, html, _ = get(receipt["progress_url"])
    page = visible(html)
    assert status == 200 and "当前进度：已答复" in page
    assert "已容缺受理，请补交照片" in page and "答复内容" in page and "Answer" in page
    assert "139****5678" in page and "13912345678" not in page  # numbers in the answer masked
    assert "410105********1234" in page and "199001011234" not in page
    assert "内部处理意见" not in page
    assert "前答复您" not in page and "refresh" not in html  # answered: nothing to wait for


def test_a_wrong_code_and_an_unknown_number_get_the_same_page(centre, kiosk_http):
    receipt = submit(kiosk_http, centre)
    no, code = receipt["tracking_no"], receipt["check_code"]
    unknown = "R000000000001" if no != "R000000000001" else "R000000000002"
    status_w, wrong_page, headers_w = get(f"{centre.url}/r/{no}?c={wrong(code)}")
    status_u, unknown_page, headers_u = get(f"{centre.url}/r/{unknown}?c={wrong(code)}")
    assert status_w == status_u == 404
    # The number typed is echoed in the form to try again; apart from it, byte for byte alike.
    assert wrong_page.replace(no, "R?") == unknown_page.replace(unknown, "R?")
    assert {k: v for k, v in headers_w.items() if k not in ("date", "content-length")} \
        == {k: v for k, v in headers_u.items() if k not in ("date", "content-length")}
    assert "没有查到反映记录，请核对回执编号和查询码" in visible(wrong_page)
    assert "当前进度" not in wrong_page and "答复期限" not in wrong_page
    # Without a code the page asks for it, for any number alike.
    status, html, _ = get(f"{centre.url}/r/{no}")
    assert status == 200 and 'name="c"' in html and "当前进度" not in html
    assert get(f"{centre.url}/r/{unknown}")[1].replace(unknown, "R?") == html.replace(no, "R?")
    # A code of the wrong shape or a number of the wrong shape: the same not-found page.
    assert get(f"{centre.url}/r/{no}?c=12")[0] == 404
    assert get(f"{centre.url}/r/hello?c={code}")[0] == 404


def test_wrong_guesses_run_out_per_address_even_for_the_right_code(centre, kiosk_http):
    receipt = submit(kiosk_http, centre)
    no, code = receipt["tracking_no"], receipt["check_code"]
    address = "127.0.0.7"
    for _ in range(10):  # ten misses: wrong codes and unknown numbers alike
        assert get(f"{centre.url}/r/{no}?c={wrong(code)}", address)[0] == 404
    status, html, headers = get(receipt["progress_url"], address)
    assert status == 429 and int(headers["retry-after"]) > 0
    assert "查询次数太多" in visible(html) and "Too many tries" in visible(html)
    assert "当前进度" not in html
    # Another phone in the hall is not held back by this one.
    assert get(receipt["progress_url"], "127.0.0.8")[0] == 200


def test_many_addresses_cannot_share_out_one_numbers_codes(centre, kiosk_http):
    receipt = submit(kiosk_http, centre)
    no, code = receipt["tracking_no"], receipt["check_code"]
    unknown = "R000000000001" if no != "R000000000001" else "R000000000002"
    for target in (no, unknown):  # a number that does not exist locks the same way: no oracle
        answers = [get(f"{centre.url}/r/{target}?c={wrong(code)}", f"127.0.1.{i // 5 + 1}")[0]
                   for i in range(20)]  # four addresses, five misses each
        assert answers == [404] * 20
        assert get(f"{centre.url}/r/{target}?c={wrong(code)}", "127.0.2.1")[0] == 429
    assert get(receipt["progress_url"], "127.0.2.2")[0] == 429
    other = submit(kiosk_http, centre)  # other numbers stay open
    assert get(other["progress_url"], "127.0.2.2")[0] == 200


def test_every_request_spends_the_public_pages_allowance(centre, kiosk_http):
    receipt = submit(kiosk_http, centre)
    limiter = centre.server.config.app.state.public_limiter
    limiter.burst, limiter.per_s = 3, 0.01
    answers = [get(receipt["progress_url"], "127.0.3.1")[0] for _ in range(5)]
    assert answers[:3] == [200] * 3 and answers[3:] == [429, 429]


def test_a_hall_with_its_own_tracking_page_gets_number_and_code_filled_in(tmp_path):
    config = demo_config()
    config["hall"]["tracking_url"] = "https://hall.example/track/{tracking_no}?code={check_code}"
    with running_centre(tmp_path / "c.db", config=config) as centre, requests.Session() as s:
        s.headers.update(centre.kiosk_headers())
        receipt = submit(s, centre)
    no, code = receipt["tracking_no"], receipt["check_code"]
    assert receipt["tracking_url"] == f"https://hall.example/track/{no}?code={code}"
    assert receipt["progress_url"] == f"{centre.url}/r/{no}?c={code}"


@pytest.mark.parametrize(("text", "masked"), [
    ("请拨打13912345678联系", "请拨打139****5678联系"),
    ("身份证410105199001011234已核验", "身份证410105********1234已核验"),
    ("编号41010519900101123", "编号41010519900101123"),  # 17 digits: not an ID number
    ("旧证410105900101123", "旧证410105*****1123"),  # 15 digits: the first generation
    ("回执R123456789012和热线0371-65123456", "回执R123456789012和热线0371-65123456"),
])
def test_numbers_that_name_a_person_are_masked_in_the_answer(text, masked):
    assert mask_personal(text) == masked


def test_a_guess_limiter_refills():
    limiter = GuessLimiter(per_client=1, client_every_s=0.05, per_number=5, number_every_s=0.05)
    assert limiter.wait_s("a", "R1") == 0
    limiter.miss("a", "R1")
    assert 0 < limiter.wait_s("a", "R1") <= 0.05
    assert limiter.wait_s("b", "R1") == 0


def test_the_page_says_the_steps_as_the_kiosks_progress_screen_does():
    from kiosk.words import WORDS

    for step, pair in report_words.STEP_WORDS.items():
        assert WORDS[f"progress.step.{step}"] == pair
    for status, pair in report_words.NOW_WORDS.items():
        assert WORDS[f"progress.now.{status}"] == pair
    assert WORDS["progress.next_step"] == report_words.NEXT_STEP
    assert WORDS["progress.promised_words"] == report_words.PROMISED
    assert WORDS["progress.answer"] == report_words.ANSWER
