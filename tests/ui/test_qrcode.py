"""The on-screen QR (QrCode.qml + the qr image provider) read back from a window grab with zbar."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import QObject, QUrl  # noqa: E402
from PySide6.QtQuick import QQuickView  # noqa: E402
from pyzbar.pyzbar import decode as zbar_decode  # noqa: E402

import kiosk.ui.qr  # noqa: E402

QML = ROOT / "kiosk" / "ui" / "qml" / "components" / "QrCode.qml"
LOOK_DIR = Path("/tmp/printer-look")


def _show(qtbot, text: str, caption: str, qr_size: int, window=(420, 480)) -> QQuickView:
    view = QQuickView()
    kiosk.ui.qr.install(view.engine())
    view.setResizeMode(QQuickView.ResizeMode.SizeRootObjectToView)
    view.setInitialProperties({"text": text, "caption": caption, "qrSize": qr_size})
    view.setSource(QUrl.fromLocalFile(str(QML)))
    assert view.status() == QQuickView.Status.Ready, view.errors()
    view.resize(*window)
    view.show()
    qtbot.waitExposed(view)
    return view


def _grab(view: QQuickView) -> Image.Image:
    image = view.grabWindow()
    assert not image.isNull()
    buffer = image.convertToFormat(image.Format.Format_RGB888)
    data = bytes(buffer.constBits())[: buffer.sizeInBytes()]
    return Image.frombuffer("RGB", (buffer.width(), buffer.height()), data, "raw", "RGB",
                            buffer.bytesPerLine(), 1)


@pytest.mark.parametrize(
    ("text", "qr_size"),
    [("https://hall.example/q/C023-20261123", 280), ("https://hall.example/track/BBCS-1", 123),
     ("KIOSK-K07 C023 1234567890", 200)],
)
def test_qr_on_screen_reads_back(qtbot, text, qr_size):
    view = _show(qtbot, text, "扫码手机查看排队进度 Scan to follow the queue", qr_size)
    try:
        grab = _grab(view)
        if qr_size == 280:
            LOOK_DIR.mkdir(parents=True, exist_ok=True)
            grab.save(LOOK_DIR / "qr-component.png")
        found = [symbol.data.decode("utf-8") for symbol in zbar_decode(grab)]
        assert found == [text]
        count = kiosk.ui.qr.module_count(text)
        scale = qr_size // count
        # crisp: only the two colours, no grey anti-aliasing at module edges
        colours = {c for _, c in grab.convert("L").crop(_qr_box(view, qr_size)).getcolors()}
        assert colours <= {0, 255}
        assert scale >= 1
    finally:
        view.close()


def _qr_box(view: QQuickView, qr_size: int) -> tuple[int, int, int, int]:
    left = round((view.width() - qr_size) / 2)
    return (left, 0, left + qr_size, qr_size)


def test_empty_or_too_long_text_shows_no_code(qtbot):
    view = _show(qtbot, "", "", 200)
    try:
        assert zbar_decode(_grab(view)) == []
        view.rootObject().setProperty("text", "x" * 5000)  # beyond QR capacity
        assert zbar_decode(_grab(view)) == []
        view.rootObject().setProperty("text", "OK-123")
        assert [s.data.decode() for s in zbar_decode(_grab(view))] == ["OK-123"]
    finally:
        view.close()


def test_text_with_url_characters_reaches_the_code_unchanged(qtbot):
    """The text travels in the image URL: '%', '/', '#', '?' and Chinese must arrive intact."""
    text = "https://hall.example/q/C023?a=1&b=%41#x 办事"
    view = _show(qtbot, text, "", 320)
    try:
        assert [s.data.decode("utf-8") for s in zbar_decode(_grab(view))] == [text]
    finally:
        view.close()


ISOLATED = "HALL_KIOSK_QR_LEAK_ISOLATED"


@pytest.mark.skipif(bool(os.environ.get(ISOLATED)), reason="this is the isolated run itself")
def test_codes_shown_again_and_again_leave_no_python_objects_behind_in_a_fresh_process():
    """The object count below is taken in a fresh interpreter: in the suite's own process the
    garbage of earlier tests' QML engines is counted too, and a gc.collect() after the two
    keyboard tests' engines has crashed in PySide6 6.11 (a test-process artifact: the kiosk
    runs one engine for its lifetime, and the soak shows tickets, QR codes and the keyboard
    thousands of times in one process)."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         f"{__file__}::test_codes_shown_again_and_again_leave_no_python_objects_behind"],
        capture_output=True, text=True, timeout=180, cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, ISOLATED: "1"})
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "1 passed" in done.stdout


@pytest.mark.skipif(not os.environ.get(ISOLATED), reason="runs in a fresh process (see above)")
def test_codes_shown_again_and_again_leave_no_python_objects_behind(qtbot, tmp_path):
    """One QR per ticket, receipt and guide screen, thousands a month. PySide6 never frees the
    Python object of a Python item type that QML created, so the QR must not be one (it was:
    one object, its colours and its module matrix kept per code shown)."""
    import gc

    scene = tmp_path / "Codes.qml"
    scene.write_text(
        "import QtQuick\n"
        "Item { width: 320; height: 360; property int shown: 0\n"
        f"  Loader {{ objectName: 'codes'; active: shown % 2 === 1; source: '{QML.as_uri()}'\n"
        "    onLoaded: item.text = 'https://hall.example/q/C' + shown } }\n", encoding="utf-8")
    view = QQuickView()
    kiosk.ui.qr.install(view.engine())
    view.setSource(QUrl.fromLocalFile(str(scene)))
    assert view.status() == QQuickView.Status.Ready, view.errors()
    view.show()
    qtbot.waitExposed(view)
    loader = view.rootObject().findChild(QObject, "codes")

    def show_and_hide(times: int) -> None:
        for _ in range(times):
            for _ in range(2):
                view.rootObject().setProperty("shown", view.rootObject().property("shown") + 1)
            qtbot.waitUntil(lambda: loader.property("item") is None)
            qtbot.wait(1)  # the event loop runs the Loader's deferred deletion

    try:
        # The first window fills one-off caches (ABC and type caches of modules first used
        # here: their number depends on what the test process imported before); a leak grows
        # in every window, so the second one is the measure.
        show_and_hide(10)
        growth = []
        for _window in range(2):
            gc.collect()
            before = len(gc.get_objects())
            show_and_hide(60)
            gc.collect()
            growth.append(len(gc.get_objects()) - before)
        assert growth[1] < 30, growth  # the old item left >= 4 per code
    finally:
        view.close()
