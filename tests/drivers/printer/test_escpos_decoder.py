"""The ESC/POS decoder reads the same ticket however the bytes are chunked on the wire."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.printer.escpos_decoder import EscPosDecoder
from drivers.printer.profiles import load_profile
from drivers.printer.render import TicketRenderer, example_data

PAYLOAD = TicketRenderer(load_profile("generic-80")).render_bytes(
    "notification_slip", example_data("notification_slip"))


def _decode(chunks):
    tickets, replies = [], bytearray()
    decoder = EscPosDecoder(tickets.append, lambda n: bytes([0x12]), lambda: True)
    for chunk in chunks:
        replies += decoder.feed(chunk)
    return tickets, bytes(replies)


WHOLE, _ = _decode([PAYLOAD])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(PAYLOAD)), max_size=12))
def test_any_chunking_gives_the_same_ticket(cuts):
    edges = sorted({0, len(PAYLOAD), *cuts})
    chunks = [PAYLOAD[a:b] for a, b in itertools.pairwise(edges)]
    tickets, _ = _decode(chunks)
    assert [t.text for t in tickets] == [t.text for t in WHOLE]
    assert [t.qr_contents for t in tickets] == [t.qr_contents for t in WHOLE]


def test_status_query_split_across_packets_is_answered_once():
    _, replies = _decode([b"\x10", b"\x04", b"\x04"])
    assert replies == b"\x12"
