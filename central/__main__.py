"""Command line of the reference centre: serve, add-kiosk, publish, keygen, staff-token.

    python -m central serve [--host H] [--port P] [--database URL] [--demo]
    python -m central add-kiosk ID          prints the kiosk's token once
    python -m central publish FILE.toml     validates, signs, stores the next version
    python -m central keygen                makes the Ed25519 key pair, prints the public key
    python -m central staff-token           makes a new staff token, prints it once
    python -m central openapi               prints the /v1 contract (central/openapi.yaml)
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from central.calendar import HallCalendar, parse_dates
from central.db import Database
from central.publishing import (
    PublishError,
    keygen,
    load_key,
    publish_config,
    publish_file,
    read_config,
)
from central.service import CentralService
from kiosk.services.signing import public_key_b64

if TYPE_CHECKING:
    import socket

    import uvicorn

DEFAULT_DATABASE = "var/central.db"
DEFAULT_KEY = "var/central-signing.pem"
DEMO_CONFIG = Path(__file__).with_name("demo_config.toml")
DEMO_KIOSK = "kiosk-01"


def _calendar(path: str | None) -> HallCalendar:
    """Optional local overrides: [calendar] extra_holidays / extra_workdays = ["YYYY-MM-DD"]."""
    if not path:
        return HallCalendar()
    data = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("calendar", {})
    return HallCalendar(parse_dates(str(d) for d in data.get("extra_holidays", [])),
                        parse_dates(str(d) for d in data.get("extra_workdays", [])))


def _service(args: argparse.Namespace) -> CentralService:
    return CentralService(Database(args.database), timezone=args.timezone,
                          calendar=_calendar(getattr(args, "calendar", None)))


class _AnnouncingServer:
    """uvicorn.Server that prints the real URL once listening (``--port 0`` picks a free port).

    uvicorn binds the socket itself: a socket handed in via ``sockets=`` comes back through
    ``socket.fromfd`` without its TCP protocol number, so asyncio skips TCP_NODELAY and every
    keep-alive request stalls ~40 ms on delayed ACKs.
    """

    def __init__(self, config: uvicorn.Config, demo_line: dict[str, str] | None,
                 database: str) -> None:
        import uvicorn

        announce = self._announce
        self._demo_line = demo_line
        self._database = database

        class Server(uvicorn.Server):
            async def startup(self, sockets: list[socket.socket] | None = None) -> None:
                await super().startup(sockets)
                if self.servers and not self.should_exit:
                    announce(self.servers[0].sockets[0].getsockname())

        self._server = Server(config)

    def _announce(self, address: tuple[str, int]) -> None:
        host, port = address[0], address[1]
        host = f"[{host}]" if ":" in host else host
        url = f"http://{host}:{port}"
        if self._demo_line is not None:
            print(json.dumps({"url": url, **self._demo_line}), flush=True)
        else:
            print(f"central: serving {url} (database {self._database})", file=sys.stderr,
                  flush=True)

    def run(self) -> None:
        self._server.run()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from central.app import create_app

    if args.demo and args.database is None:
        args.database = str(Path(tempfile.mkdtemp(prefix="central-demo-")) / "central.db")
    args.database = args.database or DEFAULT_DATABASE
    service = _service(args)
    demo_line = None
    if args.demo:
        key_path = Path(args.key or (str(args.database) + ".signing.pem"))
        if not key_path.exists():
            keygen(key_path)
        key = load_key(key_path)
        if service.latest_config_version() == 0:
            config = read_config(DEMO_CONFIG)
            if args.open_all_hours:
                all_hours = {"open": "00:00", "close": "23:59", "days": [1, 2, 3, 4, 5, 6, 7]}
                for matter in config["matters"]:
                    matter["hours"] = dict(all_hours)
                config["hall"]["staffed"] = [dict(all_hours)]
            publish_config(service, config, key)
        demo_line = {
            "kiosk_id": DEMO_KIOSK,
            "kiosk_token": service.add_kiosk(DEMO_KIOSK),
            "staff_token": service.set_staff_token(),
            "public_key": public_key_b64(key),
            "database": str(args.database),
        }
    app = create_app(service)
    # Everything made so far (FastAPI's routes and models, the catalogue) lives as long as the
    # server: moved out of the collector's view, a collection under load scans only what the
    # requests made, so its pauses stay short (p99) instead of re-walking ~80,000 objects.
    gc.collect()
    gc.freeze()
    server_config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level,
                                   access_log=False, timeout_graceful_shutdown=2, backlog=2048)
    _AnnouncingServer(server_config, demo_line, str(args.database)).run()
    return 0


def cmd_add_kiosk(args: argparse.Namespace) -> int:
    token = _service(args).add_kiosk(args.kiosk_id)
    print(token)
    print(f"Put this token into kiosk.toml [central] token on kiosk {args.kiosk_id}; "
          "it is not stored here and cannot be shown again.", file=sys.stderr)
    return 0


def cmd_staff_token(args: argparse.Namespace) -> int:
    print(_service(args).set_staff_token())
    return 0


def cmd_keygen(args: argparse.Namespace) -> int:
    public = keygen(Path(args.key))
    print(public)
    print(f"Private key written to {args.key} (mode 0600). Put the line above into "
          "kiosk.toml [central] public_key on every kiosk.", file=sys.stderr)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    bundle = publish_file(_service(args), Path(args.file), load_key(Path(args.key)))
    print(json.dumps({"version": bundle["version"], "published_at": bundle["published_at"]}))
    return 0


def openapi_document() -> dict[str, Any]:
    """The contract as served by this code; central/openapi.yaml is this, committed."""
    from central.app import create_app

    service = CentralService(Database(":memory:"))
    return create_app(service).openapi()


def cmd_openapi(args: argparse.Namespace) -> int:
    import yaml  # only needed to regenerate the contract file

    text = yaml.safe_dump(openapi_document(), sort_keys=False, allow_unicode=True, width=100)
    header = ("# The kiosk <-> centre contract, /v1. Generated from central/app.py:\n"
              "#   python -m central openapi > central/openapi.yaml\n"
              "# A test keeps this file and the server in step.\n")
    sys.stdout.write(header + text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m central", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, database_default: str | None = DEFAULT_DATABASE) -> None:
        p.add_argument("--database", default=database_default,
                       help="SQLite file path or postgresql:// URL (default %(default)s)")
        p.add_argument("--timezone", default="Asia/Shanghai",
                       help="Hall time zone; numbers reset at its midnight")

    serve = sub.add_parser("serve", help="run the HTTP server")
    common(serve, None)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8400, help="0 picks a free port")
    serve.add_argument("--demo", action="store_true",
                       help="seed a demo hall and print one JSON line with url and tokens")
    serve.add_argument("--open-all-hours", action="store_true",
                       help="with --demo: every matter takes numbers at any hour (for trying out)")
    serve.add_argument("--key", help="signing key for --demo (default: next to the database)")
    serve.add_argument("--calendar", help="TOML with [calendar] extra_holidays/extra_workdays")
    serve.add_argument("--log-level", default="warning")
    serve.set_defaults(func=cmd_serve)

    add = sub.add_parser("add-kiosk", help="register a kiosk, print its token once")
    common(add)
    add.add_argument("kiosk_id")
    add.set_defaults(func=cmd_add_kiosk)

    staff = sub.add_parser("staff-token", help="make a new staff token, print it once")
    common(staff)
    staff.set_defaults(func=cmd_staff_token)

    key = sub.add_parser("keygen", help="make the Ed25519 signing key pair")
    key.add_argument("--key", default=DEFAULT_KEY)
    key.set_defaults(func=cmd_keygen)

    pub = sub.add_parser("publish", help="validate, sign and publish a kiosk config TOML")
    common(pub)
    pub.add_argument("file")
    pub.add_argument("--key", default=DEFAULT_KEY)
    pub.set_defaults(func=cmd_publish)

    api = sub.add_parser("openapi", help="print the OpenAPI 3.1 contract as YAML")
    api.set_defaults(func=cmd_openapi)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
