"""Fixtures for the reference centre: the real server on 127.0.0.1, on SQLite and PostgreSQL.

Every test that asks for ``centre`` or ``database_url`` runs twice: on a SQLite file in its tmp
dir and on a fresh database of a throwaway PostgreSQL server this session starts itself
(``central.testing.ThrowawayPostgres``, from Debian's binaries, stopped at the end).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from central.testing import Clock, RunningCentre, ThrowawayPostgres, running_centre


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request) -> str:
    return request.param


@pytest.fixture
def database_url(engine, tmp_path, request) -> Iterator[str]:
    """A new empty database of the test's engine: a SQLite file path or a postgresql:// URL."""
    if engine == "sqlite":
        yield str(tmp_path / "central.db")
        return
    server: ThrowawayPostgres = request.getfixturevalue("postgres")
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def centre(database_url, clock) -> Iterator[RunningCentre]:
    with running_centre(database_url, clock=clock) as running:
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
