"""The hall's statistics (统计): one day or one month of tickets, waits, reports, help calls and
ratings, from the times the centre stored, drawn as server-side SVG and exportable.

Every figure comes from stored rows, none is estimated:

* tickets by matter, by hour of issue and (a month) by day: ``tickets`` (``day``, ``created_at``);
* waiting time = first call − issue (the first ``called`` row of ``ticket_events``; a ticket
  transferred and called again waited only once), service time = finished − last call of the
  tickets finished as served; median and 90th percentile (nearest rank);
* 办不成事 reports received in the period by the citizen's situation, by kind (不能办/不好办/
  不给办/暂时办不了, or not yet classified) and by matter;
* on-time rate of the work orders received in the period, as the monthly ledger says it:
  answered on or before the promised date ÷ (answered + open past the promised date); orders
  still open and not yet due are not counted either way;
* help calls: how many, answered with "I'm coming" and after how long, escalated, after hours,
  cancelled at the kiosk;
* satisfaction: the share of ratings in the top two of the five levels (非常满意, 满意).

Who sees them: the hall admin and the duty officer. Clerks and unit handlers do not: the page
compares windows and units (on-time rate, escalations) and is management information.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics as stats
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from markupsafe import Markup

from central.desk.charts import Bar, bar_chart, column_chart
from central.desk.exports import XLSX_TYPE, Cell, Sheet, csv_text, xlsx_bytes
from central.desk.orders import COMPLEXITIES, DeskProblem, WorkOrders
from central.desk.window import DeskKit
from central.ratings import SATISFIED_LEVELS, satisfaction_rate
from central.service import EVALUATION_LEVELS, REPORT_KINDS, SITUATIONS, CentralService

STATS_ROLES = ("duty", "admin")
PERIOD_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
UNCLASSIFIED = ("未分类", "Not yet classified")
NO_MATTER = ("未指明事项", "No matter named")
FIRST_HOUR, LAST_HOUR = 8, 18  # the hour chart always shows at least the working day


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of ``values``; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def median(values: list[float]) -> float | None:
    return stats.median(values) if values else None


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _seconds(start: str, end: str) -> float:
    return (dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)).total_seconds()


@dataclass(frozen=True)
class Period:
    """A day (YYYY-MM-DD) or a month (YYYY-MM) of the hall's calendar: [first, after)."""

    text: str
    first: dt.date
    after: dt.date

    @property
    def is_month(self) -> bool:
        return len(self.text) == 7

    @property
    def label(self) -> tuple[str, str]:
        if self.is_month:
            return (f"{self.first.year}年{self.first.month}月", self.first.strftime("%B %Y"))
        return (f"{self.first.year}年{self.first.month}月{self.first.day}日",
                self.first.strftime("%d %B %Y"))

    @property
    def month(self) -> str:
        return self.text[:7]

    @property
    def previous(self) -> str:
        if self.is_month:
            return (self.first - dt.timedelta(days=1)).strftime("%Y-%m")
        return (self.first - dt.timedelta(days=1)).isoformat()

    @property
    def next(self) -> str:
        return self.after.strftime("%Y-%m") if self.is_month else self.after.isoformat()

    @classmethod
    def parse(cls, text: str) -> Period:
        try:
            if not PERIOD_RE.match(text):
                raise ValueError(text)
            if len(text) == 7:
                first = dt.date.fromisoformat(f"{text}-01")
                return cls(text, first, (first + dt.timedelta(days=32)).replace(day=1))
            day = dt.date.fromisoformat(text)
            return cls(text, day, day + dt.timedelta(days=1))
        except ValueError as exc:
            raise DeskProblem("时段格式应为 YYYY-MM（月）或 YYYY-MM-DD（日）",
                              "The period is YYYY-MM (a month) or YYYY-MM-DD (a day)",
                              422) from exc


