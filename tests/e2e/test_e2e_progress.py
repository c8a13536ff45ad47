"""进度查询 end to end: a report registered at the centre, looked up by its number and the
receipt's check code on the keypad; reports made with an ID card found by that card; a report
made while the centre was down found by its local number once delivered.

The hall of this module is the fault hall's (tests/faults): the centre runs as its own process
that a test can stop and start again on the same port and database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.config import Settings
from tests.faults.citizen import fill_report, type_digits
from tests.faults.hall import FaultHall, running_fault_hall


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FaultHall, Settings]]:
    """The fault tests' hall: a centre that can go down and come back (tests/faults/hall.py)."""
    yield from running_fault_hall(tmp_path_factory.mktemp("progresshall"))


def text_of(app: Any, find: Any, name: str) -> str:
    try:
        return str(find(app.window, name).property("text"))
    except LookupError:
        return ""


def test_tracking_number_shows_the_five_steps(kiosk: Any, tap: Any, find: Any,
                                              screen: Any) -> None:
    receipt = kiosk.services.central.submit_report(
        {"matter_id": "marriage-reg", "situation": "not_accepted",
         "description": "测试：材料齐全但未受理", "phone": "13912345678", "language": "zh"},
        idempotency_key="e2e-progress-1")
    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    tap(kiosk.window, "byNumberButton")
    screen(kiosk, "progress.enter_number")
    type_digits(kiosk, tap, "123")
    tap(kiosk.window, "keyNext")  # too short: said inline, the citizen stays
    assert "R加12位数字" in find(kiosk.window, "inputErrorText").property("text")
    tap(kiosk.window, "keyClear")
    type_digits(kiosk, tap, receipt.tracking_no[1:])
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.enter_code")
    assert find(kiosk.window, "codeForNumber").property("text") == f"回执编号：{receipt.tracking_no}"
    type_digits(kiosk, tap, "12")
    tap(kiosk.window, "keyNext")  # too short: said inline
    assert "4位数字" in find(kiosk.window, "inputErrorText").property("text")
    tap(kiosk.window, "keyClear")
    type_digits(kiosk, tap, receipt.check_code)
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.results")
    assert find(kiosk.window, "reportNumber_0").property("text") == receipt.tracking_no
    labels = [find(kiosk.window, f"step_{s}").property("text")
              for s in ("accepted", "classified", "dispatched", "resolved", "answered")]
    assert [label[:2] for label in labels] == ["受理", "分类", "转办", "办结", "反馈"]


def test_unknown_number_says_none_found(kiosk: Any, tap: Any, find: Any, screen: Any) -> None:
    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    tap(kiosk.window, "byNumberButton")
    type_digits(kiosk, tap, "209901010999")
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.enter_code")
    type_digits(kiosk, tap, "0000")
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.results")
    assert "没有查到" in find(kiosk.window, "noneFoundText").property("text")


def test_a_real_number_with_a_wrong_code_says_the_same(kiosk: Any, tap: Any, find: Any,
                                                      screen: Any) -> None:
    receipt = kiosk.services.central.submit_report(
        {"matter_id": "marriage-reg", "situation": "other", "description": "测试",
         "phone": "13912345678", "language": "zh"}, idempotency_key="e2e-progress-2")
    wrong = f"{(int(receipt.check_code) + 1) % 10000:04d}"
    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    tap(kiosk.window, "byNumberButton")
    type_digits(kiosk, tap, receipt.tracking_no[1:])
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.enter_code")
    type_digits(kiosk, tap, wrong)
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.results")
    assert "没有查到" in find(kiosk.window, "noneFoundText").property("text")


def test_reports_made_with_a_card_are_found_by_the_card(kiosk: Any, hall: Any, tap: Any,
                                                        find: Any, screen: Any,
                                                        qtbot: Any) -> None:
    simulation, _ = hall
    numbers = []
    try:
        for words in (1, 4):  # two reports with the same card
            fill_report(kiosk, tap, screen, card=simulation, phrase=words)
            # Lifted off, and seen lifted: the reader reads a card once while it stays.
            with qtbot.waitSignal(kiosk.services.idcard.cardRemoved, timeout=10_000):
                simulation.remove_card()
            tap(kiosk.window, "submitButton")
            screen(kiosk, "report.result", 20_000)
            numbers.append(text_of(kiosk, find, "trackingNumber"))
            tap(kiosk.window, "finishButton")
            screen(kiosk, "home")
        assert all(n.startswith("R") and len(n) == 13 for n in numbers)

        tap(kiosk.window, "entry_progress")
        screen(kiosk, "progress.choose_method")
        tap(kiosk.window, "byCardButton")
        screen(kiosk, "progress.wait_card")
        simulation.place_card("resident")
        screen(kiosk, "progress.results", 15_000)
        # Newest first, both of them, each with its state and promise in words.
        shown = [text_of(kiosk, find, f"reportNumber_{i}") for i in range(3)]
        assert shown == [numbers[1], numbers[0], ""]
        assert text_of(kiosk, find, "reportNow_0") == "当前进度：已收到，等待受理"
        next_words = text_of(kiosk, find, "reportNext_0")
        assert next_words.startswith("下一步：受理，将在") and "日前答复您" in next_words
        assert "年" in next_words and "月" in next_words
    finally:
        simulation.remove_card()


def test_a_card_with_no_reports_is_told_so(kiosk: Any, hall: Any, tap: Any, find: Any,
                                            screen: Any) -> None:
    simulation, _ = hall
    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    tap(kiosk.window, "byCardButton")
    screen(kiosk, "progress.wait_card")
    simulation.place_card("hkmt_permit")
    try:
        screen(kiosk, "progress.results", 15_000)
        assert text_of(kiosk, find, "noneFoundText") == "没有查到用这张身份证提交的反映"
    finally:
        simulation.remove_card()


