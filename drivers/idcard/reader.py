"""ID card reader driver: a worker thread that polls a SAM_V reader and reports to a listener.

Opened by pyserial URL (``/dev/ttyUSB0``, ``socket://host:port``, ``rfc2217://...``) or by a USB
``"vid:pid"`` looked up with :mod:`serial.tools.list_ports`.  The worker survives unplug and
replug (reconnects with backoff; never trusts ``is_open``), garbage and partial frames, and a
reader that stops answering.  Events go to a :class:`ReaderListener` on the worker thread; the
Qt side (kiosk/services/idcard.py) moves them to the GUI thread.

Placement logic [inferred from hardware.md 1.4]: once read, a card no longer answers *find*;
while a card is known to be on the reader, *select* is used as the presence probe, so a card
left in place is read exactly once and its removal is still noticed.
"""

from __future__ import annotations

import enum
import errno
import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

import serial
from serial.tools import list_ports

from drivers.idcard.card import CardRecord, CardUnreadable, decode_appended_address, parse_card
from drivers.idcard.protocol import (
    Command,
    FrameDecoder,
    FrameError,
    Reply,
    Status,
    encode_command,
    format_sam_id,
    parse_read_data,
    parse_reply,
)

try:  # POSIX: a tty whose device vanished fails flushes with termios.error, not OSError
    from termios import error as TermiosError
except ImportError:  # pragma: no cover - Windows has no termios
    class TermiosError(Exception):  # type: ignore[no-redef]  # the stand-in without termios
        """Never raised where termios does not exist."""

#: What a vanished or broken port raises: pyserial's own errors, the OS's, and the tty layer's.
PORT_ERRORS = (serial.SerialException, OSError, TermiosError)

log = logging.getLogger("drivers.idcard")
wire_log = logging.getLogger("drivers.idcard.wire")  # headers only: never card data

#: Every reason key this driver reports (the words the kiosk shows for them: kiosk.words.devices).
REASONS: tuple[str, ...] = (
    "card.place_flat", "card.try_again", "card.invalid", "card.unsupported", "reader.not_found",
    "reader.permission_denied", "reader.no_answer", "reader.no_frames", "reader.io_error",
    "reader.sam_error",
)

_VID_PID = re.compile(r"^([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4})$")
_READ_SLICE_S = 0.02  # serial read timeout: how often the worker looks at its stop flag


class ReaderListener(Protocol):
    """What the reader reports.  Called on the worker thread; must not block for long."""

    def reader_connected(self) -> None: ...
    def reader_lost(self, reason_key: str) -> None: ...
    def card_read(self, record: CardRecord) -> None: ...
    def card_removed(self) -> None: ...
    def card_unreadable(self, reason_key: str) -> None: ...


class BaseListener:
    """A listener that ignores everything: subclass and override what you need."""

    def reader_connected(self) -> None:
        pass

    def reader_lost(self, reason_key: str) -> None:
        pass

    def card_read(self, record: CardRecord) -> None:
        pass

    def card_removed(self) -> None:
        pass

    def card_unreadable(self, reason_key: str) -> None:
        pass


@dataclass(frozen=True)
class ReaderConfig:
    """Link and timing policy; defaults from hardware.md 1.1/1.3 (all times in seconds)."""

    port: str
    baud: int = 115200
    poll_interval_s: float = 0.05
    sam_timeout_s: float = 0.3
    find_timeout_s: float = 0.5
    read_timeout_s: float = 3.5
    reconnect_min_s: float = 0.5
    reconnect_max_s: float = 5.0
    misses_before_lost: int = 2  # consecutive silent replies before "reader lost"
    garbled_before_lost: int = 5  # consecutive replies without a valid frame before "lost"
    removal_misses: int = 2  # consecutive absent probes before "card removed"
    read_attempts: int = 2  # failed reads of one placement before "card unreadable"
    read_appended_address: bool = True
    read_fingerprint: bool = False

    def __post_init__(self) -> None:
        if not self.port:
            raise ValueError("reader.port is empty: give a device path, URL or vid:pid")
        if self.baud <= 0:
            raise ValueError(f"reader.baud must be positive, got {self.baud}")
        for name in ("poll_interval_s", "sam_timeout_s", "find_timeout_s", "read_timeout_s",
                     "reconnect_min_s", "reconnect_max_s"):  # fmt: skip
            if getattr(self, name) <= 0:
                raise ValueError(f"reader.{name} must be positive, got {getattr(self, name)}")
        for name in ("misses_before_lost", "garbled_before_lost", "removal_misses",
                     "read_attempts"):
            if getattr(self, name) < 1:
                raise ValueError(f"reader.{name} must be at least 1, got {getattr(self, name)}")


