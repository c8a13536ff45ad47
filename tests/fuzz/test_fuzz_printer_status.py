"""Fuzz: any reply bytes (or silence) to DLE EOT 1/2/4 give a status, never "OK" from garbage."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drivers.printer.status import PrinterState, interpret, is_status_byte
from tests.fuzzing import fuzz_settings

replies = st.one_of(st.none(), st.binary(max_size=8),
                    st.integers(0, 255).map(lambda n: bytes([n])))


def _valid(reply: bytes | None) -> bool:
    return reply is not None and len(reply) == 1 and is_status_byte(reply[0])


@fuzz_settings(300)
@given(replies, replies, replies)
def test_printer_only_prints_when_all_three_replies_are_real_status_bytes(
        printer: bytes | None, offline: bytes | None, paper: bytes | None) -> None:
    status = interpret(printer, offline, paper)
    assert isinstance(status.state, PrinterState)
    if status.can_print:
        assert _valid(printer) and _valid(offline) and _valid(paper)
    if not any(_valid(r) for r in (printer, offline, paper)):
        assert status.state is PrinterState.UNKNOWN
        assert status.reason_key in ("printer.no_answer", "printer.bad_answer")


@fuzz_settings(100)
@given(st.binary(min_size=1, max_size=16).filter(lambda b: not (len(b) == 1
                                                               and is_status_byte(b[0]))))
def test_garbage_in_every_reply_is_a_bad_answer_not_ok(garbage: bytes) -> None:
    status = interpret(garbage, garbage, garbage)
    assert status.state is PrinterState.UNKNOWN
    assert status.reason_key == "printer.bad_answer"
    assert not status.can_print


def test_silence_is_no_answer() -> None:
    status = interpret(None, None, None)
    assert status.state is PrinterState.UNKNOWN
    assert status.reason_key == "printer.no_answer"
    assert not status.can_print
