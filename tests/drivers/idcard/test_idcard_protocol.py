"""Codec tests against frames written byte by byte from hardware.md, not via our encoder."""

from __future__ import annotations

import pytest

from drivers.idcard.card import parse_card
from drivers.idcard.cards import CARDS
from drivers.idcard.protocol import (
    Command,
    FrameDecoder,
    FrameError,
    Status,
    decode_reply,
    encode_command,
    encode_reply,
    format_sam_id,
    parse_read_data,
)

P = "AA AA AA 96 69 "


def frame(hex_text: str) -> bytes:
    return bytes.fromhex(hex_text)


@pytest.mark.parametrize(
    ("command", "data", "expected"),
    [
        (Command.SAM_RESET, b"", "00 03 10 FF EC"),
        (Command.SAM_STATUS, b"", "00 03 11 FF ED"),
        (Command.SAM_ID, b"", "00 03 12 FF EE"),
        (Command.FIND_CARD, b"", "00 03 20 01 22"),
        (Command.SELECT_CARD, b"", "00 03 20 02 21"),
        (Command.READ_TEXT_PHOTO, b"", "00 03 30 01 32"),
        (Command.READ_TEXT_PHOTO_FINGERPRINT, b"", "00 03 30 10 23"),
        (Command.READ_APPENDED_ADDRESS, b"", "00 03 30 03 30"),
        (Command.SET_MAX_RF_FRAME, b"\x50", "00 04 61 FF 50 CA"),
    ],
)
def test_commands_match_the_published_frames(command: Command, data: bytes, expected: str) -> None:
    assert encode_command(command, data) == frame(P + expected)


def test_find_ok_reply_from_the_brief() -> None:
    reply = decode_reply(frame(P + "00 08 00 00 9F 00 00 00 00 97"))
    assert reply.status is Status.CARD_FOUND
    assert reply.data == bytes(4)


@pytest.mark.parametrize(
    ("hex_text", "status"),
    [
        ("00 04 00 00 80 84", Status.NO_CARD),
        ("00 04 00 00 81 85", Status.SELECT_FAILED),
        ("00 04 00 00 41 45", Status.READ_FAILED),
        ("00 04 00 00 90 94", Status.SUCCESS),
    ],
)
def test_short_replies_from_the_brief(hex_text: str, status: Status) -> None:
    reply = decode_reply(frame(P + hex_text))
    assert reply.status is status
    assert reply.data == b""


def test_select_ok_reply_from_the_brief() -> None:
    reply = decode_reply(frame(P + "00 0C 00 00 90" + " 00" * 8 + " 9C"))
    assert reply.status is Status.SUCCESS
    assert reply.data == bytes(8)


def test_unknown_sw3_is_kept_raw() -> None:
    body = bytes([0x00, 0x00, 0x5E])
    raw = frame(P + "00 04") + body + bytes([0x04 ^ 0x5E])
    reply = decode_reply(raw)
    assert reply.status is None and reply.sw3 == 0x5E and not reply.ok


def _hand_built_read_frame() -> bytes:
    """The 1,295-byte text+photo reply assembled from its fields, checksum computed here."""
    card = CARDS["resident"]
    head = bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x05, 0x08, 0x00, 0x00, 0x90, 0x01, 0x00, 0x04, 0x00])
    body = head + card.text + card.photo
    chk = 0
    for byte in body[5:]:
        chk ^= byte
    return body + bytes([chk])


def test_full_read_reply_built_by_hand() -> None:
    raw = _hand_built_read_frame()
    assert len(raw) == 1295
    assert raw[14:270] == CARDS["resident"].text  # text at frame offset 14, photo at 270
    reply = decode_reply(raw)
    assert reply.status is Status.SUCCESS
    blocks = parse_read_data(reply.data)
    record = parse_card(blocks.text, blocks.photo)
    assert record.name == "张测试"
    assert record.full_id_number() == raw[136:172].decode("utf-16-le")  # heavyii: ID at 136
    assert record.photo_wlt == raw[270:1294]