class LinkProblem(enum.Enum):
    """Why the link to the reader is down; the value is the MESSAGES key shown for it."""

    NOT_FOUND = "reader.not_found"  # no such device, vid:pid or socket listener
    PERMISSION_DENIED = "reader.permission_denied"  # the device exists; we may not open it
    LOST = "reader.io_error"  # it was there and failed (unplugged, I/O error)
    NO_ANSWER = "reader.no_answer"  # not a byte back
    NO_FRAMES = "reader.no_frames"  # bytes back, never a valid frame: the baud rate, usually


class ReaderError(Exception):
    """Base of the link-level failures below; ``problem`` says which, without parsing text."""

    problem = LinkProblem.LOST

    def __init__(self, message: str = "", problem: LinkProblem | None = None) -> None:
        super().__init__(message)
        if problem is not None:
            self.problem = problem


class PortNotFound(ReaderError):
    """No serial port matches the configured vid:pid."""

    problem = LinkProblem.NOT_FOUND


class LinkError(ReaderError):
    """The port failed: not there, not allowed, or broken (see ``problem``)."""


class NoReply(ReaderError):
    """Not a single byte came back before the timeout."""

    problem = LinkProblem.NO_ANSWER


class BadReply(ReaderError):
    """Bytes came back but no valid frame: checksum, length or a frame cut short."""

    problem = LinkProblem.NO_FRAMES


class Stopping(ReaderError):
    """stop() was called while waiting on the device."""


_NOT_THERE = {errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.ECONNREFUSED, errno.EHOSTUNREACH,
              errno.ENETUNREACH, errno.ETIMEDOUT}
_NOT_ALLOWED = {errno.EACCES, errno.EPERM}


