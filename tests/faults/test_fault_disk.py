"""Disk full while the kiosk writes its outbox: a real full filesystem (a small tmpfs).

The kiosk's data folder is a 4 MB tmpfs mounted for the test; it is filled to the last byte
with a plain file, so SQLite's commit of the citizen's report fails the way it does on a full
disk (SQLITE_FULL, "database or disk is full"). What was submitted must not vanish: it goes to
the centre directly and the citizen gets the tracking number, or, when the centre cannot be
reached either, the citizen is told in plain words that it was NOT saved. Once space is back
the kiosk works as before, without a restart. Counts come from the centre's database.

CI runs as root, so the mount works there; where mounting is impossible the test is skipped
and says why.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.faults.citizen import fill_report, rate_service

WAITING = "等了很久没有结果"


class SmallDisk:
    """A tmpfs of a few MB at ``path`` that the test fills up and empties again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler.bin"

    def fill(self) -> None:
        """Write until the filesystem refuses the next byte."""
        with open(self.filler, "ab", buffering=0) as out:
            for size in (1 << 20, 1 << 16, 1 << 12, 1 << 8, 1):
                while True:
                    try:
                        out.write(b"\0" * size)
                    except OSError as error:
                        if error.errno != errno.ENOSPC:
                            raise
                        break
        with contextlib.suppress(OSError):  # the last page SQLite might still find
            os.sync()

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """The kiosk's data folder (tmp_path/var, as start_kiosk uses it) on a 4 MB tmpfs."""
    mount_point = tmp_path / "var"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs",
                              str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip("a real full disk needs a tmpfs mount (root in CI); mount said: "
                    + (mounted.stderr.strip() or f"exit {mounted.returncode}"))
    disk = SmallDisk(mount_point)
    try:
        yield disk
    finally:
        disk.free()
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_disk_full_report_goes_to_the_centre_directly_or_the_citizen_is_told_not_saved(
        small_disk: SmallDisk, start_kiosk: Any, hall: Any, tap: Any, screen: Any,
        shown: Any, qtbot: Any) -> None:
    simulation, _ = hall
    records = simulation.records
    kiosk = start_kiosk()
    reports_before = len(records.reports_with(WAITING))
    evaluations_before = records.count("evaluations")
    small_disk.fill()
    try:
        with pytest.raises(Exception, match="full"):  # the fault is real: SQLite cannot commit
            kiosk.services.outbox.put("help_call", {"probe": "disk"})

        # The centre answers: the report is registered directly, the citizen gets the number.
        fill_report(kiosk, tap, screen)
        tap(kiosk.window, "submitButton")
        screen(kiosk, "report.result", timeout=20_000)
        tracking_no = shown(kiosk, "trackingNumber")
        assert tracking_no.startswith("R")
        assert "前答复您" in shown(kiosk, "resultNoticeText")
        assert records.reports_with(WAITING).count(tracking_no) == 1
        tap(kiosk.window, "finishButton")
        screen(kiosk, "home")

        rate_service(kiosk, tap, screen)
        screen(kiosk, "evaluation.thanks")
        qtbot.waitUntil(lambda: records.count("evaluations") == evaluations_before + 1,
                        timeout=10_000)
        tap(kiosk.window, "finishButton")
        screen(kiosk, "home")

        # The centre cannot be reached either: the citizen is told it was NOT saved.
        simulation.proxy.set_mode("http500")
        fill_report(kiosk, tap, screen)
        tap(kiosk.window, "submitButton")
        screen(kiosk, "report.error", timeout=30_000)
        assert "未能保存" in shown(kiosk, "errorNoticeText")
        assert "工作人员" in shown(kiosk, "errorNoticeText")
        assert len(records.reports_with(WAITING)) == reports_before + 1
    finally:
        small_disk.free()
        simulation.proxy.set_mode("pass")

    # Space is back: the same report, tried again, is kept and delivered once.
    tap(kiosk.window, "retryButton")
    screen(kiosk, "report.result", timeout=20_000)
    qtbot.waitUntil(lambda: kiosk.services.outbox.pending == 0, timeout=20_000)
    assert len(records.reports_with(WAITING)) == reports_before + 2
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")


def test_disk_full_while_the_outbox_marks_a_delivery_never_doubles_the_report(
        small_disk: SmallDisk, start_kiosk: Any, hall: Any, tap: Any, screen: Any,
        shown: Any, qtbot: Any) -> None:
    """The centre registers a queued report, then the kiosk cannot write "sent": it sends
    again (same key) until it can, and the centre keeps one report."""
    simulation, _ = hall
    records, proxy = simulation.records, simulation.proxy
    kiosk = start_kiosk()
    reports_before = len(records.reports_with(WAITING))
    proxy.set_mode("http500")
    fill_report(kiosk, tap, screen)
    tap(kiosk.window, "submitButton")
    screen(kiosk, "report.result", timeout=20_000)
    assert "网络恢复后将自动提交" in shown(kiosk, "resultNoticeText")
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")
    assert kiosk.services.outbox.pending == 1

    small_disk.fill()
    try:
        posts_before = proxy.count("POST /v1/reports")
        proxy.set_mode("pass")
        qtbot.waitUntil(lambda: proxy.count("POST /v1/reports") >= posts_before + 2,
                        timeout=40_000)
        assert kiosk.services.outbox.pending == 1  # it could not write "sent" ...
        assert len(records.reports_with(WAITING)) == reports_before + 1  # ... and no double
    finally:
        small_disk.free()
    qtbot.waitUntil(lambda: kiosk.services.outbox.pending == 0, timeout=30_000)
    assert len(records.reports_with(WAITING)) == reports_before + 1
