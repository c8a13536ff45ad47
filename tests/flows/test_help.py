"""Help call: one tap sends it with the kiosk's location; cancellable; independent of flows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiosk.flows.base import Abort, Cancel, Home, IdleReset, Retry, Speak
from kiosk.flows.help import (
    AskForHelp,
    CancelHelpCall,
    Close,
    CloseHelp,
    FollowHelpCall,
    HelpCall,
    HelpFailed,
    HelpSent,
    SendHelpCall,
    StaffComing,
    State,
)

LOCATION = "一楼24小时自助服务区"


@pytest.fixture
def help_call() -> HelpCall:
    return HelpCall(LOCATION, hotline="12345")


def test_one_tap_sends_location_and_staff_are_coming(help_call: HelpCall) -> None:
    [send] = help_call.handle(AskForHelp(from_flow="take_number"))
    assert isinstance(send, SendHelpCall)
    assert send.body() == {"location": LOCATION, "reason": "assist", "language": "zh"}
    assert help_call.state == State.SENDING
    help_call.handle(HelpSent("call-1"))
    assert help_call.view().prompt == "help.coming"
    assert help_call.handle(Close()) == [CloseHelp()]
    assert help_call.state == State.CLOSED


def test_reason_follows_the_flow_and_language(help_call: HelpCall) -> None:
    help_call.language = "en"
    [send] = help_call.handle(AskForHelp(from_flow="report"))
    assert send.reason == "report" and send.language == "en"


def test_second_tap_calls_nobody_twice(help_call: HelpCall) -> None:
    first = help_call.handle(AskForHelp())
    assert len(first) == 1
    assert help_call.handle(AskForHelp()) == []
    help_call.handle(HelpSent("call-1"))
    assert help_call.handle(AskForHelp()) == []


@pytest.mark.parametrize("sent", [False, True])
def test_cancel_withdraws_the_call(help_call: HelpCall, sent: bool) -> None:
    [send] = help_call.handle(AskForHelp())
    if sent:
        help_call.handle(HelpSent("call-9"))
    effects = help_call.handle(Cancel())
    assert effects == [CancelHelpCall("call-9" if sent else None, send.idempotency_key),
                       CloseHelp()]
    assert not help_call.is_open


def test_failure_offers_retry_with_same_request_and_the_hotline(help_call: HelpCall) -> None:
    [send] = help_call.handle(AskForHelp())
    help_call.handle(HelpFailed("central.offline"))
    view = help_call.view()
    assert view.state == "FAILED" and view.error == "central.offline"
    assert view.data["hotline_hint"] == "help.hotline_hint" and view.data["hotline"] == "12345"
    assert help_call.handle(Retry()) == [send]
    help_call.handle(HelpFailed("central.offline"))
    assert help_call.handle(Abort()) == [CloseHelp()]


def test_elder_mode_speaks(help_call: HelpCall) -> None:
    help_call.elder_mode = True
    effects = help_call.handle(AskForHelp())
    assert effects[0] == Speak("help.sending")


def test_closed_panel_ignores_everything_but_the_button(help_call: HelpCall) -> None:
    for event in (Cancel(), Close(), Retry(), HelpSent("x"), HelpFailed("y")):
        assert help_call.handle(event) == []
    assert help_call.state == State.CLOSED


@pytest.mark.parametrize("state", [State.SENDING, State.COMING, State.RECORDED, State.FAILED],
                         ids=lambda s: s.name)
@pytest.mark.parametrize("event", [Home(), IdleReset()], ids=["home", "idle"])
def test_session_end_closes_the_panel(help_call: HelpCall, state: State, event: Any) -> None:
    help_call.staff_on_site = state != State.RECORDED
    help_call.handle(AskForHelp())
    if state in (State.COMING, State.RECORDED):
        help_call.handle(HelpSent("c"))
    elif state == State.FAILED:
        help_call.handle(HelpFailed("central.offline"))
    assert help_call.state == state
    assert help_call.handle(event) == []
    assert help_call.state == State.CLOSED and help_call.request is None


def test_a_call_only_stored_never_says_staff_are_coming(help_call: HelpCall) -> None:
    """The centre is unreachable: the call waits in the outbox, and the citizen is told so and
    where else to find a person, not "staff are on their way"."""
    from kiosk.flows.help import HelpQueued

    help_call.handle(AskForHelp())
    help_call.handle(HelpQueued())
    view = help_call.view()
    assert help_call.state == State.QUEUED
    assert view.prompt == "help.queued" and view.prompt != "help.coming"
    assert view.data["hotline_hint"] == "help.hotline_hint"
    assert help_call.handle(AskForHelp()) == []  # stored once, sent once
    assert help_call.handle(Close()) == [CloseHelp()]


# ---------------------------------------------------------------- outside staffed hours

BACK_AT = dt.datetime(2026, 11, 30, 9, 0)


@pytest.fixture
def night_call() -> HelpCall:
    return HelpCall(LOCATION, hotline="12345", staff_on_site=False, staff_back_at=BACK_AT)


def test_after_hours_the_call_is_recorded_and_nobody_is_promised(night_call: HelpCall) -> None:
    [send] = night_call.handle(AskForHelp())
    assert isinstance(send, SendHelpCall)  # still recorded at the centre (a duty officer may see it)
    night_call.handle(HelpSent("call-3"))
    view = night_call.view()
    assert night_call.state == State.RECORDED
    assert view.prompt == "help.after_hours" != "help.coming"
    assert view.data["hotline"] == "12345" and view.data["staff_back_at"] == BACK_AT
    assert view.data["staff_on_site"] is False


def test_after_hours_panel_taps_like_the_staffed_one(night_call: HelpCall) -> None:
    night_call.handle(AskForHelp())
    night_call.handle(HelpSent("call-4"))
    assert night_call.handle(AskForHelp()) == []  # a second tap records nothing twice
    assert night_call.handle(Close()) == [CloseHelp()]
    night_call.handle(AskForHelp())
    night_call.handle(HelpSent("call-5"))
    [withdraw, close] = night_call.handle(Cancel())
    assert isinstance(withdraw, CancelHelpCall) and withdraw.call_id == "call-5"
    assert close == CloseHelp()


def test_after_hours_failure_still_offers_retry_and_the_hotline(night_call: HelpCall) -> None:
    [send] = night_call.handle(AskForHelp())
    night_call.handle(HelpFailed("central.offline"))
    assert night_call.view().data["hotline_hint"] == "help.hotline_hint"
    assert night_call.handle(Retry()) == [send]
    night_call.handle(HelpSent("call-6"))
    assert night_call.state == State.RECORDED


def test_the_panel_follows_the_call_and_names_who_is_coming() -> None:
    flow = HelpCall(LOCATION, elder_mode=True)
    flow.handle(AskForHelp())
    effects = flow.handle(HelpSent("c0ffee"))
    assert FollowHelpCall("c0ffee") in effects  # the bridge asks the centre from now on
    assert flow.view().data["coming_name"] is None
    said = flow.handle(StaffComing("李娜", "窗口人员", "Clerk"))
    assert said == [Speak("help.staff_coming")]
    view = flow.view()
    assert view.state == "COMING"
    assert (view.data["coming_name"], view.data["coming_role"]) == ("李娜", "窗口人员")
    assert flow.handle(StaffComing("张伟", "值班长", "Duty officer")) == []  # the first one stays
    assert flow.view().data["coming_name"] == "李娜"
    flow.handle(Close())
    assert flow.coming is None  # nothing of it is kept once the panel closes


def test_after_hours_an_answer_turns_recorded_into_coming_in_english() -> None:
    flow = HelpCall(LOCATION, language="en", staff_on_site=False)
    flow.handle(AskForHelp())
    flow.handle(HelpSent("c0ffee"))
    assert flow.state == State.RECORDED
    flow.handle(StaffComing("张伟", "值班长", "Duty officer"))
    assert flow.state == State.COMING
    assert flow.view().data["coming_role"] == "Duty officer"


def test_a_name_before_the_call_was_sent_is_ignored(help_call: HelpCall) -> None:
    help_call.handle(AskForHelp())
    assert help_call.handle(StaffComing("李娜", "窗口人员", "Clerk")) == []
    assert help_call.state == State.SENDING and help_call.coming is None
