"""SAM_V serial protocol codec for second-generation ID card readers (pure functions, no I/O).

Frame layout (hardware.md 1.2), both directions:

    AA AA AA 96 69 | Len1 Len2 | body... | CHK

``Len`` is big-endian and counts every byte after the length field, CHK included.  CHK is the
XOR of every byte from Len1 to the last body byte.  A request body is ``CMD Para Data...``; a
reply body is ``SW1 SW2 SW3 Data...`` where SW3 is the reader's status (:class:`Status`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import reduce

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2  # preamble + length field: read this, then exactly Len more
MIN_LENGTH = 3  # shortest legal Len: CMD Para CHK (a reply needs 4: SW1 SW2 SW3 CHK)
#: Longest legal Len: the text+photo+fingerprint reply (2321-byte frame) is 2314; a little slack
#: for vendor extensions, but small enough that a corrupted length cannot swallow the stream.
MAX_LENGTH = 2400

TEXT_SIZE = 256
PHOTO_SIZE = 1024
APPENDED_ADDRESS_SIZE = 70


class Command(enum.Enum):
    """Host commands as (CMD, Para) pairs (hardware.md 1.3)."""

    SAM_RESET = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)
    READ_TEXT_PHOTO_FINGERPRINT = (0x30, 0x10)
    READ_APPENDED_ADDRESS = (0x30, 0x03)
    SET_MAX_RF_FRAME = (0x61, 0xFF)

    @property
    def code(self) -> int:
        return self.value[0]

    @property
    def para(self) -> int:
        return self.value[1]

    @classmethod
    def lookup(cls, code: int, para: int) -> Command | None:
        """The command for a (CMD, Para) pair, or None when the pair is unknown."""
        for command in cls:
            if command.value == (code, para):
                return command
        return None


class Status(enum.IntEnum):
    """SW3 codes: the reader's verdict on the last command (hardware.md 1.4)."""

    SUCCESS = 0x90
    CARD_FOUND = 0x9F
    NO_CONTENT = 0x91
    BAD_CHECKSUM = 0x10
    BAD_LENGTH = 0x11
    BAD_COMMAND = 0x21
    NOT_PERMITTED = 0x23
    UNRECOGNISED_ERROR = 0x24
    AUTH_CARD_TO_SAM_FAILED = 0x31
    AUTH_SAM_TO_CARD_FAILED = 0x32
    VERIFICATION_ERROR = 0x33
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_NUMBER_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_UNAUTHORISED = 0x66
    NO_CARD = 0x80
    SELECT_FAILED = 0x81


class FrameError(ValueError):
    """A frame that must not be trusted: wrong preamble, length or checksum."""


def checksum(data: bytes) -> int:
    """XOR of all bytes: the frame check over Len1..last body byte."""
    return reduce(lambda acc, byte: acc ^ byte, data, 0)


def encode_frame(body: bytes) -> bytes:
    """Wrap a request or reply body in preamble, big-endian length and XOR checksum."""
    length = len(body) + 1
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"frame body of {len(body)} bytes is outside the protocol's limits")
    head = length.to_bytes(2, "big")
    return PREAMBLE + head + body + bytes([checksum(head + body)])


def encode_command(command: Command, data: bytes = b"") -> bytes:
    """The bytes the host sends for ``command`` (``data`` e.g. 0x50 for SET_MAX_RF_FRAME)."""
    return encode_frame(bytes([command.code, command.para]) + data)


def encode_reply(sw3: int, data: bytes = b"", sw1: int = 0x00, sw2: int = 0x00) -> bytes:
    """The bytes a reader sends back (used by the simulator and tests)."""
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


def decode_frame(frame: bytes) -> bytes:
    """Check one complete frame and return its body (without length and checksum)."""
    if not frame.startswith(PREAMBLE):
        raise FrameError("frame does not start with the preamble")
    if len(frame) < HEADER_SIZE:
        raise FrameError("frame shorter than its header")
    length = int.from_bytes(frame[5:7], "big")
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise FrameError(f"length field {length} outside {MIN_LENGTH}..{MAX_LENGTH}")
    if len(frame) != HEADER_SIZE + length:
        raise FrameError(f"length field says {length} bytes follow, got {len(frame) - 7}")
    if checksum(frame[5:-1]) != frame[-1]:
        raise FrameError("checksum mismatch")
    return frame[7:-1]


@dataclass(frozen=True)
class Request:
    """A decoded host command (the simulator's view)."""

    code: int
    para: int
    data: bytes

    @property
    def command(self) -> Command | None:
        return Command.lookup(self.code, self.para)


