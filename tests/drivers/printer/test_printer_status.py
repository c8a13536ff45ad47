"""Status handling against the virtual printer over TCP: every state, silence, mid-job paper out."""

import pytest

from drivers.printer.render import example_data
from drivers.printer.status import PrinterState, interpret

STATE_CASES = [
    ("ok", PrinterState.OK, True, ""),
    ("paper_near_end", PrinterState.PAPER_NEAR_END, True, ""),
    ("paper_out", PrinterState.PAPER_OUT, False, "printer.paper_out"),
    ("cover_open", PrinterState.COVER_OPEN, False, "printer.cover_open"),
    ("offline", PrinterState.OFFLINE, False, "printer.offline"),
    ("error", PrinterState.ERROR, False, "printer.error"),
    ("no_answer", PrinterState.UNKNOWN, False, "printer.no_answer"),
    ("garbled", PrinterState.UNKNOWN, False, "printer.bad_answer"),
]


@pytest.mark.parametrize("paper_mm", [80], indirect=False)
@pytest.mark.parametrize(("vp_state", "expected", "printed", "reason"), STATE_CASES)
def test_job_outcome_for_each_printer_state(virtual_printer, driver, vp_state, expected, printed,
                                            reason):
    virtual_printer.set_state(vp_state)
    result = driver.print_job("queue_ticket", example_data("queue_ticket"))
    assert result.before.state is expected
    assert result.printed is printed
    assert result.reason_key == reason
    if printed:
        assert virtual_printer.wait_for_tickets(1)
        assert "C023" in virtual_printer.tickets[0].text
    else:
        # Nothing was sent to a printer that could not print it.
        assert result.bytes_sent == 0
        assert virtual_printer.tickets == []


@pytest.mark.parametrize("paper_mm", [80])
def test_no_answer_is_unknown_never_ok(virtual_printer, driver):
    virtual_printer.set_state("no_answer")
    status = driver.status()
    assert status.state is PrinterState.UNKNOWN
    assert not status.can_print
    assert status.paper_out is None  # nobody told us there is paper


@pytest.mark.parametrize("paper_mm", [80])
def test_paper_out_mid_job_is_reported_not_printed(virtual_printer, driver):
    virtual_printer.run_out_of_paper_after(150)
    result = driver.print_job("queue_ticket", example_data("queue_ticket"))
    assert result.before.state is PrinterState.OK
    assert result.after.state is PrinterState.PAPER_OUT
    assert (result.printed, result.reason_key) == (False, "printer.paper_out")
    assert virtual_printer.wait_for_tickets(1)
    ticket = virtual_printer.tickets[0]
    assert not ticket.complete  # the paper shows a torn-off, partial ticket
    assert ticket.qr_contents == []  # the QR near the end never came out


@pytest.mark.parametrize("paper_mm", [80])
def test_status_changes_are_events(virtual_printer, driver):
    seen = []
    driver.add_listener(lambda status: seen.append(status.state))
    driver.status()
    driver.status()  # same condition: no new event
    virtual_printer.set_state("cover_open")
    driver.status()
    virtual_printer.set_state("ok")
    driver.status()
    assert seen == [PrinterState.OK, PrinterState.COVER_OPEN, PrinterState.OK]


@pytest.mark.parametrize("paper_mm", [80])
def test_printer_gone_is_not_connected_then_recovers(tmp_path, virtual_printer, driver):
    driver.params["port"] = 1  # nothing listens there
    driver.close()
    status = driver.status()
    assert (status.state, status.reason_key) == (PrinterState.UNKNOWN, "printer.not_connected")
    driver.params["port"] = virtual_printer.port
    assert driver.status().state is PrinterState.OK


def test_reply_validation_rejects_non_status_bytes():
    ok = b"\x12"
    assert interpret(ok, ok, ok).state is PrinterState.OK
    assert interpret(b"\x12\x12", ok, ok).state is PrinterState.UNKNOWN  # two bytes to one query
    assert interpret(b"\x80", b"\x80", b"\x80").reason_key == "printer.bad_answer"
    assert interpret(b"", b"", b"").reason_key == "printer.no_answer"
    assert interpret(ok, ok, b"").state is PrinterState.UNKNOWN  # paper unanswered: not OK
    assert interpret(ok, ok, b"\x72").state is PrinterState.PAPER_OUT
    assert interpret(b"\x1a", b"\x16", ok).state is PrinterState.COVER_OPEN