def open_problem(error: BaseException) -> LinkProblem:
    """Classify a failure to open the port by its errno (pyserial keeps the OS's errno, or
    chains the OSError it wrapped), never by its message text."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, PermissionError):
            return LinkProblem.PERMISSION_DENIED
        if isinstance(seen, FileNotFoundError | ConnectionRefusedError):
            return LinkProblem.NOT_FOUND
        code = getattr(seen, "errno", None)
        if code in _NOT_ALLOWED:
            return LinkProblem.PERMISSION_DENIED
        if code in _NOT_THERE:
            return LinkProblem.NOT_FOUND
        seen = seen.__cause__ or seen.__context__
    if isinstance(error, ValueError):  # pyserial: a URL it cannot parse
        return LinkProblem.NOT_FOUND
    return LinkProblem.LOST


def resolve_port(spec: str, ports: list[Any] | None = None) -> str:
    """The device for a ``"vid:pid"`` spec (hex, e.g. ``1a86:7523``); any other spec unchanged.

    ``ports`` defaults to ``list_ports.comports()``; tests pass port-info objects because no
    physical USB reader exists on a build machine.
    """
    match = _VID_PID.match(spec.strip())
    if not match:
        return spec
    vid, pid = int(match.group(1), 16), int(match.group(2), 16)
    candidates = list_ports.comports() if ports is None else ports
    for info in sorted(candidates, key=lambda item: item.device):
        if info.vid == vid and info.pid == pid:
            return str(info.device)
    raise PortNotFound(f"no serial port with USB id {spec}")


class ReaderLink:
    """One serial connection: open, send a command, collect exactly one checked reply."""

    def __init__(self, port: str, baud: int, stop: threading.Event | None = None) -> None:
        self.port_spec = port
        self.baud = baud
        self._stop = stop or threading.Event()
        self._serial: serial.Serial | None = None

    def open(self) -> None:
        self.close()
        try:
            device = resolve_port(self.port_spec)
            self._serial = serial.serial_for_url(
                device, baudrate=self.baud, timeout=_READ_SLICE_S, write_timeout=1.0
            )
        except PortNotFound as error:
            raise LinkError(str(error), LinkProblem.NOT_FOUND) from error
        except (*PORT_ERRORS, ValueError) as error:
            raise LinkError(f"cannot open {self.port_spec}: {error}",
                            open_problem(error)) from error

    def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            # pyserial's socket:// port skips closing its socket when shutdown() fails (the
            # peer already reset it): one leaked descriptor per lost TCP-bridged reader.
            sock = getattr(port, "_socket", None)
            try:
                port.close()
            except PORT_ERRORS as error:
                log.debug("closing port: %s", error)
            if sock is not None:
                sock.close()

    def transact(self, command: Command, timeout: float, data: bytes = b"") -> Reply:
        """Send ``command`` and return its reply, or raise NoReply / BadReply / LinkError."""
        port = self._serial
        if port is None:
            raise LinkError("port not open")
        try:
            port.reset_input_buffer()  # stale bytes from an earlier timeout are not our reply
            port.write(encode_command(command, data))
            wire_log.debug("-> %s", command.name)
            decoder = FrameDecoder()
            deadline = time.monotonic() + timeout
            received = 0
            while True:
                if self._stop.is_set():
                    raise Stopping()
                chunk = port.read(max(1, port.in_waiting))
                received += len(chunk)
                for body in decoder.feed(chunk):
                    try:
                        reply = parse_reply(body)
                    except FrameError:
                        continue
                    wire_log.debug("<- %r", reply)
                    return reply
                if not chunk and decoder.rejected:
                    raise BadReply(decoder.last_error)  # a damaged frame and then silence
                if time.monotonic() >= deadline:
                    if received:
                        raise BadReply(f"no complete frame in {received} bytes")
                    raise NoReply(f"{command.name}: no answer within {timeout:.2f} s")
        except PORT_ERRORS as error:
            # An unplugged USB-serial adapter fails in tcflush with termios.error (EIO): that
            # is a lost link to reconnect to, not a crash of the reader worker.
            raise LinkError(str(error) or type(error).__name__, LinkProblem.LOST) from error


@dataclass
class _Placement:
    """What the worker knows about the card currently on the reader."""

    done: bool = False  # read (or rejected for good): never read again while it stays
    reported: bool = False  # an event went out, so its removal must be reported too
    failures: int = 0
    absent_polls: int = 0


class _ReaderLost(Exception):
    def __init__(self, reason_key: str) -> None:
        super().__init__(reason_key)
        self.reason_key = reason_key


class IdCardReader:
    """Polls the reader on a worker thread; see the module docstring for the event rules."""

    def __init__(self, config: ReaderConfig, listener: ReaderListener) -> None:
        self.config = config
        self._listener = listener
        self._stop = threading.Event()
        self._link = ReaderLink(config.port, config.baud, self._stop)
        self._thread: threading.Thread | None = None
        self._placement: _Placement | None = None
        self.connected = False

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="idcard-reader", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        """Stop polling and close the port; returns once the worker has ended (or timeout)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("reader thread did not stop within %.1f s", timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- worker ---------------------------------------------------------------------------------

    def _run(self) -> None:
        backoff = self.config.reconnect_min_s
        failure_backoff = self.config.reconnect_min_s  # not reset by a reconnect: a repeating bug
        lost_reported = False
        try:
            while not self._stop.is_set():
                try:
                    self._connect()
                except (ReaderError, _ReaderLost) as error:
                    self._link.close()
                    if isinstance(error, Stopping):
                        break
                    key = (error.reason_key if isinstance(error, _ReaderLost)
                           else error.problem.value)
                    log.info("reader unavailable (%s): %s; retry in %.1f s", key, error, backoff)
                    if not lost_reported:
                        lost_reported = True
                        self._emit("reader_lost", key)
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, self.config.reconnect_max_s)
                    continue
                backoff = self.config.reconnect_min_s
                lost_reported = False
                self.connected = True
                log.info("reader connected on %s", self.config.port)
                self._emit("reader_connected")
                try:
                    self._poll_loop()
                except _ReaderLost as lost:
                    self.connected = False
                    self._link.close()
                    log.warning("reader lost: %s", lost.reason_key)
                    self._end_placement()
                    lost_reported = True
                    self._emit("reader_lost", lost.reason_key)
                except Stopping:
                    break
                except Exception:  # a bug must not leave a dead reader: report, wait, reconnect
                    self.connected = False
                    self._link.close()
                    log.exception("reader failed unexpectedly; reconnecting in %.1f s",
                                  failure_backoff)
                    self._end_placement()
                    lost_reported = True
                    self._emit("reader_lost", "reader.io_error")
                    self._stop.wait(failure_backoff)
                    failure_backoff = min(failure_backoff * 2, self.config.reconnect_max_s)
        except Exception:  # outside the polling loop (connecting): a bug, reported once
            log.exception("reader worker crashed")
            self._emit("reader_lost", "reader.io_error")
        finally:
            self.connected = False
            self._link.close()

    def _connect(self) -> None:
        self._link.open()
        for attempt in range(1, self.config.garbled_before_lost + 1):
            try:
                reply = self._link.transact(Command.SAM_STATUS, self.config.sam_timeout_s)
                break
            except BadReply as error:  # one garbled answer is noise; several, a wrong speed
                log.info("garbled answer to the SAM check (%d/%d): %s", attempt,
                         self.config.garbled_before_lost, error)
                if attempt == self.config.garbled_before_lost:
                    raise
        if reply.sw3 != Status.SUCCESS:
            raise _ReaderLost("reader.sam_error")

    def _poll_loop(self) -> None:
        misses = garbled = 0
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self._poll_once()
                misses = garbled = 0
            except NoReply as error:
                misses += 1
                log.info("reader silent (%d/%d): %s", misses, self.config.misses_before_lost, error)
                if misses >= self.config.misses_before_lost:
                    raise _ReaderLost(error.problem.value) from error
            except BadReply as error:
                misses = 0  # it talks, just garbled: not gone, unless it never makes sense
                garbled += 1
                log.info("garbled reply (%d/%d): %s", garbled, self.config.garbled_before_lost,
                         error)
                if garbled >= self.config.garbled_before_lost:
                    raise _ReaderLost(error.problem.value) from error
            except LinkError as error:
                log.info("link error: %s", error)
                raise _ReaderLost(error.problem.value) from error
            elapsed = time.monotonic() - started
            self._stop.wait(max(0.0, self.config.poll_interval_s - elapsed))

    def _poll_once(self) -> None:
        link, cfg = self._link, self.config
        find = link.transact(Command.FIND_CARD, cfg.find_timeout_s)
        found = find.sw3 == Status.CARD_FOUND
        if find.sw3 in (Status.SAM_SELF_TEST_FAILED, Status.SAM_UNAUTHORISED):
            raise _ReaderLost("reader.sam_error")  # reconnect: the SAM check gates recovery
        if not found and find.sw3 != Status.NO_CARD:
            log.debug("find card answered %r", find)
        placement = self._placement
        if placement is None:
            if not found:
                return
            placement = self._placement = _Placement()
        if placement.done and found:
            placement.absent_polls = 0  # this reader keeps reporting a read card: still there
            return
        select = link.transact(Command.SELECT_CARD, cfg.find_timeout_s)
        if select.sw3 != Status.SUCCESS:
            if found:
                self._failed(placement, "card.place_flat")
                return
            placement.absent_polls += 1
            if placement.absent_polls >= cfg.removal_misses:
                self._end_placement()
            return
        placement.absent_polls = 0
        if not placement.done:
            self._read(placement)

    def _read(self, placement: _Placement) -> None:
        cfg = self.config
        command = Command.READ_TEXT_PHOTO_FINGERPRINT if cfg.read_fingerprint else Command.READ_TEXT_PHOTO
        try:
            reply = self._link.transact(command, cfg.read_timeout_s)
        except BadReply:
            self._failed(placement, "card.try_again")
            return
        except NoReply:
            self._failed(placement, "card.try_again")
            raise
        if reply.sw3 == Status.UNKNOWN_CARD_TYPE:
            self._rejected(placement, "card.unsupported", "reader reports an unknown card type")
            return
        if reply.sw3 != Status.SUCCESS:
            self._failed(placement, "card.try_again")
            return
        try:
            blocks = parse_read_data(reply.data, with_fingerprint=cfg.read_fingerprint)
        except FrameError as error:
            log.info("read reply rejected: %s", error)
            self._failed(placement, "card.try_again")
            return
        appended: str | None = None
        try:
            if cfg.read_appended_address:
                appended = self._read_appended_address()
            record = parse_card(blocks.text, blocks.photo, appended)
        except CardUnreadable as error:
            if error.reason_key == "card.try_again":
                self._failed(placement, error.reason_key)
            else:
                self._rejected(placement, error.reason_key, error.detail)
            return
        placement.done = placement.reported = True
        # What kind of card, nothing of whose: even masked, a name and number fragments are
        # more than an operator needs, and a log outlives the session.
        log.info("card read: %s card", record.card_type.name.lower())
        self._emit("card_read", record)

    def _read_appended_address(self) -> str | None:
        """The 追加住址 block, None when the card has none; one retry on a garbled reply."""
        for attempt in (1, 2):
            try:
                reply = self._link.transact(Command.READ_APPENDED_ADDRESS, self.config.read_timeout_s)
            except (BadReply, NoReply) as error:
                if attempt == 2:
                    raise CardUnreadable("card.try_again", f"appended address: {error}") from error
                continue
            if reply.sw3 == Status.SUCCESS:
                return decode_appended_address(reply.data)
            return None  # 91: no appended address; other codes: reader lacks the command
        return None

    def _failed(self, placement: _Placement, reason_key: str) -> None:
        """A read attempt failed; tell the citizen once the retries are used up."""
        placement.failures += 1
        log.info("read attempt %d failed: %s", placement.failures, reason_key)
        if placement.failures >= self.config.read_attempts and not placement.reported:
            placement.reported = True
            self._emit("card_unreadable", reason_key)

    def _rejected(self, placement: _Placement, reason_key: str, detail: str) -> None:
        """The card answered but its data is not acceptable: report once, do not retry."""
        log.warning("card rejected (%s): %s", reason_key, detail)
        placement.done = placement.reported = True
        self._emit("card_unreadable", reason_key)

    def _end_placement(self) -> None:
        placement, self._placement = self._placement, None
        if placement is not None and placement.reported:
            log.info("card removed")
            self._emit("card_removed")

    def _emit(self, event: str, *args: object) -> None:
        try:
            getattr(self._listener, event)(*args)
        except Exception:  # a faulty listener must not stop the reader
            log.exception("listener failed on %s", event)


@dataclass(frozen=True)
class ReaderStatus:
    """What the maintenance command shows about the reader itself."""

    port: str
    sam_ok: bool
    sam_status: str
    sam_id: str


def query_status(port: str, baud: int = 115200, timeout: float = 0.3) -> ReaderStatus:
    """One-shot SAM status and id (maintenance); raises ReaderError when the reader is away."""
    link = ReaderLink(port, baud)
    link.open()
    try:
        status = link.transact(Command.SAM_STATUS, timeout)
        ident = link.transact(Command.SAM_ID, timeout)
    finally:
        link.close()
    name = status.status.name if status.status else f"0x{status.sw3:02X}"
    sam_id = format_sam_id(ident.data) if ident.sw3 == Status.SUCCESS else ""
    return ReaderStatus(port, status.sw3 == Status.SUCCESS, name, sam_id)
