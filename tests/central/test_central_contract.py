"""The committed contract matches the server, and the server honours it under schemathesis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from central.__main__ import openapi_document

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "central" / "openapi.yaml"


def test_committed_contract_is_what_the_server_serves():
    committed = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    assert committed["openapi"].startswith("3.1")
    assert committed == openapi_document(), (
        "central/openapi.yaml is stale: python -m central openapi > central/openapi.yaml")
    paths = committed["paths"]
    for required in ("/v1/tickets", "/v1/tickets/{ticket_id}", "/v1/reports",
                     "/v1/reports/{tracking_no}", "/v1/evaluations", "/v1/help-calls",
                     "/v1/heartbeats", "/v1/kiosks/{kiosk_id}/config",
                     "/v1/kiosks/{kiosk_id}/events"):
        assert required in paths, required


def test_schemathesis_finds_no_server_errors(centre, tmp_path):
    examples = os.environ.get("CENTRAL_SCHEMATHESIS_EXAMPLES", "5")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("schemathesis")), "run", str(CONTRACT), "--url", centre.url,
         "-H", f"Authorization: Bearer {centre.staff_token}",
         "--exclude-path-regex", "events$",  # endless stream; covered by the config tests
         "--checks", "all", "--max-examples", examples, "--seed", "20261124",
         # Text no database can store (NUL, lone surrogates) is refused with 422 before it
         # reaches one: tests/central/test_central_database.py asserts that answer.
         "--generation-allow-x00", "false", "--generation-codec", "utf-8",
         "--phases", os.environ.get("CENTRAL_SCHEMATHESIS_PHASES", "fuzzing,stateful"),
         "--request-timeout", "5"],
        capture_output=True, text=True, cwd=tmp_path, timeout=90,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    tail = (result.stdout + result.stderr)[-4000:]
    assert result.returncode == 0, tail
    assert " passed" in tail
