"""The desk's statistics and XLSX downloads over real HTTP, on SQLite and PostgreSQL.

One known morning is played through the real code paths (tickets taken at the kiosk API, called
and served through the calling state machine, reports worked through the desk's work orders,
help calls answered and cancelled, ratings given) with the test clock set to each moment, so
every waiting, service and response time is known to the second; the page, its charts and the
CSV and XLSX downloads must show exactly those figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser

import openpyxl
import pytest
import requests

from central.desk.accounts import Accounts
from central.desk.charts import BAR_SPAN_PCT, COLUMN_PLOT_PX, Bar, bar_chart, column_chart
from central.desk.helpcalls import HelpCalls
from central.desk.orders import WorkOrders
from central.desk.statistics import median, percentile
from central.testing import HALL_TZ

PASSWORD = "correct horse battery"
DAY = dt.date(2026, 11, 24)  # a Tuesday


def at(hh: int, mm: int, ss: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=HALL_TZ)


class Desk:
    """A person at the desk: a requests session logged in through the login form."""

    def __init__(self, centre, username: str) -> None:
        self.base = f"{centre.url}/desk"
        self.http = requests.Session()
        page = self.http.get(f"{self.base}/login", timeout=10)
        token = re.search(r'name="csrf" value="([^"]*)"', page.text)
        assert token
        answer = self.http.post(f"{self.base}/login", timeout=10, data={
            "csrf": token.group(1), "next": "/desk/inbox", "username": username,
            "password": PASSWORD})
        assert "/desk/inbox" in answer.url, answer.url

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.base}{path}", timeout=30)

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def people(centre) -> Accounts:
    accounts = Accounts(centre.service.db, centre.service.now)
    accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="李娜")
    accounts.add_staff("default", "duty1", PASSWORD, "duty", display_name="张伟")
    accounts.add_staff("default", "admin1", PASSWORD, "admin")
    accounts.add_staff("default", "civil1", PASSWORD, "unit", unit="区民政局")
    return accounts


@pytest.fixture
def desks(centre, people) -> Iterator[dict[str, Desk]]:
    opened: dict[str, Desk] = {}

    class Opener(dict):
        def __missing__(self, name: str) -> Desk:
            opened[name] = self[name] = Desk(centre, name)
            return opened[name]

    yield Opener()
    for desk in opened.values():
        desk.close()


def play_the_morning(centre, people) -> dict[str, str]:
    """Tue 24 Nov 2026 in the hall, minute by minute; returns the report numbers by name."""
    service, clock = centre.service, centre.clock
    calling = service.calling
    headers = {**centre.kiosk_headers()}

    def take(hh: int, mm: int, matter: str) -> None:
        clock.set(at(hh, mm))
        requests.post(f"{centre.url}/v1/tickets", json={"matter_id": matter}, timeout=10,
                      headers={**headers, "Idempotency-Key": uuid.uuid4().hex}
                      ).raise_for_status()

    calling.set_window("default", "1", ["birth-cert", "elderly-allowance"])
    take(9, 5, "birth-cert")           # T1
    take(9, 10, "birth-cert")          # T2
    clock.set(at(9, 15))
    calling.call_next("default", "1")  # T1 waited 10 min
    take(9, 20, "elderly-allowance")   # T3
    clock.set(at(9, 25))
    calling.call_next("default", "1")  # T1 served after 10 min; T2 waited 15 min
    clock.set(at(9, 28))
    calling.served("default", "1")     # T2 served after 3 min
    clock.set(at(9, 30))
    calling.call_next("default", "1")  # T3 waited 10 min
    calling.recall("default", "1")
    calling.recall("default", "1")
    clock.set(at(9, 33))
    calling.no_show("default", "1")    # T3 no-show
    take(10, 2, "birth-cert")          # T4: never called

    # 办不成事: one answered on time, one answered late, one open past its date, one open.
    orders = WorkOrders(service)
    clerk = people.staff_by_username("clerk1")
    assert clerk is not None
    clock.set(at(9, 40))
    numbers = {}
    for name, situation in (("on_time", "not_accepted"), ("late", "not_accepted"),
                            ("overdue", "repeated_visits"), ("open", "staff_attitude")):
        _s, receipt = service.submit_report(centre.kiosk_id, {
            "matter_id": "marriage-reg", "situation": situation, "description": "材料齐全仍不受理",
            "phone": "13800138000", "language": "zh"}, uuid.uuid4().hex, "default")
        numbers[name] = receipt["tracking_no"]
    for name, kind in (("on_time", "cannot"), ("late", "hard"), ("overdue", "hard")):
        orders.act(clerk, numbers[name], "accept", {})
        orders.act(clerk, numbers[name], "classify", {"kind": kind, "complexity": "ordinary"})
    yesterday = (DAY - dt.timedelta(days=1)).isoformat()
    with service.db.write() as tx:
        tx.execute("UPDATE reports SET promised_date = ? WHERE tracking_no IN (?, ?)",
                   (yesterday, numbers["late"], numbers["overdue"]))
    for name in ("on_time", "late"):
        orders.act(clerk, numbers[name], "dispatch", {"unit": "区民政局"})
        orders.act(clerk, numbers[name], "resolve", {"resolution": "已办结"})
        orders.act(clerk, numbers[name], "answer", {"answer": "已答复"})

    # Help calls: answered after 90 s and after 4 min; one cancelled at the kiosk.
    calls = HelpCalls(service, orders, orders.notifier, escalate_after_s=3600)

    def help_call(hh: int, mm: int) -> str:
        clock.set(at(hh, mm))
        _s, made = service.call_help(centre.kiosk_id, {"location": "一楼自助区", "reason": "assist",
                                                       "language": "zh"}, uuid.uuid4().hex,
                                     "default")
        return str(made["id"])

    first = help_call(9, 0)
    clock.set(at(9, 1, 30))
    calls.coming(clerk, first)
    second = help_call(9, 40)
    clock.set(at(9, 44))
    calls.coming(clerk, second)
    third = help_call(11, 0)
    calls.cancel_by_kiosk(centre.kiosk_id, "default", third)

    # Ratings: 5, 5, 4, 3, 1 -> three of five in the top two levels.
    clock.set(at(11, 30))
    for level in (5, 5, 4, 3, 1):
        service.submit_evaluation(centre.kiosk_id, {"level": level, "reasons": []},
                                  uuid.uuid4().hex, "default")
    clock.set(at(12, 0))
    return numbers


class Svg(HTMLParser):
    """Each chart's bars as (label, data-value, width-or-height) from the page's inline SVG."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[tuple[str, float, float]]] = {}
        self._title: str | None = None
        self._in_title = False
        self._bar: tuple[str, float] | None = None
        self._kind = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self._kind = a.get("class", "")
            self._title = None
        elif tag == "title" and self._title is None:
            self._in_title = True
        elif tag == "g" and a.get("class") == "bar":
            self._bar = (a["data-label"], float(a["data-value"]))
        elif tag == "rect" and a.get("class") == "fill" and self._bar and self._title:
            size = (float(a["width"].rstrip("%")) if "bars" in self._kind
                    else float(a["height"]))
            self.charts.setdefault(self._title, []).append((*self._bar, size))

    def handle_data(self, data):
        if self._in_title:
            self._title = data
            self.charts.setdefault(data, [])
            self._in_title = False


