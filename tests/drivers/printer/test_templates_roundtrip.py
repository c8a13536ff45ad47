"""Every template, printed over TCP to the virtual printer and decoded back to text and QR."""

import pytest
from PIL import Image
from pyzbar.pyzbar import decode as zbar_decode

from drivers.printer.driver import PrinterDriver
from drivers.printer.profiles import load_profile
from drivers.printer.render import TicketRenderer, example_data, template_names
from drivers.printer.textwidth import display_width

# What a citizen must find on each slip, per language (taken from the example data).
EXPECTED = {
    "queue_ticket": {
        "zh": ["某某区政务服务中心", "C023", "婚姻登记", "21-23号", "前面等候：5人", "2026-11-23 14:05"],
        "en": ["Moumou District", "C023", "Marriage registration", "People ahead: 5", "排队凭条"],
    },
    "report_receipt": {
        "zh": ["BBCS-20261123-0042", "查询码：4821", "需输入回执编号和查询码", "不动产登记",
               "2026-11-30前", "0371-12345678", "“办不成事”"],
        "en": ["BBCS-20261123-0042", "Check code: 4821", "Answer by: 2026-11-30",
               "Director hotline: 0371-12345678"],
    },
    "notification_slip": {
        "zh": ["出生一件事", "出生医学证明", "新生儿户口登记", "□ 父母居民身份证  原件2份  复印件2份",
               "□ 户口簿  原件1份", "办理时限：当场办结", "收费标准：免费"],
        "en": ["Newborn: one-stop", "Birth medical certificate", "originals: 2, copies: 2",
               "Time limit: On the spot", "一次性告知单"],
    },
    "test_page": {
        "zh": ["打印机测试页", "全角标点：，。、；：？！“”‘’（）【】《》…—￥", "０１２３４５６７８９"],
        "en": ["Printer test page", "全角标点：，。、；：？！“”‘’（）【】《》…—￥"],
    },
}
QR = {
    "queue_ticket": "https://hall.example/q/C023-20261123",
    "report_receipt": "https://hall.example/track/BBCS-20261123-0042",
    "notification_slip": "https://hall.example/guide/newborn",
    "test_page": "测试二维码 TEST-QR-0001",
}


def _squash(text: str) -> str:
    return "".join(text.split())


def test_every_template_is_covered():
    assert sorted(EXPECTED) == template_names()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("template", sorted(EXPECTED))
def test_template_decodes_back_to_text_and_qr(virtual_printer, driver, paper_mm, template, lang):
    result = driver.print_job(template, example_data(template), lang)
    assert result.printed, result.reason_key
    assert virtual_printer.wait_for_tickets(1)
    ticket = virtual_printer.tickets[0]
    assert ticket.cut == "partial" and ticket.complete
    for expected in EXPECTED[template][lang]:
        # a phrase may be wrapped (with a hanging indent): compare without whitespace
        assert _squash(expected) in _squash(ticket.text), expected
    assert ticket.qr_contents == [QR[template]]
    assert virtual_printer.unknown_commands == []
    columns = load_profile(f"generic-{paper_mm}").columns
    for line in ticket.lines:
        width = max(run.width for run in line.runs)
        assert display_width(line.text) * width <= columns, line.text


@pytest.mark.parametrize("paper_mm", [80])
def test_offline_receipt_variant_says_it_will_be_sent_later(virtual_printer, driver):
    data = {**example_data("report_receipt"), "offline": True}
    assert driver.print_job("report_receipt", data).printed
    assert virtual_printer.wait_for_tickets(1)
    ticket = virtual_printer.tickets[0]
    assert "K07-20261123-0003" in ticket.text
    assert "BBCS" not in ticket.text and "4821" not in ticket.text  # no code before the centre
    assert "网络恢复后将自动提交" in ticket.text.replace("\n", "")
    assert ticket.qr_contents == []  # nothing to track yet


@pytest.mark.parametrize("paper_mm", [80])
def test_qr_on_the_paper_png_reads_back_with_zbar(virtual_printer, driver):
    assert driver.print_job("queue_ticket", example_data("queue_ticket")).printed
    assert virtual_printer.wait_for_tickets(1)
    png = virtual_printer.last_png_path
    found = [s.data.decode() for s in zbar_decode(Image.open(png))]
    assert found == [QR["queue_ticket"]]


@pytest.mark.parametrize("paper_mm", [80, 58])
def test_printer_without_chinese_font_gets_images(virtual_printer, paper_mm):
    driver = PrinterDriver("network", {"host": "127.0.0.1", "port": virtual_printer.port},
                           profile=load_profile(f"generic-{paper_mm}-nocjk"),
                           status_timeout_s=0.3)
    try:
        result = driver.print_job("queue_ticket", example_data("queue_ticket"))
    finally:
        driver.close()
    assert result.printed
    payload = TicketRenderer(load_profile(f"generic-{paper_mm}-nocjk")).render_bytes(
        "queue_ticket", example_data("queue_ticket"))
    assert b"\x1c&" not in payload and b"\x1d(k" not in payload  # no Chinese mode, no native QR
    assert virtual_printer.wait_for_tickets(1)
    ticket = virtual_printer.tickets[0]
    assert "C023" in ticket.text  # ASCII stays text
    assert "婚姻" not in ticket.text and len(ticket.images) >= 5  # CJK lines came as pictures
    found = [s.data.decode() for s in zbar_decode(Image.open(virtual_printer.last_png_path))]
    assert found == [QR["queue_ticket"]]


def test_cjk_without_fs_ampersand_is_mojibake_on_a_strict_printer(tmp_path):
    """The virtual printer is as strict as a printer that boots outside Chinese mode: this is
    what python-escpos 3.1's text() would give, and why we do not use it for CJK."""
    from drivers.printer.virtual import VirtualPrinter

    vp = VirtualPrinter(tmp_path, render_png=False)
    vp.feed("婚姻登记\n".encode("gb18030") + b"\x1c&" + "婚姻登记\n".encode("gb18030") + b"\x1dV\x00")
    lines = vp.tickets[0].text.split("\n")
    assert lines[0] != "婚姻登记" and lines[1] == "婚姻登记"