@dataclass
class Figures:
    """Everything the statistics page shows for one hall and period."""

    hall: str
    period: Period
    tickets: int = 0
    served: int = 0
    no_show: int = 0
    not_called: int = 0
    by_matter: list[dict[str, Any]] = field(default_factory=list)
    by_hour: list[tuple[int, int]] = field(default_factory=list)
    by_day: list[tuple[str, int]] = field(default_factory=list)
    waits_s: list[float] = field(default_factory=list)
    services_s: list[float] = field(default_factory=list)
    reports: int = 0
    by_situation: list[tuple[str, str, int]] = field(default_factory=list)
    by_kind: list[tuple[str, str, int]] = field(default_factory=list)
    reports_by_matter: list[tuple[str, str, int]] = field(default_factory=list)
    on_time: dict[str, int] = field(default_factory=dict)
    help: dict[str, int] = field(default_factory=dict)
    help_response_s: list[float] = field(default_factory=list)
    ratings: dict[int, int] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        due = self.on_time["on_time"] + self.on_time["late"] + self.on_time["open_overdue"]
        return None if not due else self.on_time["on_time"] / due

    @property
    def satisfaction(self) -> float | None:
        satisfied = sum(self.ratings.get(level, 0) for level in SATISFIED_LEVELS)
        return satisfaction_rate(satisfied, sum(self.ratings.values()))

    @property
    def ratings_total(self) -> int:
        return sum(self.ratings.values())


class Statistics:
    """Reads one period's figures; plain and synchronous (the routes run it in a thread)."""

    def __init__(self, service: CentralService, orders: WorkOrders) -> None:
        self.service = service
        self.db = service.db
        self.orders = orders

    def figures(self, hall: str, period: Period) -> Figures:
        out = Figures(hall, period)
        first, after = period.first.isoformat(), period.after.isoformat()
        today = self.service.now().date().isoformat()
        with self.db.read() as tx:
            tickets = tx.all(
                "SELECT id, matter_id, day, created_at, called_at, finished_at, status "
                "FROM tickets WHERE hall_id = ? AND day >= ? AND day < ?", (hall, first, after))
            first_calls = {r["ticket_id"]: r["at"] for r in tx.all(
                "SELECT ticket_id, MIN(at) AS at FROM ticket_events WHERE hall_id = ? AND "
                "day >= ? AND day < ? AND kind = 'called' GROUP BY ticket_id",
                (hall, first, after))}
            report_range = (hall, first, after)
            situations = tx.all("SELECT situation, COUNT(*) AS n FROM reports WHERE hall_id = ? "
                                "AND created_at >= ? AND created_at < ? GROUP BY situation",
                                report_range)
            kinds = tx.all("SELECT kind, COUNT(*) AS n FROM reports WHERE hall_id = ? "
                           "AND created_at >= ? AND created_at < ? GROUP BY kind", report_range)
            report_matters = tx.all(
                "SELECT matter_id, COUNT(*) AS n FROM reports WHERE hall_id = ? "
                "AND created_at >= ? AND created_at < ? GROUP BY matter_id", report_range)
            on_time = tx.one(
                "SELECT COUNT(*) AS received, "
                "SUM(CASE WHEN a.at IS NOT NULL AND substr(a.at, 1, 10) <= r.promised_date "
                "THEN 1 ELSE 0 END) AS on_time, "
                "SUM(CASE WHEN a.at IS NOT NULL AND substr(a.at, 1, 10) > r.promised_date "
                "THEN 1 ELSE 0 END) AS late, "
                "SUM(CASE WHEN a.at IS NULL AND r.promised_date < ? THEN 1 ELSE 0 END) "
                "AS open_overdue, "
                "SUM(CASE WHEN a.at IS NULL AND r.promised_date >= ? THEN 1 ELSE 0 END) "
                "AS open_in_time "
                "FROM reports r LEFT JOIN report_steps a ON a.tracking_no = r.tracking_no "
                "AND a.step = 'answered' WHERE r.hall_id = ? AND r.created_at >= ? "
                "AND r.created_at < ?", (today, today, *report_range))
            calls = tx.all("SELECT created_at, coming_at, escalated_at, after_hours, closed_by, "
                           "status FROM help_calls WHERE hall_id = ? AND created_at >= ? "
                           "AND created_at < ?", report_range)
            levels = tx.all("SELECT level, COUNT(*) AS n FROM evaluations WHERE hall_id = ? "
                            "AND created_at >= ? AND created_at < ? GROUP BY level",
                            report_range)
        self._tickets(out, tickets, first_calls)
        out.reports = sum(int(r["n"]) for r in situations)
        counts = {r["situation"]: int(r["n"]) for r in situations}
        out.by_situation = [(zh, en, counts.pop(key, 0)) for key, (zh, en) in SITUATIONS.items()]
        out.by_situation += [(key, key, n) for key, n in sorted(counts.items())]
        kind_counts = {r["kind"]: int(r["n"]) for r in kinds}
        out.by_kind = [(zh, en, kind_counts.get(key, 0)) for key, (zh, en) in REPORT_KINDS.items()]
        out.by_kind.append((*UNCLASSIFIED, kind_counts.get(None, 0)))
        named = [(*self._matter(hall, r["matter_id"]), int(r["n"])) for r in report_matters]
        out.reports_by_matter = sorted(named, key=lambda m: (-m[2], m[0]))
        row = on_time or {}
        out.on_time = {k: int(row.get(k) or 0) for k in ("received", "on_time", "late",
                                                          "open_overdue", "open_in_time")}
        out.help = {"calls": len(calls),
                    "answered": sum(1 for c in calls if c["coming_at"]),
                    "escalated": sum(1 for c in calls if c["escalated_at"]),
                    "after_hours": sum(1 for c in calls if c["after_hours"]),
                    "cancelled": sum(1 for c in calls if c["closed_by"] == "kiosk"),
                    "unanswered": sum(1 for c in calls if not c["coming_at"])}
        out.help_response_s = [_seconds(c["created_at"], c["coming_at"]) for c in calls
                               if c["coming_at"]]
        out.ratings = {int(r["level"]): int(r["n"]) for r in levels}
        return out

    def _tickets(self, out: Figures, rows: list[dict[str, Any]],
                 first_calls: dict[str, str]) -> None:
        per_matter: dict[str, dict[str, Any]] = {}
        hours: dict[int, int] = {}
        days: dict[str, int] = {}
        for t in rows:
            m = per_matter.setdefault(t["matter_id"], {"count": 0, "served": 0, "no_show": 0,
                                                       "waits": [], "services": []})
            m["count"] += 1
            hour = int(t["created_at"][11:13])
            hours[hour] = hours.get(hour, 0) + 1
            days[t["day"]] = days.get(t["day"], 0) + 1
            called = first_calls.get(t["id"]) or t["called_at"]
            if called:
                wait = _seconds(t["created_at"], called)
                m["waits"].append(wait)
                out.waits_s.append(wait)
            else:
                out.not_called += 1
            if t["status"] == "served":
                m["served"] += 1
                out.served += 1
                if t["called_at"] and t["finished_at"]:
                    spent = _seconds(t["called_at"], t["finished_at"])
                    m["services"].append(spent)
                    out.services_s.append(spent)
            elif t["status"] == "no_show":
                m["no_show"] += 1
                out.no_show += 1
        out.tickets = len(rows)
        hall = out.hall
        matters = []
        for matter_id, m in per_matter.items():
            zh, en = self._matter(hall, matter_id)
            matters.append({"id": matter_id, "name": zh, "name_en": en, "count": m["count"],
                            "served": m["served"], "no_show": m["no_show"],
                            "wait_median_s": median(m["waits"]),
                            "wait_p90_s": percentile(m["waits"], 90),
                            "service_median_s": median(m["services"]),
                            "service_p90_s": percentile(m["services"], 90)})
        out.by_matter = sorted(matters, key=lambda m: (-m["count"], m["name"]))
        low = min([FIRST_HOUR, *hours])
        high = max([LAST_HOUR, *hours])
        out.by_hour = [(h, hours.get(h, 0)) for h in range(low, high + 1)]
        if out.period.is_month:
            day = out.period.first
            while day < out.period.after:
                out.by_day.append((day.isoformat(), days.get(day.isoformat(), 0)))
                day += dt.timedelta(days=1)

    def _matter(self, hall: str, matter_id: str | None) -> tuple[str, str]:
        if not matter_id:
            return NO_MATTER
        return self.orders._matter_name(hall, matter_id) or (matter_id, matter_id)