def charts_of(html: str) -> dict[str, list[tuple[str, float, float]]]:
    parser = Svg()
    parser.feed(html)
    return parser.charts


def test_percentile_is_nearest_rank():
    assert percentile([], 90) is None
    assert percentile([600.0, 900.0, 600.0], 90) == 900.0
    assert percentile([float(i) for i in range(1, 11)], 90) == 9.0
    assert percentile([float(i) for i in range(1, 101)], 90) == 90.0


def test_a_bar_is_as_long_as_its_number_and_the_chart_says_it_in_words():
    svg = str(bar_chart("事项 Matters", [Bar("出生证明", 30, "Birth"), Bar("婚姻<登记>", 12)]))
    bars = charts_of(svg)["事项 Matters"]
    # Axis end: 50 (the next 1-2-2.5-5 step above 30); widths are that share of the span.
    assert bars == [("出生证明", 30.0, pytest.approx(30 / 50 * BAR_SPAN_PCT, abs=1e-3)),
                    ("婚姻<登记>", 12.0, pytest.approx(12 / 50 * BAR_SPAN_PCT, abs=1e-3))]
    assert 'role="img"' in svg and "<desc" in svg and "出生证明 30；婚姻&lt;登记&gt; 12" in svg
    assert "<登记>" not in svg  # labels are escaped
    columns = charts_of(str(column_chart("时 Hours", [Bar("09", 4), Bar("10", 0),
                                                      Bar("11", 1)])))["时 Hours"]
    assert [c[2] for c in columns] == [pytest.approx(4 / 5 * COLUMN_PLOT_PX), 0.0,
                                       pytest.approx(1 / 5 * COLUMN_PLOT_PX)]


