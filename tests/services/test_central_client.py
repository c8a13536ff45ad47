"""CentralClient against the real centre on 127.0.0.1, and against servers that misbehave."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from central.testing import HALL_TZ, Clock, running_centre
from hall.idhash import hash_id_number
from kiosk.services.central import (
    CentralClient,
    CentralOffline,
    CentralRejected,
    CentralServerError,
    new_idempotency_key,
)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def centre(tmp_path, clock):
    with running_centre(tmp_path / "central.db", clock=clock) as running:
        yield running


@pytest.fixture
def client(centre) -> Iterator[CentralClient]:
    c = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, backoff_s=0.01)
    yield c
    c.close()


class ScriptedServer:
    """A real HTTP server on 127.0.0.1 that answers from a script: (status, content type, body)."""

    def __init__(self, answers: list[tuple[int, str, bytes]]) -> None:
        self.answers = answers
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                outer.hits.append(f"{self.command} {self.path}")
                status, ctype, body = outer.answers[min(len(outer.hits), len(outer.answers)) - 1]
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def scripted_client(url: str, **kw) -> CentralClient:
    return CentralClient(url, "kiosk-01.token", "kiosk-01", backoff_s=0.01, **kw)


VALID_STATUS = json.dumps({"id": "a" * 32, "number": "C005", "matter_id": "m", "status": "waiting",
                           "ahead": 3, "window": None, "called_at": None}).encode()
PROBLEM_500 = json.dumps({"type": "about:blank", "title": "x", "status": 500,
                          "reason": "server.error", "detail": "db locked"}).encode()


def test_ticket_from_the_real_centre(client):
    ticket = client.take_ticket("marriage-reg", idempotency_key=new_idempotency_key(),
                                id_hash=hash_id_number("11010519491231002X", "salt"))
    assert ticket.number == "C001" and ticket.zone.floor == 3 and ticket.ahead == 0
    status = client.ticket_status(ticket.id)
    assert status.number == "C001" and status.status == "waiting"


def test_retried_ticket_request_yields_one_number(client):
    key = new_idempotency_key()
    first = client.take_ticket("marriage-reg", idempotency_key=key)
    second = client.take_ticket("marriage-reg", idempotency_key=key)
    assert first == second
    assert client.take_ticket("marriage-reg", idempotency_key=new_idempotency_key()).number == "C002"


@pytest.mark.parametrize("answer", [
    (500, "application/problem+json", PROBLEM_500),
    (502, "text/html", b"<html><body>Bad Gateway</body></html>"),
    (200, "text/html", b"<html>maintenance</html>"),
    (200, "application/json", b'{"id": "x", "number": "C1", "status": "waiting"'),
    (200, "application/json", b'{"id": "x", "number": "C1", "status": "waiting"}'),
    (200, "application/json", b'{"id": "x", "number": "C1", "status": "waiting", "ahead": -1}'),
    (200, "application/json", b"[]"),
    (204, "application/json", b""),
], ids=["500", "502-html", "200-html", "truncated", "no-ahead", "negative", "list", "empty"])
def test_broken_answers_are_errors_never_zero_waiting(answer):
    with ScriptedServer([answer]) as server:
        client = scripted_client(server.url)
        with pytest.raises(CentralServerError) as info:
            client.ticket_status("a" * 32)
    assert info.value.reason in ("central.server_error", "central.bad_answer")
    assert info.value.words("zh") and info.value.words("en")


def test_nothing_listening_is_offline():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: connection refused
    client = scripted_client(f"http://127.0.0.1:{port}")
    with pytest.raises(CentralOffline):
        client.ticket_status("a" * 32)


def test_server_that_never_answers_is_offline_after_the_read_timeout():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        client = scripted_client(f"http://127.0.0.1:{listener.getsockname()[1]}",
                                 read_timeout_s=0.3, retries=0)
        with pytest.raises(CentralOffline):
            client.ticket_status("a" * 32)
    finally:
        listener.close()


def test_server_that_hangs_up_mid_answer_is_offline():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def hang_up() -> None:
        for _ in range(3):
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"ahead\"")
            conn.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    try:
        client = scripted_client(f"http://127.0.0.1:{listener.getsockname()[1]}")
        with pytest.raises((CentralOffline, CentralServerError)):
            client.ticket_status("a" * 32)
    finally:
        listener.close()
        thread.join(timeout=5)


def test_idempotent_calls_retry_through_transient_errors():
    answers = [(503, "text/plain", b"busy"), (503, "text/plain", b"busy"),
               (200, "application/json", VALID_STATUS)]
    with ScriptedServer(answers) as server:
        status = scripted_client(server.url).ticket_status("a" * 32)
    assert status.ahead == 3 and len(server.hits) == 3


def test_calls_without_idempotency_are_sent_once():
    with ScriptedServer([(503, "text/plain", b"busy")]) as server, pytest.raises(CentralServerError):
        scripted_client(server.url).heartbeat(config_version=1)
    assert server.hits == ["POST /v1/heartbeats"]


def test_closed_matter_is_a_rejection_with_the_next_opening(client, clock):
    clock.set(dt.datetime(2026, 11, 24, 20, 0, tzinfo=HALL_TZ))
    with pytest.raises(CentralRejected) as info:
        client.take_ticket("marriage-reg", idempotency_key=new_idempotency_key())
    assert info.value.reason == "ticket.closed"
    assert info.value.opens_at == dt.datetime(2026, 11, 25, 9, 0, tzinfo=HALL_TZ)
    assert "不办理" in info.value.words("zh")


def test_revoked_token_is_reported_for_the_service_menu(centre, client):
    requests.post(f"{centre.url}/v1/staff/kiosks/{centre.kiosk_id}/revoke",
                  headers=centre.staff_headers(), timeout=5).raise_for_status()
    with pytest.raises(CentralRejected) as info:
        client.heartbeat(config_version=1)
    assert info.value.reason == "auth.revoked" and info.value.is_auth_problem
    assert client.auth_problem == "auth.revoked"
    kiosks = requests.get(f"{centre.url}/v1/kiosks", headers=centre.staff_headers(),
                          timeout=5).json()
    assert kiosks[0]["revoked"] and kiosks[0]["last_auth_failure_at"]


def test_report_lifecycle_through_the_client(centre, client):
    key = new_idempotency_key()
    body = {"matter_id": "marriage-reg", "situation": "repeated_visits",
            "description": "跑了三次还没办成", "phone": "13800138000"}
    receipt = client.submit_report(body, idempotency_key=key)
    assert client.submit_report(body, idempotency_key=key) == receipt
    staff = {"Authorization": f"Bearer {centre.staff_token}"}
    base = f"{centre.url}/v1/staff/reports/{receipt.tracking_no}"
    requests.post(f"{base}/accept", json={}, headers=staff, timeout=5).raise_for_status()
    assert len(receipt.check_code) == 4
    with pytest.raises(CentralRejected) as no_code:  # the receipt's code is needed
        client.report_status(receipt.tracking_no)
    assert no_code.value.reason == "report.unknown"
    status = client.report_status(receipt.tracking_no, receipt.check_code)
    assert status.status == "accepted"
    assert [s.name for s in status.steps] == ["受理", "分类", "转办", "办结", "反馈"]
    assert status.steps[0].done_at and status.steps[1].done_at is None


def test_reports_by_card_through_the_client(centre, client, clock):
    mine = hash_id_number("11010519491231002X", "demo-salt")
    body = {"matter_id": "marriage-reg", "situation": "repeated_visits",
            "description": "跑了三次还没办成", "phone": "13800138000", "id_hash": mine}
    first = client.submit_report(body, idempotency_key=new_idempotency_key())
    clock.set(clock.when + dt.timedelta(hours=1))
    second = client.submit_report(body, idempotency_key=new_idempotency_key())
    found = client.reports_by_card(mine)
    assert [r.tracking_no for r in found] == [second.tracking_no, first.tracking_no]
    assert found[0].received_at > found[1].received_at and found[0].status == "received"
    assert client.reports_by_card(hash_id_number("110105194912310037", "demo-salt")) == ()


def test_reports_by_card_off_contract_is_an_error():
    with ScriptedServer([(200, "application/json", b'{"not": "a list"}')]) as server:
        with pytest.raises(CentralServerError) as bad:
            scripted_client(server.url).reports_by_card("a" * 64)
        assert bad.value.reason == "central.bad_answer"
        assert server.hits == ["GET /v1/card-reports?limit=5"]  # the hash is not in the URL


def test_config_and_events(centre, client):
    bundle = client.fetch_config()
    assert bundle is not None and bundle.raw["version"] == 1 and bundle.etag
    assert client.fetch_config(bundle.etag) is None
    events = client.events(read_timeout_s=5)
    first = next(e for e in events if e.event == "config")
    events.close()
    assert json.loads(first.data)["version"] == 1


def make_ca_and_server_cert(folder):
    """A private CA and a certificate for 127.0.0.1 signed by it (what a hall would pin)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("Hall CA")).issuer_name(name("Hall CA"))
          .public_key(ca_key.public_key()).serial_number(1)
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(name("centre")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(2)
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = {n: folder / f"{n}.pem" for n in ("ca", "cert", "key")}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                               serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    return paths


def test_tls_with_a_pinned_ca_and_refusal_without_it(tmp_path):
    paths = make_ca_and_server_cert(tmp_path)
    with running_centre(tmp_path / "central.db",
                        tls=(str(paths["cert"]), str(paths["key"]))) as centre:
        assert centre.url.startswith("https://")
        pinned = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id,
                               ca_file=str(paths["ca"]))
        assert pinned.fetch_config() is not None
        unpinned = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, retries=0)
        with pytest.raises(CentralOffline) as info:
            unpinned.fetch_config()
        assert "TLS" in str(info.value)
        pinned.close()
        unpinned.close()
