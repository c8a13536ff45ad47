"""Evaluation flow: five levels, reasons for the two lowest, an optional call-back number for
the two lowest (回访), linked to a ticket or window."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hall.catalogue import Catalogue
from kiosk.flows.base import Abort, Back, Cancel, Home, IdleReset, Retry, Tick
from kiosk.flows.evaluation import (
    ChooseLevel,
    EnterPhone,
    EvaluationFailed,
    EvaluationFlow,
    EvaluationSent,
    Finish,
    LinkTicket,
    LinkWindow,
    SkipPhone,
    State,
    Submit,
    SubmitEvaluation,
    ToggleReason,
)
from kiosk.flows.session import CitizenSession

TICKET_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def flow(session: CitizenSession, catalogue: Catalogue, keys: Any,
         now: dt.datetime) -> EvaluationFlow:
    return EvaluationFlow(session, catalogue, now, make_key=keys)


def sent(effects: list) -> list[SubmitEvaluation]:
    return [e for e in effects if isinstance(e, SubmitEvaluation)]


@pytest.mark.parametrize("level", [5, 4, 3])
def test_good_levels_submit_at_once(flow: EvaluationFlow, level: int) -> None:
    flow.handle(LinkTicket(TICKET_ID))
    assert flow.view().data["levels"][0]["label"] == "evaluation.level.5"
    [submit] = sent(flow.handle(ChooseLevel(level)))
    assert submit.body() == {"level": level, "reasons": [], "ticket_id": TICKET_ID}


@pytest.mark.parametrize("level", [2, 1])
def test_low_levels_need_a_reason(flow: EvaluationFlow, level: int) -> None:
    flow.handle(LinkWindow(" 12 "))
    assert flow.handle(ChooseLevel(level)) == []
    assert flow.state == State.REASONS
    flow.handle(Submit())
    assert flow.state == State.REASONS
    assert flow.view().data["input_error"] == "evaluation.pick_reason"
    flow.handle(ToggleReason("slow"))
    flow.handle(ToggleReason("attitude"))
    flow.handle(ToggleReason("slow"))  # changed their mind
    chosen = [r["reason"] for r in flow.view().data["reasons"] if r["chosen"]]
    assert chosen == ["attitude"]
    assert sent(flow.handle(Submit())) == []
    assert flow.state == State.PHONE  # the optional call-back number comes next
    [submit] = sent(flow.handle(SkipPhone()))
    assert submit.body() == {"level": level, "reasons": ["attitude"], "window": "12"}


@pytest.mark.parametrize("level", [2, 1])
def test_a_bad_rating_may_leave_a_mobile_for_the_call_back(flow: EvaluationFlow,
                                                           level: int) -> None:
    flow.handle(LinkWindow("12"))
    flow.handle(ChooseLevel(level))
    flow.handle(ToggleReason("slow"))
    flow.handle(Submit())
    assert flow.view().prompt == "evaluation.phone"
    assert flow.handle(EnterPhone("1380013")) == [] and flow.state == State.PHONE
    assert flow.view().data["input_error"] == "report.bad_mobile"
    [submit] = sent(flow.handle(EnterPhone("138 0013 8000")))
    assert submit.body() == {"level": level, "reasons": ["slow"], "window": "12",
                             "phone": "13800138000"}
    # Never in a repr, so never in a log line that prints an effect or event.
    assert "13800138000" not in repr(submit) and "8000" not in repr(EnterPhone("13800138000"))


def test_the_phone_step_is_read_aloud_in_elder_mode_and_keeps_the_number_out_of_views(
        flow: EvaluationFlow, session: CitizenSession) -> None:
    from kiosk.flows.base import Speak

    session.elder_mode = True
    flow.handle(LinkWindow("3"))
    flow.handle(ChooseLevel(1))
    flow.handle(ToggleReason("slow"))
    assert Speak("evaluation.phone") in flow.handle(Submit())
    flow.handle(EnterPhone("13800138000"))
    assert flow.state == State.SUBMITTING
    assert "13800138000" not in repr(flow.view()) and "13800138000" not in repr(flow)


@pytest.mark.parametrize("level", [5, 4, 3])
def test_good_levels_never_ask_for_a_phone(flow: EvaluationFlow, level: int) -> None:
    flow.handle(LinkWindow("3"))
    flow.handle(ChooseLevel(level))
    assert flow.state == State.SUBMITTING
    assert flow.handle(EnterPhone("13800138000")) == []
    assert flow.submission is not None and "phone" not in flow.submission.body()


def test_skipping_after_a_wrong_number_sends_no_number(flow: EvaluationFlow) -> None:
    flow.handle(LinkWindow("3"))
    flow.handle(ChooseLevel(2))
    flow.handle(ToggleReason("slow"))
    flow.handle(Submit())
    flow.handle(EnterPhone("12345"))
    assert flow.view().data["input_error"] == "report.bad_mobile"
    [submit] = sent(flow.handle(SkipPhone()))
    assert "phone" not in submit.body() and flow.state == State.SUBMITTING


def test_thanks_then_home_after_a_while(flow: EvaluationFlow, now: dt.datetime) -> None:
    flow.handle(LinkWindow("3"))
    flow.handle(ChooseLevel(5))
    flow.handle(EvaluationSent())
    assert flow.state == State.THANKS
    assert flow.handle(Tick(now + dt.timedelta(seconds=3))) == []
    effects = flow.handle(Tick(now + dt.timedelta(seconds=9)))
    assert flow.finished and effects[0].reason == "done"


def test_thanks_finish_by_tap(flow: EvaluationFlow, assert_ended: Any) -> None:
    flow.handle(LinkWindow("3"))
    flow.handle(ChooseLevel(4))
    flow.handle(EvaluationSent())
    assert_ended(flow, flow.handle(Finish()), "done")


def test_bad_window_and_bad_inputs(flow: EvaluationFlow) -> None:
    flow.handle(LinkWindow("窗口!"))
    assert flow.state == State.LINK
    assert flow.view().data["input_error"] == "evaluation.bad_window"
    with pytest.raises(ValueError):
        flow.handle(LinkTicket("C023"))
    flow.handle(LinkWindow("A-3"))
    with pytest.raises(ValueError):
        flow.handle(ChooseLevel(6))


def test_repeated_taps_send_one_evaluation(flow: EvaluationFlow) -> None:
    flow.handle(LinkWindow("3"))
    effects = flow.handle(ChooseLevel(5)) + flow.handle(ChooseLevel(5)) + flow.handle(Submit())
    assert len(sent(effects)) == 1


def test_failure_retries_same_evaluation_or_aborts(flow: EvaluationFlow,
                                                  assert_ended: Any) -> None:
    flow.handle(LinkWindow("3"))
    flow.handle(ChooseLevel(1))
    flow.handle(ToggleReason("not_done"))
    flow.handle(Submit())
    [first] = sent(flow.handle(EnterPhone("13800138000")))
    flow.handle(EvaluationFailed("outbox.disk_full"))
    assert flow.view().error == "outbox.disk_full"
    [again] = sent(flow.handle(Retry()))
    assert again == first
    flow.handle(EvaluationFailed("outbox.disk_full"))
    assert_ended(flow, flow.handle(Abort()), "abort")


def test_back(flow: EvaluationFlow) -> None:
    flow.handle(LinkWindow("3"))
    flow.handle(ChooseLevel(2))
    flow.handle(ToggleReason("slow"))
    flow.handle(Submit())
    assert flow.state == State.PHONE
    flow.handle(Back())
    assert flow.state == State.REASONS
    flow.handle(Back())
    assert flow.state == State.LEVEL
    flow.handle(Back())
    assert flow.state == State.LINK


LEAVING = [(Cancel(), "cancel"), (Home(), "home"), (IdleReset(), "idle")]
STEPS: dict[State, list] = {
    State.LINK: [],
    State.LEVEL: [LinkWindow("3")],
    State.REASONS: [LinkWindow("3"), ChooseLevel(1), ToggleReason("slow")],
    State.PHONE: [LinkWindow("3"), ChooseLevel(1), ToggleReason("slow"), Submit(),
                  EnterPhone("1380013")],
    State.SUBMITTING: [LinkWindow("3"), ChooseLevel(5)],
    State.THANKS: [LinkWindow("3"), ChooseLevel(5), EvaluationSent()],
    State.ERROR: [LinkWindow("3"), ChooseLevel(5), EvaluationFailed("outbox.disk_full")],
}


@pytest.mark.parametrize("state", [s for s in State if s != State.FINISHED], ids=lambda s: s.name)
@pytest.mark.parametrize(("event", "reason"), LEAVING, ids=[r for _, r in LEAVING])
def test_leaving_from_every_state(flow: EvaluationFlow, state: State, event: Any, reason: str,
                                  assert_ended: Any) -> None:
    for step in STEPS[state]:
        flow.handle(step)
    assert flow.state == state
    assert_ended(flow, flow.handle(event), reason)
    assert flow.window is None and flow.level is None and flow.reasons == ()
    assert flow.phone is None and flow.submission is None
