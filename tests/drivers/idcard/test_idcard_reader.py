"""Reader tests over a real pseudo-terminal (and TCP) against the byte-exact simulator."""

from __future__ import annotations

import errno
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import replace
from types import SimpleNamespace

import pytest
import serial

from drivers.idcard.cards import CARDS
from drivers.idcard.protocol import Command
from drivers.idcard.reader import (
    REASONS,
    IdCardReader,
    LinkError,
    LinkProblem,
    PortNotFound,
    ReaderConfig,
    ReaderLink,
    open_problem,
    query_status,
    resolve_port,
)
from drivers.idcard.simulator import CardSimulator, Fault
from kiosk.words import WORDS
from tests.drivers.idcard.odd_cards import NON_ASCII_DIGITS, non_ascii_digit_card

READS = [Command.READ_TEXT_PHOTO]
WAIT_S = 5.0


def connected(recorder, sim: CardSimulator, start_reader: Callable[..., IdCardReader],
              **overrides: object) -> IdCardReader:  # fmt: skip
    reader = start_reader(sim.port_path, **overrides)
    assert recorder.wait_for("connected")
    return reader


def test_a_placed_card_is_read_once_and_its_removal_reported(sim, recorder, start_reader, polls_pass) -> None:
    connected(recorder, sim, start_reader)
    sim.place(CARDS["resident"])
    assert recorder.wait_for("read")
    record = recorder.of("read")[0]
    assert record.name == "张测试" and record.masked_id() == "110101********0011"

    assert polls_pass(sim, 20)  # the card stays on the reader for many polls
    assert recorder.count("read") == 1
    assert recorder.count("removed") == 0

    sim.remove()
    assert recorder.wait_for("removed")
    assert recorder.kinds() == ["connected", "read", "removed"]


def test_reader_that_rereports_a_read_card_still_reads_once(recorder, start_reader, polls_pass):
    with CardSimulator(rereport_read_card=True) as chatty:
        start_reader(chatty.open_pty())
        chatty.place(CARDS["resident"])
        assert recorder.wait_for("read")
        assert polls_pass(chatty, 20)
        assert recorder.count("read") == 1
        chatty.remove()
        assert recorder.wait_for("removed")
        chatty.place(CARDS["long_name"])
        assert recorder.wait_for("read", 2)
        assert recorder.of("read")[1].name == "阿依古丽·测试示例样本名字长名"


def test_fingerprint_read_command_when_configured(sim, recorder, start_reader) -> None:
    connected(recorder, sim, start_reader, read_fingerprint=True)
    sim.place(CARDS["long_name"])
    assert recorder.wait_for("read")
    assert Command.READ_TEXT_PHOTO_FINGERPRINT in sim.requests
    assert Command.READ_TEXT_PHOTO not in sim.requests


def test_next_card_after_removal_is_read_too(sim, recorder, start_reader) -> None:
    connected(recorder, sim, start_reader)
    sim.place(CARDS["long_term"])
    assert recorder.wait_for("read")
    sim.remove()
    assert recorder.wait_for("removed")
    sim.place(CARDS["hkmt_permit"])
    assert recorder.wait_for("read", 2)
    assert [r.name for r in recorder.of("read")] == ["李示例", "陈样例"]


def test_appended_address_is_read(sim, recorder, start_reader) -> None:
    connected(recorder, sim, start_reader)
    sim.place(CARDS["appended_address"])
    assert recorder.wait_for("read")
    assert recorder.of("read")[0].appended_address == "河南省郑州市郑东新区测试大道100号"


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("bad_check_digit", "card.invalid"),
        ("birth_mismatch", "card.invalid"),
        ("unknown_flag", "card.unsupported"),
        ("unknown_card_type", "card.unsupported"),
        ("read_fails", "card.try_again"),
        ("bad_frame_checksum", "card.try_again"),
    ],
)
def test_bad_cards_are_reported_once_and_never_read(sim, recorder, start_reader, polls_pass, label, reason):
    connected(recorder, sim, start_reader)
    sim.place(CARDS[label])
    assert recorder.wait_for("unreadable")
    assert polls_pass(sim, 12)
    assert recorder.of("unreadable") == [reason]
    assert recorder.count("read") == 0
    assert reason in REASONS
    sim.remove()
    assert recorder.wait_for("removed")


