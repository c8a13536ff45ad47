"""The ID card reader unplugged in the middle of a reply and plugged back in, in a citizen session.

The simulated SAM_V reader on a pty sends half of the card's data frame and then its cable is
pulled (the pty vanishes); later it comes back behind the same stable path, as udev keeps
/dev/idcard. The citizen is told the reader does not work and that they can go on without the
card; nothing half-read is shown; once the reader is back the card on it is read, masked, and
the session goes on to a number, with no restart and no tap on anything but the flow.
"""

from __future__ import annotations

from typing import Any

from drivers.idcard.cards import CARDS
from drivers.idcard.protocol import Command
from drivers.idcard.simulator import Fault

READS = (Command.READ_TEXT_PHOTO, Command.READ_TEXT_PHOTO_FINGERPRINT,
         Command.READ_APPENDED_ADDRESS)


def test_reader_unplugged_mid_frame_is_explained_and_reads_the_card_once_replugged(
        kiosk: Any, hall: Any, tap: Any, screen: Any, shown: Any, qtbot: Any) -> None:
    simulation, _ = hall
    reader = simulation.card_simulator
    tickets_before = simulation.records.count("tickets")
    tap(kiosk.window, "entry_ticket")
    screen(kiosk, "ticket.choose_zone")
    tap(kiosk.window, "zone_C")
    screen(kiosk, "ticket.choose_matter")
    tap(kiosk.window, "matter_marriage-reg")
    screen(kiosk, "ticket.identify")
    assert shown(kiosk, "readerProblemText") == ""

    reader.set_fault(Fault.DROP_MID_FRAME, commands=READS)
    seen = len(reader.requests)
    reader.place(CARDS["appended_address"])  # 赵样本, born 1949
    qtbot.waitUntil(lambda: any(r in READS for r in reader.requests[seen:]), timeout=10_000)
    reader.unplug()  # half of the data frame is on the wire

    qtbot.waitUntil(lambda: "读卡器暂时不能使用" in shown(kiosk, "readerProblemText"),
                    timeout=15_000)
    assert "不放身份证继续" in shown(kiosk, "readerProblemText")
    assert shown(kiosk, "cardStatusText") == ""  # nothing half-read reaches the screen
    assert kiosk.shell.session.id_hash is None
    assert kiosk.window.property("currentName") == "ticket.identify"

    reader.clear_fault()
    reader.replug()  # the same card is still lying on it
    qtbot.waitUntil(lambda: "老年人优先" in shown(kiosk, "cardStatusText"), timeout=20_000)
    status = shown(kiosk, "cardStatusText")
    assert "赵*本" in status and "赵样本" not in status  # masked, never the full name
    assert shown(kiosk, "readerProblemText") == ""
    tap(kiosk.window, "continueButton")
    screen(kiosk, "ticket.confirm")
    tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.ticket", timeout=20_000)
    assert shown(kiosk, "ticketPriority") == "老年人优先"
    assert simulation.records.count("tickets") == tickets_before + 1
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")
    reader.remove()
    assert kiosk.shell.session.is_empty


def test_report_identify_offers_the_phone_while_the_reader_is_gone(
        kiosk: Any, hall: Any, tap: Any, screen: Any, shown: Any, qtbot: Any) -> None:
    simulation, _ = hall
    reader = simulation.card_simulator
    reader.unplug()
    tap(kiosk.window, "entry_report")
    screen(kiosk, "report.identify")
    qtbot.waitUntil(lambda: "读卡器暂时不能使用" in shown(kiosk, "readerProblemText"),
                    timeout=15_000)
    tap(kiosk.window, "usePhoneButton")  # the way that still works
    screen(kiosk, "report.enter_phone")
    tap(kiosk.window, "homeButton")
    screen(kiosk, "home")

    reader.replug()
    qtbot.waitUntil(lambda: kiosk.shell.readerOk, timeout=20_000)
    tap(kiosk.window, "entry_report")
    screen(kiosk, "report.identify")
    assert shown(kiosk, "readerProblemText") == ""


def test_a_pulled_reader_between_two_commands_is_a_lost_link_not_a_crash() -> None:
    """What crashed the reader worker for good (found by the test above): pyserial's tcflush on
    a tty whose device is gone raises termios.error, which is not an OSError."""
    import pytest

    from drivers.idcard.reader import LinkError, ReaderLink
    from drivers.idcard.simulator import CardSimulator

    with CardSimulator() as reader:
        link = ReaderLink(reader.open_pty(), 115200)
        link.open()
        try:
            assert link.transact(Command.SAM_STATUS, 1.0) is not None
            reader.unplug()
            with pytest.raises(LinkError):
                link.transact(Command.FIND_CARD, 0.5)
        finally:
            link.close()
