"""The bodies the flows hand to the outbox are accepted by the centre's own request models."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from central.app import EvaluationRequest, HelpCallRequest, ReportRequest, TicketRequest
from hall.catalogue import Catalogue
from kiosk.flows import evaluation, report, take_number
from kiosk.flows.base import Effect
from kiosk.flows.help import AskForHelp, HelpCall
from kiosk.flows.session import CitizenSession


def only(effects: list[Effect], kind: type) -> Any:
    [effect] = [e for e in effects if isinstance(e, kind)]
    return effect


@pytest.mark.parametrize("situation", report.SITUATIONS)
@pytest.mark.parametrize("with_card", [False, True], ids=["phone", "card"])
@pytest.mark.parametrize("skip", [False, True], ids=["text", "skipped"])
def test_report_body(session: CitizenSession, catalogue: Catalogue, now: dt.datetime,
                     young_card: Any, situation: str, with_card: bool, skip: bool) -> None:
    flow = report.ReportFlow(session, catalogue, now)
    if with_card:
        flow.handle(report.CardInserted(young_card))
    else:
        flow.handle(report.UsePhone())
        flow.handle(report.EnterPhone("13812345678"))
    flow.handle(report.ChooseMatter(None if skip else "marriage-reg"))
    flow.handle(report.ChooseSituation(situation))
    flow.handle(report.SkipDescription() if skip else report.Describe("跑了三次"))
    if not skip:
        flow.handle(report.Next())
    flow.handle(report.EnterContact("13900001111"))
    submit = only(flow.handle(report.Submit()), report.SubmitReport)
    ReportRequest.model_validate(submit.body())


@pytest.mark.parametrize("level", evaluation.LEVELS)
@pytest.mark.parametrize("link", ["ticket", "window"])
def test_evaluation_body(session: CitizenSession, catalogue: Catalogue, now: dt.datetime,
                         level: int, link: str) -> None:
    flow = evaluation.EvaluationFlow(session, catalogue, now)
    flow.handle(evaluation.LinkTicket("ab" * 16) if link == "ticket"
                else evaluation.LinkWindow("12"))
    effects = flow.handle(evaluation.ChooseLevel(level))
    if level in evaluation.LOW_LEVELS:
        flow.handle(evaluation.ToggleReason("slow"))
        flow.handle(evaluation.Submit())
        effects = flow.handle(evaluation.EnterPhone("+86 138-0013-8000"))
    submit = only(effects, evaluation.SubmitEvaluation)
    EvaluationRequest.model_validate(submit.body())


@pytest.mark.parametrize("from_flow", [None, "report", "take_number"])
def test_help_body(from_flow: str | None) -> None:
    send = HelpCall("一楼24小时自助服务区").handle(AskForHelp(from_flow))[0]
    HelpCallRequest.model_validate(send.body())


@pytest.mark.parametrize("card", ["none", "elder", "young"])
def test_ticket_request_fields(session: CitizenSession, catalogue: Catalogue, now: dt.datetime,
                               elder_card: Any, young_card: Any, card: str) -> None:
    flow = take_number.TakeNumberFlow(session, catalogue, now)
    flow.handle(take_number.ChooseZone("C"))
    flow.handle(take_number.ChooseMatter("marriage-reg"))
    if card != "none":
        flow.handle(take_number.CardInserted(elder_card if card == "elder" else young_card))
    flow.handle(take_number.Continue())
    request = only(flow.handle(take_number.Confirm()), take_number.RequestTicket)
    body = {"matter_id": request.matter_id, "priority": request.priority_reason,
            "id_hash": request.id_hash}
    TicketRequest.model_validate(body)
