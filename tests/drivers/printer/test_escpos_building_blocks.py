"""Exact ESC/POS bytes of the building blocks the templates are made of."""

from drivers.printer.profiles import load_profile
from drivers.printer.render import TicketRenderer, _Style
from drivers.printer.status import interpret
from drivers.printer.transport import DummyPrinter, query_status_replies
from drivers.qr.matrix import qr_matrix


def _writer(model="generic-80"):
    renderer = TicketRenderer(load_profile(model))
    printer = DummyPrinter()
    renderer._printer = printer
    renderer._style = _Style()
    renderer._template = "test"
    return renderer, printer


def test_chinese_text_goes_inside_fs_and_in_gb18030():
    renderer, printer = _writer()
    renderer.text_line("合计：￥12", _Style())
    assert printer.output == b"\x1c\x26" + "合计：￥12".encode("gb18030") + b"\x1c\x2e\n"
    assert printer.output == b"\x1c&\xba\xcf\xbc\xc6\xa3\xba\xa3\xa412\x1c.\n"


def test_full_width_punctuation_alone_is_never_a_question_mark():
    renderer, printer = _writer()
    renderer.text_line("，", _Style())
    assert printer.output == b"\x1c&\xa3\xac\x1c.\n"
    assert b"?" not in printer.output


def test_ascii_line_is_plain_bytes():
    renderer, printer = _writer()
    renderer.text_line("Window 21-23", _Style())
    assert printer.output == b"Window 21-23\n"


def test_alignment_bold_and_size_commands():
    renderer, printer = _writer()
    renderer.text_line("A", _Style(align="center", bold=True, width=2, height=2))
    assert printer.output == b"\x1ba\x01" + b"\x1bE\x01" + b"\x1d!\x11" + b"A\n"
    printer.clear()
    renderer.text_line("B", _Style(align="right", width=1, height=2))
    assert printer.output == b"\x1ba\x02" + b"\x1bE\x00" + b"\x1d!\x01" + b"B\n"


def test_native_qr_commands():
    renderer, printer = _writer()
    renderer._block_qr({"data": "https://hall.example/q/1", "ec": "M", "share": 0.5}, _scope())
    data = b"https://hall.example/q/1"
    # version 2 at level M: 25 modules + 2 x 4 quiet zone; half of 576 dots -> 8 dots a module
    assert qr_matrix(data.decode(), "M").size == 25
    module = 288 // 33
    assert printer.output == (
        b"\x1ba\x01"
        + b"\x1d(k\x04\x001A2\x00"  # model 2
        + b"\x1d(k\x03\x001C" + bytes([module])  # module size in dots
        + b"\x1d(k\x03\x001E1"  # error correction M
        + b"\x1d(k" + bytes([len(data) + 3, 0]) + b"1P0" + data  # store
        + b"\x1d(k\x03\x001Q0"  # print
        + b"\n"
    )


def test_partial_and_full_cut():
    renderer, printer = _writer("generic-80")
    renderer._block_cut({}, _scope())
    assert printer.output == b"\x1bd\x06\x1dV\x01"
    renderer, printer = _writer("generic-80-nocjk")
    renderer._block_cut({}, _scope())
    assert printer.output == b"\x1bd\x06\x1dV\x00"


def test_status_queries_are_dle_eot_1_2_4():
    printer = DummyPrinter(replies=[b"\x12", b"\x12", b"\x1e"])
    replies = query_status_replies(printer, timeout=0.1)
    assert printer.output == b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
    assert interpret(*replies).state.value == "paper_near_end"


def test_job_starts_with_init_and_code_page():
    renderer = TicketRenderer(load_profile("generic-80"))
    payload = renderer.render_bytes("queue_ticket", {
        "hall_name": "H", "number": "A001", "matter": "M", "zone_name": "Z", "floor": 1,
        "windows": "1", "people_ahead": 0, "issued_at": "t", "queue_url": "u"})
    assert payload.startswith(b"\x1b@\x1bt\x00")
    assert payload.endswith(b"\x1bd\x06\x1dV\x01")


def _scope():
    from drivers.printer.render import _Scope

    return _Scope({}, "zh")
