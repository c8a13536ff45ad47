"""deploy/central: the centre's instance template unit and the nginx example in front of it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CENTRAL = ROOT / "deploy" / "central"
UNIT = CENTRAL / "hall-central@.service"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_instance_template_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    # verify checks that ExecStart exists: point it at this checkout's Python, and the
    # environment file at a copy of the example.
    env = tmp_path / "central.env"
    env.write_text((CENTRAL / "central.env.example").read_text())
    text = (UNIT.read_text().replace("/opt/hall-central/venv/bin/python", sys.executable)
            .replace("/etc/hall-central/central.env", str(env)))
    copy = tmp_path / "hall-central@8401.service"
    copy.write_text(text)
    done = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True,
                          text=True, timeout=60)
    complaints = [line for line in (done.stdout + done.stderr).splitlines()
                  if "hall-central" in line and "User" not in line]
    assert done.returncode == 0 and not complaints, "\n".join(complaints) or done.stderr


def test_the_database_url_stays_off_the_command_line() -> None:
    unit = UNIT.read_text()
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert "--database" not in exec_start and "postgresql://" not in exec_start
    assert "--port %i" in exec_start and "EnvironmentFile=/etc/hall-central/central.env" in unit
    env = (CENTRAL / "central.env.example").read_text()
    assert re.search(r"^CENTRAL_DATABASE=postgresql://", env, re.M)


def test_nginx_example_streams_events_unbuffered_to_every_instance() -> None:
    conf = (CENTRAL / "nginx-central.conf").read_text()
    ports = re.findall(r"server 127\.0\.0\.1:(\d+)", conf)
    assert len(ports) >= 2 and len(set(ports)) == len(ports)
    events = conf[conf.index("location ~ ^/v1/kiosks/[^/]+/events$"):]
    assert "proxy_buffering off" in events and "proxy_read_timeout 1h" in events
    # No retry of a request that may have reached an instance: POSTs are not idempotent
    # without their key, and the kiosk retries with it itself.
    assert "non_idempotent" not in conf
