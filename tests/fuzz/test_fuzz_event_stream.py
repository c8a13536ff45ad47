"""Fuzz: the server-sent event stream parser, fed over real HTTP by a scripted server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.services.central import CentralClient, CentralError, ServerEvent, event_json
from tests.fuzzing import fuzz_settings

#: What the reference centre (Starlette) sends; a test below also serves a bare type.
UTF8_STREAM = "text/event-stream; charset=utf-8"


@pytest.fixture(scope="module")
def client(scripted_server: Any) -> Iterator[CentralClient]:
    central = CentralClient(scripted_server.url, "fuzz-token", "kiosk-01", connect_timeout_s=2,
                            read_timeout_s=5, retries=0, backoff_s=0)
    yield central
    central.close()


def _collect(client: CentralClient) -> list[ServerEvent]:
    return list(client.events(read_timeout_s=5))


@fuzz_settings(200)
@given(st.binary(max_size=1500) | st.text(max_size=800).map(lambda t: t.encode("utf-8")))
def test_any_stream_yields_events_or_a_central_error(scripted_server: Any,
                                                     client: CentralClient, body: bytes) -> None:
    scripted_server.serve(200, body, "text/event-stream")
    try:
        events = _collect(client)
    except CentralError:
        return
    for event in events:
        assert isinstance(event, ServerEvent)
        assert isinstance(event.event, str) and isinstance(event.data, str)
        parsed = event_json(event)
        assert parsed is None or isinstance(parsed, dict)


# Field values without line breaks of any kind (SSE ends a line at CR, LF or CRLF; the parser
# splits with str.splitlines, see the separate test below for other Unicode separators).
line_text = st.text(st.characters(blacklist_categories=("Cs", "Zl", "Zp", "Cc")), max_size=60)
events = st.lists(st.tuples(st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10)
                            .filter(lambda name: name != "ping"),
                            st.lists(line_text, min_size=1, max_size=3)), max_size=6)


@fuzz_settings(150)
@given(events, st.booleans())
def test_well_formed_events_arrive_exactly_as_sent(scripted_server: Any, client: CentralClient,
                                                   sent: list[tuple[str, list[str]]],
                                                   with_pings: bool) -> None:
    text = ""
    for name, data_lines in sent:
        if with_pings:
            text += ": ping\n\n"
        text += f"event: {name}\n" + "".join(f"data: {line}\n" for line in data_lines) + "\n"
    scripted_server.serve(200, text.encode("utf-8"), UTF8_STREAM)
    everything = _collect(client)
    received = [e for e in everything if e.event != "ping"]
    assert len(everything) - len(received) == (len(sent) if with_pings else 0)
    assert [(e.event, e.data) for e in received] == [(n, "\n".join(d)) for n, d in sent]


def test_a_stream_with_the_wrong_content_type_is_refused(scripted_server: Any,
                                                        client: CentralClient) -> None:
    scripted_server.serve(200, b"event: config\ndata: {}\n\n", "text/html")
    with pytest.raises(CentralError):
        _collect(client)


# Both found by fuzzing and fixed in kiosk/services/central.py _parse_sse.
def test_a_stream_without_charset_is_still_read_as_utf8(scripted_server: Any,
                                                        client: CentralClient) -> None:
    scripted_server.serve(200, "event: notice\ndata: 请到二楼\n\n".encode(), "text/event-stream")
    assert [(e.event, e.data) for e in _collect(client)] == [("notice", "请到二楼")]


def test_a_unicode_line_separator_inside_data_is_kept(scripted_server: Any,
                                                      client: CentralClient) -> None:
    scripted_server.serve(200, "event: notice\ndata: a\u2028b\n\n".encode(), UTF8_STREAM)
    assert [(e.event, e.data) for e in _collect(client)] == [("notice", "a\u2028b")]
