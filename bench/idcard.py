"""Benchmark: card-placed-to-record latency over the pty simulator, next to the wire time.

Prints one JSON object per line.  The simulator paces its replies at the configured baud
(10 bits per byte) because a pty has no baud-rate pacing; an unpaced run in the same process
gives the software floor.  Goal (issue 3): median <= 1.1 x wire time + 20 ms.

    python -m bench.idcard [--rounds 15] [--baud 115200] [--poll 0.01]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers.idcard.cards import CARDS, SimCard
from drivers.idcard.protocol import Command, Status, encode_command, encode_read_data, encode_reply
from drivers.idcard.reader import BaseListener, IdCardReader, ReaderConfig
from drivers.idcard.simulator import CardSimulator


class _Waiter(BaseListener):
    def __init__(self) -> None:
        self.read = threading.Event()
        self.removed = threading.Event()
        self.connected = threading.Event()

    def reader_connected(self) -> None:
        self.connected.set()

    def card_read(self, record: object) -> None:
        self.read.set()

    def card_removed(self) -> None:
        self.removed.set()


def wire_bytes(card: SimCard) -> int:
    """Bytes on the wire, both directions, for find + select + read + appended address."""
    commands = [
        Command.FIND_CARD,
        Command.SELECT_CARD,
        Command.READ_TEXT_PHOTO,
        Command.READ_APPENDED_ADDRESS,
    ]
    requests = sum(len(encode_command(command)) for command in commands)
    replies = (
        len(encode_reply(Status.CARD_FOUND, bytes(4)))
        + len(encode_reply(Status.SUCCESS, bytes(8)))
        + len(encode_reply(Status.SUCCESS, encode_read_data(card.text, card.photo)))
        + (
            len(encode_reply(Status.SUCCESS, card.appended_address_block()))
            if card.appended_address
            else len(encode_reply(Status.NO_CONTENT))
        )
    )
    return requests + replies


def measure(card: SimCard, baud: int, poll_s: float, rounds: int, pace: bool) -> list[float]:
    """Seconds from place() to the card_read event, one per round, placed at a random phase."""
    latencies: list[float] = []
    phases = random.Random(3)  # a citizen's card lands at any point of the poll cycle
    with CardSimulator(baud=baud, pace=pace) as sim:
        path = sim.open_pty()
        waiter = _Waiter()
        reader = IdCardReader(ReaderConfig(path, baud=baud, poll_interval_s=poll_s), waiter)
        reader.start()
        try:
            if not waiter.connected.wait(10):
                raise RuntimeError("simulated reader did not connect")
            for _ in range(rounds):
                waiter.read.clear()
                waiter.removed.clear()
                time.sleep(phases.uniform(0, poll_s))
                started = time.perf_counter()
                sim.place(card)
                if not waiter.read.wait(10):
                    raise RuntimeError("card was not read")
                latencies.append(time.perf_counter() - started)
                sim.remove()
                if not waiter.removed.wait(10):
                    raise RuntimeError("removal was not reported")
        finally:
            reader.stop()
    return latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--poll", type=float, default=0.05, help="reader poll interval (s)")
    parser.add_argument("--card", default="resident", choices=sorted(CARDS))
    args = parser.parse_args(argv)
    card = CARDS[args.card]

    total_bytes = wire_bytes(card)
    wire_s = total_bytes * 10 / args.baud
    goal_s = 1.1 * wire_s + 0.020
    paced = statistics.median(measure(card, args.baud, args.poll, args.rounds, pace=True))
    floor = statistics.median(measure(card, args.baud, args.poll, args.rounds, pace=False))
    base = {"bench": "idcard", "card": args.card, "baud": args.baud, "poll_ms": args.poll * 1000}
    print(json.dumps({**base, "figure": "wire_time", "bytes": total_bytes,
                      "wire_ms": round(wire_s * 1000, 2)}))  # fmt: skip
    print(json.dumps({**base, "figure": "placed_to_record_unpaced_median",
                      "median_ms": round(floor * 1000, 2), "rounds": args.rounds}))  # fmt: skip
    print(json.dumps({**base, "figure": "placed_to_record_median", "rounds": args.rounds,
                      "median_ms": round(paced * 1000, 2), "wire_ms": round(wire_s * 1000, 2),
                      "ratio_to_wire": round(paced / wire_s, 3),
                      "goal_ms": round(goal_s * 1000, 2), "within_goal": paced <= goal_s}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
