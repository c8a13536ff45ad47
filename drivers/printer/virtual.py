"""Virtual ESC/POS printer: a simulated device that decodes what a real one would receive.

It listens on TCP (like port 9100 printers) or a pseudo-terminal, or reads a capture file; it
answers DLE EOT with a scriptable state so the kiosk's status handling meets real bytes, and
draws every ticket as a PNG. The decoding lives in drivers.printer.escpos_decoder and the
drawing in drivers.printer.paper: production code imports those, never this simulator.

    python -m drivers.printer.virtual --port 9100 --out DIR [--paper 58|80] [--state ok]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import select
import socket
import sys
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path

from drivers.printer.escpos_decoder import EscPosDecoder, Ticket
from drivers.printer.paper import PAPER_DOTS, PaperRenderer
from drivers.printer.render import DEFAULT_FONT_PATH

# DLE EOT replies (n=1, 2, 3, 4) per scripted state; None = the printer stays silent.
STATUS_REPLIES: dict[str, dict[int, int] | None] = {
    "ok": {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12},
    "paper_near_end": {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E},
    "paper_out": {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72},
    "cover_open": {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12},
    "offline": {1: 0x1A, 2: 0x12, 3: 0x12, 4: 0x12},
    "error": {1: 0x1A, 2: 0x52, 3: 0x32, 4: 0x12},
    "no_answer": None,
    "garbled": {1: 0xFF, 2: 0x00, 3: 0xFF, 4: 0x00},
}
PRINTING_STATES = ("ok", "paper_near_end", "no_answer", "garbled")
# A simulated kiosk runs for days: it keeps the latest tickets and bytes, not all of them.
TICKETS_KEPT = 200
RECEIVED_KEPT = 256 * 1024


# ------------------------------------------------------------------------ virtual printer
class VirtualPrinter:
    """A printer you can script: state, paper running out mid-job, and a PNG of every ticket."""

    def __init__(self, out_dir: str | os.PathLike[str], paper_mm: int = 80, state: str = "ok",
                 default_chinese_mode: bool = False, font_path: str = DEFAULT_FONT_PATH,
                 render_png: bool = True, tickets_kept: int = TICKETS_KEPT):
        if paper_mm not in PAPER_DOTS:
            raise ValueError(f"paper_mm must be 58 or 80, got {paper_mm}")
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.paper_mm = paper_mm
        self.render_png = render_png
        self.tickets: list[Ticket] = []  # the latest ``tickets_kept``, oldest first
        self.tickets_kept = tickets_kept
        self.printed = 0  # every ticket ever finished (counts on after old ones are dropped)
        self.last_png_path: Path | None = None
        self.received = bytearray()  # the latest RECEIVED_KEPT bytes
        self.status_queries = 0
        self._state = "ok"
        self.set_state(state)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._paper_left: int | None = None
        self._renderer = PaperRenderer(PAPER_DOTS[paper_mm], font_path)
        self._decoder = EscPosDecoder(self._on_ticket, self._status_reply,
                                      lambda: self._state in PRINTING_STATES,
                                      default_chinese_mode)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._pty_fds: tuple[int, int] | None = None
        self._png_queue: queue.Queue[Ticket | None] | None = None

    def _start_png_thread(self) -> None:
        if self._png_queue is None:
            self._png_queue = queue.Queue()
            self._png_thread = threading.Thread(target=self._png_loop, daemon=True,
                                                name="virtual-printer-png")
            self._png_thread.start()

    # ------------------------------------------------------------------ scripting
    @property
    def state(self) -> str:
        return self._state

    def set_state(self, state: str) -> None:
        if state not in STATUS_REPLIES:
            raise ValueError(f"unknown state {state!r}; expected one of {', '.join(STATUS_REPLIES)}")
        self._state = state

    def run_out_of_paper_after(self, nbytes: int) -> None:
        """Paper ends after `nbytes` more received bytes: the rest of the job is not printed."""
        with self._lock:
            self._paper_left = nbytes

    @property
    def unknown_commands(self) -> list[bytes]:
        return list(self._decoder.unknown_commands)

    def wait_for_tickets(self, count: int, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.printed < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    # ------------------------------------------------------------------- decoding
    def feed(self, data: bytes) -> bytes:
        """Hand received bytes to the decoder; returns the status replies to send back."""
        with self._lock:
            self.received += data
            if len(self.received) > RECEIVED_KEPT:
                del self.received[:-RECEIVED_KEPT]
            if self._paper_left is not None and len(data) >= self._paper_left:
                head, tail = data[: self._paper_left], data[self._paper_left :]
                self._paper_left = None
                replies = self._decoder.feed(head)
                self._state = "paper_out"
                return replies + self._decoder.feed(tail)
            if self._paper_left is not None:
                self._paper_left -= len(data)
            return self._decoder.feed(data)

    def end_of_stream(self) -> None:
        """The sender hung up: what is in the buffer comes out without a cut."""
        with self._lock:
            self._decoder.finish_ticket(None)

    def read_file(self, path: str | os.PathLike[str]) -> list[Ticket]:
        before = self.printed
        self.feed(Path(path).read_bytes())
        self.end_of_stream()
        new = self.printed - before
        return self.tickets[-new:] if new else []

    def _status_reply(self, n: int) -> bytes | None:
        self.status_queries += 1
        replies = STATUS_REPLIES[self._state]
        if replies is None or n not in replies:
            return None
        return bytes([replies[n]])

    def _on_ticket(self, ticket: Ticket) -> None:
        """Real printers answer DLE EOT at once, whatever they are printing: with a transport
        running, drawing the PNG happens on its own thread so status replies never wait."""
        if self._png_queue is not None:
            self._png_queue.put(ticket)
        else:
            self._finish(ticket)

    def _png_loop(self) -> None:
        assert self._png_queue is not None
        while True:
            ticket = self._png_queue.get()
            if ticket is None:
                return
            self._finish(ticket)

    def _finish(self, ticket: Ticket) -> None:
        if self.render_png:
            path = self.out_dir / f"ticket-{self.printed + 1:04d}.png"
            self._renderer.render(ticket).save(path)
            ticket.png_path = path
            self.last_png_path = path
        with self._changed:
            self.tickets.append(ticket)
            del self.tickets[:-self.tickets_kept]
            self.printed += 1
            self._changed.notify_all()

    def render_png_of(self, ticket: Ticket, path: str | os.PathLike[str]) -> Path:
        self._renderer.render(ticket).save(path)
        return Path(path)

    # ------------------------------------------------------------------ transports
    def start_tcp(self, port: int = 9100, host: str = "127.0.0.1") -> int:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, port))
        server.listen(4)
        server.settimeout(0.1)
        self._server = server
        self._start_png_thread()
        self._spawn(self._accept_loop)
        return int(server.getsockname()[1])

    def _accept_loop(self) -> None:
        assert self._server
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(0.1)
            self._conns.append(conn)
            self._spawn(self._serve_connection, conn)

    def _serve_connection(self, conn: socket.socket) -> None:
        with contextlib.closing(conn):
            while not self._stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not data:
                    break
                reply = self.feed(data)
                if reply:
                    with contextlib.suppress(OSError):
                        conn.sendall(reply)
        self.end_of_stream()

    def start_pty(self) -> str:
        """A pseudo-terminal; open the returned path as a serial printer."""
        master, slave = os.openpty()
        tty.setraw(slave)
        self._pty_fds = (master, slave)
        self._start_png_thread()
        self._spawn(self._pty_loop, master)
        return os.ttyname(slave)

    def _pty_loop(self, master: int) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            reply = self.feed(data)
            if reply:
                os.write(master, reply)

    def _spawn(self, target: Callable[..., object], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True,
                                  name=f"virtual-printer-{target.__name__}")
        self._threads.append(thread)
        thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._server:
            with contextlib.suppress(OSError):
                self._server.close()
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=2)
        if self._png_queue is not None:
            self._png_queue.put(None)
            self._png_thread.join(timeout=10)
        if self._pty_fds:
            for fd in self._pty_fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._pty_fds = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9100, help="TCP port (0 = any free port)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--pty", action="store_true", help="listen on a pseudo-terminal instead")
    parser.add_argument("--file", help="decode a capture file and exit")
    parser.add_argument("--out", required=True, help="directory for ticket PNGs")
    parser.add_argument("--paper", type=int, choices=(58, 80), default=80)
    parser.add_argument("--state", choices=sorted(STATUS_REPLIES), default="ok")
    args = parser.parse_args(argv)
    vp = VirtualPrinter(args.out, paper_mm=args.paper, state=args.state)
    if args.file:
        for ticket in vp.read_file(args.file):
            print(f"{ticket.png_path}: {len(ticket.lines)} lines, QR {ticket.qr_contents}")
        return 0
    where = f"pty {vp.start_pty()}" if args.pty else f"tcp {args.host}:{vp.start_tcp(args.port, args.host)}"
    print(f"virtual printer on {where}, {args.paper} mm, state {args.state}, PNGs in {args.out}",
          flush=True)
    try:
        seen = 0
        while True:
            time.sleep(0.2)
            while seen < len(vp.tickets):
                ticket = vp.tickets[seen]
                seen += 1
                print(f"{ticket.png_path}: {len(ticket.lines)} lines, QR {ticket.qr_contents}",
                      flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        vp.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
