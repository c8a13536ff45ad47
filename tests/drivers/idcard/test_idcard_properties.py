"""Property tests: random and mutated byte streams never crash the decoder or the reader, and
never turn into a record that differs from the card on the reader.

XOR-8 detects every single-byte error but not every multi-byte one (a byte inserted equal to
CHK slips through), so the mutations here are the ones the protocol promises to catch; the
read reply's block lengths guard the length field on top of the checksum.
"""

from __future__ import annotations

import itertools
import threading

from hypothesis import given
from hypothesis import strategies as st

from drivers.idcard.card import parse_card
from drivers.idcard.cards import CARDS
from drivers.idcard.protocol import (
    PREAMBLE,
    Command,
    FrameDecoder,
    Status,
    encode_frame,
    encode_read_data,
    encode_reply,
)
from drivers.idcard.reader import IdCardReader, ReaderConfig
from drivers.idcard.simulator import CardSimulator, Fault
from tests.fuzzing import fuzz_settings

CARD = CARDS["resident"]
GOOD_FRAMES = [
    encode_reply(Status.NO_CARD),
    encode_reply(Status.CARD_FOUND, bytes(4)),
    encode_reply(Status.SUCCESS, bytes(8)),
    encode_reply(Status.SUCCESS, encode_read_data(CARD.text, CARD.photo)),
]
GOOD_BODIES = {frame[7:-1] for frame in GOOD_FRAMES}
FAST = dict(
    poll_interval_s=0.005, sam_timeout_s=0.1, find_timeout_s=0.1, read_timeout_s=0.25,
    reconnect_min_s=0.01, reconnect_max_s=0.05,
)  # fmt: skip


def feed_in_chunks(stream: bytes, cuts: list[int]) -> tuple[FrameDecoder, list[bytes]]:
    decoder = FrameDecoder()
    bodies: list[bytes] = []
    edges = sorted({0, len(stream), *(cut % (len(stream) + 1) for cut in cuts)})
    for start, end in itertools.pairwise(edges):
        bodies += decoder.feed(stream[start:end])
    return decoder, bodies


@fuzz_settings(300)
@given(st.binary(max_size=3000), st.lists(st.integers(0, 3000), max_size=8))
def test_random_bytes_only_yield_frames_that_are_really_in_the_stream(stream, cuts) -> None:
    decoder, bodies = feed_in_chunks(stream, cuts)
    for body in bodies:
        assert encode_frame(body) in stream  # well-formed: length and checksum agree
    assert decoder.pending <= 7 + 2400


@st.composite
def garbage(draw: st.DrawFn) -> bytes:
    """Line noise that cannot contain (part of) a preamble."""
    return bytes(b for b in draw(st.binary(max_size=40)) if b != 0xAA)


@fuzz_settings(150)
@given(
    st.lists(st.tuples(garbage(), st.sampled_from(GOOD_FRAMES)), min_size=1, max_size=5),
    st.lists(st.integers(0, 8000), max_size=10),
)
def test_every_frame_is_recovered_from_noise_in_any_chunking(pairs, cuts) -> None:
    stream = b"".join(noise + frame for noise, frame in pairs)
    _, bodies = feed_in_chunks(stream, cuts)
    assert bodies == [frame[7:-1] for _, frame in pairs]


@fuzz_settings(200)
@given(
    st.sampled_from(GOOD_FRAMES),
    st.data(),
    st.lists(st.integers(0, 8000), max_size=6),
)
def test_single_byte_damage_after_the_length_is_always_refused(frame, data, cuts) -> None:
    position = data.draw(st.integers(7, len(frame) - 1), label="position")
    flip = data.draw(st.integers(1, 255), label="xor")
    damaged = bytearray(frame)
    damaged[position] ^= flip
    follower = encode_reply(Status.NO_CARD)
    decoder, bodies = feed_in_chunks(bytes(damaged) + follower, cuts)
    assert frame[7:-1] not in bodies or frame[7:-1] == follower[7:-1]
    assert all(body in GOOD_BODIES for body in bodies)
    assert bodies[-1:] == [follower[7:-1]] or decoder.pending  # the next frame is found again


# -- the reader, over a real pty -------------------------------------------------------------


class _Events:
    def __init__(self) -> None:
        self.reads: list[object] = []
        self.unreadable: list[str] = []
        self.got_read = threading.Event()

    def reader_connected(self) -> None:
        pass

    def reader_lost(self, reason_key: str) -> None:
        pass

    def card_read(self, record: object) -> None:
        self.reads.append(record)
        self.got_read.set()

    def card_removed(self) -> None:
        pass

    def card_unreadable(self, reason_key: str) -> None:
        self.unreadable.append(reason_key)


def _run_reader_against(fault_kwargs: dict) -> _Events:
    events = _Events()
    with CardSimulator() as sim:
        path = sim.open_pty()
        reader = IdCardReader(ReaderConfig(path, read_attempts=3, **FAST), events)
        reader.start()
        try:
            sim.set_fault(Fault.MUTATE, **fault_kwargs)
            sim.place(CARD)
            assert events.got_read.wait(10.0), "the card was never read after the damage"
        finally:
            reader.stop()
        assert not reader.running
    return events


damage = st.one_of(
    st.tuples(st.just("substitute"), st.integers(0, 1294), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 1294), st.just(0)),
    st.tuples(st.just("noise_before"), st.integers(1, 64), st.integers(0, 255)),
)


def _apply(kind: str, position: int, value: int, frame: bytes) -> bytes:
    if kind == "substitute":
        damaged = bytearray(frame)
        damaged[position % len(frame)] ^= value
        return bytes(damaged)
    if kind == "truncate":
        return frame[: position % len(frame)]
    return bytes([value]) * position + frame


@fuzz_settings(20)
@given(damage)
def test_reader_never_produces_a_record_from_a_damaged_read(damage_spec) -> None:
    kind, position, value = damage_spec
    events = _run_reader_against(
        {
            "commands": [Command.READ_TEXT_PHOTO],
            "count": 1,
            "mutate": lambda frame: _apply(kind, position, value, frame),
        }
    )
    expected = parse_card(CARD.text, CARD.photo)
    assert events.reads == [expected]  # the retry's record, identical to the card's own data


@fuzz_settings(12)
@given(st.binary(max_size=300), st.integers(1, 4))
def test_reader_survives_random_replies_to_anything(junk, count) -> None:
    junk = junk.replace(PREAMBLE, b"")  # random bytes, not a forged reply
    events = _run_reader_against({"count": count, "mutate": lambda _frame: junk})
    assert events.reads == [parse_card(CARD.text, CARD.photo)]
