"""The floor for start-up figures: a bare Qt Quick window showing two lines of text.

The lines are Chinese in Noto Sans CJK SC, one regular and one bold, like the kiosk's home
screen, so both pay for the same two font faces; nothing else is loaded (no Controls, no
Layouts, no project module). Prints {"startup_ms", "rss_mb", "cpu_ms"} at the first frame, measured the
same way as main.py --smoke (kernel process start time, peak RSS).
"""

from __future__ import annotations

import json
import os
import resource
import time

from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine

QML = """import QtQuick
Window {
    width: 1080; height: 1920; visible: true
    Column {
        anchors.centerIn: parent
        Text { font.family: "Noto Sans CJK SC"; font.pixelSize: 56; font.bold: true
               text: "政务服务中心" }
        Text { font.family: "Noto Sans CJK SC"; font.pixelSize: 40
               text: "24小时自助服务区 Government Service Centre" }
    }
}"""


def process_age_ms() -> float:
    """Milliseconds since this process was created: a copy of kiosk.app.process_age_ms, so the
    floor does not import (and pay for) the kiosk's own modules."""
    with open("/proc/self/stat", "rb") as stat:
        start_ticks = int(stat.read().rsplit(b")", 1)[1].split()[19])
    started = start_ticks / os.sysconf("SC_CLK_TCK")
    return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000


def main() -> None:
    app = QGuiApplication([])
    engine = QQmlApplicationEngine()
    engine.loadData(QML.encode("utf-8"))
    window = engine.rootObjects()[0]

    def first_frame() -> None:
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cpu = os.times()
        print(json.dumps({"startup_ms": round(process_age_ms()), "rss_mb": round(rss_mb, 1),
                          "cpu_ms": round((cpu.user + cpu.system) * 1000)}))
        app.quit()

    window.frameSwapped.connect(first_frame)
    app.exec()


if __name__ == "__main__":
    main()
