"""Reduced soak (issue 8, item 2): seeded citizen sessions through the real kiosk in one process.

SOAK_SESSIONS sets the number (default 300: one to two minutes on a 2-core machine), SOAK_WARM_UP the sessions
before the first figures (default 100); the full run is ``python -m bench.soak --sessions
10000`` (figures in docs/performance.md). What the centre holds is read from its own database,
so a lost or doubled report or evaluation fails here whatever the kiosk believes it sent.

Memory is checked two ways. Object counts (QObjects, items in the window's visual tree) taken
at home after the warm-up and at the end must be the same: exact, not timing-based, and what
caught the soak's first "leak" (deferred deletions never run) at ~160 objects per session.
RSS growth is checked against the issue's goal scaled to the sessions measured, but never
below RSS_NOISE_MB: a few hundred sessions cannot resolve 0.56 KB per session (5 MB over
9,000), because Qt's glyph caches, the QML engine's JS heap (grown in 64 KB chunks) and the
allocator move RSS by about a megabyte on their own. So this catches leaks of several KB per
session; the 5 MB goal itself only the full run can check (docs/performance.md).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest

from bench.soak_driver import SoakDriver, SoakResult

# The shared run is set up inside the first test: give it more than the suite's 240 s per test
# on a loaded machine; every wait inside the driver is bounded anyway.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

SESSIONS = int(os.environ.get("SOAK_SESSIONS", "300"))
WARM_UP = int(os.environ.get("SOAK_WARM_UP", str(min(100, SESSIONS // 3))))
GOAL_MB, GOAL_SESSIONS = 5.0, 9_000  # issue 8: <= 5 MB over the last 9,000 of 10,000 sessions
RSS_NOISE_MB = 2.0
# The kiosk's own threads are fixed from the start (tests/test_threads.py counts them exactly);
# Qt's pool lends the software renderer up to two threads for 30 s while it paints (see
# docs/performance.md), so two more than at warm-up is not a leak.
LAZY_SLACK = 2


def growth_bound_mb(measured_sessions: int) -> float:
    """The goal per session times the sessions measured, or the noise floor if larger."""
    return max(GOAL_MB * measured_sessions / GOAL_SESSIONS, RSS_NOISE_MB)


@pytest.fixture(scope="module")
def soak(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SoakResult]:
    """One soak run, shared by the checks below (each names what it guards)."""
    driver = SoakDriver(tmp_path_factory.mktemp("soak"), seed=8)
    driver.start()
    try:
        result = driver.run(SESSIONS, warm_up=WARM_UP)
    finally:
        driver.stop()
    print(result.figures())
    yield result


def test_every_report_and_evaluation_is_at_the_centre_exactly_once(soak: SoakResult) -> None:
    assert sum(soak.submitted_reports.values()) > 0
    assert sum(soak.submitted_evaluations.values()) > 0
    assert soak.server_reports == soak.submitted_reports, "a report lost or doubled"
    assert set(soak.shown_tracking) <= soak.server_tracking
    assert soak.server_evaluations == soak.submitted_evaluations, "an evaluation lost or doubled"


def test_every_pushed_configuration_is_applied_and_never_mid_session(soak: SoakResult) -> None:
    # The driver waits for each bundle's notice on the home screen and fails the soak if one
    # is applied while a citizen is mid-session; here: none went missing, one was held.
    assert soak.pushes_published >= 2
    assert soak.pushes_applied == soak.pushes_published
    assert soak.pushes_held >= 1


def test_threads_and_file_descriptors_do_not_grow(soak: SoakResult) -> None:
    assert soak.end.py_threads <= soak.warm.py_threads + LAZY_SLACK
    assert soak.end.tasks <= soak.warm.tasks + LAZY_SLACK
    assert soak.end.fds <= soak.warm.fds + LAZY_SLACK


def test_no_qt_object_outlives_its_session(soak: SoakResult) -> None:
    """A session that leaves one object behind leaves hundreds over the measured sessions;
    LAZY_SLACK allows what Qt makes once on a first use after the warm-up (seen: one object
    more in a full-suite run only, never more than one)."""
    assert soak.end.items == soak.warm.items, "items left in the window's visual tree"
    grown = soak.end.qobject_classes - soak.warm.qobject_classes
    assert soak.end.qobjects <= soak.warm.qobjects + LAZY_SLACK, f"QObjects left behind: {grown}"


def test_no_qt_warnings(soak: SoakResult) -> None:
    assert soak.warnings == []


def test_memory_growth_after_warm_up_is_within_the_scaled_goal(soak: SoakResult) -> None:
    measured = soak.end.sessions - soak.warm.sessions
    assert soak.growth_mb <= growth_bound_mb(measured), soak.figures()
