"""Progress flow: by tracking number and check code, or card; the five steps; offline;
rate limited; leaving early."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hall.catalogue import Catalogue
from kiosk.flows.base import Abort, Back, Cancel, CardInserted, CardUnreadable, Home, IdleReset, Retry
from kiosk.flows.progress import (
    ByCard,
    ByNumber,
    EnterCode,
    EnterNumber,
    FindLocalNumber,
    Finish,
    LocalNumberFound,
    LookUpFailed,
    LookUpReports,
    OpenReport,
    ProgressFlow,
    ReportInfo,
    ReportsFound,
    State,
    StepInfo,
    normalise_local_ref,
    normalise_tracking_no,
)
from kiosk.flows.session import CitizenSession

DISPATCHED = ReportInfo(
    tracking_no="R202611230001", status="dispatched", promised_date=dt.date(2026, 11, 30),
    steps=(StepInfo("accepted", "2026-11-23 10:01"), StepInfo("classified", "2026-11-23 11:00"),
           StepInfo("dispatched", "2026-11-24 09:00"), StepInfo("resolved", None),
           StepInfo("answered", None)))
ANSWERED = ReportInfo(
    tracking_no="R202611100007", status="answered", promised_date=dt.date(2026, 11, 17),
    steps=tuple(StepInfo(s, "2026-11-1x") for s in
                ("accepted", "classified", "dispatched", "resolved", "answered")),
    answer="已容缺受理，请补交材料", kind_name="不好办", kind_name_en="Hard to do")


@pytest.fixture
def flow(session: CitizenSession, catalogue: Catalogue, now: dt.datetime) -> ProgressFlow:
    return ProgressFlow(session, catalogue, now)


def lookups(effects: list) -> list[LookUpReports]:
    return [e for e in effects if isinstance(e, LookUpReports)]


@pytest.mark.parametrize(("typed", "expected"), [
    ("R202611230001", "R202611230001"), ("r2026 1123 0001", "R202611230001"),
    ("202611230001", "R202611230001"), ("R2026112300", None), ("X202611230001", None), ("", None),
])
def test_tracking_number_validation(typed: str, expected: str | None) -> None:
    assert normalise_tracking_no(typed) == expected


def test_by_number_shows_steps_with_current_one(flow: ProgressFlow, assert_ended: Any) -> None:
    flow.handle(ByNumber())
    flow.handle(EnterNumber("R2026"))
    assert flow.state == State.ENTER_NUMBER
    assert flow.view().data["input_error"] == "progress.bad_number"
    assert lookups(flow.handle(EnterNumber("202611230001"))) == []  # the code comes next
    assert flow.state == State.ENTER_CODE
    assert flow.view().data["tracking_no"] == "R202611230001"
    flow.handle(EnterCode("48"))
    assert flow.state == State.ENTER_CODE
    assert flow.view().data["input_error"] == "progress.bad_code"
    [lookup] = lookups(flow.handle(EnterCode("4821")))
    assert lookup.tracking_no == "R202611230001" and lookup.id_hash is None
    assert lookup.check_code == "4821" and "4821" not in repr(lookup)
    flow.handle(ReportsFound((DISPATCHED,)))
    data = flow.view().data
    [report] = data["reports"]
    assert data["selected"] == "R202611230001"
    steps = report["steps"]
    assert [s["label"] for s in steps] == ["progress.step.accepted", "progress.step.classified",
                                           "progress.step.dispatched", "progress.step.resolved",
                                           "progress.step.answered"]
    assert [s["current"] for s in steps] == [False, False, True, False, False]
    assert steps[2]["done_at"] == "2026-11-24 09:00" and steps[3]["done_at"] is None
    assert report["answer"] is None and report["promised_date"] == dt.date(2026, 11, 30)
    assert_ended(flow, flow.handle(Finish()), "done")


def test_by_card_lists_every_report_of_that_person(flow: ProgressFlow, young_card: Any) -> None:
    flow.handle(ByCard())
    assert flow.state == State.WAIT_CARD
    flow.handle(CardUnreadable("card.place_flat"))
    assert flow.view().data["card_problem"] == "card.place_flat"
    [lookup] = lookups(flow.handle(CardInserted(young_card)))
    assert lookup.id_hash == flow.session.id_hash and lookup.tracking_no is None
    flow.handle(ReportsFound((DISPATCHED, ANSWERED)))
    data = flow.view().data
    assert [r["tracking_no"] for r in data["reports"]] == ["R202611230001", "R202611100007"]
    assert data["selected"] is None
    flow.handle(OpenReport("R202611100007"))
    assert flow.view().data["selected"] == "R202611100007"
    assert data["reports"][1]["answer"] == "已容缺受理，请补交材料"
    assert data["reports"][1]["steps"][4]["current"] is True


def test_card_already_in_session_is_used_at_once(flow: ProgressFlow, young_card: Any) -> None:
    flow.handle(CardInserted(young_card))  # placed on the first screen
    assert flow.state == State.LOOKING_UP


def test_nothing_found(flow: ProgressFlow) -> None:
    flow.handle(ByNumber())
    flow.handle(EnterNumber("R202611230009"))
    flow.handle(EnterCode("0000"))
    flow.handle(LookUpFailed("not_found"))
    assert flow.state == State.RESULTS
    assert flow.view().data["notice"] == "progress.none_found"
    flow.handle(Back())
    assert flow.state == State.CHOOSE_METHOD


def test_offline_then_retry_repeats_the_same_lookup(flow: ProgressFlow, assert_ended: Any) -> None:
    flow.handle(ByNumber())
    flow.handle(EnterNumber("R202611230001"))
    [first] = lookups(flow.handle(EnterCode("4821")))
    flow.handle(LookUpFailed("central.offline"))
    assert flow.state == State.ERROR and flow.view().error == "central.offline"
    [again] = lookups(flow.handle(Retry()))
    assert again == first
    flow.handle(LookUpFailed("central.offline"))
    assert_ended(flow, flow.handle(Abort()), "abort")


def test_back_from_the_code_goes_to_the_number(flow: ProgressFlow) -> None:
    flow.handle(ByNumber())
    flow.handle(EnterNumber("R202611230001"))
    flow.handle(Back())
    assert flow.state == State.ENTER_NUMBER


def test_too_many_look_ups_are_said_in_plain_words(flow: ProgressFlow) -> None:
    from kiosk.words import text

    flow.handle(ByNumber())
    flow.handle(EnterNumber("R202611230001"))
    flow.handle(EnterCode("1111"))
    flow.handle(LookUpFailed("report.lookup_limited"))
    assert flow.state == State.ERROR and flow.view().error == "report.lookup_limited"
    assert "过一分钟再试" in text("report.lookup_limited", "zh")
    assert "try again in a minute" in text("report.lookup_limited", "en")
    flow.handle(Retry())  # later: the code is typed again, the number is kept
    assert flow.state == State.ENTER_CODE and flow.tracking_no == "R202611230001"


LEAVING = [(Cancel(), "cancel"), (Home(), "home"), (IdleReset(), "idle")]


def drive_to(flow: ProgressFlow, state: State, card: Any) -> None:
    steps: dict[State, list] = {
        State.CHOOSE_METHOD: [],
        State.ENTER_NUMBER: [ByNumber()],
        State.ENTER_CODE: [ByNumber(), EnterNumber("R202611230001")],
        State.WAIT_CARD: [ByCard()],
        State.LOOKING_UP: [ByCard(), CardInserted(card)],
        State.RESULTS: [ByCard(), CardInserted(card), ReportsFound((ANSWERED,))],
        State.ERROR: [ByCard(), CardInserted(card), LookUpFailed("central.offline")],
    }
    for event in steps[state]:
        flow.handle(event)
    assert flow.state == state


@pytest.mark.parametrize("state", [s for s in State if s != State.FINISHED], ids=lambda s: s.name)
@pytest.mark.parametrize(("event", "reason"), LEAVING, ids=[r for _, r in LEAVING])
def test_leaving_from_every_state(flow: ProgressFlow, young_card: Any, state: State, event: Any,
                                  reason: str, assert_ended: Any) -> None:
    drive_to(flow, state, young_card)
    assert_ended(flow, flow.handle(event), reason)
    assert flow.reports == () and flow.lookup is None and flow.tracking_no is None


# -- by card: several reports, newest first, in words -----------------------------------------
RECEIVED = ReportInfo(
    tracking_no="R731904826115", status="received", promised_date=dt.date(2026, 12, 8),
    steps=tuple(StepInfo(s, None) for s in
                ("accepted", "classified", "dispatched", "resolved", "answered")),
    received_at="2026-11-24T10:00:00+08:00")


def test_by_card_lists_newest_first_with_the_state_in_words(flow: ProgressFlow,
                                                            young_card: Any) -> None:
    older = ReportInfo(**{**DISPATCHED.__dict__, "received_at": "2026-11-23T09:00:00+08:00"})
    oldest = ReportInfo(**{**ANSWERED.__dict__, "received_at": "2026-11-10T15:00:00+08:00"})
    flow.handle(ByCard())
    flow.handle(CardInserted(young_card))
    flow.handle(ReportsFound((oldest, RECEIVED, older)))  # whatever order the centre used
    reports = flow.view().data["reports"]
    assert [r["tracking_no"] for r in reports] == ["R731904826115", "R202611230001",
                                                   "R202611100007"]
    newest, dispatched, answered = reports
    assert newest["now"] == "progress.now.received" and newest["received_at"] == "2026-11-24"
    assert newest["next_step"] == "progress.step.accepted"
    assert newest["promise"] == "progress.promised"
    assert dispatched["now"] == "progress.now.dispatched"
    assert dispatched["next_step"] == "progress.step.resolved"
    # Answered: nothing more to wait for, so no step and no date are promised.
    assert answered["now"] == "progress.now.answered"
    assert answered["next_step"] is None and answered["promise"] is None


def test_the_state_words_exist_in_both_languages() -> None:
    from kiosk.words import text

    assert text("progress.now.dispatched", "zh") == "当前进度：已转办，正在办理"
    assert "sent to the office" in text("progress.now.dispatched", "en")
    assert "{promised_date}" in text("progress.promised_words", "en")
    assert "{local_ref}" in text("progress.local_waiting", "zh")


def test_a_card_with_no_reports_says_so(flow: ProgressFlow, young_card: Any) -> None:
    flow.handle(ByCard())
    flow.handle(CardInserted(young_card))
    flow.handle(ReportsFound(()))
    assert flow.state == State.RESULTS
    assert flow.view().data["notice"] == "progress.none_found_card"


# -- local numbers of offline receipts ----------------------------------------------------------
@pytest.mark.parametrize(("typed", "expected"), [
    ("DD5C9501", "DD5C9501"), ("dd5c 9501", "DD5C9501"), ("12345678", "12345678"),
    ("DD5C950", None), ("DD5C95012", None), ("GG5C9501", None), ("", None),
])
def test_local_number_validation(typed: str, expected: str | None) -> None:
    assert normalise_local_ref(typed) == expected


def local_lookup(flow: ProgressFlow, typed: str) -> list:
    flow.handle(ByNumber())
    return flow.handle(EnterNumber(typed))


def test_a_delivered_local_number_is_looked_up_by_the_centres_number(flow: ProgressFlow) -> None:
    effects = local_lookup(flow, "dd5c9501")
    assert flow.state == State.LOOKING_UP
    assert [e for e in effects if isinstance(e, FindLocalNumber)] == [FindLocalNumber("DD5C9501")]
    assert lookups(flow.handle(LocalNumberFound("OTHER123", True, "R1", "1"))) == []  # stale
    [lookup] = lookups(flow.handle(LocalNumberFound("DD5C9501", True, "R731904826115", "4821")))
    assert lookup.tracking_no == "R731904826115" and lookup.check_code == "4821"
    assert "4821" not in repr(LocalNumberFound("DD5C9501", True, "R731904826115", "4821"))
    flow.handle(ReportsFound((RECEIVED,)))
    data = flow.view().data
    assert [r["tracking_no"] for r in data["reports"]] == ["R731904826115"]
    assert data["notice"] is None


def test_a_local_number_not_yet_sent_says_it_is_waiting(flow: ProgressFlow) -> None:
    local_lookup(flow, "DD5C9501")
    assert lookups(flow.handle(LocalNumberFound("DD5C9501", known=True))) == []
    data = flow.view().data
    assert flow.state == State.RESULTS and data["reports"] == []
    assert data["notice"] == "progress.local_waiting" and data["local_ref"] == "DD5C9501"


def test_a_local_number_refused_by_the_centre_says_to_call_staff(flow: ProgressFlow) -> None:
    local_lookup(flow, "DD5C9501")
    flow.handle(LocalNumberFound("DD5C9501", known=True, refused=True))
    data = flow.view().data
    assert flow.state == State.RESULTS and data["notice"] == "progress.local_refused"


def test_an_unknown_local_number_asks_to_check_it(flow: ProgressFlow) -> None:
    local_lookup(flow, "DD5C9501")
    flow.handle(LocalNumberFound("DD5C9501", known=False))
    assert flow.state == State.ENTER_NUMBER
    assert flow.view().data["input_error"] == "progress.local_unknown"


def test_the_outbox_resolves_local_numbers_before_and_after_delivery(tmp_path: Any) -> None:
    """The real outbox file: a pending report is waiting; once the centre answered, its receipt
    (body erased) still maps the local number to the centre's tracking number and code."""
    from kiosk.services.effects import Outcome, ReportDelivery
    from kiosk.services.outbox import Outbox
    from kiosk.ui.flows.progress import local_event

    class Centre:
        def post_outbox_item(self, kind: str, body: dict, key: str) -> dict:
            return {"tracking_no": "R731904826115", "check_code": "4821",
                    "promised_date": "2026-12-08"}

    outbox = Outbox(tmp_path / "outbox.db", Centre())
    try:
        item = outbox.put("report", {"situation": "other", "description": "x",
                                     "phone": "13800138000"})
        ref = ReportDelivery(item.id).local_ref
        assert outbox.find_report(ref.lower()) == outbox.find_report(ref) is not None
        assert local_event(ref, Outcome(True, outbox.find_report(ref))) == \
            LocalNumberFound(ref, known=True)
        assert outbox.send_due() == 1
        sent = outbox.find_report(ref)
        assert sent is not None and sent.body == {}
        assert local_event(ref, Outcome(True, sent)) == \
            LocalNumberFound(ref, True, "R731904826115", "4821")
        assert outbox.find_report("00000000" if not ref.startswith("0000") else "FFFFFFFF") \
            is None
        assert local_event("FFFFFFFF", Outcome(True, None)) == LocalNumberFound("FFFFFFFF", False)
    finally:
        outbox.close()