@dataclass(frozen=True)
class Reply:
    """A decoded reader reply. ``status`` is None for an SW3 code this codec does not know."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def status(self) -> Status | None:
        try:
            return Status(self.sw3)
        except ValueError:
            return None

    @property
    def ok(self) -> bool:
        return self.sw3 in (Status.SUCCESS, Status.CARD_FOUND)

    def __repr__(self) -> str:
        # Never the data bytes: a read reply carries a citizen's identity in clear.
        name = self.status.name if self.status is not None else f"0x{self.sw3:02X}"
        return f"Reply({name}, {len(self.data)} data bytes)"


def parse_request(body: bytes) -> Request:
    """Turn a frame body from the host into a :class:`Request`."""
    if len(body) < 2:
        raise FrameError("request body shorter than CMD Para")
    return Request(body[0], body[1], bytes(body[2:]))


def parse_reply(body: bytes) -> Reply:
    """Turn a frame body from the reader into a :class:`Reply`."""
    if len(body) < 3:
        raise FrameError("reply body shorter than SW1 SW2 SW3")
    return Reply(body[0], body[1], body[2], bytes(body[3:]))


def decode_reply(frame: bytes) -> Reply:
    """Check a complete reply frame and decode it."""
    return parse_reply(decode_frame(frame))


@dataclass(frozen=True)
class CardData:
    """The blocks of a successful read: text (256), photo (WLT, 1024), optional fingerprint."""

    text: bytes
    photo: bytes
    fingerprint: bytes = b""

    def __repr__(self) -> str:
        return (
            f"CardData(text={len(self.text)}B, photo={len(self.photo)}B, "
            f"fingerprint={len(self.fingerprint)}B)"
        )


def parse_read_data(data: bytes, with_fingerprint: bool = False) -> CardData:
    """Split a read reply's data into blocks, checking every declared length.

    The length fields are a second guard behind the XOR checksum: a frame whose Len was
    damaged but whose checksum happens to agree still cannot produce a record.
    """
    fields = 3 if with_fingerprint else 2
    if len(data) < 2 * fields:
        raise FrameError("read reply too short for its block lengths")
    sizes = [int.from_bytes(data[2 * i : 2 * i + 2], "big") for i in range(fields)]
    if sizes[0] != TEXT_SIZE:
        raise FrameError(f"text block of {sizes[0]} bytes (expected {TEXT_SIZE})")
    if sizes[1] != PHOTO_SIZE:
        raise FrameError(f"photo block of {sizes[1]} bytes (expected {PHOTO_SIZE})")
    if with_fingerprint and sizes[2] not in (0, 512, 1024):
        raise FrameError(f"fingerprint block of {sizes[2]} bytes (expected 0, 512 or 1024)")
    if len(data) != 2 * fields + sum(sizes):
        raise FrameError("read reply length disagrees with its block lengths")
    start = 2 * fields
    text = data[start : start + sizes[0]]
    photo = data[start + sizes[0] : start + sizes[0] + sizes[1]]
    fingerprint = data[start + sizes[0] + sizes[1] :]
    return CardData(bytes(text), bytes(photo), bytes(fingerprint))


def encode_read_data(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """The data part of a read reply (the simulator's side of :func:`parse_read_data`)."""
    parts = [len(text).to_bytes(2, "big"), len(photo).to_bytes(2, "big")]
    if fingerprint is not None:
        parts.append(len(fingerprint).to_bytes(2, "big"))
    return b"".join(parts) + text + photo + (fingerprint or b"")


def format_sam_id(data: bytes) -> str:
    """Human-readable SAM id (e.g. ``05.01-20101010-0012345678-1234567890``).

    Layout from vendor samples (2+2 bytes version, then three little-endian 32-bit numbers)
    [single source]; anything else is shown as hex so maintenance still sees something.
    """
    if len(data) != 16:
        return data.hex()
    part1 = f"{int.from_bytes(data[0:2], 'little'):02d}.{int.from_bytes(data[2:4], 'little'):02d}"
    numbers = [int.from_bytes(data[i : i + 4], "little") for i in (4, 8, 12)]
    return f"{part1}-{numbers[0]:08d}-{numbers[1]:010d}-{numbers[2]:010d}"


class FrameDecoder:
    """Streaming decoder: feed any chunks, get complete, checked frame bodies back.

    Garbage before a preamble is skipped; a frame whose length is out of range or whose
    checksum fails is dropped and the search restarts one byte after its preamble, so a good
    frame hidden behind a bad header is still found.  The buffer never exceeds one maximal
    frame, whatever arrives.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.rejected = 0  # frames dropped for a bad length or checksum
        self.skipped = 0  # garbage bytes discarded while looking for a preamble
        self.last_error = ""

    @property
    def pending(self) -> int:
        """Bytes held while waiting for the rest of a frame."""
        return len(self._buffer)

    def reset(self) -> None:
        self._buffer.clear()

    def feed(self, chunk: bytes) -> list[bytes]:
        """Add bytes; return the bodies of every complete valid frame, oldest first."""
        self._buffer.extend(chunk)
        bodies: list[bytes] = []
        while True:
            start = self._buffer.find(PREAMBLE)
            if start < 0:
                # Keep a tail that could be the start of a preamble split across chunks.
                keep = len(PREAMBLE) - 1
                drop = max(0, len(self._buffer) - keep)
                self.skipped += drop
                del self._buffer[:drop]
                return bodies
            if start:
                self.skipped += start
                del self._buffer[:start]
            if len(self._buffer) < HEADER_SIZE:
                return bodies
            length = int.from_bytes(self._buffer[5:7], "big")
            if not MIN_LENGTH <= length <= MAX_LENGTH:
                self._reject(f"length field {length} out of range")
                continue
            end = HEADER_SIZE + length
            if len(self._buffer) < end:
                return bodies
            frame = bytes(self._buffer[:end])
            if checksum(frame[5:-1]) != frame[-1]:
                self._reject("checksum mismatch")
                continue
            del self._buffer[:end]
            bodies.append(frame[7:-1])

    def _reject(self, reason: str) -> None:
        self.rejected += 1
        self.last_error = reason
        del self._buffer[:1]  # resynchronise: look for the next preamble after this one
