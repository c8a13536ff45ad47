"""The hidden gesture opens the PIN pad; every near miss a citizen could make does not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.services.gesture import GestureSpec, HiddenEntryGesture

W, H = 1080, 1920
CORNER = (1040.0, 40.0)  # inside the default top-right 120 px square


def taps(count: int, *, start: float = 0.0, every: float = 0.4, at: tuple[float, float] = CORNER,
         length: float = 0.1) -> Iterator[tuple[str, float, float, float]]:
    for i in range(count):
        t = start + i * every
        yield ("press", *at, t)
        yield ("release", *at, t + length)


def hold(start: float, seconds: float,
         at: tuple[float, float] = CORNER) -> list[tuple[str, float, float, float]]:
    """Press, report time passing every 0.1 s (as the UI's timer would), release."""
    events = [("press", *at, start)]
    steps = int(seconds / 0.1)
    events += [("poll", *at, start + i * 0.1) for i in range(1, steps)]
    return [*events, ("release", *at, start + seconds)]


def run(events, gesture: HiddenEntryGesture | None = None) -> int:
    """Feed events; return how many times the PIN pad would open."""
    gesture = gesture or HiddenEntryGesture(W, H)
    opened = 0
    for kind, x, y, t in events:
        if kind == "poll":
            opened += gesture.poll(t)
        else:
            opened += getattr(gesture, kind)(x, y, t)
    return opened


def test_five_taps_then_a_two_second_hold_opens_the_pin_pad_once() -> None:
    assert run([*taps(5), *hold(2.2, 2.1)]) == 1


def test_the_pad_opens_while_the_finger_is_still_down() -> None:
    gesture = HiddenEntryGesture(W, H)
    run(taps(5), gesture)
    gesture.press(*CORNER, 2.0)
    assert gesture.hold_deadline == pytest.approx(4.0)
    assert not gesture.poll(3.9)
    assert gesture.poll(4.0)
    assert not gesture.release(*CORNER, 4.5)  # and only once


NEAR_MISSES = {
    "four taps then hold": [*taps(4), *hold(1.8, 2.1)],
    "six quick taps then nothing": [*taps(6), ("poll", *CORNER, 5.0)],
    "six quick taps then hold": [*taps(6), *hold(2.6, 2.1)],
    "five taps too slow": [*taps(5, every=0.8), *hold(3.6, 2.1)],
    "hold too short": [*taps(5), *hold(2.2, 1.5)],
    "hold outside the corner": [*taps(5), *hold(2.2, 2.1, at=(540.0, 960.0))],
    "taps in the wrong corner": [*taps(5, at=(40.0, 40.0)), *hold(2.2, 2.1, at=(40.0, 40.0))],
    "taps just outside the region": [*taps(5, at=(950.0, 40.0)), *hold(2.2, 2.1, at=(950.0, 40.0))],
    "a tap elsewhere in between": [*taps(3), *taps(1, start=1.2, at=(540.0, 960.0)),
                                   *taps(2, start=1.6), *hold(2.4, 2.1)],
    "hold starts too late": [*taps(5), *hold(5.0, 2.1)],
    "a long press among the taps": [*taps(2), ("press", *CORNER, 0.8), ("release", *CORNER, 1.8),
                                    *taps(2, start=1.9), *hold(2.6, 2.1)],
    "finger slides out during the hold": [*taps(5), ("press", *CORNER, 2.2),
                                          ("move", 500.0, 500.0, 3.0), ("poll", 500.0, 500.0, 4.5),
                                          ("release", 500.0, 500.0, 4.6)],
    "one long hold without taps": hold(0.0, 6.0),
    "ordinary citizen tapping around": [*taps(10, at=(540.0, 1500.0)), *hold(5.0, 3.0, at=(200.0, 300.0))],
}


@pytest.mark.parametrize("events", NEAR_MISSES.values(), ids=NEAR_MISSES.keys())
def test_near_misses_do_not_open_the_pin_pad(events) -> None:
    assert run(events) == 0


def test_a_failed_try_does_not_spoil_the_next_correct_one() -> None:
    gesture = HiddenEntryGesture(W, H)
    assert run([*taps(5), *hold(2.2, 1.0)], gesture) == 0
    assert run([*taps(5, start=10.0), *hold(12.2, 2.1)], gesture) == 1


def test_counts_times_and_corner_are_configurable() -> None:
    spec = GestureSpec(corner="bottom-left", region_px=200, taps=3, tap_window_s=2.0, hold_s=1.0)
    at = (100.0, H - 100.0)
    assert run([*taps(3, at=at), *hold(1.2, 1.1, at=at)], HiddenEntryGesture(W, H, spec)) == 1
    assert run([*taps(5), *hold(2.2, 2.1)], HiddenEntryGesture(W, H, spec)) == 0


def test_a_wrong_corner_name_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="corner must be one of"):
        GestureSpec(corner="top-middle")
