"""An integrated service prints one slip with one merged materials checklist."""

from drivers.printer.profiles import load_profile
from drivers.printer.render import TicketRenderer
from drivers.printer.slips import notification_slip_data
from drivers.printer.virtual import VirtualPrinter


def _matter(name, materials, **guide):
    return {"id": name, "name": name, "name_en": f"{name}-en",
            "guide": {"conditions": [f"{name}条件"], "conditions_en": ["cond"],
                      "materials": materials, "time_limit": "当场办结", "fee": "免费",
                      "place": "一楼", "hours_text": "工作日", "online_url": f"https://g/{name}",
                      **guide}}


ID_CARD = {"name": "居民身份证", "name_en": "Resident ID card", "originals": 1, "copies": 1}


def test_integrated_slip_merges_materials_and_prints_once(tmp_path):
    matters = [
        _matter("出生医学证明", [ID_CARD, {"name": "出生证", "originals": 1, "copies": 0}]),
        _matter("新生儿落户", [{**ID_CARD, "copies": 2, "note": "父母双方"}]),
    ]
    data = notification_slip_data(matters, "某中心", "Centre", "2026-11-23 10:00",
                                  title="出生一件事", title_en="Newborn",
                                  online_url="https://g/newborn")
    names = [m["name"] for m in data["materials"]]
    assert names == ["居民身份证", "出生证"]  # the ID card once, not twice
    assert data["materials"][0]["copies"] == 2 and data["materials"][0]["note"] == "父母双方"
    payload = TicketRenderer(load_profile("generic-58")).render_bytes("notification_slip", data)
    vp = VirtualPrinter(tmp_path, paper_mm=58, render_png=False)
    (ticket,) = vp.read_file(_write(tmp_path, payload))
    text = "".join(ticket.text.split())
    assert text.count("□居民身份证") == 1
    assert "出生医学证明" in text and "新生儿落户" in text and "一件事一次办" in text
    assert ticket.qr_contents == ["https://g/newborn"]


def test_single_matter_slip_uses_its_own_guide_url(tmp_path):
    data = notification_slip_data([_matter("婚姻登记", [ID_CARD])], "某中心", "Centre", "t")
    assert data["integrated"] is False and data["title"] == "婚姻登记"
    assert data["online_url"] == "https://g/婚姻登记"


def _write(tmp_path, payload):
    path = tmp_path / "slip.bin"
    path.write_bytes(payload)
    return path
