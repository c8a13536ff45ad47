"""One zone shape: the catalogue's zone is what the centre sends in a ticket and the kiosk reads."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from central.testing import demo_config, running_centre
from hall.catalogue import Catalogue
from kiosk.services.central import CentralClient


def test_the_ticket_zone_is_the_catalogue_zone(tmp_path) -> None:
    catalogue = Catalogue.from_dict(demo_config())
    matter = catalogue.matter("marriage-reg")
    with running_centre(tmp_path / "central.db") as centre:
        client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id)
        try:
            ticket = client.take_ticket(matter.id, idempotency_key=uuid.uuid4().hex)
        finally:
            client.close()
    assert ticket.zone == catalogue.zone(matter.zone)
    assert ticket.zone.windows and ticket.zone.location  # what the slip says: where to go


def test_a_ticket_zone_without_windows_still_reads(tmp_path) -> None:
    """A centre that predates ``windows`` in the ticket's zone is still understood."""
    answer = json.dumps({
        "id": "a" * 32, "number": "C001", "matter_id": "marriage-reg", "matter_name": "婚姻登记",
        "matter_name_en": "Marriage registration", "windows": "5", "ahead": 0, "priority": None,
        "issued_at": "2026-11-24T10:00:00+08:00", "tracking_url": "https://hall.example/q/a",
        "zone": {"id": "C", "name": "C区", "name_en": "Zone C", "floor": 3,
                 "location": "三楼东侧", "location_en": "3F east"}}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = CentralClient(f"http://127.0.0.1:{server.server_address[1]}", "kiosk-01.token",
                           "kiosk-01")
    try:
        ticket = client.take_ticket("marriage-reg", idempotency_key=uuid.uuid4().hex)
    finally:
        client.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert (ticket.zone.floor, ticket.zone.location_en, ticket.zone.windows) == (3, "3F east", "")
