"""Take-a-number flow: every branch a citizen can reach, driven by events, no display."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from hall.catalogue import Catalogue
from kiosk.flows.base import (
    Abort,
    Back,
    Cancel,
    CardInserted,
    CardUnreadable,
    CheckPrinter,
    Home,
    IdleReset,
    PrinterChecked,
    PrintFinished,
    PrintTemplate,
    Retry,
    Speak,
    Tick,
)
from kiosk.flows.session import CitizenSession
from kiosk.flows.take_number import (
    CentreFailed,
    CentreOffline,
    ChooseMatter,
    ChooseZone,
    Confirm,
    Continue,
    DeclareDisability,
    EnterAppointmentCode,
    Finish,
    RequestTicket,
    Search,
    State,
    TakeNumberFlow,
    TicketInfo,
    TicketIssued,
    TicketRefused,
)

TICKET = TicketInfo(ticket_id="0" * 32, number="C023", ahead=5, windows="21-23",
                    issued_at="2026-11-23 10:00", queue_url="https://hall.example/q/C023")


@pytest.fixture
def flow(session: CitizenSession, catalogue: Catalogue, keys: Any,
         now: dt.datetime) -> TakeNumberFlow:
    return TakeNumberFlow(session, catalogue, now, make_key=keys)


def to_confirm(flow: TakeNumberFlow, matter: str = "marriage-reg", zone: str = "C") -> list:
    flow.handle(ChooseZone(zone))
    flow.handle(ChooseMatter(matter))
    return flow.handle(Continue())


def requests_of(effects: list) -> list[RequestTicket]:
    return [e for e in effects if isinstance(e, RequestTicket)]


# ---------------------------------------------------------------- the happy paths


def test_no_card_printer_ok_prints_ticket(flow: TakeNumberFlow, assert_ended: Any) -> None:
    assert flow.state == State.CHOOSE_ZONE
    assert flow.view().data["zones"] == ["A", "C", "S"]
    flow.handle(ChooseZone("C"))
    assert flow.view().data["matters"] == ["marriage-reg"]
    flow.handle(ChooseMatter("marriage-reg"))
    assert flow.state == State.IDENTIFY
    effects = flow.handle(Continue())
    assert flow.state == State.CONFIRM and effects == [CheckPrinter()]
    flow.handle(PrinterChecked(ok=True))
    assert "notice" not in flow.view().data
    effects = flow.handle(Confirm())
    assert effects == [RequestTicket("marriage-reg", None, False, None, "k1", None)]
    assert flow.state == State.REQUESTING

    effects = flow.handle(TicketIssued(TICKET))
    assert flow.state == State.TICKET
    [job] = effects
    assert isinstance(job, PrintTemplate) and job.name == "queue_ticket"
    assert job.data["number"] == "C023" and job.data["people_ahead"] == 5
    assert job.data["zone_name"] == "婚姻登记区" and job.data["floor"] == 2
    assert job.data["queue_url"] == "https://hall.example/q/C023"
    assert job.data["note"] == "今日办理至17:00"
    view = flow.view().data
    assert view["number"] == "C023" and view["ahead"] == 5 and view["windows"] == "21-23"
    assert view["location"] == "二楼西侧" and view["qr_url"] == "https://hall.example/q/C023"
    assert view["notice"] == "take.printing"
    flow.handle(PrintFinished(printed=True))
    assert flow.view().data["notice"] == "take.printed"
    assert_ended(flow, flow.handle(Finish()), "done")


def test_search_by_pinyin_initials_across_zones(flow: TakeNumberFlow) -> None:
    flow.handle(Search("hyd"))
    assert flow.state == State.CHOOSE_MATTER
    assert flow.view().data["matters"] == ["marriage-reg"]
    flow.handle(Search("gjj"))
    assert flow.view().data["matters"] == ["housing-fund"]
    flow.handle(ChooseMatter("housing-fund"))
    assert flow.state == State.IDENTIFY


def test_ticket_without_queue_url_uses_hall_template(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    flow.handle(Confirm())
    [job] = flow.handle(TicketIssued(TicketInfo(ticket_id="abc", number="C1", ahead=0)))
    assert job.data["queue_url"] == "https://hall.example/q/abc"
    assert job.data["windows"] == "21-23"


@pytest.mark.parametrize(("issued_at", "printed"), [
    ("2026-12-02T04:08:54.887171+08:00", "2026-12-02 04:08"),  # seen on the paper, raw
    ("2026-12-02T04:08:00", "2026-12-02 04:08"),
    ("上午 4:08", "上午 4:08"),  # not ISO: printed as the centre wrote it
])
def test_the_ticket_prints_the_time_to_the_minute(flow: TakeNumberFlow, issued_at: str,
                                                  printed: str) -> None:
    to_confirm(flow)
    flow.handle(Confirm())
    [job] = flow.handle(TicketIssued(TicketInfo(ticket_id="abc", number="C1", ahead=0,
                                                issued_at=issued_at)))
    assert job.data["issued_at"] == printed


def test_a_place_in_words_prints_under_where_not_as_a_window(flow: TakeNumberFlow) -> None:
    """The centre said 自助区 where a window number goes: not "窗口 自助区号" on the paper."""
    to_confirm(flow)
    flow.handle(Confirm())
    [job] = flow.handle(TicketIssued(TicketInfo(ticket_id="abc", number="C1", ahead=0,
                                                windows="自助区")))
    assert job.data["windows"] == ""  # the template leaves the window line out
    assert job.data["location"].endswith("自助区") and job.data["location_en"].endswith("自助区")


# ---------------------------------------------------------------- one number per confirmation


def test_many_taps_on_confirm_take_one_number(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    effects = [e for _ in range(5) for e in flow.handle(Confirm())]
    assert len(requests_of(effects)) == 1


def test_retry_after_offline_reuses_the_confirmation_key(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    [first] = requests_of(flow.handle(Confirm()))
    flow.handle(CentreOffline())
    [again] = requests_of(flow.handle(Retry()))
    assert again == first  # same key: the centre answers with the same number


def test_a_new_confirmation_gets_a_new_key(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    [first] = requests_of(flow.handle(Confirm()))
    flow.handle(TicketRefused("ticket.bad_request"))
    assert flow.state == State.ERROR
    flow.handle(Retry())
    assert flow.state == State.CONFIRM
    [second] = requests_of(flow.handle(Confirm()))
    assert second.idempotency_key != first.idempotency_key


# ---------------------------------------------------------------- ID card, priority, appointments


def test_elder_card_gets_priority_and_offers_elder_mode(flow: TakeNumberFlow,
                                                        elder_card: Any) -> None:
    flow.handle(ChooseZone("A"))
    flow.handle(ChooseMatter("birth-cert"))
    flow.handle(CardInserted(elder_card))
    view = flow.view().data
    assert view["card"] and view["masked_name"] == "测**人"
    assert view["priority"] == "elderly" and view["offer_elder_mode"]
    flow.handle(Continue())
    [request] = requests_of(flow.handle(Confirm()))
    assert request.priority_reason == "elderly"
    assert request.id_hash is not None and len(request.id_hash) == 64
    assert "110101" not in repr(request)  # only the salted hash travels
    assert request.appointment is False  # birth-cert takes no appointments


def test_young_card_no_priority_but_checks_in_appointment(flow: TakeNumberFlow,
                                                          young_card: Any) -> None:
    flow.handle(ChooseZone("C"))
    flow.handle(ChooseMatter("marriage-reg"))
    flow.handle(CardInserted(young_card))
    assert flow.view().data["priority"] is None
    assert flow.view().data["appointment"] is True
    flow.handle(Continue())
    [request] = requests_of(flow.handle(Confirm()))
    assert request.priority_reason is None and request.appointment is True
    assert request.id_hash == flow.session.id_hash


def test_declared_disability_without_card_gets_priority(flow: TakeNumberFlow) -> None:
    flow.handle(ChooseZone("A"))
    flow.handle(ChooseMatter("birth-cert"))
    flow.handle(DeclareDisability(True))
    flow.handle(Continue())
    [request] = requests_of(flow.handle(Confirm()))
    assert request.priority_reason == "disabled" and request.id_hash is None


FS_ON, FS_OFF, GS_SIZE = b"\x1c\x26", b"\x1c\x2e", b"\x1d\x21"


def _size_before(data: bytes, at: int) -> int:
    """The GS ! character size in force at byte ``at`` (0: normal; low nibble: height - 1)."""
    start = data.rfind(GS_SIZE, 0, at)
    return data[start + 2] if start >= 0 else 0


@pytest.mark.parametrize("paper", ["generic-80", "generic-58"])
def test_a_priority_ticket_says_so_on_paper_and_prints_zone_and_window_large(
        flow: TakeNumberFlow, paper: str) -> None:
    """An elder's or disabled citizen's ticket carries 优先 in Chinese mode (GB18030 inside
    FS & ... FS .), as on the screen, and the window and zone lines at double height at least."""
    from drivers.printer.profiles import load_profile
    from drivers.printer.render import TicketRenderer

    flow.handle(ChooseZone("C"))
    flow.handle(ChooseMatter("marriage-reg"))
    flow.handle(DeclareDisability(True))
    flow.handle(Continue())
    flow.handle(PrinterChecked(ok=True))
    flow.handle(Confirm())
    issued = TicketInfo(**{**TICKET.__dict__, "priority": "disabled"})
    [job] = flow.handle(TicketIssued(issued))
    assert flow.view().data["priority"] == "disabled"  # the screen shows take.priority.disabled
    renderer = TicketRenderer(load_profile(paper))
    for language in ("zh", "en"):  # an English ticket keeps the Chinese line for the staff
        data = renderer.render_bytes("queue_ticket", job.data, language)
        mark = FS_ON + "残疾人优先".encode("gb18030") + FS_OFF
        assert mark in data and "优先".encode("gb18030") in data
        assert _size_before(data, data.index(mark)) & 0x0F >= 1  # at least double height
    data = renderer.render_bytes("queue_ticket", job.data, "zh")
    for line in ("窗口：21-23号", "区域：婚姻登记区（2楼）"):
        at = data.index(FS_ON + line.encode("gb18030"))
        assert _size_before(data, at) & 0x0F >= 1, line  # GS ! height >= 2 before the line
    after_window = data.index(b"\n", data.index("窗口：21-23号".encode("gb18030")))
    assert _size_before(data, data.index(FS_ON, after_window)) == 0  # and normal size after
    english = renderer.render_bytes("queue_ticket", job.data, "en")
    assert b"Priority:" in english and b"disability" in english  # wrapped on 58 mm


def test_a_ticket_without_priority_prints_no_priority(flow: TakeNumberFlow) -> None:
    from drivers.printer.profiles import load_profile
    from drivers.printer.render import TicketRenderer

    to_confirm(flow)
    flow.handle(PrinterChecked(ok=True))
    flow.handle(Confirm())
    [job] = flow.handle(TicketIssued(TICKET))
    data = TicketRenderer(load_profile("generic-80")).render_bytes("queue_ticket", job.data, "zh")
    assert "优先".encode("gb18030") not in data


def test_unreadable_card_is_shown_and_can_be_skipped(flow: TakeNumberFlow) -> None:
    flow.handle(ChooseZone("A"))
    flow.handle(ChooseMatter("birth-cert"))
    flow.handle(CardUnreadable("card.place_flat"))
    assert flow.view().data["card_problem"] == "card.place_flat"
    flow.handle(Continue())
    assert flow.state == State.CONFIRM


def test_appointment_code_and_its_refusal(flow: TakeNumberFlow) -> None:
    flow.handle(ChooseZone("C"))
    flow.handle(ChooseMatter("marriage-reg"))
    flow.handle(EnterAppointmentCode(" AB12-CD "))
    flow.handle(Continue())
    [request] = requests_of(flow.handle(Confirm()))
    assert request.appointment_code == "AB12-CD"
    flow.handle(TicketRefused("appointment.not_today"))
    assert flow.state == State.ERROR and flow.view().error == "appointment.not_today"
    flow.handle(Retry())
    assert flow.state == State.IDENTIFY and flow.appointment_code is None


# ---------------------------------------------------------------- printer trouble


def test_printer_down_citizen_told_before_number_and_screen_is_ticket(
        flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    flow.handle(PrinterChecked(ok=False, reason_key="printer.paper_out"))
    view = flow.view().data
    assert view["printer_ok"] is False and view["notice"] == "take.screen_only_notice"
    flow.handle(Confirm())
    effects = flow.handle(TicketIssued(TICKET))
    assert not any(isinstance(e, PrintTemplate) for e in effects)
    view = flow.view().data
    assert view["number"] == "C023" and view["print_status"] == "screen_only"
    assert view["notice"] == "take.screen_is_ticket"


def test_print_fails_after_ticket_screen_still_has_number(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    flow.handle(PrinterChecked(ok=True))
    flow.handle(Confirm())
    flow.handle(TicketIssued(TICKET))
    flow.handle(PrintFinished(printed=False, reason_key="printer.cover_open"))
    view = flow.view().data
    assert view["number"] == "C023" and view["notice"] == "take.print_failed"
    assert view["printer_reason"] == "printer.cover_open"
    assert flow.state == State.TICKET


def test_printer_answer_arriving_late_still_counts(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    flow.handle(Confirm())  # before the printer answered
    flow.handle(PrinterChecked(ok=False, reason_key="printer.offline"))
    effects = flow.handle(TicketIssued(TICKET))
    assert effects == [] and flow.view().data["print_status"] == "screen_only"


# ---------------------------------------------------------------- centre trouble, closed, quota


def test_centre_offline_plain_message_and_what_still_works(flow: TakeNumberFlow,
                                                          assert_ended: Any) -> None:
    to_confirm(flow)
    flow.handle(Confirm())
    flow.handle(CentreOffline())
    view = flow.view()
    assert view.state == "ERROR" and view.error == "take.offline"
    assert "take.still_works.guide" in view.data["still_works"]
    assert_ended(flow, flow.handle(Abort()), "abort")


def test_centre_server_error_then_retry_succeeds(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    flow.handle(Confirm())
    flow.handle(CentreFailed("central.bad_answer"))
    assert flow.view().error == "central.bad_answer"
    flow.handle(Retry())
    flow.handle(TicketIssued(TICKET))
    assert flow.state == State.TICKET


def test_matter_closed_now_says_when_to_come_back(session: CitizenSession,
                                                  catalogue: Catalogue) -> None:
    saturday = dt.datetime(2026, 11, 28, 10, 0)
    flow = TakeNumberFlow(session, catalogue, saturday)
    flow.handle(ChooseZone("C"))
    effects = flow.handle(ChooseMatter("marriage-reg"))
    assert effects == [] and flow.state == State.UNAVAILABLE
    view = flow.view().data
    assert view["message"] == "take.closed"
    assert view["come_back_at"] == dt.datetime(2026, 11, 30, 9, 0)
    flow.handle(Back())
    assert flow.state == State.CHOOSE_MATTER


@pytest.mark.parametrize("hour", [10, 23])  # open at any hour, and never a number
def test_self_service_matter_needs_no_number_and_says_where(session: CitizenSession,
                                                             catalogue: Catalogue, hour: int) -> None:
    """The centre issues no number for a self-service matter (matter.no_queue): say so at once."""
    flow = TakeNumberFlow(session, catalogue, dt.datetime(2026, 11, 27, hour, 0))
    flow.handle(ChooseZone("S"))
    effects = flow.handle(ChooseMatter("social-card"))
    assert flow.state == State.UNAVAILABLE
    assert not any(isinstance(effect, RequestTicket) for effect in effects)
    view = flow.view()
    assert view.prompt == "take.no_queue"
    assert view.data["message"] == "take.self_service" and view.data["come_back_at"] is None
    assert view.data["place"] == catalogue.zone("S").location  # no guide: the zone says where
    flow.handle(Back())
    assert flow.state == State.CHOOSE_MATTER


def test_quota_gone_with_and_without_centre_time(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    flow.handle(Confirm())
    flow.handle(TicketRefused("ticket.quota_gone"))
    view = flow.view().data
    assert view["message"] == "take.quota_gone"
    assert view["come_back_at"] == dt.datetime(2026, 11, 24, 9, 0)  # tomorrow, not today

    flow.handle(Back())
    flow.handle(ChooseMatter("marriage-reg"))
    flow.handle(Continue())
    flow.handle(Confirm())
    told = dt.datetime(2026, 11, 25, 9, 0)
    flow.handle(TicketRefused("ticket.closed", come_back_at=told))
    assert flow.view().data == {**flow.view().data, "message": "take.closed", "come_back_at": told}


def test_home_now_on_the_unavailable_screen_ends_the_session(flow: TakeNumberFlow,
                                                             assert_ended: Any) -> None:
    to_confirm(flow)
    flow.handle(Confirm())
    flow.handle(TicketRefused("ticket.quota_gone"))
    assert flow.state == State.UNAVAILABLE
    assert_ended(flow, flow.handle(Abort()), "abort")


def test_time_arrives_as_ticks(flow: TakeNumberFlow) -> None:
    flow.handle(Tick(dt.datetime(2026, 11, 23, 17, 30)))
    flow.handle(ChooseZone("C"))
    flow.handle(ChooseMatter("marriage-reg"))
    assert flow.state == State.UNAVAILABLE


# ---------------------------------------------------------------- back, elder mode


def test_back_walks_to_previous_screens(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    for expected in (State.IDENTIFY, State.CHOOSE_MATTER, State.CHOOSE_ZONE):
        flow.handle(Back())
        assert flow.state == expected
    assert flow.handle(Back()) == [] and flow.state == State.CHOOSE_ZONE


def test_elder_mode_reads_each_screen_aloud(flow: TakeNumberFlow) -> None:
    flow.session.set_elder_mode(True)
    assert flow.start() == [Speak("take.choose_zone")]
    assert flow.handle(ChooseZone("C")) == [Speak("take.choose_matter")]
    assert flow.view().elder is True


def test_elder_mode_asks_about_disability_on_its_own_screen(flow: TakeNumberFlow) -> None:
    flow.session.set_elder_mode(True)
    flow.handle(ChooseZone("A"))
    flow.handle(ChooseMatter("birth-cert"))
    assert flow.view().data["ask_disability"] is False
    assert flow.handle(Continue()) == [Speak("take.ask_priority")]
    assert flow.state == State.ASK_PRIORITY
    effects = flow.handle(DeclareDisability(True))
    assert effects == [Speak("take.confirm"), CheckPrinter()]
    [request] = requests_of(flow.handle(Confirm()))
    assert request.priority_reason == "disabled"


def test_elder_mode_with_elder_card_skips_the_question(flow: TakeNumberFlow,
                                                       elder_card: Any) -> None:
    flow.session.set_elder_mode(True)
    flow.handle(ChooseZone("A"))
    flow.handle(ChooseMatter("birth-cert"))
    flow.handle(CardInserted(elder_card))
    flow.handle(Continue())
    assert flow.state == State.CONFIRM


def test_elder_mode_answer_no_goes_on_without_priority(flow: TakeNumberFlow) -> None:
    flow.session.set_elder_mode(True)
    flow.handle(ChooseZone("A"))
    flow.handle(ChooseMatter("birth-cert"))
    flow.handle(Continue())
    flow.handle(DeclareDisability(False))
    [request] = requests_of(flow.handle(Confirm()))
    assert request.priority_reason is None


# ---------------------------------------------------------------- leaving from every state


def drive_to(flow: TakeNumberFlow, state: State, card: Any) -> None:
    flow.handle(CardInserted(card))  # a young card: no priority, so elder mode still asks
    steps: dict[State, list] = {
        State.CHOOSE_ZONE: [],
        State.CHOOSE_MATTER: [ChooseZone("C")],
        State.IDENTIFY: [ChooseZone("C"), ChooseMatter("marriage-reg")],
        State.ASK_PRIORITY: [ChooseZone("C"), ChooseMatter("marriage-reg"), Continue()],
        State.CONFIRM: [ChooseZone("C"), ChooseMatter("marriage-reg"), Continue()],
        State.REQUESTING: [ChooseZone("C"), ChooseMatter("marriage-reg"), Continue(), Confirm()],
        State.TICKET: [ChooseZone("C"), ChooseMatter("marriage-reg"), Continue(), Confirm(),
                       TicketIssued(TICKET)],
        State.UNAVAILABLE: [ChooseZone("C"), ChooseMatter("marriage-reg"), Continue(), Confirm(),
                            TicketRefused("ticket.quota_gone")],
        State.ERROR: [ChooseZone("C"), ChooseMatter("marriage-reg"), Continue(), Confirm(),
                      CentreOffline()],
    }
    flow.session.set_elder_mode(True)
    for event in steps[state]:
        flow.handle(event)
        if flow.state == State.ASK_PRIORITY and state != State.ASK_PRIORITY:
            flow.handle(DeclareDisability(False))
    assert flow.state == state


LEAVING = [(Cancel(), "cancel"), (Home(), "home"), (IdleReset(), "idle")]


@pytest.mark.parametrize("state", [s for s in State if s != State.FINISHED], ids=lambda s: s.name)
@pytest.mark.parametrize(("event", "reason"), LEAVING, ids=[r for _, r in LEAVING])
def test_leaving_from_every_state_drops_everything(flow: TakeNumberFlow, young_card: Any,
                                                   state: State, event: Any, reason: str,
                                                   assert_ended: Any) -> None:
    drive_to(flow, state, young_card)
    assert flow.session.id_hash is not None
    assert_ended(flow, flow.handle(event), reason)
    assert flow.matter_id is None and flow.ticket is None and flow.zone_id is None
    assert flow.confirmation_key is None


def test_ticket_shows_and_prints_the_centres_estimated_wait(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    flow.handle(Confirm())
    [job] = flow.handle(TicketIssued(dataclasses.replace(TICKET, estimated_wait_min=15)))
    assert job.data["wait_min"] == 15 and flow.view().data["wait_min"] == 15


def test_nobody_ahead_prints_no_wait(flow: TakeNumberFlow) -> None:
    to_confirm(flow)
    flow.handle(Confirm())
    first = dataclasses.replace(TICKET, ahead=0, estimated_wait_min=0)
    [job] = flow.handle(TicketIssued(first))
    assert job.data["wait_min"] == "" and not flow.view().data["wait_min"]


# ---------------------------------------------------------------- the centre's limits


def test_the_centres_limits_reach_the_citizen_in_plain_words(
        session: CitizenSession, catalogue: Catalogue, now: dt.datetime,
        young_card: Any, tmp_path: Any) -> None:
    """A real centre on 127.0.0.1 refuses the second number of a kiosk (rate) and of a person
    (per matter per day); the flow turns each refusal into words a citizen understands."""
    from central.limits import RateLimits
    from central.testing import running_centre
    from kiosk.services.central import CentralClient
    from kiosk.services.effects import Outcome, failure
    from kiosk.ui.flows.ticket import ticket_event
    from kiosk.words import text

    def citizen(client: CentralClient, card: Any = None) -> TakeNumberFlow:
        """One citizen at the kiosk: the request goes to the centre as the bridge sends it."""
        session.drop()  # the citizen before has left
        flow = TakeNumberFlow(session, catalogue, now)  # real keys: the centre checks them
        if card is not None:
            flow.handle(CardInserted(card))
        to_confirm(flow)
        [request] = requests_of(flow.handle(Confirm()))
        try:
            outcome = Outcome(True, client.take_ticket(
                request.matter_id, idempotency_key=request.idempotency_key,
                priority=request.priority_reason, id_hash=request.id_hash))
        except Exception as error:  # what EffectRunner does with a failed call
            outcome = failure(error)
        flow.handle(ticket_event(outcome))
        return flow

    for limits, card, words, zh, en in [
        (RateLimits(tickets_per_kiosk=1), None, "take.rate_limited", "请过一分钟再试",
         "try again in a minute"),
        (RateLimits(tickets_per_person=1), young_card, "take.person_limit", "今天已经为这个事项取过号",
         "already taken numbers for this matter today"),
    ]:
        with running_centre(tmp_path / f"{words}.db", limits=limits) as centre:
            client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, retries=0)
            first = citizen(client, card)
            assert first.state == State.TICKET, first.view().error
            refused = citizen(client, card)
            client.close()
        assert refused.state == State.ERROR and refused.view().error == words
        assert zh in text(words, "zh") and en in text(words, "en")