def test_slow_byte_by_byte_reply_still_reads(sim, recorder, start_reader) -> None:
    connected(recorder, sim, start_reader, read_timeout_s=3.0)
    sim.set_fault(Fault.SLOW, commands=READS, byte_delay_s=0.0005)
    sim.place(CARDS["resident"])
    assert recorder.wait_for("read")
    assert recorder.count("unreadable") == 0


@pytest.mark.parametrize("fault", [Fault.CHECKSUM, Fault.DROP_MID_FRAME, Fault.GARBAGE])
def test_one_damaged_read_is_retried_silently(sim, recorder, start_reader, fault) -> None:
    connected(recorder, sim, start_reader)
    sim.set_fault(fault, commands=READS, count=1)
    sim.place(CARDS["foreigner_2023"])
    assert recorder.wait_for("read")
    assert recorder.of("read")[0].english_name.startswith("EXAMPLE-TESTER")
    assert recorder.count("unreadable") == 0
    assert recorder.kinds() == ["connected", "read"]


@pytest.mark.parametrize("fault", [Fault.CHECKSUM, Fault.DROP_MID_FRAME])
def test_persistently_damaged_reads_ask_to_try_again(sim, recorder, start_reader, fault) -> None:
    connected(recorder, sim, start_reader)
    sim.set_fault(fault, commands=READS)
    sim.place(CARDS["resident"])
    assert recorder.wait_for("unreadable")
    assert recorder.of("unreadable") == ["card.try_again"]
    sim.clear_fault()  # the citizen adjusts the card: the next attempt succeeds
    assert recorder.wait_for("read")
    assert recorder.count("lost") == 0


def test_select_failure_asks_to_place_flat(sim, recorder, start_reader) -> None:
    connected(recorder, sim, start_reader)
    sim.set_fault(Fault.MUTATE, commands=[Command.SELECT_CARD],
                  mutate=lambda _frame: bytes.fromhex("AAAAAA9669 0004 000081 85"))  # fmt: skip
    sim.place(CARDS["resident"])
    assert recorder.wait_for("unreadable")
    assert recorder.of("unreadable") == ["card.place_flat"]


def test_silent_reader_is_lost_and_found_again(sim, recorder, start_reader) -> None:
    connected(recorder, sim, start_reader)
    sim.set_fault(Fault.NO_ANSWER)
    assert recorder.wait_for("lost")
    assert recorder.of("lost") == ["reader.no_answer"]
    sim.clear_fault()
    assert recorder.wait_for("connected", 2)
    sim.place(CARDS["resident"])
    assert recorder.wait_for("read")
    assert recorder.count("lost") == 1  # one report per outage, not one per retry


def test_sam_fault_is_reported_and_recovered(sim, recorder, start_reader) -> None:
    connected(recorder, sim, start_reader)
    sam_failed = bytes.fromhex("AAAAAA9669 0004 000060 64")
    sim.set_fault(Fault.MUTATE, mutate=lambda _frame: sam_failed)
    assert recorder.wait_for("lost")
    assert recorder.of("lost") == ["reader.sam_error"]
    sim.clear_fault()
    assert recorder.wait_for("connected", 2)


def test_garbage_on_every_reply_is_survived(sim, recorder, start_reader) -> None:
    connected(recorder, sim, start_reader)
    sim.set_fault(Fault.GARBAGE)
    sim.place(CARDS["rare_chars"])
    assert recorder.wait_for("read")
    assert recorder.of("read")[0].name == "王堃龑䶮"


def test_unplug_and_replug_recover(sim, recorder, start_reader) -> None:
    connected(recorder, sim, start_reader)
    sim.place(CARDS["resident"])
    assert recorder.wait_for("read")

    sim.unplug()  # closes the pty master: the reader's port errors out
    assert recorder.wait_for("lost")
    assert recorder.wait_for("removed")  # a card on a vanished reader is gone for the kiosk
    assert recorder.kinds()[-2:] == ["removed", "lost"]
    assert not os.path.exists(sim.port_path)

    sim.replug()  # a new pty, the same stable path
    assert os.path.exists(sim.port_path) and sim.device_name is not None
    assert recorder.wait_for("connected", 2)
    assert recorder.wait_for("read", 2)  # the card still lying there is read after power-up
    assert recorder.count("lost") == 1


