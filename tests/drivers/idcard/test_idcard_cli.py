"""The maintenance command (drivers.idcard.read) and the simulator's command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from drivers.idcard.cards import CARDS
from drivers.idcard.read import main as read_main
from drivers.idcard.simulator import CardSimulator

ROOT = Path(__file__).resolve().parents[3]


def test_read_once_prints_a_masked_json_record(sim: CardSimulator, capsys) -> None:
    sim.place(CARDS["resident"])
    code = read_main(["--port", sim.port_path, "--once", "--json", "--timeout", "10", "--poll", "0.01"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    record = json.loads(out[-1])
    assert record["event"] == "card_read"
    assert record["name"] == "张*试" and record["id_number"] == "110101********0011"
    full = "11010119900307001"
    assert full not in "".join(out) and "张测试" not in "".join(out)


def test_read_times_out_with_one_clear_line(sim: CardSimulator, capsys) -> None:
    code = read_main(["--port", sim.port_path, "--once", "--timeout", "0.3", "--poll", "0.01"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and err[0].startswith("error: no card read within 0.3 s")


def test_read_reports_a_missing_reader(tmp_path: Path, capsys) -> None:
    code = read_main(["--port", str(tmp_path / "nothing"), "--status"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "reader not available" in err[0]


def test_status_prints_the_sam_id(sim: CardSimulator, capsys) -> None:
    assert read_main(["--port", sim.port_path, "--status"]) == 0
    assert "sam_id=05.01-20260101-0000000001-1234567890" in capsys.readouterr().out


def test_simulator_command_serves_a_pty_and_takes_commands(tmp_path: Path) -> None:
    link = tmp_path / "reader"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "drivers.idcard.simulator", "--pty", "--no-pace", "--link", str(link)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None and process.stdin is not None
        assert process.stdout.readline().strip() == str(link)
        process.stdin.write("place appended_address\n")
        process.stdin.flush()
        result = subprocess.run(
            [sys.executable, "-m", "drivers.idcard.read", "--port", str(link), "--once",
             "--json", "--timeout", "10", "--poll", "0.02"],
            capture_output=True, text=True, env=env, timeout=30,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        record = json.loads(result.stdout.strip().splitlines()[-1])
        assert record["name"] == "赵*本" and record["has_appended_address"] is True
        process.stdin.write("quit\n")
        process.stdin.flush()
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        for pipe in (process.stdin, process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
    assert not link.exists()


@pytest.mark.parametrize("bad", ["--baud=-5"])
def test_read_rejects_a_bad_setting(sim: CardSimulator, capsys, bad: str) -> None:
    assert read_main(["--port", sim.port_path, bad, "--timeout", "0.1"]) == 1
    assert "baud" in capsys.readouterr().err
