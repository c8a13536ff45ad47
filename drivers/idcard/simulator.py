"""Simulated SAM_V ID card reader speaking the real bytes over a pseudo-terminal or TCP.

The simulator answers the same frames a real reader does (hardware.md 1.3-1.5), holds one card
from :mod:`drivers.idcard.cards` at a time and can be told to misbehave (no answer, slow bytes,
checksum errors, drop-out mid-frame, garbage, arbitrary mutation, unplug/replug).

Replug keeps working because :meth:`CardSimulator.open_pty` returns a *stable symlink* that the
simulator re-points at each new pty, just as udev keeps ``/dev/idcard`` for a real reader.

    sim = CardSimulator(); path = sim.open_pty()      # or: port = sim.serve_tcp(port=0)
    sim.place(CARDS["resident"]); sim.remove(); sim.set_fault(Fault.NO_ANSWER)
    sim.unplug(); sim.replug(); sim.close()

Run ``python -m drivers.idcard.simulator --pty`` for an interactive device (type ``help``).

Line speed: a pty has no baud rate of its own, but it keeps the one the host set (termios).
When that differs from the simulator's ``baud`` (``--baud``), every byte in both directions is
resampled the way a UART at the other speed would see it (:func:`resample`), so neither side
finds a frame, as on a real cable at the wrong speed. The simulated reader answers bytes it
cannot frame with its error status (0x10); that it answers at all is an assumption (a reader
that stays silent instead looks "not answering" to the kiosk, not "wrong speed").
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import errno
import fcntl
import logging
import os
import select
import socket
import sys
import tempfile
import termios
import threading
import time
import tty
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from drivers.idcard.cards import CARDS, SimCard
from drivers.idcard.protocol import (
    Command,
    FrameDecoder,
    Status,
    encode_read_data,
    encode_reply,
    parse_request,
)

log = logging.getLogger("drivers.idcard.simulator")

#: 16-byte SAM id as vendor samples lay it out (prints as 05.01-20260101-0000000001-...).
SAM_ID_BYTES = (
    (5).to_bytes(2, "little")
    + (1).to_bytes(2, "little")
    + (20260101).to_bytes(4, "little")
    + (1).to_bytes(4, "little")
    + (1234567890).to_bytes(4, "little")
)
#: What the GARBAGE fault sends before a reply: line noise including a broken preamble.
GARBAGE = b"\x00\xff\xaa\xaa\x96\x13\xaa\xaa\xaa\x96\x00\x55"


#: termios speed constants back to bits per second.
_SPEEDS = {getattr(termios, f"B{rate}"): rate
           for rate in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800)
           if hasattr(termios, f"B{rate}")}


def resample(data: bytes, sent_baud: int, read_baud: int) -> bytes:
    """What a UART reading at ``read_baud`` makes of ``data`` sent at ``sent_baud`` (8N1, bytes
    back to back): it waits for a falling edge (a start bit), samples the eight data bits in
    the middle of *its* bit times and hunts again after its stop bit. Framing errors are kept
    as the byte sampled, as a raw tty delivers them."""
    if sent_baud == read_baud or not data:
        return data
    bits: list[int] = []
    for byte in data:
        bits += [0, *((byte >> i) & 1 for i in range(8)), 1]
    sent_bit, read_bit = 1.0 / sent_baud, 1.0 / read_baud

    def level(t: float) -> int:
        index = int(t / sent_bit)
        return bits[index] if 0 <= index < len(bits) else 1  # idle line is high

    out = bytearray()
    edge = 0
    while True:
        while edge < len(bits) and not (bits[edge] == 0 and (edge == 0 or bits[edge - 1] == 1)):
            edge += 1
        if edge >= len(bits):
            return bytes(out)
        start = edge * sent_bit
        out.append(sum(level(start + (1.5 + i) * read_bit) << i for i in range(8)))
        resume = start + 9.5 * read_bit  # the middle of the stop bit: hunt from there
        edge = max(edge + 1, int(resume / sent_bit + 0.999999))


class Fault(enum.Enum):
    """Ways the simulated reader can misbehave on its replies."""

    NONE = "none"
    NO_ANSWER = "no_answer"  # swallow the request, send nothing
    SLOW = "slow"  # send the reply one byte at a time with a delay
    CHECKSUM = "checksum"  # reply with a wrong CHK
    DROP_MID_FRAME = "drop_mid_frame"  # send the first half of the reply, then nothing
    GARBAGE = "garbage"  # line noise before the (good) reply
    MUTATE = "mutate"  # pass the reply through a function (property tests)


@dataclass
class _FaultPlan:
    fault: Fault
    commands: frozenset[Command] | None
    remaining: int | None
    byte_delay_s: float
    mutate: Callable[[bytes], bytes] | None

    def applies_to(self, command: Command | None) -> bool:
        return self.commands is None or command in self.commands


class _Link:
    """One connection to the host: a pty master fd or an accepted TCP socket."""

    def __init__(self, fd: int | None = None, sock: socket.socket | None = None) -> None:
        self.fd = fd
        self.sock = sock

    def fileno(self) -> int:
        if self.fd is not None:
            return self.fd
        assert self.sock is not None  # a link is made with one of the two
        return self.sock.fileno()

    def recv(self) -> bytes | None:
        """Bytes waiting; None when nothing is there yet; b"" when the host went away."""
        if self.fd is not None:
            try:
                return os.read(self.fd, 4096)
            except BlockingIOError:
                return None
            except OSError as error:
                if error.errno == errno.EIO:  # slave side not open (host reconnecting)
                    return b""
                raise
        assert self.sock is not None
        return self.sock.recv(4096)

    def send(self, data: bytes, stop: threading.Event) -> bool:
        """Write everything unless stopped or stuck for a second; True when all was sent."""
        view = memoryview(data)
        deadline = time.monotonic() + 1.0
        while view and not stop.is_set():
            try:
                if self.fd is not None:
                    sent = os.write(self.fd, view)
                else:
                    assert self.sock is not None
                    sent = self.sock.send(view)
            except (BlockingIOError, InterruptedError):
                sent = 0
            except OSError:
                return False
            view = view[sent:]
            if view:
                if time.monotonic() > deadline:
                    return False
                select.select([], [self.fileno()], [], 0.01)
        return not view

    def close(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                self.sock.close()
        elif self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)


class CardSimulator:
    """A byte-exact fake reader.  Thread-safe; every thread it starts stops in :meth:`close`.

    ``pace`` makes replies take their real wire time at ``baud`` (10 bits per byte): a pty has
    no baud-rate pacing of its own, and benchmarks need realistic timing.  By default a card
    that has been read stays silent to *find* until it leaves the field (hardware.md 1.4);
    ``rereport_read_card`` models readers that keep answering 9F instead.
    """

    def __init__(
        self,
        baud: int = 115200,
        pace: bool = False,
        chunk_size: int = 32,
        rereport_read_card: bool = False,
    ) -> None:
        self.baud = baud
        self.pace = pace
        self.chunk_size = chunk_size
        # Some readers keep answering 9F for a card already read; the reader must cope with both.
        self.rereport_read_card = rereport_read_card
        self._lock = threading.Lock()
        self._requests_changed = threading.Condition(self._lock)
        self._card: SimCard | None = None
        self._found = False
        self._selected = False
        self._halted = False  # a fully read card stays silent to find until it leaves the field
        self._fault: _FaultPlan | None = None
        self._request_log: list[Command | None] = []
        self._mode: str | None = None  # "pty" or "tcp"
        self._link_path: str | None = None
        self._own_link_dir: str | None = None
        self._pty_name: str | None = None
        self._slave_fd: int | None = None
        self._tcp_host = "127.0.0.1"
        self._tcp_port = 0
        self._listener: socket.socket | None = None
        self._link: _Link | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.plugged = False

    # -- lifecycle ------------------------------------------------------------------------------

    def open_pty(self, link_path: str | None = None) -> str:
        """Create the pty and serve it; returns a stable path (symlink) that survives replug."""
        if self._mode is not None:
            raise RuntimeError("simulator already open")
        self._mode = "pty"
        if link_path is None:
            self._own_link_dir = tempfile.mkdtemp(prefix="idcard-sim-")
            link_path = os.path.join(self._own_link_dir, "idcard")
        self._link_path = link_path
        self._plug()
        return link_path

    def serve_tcp(self, port: int = 0, host: str = "127.0.0.1") -> int:
        """Listen on TCP for a ``socket://host:port`` client; returns the port."""
        if self._mode is not None:
            raise RuntimeError("simulator already open")
        self._mode = "tcp"
        self._tcp_host, self._tcp_port = host, port
        self._plug()
        return self._tcp_port

    @property
    def port_path(self) -> str | None:
        """The stable path (pty mode) readers should open."""
        return self._link_path

    @property
    def device_name(self) -> str | None:
        """The current pty device behind the stable path (changes on every replug)."""
        return self._pty_name

    def unplug(self) -> None:
        """Vanish like a pulled USB cable: close the pty master (or socket), drop the path."""
        if not self.plugged:
            return
        self.plugged = False
        self._stop.set()
        link = self._link
        if link is not None:
            link.close()
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
            self._listener = None
        for thread in self._threads:
            thread.join(timeout=2.0)
        self._threads.clear()
        self._link = None
        if self._slave_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._slave_fd)
            self._slave_fd = None
        if self._mode == "pty" and self._link_path:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._link_path)
        with self._lock:
            self._found = self._selected = self._halted = False  # power loss resets the chip

    def replug(self) -> None:
        """Come back: a new pty behind the same stable path, or listen again on the same port."""
        if self._mode is None:
            raise RuntimeError("open_pty() or serve_tcp() first")
        if not self.plugged:
            self._plug()

    def close(self) -> None:
        """Stop every thread and release every file descriptor and path."""
        self.unplug()
        if self._own_link_dir is not None:
            with contextlib.suppress(OSError):
                os.rmdir(self._own_link_dir)
            self._own_link_dir = None
        self._mode = None

    def __enter__(self) -> CardSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _plug(self) -> None:
        self._stop = threading.Event()
        if self._mode == "pty":
            master, slave = os.openpty()
            tty.setraw(slave)
            tty.setraw(master)
            flags = fcntl.fcntl(master, fcntl.F_GETFL)
            fcntl.fcntl(master, fcntl.F_SETFL, flags | os.O_NONBLOCK)
            # Keep our slave fd open so the pty stays alive while the host reopens it.
            self._slave_fd = slave
            self._pty_name = os.ttyname(slave)
            assert self._link_path is not None
            temporary = f"{self._link_path}.{os.getpid()}.tmp"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            os.symlink(self._pty_name, temporary)
            os.replace(temporary, self._link_path)  # atomic re-point
            self._link = _Link(fd=master)
            self._start_thread(self._serve_link, self._link, self._stop)
        else:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((self._tcp_host, self._tcp_port))
            listener.listen(1)
            self._tcp_port = listener.getsockname()[1]
            self._listener = listener
            self._start_thread(self._accept_loop, listener, self._stop)
        self.plugged = True

    def _start_thread(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name="idcard-sim", daemon=True)
        self._threads.append(thread)
        thread.start()

    # -- card and fault control -----------------------------------------------------------------

    def place(self, card: SimCard) -> None:
        """Put a card on the reader (replacing any card there)."""
        with self._lock:
            self._card = card
            self._found = self._selected = self._halted = False
        log.info("card placed: %s", card.label)

    def remove(self) -> None:
        """Lift the card off the reader."""
        with self._lock:
            self._card = None
            self._found = self._selected = self._halted = False
        log.info("card removed")

    @property
    def card(self) -> SimCard | None:
        return self._card

    def set_fault(
        self,
        fault: Fault | str,
        *,
        commands: Iterable[Command] | None = None,
        count: int | None = None,
        byte_delay_s: float = 0.001,
        mutate: Callable[[bytes], bytes] | None = None,
    ) -> None:
        """Misbehave on replies to ``commands`` (all when None), ``count`` times (None: forever)."""
        fault = Fault(fault)
        if fault is Fault.MUTATE and mutate is None:
            raise ValueError("Fault.MUTATE needs a mutate function")
        with self._lock:
            self._fault = (
                None
                if fault is Fault.NONE
                else _FaultPlan(
                    fault,
                    frozenset(commands) if commands is not None else None,
                    count,
                    byte_delay_s,
                    mutate,
                )
            )

    def clear_fault(self) -> None:
        self.set_fault(Fault.NONE)

    @property
    def requests(self) -> list[Command | None]:
        """Every command received so far (None for unknown ones), oldest first."""
        with self._lock:
            return list(self._request_log)

    def wait_for_requests(self, count: int, timeout: float) -> bool:
        """Block until at least ``count`` requests arrived in total; False on timeout."""
        with self._requests_changed:
            return self._requests_changed.wait_for(lambda: len(self._request_log) >= count, timeout=timeout)

    # -- serving --------------------------------------------------------------------------------

    def _accept_loop(self, listener: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                ready, _, _ = select.select([listener], [], [], 0.05)
                if not ready:
                    continue
                conn, _ = listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            previous, self._link = self._link, _Link(sock=conn)
            if previous is not None:
                previous.close()
            self._serve_link(self._link, stop)

    def _serve_link(self, link: _Link, stop: threading.Event) -> None:
        decoder = FrameDecoder()
        while not stop.is_set():
            try:
                ready, _, _ = select.select([link.fileno()], [], [], 0.05)
            except (OSError, ValueError):
                return
            if not ready:
                continue
            try:
                chunk = link.recv()
            except OSError:
                return
            if chunk is None:
                continue
            if not chunk:
                if link.sock is not None:
                    return  # TCP client left; accept the next one
                stop.wait(0.02)  # pty: host has the port closed for now
                continue
            host_baud = self.host_baud()
            if host_baud is not None and host_baud != self.baud:
                # A wrong line speed: this reader hears noise and answers it with its error
                # status, which the host in turn hears as noise.
                decoder.feed(resample(chunk, host_baud, self.baud))
                with self._lock:
                    self._request_log.append(None)
                    self._requests_changed.notify_all()
                link.send(resample(encode_reply(Status.BAD_CHECKSUM), self.baud, host_baud), stop)
                continue
            rejected_before = decoder.rejected
            bodies = decoder.feed(chunk)
            if decoder.rejected > rejected_before:
                link.send(encode_reply(Status.BAD_CHECKSUM), stop)
            for body in bodies:
                self._answer(body, link, stop)

    def host_baud(self) -> int | None:
        """The line speed the host set on the pty (None over TCP or when unknown)."""
        if self._mode != "pty" or self._slave_fd is None:
            return None
        try:
            return _SPEEDS.get(termios.tcgetattr(self._slave_fd)[5])
        except (termios.error, OSError):
            return None

    def _answer(self, body: bytes, link: _Link, stop: threading.Event) -> None:
        request = parse_request(body) if len(body) >= 2 else None
        command = request.command if request else None
        with self._lock:
            self._request_log.append(command)
            self._requests_changed.notify_all()
            reply, on_delivered = self._respond(command)
            plan = self._fault if self._fault and self._fault.applies_to(command) else None
            if plan is not None and plan.remaining is not None:
                plan.remaining -= 1
                if plan.remaining <= 0:
                    self._fault = None
        intact = self._transmit(reply, plan, link, stop)
        if intact and on_delivered is not None:
            with self._lock:
                on_delivered()

    def _respond(self, command: Command | None) -> tuple[bytes, Callable[[], None] | None]:
        """The reply frame for ``command`` and what changes once it is delivered intact."""
        card = self._card
        if command in (Command.SAM_RESET, Command.SAM_STATUS, Command.SET_MAX_RF_FRAME):
            return encode_reply(Status.SUCCESS), None
        if command is Command.SAM_ID:
            return encode_reply(Status.SUCCESS, SAM_ID_BYTES), None
        if command is Command.FIND_CARD:
            if card is None or self._halted:
                return encode_reply(Status.NO_CARD), None
            self._found = True
            return encode_reply(Status.CARD_FOUND, b"\x00\x00\x00\x00"), None
        if command is Command.SELECT_CARD:
            if card is None:
                return encode_reply(Status.SELECT_FAILED), None
            self._selected = True
            return encode_reply(Status.SUCCESS, bytes(8)), None
        if command in (Command.READ_TEXT_PHOTO, Command.READ_TEXT_PHOTO_FINGERPRINT):
            if card is None or not self._selected:
                return encode_reply(Status.READ_FAILED), None
            if card.read_status is not None:
                return encode_reply(card.read_status), None
            fingerprint = card.fingerprint if command is Command.READ_TEXT_PHOTO_FINGERPRINT else None
            frame = encode_reply(Status.SUCCESS, encode_read_data(card.text, card.photo, fingerprint))
            if card.corrupt_checksum:
                frame = frame[:-1] + bytes([frame[-1] ^ 0x5A])

            def halt() -> None:
                if self._card is card and not self.rereport_read_card:
                    self._halted = True

            return frame, (None if card.corrupt_checksum else halt)
        if command is Command.READ_APPENDED_ADDRESS:
            if card is None:
                return encode_reply(Status.READ_FAILED), None
            if card.appended_address is None:
                return encode_reply(Status.NO_CONTENT), None
            return encode_reply(Status.SUCCESS, card.appended_address_block()), None
        return encode_reply(Status.BAD_COMMAND), None

    def _transmit(self, frame: bytes, plan: _FaultPlan | None, link: _Link, stop: threading.Event) -> bool:
        """Send ``frame`` as the fault plan says; True when the host got it undamaged."""
        fault = plan.fault if plan else Fault.NONE
        if fault is Fault.NO_ANSWER:
            return False
        if fault is Fault.CHECKSUM:
            self._write(frame[:-1] + bytes([frame[-1] ^ 0xFF]), link, stop)
            return False
        if fault is Fault.DROP_MID_FRAME:
            self._write(frame[: len(frame) // 2], link, stop)
            return False
        if fault is Fault.GARBAGE:
            return self._write(GARBAGE + frame, link, stop)
        if fault is Fault.MUTATE:
            assert plan is not None and plan.mutate is not None
            damaged = plan.mutate(frame)
            self._write(damaged, link, stop)
            return damaged == frame
        if fault is Fault.SLOW:
            assert plan is not None
            for index in range(len(frame)):
                if stop.wait(plan.byte_delay_s) or not link.send(frame[index : index + 1], stop):
                    return False
            return True
        return self._write(frame, link, stop)

    def _write(self, data: bytes, link: _Link, stop: threading.Event) -> bool:
        if not self.pace:
            return link.send(data, stop)
        seconds_per_byte = 10.0 / self.baud
        due = time.monotonic()
        for start in range(0, len(data), self.chunk_size):
            chunk = data[start : start + self.chunk_size]
            due += len(chunk) * seconds_per_byte
            if not link.send(chunk, stop):
                return False
            delay = due - time.monotonic()
            if delay > 0 and stop.wait(delay):
                return False
        return True


# -- command line ---------------------------------------------------------------------------------

HELP = """commands:
  list                 show the test cards (numbers work as shortcuts: 1, 2, ...)
  place LABEL|N        put a card on the reader          remove   lift it off
  fault NAME [COUNT]   no_answer slow checksum drop_mid_frame garbage   clear   no fault
  unplug / replug      pull and reinsert the cable       quit"""


def _command_loop(sim: CardSimulator, lines: Iterable[str], out: Callable[[str], None]) -> None:
    labels = list(CARDS)
    for raw in lines:
        words = raw.split()
        if not words:
            continue
        verb, args = words[0].lower(), words[1:]
        if verb.isascii() and verb.isdigit():
            verb, args = "place", [verb]
        try:
            if verb in ("quit", "exit", "q"):
                return
            if verb == "list":
                for number, label in enumerate(labels, start=1):
                    out(f"{number:2d}  {label:20s} {CARDS[label].description}")
            elif verb == "place" and args:
                label = labels[int(args[0]) - 1] if args[0].isascii() and args[0].isdigit() else args[0]
                sim.place(CARDS[label])
                out(f"placed {label}")
            elif verb == "remove":
                sim.remove()
                out("removed")
            elif verb == "fault" and args:
                count = int(args[1]) if len(args) > 1 else None
                sim.set_fault(Fault(args[0]), count=count)
                out(f"fault {args[0]}")
            elif verb == "clear":
                sim.clear_fault()
                out("fault cleared")
            elif verb == "unplug":
                sim.unplug()
                out("unplugged")
            elif verb == "replug":
                sim.replug()
                out("replugged")
            else:
                out(HELP)
        except (KeyError, ValueError, IndexError) as error:
            out(f"error: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m drivers.idcard.simulator",
        description="Simulated ID card reader (fictional test cards only).",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--pty", action="store_true", help="serve on a pseudo-terminal")
    where.add_argument("--tcp", type=int, metavar="PORT", help="serve socket://127.0.0.1:PORT")
    parser.add_argument("--link", help="stable path for the pty symlink (default: a temp dir)")
    parser.add_argument("--baud", type=int, default=115200,
                        help="the reader's line speed (a host at another speed sees noise); "
                             "also paces replies")
    parser.add_argument("--no-pace", action="store_true", help="send replies as fast as possible")
    parser.add_argument("--card", choices=sorted(CARDS), help="card on the reader at start")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    sim = CardSimulator(baud=args.baud, pace=not args.no_pace)
    try:
        if args.pty:
            print(sim.open_pty(args.link), flush=True)
        else:
            print(f"socket://127.0.0.1:{sim.serve_tcp(args.tcp)}", flush=True)
        if args.card:
            sim.place(CARDS[args.card])
        print("type 'help' for commands", file=sys.stderr, flush=True)

        def out(text: str) -> None:
            print(text, file=sys.stderr, flush=True)

        _command_loop(sim, sys.stdin, out)
    except KeyboardInterrupt:
        pass
    finally:
        sim.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
