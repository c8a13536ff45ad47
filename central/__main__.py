"""Command line of the reference centre: serve, add-kiosk, publish, keygen, staff-token.

    python -m central serve [--host H] [--port P] [--database URL] [--demo]
    python -m central add-kiosk ID          prints the kiosk's token once
    python -m central publish FILE.toml     validates, signs, stores the next version
    python -m central keygen                makes the Ed25519 key pair, prints the public key
    python -m central staff-token           makes a new staff token, prints it once
    python -m central openapi               prints the /v1 contract (central/openapi.yaml)
    python -m central add-staff NAME --role admin   a desk account (password asked, or generated)
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from central.db import DEFAULT_POOL_SIZE, Database, DatabaseUrlError, parse_database_url
from central.edge import EdgeSettings, raise_open_file_limit, uvicorn_options
from central.limits import RateLimits
from central.publishing import (
    PublishError,
    keygen,
    load_key,
    publish_config,
    publish_file,
    read_config,
)
from central.service import DEFAULT_HALL, CentralService
from hall.calendar import HallCalendar, parse_dates
from hall.signing import public_key_b64

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


def _pool_size(text: str) -> int:
    """At least 2: on PostgreSQL the config listener holds one connection for good."""
    size = int(text)
    if size < 2:
        raise argparse.ArgumentTypeError("at least 2 (the config listener keeps one)")
    return size


def _service(args: argparse.Namespace) -> CentralService:
    limits = RateLimits(tickets_per_kiosk=args.kiosk_ticket_rate,
                        tickets_per_person=args.person_tickets,
                        lookups_per_kiosk=args.kiosk_lookup_rate) if "person_tickets" in args else None
    database = Database(args.database, pool_size=getattr(args, "pool_size", DEFAULT_POOL_SIZE))
    return CentralService(database, timezone=args.timezone,
                          calendar=_calendar(getattr(args, "calendar", None)), limits=limits)


def _edge(args: argparse.Namespace) -> EdgeSettings:
    return EdgeSettings(header_timeout_s=args.header_timeout, body_timeout_s=args.body_timeout,
                        keep_alive_s=args.keep_alive_timeout,
                        max_header_bytes=args.max_header_bytes,
                        max_in_flight=args.max_in_flight,
                        limit_concurrency=args.limit_concurrency)


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
            hall = self._demo_line.get("hall", DEFAULT_HALL)
            display = f"{url}/display" + ("" if hall == DEFAULT_HALL else f"?hall={hall}")
            print(json.dumps({"url": url, "desk_url": f"{url}/desk/", **self._demo_line,
                              "display_url": display}),
                  flush=True)
        else:
            print(f"central: serving {url} (database {self._database})", file=sys.stderr,
                  flush=True)

    def run(self) -> None:
        self._server.run()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from central.app import create_app

    demo_dir: Path | None = None
    if args.demo and (args.database is None or not args.key):
        demo_dir = Path(tempfile.mkdtemp(prefix="central-demo-"))
        if args.database is None:
            args.database = str(demo_dir / "central.db")
    args.database = args.database or DEFAULT_DATABASE
    parsed = parse_database_url(args.database)
    service = _service(args)
    demo_line = None
    if args.demo:
        # The key goes next to a SQLite file, or into a fresh temp dir: never into a path
        # made from a URL (a PostgreSQL URL may carry a password).
        if args.key:
            key_path = Path(args.key)
        elif parsed.engine == "sqlite" and parsed.target != ":memory:":
            key_path = Path(parsed.target + ".signing.pem")
        else:
            assert demo_dir is not None  # made above: --demo without --key
            key_path = demo_dir / "signing.pem"
        if not key_path.exists():
            keygen(key_path)
        key = load_key(key_path)
        if service.latest_config_version(args.hall) == 0:
            config = read_config(DEMO_CONFIG)
            if args.open_all_hours:
                all_hours = {"open": "00:00", "close": "23:59", "days": [1, 2, 3, 4, 5, 6, 7]}
                for matter in config["matters"]:
                    matter["hours"] = dict(all_hours)
                config["hall"]["staffed"] = [dict(all_hours)]
            try:
                publish_config(service, config, key, hall=args.hall)
            except service.db.integrity_errors():
                pass  # another instance started at the same moment published it first
        kiosk_id = DEMO_KIOSK if args.hall == DEFAULT_HALL else f"{args.hall}-{DEMO_KIOSK}"
        kiosk_token = service.add_kiosk(kiosk_id, args.hall)
        from central.desk.demo import seed_desk_demo

        desk_user, desk_password = seed_desk_demo(service, args.hall, kiosk_id)
        demo_line = {
            "kiosk_id": kiosk_id,
            "kiosk_token": kiosk_token,
            "staff_token": service.set_staff_token(args.hall),
            "public_key": public_key_b64(key),
            "database": parsed.redacted,
            "hall": args.hall,
            "desk_user": desk_user,
            "desk_password": desk_password,
        }
    edge = _edge(args)
    app = create_app(service, edge=edge, public_url=args.public_url)
    # Every connection is a file descriptor: a soft limit of 1,024 would stop the server at a
    # thousand idle clients, well before its concurrency limit.
    raise_open_file_limit(edge.limit_concurrency + 256)
    # Everything made so far (FastAPI's routes and models, the catalogue) lives as long as the
    # server: moved out of the collector's view, a collection under load scans only what the
    # requests made, so its pauses stay short (p99) instead of re-walking ~80,000 objects.
    gc.collect()
    gc.freeze()
    server_config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level,
                                   access_log=False, timeout_graceful_shutdown=2, backlog=2048,
                                   **uvicorn_options(edge))
    _AnnouncingServer(server_config, demo_line, parsed.redacted).run()
    return 0


def cmd_add_kiosk(args: argparse.Namespace) -> int:
    try:
        token = _service(args).add_kiosk(args.kiosk_id, args.hall)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(token)
    print(f"Put this token into kiosk.toml [central] token on kiosk {args.kiosk_id}; "
          "it is not stored here and cannot be shown again.", file=sys.stderr)
    return 0


def cmd_staff_token(args: argparse.Namespace) -> int:
    print(_service(args).set_staff_token(args.hall))
    return 0


def cmd_add_staff(args: argparse.Namespace) -> int:
    """A personal desk account; the first admin of a hall is made this way."""
    import getpass
    import secrets

    from central.desk.accounts import AccountError, Accounts

    generated = args.password_stdin is False and not sys.stdin.isatty()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif generated:
        password = secrets.token_urlsafe(12)
    else:
        password = getpass.getpass("password (10+ characters): ")
    service = _service(args)
    try:
        staff = Accounts(service.db, service.now).add_staff(
            args.hall, args.username, password, args.role, display_name=args.name,
            unit=args.unit)
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"username": staff.username, "role": staff.role, "hall": staff.hall,
                      **({"password": password} if generated else {})}, ensure_ascii=False))
    return 0


def cmd_keygen(args: argparse.Namespace) -> int:
    public = keygen(Path(args.key))
    print(public)
    print(f"Private key written to {args.key} (mode 0600). Put the line above into "
          "kiosk.toml [central] public_key on every kiosk.", file=sys.stderr)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    bundle = publish_file(_service(args), Path(args.file), load_key(Path(args.key)),
                          hall=args.hall)
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
        # From the environment, a PostgreSQL password stays out of `ps` (systemd EnvironmentFile).
        p.add_argument("--database", default=os.environ.get("CENTRAL_DATABASE") or database_default,
                       help="SQLite file path, sqlite:///abs/path or postgresql:// URL "
                            "(default: $CENTRAL_DATABASE, else %(default)s)")
        p.add_argument("--timezone", default="Asia/Shanghai",
                       help="Hall time zone; numbers reset at its midnight")
        p.add_argument("--pool-size", type=_pool_size,
                       default=int(os.environ.get("CENTRAL_POOL_SIZE") or DEFAULT_POOL_SIZE),
                       help="most database connections this process opens (default "
                            "%(default)s; PostgreSQL: the LISTEN connection is one of them)")

    def hall(p: argparse.ArgumentParser) -> None:
        p.add_argument("--hall", default=DEFAULT_HALL,
                       help="the hall this applies to (default %(default)r, the one-hall case)")

    serve = sub.add_parser("serve", help="run the HTTP server")
    common(serve, None)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8400, help="0 picks a free port")
    serve.add_argument("--public-url",
                       help="the address phones and hall displays reach this centre at, e.g. "
                            "https://hall.example.gov.cn (tickets' QR codes); default: the "
                            "address each request came to")
    serve.add_argument("--demo", action="store_true",
                       help="seed a demo hall and print one JSON line with url and tokens")
    serve.add_argument("--open-all-hours", action="store_true",
                       help="with --demo: every matter takes numbers at any hour (for trying out)")
    serve.add_argument("--key", help="signing key for --demo (default: next to a SQLite file, "
                                     "else a temp dir)")
    hall(serve)
    serve.add_argument("--calendar", help="TOML with [calendar] extra_holidays/extra_workdays")
    serve.add_argument("--log-level", default="warning")
    defaults, rates = EdgeSettings(), RateLimits()
    edge = serve.add_argument_group("the edge (README: The edge)")
    edge.add_argument("--header-timeout", type=float, default=defaults.header_timeout_s,
                      metavar="S", help="request line and headers within S seconds, else 408 "
                      "(default %(default)s)")
    edge.add_argument("--body-timeout", type=float, default=defaults.body_timeout_s,
                      metavar="S", help="the whole body within S seconds, else 408 "
                      "(default %(default)s)")
    edge.add_argument("--keep-alive-timeout", type=float, default=defaults.keep_alive_s,
                      metavar="S", help="close idle keep-alive connections after S seconds "
                      "(default %(default)s)")
    edge.add_argument("--max-header-bytes", type=int, default=defaults.max_header_bytes,
                      metavar="N", help="larger request headers get 431 (default %(default)s)")
    edge.add_argument("--max-in-flight", type=int, default=defaults.max_in_flight, metavar="N",
                      help="requests handled at once, event streams not counted; beyond: 503 "
                      "(default %(default)s)")
    edge.add_argument("--limit-concurrency", type=int, default=defaults.limit_concurrency,
                      metavar="N", help="open connections + tasks; beyond: 503 (uvicorn; "
                      "default %(default)s)")
    edge.add_argument("--kiosk-ticket-rate", type=int, default=rates.tickets_per_kiosk,
                      metavar="N", help="numbers one kiosk may take per minute, 0 = no limit "
                      "(default %(default)s)")
    edge.add_argument("--person-tickets", type=int, default=rates.tickets_per_person,
                      metavar="N", help="numbers one ID card may take per matter per day, "
                      "0 = no limit (default %(default)s)")
    edge.add_argument("--kiosk-lookup-rate", type=int, default=rates.lookups_per_kiosk,
                      metavar="N", help="progress look-ups per kiosk per minute, 0 = no limit "
                      "(default %(default)s)")
    serve.set_defaults(func=cmd_serve)

    add = sub.add_parser("add-kiosk", help="register a kiosk, print its token once")
    common(add)
    add.add_argument("kiosk_id")
    hall(add)
    add.set_defaults(func=cmd_add_kiosk)

    staff = sub.add_parser("staff-token", help="make a new staff token, print it once")
    common(staff)
    hall(staff)
    staff.set_defaults(func=cmd_staff_token)

    add_staff = sub.add_parser("add-staff", help="make a desk account (e.g. the first admin)")
    common(add_staff)
    add_staff.add_argument("username")
    add_staff.add_argument("--role", required=True, choices=["clerk", "duty", "unit", "admin"])
    add_staff.add_argument("--name", help="display name (default: the user name)")
    add_staff.add_argument("--unit", help="the unit a unit handler belongs to")
    add_staff.add_argument("--password-stdin", action="store_true",
                           help="read the password from stdin; without a terminal and without "
                                "this, a random password is made and printed once")
    hall(add_staff)
    add_staff.set_defaults(func=cmd_add_staff)

    key = sub.add_parser("keygen", help="make the Ed25519 signing key pair")
    key.add_argument("--key", default=DEFAULT_KEY)
    key.set_defaults(func=cmd_keygen)

    pub = sub.add_parser("publish", help="validate, sign and publish a kiosk config TOML")
    common(pub)
    pub.add_argument("file")
    pub.add_argument("--key", default=DEFAULT_KEY)
    hall(pub)
    pub.set_defaults(func=cmd_publish)

    api = sub.add_parser("openapi", help="print the OpenAPI 3.1 contract as YAML")
    api.set_defaults(func=cmd_openapi)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except (PublishError, DatabaseUrlError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
