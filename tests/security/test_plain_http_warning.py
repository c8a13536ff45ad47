"""A centre reached over plain HTTP on the hall network is warned about at every start."""

from __future__ import annotations

import logging

import pytest

from kiosk.app import warn_about_plain_http


def test_plain_http_to_another_host_is_warned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.app"):
        assert warn_about_plain_http("http://10.0.0.5:8400")
    assert "unencrypted" in caplog.text


@pytest.mark.parametrize("url", ["https://centre.hall.example", "http://127.0.0.1:8400",
                                 "http://localhost:8400"])
def test_tls_or_loopback_is_not_warned(url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.app"):
        assert not warn_about_plain_http(url)
    assert caplog.text == ""
