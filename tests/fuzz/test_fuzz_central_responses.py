"""Fuzz: whatever a centre answers over real HTTP, the client returns a valid typed answer or
raises one of its own errors; nonsense never becomes "0 people waiting"."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.services.central import (
    CentralClient,
    CentralError,
    CentralRejected,
    CentralServerError,
    ConfigBundle,
    ReportReceipt,
    ReportStatus,
    Ticket,
    TicketStatus,
)
from tests.fuzzing import fuzz_settings

VALID: dict[str, dict[str, Any]] = {
    "take_ticket": {
        "id": "t-1", "number": "A012", "matter_id": "m-1", "matter_name": "社保",
        "matter_name_en": "Social security",
        "zone": {"id": "z-1", "name": "一区", "name_en": "Zone 1", "floor": 1,
                 "location": "东侧", "location_en": "East"},
        "windows": "1-3", "ahead": 4, "priority": None,
        "issued_at": "2026-11-23T09:00:00+08:00", "tracking_url": "https://hall/q/t-1"},
    "ticket_status": {"id": "t-1", "number": "A012", "status": "waiting", "ahead": 3,
                      "window": None},
    "submit_report": {"tracking_no": "R1", "promised_date": "2026-11-30",
                      "received_at": "2026-11-23T09:00:00+08:00",
                      "tracking_url": "https://hall/r/R1"},
    "report_status": {"tracking_no": "R1", "status": "accepted", "promised_date": "2026-11-30",
                      "kind_name": None, "kind_name_en": None, "answer": None,
                      "steps": [{"step": s, "name": s, "name_en": s, "done_at": None}
                                for s in ("a", "b", "c", "d", "e")]},
    "heartbeat": {"server_time": "2026-11-23T09:00:00+08:00", "config_version": 3},
    "fetch_config": {"version": 3, "published_at": "x", "body": "{}", "signature": "AA=="},
}

CALLS: dict[str, Callable[[CentralClient], Any]] = {
    "take_ticket": lambda c: c.take_ticket("m-1", idempotency_key="k1"),
    "ticket_status": lambda c: c.ticket_status("t-1"),
    "submit_report": lambda c: c.submit_report({"x": 1}, idempotency_key="k2"),
    "report_status": lambda c: c.report_status("R1"),
    "heartbeat": lambda c: c.heartbeat({"app_version": "1"}),
    "fetch_config": lambda c: c.fetch_config("etag-1"),
}

TYPES = {"take_ticket": Ticket, "ticket_status": TicketStatus, "submit_report": ReportReceipt,
         "report_status": ReportStatus, "heartbeat": dict, "fetch_config": ConfigBundle}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2 ** 40), 2 ** 40) | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*prefix, index)
            yield from _paths(child, (*prefix, index))


@st.composite
def mutated_valid(draw: st.DrawFn, call: str) -> bytes:
    """A contract-valid answer with one to three fields replaced, removed or retyped."""
    data = copy.deepcopy(VALID[call])
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def bodies(call: str) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(lambda t: t.encode("utf-8")),
        json_values.map(lambda v: json.dumps(v).encode("utf-8")),
        mutated_valid(call),
        st.just(json.dumps(VALID[call]).encode("utf-8")[:-3]),  # truncated
        st.just(b"<html><body>502 Bad Gateway</body></html>"),
    )


statuses = st.sampled_from([200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 409, 422, 429,
                            500, 502, 503]) | st.integers(200, 599)


@pytest.fixture(scope="module")
def client(scripted_server: Any) -> Iterator[CentralClient]:
    central = CentralClient(scripted_server.url, "fuzz-token", "kiosk-01", connect_timeout_s=2,
                            read_timeout_s=5, retries=0, backoff_s=0)
    yield central
    central.close()


def _valid_answer(status: int, body: bytes) -> Any:
    if not 200 <= status < 300:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


@fuzz_settings(200)
@given(data=st.data())
def test_any_answer_is_a_typed_result_or_a_central_error(
        scripted_server: Any, client: CentralClient, data: st.DataObject) -> None:
    call = data.draw(st.sampled_from(sorted(CALLS)))
    status = data.draw(statuses)
    body = data.draw(bodies(call))
    content_type = data.draw(st.sampled_from(["application/json", "text/html",
                                              "application/problem+json"]))
    scripted_server.serve(status, body, content_type)
    try:
        result = CALLS[call](client)
    except CentralRejected as error:
        assert 400 <= status < 500, f"{status} became a rejection"
        assert isinstance(error.reason, str) and error.reason
    except CentralServerError:
        pass
    except CentralError:
        pass  # CentralOffline: e.g. a body that broke the framing
    else:
        if call == "fetch_config" and result is None:
            assert status == 304
            return
        assert isinstance(result, TYPES[call])
        parsed = _valid_answer(status, body)
        assert isinstance(parsed, dict), f"HTTP {status} {body[:60]!r} accepted as {result!r}"
        if isinstance(result, Ticket | TicketStatus):
            # The number of people ahead shown to the citizen is exactly what the centre sent.
            assert type(parsed["ahead"]) is int and parsed["ahead"] == result.ahead >= 0
        if isinstance(result, TicketStatus):
            assert result.status in ("waiting", "called", "expired")


@fuzz_settings(100)
@given(st.binary(max_size=100) | st.just(b"") | st.just(b"{}") | st.just(b'{"ahead": 0}'))
def test_a_5xx_never_gives_a_queue_position(scripted_server: Any, client: CentralClient,
                                            body: bytes) -> None:
    scripted_server.serve(500, body)
    with pytest.raises(CentralServerError):
        client.ticket_status("t-1")


@pytest.mark.parametrize("call", sorted(CALLS))
def test_contract_valid_answers_are_accepted(scripted_server: Any, client: CentralClient,
                                             call: str) -> None:
    """The fuzz above is not vacuous: the unmutated answers do parse into typed results."""
    scripted_server.serve(200, json.dumps(VALID[call]).encode("utf-8"))
    assert isinstance(CALLS[call](client), TYPES[call])