def test_the_figures_of_a_known_morning(centre, people, desks):
    numbers = play_the_morning(centre, people)
    duty = desks["duty1"]
    page = duty.get("/stats?period=2026-11-24")
    assert page.status_code == 200, page.text[:300]
    html = page.text
    figure = {m.group(1): m.group(2) for m in re.finditer(
        r'id="fig-([a-z0-9-]+)">([^<]*)<', html)}
    assert figure == {"tickets": "4", "wait": "10.0", "wait-p90": "15.0", "service": "6.5",
                      "service-p90": "10.0", "reports": "4", "on-time": "33.3%", "help": "3",
                      "help-response": "2.8", "satisfaction": "60.0%"}
    charts = charts_of(html)
    hours = {label: (value, height) for label, value, height in
             charts["取号（按小时） Tickets by hour"]}
    assert hours["09"][0] == 3 and hours["10"][0] == 1 and hours["11"][0] == 0
    assert hours["09"][1] == pytest.approx(3 / 5 * COLUMN_PLOT_PX)  # axis end 5
    assert hours["10"][1] == pytest.approx(1 / 5 * COLUMN_PLOT_PX) and hours["11"][1] == 0
    matters = charts["取号（按事项） Tickets by matter"]
    assert [(m[0], m[1]) for m in matters] == [("出生医学证明办理", 3), ("高龄津贴申领", 1)]
    kinds = {k: v for k, v, _w in charts["办不成事（按类别） Reports by kind"]}
    assert kinds == {"不能办": 1, "不好办": 2, "不给办": 0, "暂时办不了": 0, "未分类": 1}
    situations = {k: v for k, v, _w in charts["办不成事（按情形） Reports by situation"]}
    assert situations["申请未被受理"] == 2 and situations["多次跑腿仍未办成"] == 1
    assert situations["工作人员推诿或态度问题"] == 1 and situations["其他"] == 0
    ratings = {k: v for k, v, _w in charts["好差评（按等级） Ratings by level"]}
    assert ratings == {"非常满意": 2, "满意": 1, "基本满意": 1, "不满意": 0, "非常不满意": 1}
    # The numbers are in tables too (not only in the drawings).
    assert re.search(r"<td>09:00–10:00</td><td class=\"num\">3</td>", html)
    assert "超期未答复" in html and numbers  # the on-time table names each outcome
    assert re.search(r'id="table-report-matters">.*<td>婚姻登记</td><td>Marriage registration'
                     r'</td><td class="num">4</td>', html, re.S)

    # The month shows the same day among its 30, and the day chart.
    month = duty.get("/stats?period=2026-11").text
    days = {label: value for label, value, _h in charts_of(month)["取号（按日） Tickets by day"]}
    assert len(days) == 30 and days["24"] == 4 and sum(days.values()) == 4
    empty = duty.get("/stats?period=2026-10").text
    assert 'id="fig-tickets">0<' in empty and 'id="fig-on-time">—<' in empty


