"""Logs: personal numbers never reach a log line, and a bad log folder does not stop the kiosk."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk import logsetup


def test_id_and_mobile_numbers_are_blanked_in_file_and_memory(tmp_path: Path) -> None:
    logsetup.setup(tmp_path / "logs")
    try:
        logging.getLogger("kiosk.test").warning("card %s phone %s", "11010519491231002X", "13912345678")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
        assert "11010519491231002X" not in text and "13912345678" not in text
        assert "110105********002X" in text and "139****5678" in text
        assert "11010519491231002X" not in logsetup.recent_lines.lines[-1]
    finally:
        logsetup.setup(None)


def test_unwritable_log_folder_falls_back_to_stderr(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    logsetup.setup(blocker / "logs")  # a folder inside a file cannot exist
    try:
        logging.getLogger("kiosk.test").info("still logging")
        assert logsetup.recent_lines.lines[-1].endswith("still logging")
    finally:
        logsetup.setup(None)


def test_the_log_file_rotates_by_size_and_keeps_the_configured_backups(tmp_path: Path) -> None:
    logsetup.setup(tmp_path / "logs", max_bytes=10_000, backups=2)
    try:
        for number in range(400):  # ~40 KB of lines: rotated three times or more
            logging.getLogger("kiosk.test").warning("line %04d %s", number, "x" * 60)
        for handler in logging.getLogger().handlers:
            handler.flush()
        files = sorted(path.name for path in (tmp_path / "logs").iterdir())
        assert files == ["kiosk.log", "kiosk.log.1", "kiosk.log.2"]
        for name in files:
            assert (tmp_path / "logs" / name).stat().st_size <= 10_000
        newest = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
        older = (tmp_path / "logs" / "kiosk.log.1").read_text(encoding="utf-8")
        assert "line 0399" in newest and "line 0399" not in older
        assert older.splitlines()[-1].split("line ")[1][:4] == str(
            int(newest.splitlines()[0].split("line ")[1][:4]) - 1).zfill(4)  # nothing lost between
    finally:
        logsetup.setup(None)
