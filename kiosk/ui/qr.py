"""QrCodeItem: a crisp on-screen QR (integer-scaled modules, 4-module quiet zone) for QML."""

from __future__ import annotations

from PySide6.QtCore import Property, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtQml import QmlElement
from PySide6.QtQuick import QQuickPaintedItem

from drivers.qr.matrix import QUIET_ZONE_MODULES, QrDataError, qr_matrix

QML_IMPORT_NAME = "Kiosk.Native"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
class QrCodeItem(QQuickPaintedItem):
    """Paints whole-pixel modules with no smoothing: a phone camera reads a blurred QR badly,
    and elderly citizens hold phones at odd angles. Centered in the item; unused space is
    lightColor so the quiet zone is never cut off."""

    textChanged = Signal()
    colorsChanged = Signal()
    errorCorrectionChanged = Signal()
    moduleCountChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._text = ""
        self._ec = "M"
        self._dark = QColor("black")
        self._light = QColor("white")
        self._modules: tuple[tuple[bool, ...], ...] = ()
        self.setAntialiasing(False)
        self.setOpaquePainting(False)

    # ------------------------------------------------------------------ properties
    def _get_text(self) -> str:
        return self._text

    def _set_text(self, value: str) -> None:
        if value == self._text:
            return
        self._text = value
        self._rebuild()
        self.textChanged.emit()

    text = Property(str, _get_text, _set_text, notify=textChanged)

    def _get_ec(self) -> str:
        return self._ec

    def _set_ec(self, value: str) -> None:
        if value.upper() == self._ec:
            return
        self._ec = value.upper()
        self._rebuild()
        self.errorCorrectionChanged.emit()

    errorCorrection = Property(str, _get_ec, _set_ec, notify=errorCorrectionChanged)

    def _get_dark(self) -> QColor:
        return self._dark

    def _set_dark(self, value: QColor) -> None:
        self._dark = QColor(value)
        self.colorsChanged.emit()
        self.update()

    darkColor = Property(QColor, _get_dark, _set_dark, notify=colorsChanged)

    def _get_light(self) -> QColor:
        return self._light

    def _set_light(self, value: QColor) -> None:
        self._light = QColor(value)
        self.colorsChanged.emit()
        self.update()

    lightColor = Property(QColor, _get_light, _set_light, notify=colorsChanged)

    def _get_module_count(self) -> int:
        """Modules per side including the quiet zone (0 when there is nothing to show)."""
        return len(self._modules) + 2 * QUIET_ZONE_MODULES if self._modules else 0

    moduleCount = Property(int, _get_module_count, notify=moduleCountChanged)

    def _rebuild(self) -> None:
        try:
            self._modules = qr_matrix(self._text, self._ec).modules if self._text else ()
        except QrDataError:
            self._modules = ()  # too long or bad level: show nothing rather than a wrong code
        self.moduleCountChanged.emit()
        self.update()

    # ---------------------------------------------------------------------- paint
    def paint(self, painter: QPainter) -> None:
        if not self._modules:
            return
        count = len(self._modules) + 2 * QUIET_ZONE_MODULES
        side_px = int(min(self.width(), self.height()))
        scale = max(1, side_px // count)
        qr_px = count * scale
        left = int((self.width() - qr_px) // 2)
        top = int((self.height() - qr_px) // 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.fillRect(QRectF(left, top, qr_px, qr_px), self._light)
        offset = QUIET_ZONE_MODULES * scale
        for y, row in enumerate(self._modules):
            x = 0
            while x < len(row):
                if not row[x]:
                    x += 1
                    continue
                run = x
                while run < len(row) and row[run]:
                    run += 1
                painter.fillRect(left + offset + x * scale, top + offset + y * scale,
                                 (run - x) * scale, scale, self._dark)
                x = run