def test_the_downloads_hold_the_same_figures(centre, people, desks):
    play_the_morning(centre, people)
    admin = desks["admin1"]
    text = admin.get("/stats.csv?period=2026-11-24")
    assert text.headers["content-type"].startswith("text/csv")
    assert "stats-default-2026-11-24.csv" in text.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    summary = {r[1]: r[2] for r in rows if len(r) == 3}
    assert summary["Tickets issued"] == "4" and summary["Median wait (min)"] == "10.0"
    assert summary["90th percentile wait (min)"] == "15.0"
    assert summary["On-time rate"] == "33.3" and summary["Satisfied (top two levels)"] == "60.0"
    assert summary["Median response (min)"] == "2.8" and summary["Cancelled at the kiosk"] == "1"

    answer = admin.get("/stats.xlsx?period=2026-11-24")
    assert answer.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True)
    assert book.sheetnames[:3] == ["概况 Summary", "按事项 By matter", "按小时 By hour"]
    sheet = {r[1]: r[2] for r in book["概况 Summary"].iter_rows(min_row=2, values_only=True)}
    assert sheet["Tickets issued"] == 4 and sheet["Median service time (min)"] == 6.5
    assert sheet["On-time rate"] == 33.3 and sheet["Ratings"] == 5
    kinds = {r[0]: r[2] for r in book["反映类别 Kinds"].iter_rows(min_row=2, values_only=True)}
    assert kinds == {"不能办": 1, "不好办": 2, "不给办": 0, "暂时办不了": 0, "未分类": 1}
    by_matter = list(book["按事项 By matter"].iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[3], r[4], r[5], r[6]) for r in by_matter] == [(3, 2, 0, 12.5, 15.0),
                                                                    (1, 0, 1, 10.0, 10.0)]
    # Native charts drawn by the spreadsheet from the cells (08:00 to 18:00: rows 2 to 12).
    with zipfile.ZipFile(io.BytesIO(answer.content)) as package:
        drawn = [package.read(n).decode() for n in package.namelist()
                 if n.startswith("xl/charts/chart")]
    assert len(drawn) == 5
    assert any("'按小时 By hour'!$B$2:$B$12" in c and "<c:barDir val=\"col\"/>" in c
               for c in drawn)


def test_only_the_duty_officer_and_the_admin_see_statistics(centre, people, desks):
    for name in ("clerk1", "civil1"):
        desk = desks[name]
        for path in ("/stats", "/stats.csv?period=2026-11", "/stats.xlsx?period=2026-11",
                     "/ledger.xlsx?month=2026-11"):
            assert desk.get(path).status_code == 403, (name, path)
        assert 'id="nav-stats"' not in desk.get("/inbox").text
    for name in ("duty1", "admin1"):
        page = desks[name].get("/inbox").text
        assert 'id="nav-stats"' in page
        assert desks[name].get("/stats").status_code == 200
    assert desks["duty1"].get("/stats?period=2026-13").status_code == 422
    assert desks["duty1"].get("/stats?period=x").status_code == 422
    anonymous = requests.get(f"{centre.url}/desk/stats.xlsx", timeout=10)
    assert "/desk/login" in anonymous.url and anonymous.headers["content-type"].startswith(
        "text/html")


