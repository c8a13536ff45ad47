"""What a citizen does on the touch screen, as taps on the real QML (shared by the fault tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def type_digits(app: Any, tap: Any, digits: str) -> None:
    for digit in digits:
        tap(app.window, f"key_{digit}")


def fill_report(app: Any, tap: Any, screen: Any, *, card: Any = None, phrase: int = 4,
                describe: Callable[[Any], None] | None = None) -> None:
    """办不成事反映 up to the review screen: marriage registration, came several times.

    Identified by phone 13812345678 (kept as the contact), or with ``card`` (a Simulation) by
    the resident's ID card placed on its reader, then 13812345678 typed as the contact. The
    description is the quick phrase ``phrase`` (4: "等了很久没有结果") unless ``describe(app)``
    types one."""
    tap(app.window, "entry_report")
    screen(app, "report.identify")
    if card is not None:
        card.place_card("resident")
        screen(app, "report.choose_matter", 10_000)
    else:
        tap(app.window, "usePhoneButton")
        screen(app, "report.enter_phone")
        type_digits(app, tap, "13812345678")
        tap(app.window, "keyNext")
        screen(app, "report.choose_matter")
    tap(app.window, "matter_marriage-reg")
    screen(app, "report.situation")
    tap(app.window, "situation_several_visits")
    screen(app, "report.describe")
    if describe is None:
        tap(app.window, f"phrase_{phrase}")
    else:
        describe(app)
    tap(app.window, "nextButton")
    screen(app, "report.contact")
    if card is not None:
        type_digits(app, tap, "13812345678")
        tap(app.window, "keyNext")
    else:
        tap(app.window, "keepContactButton")  # the number given at the start
    screen(app, "report.review")


def to_ticket_confirm(app: Any, tap: Any, screen: Any, zone: str = "E",
                      matter: str = "id-card") -> None:
    """取号 up to the confirmation screen (a matter that needs no card)."""
    tap(app.window, "entry_ticket")
    screen(app, "ticket.choose_zone")
    tap(app.window, f"zone_{zone}")
    screen(app, "ticket.choose_matter")
    tap(app.window, f"matter_{matter}")
    if app.window.property("currentName") != "ticket.confirm":
        screen(app, "ticket.identify")
        tap(app.window, "continueButton")
    screen(app, "ticket.confirm")


def rate_service(app: Any, tap: Any, screen: Any, window: str = "17") -> None:
    """好差评: window 17, a low rating for being slow, submitted."""
    tap(app.window, "entry_evaluation")
    screen(app, "evaluation.link")
    for name in (*(f"key_{d}" for d in window), "linkNext"):
        tap(app.window, name)
    screen(app, "evaluation.level")
    tap(app.window, "level_2")
    screen(app, "evaluation.reasons")
    tap(app.window, "reason_slow")
    tap(app.window, "submitButton")
    screen(app, "evaluation.phone")
    tap(app.window, "skipPhoneButton")  # no call back