# -- what the page and the downloads show --------------------------------------------------
def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _min_text(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def summary_rows(f: Figures) -> list[tuple[str, str, Cell]]:
    """(中文, English, value) for the summary table and the first sheet of the downloads."""
    rate = f.on_time_rate
    sat = f.satisfaction
    return [
        ("取号数", "Tickets issued", f.tickets),
        ("已办结（叫号后办理）", "Served", f.served),
        ("过号", "No-shows", f.no_show),
        ("未叫号", "Not called", f.not_called),
        ("等候时间中位数（分钟）", "Median wait (min)", minutes(median(f.waits_s))),
        ("等候时间90分位（分钟）", "90th percentile wait (min)", minutes(percentile(f.waits_s, 90))),
        ("办理时间中位数（分钟）", "Median service time (min)", minutes(median(f.services_s))),
        ("办理时间90分位（分钟）", "90th percentile service time (min)",
         minutes(percentile(f.services_s, 90))),
        ("办不成事反映", "办不成事 reports", f.reports),
        ("按期答复", "Answered on time", f.on_time["on_time"]),
        ("超期答复", "Answered late", f.on_time["late"]),
        ("超期未答复", "Open past the promised date", f.on_time["open_overdue"]),
        ("办理中（未到期）", "Open, not yet due", f.on_time["open_in_time"]),
        ("按期答复率", "On-time rate", None if rate is None else round(rate * 100, 1)),
        *help_rows(f),
        ("评价数", "Ratings", f.ratings_total),
        ("满意率（前两级）", "Satisfied (top two levels)", None if sat is None
         else round(sat * 100, 1)),
    ]


def help_rows(f: Figures) -> list[tuple[str, str, Cell]]:
    """The help calls' figures (a table of their own on the page, part of the summary)."""
    return [
        ("求助呼叫", "Help calls", f.help["calls"]),
        ("已响应（我来了）", "Answered (I'm coming)", f.help["answered"]),
        ("响应时间中位数（分钟）", "Median response (min)", minutes(median(f.help_response_s))),
        ("响应时间90分位（分钟）", "90th percentile response (min)",
         minutes(percentile(f.help_response_s, 90))),
        ("超时提级", "Escalated (unanswered)", f.help["escalated"]),
        ("非工作时间", "Outside staffed hours", f.help["after_hours"]),
        ("群众在终端取消", "Cancelled at the kiosk", f.help["cancelled"]),
    ]


def sheets(f: Figures) -> list[Sheet]:
    """The same figures as the page, as tables for CSV and XLSX."""
    zh, en = f.period.label
    out = [Sheet("概况 Summary", ("指标", "Figure", "数值 Value"),
                 [list(r) for r in summary_rows(f)], f"统计 Statistics {zh} / {en} · {f.hall}",
                 key="summary")]
    out.append(Sheet("按事项 By matter",
                     ("事项", "Matter", "取号 Tickets", "办结 Served", "过号 No-shows",
                      "等候中位数(分) Median wait (min)", "等候90分位(分) P90 wait (min)",
                      "办理中位数(分) Median service (min)", "办理90分位(分) P90 service (min)"),
                     [[m["name"], m["name_en"], m["count"], m["served"], m["no_show"],
                       minutes(m["wait_median_s"]), minutes(m["wait_p90_s"]),
                       minutes(m["service_median_s"]), minutes(m["service_p90_s"])]
                      for m in f.by_matter], "取号（按事项） Tickets by matter", ("bar", 2), key="matters"))
    out.append(Sheet("按小时 By hour", ("时段 Hour", "取号 Tickets"),
                     [[f"{h:02d}:00–{h + 1:02d}:00", n] for h, n in f.by_hour],
                     "取号（按小时） Tickets by hour of issue", ("column", 1), key="hours"))
    if f.period.is_month:
        out.append(Sheet("按日 By day", ("日期 Day", "取号 Tickets"),
                         [[d, n] for d, n in f.by_day], "取号（按日） Tickets by day",
                         ("column", 1), key="days"))
    out.append(Sheet("反映情形 Situations", ("情形", "Situation", "件数 Reports"),
                     [[a, b, n] for a, b, n in f.by_situation],
                     "办不成事（按群众反映情形） Reports by situation", ("bar", 2), key="situations"))
    out.append(Sheet("反映类别 Kinds", ("类别", "Kind", "件数 Reports"),
                     [[a, b, n] for a, b, n in f.by_kind], "办不成事（按类别） Reports by kind",
                     ("bar", 2), key="kinds"))
    out.append(Sheet("反映事项 Report matters", ("事项", "Matter", "件数 Reports"),
                     [[a, b, n] for a, b, n in f.reports_by_matter],
                     "办不成事（按事项） Reports by matter", key="report_matters"))
    out.append(Sheet("评价 Ratings", ("等级", "Level", "件数 Ratings"),
                     [[EVALUATION_LEVELS[lv][0], EVALUATION_LEVELS[lv][1], f.ratings.get(lv, 0)]
                      for lv in sorted(EVALUATION_LEVELS, reverse=True)],
                     "好差评（按等级） Ratings by level", ("bar", 2), key="ratings"))
    return out


def charts(f: Figures) -> dict[str, Markup]:
    """The page's charts; each is drawn from exactly the numbers of its table."""
    hours = [Bar(f"{h:02d}", n, text=str(n)) for h, n in f.by_hour]
    out = {
        "hours": column_chart("取号（按小时） Tickets by hour", hours,
                              desc="每小时取号数 Tickets issued in each hour: " + "；".join(
                                  f"{h:02d}时 {n}" for h, n in f.by_hour if n), every_label=2),
        "matters": bar_chart("取号（按事项） Tickets by matter",
                             [Bar(m["name"], m["count"], m["name_en"]) for m in f.by_matter]),
        "waits": bar_chart(
            "等候时间中位数（分钟，按事项） Median wait by matter (min)",
            [Bar(m["name"], minutes(m["wait_median_s"]) or 0, m["name_en"],
                 text=f"{_min_text(m['wait_median_s'])} 分 min")
             for m in f.by_matter if m["wait_median_s"] is not None], span_pct=70.0),
        "situations": bar_chart("办不成事（按情形） Reports by situation",
                                [Bar(a, n, b) for a, b, n in f.by_situation]),
        "kinds": bar_chart("办不成事（按类别） Reports by kind",
                           [Bar(a, n, b) for a, b, n in f.by_kind]),
        "ratings": bar_chart("好差评（按等级） Ratings by level",
                             [Bar(EVALUATION_LEVELS[lv][0], f.ratings.get(lv, 0),
                                  EVALUATION_LEVELS[lv][1])
                              for lv in sorted(EVALUATION_LEVELS, reverse=True)]),
    }
    if f.period.is_month:
        out["days"] = column_chart("取号（按日） Tickets by day",
                                   [Bar(d[8:], n) for d, n in f.by_day],
                                   desc="每日取号数 Tickets each day: " + "；".join(
                                       f"{d} {n}" for d, n in f.by_day if n), every_label=5)
    return out


def install(router: APIRouter, kit: DeskKit, service: CentralService) -> Statistics:
    """``/desk/stats`` (page), ``/desk/stats.csv``, ``/desk/stats.xlsx`` and
    ``/desk/ledger.xlsx`` (the monthly ledger beside the existing CSV)."""
    numbers = Statistics(service, kit.orders)

    def period_of(text: str | None) -> Period:
        return Period.parse(text or service.now().strftime("%Y-%m"))

    def download(body: bytes | str, media: str, name: str) -> Response:
        return Response(body, media_type=media, headers={
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f"attachment; filename=\"{name}\"; "
                                   f"filename*=UTF-8''{quote(name)}"})

    async def figures_for(request: Request, period: str | None) -> tuple[Any, Figures]:
        session = await kit.session_of(request)
        kit.require(session.staff, *STATS_ROLES)
        found = await run_in_threadpool(numbers.figures, session.staff.hall, period_of(period))
        return session, found

    @router.get("/stats")
    async def stats_page(request: Request, period: str | None = None) -> Response:
        session, f = await figures_for(request, period)
        today = service.now().date()
        return kit.page(request, "stats.html", me=session.staff, csrf=session.csrf_token,
                        f=f, help_rows=help_rows(f), charts=charts(f),
                        tables={sheet.key: sheet for sheet in sheets(f)},
                        pct=_pct, mins=_min_text, median=median, percentile=percentile,
                        this_month=today.strftime("%Y-%m"), today=today.isoformat(),
                        complexities=COMPLEXITIES)

    @router.get("/stats.csv")
    async def stats_csv(request: Request, period: str | None = None) -> Response:
        session, f = await figures_for(request, period)
        return download(csv_text(sheets(f)), "text/csv; charset=utf-8",
                        f"stats-{session.staff.hall}-{f.period.text}.csv")

    @router.get("/stats.xlsx")
    async def stats_xlsx(request: Request, period: str | None = None) -> Response:
        session, f = await figures_for(request, period)
        body = await run_in_threadpool(xlsx_bytes, sheets(f))
        return download(body, XLSX_TYPE, f"stats-{session.staff.hall}-{f.period.text}.xlsx")

    @router.get("/ledger.xlsx")
    async def ledger_xlsx(request: Request, month: str) -> Response:
        session = await kit.session_of(request)
        kit.require(session.staff, "duty", "admin")
        hall = session.staff.hall
        if not Period.parse(month).is_month:
            raise DeskProblem("月份格式应为 YYYY-MM", "The month is YYYY-MM", 422)
        rows = await run_in_threadpool(kit.orders.ledger, hall, month)
        sheet = Sheet(f"台账 {month}", kit.orders.LEDGER_COLUMNS, [list(r) for r in rows])
        body = await run_in_threadpool(xlsx_bytes, [sheet])
        return download(body, XLSX_TYPE, f"ledger-{hall}-{month}.xlsx")

    return numbers