def test_full_read_reply_with_one_flipped_bit_is_refused() -> None:
    raw = bytearray(_hand_built_read_frame())
    raw[500] ^= 0x01
    with pytest.raises(FrameError, match="checksum"):
        decode_reply(bytes(raw))
    assert FrameDecoder().feed(bytes(raw)) == []


def test_fingerprint_read_layout_puts_text_at_offset_16() -> None:
    card = CARDS["resident"]
    fingerprint = bytes(range(256)) * 2
    raw = encode_reply(Status.SUCCESS, b"\x01\x00\x04\x00\x02\x00" + card.text + card.photo + fingerprint)
    assert len(raw) == 1809
    assert raw[16:272] == card.text
    blocks = parse_read_data(decode_reply(raw).data, with_fingerprint=True)
    assert blocks.fingerprint == fingerprint


def test_read_data_with_lying_block_lengths_is_refused() -> None:
    card = CARDS["resident"]
    with pytest.raises(FrameError):
        parse_read_data(b"\x01\x00\x04\x00" + card.text + card.photo[:-1])
    with pytest.raises(FrameError):
        parse_read_data(b"\x00\xff\x04\x00" + card.text + card.photo)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (P + "00 04 00 00 80 85", "checksum"),
        (P + "00 05 00 00 80 84", "length"),
        ("AA AA AA 96 68 00 04 00 00 80 84", "preamble"),
        (P + "00 02 00 02", "length"),
    ],
)
def test_bad_frames_are_refused_with_a_reason(raw: str, problem: str) -> None:
    with pytest.raises(FrameError, match=problem):
        decode_reply(frame(raw))


def test_decoder_resynchronises_after_garbage_and_split_chunks() -> None:
    no_card = frame(P + "00 04 00 00 80 84")
    find_ok = frame(P + "00 08 00 00 9F 00 00 00 00 97")
    stream = b"\x00\x13\xaa\xaa\x96" + no_card + b"\xaa\xaa" + find_ok
    decoder = FrameDecoder()
    bodies = []
    for index in range(len(stream)):  # one byte at a time: every split point
        bodies += decoder.feed(stream[index : index + 1])
    assert [body[2] for body in bodies] == [0x80, 0x9F]
    assert decoder.pending == 0


def test_decoder_finds_a_good_frame_hidden_behind_a_bad_header() -> None:
    """A bogus header announcing a long frame must not swallow the real reply after it."""
    bogus = frame(P + "04 00 00 00")  # Len 1024: would eat the next frame
    good = frame(P + "00 04 00 00 90 94")
    # The bogus frame's checksum fails once its 1024 bytes are in; the decoder then resyncs
    # one byte after the bogus preamble and finds the good frame inside that span.
    decoder = FrameDecoder()
    bodies = decoder.feed(bogus + good + bytes(1100))
    assert bodies == [bytes([0x00, 0x00, 0x90])]
    assert decoder.rejected >= 1


def test_decoder_rejects_out_of_range_length_at_once_and_stays_bounded() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(frame(P + "FF FF")) == []
    assert decoder.rejected == 1
    decoder.feed(bytes(100_000))
    assert decoder.pending < 8


def test_sam_id_is_formatted_like_vendor_tools() -> None:
    data = (5).to_bytes(2, "little") + (1).to_bytes(2, "little")
    data += (20101010).to_bytes(4, "little") + (12345678).to_bytes(4, "little")
    data += (1234567890).to_bytes(4, "little")
    assert format_sam_id(data) == "05.01-20101010-0012345678-1234567890"
    assert format_sam_id(b"\x01\x02") == "0102"


def test_reply_repr_never_shows_data() -> None:
    raw = _hand_built_read_frame()
    text = repr(decode_reply(raw))
    assert "SUCCESS" in text and "张" not in text and "1100" not in text
