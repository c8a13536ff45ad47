"""How the answer reaches the citizen: a notifier interface and two implementations.

The default :class:`TableNotifier` sends nothing outside the centre: the message is only
recorded in ``messages_sent``, which the desk shows as "messages sent" (a hall without an SMS
contract reads them out by phone). :class:`HttpSmsNotifier` posts the message to an SMS
gateway over HTTP (JSON ``{"to", "text"}``, optional bearer token). Either way every message
is recorded with its outcome, so nobody has to guess whether the citizen was told.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

import requests


@dataclass(frozen=True)
class Message:
    hall: str
    tracking_no: str | None
    recipient: str  # a phone number: personal information, shown masked, never logged
    text: str


@dataclass(frozen=True)
class Delivery:
    channel: str
    status: str  # "recorded" | "sent" | "failed"
    error: str | None = None


class Notifier(Protocol):
    def send(self, message: Message) -> Delivery: ...


class TableNotifier:
    """Records the message only (``messages_sent``); the desk lists it."""

    def send(self, message: Message) -> Delivery:
        return Delivery("table", "recorded")


class HttpSmsNotifier:
    """An SMS gateway over HTTP: POST JSON {to, text}; any 2xx is "sent", anything else failed."""

    def __init__(self, url: str, token: str | None = None, timeout_s: float = 5.0) -> None:
        self.url = url
        self.token = token
        self.timeout_s = timeout_s

    def send(self, message: Message) -> Delivery:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = requests.post(self.url, json={"to": message.recipient,
                                                     "text": message.text},
                                     headers=headers, timeout=self.timeout_s)
        except requests.RequestException as exc:
            return Delivery("sms", "failed", f"gateway unreachable: {type(exc).__name__}")
        if 200 <= response.status_code < 300:
            return Delivery("sms", "sent")
        return Delivery("sms", "failed", f"gateway answered HTTP {response.status_code}")


def notifier_from_environment() -> Notifier:
    """``CENTRAL_SMS_GATEWAY`` (URL) and ``CENTRAL_SMS_TOKEN`` pick the SMS gateway; else table."""
    url = os.environ.get("CENTRAL_SMS_GATEWAY", "").strip()
    if url:
        return HttpSmsNotifier(url, os.environ.get("CENTRAL_SMS_TOKEN") or None)
    return TableNotifier()
