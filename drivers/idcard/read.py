"""Maintenance command: wait for a card and print the masked record (or the reader's status).

    python -m drivers.idcard.read --port URL [--baud N] [--once] [--json] [--timeout S] [--status]

Exit 0 after a read (or a good status), 1 on timeout or error with one clear line on stderr.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import time

from drivers.idcard.card import CardRecord
from drivers.idcard.reader import (
    IdCardReader,
    ReaderConfig,
    ReaderError,
    query_status,
)


class _QueueListener:
    """Hands every reader event to the main thread through a queue."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, object]] = queue.Queue()

    def reader_connected(self) -> None:
        self.events.put(("connected", None))

    def reader_lost(self, reason_key: str) -> None:
        self.events.put(("lost", reason_key))

    def card_read(self, record: CardRecord) -> None:
        self.events.put(("read", record))

    def card_removed(self) -> None:
        self.events.put(("removed", None))

    def card_unreadable(self, reason_key: str) -> None:
        self.events.put(("unreadable", reason_key))


def _print_record(record: CardRecord, as_json: bool) -> None:
    fields = record.masked_dict()
    if as_json:
        print(json.dumps({"event": "card_read", **fields}, ensure_ascii=False), flush=True)
    else:
        print("  ".join(f"{key}={value}" for key, value in fields.items()), flush=True)


def _print_event(kind: str, detail: str, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"event": kind, "detail": detail}, ensure_ascii=False), flush=True)
    else:
        print(f"{kind}: {detail}" if detail else kind, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m drivers.idcard.read", description="Read an ID card (masked output)."
    )
    parser.add_argument("--port", required=True, help="/dev/ttyUSB0, socket://h:p, or vid:pid")
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--once", action="store_true", help="exit after the first card")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait (0: forever)")
    parser.add_argument("--poll", type=float, default=0.05, help="poll interval in seconds")
    parser.add_argument("--status", action="store_true", help="print SAM status and id, exit")
    args = parser.parse_args(argv)

    if args.status:
        try:
            status = query_status(args.port, args.baud)
        except ReaderError as error:
            print(f"error: reader not available on {args.port}: "
                  f"{error.problem.value} ({error})", file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps({"event": "status", **status.__dict__}), flush=True)
        else:
            print(f"port={status.port}  sam={status.sam_status}  sam_id={status.sam_id}")
        return 0 if status.sam_ok else 1

    try:
        config = ReaderConfig(
            port=args.port,
            baud=args.baud,
            poll_interval_s=args.poll,
            reconnect_min_s=0.5,
            reconnect_max_s=2.0,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    listener = _QueueListener()
    reader = IdCardReader(config, listener)
    reads = 0
    last_problem = "no card was placed"
    reader.start()
    try:
        deadline = time.monotonic() + args.timeout if args.timeout > 0 else None
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                break
            try:
                kind, payload = listener.events.get(timeout=wait)
            except queue.Empty:
                break
            if kind == "read":
                assert isinstance(payload, CardRecord)
                reads += 1
                _print_record(payload, args.json)
                if args.once:
                    break
            elif kind in ("lost", "unreadable"):
                last_problem = str(payload)  # the reason key (its words: kiosk.words.devices)
                _print_event(f"reader_{kind}" if kind == "lost" else "card_unreadable",
                             str(payload), args.json)  # fmt: skip
            else:
                _print_event("reader_connected" if kind == "connected" else "card_removed", "", args.json)
    except KeyboardInterrupt:
        pass
    finally:
        reader.stop()
    if reads:
        return 0
    print(f"error: no card read within {args.timeout:g} s ({last_problem})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
