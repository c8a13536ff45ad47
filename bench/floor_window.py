"""The floor for start-up figures: a bare Qt Quick window showing one line of text.

The line is Chinese in Noto Sans CJK SC, like the kiosk's, so both pay for the same font.
Prints {"startup_ms", "rss_mb"} at the first frame, measured the same way as main.py --smoke.
"""

from __future__ import annotations

import json
import resource

from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine

from kiosk.app import process_age_ms

QML = """import QtQuick
Window {
    width: 1080; height: 1920; visible: true
    Text { anchors.centerIn: parent; font.family: "Noto Sans CJK SC"; font.pixelSize: 40
           text: "政务服务中心 Government Service Centre" }
}"""


def main() -> None:
    app = QGuiApplication([])
    engine = QQmlApplicationEngine()
    engine.loadData(QML.encode("utf-8"))
    window = engine.rootObjects()[0]

    def first_frame() -> None:
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"startup_ms": round(process_age_ms()), "rss_mb": round(rss_mb, 1)}))
        app.quit()

    window.frameSwapped.connect(first_frame)
    app.exec()


if __name__ == "__main__":
    main()