def test_reader_started_while_unplugged_waits_for_the_device(sim, recorder, start_reader) -> None:
    path = sim.port_path
    sim.unplug()
    start_reader(path)
    assert recorder.wait_for("lost")
    assert recorder.of("lost") == ["reader.not_found"]
    sim.replug()
    assert recorder.wait_for("connected")


def test_reader_over_tcp_socket_url(recorder, start_reader) -> None:
    with CardSimulator() as tcp_sim:
        port = tcp_sim.serve_tcp(0)
        start_reader(f"socket://127.0.0.1:{port}")
        assert recorder.wait_for("connected")
        tcp_sim.place(CARDS["foreigner_2017"])
        assert recorder.wait_for("read")
        tcp_sim.unplug()
        assert recorder.wait_for("lost")
        tcp_sim.replug()
        assert recorder.wait_for("connected", 2)


def test_stop_returns_promptly_even_mid_read(sim, recorder) -> None:
    reader = IdCardReader(ReaderConfig(sim.port_path, poll_interval_s=0.01, read_timeout_s=30.0),
                          recorder)  # fmt: skip
    reader.start()
    assert recorder.wait_for("connected")
    sim.set_fault(Fault.NO_ANSWER, commands=READS)
    sim.place(CARDS["resident"])
    assert sim.wait_for_requests(len(sim.requests) + 3, WAIT_S)
    reader.stop(timeout=WAIT_S)
    assert not reader.running


def test_listener_exceptions_do_not_kill_the_reader(sim, make_recorder) -> None:
    listener = make_recorder(raise_after="read")
    reader = IdCardReader(ReaderConfig(sim.port_path, poll_interval_s=0.01), listener)
    reader.start()
    try:
        sim.place(CARDS["resident"])
        assert listener.wait_for("read")
        sim.remove()
        assert listener.wait_for("removed")
        assert reader.running
    finally:
        reader.stop()


def test_query_status_reports_the_sam(sim) -> None:
    status = query_status(sim.port_path)
    assert status.sam_ok and status.sam_status == "SUCCESS"
    assert status.sam_id == "05.01-20260101-0000000001-1234567890"


def test_config_rejects_nonsense_with_the_key_name() -> None:
    with pytest.raises(ValueError, match="poll_interval_s"):
        ReaderConfig("/dev/ttyUSB0", poll_interval_s=0)
    with pytest.raises(ValueError, match="baud"):
        ReaderConfig("/dev/ttyUSB0", baud=-1)


def test_vid_pid_lookup() -> None:
    """Port-info objects stand in for a physical USB reader, which cannot exist here."""
    ports = [
        SimpleNamespace(device="/dev/ttyS0", vid=None, pid=None),
        SimpleNamespace(device="/dev/ttyUSB1", vid=0x1A86, pid=0x7523),
        SimpleNamespace(device="/dev/ttyUSB0", vid=0x0403, pid=0x6001),
    ]
    assert resolve_port("1a86:7523", ports) == "/dev/ttyUSB1"
    assert resolve_port("0403:6001", ports) == "/dev/ttyUSB0"
    assert resolve_port("socket://127.0.0.1:9", ports) == "socket://127.0.0.1:9"
    with pytest.raises(PortNotFound):
        resolve_port("dead:beef", ports)


