"""Blocking client of the hall's central service (the /v1 contract in central/openapi.yaml).

One ``requests.Session``, connect and read timeouts, the kiosk's bearer token, TLS verification
with an optional pinned CA file. Every answer is checked against the contract before it is
returned: a 500, an HTML error page, truncated JSON or a missing field raises
``CentralServerError`` -- it never turns into "0 people waiting". Retries with backoff happen
only for idempotent calls (GETs and POSTs carrying an Idempotency-Key). Plain Python, no Qt:
callers run it off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import requests

from hall.catalogue import Zone
from kiosk.words import WORDS, text

log = logging.getLogger(__name__)


class CentralError(Exception):
    """Base of everything the client raises; ``reason`` is a key of ``kiosk.words``."""

    reason = "central.server_error"

    def words(self, language: str = "zh") -> str:
        key = self.reason if self.reason in WORDS else "central.server_error"
        return text(key, language)


class CentralOffline(CentralError):
    """No answer at all: refused, unreachable, DNS, TLS failure or timeout."""

    reason = "central.offline"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"central service unreachable: {detail}")


class CentralRejected(CentralError):
    """The centre understood and said no (a 4xx problem): ``reason`` says why, in its words."""

    def __init__(self, reason: str, detail: str = "", *, status: int = 400,
                 problem: dict[str, Any] | None = None) -> None:
        self.reason = reason
        self.detail = detail
        self.status = status
        self.problem = problem or {}
        super().__init__(f"{reason}: {detail}" if detail else reason)

    @property
    def opens_at(self) -> dt.datetime | None:
        """For ``ticket.closed``: when the matter opens next."""
        return _parse_time(self.problem.get("opens_at"))

    @property
    def come_back_at(self) -> dt.datetime | None:
        """For ``ticket.quota_gone``: when numbers are handed out again."""
        return _parse_time(self.problem.get("come_back_at"))

    @property
    def is_auth_problem(self) -> bool:
        return self.reason.startswith("auth.")


class CentralServerError(CentralError):
    """The centre answered, but with a 5xx or with something that breaks the contract."""

    def __init__(self, detail: str, *, status: int | None = None,
                 reason: str = "central.server_error") -> None:
        self.detail = detail
        self.status = status
        self.reason = reason
        super().__init__(f"central service error{f' {status}' if status else ''}: {detail}")


def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def new_idempotency_key() -> str:
    """One key per citizen action; reuse it for every retry of that action."""
    return uuid.uuid4().hex


# -- typed answers ---------------------------------------------------------------------------
class _Fields:
    """Pull typed fields out of an answer, raising CentralServerError on anything off-contract."""

    def __init__(self, data: Any, what: str) -> None:
        if not isinstance(data, dict):
            raise CentralServerError(f"{what}: expected a JSON object", reason="central.bad_answer")
        self.data = data
        self.what = what

    def get(self, key: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
        value = self.data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise CentralServerError(f"{self.what}.{key}: expected {kind}, got {value!r:.40}",
                                     reason="central.bad_answer")
        return value

    def count(self, key: str) -> int:
        value = self.get(key, int)
        if value < 0:
            raise CentralServerError(f"{self.what}.{key}: negative count",
                                     reason="central.bad_answer")
        return int(value)


@dataclass(frozen=True)
class HelpCallStatus:
    """Where a help call stands at the centre: open or closed, and who said "I'm coming"."""

    id: str
    open: bool
    coming_name: str | None  # the staff member's display name; nothing else about them
    coming_role_name: str | None
    coming_role_name_en: str | None
    closed_by: str | None  # "kiosk" (cancelled here) | "staff" | None

    @classmethod
    def from_json(cls, data: Any) -> HelpCallStatus:
        f = _Fields(data, "help_call")
        status = f.get("status", str)
        if status not in ("open", "closed"):
            raise CentralServerError(f"help_call.status: unknown {status!r:.20}",
                                     reason="central.bad_answer")
        coming = f.get("coming", dict, optional=True)
        name = role = role_en = None
        if coming is not None:
            c = _Fields(coming, "help_call.coming")
            name, role = c.get("name", str), c.get("role_name", str)
            role_en = c.get("role_name_en", str)
        return cls(f.get("id", str), status == "open", name, role, role_en,
                   f.get("closed_by", str, optional=True))


@dataclass(frozen=True)
class Ticket:
    """A queue number as printed on the ticket."""

    id: str
    number: str
    matter_id: str
    matter_name: str
    matter_name_en: str
    zone: Zone
    windows: str
    ahead: int
    priority: str | None
    issued_at: str
    tracking_url: str
    #: The centre's estimate from measured service times (older centres do not send it).
    estimated_wait_min: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> Ticket:
        f = _Fields(data, "ticket")
        z = _Fields(f.get("zone", dict), "ticket.zone")
        return cls(f.get("id", str), f.get("number", str), f.get("matter_id", str),
                   f.get("matter_name", str), f.get("matter_name_en", str),
                   Zone(z.get("id", str), z.get("name", str), z.get("name_en", str),
                        z.get("floor", int), z.get("location", str), z.get("location_en", str),
                        windows=z.get("windows", str, optional=True) or ""),
                   f.get("windows", str), f.count("ahead"), f.get("priority", str, optional=True),
                   f.get("issued_at", str), f.get("tracking_url", str),
                   f.get("estimated_wait_min", int, optional=True))


@dataclass(frozen=True)
class TicketStatus:
    id: str
    number: str
    status: str  # waiting | called | served | no_show | expired
    ahead: int
    window: str | None

    @classmethod
    def from_json(cls, data: Any) -> TicketStatus:
        f = _Fields(data, "ticket_status")
        status = f.get("status", str)
        if status not in ("waiting", "called", "served", "no_show", "expired"):
            raise CentralServerError(f"ticket_status.status: unknown {status!r}",
                                     reason="central.bad_answer")
        return cls(f.get("id", str), f.get("number", str), status, f.count("ahead"),
                   f.get("window", str, optional=True))


@dataclass(frozen=True)
class ReportReceipt:
    tracking_no: str
    promised_date: dt.date
    received_at: str
    tracking_url: str
    check_code: str = ""  # printed on the receipt; the progress look-up asks for it

    @classmethod
    def from_json(cls, data: Any) -> ReportReceipt:
        f = _Fields(data, "report")
        try:
            promised = dt.date.fromisoformat(f.get("promised_date", str))
        except ValueError:
            raise CentralServerError("report.promised_date: not a date",
                                     reason="central.bad_answer") from None
        return cls(f.get("tracking_no", str), promised, f.get("received_at", str),
                   f.get("tracking_url", str), f.get("check_code", str, optional=True) or "")


@dataclass(frozen=True)
class ReportStep:
    step: str
    name: str
    name_en: str
    done_at: str | None


@dataclass(frozen=True)
class ReportStatus:
    """The five-step lifecycle 受理→分类→转办→办结→反馈 of one report."""

    tracking_no: str
    status: str
    promised_date: dt.date
    kind_name: str | None
    kind_name_en: str | None
    answer: str | None
    steps: tuple[ReportStep, ...]
    received_at: str = ""  # when the centre received it: lists are ordered by it

    @classmethod
    def from_json(cls, data: Any) -> ReportStatus:
        f = _Fields(data, "report_status")
        steps = []
        for i, raw in enumerate(f.get("steps", list)):
            s = _Fields(raw, f"report_status.steps[{i}]")
            steps.append(ReportStep(s.get("step", str), s.get("name", str), s.get("name_en", str),
                                    s.get("done_at", str, optional=True)))
        if len(steps) != 5:
            raise CentralServerError("report_status.steps: expected five steps",
                                     reason="central.bad_answer")
        try:
            promised = dt.date.fromisoformat(f.get("promised_date", str))
        except ValueError:
            raise CentralServerError("report_status.promised_date: not a date",
                                     reason="central.bad_answer") from None
        return cls(f.get("tracking_no", str), f.get("status", str), promised,
                   f.get("kind_name", str, optional=True),
                   f.get("kind_name_en", str, optional=True),
                   f.get("answer", str, optional=True), tuple(steps),
                   f.get("received_at", str, optional=True) or "")


@dataclass(frozen=True)
class ConfigBundle:
    """The signed bundle as received; verify it with hall.signing before use."""

    raw: dict[str, Any]
    etag: str | None


@dataclass(frozen=True)
class ServerEvent:
    event: str
    data: str
    id: str | None = None


# -- the client ------------------------------------------------------------------------------
class CentralClient:
    """Talks to the centre for one kiosk. Thread-safe enough for the outbox and flows to share."""

    def __init__(self, base_url: str, token: str, kiosk_id: str, *,
                 connect_timeout_s: float = 3.0, read_timeout_s: float = 8.0,
                 ca_file: str = "", retries: int = 2, backoff_s: float = 0.3,
                 session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.timeout = (connect_timeout_s, read_timeout_s)
        self.retries = retries
        self.backoff_s = backoff_s
        self._session = session or requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"
        self._session.headers["Accept"] = "application/json, application/problem+json"
        # Passed on every request: a session-level value loses to REQUESTS_CA_BUNDLE in the
        # environment, and a pinned CA must not be overridable that way.
        self._verify: str | bool = ca_file or True
        self.auth_problem: str | None = None  # e.g. "auth.revoked": shown in the service menu
        self.last_ok_at: float | None = None

    def close(self) -> None:
        self._session.close()

    # -- plumbing ------------------------------------------------------------------------
    def _send(self, method: str, path: str, *, json_body: Any = None,
              headers: dict[str, str] | None = None, stream: bool = False,
              timeout: tuple[float, float] | None = None) -> requests.Response:
        try:
            return self._session.request(method, self.base_url + path, json=json_body,
                                         headers=headers, stream=stream,
                                         timeout=timeout or self.timeout, verify=self._verify)
        except requests.exceptions.SSLError as exc:
            raise CentralOffline(f"TLS verification failed ({type(exc).__name__})") from None
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise CentralOffline(type(exc).__name__) from None
        except requests.RequestException as exc:
            raise CentralOffline(f"{type(exc).__name__}: {exc}") from None

    def _check(self, response: requests.Response) -> Any:
        """Decode a 2xx JSON answer or raise the typed error a flow can explain."""
        status = response.status_code
        if 200 <= status < 300:
            try:
                data = response.json()
            except ValueError:
                raise CentralServerError(f"HTTP {status} with a body that is not JSON",
                                         status=status, reason="central.bad_answer") from None
            self.last_ok_at = time.monotonic()
            self.auth_problem = None
            return data
        problem: dict[str, Any] = {}
        try:
            parsed = response.json()
            if isinstance(parsed, dict):
                problem = parsed
        except ValueError:
            pass
        if status >= 500 or status < 200 or 300 <= status < 400:
            raise CentralServerError(str(problem.get("detail", response.reason or "")),
                                     status=status)
        reason = problem.get("reason")
        if not isinstance(reason, str) or not reason:
            reason = {401: "auth.invalid", 403: "auth.wrong_kiosk", 404: "not_found",
                      409: "conflict", 429: "central.busy"}.get(status, "request.invalid")
        if status == 401:
            self.auth_problem = reason
        raise CentralRejected(reason, str(problem.get("detail", "")), status=status,
                              problem=problem)

    def _call(self, method: str, path: str, *, json_body: Any = None,
              idempotency_key: str | None = None, idempotent: bool | None = None,
              extra_headers: dict[str, str] | None = None) -> requests.Response:
        """Send once, or with retries if the call is idempotent; return the raw response."""
        headers = dict(extra_headers or {})
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        if idempotent is None:
            idempotent = method == "GET" or idempotency_key is not None
        attempts = 1 + (self.retries if idempotent else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._send(method, path, json_body=json_body, headers=headers)
            except CentralOffline:
                if last:
                    raise
            else:
                if (response.status_code < 500 and response.status_code != 429) or last:
                    return response
            time.sleep(self.backoff_s * (2 ** attempt))
        raise AssertionError("unreachable")

    def _json(self, method: str, path: str, **kw: Any) -> Any:
        return self._check(self._call(method, path, **kw))

    # -- the contract --------------------------------------------------------------------
    def take_ticket(self, matter_id: str, *, idempotency_key: str, priority: str | None = None,
                    appointment_code: str | None = None, id_hash: str | None = None) -> Ticket:
        """A queue number. Never taken offline: CentralOffline means "numbering unavailable"."""
        body: dict[str, Any] = {"matter_id": matter_id}
        if priority:
            body["priority"] = priority
        if appointment_code:
            body["appointment_code"] = appointment_code
        if id_hash:
            body["id_hash"] = id_hash
        return Ticket.from_json(self._json("POST", "/v1/tickets", json_body=body,
                                           idempotency_key=idempotency_key))

    def ticket_status(self, ticket_id: str) -> TicketStatus:
        return TicketStatus.from_json(self._json("GET", f"/v1/tickets/{ticket_id}"))

    def submit_report(self, body: dict[str, Any], *, idempotency_key: str) -> ReportReceipt:
        """Usually called by the Outbox, not by flows directly (a report must never be lost)."""
        return ReportReceipt.from_json(self._json("POST", "/v1/reports", json_body=body,
                                                  idempotency_key=idempotency_key))

    def report_status(self, tracking_no: str, check_code: str | None = None) -> ReportStatus:
        """A report by its number and the receipt's check code (sent as a header, so it stays
        out of URLs and access logs). A wrong code is ``report.unknown``, like a wrong number."""
        headers = {"Check-Code": check_code} if check_code else None
        return ReportStatus.from_json(self._json("GET", f"/v1/reports/{tracking_no}",
                                                 extra_headers=headers))

    def reports_by_card(self, id_hash: str, limit: int = 5) -> tuple[ReportStatus, ...]:
        """The card holder's latest reports in this hall, newest first (the ID hash goes in a
        header, never in a URL). None is an empty tuple, not an error."""
        data = self._json("GET", f"/v1/card-reports?limit={int(limit)}",
                          extra_headers={"Id-Hash": id_hash})
        if not isinstance(data, list):
            raise CentralServerError("card-reports: expected a list", reason="central.bad_answer")
        return tuple(ReportStatus.from_json(item) for item in data)

    def submit_evaluation(self, body: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        data: dict[str, Any] = self._json("POST", "/v1/evaluations", json_body=body,
                          idempotency_key=idempotency_key)
        _Fields(data, "evaluation").get("id", str)
        return data

    def call_help(self, body: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        data: dict[str, Any] = self._json("POST", "/v1/help-calls", json_body=body,
                          idempotency_key=idempotency_key)
        _Fields(data, "help_call").get("id", str)
        return data

    def help_call_status(self, call_id: str) -> HelpCallStatus:
        """Follow a help call: still open? who is coming?"""
        return HelpCallStatus.from_json(self._json("GET", f"/v1/help-calls/{call_id}"))

    def cancel_help_call(self, call_id: str) -> HelpCallStatus:
        """The citizen no longer needs help: the call closes on every desk (repeat-safe)."""
        return HelpCallStatus.from_json(self._json("POST", f"/v1/help-calls/{call_id}/cancel"))

    def post_outbox_item(self, kind: str, body: dict[str, Any], idempotency_key: str
                         ) -> dict[str, Any]:
        """Send one outbox item (report, evaluation or help_call); return the answer JSON."""
        if kind == "report":
            r = self.submit_report(body, idempotency_key=idempotency_key)
            return {"tracking_no": r.tracking_no, "promised_date": r.promised_date.isoformat(),
                    "received_at": r.received_at, "tracking_url": r.tracking_url,
                    "check_code": r.check_code}
        if kind == "evaluation":
            return self.submit_evaluation(body, idempotency_key=idempotency_key)
        if kind == "help_call":
            return self.call_help(body, idempotency_key=idempotency_key)
        raise ValueError(f"unknown outbox kind {kind!r}")

    def heartbeat(self, payload: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """Report health; ``payload`` and ``fields`` are merged (see HeartbeatRequest in the
        contract: app_version, config_version, config_rejected, devices, outbox_pending,
        outbox_failed, plus any extra keys). Not retried: the next beat supersedes it.
        Returns {server_time, config_version}.
        """
        body = {**(payload or {}), **fields}
        data: dict[str, Any] = self._json("POST", "/v1/heartbeats", json_body=body, idempotent=False)
        _Fields(data, "heartbeat").get("config_version", int)
        return data

    def fetch_config(self, etag: str | None = None) -> ConfigBundle | None:
        """The latest signed bundle, or None when it still matches ``etag`` (304)."""
        headers = {"If-None-Match": etag} if etag else None
        response = self._call("GET", f"/v1/kiosks/{self.kiosk_id}/config",
                              extra_headers=headers)
        if response.status_code == 304:
            self.last_ok_at = time.monotonic()
            return None
        data = self._check(response)
        _Fields(data, "config").get("body", str)
        return ConfigBundle(data, response.headers.get("ETag"))

    def events(self, *, read_timeout_s: float = 45.0,
               on_open: Callable[[requests.Response], None] | None = None
               ) -> Iterator[ServerEvent]:
        """Hold the event stream open and yield events; ends (or raises) when it breaks.

        ``read_timeout_s`` must exceed the server's ping interval (15 s) so a silent, dead
        connection is noticed. ``on_open`` receives the response so another thread can hang
        up (``response.close()``) without waiting for the next event.
        """
        response = self._send("GET", f"/v1/kiosks/{self.kiosk_id}/events", stream=True,
                              headers={"Accept": "text/event-stream"},
                              timeout=(self.timeout[0], read_timeout_s))
        if on_open is not None:
            on_open(response)
        try:
            if response.status_code != 200:
                self._check(response)
                raise CentralServerError(f"event stream answered {response.status_code}")
            if not response.headers.get("content-type", "").startswith("text/event-stream"):
                raise CentralServerError("event stream is not text/event-stream",
                                         reason="central.bad_answer")
            yield from _parse_sse(response)
        except (requests.RequestException, OSError, AttributeError, ValueError) as exc:
            # AttributeError/ValueError: urllib3 after another thread closed the response
            raise CentralOffline(f"event stream broke ({type(exc).__name__})") from None
        finally:
            response.close()


def _parse_sse(response: requests.Response) -> Iterator[ServerEvent]:
    event, data, event_id = "message", list[str](), None
    # Lines are split as bytes (only CR, LF, CRLF end a line in an event stream) and decoded as
    # UTF-8 whatever the Content-Type says: the format is always UTF-8, and str.splitlines
    # would also break at U+2028 or U+0085 inside the data.
    for raw in response.iter_lines():
        line = raw.decode("utf-8", "replace")
        if line == "":
            if data:
                yield ServerEvent(event, "\n".join(data), event_id)
            event, data = "message", []
            continue
        if line.startswith(":"):
            yield ServerEvent("ping", "")
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)
        elif name == "id":
            event_id = value


def event_json(event: ServerEvent) -> dict[str, Any] | None:
    try:
        data = json.loads(event.data)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
