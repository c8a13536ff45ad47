"""Printer faults as the whole kiosk meets them: paper out mid-ticket, cover open, printer gone.

The virtual ESC/POS printer on TCP is scripted over the real wire (its DLE EOT answers, paper
running out part-way through the bytes of a ticket, its port closed). The citizen always leaves
with a number: the screen is the ticket and says so. The centre issues one number per
confirmation whatever the printer does, and the banner on the home screen clears by itself once
the printer is mended.
"""

from __future__ import annotations

from typing import Any

from tests.faults.citizen import to_ticket_confirm

PRINTER_BANNER = "打印机暂不可用"


def take_number(app: Any, tap: Any, screen: Any, shown: Any, qtbot: Any,
                printer_words: str) -> str:
    to_ticket_confirm(app, tap, screen)
    qtbot.waitUntil(lambda: printer_words in shown(app, "printerNoticeText"), timeout=10_000)
    tap(app.window, "confirmButton")
    screen(app, "ticket.ticket", timeout=20_000)
    return shown(app, "ticketNumber")


def wait_printer_banner(app: Any, qtbot: Any, shown: Any, visible: bool) -> None:
    qtbot.waitUntil(lambda: (PRINTER_BANNER in shown(app, "printerBannerText")) == visible,
                    timeout=30_000)


def centre_number(simulation: Any, app: Any, shown: Any) -> str:
    """The number the centre recorded for the ticket on screen (its id is in the QR)."""
    ticket_id = shown(app, "qrCodeItem") or ""
    rows = simulation.records._rows("SELECT display FROM tickets WHERE id = ?",
                                    ticket_id.rsplit("/", 1)[-1])
    return rows[0][0] if rows else ""


def print_again(app: Any, simulation: Any, tap: Any, screen: Any, shown: Any,
                qtbot: Any) -> None:
    """Once mended: the banner clears untouched and the next ticket comes out of the printer."""
    if app.window.property("currentName") != "home":
        tap(app.window, "finishButton")
        screen(app, "home")
    wait_printer_banner(app, qtbot, shown, False)
    printed_before = len(simulation.virtual_printer.tickets)
    number = take_number(app, tap, screen, shown, qtbot, "打印机正常")
    qtbot.waitUntil(lambda: "请取走" in shown(app, "ticketNoticeText"), timeout=15_000)
    assert simulation.virtual_printer.wait_for_tickets(printed_before + 1, timeout=10)
    assert number in simulation.virtual_printer.tickets[-1].text
    tap(app.window, "finishButton")
    screen(app, "home")


def test_paper_running_out_mid_ticket_leaves_the_number_on_screen(
        kiosk: Any, hall: Any, tap: Any, screen: Any, shown: Any, qtbot: Any) -> None:
    simulation, _ = hall
    tickets_before = simulation.records.count("tickets")
    simulation.virtual_printer.run_out_of_paper_after(120)  # a few lines into the ticket
    number = take_number(kiosk, tap, screen, shown, qtbot, "打印机正常")
    qtbot.waitUntil(lambda: "没有打印出来" in shown(kiosk, "ticketNoticeText"), timeout=15_000)
    assert "屏幕上的号码就是您的号码" in shown(kiosk, "ticketNoticeText")
    assert centre_number(simulation, kiosk, shown) == number
    assert simulation.records.count("tickets") == tickets_before + 1
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")
    wait_printer_banner(kiosk, qtbot, shown, True)

    simulation.virtual_printer.set_state("ok")  # staff load a new roll
    print_again(kiosk, simulation, tap, screen, shown, qtbot)
    assert simulation.records.count("tickets") == tickets_before + 2  # one per citizen


def test_cover_open_means_the_screen_is_the_ticket_until_it_is_closed(
        kiosk: Any, hall: Any, tap: Any, screen: Any, shown: Any, qtbot: Any) -> None:
    simulation, _ = hall
    tickets_before = simulation.records.count("tickets")
    printed_before = len(simulation.virtual_printer.tickets)
    simulation.virtual_printer.set_state("cover_open")
    # Told on the confirmation screen, before the number is taken.
    number = take_number(kiosk, tap, screen, shown, qtbot, "只显示在屏幕上")
    assert "本屏幕即您的排队凭证" in shown(kiosk, "ticketNoticeText")
    assert centre_number(simulation, kiosk, shown) == number
    assert len(simulation.virtual_printer.tickets) == printed_before
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")
    wait_printer_banner(kiosk, qtbot, shown, True)

    simulation.virtual_printer.set_state("ok")  # the cover is closed
    print_again(kiosk, simulation, tap, screen, shown, qtbot)
    assert simulation.records.count("tickets") == tickets_before + 2


def test_printer_gone_means_the_screen_is_the_ticket_and_it_is_found_again(
        kiosk: Any, hall: Any, tap: Any, screen: Any, shown: Any, qtbot: Any) -> None:
    simulation, _ = hall
    tickets_before = simulation.records.count("tickets")
    simulation.unplug_printer()
    kiosk.services.printer.check_status()  # as the confirmation screen does
    wait_printer_banner(kiosk, qtbot, shown, True)
    number = take_number(kiosk, tap, screen, shown, qtbot, "只显示在屏幕上")
    assert "本屏幕即您的排队凭证" in shown(kiosk, "ticketNoticeText")
    assert centre_number(simulation, kiosk, shown) == number

    simulation.replug_printer()
    print_again(kiosk, simulation, tap, screen, shown, qtbot)
    assert simulation.records.count("tickets") == tickets_before + 2