def test_no_log_line_carries_card_data(sim, recorder, start_reader, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    connected(recorder, sim, start_reader)
    for label in ("appended_address", "bad_check_digit"):
        sim.place(CARDS[label])
        assert recorder.wait_for("read") if label == "appended_address" else recorder.wait_for("unreadable")
        sim.remove()
        assert recorder.wait_for("removed", 1 if label == "appended_address" else 2)
    record = recorder.of("read")[0]
    assert "card read: resident card" in caplog.text  # it does log the read, and only its kind
    for secret in (record.full_id_number(), record.name, "郑东新区", "孙无效", "1101011990",
                   record.masked_name(), record.masked_id(), record.full_id_number()[-4:]):
        assert secret not in caplog.text


def test_unplug_between_polls_is_a_lost_reader_not_a_dead_one(sim, recorder, start_reader) -> None:
    """Pulled while the reader waits for its next poll: the port's first call is then a flush
    (tcflush, which fails with termios.error, not OSError). It must reconnect on replug."""
    reader = connected(recorder, sim, start_reader, poll_interval_s=0.4)
    sim.unplug()
    assert recorder.wait_for("lost")
    sim.replug()
    assert recorder.wait_for("connected", 2)
    assert reader.running
    sim.place(CARDS["resident"])
    assert recorder.wait_for("read")


@pytest.mark.parametrize("case", ["full-width ID number", "superscript issue count",
                                  "Arabic-Indic birth date", "superscript 2023 renewals"])
def test_a_card_with_non_ascii_digits_is_invalid_not_a_lost_reader(
        case: str, sim, recorder, start_reader, caplog) -> None:
    """Through the simulator over a real pty: the citizen is told the card cannot be
    verified; the reader stays connected and nothing logs a traceback."""
    label, offset, size, change = NON_ASCII_DIGITS[case]
    card = CARDS[label]
    connected(recorder, sim, start_reader)
    sim.place(replace(card, label=f"{label}-non-ascii",
                      text=non_ascii_digit_card(label, offset, size, change)))
    assert recorder.wait_for("unreadable")
    sim.remove()
    assert recorder.wait_for("removed")
    sim.place(card)  # the same reader then reads a good card at once
    assert recorder.wait_for("read")
    assert recorder.of("unreadable") == ["card.invalid"] and recorder.count("lost") == 0
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


def test_a_reader_at_another_baud_rate_says_no_valid_frames_check_the_baud_rate(
        recorder, start_reader) -> None:
    """The simulated reader runs at 9600 Bd, the kiosk at 115200: bytes arrive both ways (the
    pty carries the host's line speed, the simulator resamples as a UART would), but never a
    frame. The kiosk says so instead of "connection lost"."""
    with CardSimulator(baud=9600) as slow:
        start_reader(slow.open_pty())
        assert recorder.wait_for("lost")
        assert slow.host_baud() == 115200
        assert recorder.of("lost") == ["reader.no_frames"]
        assert WORDS["reader.no_frames"][1].endswith("check the baud rate")
        assert recorder.count("connected") == 0


def test_the_same_reader_at_the_configured_baud_rate_works(recorder, start_reader) -> None:
    with CardSimulator(baud=9600) as slow:
        start_reader(slow.open_pty(), baud=9600)
        assert recorder.wait_for("connected")
        slow.place(CARDS["resident"])
        assert recorder.wait_for("read")
        assert slow.host_baud() == 9600 and recorder.count("lost") == 0


def test_garbage_instead_of_every_reply_says_no_valid_frames(sim, recorder, start_reader) -> None:
    connected(recorder, sim, start_reader)
    sim.set_fault(Fault.MUTATE, mutate=lambda frame: bytes(b ^ 0x5A for b in frame))
    assert recorder.wait_for("lost")
    assert recorder.of("lost") == ["reader.no_frames"]
    sim.clear_fault()
    assert recorder.wait_for("connected", 2)


def test_a_missing_vid_pid_says_not_found(recorder, start_reader) -> None:
    """No device on this machine has USB id dead:beef: the real port list is searched."""
    with pytest.raises(LinkError) as caught:
        ReaderLink("dead:beef", 115200).open()
    assert caught.value.problem is LinkProblem.NOT_FOUND
    start_reader("dead:beef")
    assert recorder.wait_for("lost")
    assert recorder.of("lost") == ["reader.not_found"]


def test_open_failures_are_classified_by_errno_not_by_message(tmp_path) -> None:
    """Real failures where this machine can make them (a missing device, a refused socket),
    and the exceptions pyserial raises for the ones root cannot meet (permission denied), with
    messages that would have fooled text matching."""
    for port in (str(tmp_path / "no-such-tty"), _refused_socket_url()):
        with pytest.raises(LinkError) as caught:
            ReaderLink(port, 115200).open()
        assert caught.value.problem is LinkProblem.NOT_FOUND, port
    denied = serial.SerialException(errno.EACCES, "could not open port /dev/ttyUSB0: lost")
    assert open_problem(denied) is LinkProblem.PERMISSION_DENIED
    assert open_problem(PermissionError(errno.EPERM, "not found")) is LinkProblem.PERMISSION_DENIED
    broken = serial.SerialException(errno.EIO, "cannot open: no such device")
    assert open_problem(broken) is LinkProblem.LOST
    assert set(REASONS) >= {problem.value for problem in LinkProblem}


def _refused_socket_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"socket://127.0.0.1:{probe.getsockname()[1]}"
