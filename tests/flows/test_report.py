"""办不成事 report flow: identify, describe, review, submit; online, offline, and leaving early."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hall.calendar import HallCalendar
from hall.catalogue import Catalogue
from kiosk.flows.base import (
    Abort,
    Back,
    Cancel,
    CardInserted,
    CardUnreadable,
    Home,
    IdleReset,
    PrintFinished,
    PrintTemplate,
    Retry,
    Speak,
)
from kiosk.flows.report import (
    AddPhrase,
    ChooseMatter,
    ChooseSituation,
    Describe,
    Edit,
    EnterContact,
    EnterPhone,
    Finish,
    Next,
    ReportAccepted,
    ReportFailed,
    ReportFlow,
    ReportQueued,
    Search,
    SkipDescription,
    State,
    Submit,
    SubmitReport,
    UsePhone,
    add_working_days,
    normalise_mobile,
)
from kiosk.flows.session import CitizenSession

PHONE = "13812345678"


@pytest.fixture
def flow(session: CitizenSession, catalogue: Catalogue, keys: Any, now: dt.datetime) -> ReportFlow:
    return ReportFlow(session, catalogue, now, make_key=keys)


def by_phone_to_review(flow: ReportFlow, text: str = "材料齐全但不受理") -> None:
    flow.handle(UsePhone())
    flow.handle(EnterPhone(PHONE))
    flow.handle(ChooseMatter("marriage-reg"))
    flow.handle(ChooseSituation("not_accepted"))
    flow.handle(Describe(text))
    flow.handle(Next())
    flow.handle(Next())  # contact prefilled from the identifying number
    assert flow.state == State.REVIEW


def submissions(effects: list) -> list[SubmitReport]:
    return [e for e in effects if isinstance(e, SubmitReport)]


@pytest.mark.parametrize(("typed", "expected"), [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"), ("12812345678", None), ("1381234567", None),
    ("138123456789", None), ("abc", None), ("", None),
])
def test_mobile_validation(typed: str, expected: str | None) -> None:
    assert normalise_mobile(typed) == expected


def test_phone_report_online(flow: ReportFlow, assert_ended: Any) -> None:
    by_phone_to_review(flow)
    review = flow.view().data
    assert review["identified_by"] == "phone" and review["contact_masked"] == "138****5678"
    assert review["situation"] == "report.situation.not_accepted"
    [submit] = submissions(flow.handle(Submit()))
    assert flow.state == State.SUBMITTING
    assert submit.body() == {"matter_id": "marriage-reg", "situation": "not_accepted",
                             "description": "材料齐全但不受理", "phone": PHONE, "language": "zh"}
    assert PHONE not in repr(submit) and "材料" not in repr(submit)

    effects = flow.handle(ReportAccepted("R202611230001", dt.date(2026, 11, 30),
                                         check_code="4821"))
    assert flow.state == State.RESULT
    [job] = effects
    assert isinstance(job, PrintTemplate) and job.name == "report_receipt"
    assert job.data["tracking_no"] == "R202611230001" and job.data["offline"] is False
    assert job.data["check_code"] == "4821"  # printed: the progress look-up asks for it
    assert job.data["answer_by"] == "2026-11-30"
    assert job.data["tracking_url"] == "https://hall.example/track/R202611230001"
    assert job.data["director_hotline"] == "0371-12345678"
    assert job.data["reported"] == "申请未被受理：材料齐全但不受理"
    assert PHONE not in str(job.data)
    view = flow.view().data
    assert view["tracking_no"] == "R202611230001" and view["notice"] == "report.registered"
    assert view["check_code"] == "4821"
    assert view["promised_date"] == dt.date(2026, 11, 30)
    assert view["director_hotline"] == "0371-12345678"
    flow.handle(PrintFinished(printed=True))
    assert flow.view().data["print_status"] == "printed"
    assert_ended(flow, flow.handle(Finish()), "done")


def test_card_report_carries_only_the_hash(flow: ReportFlow, young_card: Any) -> None:
    flow.handle(CardInserted(young_card))
    assert flow.state == State.CHOOSE_MATTER
    flow.handle(ChooseMatter(None))  # not sure which matter
    flow.handle(ChooseSituation("staff_attitude"))
    flow.handle(SkipDescription())
    assert flow.state == State.CONTACT
    flow.handle(Next())  # no number yet: stays
    assert flow.state == State.CONTACT
    flow.handle(EnterContact("139-0000-1111"))
    assert flow.view().data["identified_by"] == "card"
    [submit] = submissions(flow.handle(Submit()))
    body = submit.body()
    assert body["id_hash"] == flow.session.id_hash and len(body["id_hash"]) == 64
    assert body["matter_id"] is None and body["phone"] == "13900001111"
    # the centre has no staff-attitude situation yet: sent as "other", labelled; and it needs
    # some text even when the citizen skipped the description
    assert body["situation"] == "other"
    assert body["description"] == "【工作人员态度】（市民未填写说明）"
    assert "110101" not in str(body)


def test_bad_mobile_is_explained_and_kept_out(flow: ReportFlow) -> None:
    flow.handle(UsePhone())
    flow.handle(EnterPhone("1234"))
    assert flow.state == State.ENTER_PHONE
    assert flow.view().data["input_error"] == "report.bad_mobile"
    assert flow.session.phone is None
    flow.handle(EnterPhone(PHONE))
    assert flow.state == State.CHOOSE_MATTER and flow.view().data["input_error"] is None


def test_elder_mode_reads_input_problems_aloud(flow: ReportFlow) -> None:
    flow.session.set_elder_mode(True)
    assert flow.handle(UsePhone()) == [Speak("report.enter_phone")]
    assert flow.handle(EnterPhone("12")) == [Speak("report.bad_mobile")]
    assert flow.handle(EnterPhone(PHONE)) == [Speak("report.choose_matter")]


def test_unreadable_card_then_phone(flow: ReportFlow) -> None:
    flow.handle(CardUnreadable("card.unsupported"))
    assert flow.view().data["card_problem"] == "card.unsupported"
    flow.handle(UsePhone())
    assert flow.state == State.ENTER_PHONE


def test_matter_search(flow: ReportFlow) -> None:
    flow.handle(UsePhone())
    flow.handle(EnterPhone(PHONE))
    assert len(flow.view().data["matters"]) == 6
    flow.handle(Search("gjj"))
    assert flow.view().data["matters"] == ["housing-fund"]


def test_description_phrases_limits_and_skip(flow: ReportFlow) -> None:
    flow.handle(UsePhone())
    flow.handle(EnterPhone(PHONE))
    flow.handle(ChooseMatter("housing-fund"))
    flow.handle(ChooseSituation("several_visits"))
    flow.handle(Next())  # nothing written and not skipped
    assert flow.state == State.DESCRIBE
    assert flow.view().data["input_error"] == "report.describe_or_skip"
    flow.handle(AddPhrase("report.phrase.system_down"))
    flow.handle(AddPhrase("report.phrase.waited_long"))
    assert flow.view().data["text"] == "窗口说系统办不了；等了很久没有结果"
    flow.handle(Describe("长" * 600))
    assert flow.view().data["input_error"] == "report.too_long"
    assert len(flow.description) == 500
    with pytest.raises(ValueError):
        flow.handle(AddPhrase("not.a.phrase"))


def test_english_phrase_in_english_session(flow: ReportFlow) -> None:
    flow.session.set_language("en")
    flow.handle(UsePhone())
    flow.handle(EnterPhone(PHONE))
    flow.handle(ChooseMatter("housing-fund"))
    flow.handle(ChooseSituation("other"))
    flow.handle(AddPhrase("report.phrase.sent_elsewhere"))
    assert flow.description == "I was sent to another department"


def test_edit_from_review_comes_back_to_review_with_new_key(flow: ReportFlow) -> None:
    by_phone_to_review(flow)
    first_key = flow.idempotency_key
    flow.handle(Edit("situation"))
    assert flow.state == State.SITUATION
    flow.handle(ChooseSituation("not_approved"))
    assert flow.state == State.REVIEW
    assert flow.idempotency_key != first_key
    [submit] = submissions(flow.handle(Submit()))
    assert submit.situation == "not_approved" and submit.description == "材料齐全但不受理"


def test_several_visits_uses_the_centres_name(flow: ReportFlow) -> None:
    flow.handle(UsePhone())
    flow.handle(EnterPhone(PHONE))
    flow.handle(ChooseMatter("housing-fund"))
    flow.handle(ChooseSituation("several_visits"))
    flow.handle(SkipDescription())
    flow.handle(Next())
    [submit] = submissions(flow.handle(Submit()))
    assert submit.situation == "several_visits"
    assert submit.body()["situation"] == "repeated_visits"


def test_double_submit_sends_once(flow: ReportFlow) -> None:
    by_phone_to_review(flow)
    effects = flow.handle(Submit()) + flow.handle(Submit()) + flow.handle(Submit())
    assert len(submissions(effects)) == 1


def test_offline_report_is_queued_with_local_reference(flow: ReportFlow) -> None:
    by_phone_to_review(flow)
    flow.handle(Submit())
    [job] = flow.handle(ReportQueued("K01-20261123-0003"))
    assert job.data["offline"] is True and job.data["local_ref"] == "K01-20261123-0003"
    assert job.data["tracking_no"] == ""
    assert job.data["answer_by"] == "2026-11-30"  # 5 working days from Monday
    view = flow.view().data
    assert view["offline"] is True and view["notice"] == "report.queued_offline"
    assert view["local_ref"] == "K01-20261123-0003"


def test_offline_receipt_promises_the_centres_date_across_a_holiday(
        session: CitizenSession, catalogue: Catalogue, keys: Any, now: dt.datetime) -> None:
    """Queued the day before National Day: 1-8 October are off, Saturday 10 October is worked."""
    eve = dt.datetime(2026, 9, 30, 10, 0, tzinfo=now.tzinfo)
    flow = ReportFlow(session, catalogue, eve, make_key=keys)
    by_phone_to_review(flow)
    flow.handle(Submit())
    [job] = flow.handle(ReportQueued("K01-20260930-0001"))
    assert job.data["answer_by"] == "2026-10-13"
    assert HallCalendar().add_working_days(eve.date(), 5) == dt.date(2026, 10, 13)  # the centre's


def test_print_failure_keeps_the_result_on_screen(flow: ReportFlow) -> None:
    by_phone_to_review(flow)
    flow.handle(Submit())
    flow.handle(ReportAccepted("R202611230002", dt.date(2026, 11, 30)))
    flow.handle(PrintFinished(printed=False, reason_key="printer.paper_out"))
    view = flow.view().data
    assert view["print_status"] == "failed" and view["tracking_no"] == "R202611230002"


def test_outbox_failure_retries_the_same_submission(flow: ReportFlow, assert_ended: Any) -> None:
    by_phone_to_review(flow)
    [first] = submissions(flow.handle(Submit()))
    flow.handle(ReportFailed("outbox.disk_full"))
    assert flow.state == State.ERROR and flow.view().error == "outbox.disk_full"
    [again] = submissions(flow.handle(Retry()))
    assert again == first and flow.state == State.SUBMITTING
    flow.handle(ReportFailed("outbox.disk_full"))
    assert_ended(flow, flow.handle(Abort()), "abort")


def test_back_through_the_screens(flow: ReportFlow) -> None:
    by_phone_to_review(flow)
    path = [State.CONTACT, State.DESCRIBE, State.SITUATION, State.CHOOSE_MATTER, State.IDENTIFY]
    for expected in path:
        flow.handle(Back())
        assert flow.state == expected


def test_working_days_skip_weekends() -> None:
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)  # Fri -> Mon
    assert add_working_days(dt.date(2026, 11, 23), 10) == dt.date(2026, 12, 7)


def drive_to(flow: ReportFlow, state: State) -> None:
    steps: dict[State, list] = {
        State.IDENTIFY: [],
        State.ENTER_PHONE: [UsePhone()],
        State.CHOOSE_MATTER: [UsePhone(), EnterPhone(PHONE)],
        State.SITUATION: [UsePhone(), EnterPhone(PHONE), ChooseMatter("marriage-reg")],
        State.DESCRIBE: [UsePhone(), EnterPhone(PHONE), ChooseMatter("marriage-reg"),
                         ChooseSituation("other"), Describe("未写完的说明")],
    }
    review = [*steps[State.DESCRIBE], Next()]
    steps[State.CONTACT] = review
    steps[State.REVIEW] = [*review, Next()]
    steps[State.SUBMITTING] = [*steps[State.REVIEW], Submit()]
    steps[State.RESULT] = [*steps[State.SUBMITTING], ReportQueued("K-1")]
    steps[State.ERROR] = [*steps[State.SUBMITTING], ReportFailed("outbox.disk_full")]
    for event in steps[state]:
        flow.handle(event)
    assert flow.state == state


LEAVING = [(Cancel(), "cancel"), (Home(), "home"), (IdleReset(), "idle")]


@pytest.mark.parametrize("state", [s for s in State if s != State.FINISHED], ids=lambda s: s.name)
@pytest.mark.parametrize(("event", "reason"), LEAVING, ids=[r for _, r in LEAVING])
def test_leaving_from_every_state_drops_everything(flow: ReportFlow, state: State, event: Any,
                                                   reason: str, assert_ended: Any) -> None:
    drive_to(flow, state)
    assert_ended(flow, flow.handle(event), reason)
    assert flow.description == "" and flow.contact is None and flow.submission is None
    assert flow.local_ref is None and flow.situation is None


@pytest.mark.parametrize(("answered_url", "hall_url", "expected"), [
    # The centre's answer names the page (its own /r/ page, code included): that is the QR.
    ("https://centre.example/r/R202611230001?c=4821", "https://hall.example/track/{tracking_no}",
     "https://centre.example/r/R202611230001?c=4821"),
    # An older centre names none: the hall's template, with the code where it takes one.
    ("", "https://hall.example/t/{tracking_no}?code={check_code}",
     "https://hall.example/t/R202611230001?code=4821"),
    # Neither: no QR code at all rather than a link to nowhere (number and code are printed).
    ("", "", ""),
])
def test_the_receipt_qr_is_the_centres_page_or_the_halls(
        bundle: dict[str, Any], session: CitizenSession, keys: Any, now: dt.datetime,
        answered_url: str, hall_url: str, expected: str) -> None:
    bundle["hall"]["tracking_url"] = hall_url
    flow = ReportFlow(session, Catalogue.from_dict(bundle), now, make_key=keys)
    by_phone_to_review(flow)
    flow.handle(Submit())
    [job] = flow.handle(ReportAccepted("R202611230001", dt.date(2026, 11, 30),
                                       tracking_url=answered_url, check_code="4821"))
    assert job.data["tracking_url"] == expected
    assert job.data["tracking_no"] == "R202611230001" and job.data["check_code"] == "4821"
    assert flow.view().data["qr_url"] == expected