def ask_by_local_number(app: Any, tap: Any, screen: Any, local_ref: str) -> None:
    tap(app.window, "entry_progress")
    screen(app, "progress.choose_method")
    tap(app.window, "byNumberButton")
    screen(app, "progress.enter_number")
    type_digits(app, tap, local_ref)  # letters A-F have keys of their own
    tap(app.window, "keyNext")


def test_an_offline_report_is_found_by_its_local_number(kiosk: Any, hall: Any, tap: Any,
                                                        find: Any, screen: Any,
                                                        qtbot: Any) -> None:
    simulation, _ = hall
    simulation.centre.stop()
    try:
        fill_report(kiosk, tap, screen, phrase=2)
        tap(kiosk.window, "submitButton")
        screen(kiosk, "report.result", 30_000)
        local_ref = text_of(kiosk, find, "trackingNumber")
        assert len(local_ref) == 8 and not local_ref.startswith("R")
        tap(kiosk.window, "finishButton")
        screen(kiosk, "home")
        # Before delivery: said plainly that it waits on this kiosk.
        ask_by_local_number(kiosk, tap, screen, local_ref)
        screen(kiosk, "progress.results", 10_000)
        waiting = text_of(kiosk, find, "noneFoundText")
        assert f"本机编号{local_ref}的反映还在本机等待发送" in waiting
        tap(kiosk.window, "finishButton")
        screen(kiosk, "home")
    finally:
        if simulation.centre.process is None:
            simulation.centre.restart()
    qtbot.waitUntil(lambda: kiosk.services.outbox.pending == 0, timeout=60_000)
    [sent] = [i for i in kiosk.services.outbox.items("sent") if i.id[:8].upper() == local_ref]
    # After delivery: the same local number opens the centre's record.
    ask_by_local_number(kiosk, tap, screen, local_ref)
    screen(kiosk, "progress.results", 15_000)
    assert text_of(kiosk, find, "reportNumber_0") == sent.result["tracking_no"]
    assert text_of(kiosk, find, "reportNow_0") == "当前进度：已收到，等待受理"
    assert text_of(kiosk, find, "noneFoundText") == ""


def test_an_unknown_local_number_asks_to_check_it(kiosk: Any, tap: Any, find: Any,
                                                   screen: Any, qtbot: Any) -> None:
    ask_by_local_number(kiosk, tap, screen, "ABCDEF12")
    qtbot.waitUntil(lambda: "本机没有这个编号" in text_of(kiosk, find, "inputErrorText"),
                    timeout=10_000)
    assert kiosk.window.property("currentName") == "progress.enter_number"


def test_elders_hear_the_state_and_the_promised_date(kiosk: Any, hall: Any, tap: Any,
                                                     screen: Any, qtbot: Any) -> None:
    """Qt's silent "mock" engine stands for speech-dispatcher: what reaches it is what the
    kiosk asked to be read (as tests/e2e/test_e2e_voice.py)."""
    from drivers.idcard.card import parse_card
    from drivers.idcard.cards import CARDS
    from kiosk.ui.voice import Voice

    simulation, settings = hall
    id_hash = parse_card(CARDS["resident"].text).id_hash(
        settings.central.id_salt.encode())
    receipt = kiosk.services.central.submit_report(
        {"matter_id": "marriage-reg", "situation": "other", "description": "测试",
         "phone": "13912345678", "language": "zh", "id_hash": id_hash},
        idempotency_key="e2e-progress-voice")
    kiosk.voice.close()
    kiosk.voice = Voice(kiosk.translations.text, engine="mock",
                        voice_names={"zh": ("Anne",), "en": ("Bob",)}, parent=kiosk.root)
    kiosk.voice.start()
    qtbot.waitUntil(lambda: kiosk.voice.state == "ready", timeout=5000)
    heard: list[str] = []
    kiosk.voice.textSpoken.connect(heard.append)
    kiosk.shell.setElderMode(True)
    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    tap(kiosk.window, "byCardButton")
    screen(kiosk, "progress.wait_card")
    simulation.place_card("resident")
    try:
        screen(kiosk, "progress.results", 15_000)
        qtbot.waitUntil(lambda: any("当前进度" in h for h in heard), timeout=8000)
    finally:
        simulation.remove_card()
    [said] = [h for h in heard if "当前进度" in h]
    assert " ".join(receipt.tracking_no) in said
    assert "当前进度：已收到，等待受理" in said and "下一步：受理" in said
    promised = receipt.promised_date
    assert f"将在{promised.year}年{promised.month}月{promised.day}日前答复您" in said


def test_a_usb_keyboard_types_a_local_number_in_lower_case(kiosk: Any, tap: Any, find: Any,
                                                           screen: Any, qtbot: Any) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    def press(key: Qt.Key, text: str = "") -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.postEvent(kiosk.window, QKeyEvent(
                kind, key, Qt.KeyboardModifier.NoModifier, text))
        qtbot.wait(20)

    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    tap(kiosk.window, "byNumberButton")
    screen(kiosk, "progress.enter_number")
    for _ in range(10):  # Tab to the keypad, the screen's first stop
        item = kiosk.window.activeFocusItem()
        if item is not None and item.objectName() == "keypad":
            break
        press(Qt.Key.Key_Tab)
    for sign in "abcdef12":
        press(getattr(Qt.Key, f"Key_{sign.upper()}"), sign)
    qtbot.waitUntil(lambda: text_of(kiosk, find, "keypadDisplay") == "ABCDEF12", timeout=3000)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "本机没有这个编号" in text_of(kiosk, find, "inputErrorText"),
                    timeout=10_000)
