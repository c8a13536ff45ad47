"""Fixtures for the reference centre: the real server on 127.0.0.1 with a tmp SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from central.testing import Clock, RunningCentre, running_centre


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def centre(tmp_path, clock) -> Iterator[RunningCentre]:
    with running_centre(tmp_path / "central.db", clock=clock) as running:
        yield running


@pytest.fixture
def kiosk_http(centre) -> Iterator[requests.Session]:
    """A plain requests session carrying the demo kiosk's token."""
    with requests.Session() as session:
        session.headers.update(centre.kiosk_headers())
        yield session


@pytest.fixture
def staff_http(centre) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers.update(centre.staff_headers())
        yield session
