"""The on-screen QR: crisp integer-scaled modules and a 4-module quiet zone, drawn by Python
into an image that QML shows through the ``image://qr/`` provider (components/QrCode.qml).

Why an image provider and not a QQuickItem type defined in Python: PySide6 6.11 never frees
the Python object of a Python item type created by QML, even after QML destroyed the item. One
QR per ticket, receipt and guide screen then kept its object and module matrix for good, about
10 KB per citizen session (the soak's RSS growth). The provider is one object for the engine's
lifetime; the images it returns are plain QImages that Qt frees.
"""

from __future__ import annotations

from urllib.parse import unquote

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtQml import QQmlEngine
from PySide6.QtQuick import QQuickImageProvider

PROVIDER = "qr"  # QML: "image://qr/<dark>/<light>/<level>/<encodeURIComponent(text)>"


def modules_of(text: str, level: str = "M") -> tuple[tuple[bool, ...], ...]:
    """The code's modules, or none for empty text or text beyond a QR's capacity (nothing is
    shown rather than a wrong code)."""
    if not text:
        return ()
    # Imported on the first code drawn: the provider is installed before the home screen's
    # first frame, and the qrcode library costs ~33 ms of it.
    from drivers.qr.matrix import QrDataError, qr_matrix

    try:
        return qr_matrix(text, level.upper()).modules
    except QrDataError:
        return ()


def module_count(text: str, level: str = "M") -> int:
    """Modules per side including the quiet zone (0 when there is nothing to show)."""
    from drivers.qr.matrix import QUIET_ZONE_MODULES

    modules = modules_of(text, level)
    return len(modules) + 2 * QUIET_ZONE_MODULES if modules else 0


def qr_image(text: str, side_px: int, dark: QColor, light: QColor, level: str = "M") -> QImage:
    """A ``side_px`` square: whole-pixel modules, no smoothing (a phone camera reads a blurred
    QR badly, and elderly citizens hold phones at odd angles), centred, transparent around."""
    from PySide6.QtCore import QRect, Qt  # here, not at import: Qt's enums cost ~16 ms at start
    from PySide6.QtGui import QPainter

    image = QImage(max(1, side_px), max(1, side_px), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    modules = modules_of(text, level)
    if not modules:
        return image
    from drivers.qr.matrix import QUIET_ZONE_MODULES

    count = len(modules) + 2 * QUIET_ZONE_MODULES
    scale = max(1, side_px // count)
    qr_px = count * scale
    left = top = (side_px - qr_px) // 2
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.fillRect(QRect(left, top, qr_px, qr_px), light)
    offset = QUIET_ZONE_MODULES * scale
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            run = x
            while run < len(row) and row[run]:
                run += 1
            painter.fillRect(left + offset + x * scale, top + offset + y * scale,
                             (run - x) * scale, scale, dark)
            x = run
    painter.end()
    return image


class QrImageProvider(QQuickImageProvider):
    """Answers ``image://qr/<dark>/<light>/<level>/<text>`` at the Image's sourceSize."""

    DEFAULT_SIDE = 280

    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, image_id: str, size: QSize, requested: QSize) -> QImage:
        dark, light, level, text = [*image_id.split("/", 3), "", "", "", ""][:4]
        side = min(requested.width(), requested.height()) if requested.isValid() else 0
        image = qr_image(unquote(text), side if side > 0 else self.DEFAULT_SIDE,
                         QColor("#" + dark) if dark else QColor("black"),
                         QColor("#" + light) if light else QColor("white"), level or "M")
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image


def install(engine: QQmlEngine) -> None:
    """Give a QML engine the ``qr`` image provider (once, before QML that shows a QR loads)."""
    engine.addImageProvider(PROVIDER, QrImageProvider())