def test_the_monthly_ledger_downloads_as_xlsx_a_clerk_can_read(centre, people, desks):
    numbers = play_the_morning(centre, people)
    orders = WorkOrders(centre.service)
    clerk = people.staff_by_username("clerk1")
    orders.act(clerk, numbers["open"], "accept", {})
    orders.act(clerk, numbers["open"], "classify", {"kind": "not_yet", "complexity": "simple"})
    orders.act(clerk, numbers["open"], "dispatch", {"unit": "区民政局"})
    orders.act(clerk, numbers["open"], "resolve", {"resolution": '=HYPERLINK("http://x")'})
    duty = desks["duty1"]
    answer = duty.get("/ledger.xlsx?month=2026-11")
    assert answer.status_code == 200
    assert "ledger-default-2026-11.xlsx" in answer.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    sheet = book["台账 2026-11"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(WorkOrders.LEDGER_COLUMNS)
    by_no = {r[0]: r for r in rows[1:]}
    assert set(by_no) == set(numbers.values())
    on_time, late = by_no[numbers["on_time"]], by_no[numbers["late"]]
    assert on_time[2] == "申请未被受理" and on_time[4] == "不能办" and on_time[14] == "是"
    assert late[4] == "不好办" and late[14] == "否" and late[12] == "已答复"
    assert by_no[numbers["overdue"]][14] == "否（超期未答复）"
    assert on_time[3] == "婚姻登记" and on_time[8] == "李娜" and on_time[15] == "138****8000"
    formula = sheet.cell(row=rows.index(by_no[numbers["open"]]) + 1, column=12)
    assert formula.value == '=HYPERLINK("http://x")' and formula.data_type == "s"
    cells = " ".join(str(v) for r in rows for v in r if v is not None)
    assert "13800138000" not in cells and "材料齐全仍不受理" not in cells
    assert sheet.freeze_panes == "A2"
    assert duty.get("/ledger.xlsx?month=2026-11-01").status_code == 422
    empty = openpyxl.load_workbook(io.BytesIO(duty.get("/ledger.xlsx?month=2026-12").content))
    assert [[c.value for c in r] for r in empty.active.iter_rows()] == [
        list(WorkOrders.LEDGER_COLUMNS)]


def test_a_transferred_ticket_waited_once_and_was_served_at_its_last_window(centre, people,
                                                                          desks):
    clock, calling = centre.clock, centre.service.calling
    calling.set_window("default", "1", ["birth-cert"])
    calling.set_window("default", "2", ["elderly-allowance"])
    clock.set(at(9, 0))
    requests.post(f"{centre.url}/v1/tickets", json={"matter_id": "birth-cert"}, timeout=10,
                  headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex}
                  ).raise_for_status()
    clock.set(at(9, 10))
    calling.call_next("default", "1")  # first call: waited 10 min
    clock.set(at(9, 12))
    calling.transfer("default", "1", to_matter="elderly-allowance")
    clock.set(at(9, 30))
    calling.call_next("default", "2")  # called again at the other matter's window
    clock.set(at(9, 40))
    calling.served("default", "2")  # 10 min there
    page = desks["duty1"].get("/stats?period=2026-11-24").text
    assert 'id="fig-wait">10.0<' in page and 'id="fig-service">10.0<' in page
    assert 'id="fig-tickets">1<' in page


def test_the_demo_hall_has_weeks_of_history_to_draw_but_nothing_of_today(centre):
    from central.desk.demo import HISTORY_WORKING_DAYS, seed_desk_demo, seed_statistics_history
    from central.desk.statistics import Period, Statistics

    seed_desk_demo(centre.service, "default", centre.kiosk_id)
    numbers = Statistics(centre.service, WorkOrders(centre.service))
    with centre.service.db.read() as tx:
        days = tx.all("SELECT day, COUNT(*) AS n FROM tickets GROUP BY day ORDER BY day")
    assert len(days) == HISTORY_WORKING_DAYS and DAY.isoformat() not in [d["day"] for d in days]
    assert all(40 <= d["n"] <= 110 for d in days), days
    month = numbers.figures("default", Period.parse("2026-11"))
    assert month.tickets == sum(d["n"] for d in days if d["day"].startswith("2026-11"))
    assert median(month.waits_s) and percentile(month.services_s, 90)
    hours = dict(month.by_hour)
    assert hours[10] > hours[12] < hours[14]  # the morning rush, the lunch lull
    assert month.satisfaction is not None and month.help["answered"] == month.help["calls"] - 1
    today = numbers.figures("default", Period.parse(DAY.isoformat()))
    assert today.tickets == 0 and today.reports == 4 and today.help["calls"] == 1
    # A second instance starting on the same database at the same moment writes nothing twice.
    assert seed_statistics_history(centre.service, "default", centre.kiosk_id, "x") == 0
    with centre.service.db.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM tickets") == sum(d["n"] for d in days)


def test_a_duty_officer_of_another_hall_sees_none_of_this_halls_figures(centre, people):
    play_the_morning(centre, people)
    people.add_staff("north", "north-duty", PASSWORD, "duty")
    north = Desk(centre, "north-duty")
    try:
        page = north.get("/stats?period=2026-11-24").text
        for figure in ("tickets", "reports", "help"):
            assert f'id="fig-{figure}">0<' in page
        assert 'id="fig-satisfaction">—<' in page
        rows = list(csv.reader(io.StringIO(
            north.get("/stats.csv?period=2026-11").content.decode("utf-8-sig"))))
        assert {r[1]: r[2] for r in rows if len(r) == 3}["Tickets issued"] == "0"
    finally:
        north.close()
