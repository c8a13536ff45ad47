"""Words for the reason keys the device drivers report: key -> (Chinese, English).

Drivers carry reason keys only (drivers never hold screen text); the kiosk shows and speaks
these words when a printer or the ID card reader has a problem.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # ---- printer (reason keys of drivers.printer: JobResult.reason_key, status reasons)
    "printer.paper_out": (
        "打印机缺纸，请在屏幕上查看或拍照保存",
        "The printer is out of paper; please see or photograph the screen",
    ),
    "printer.paper_near_end": ("打印纸即将用完", "Printer paper is running low"),
    "printer.cover_open": ("打印机盖未关好", "The printer cover is open"),
    "printer.offline": ("打印机暂停工作", "The printer is offline"),
    "printer.error": ("打印机故障", "The printer reports an error"),
    "printer.no_answer": ("打印机无响应", "The printer does not answer"),
    "printer.bad_answer": ("打印机状态异常", "The printer's status reply is not valid"),
    "printer.not_connected": ("打印机未连接", "The printer is not connected"),
    "printer.write_failed": ("打印数据发送失败", "Sending the ticket to the printer failed"),
    "printer.template_error": (
        "凭条模板有误，请联系工作人员",
        "The ticket template is faulty; please ask staff",
    ),
    # ---- ID card reader (reason keys of drivers.idcard: card_unreadable, reader_lost)
    "card.place_flat": (
        "请将证件平放在读卡区，不要移动",
        "Please lay the card flat on the reader and hold still",
    ),
    "card.try_again": (
        "读卡未成功，请拿起证件后重新放置",
        "Could not read the card, please lift it and place it again",
    ),
    "card.invalid": (
        "证件信息无法核验，请到人工窗口办理",
        "This card could not be verified; please go to a staffed window",
    ),
    "card.unsupported": (
        "暂不支持此类证件，请到人工窗口办理",
        "This type of card is not supported; please go to a staffed window",
    ),
    "reader.not_found": ("读卡器未连接", "The card reader is not connected"),
    "reader.permission_denied": ("无权打开读卡器端口，请检查设备权限",
                                 "No permission to open the card reader's port; check the "
                                 "device permissions"),
    "reader.no_answer": ("读卡器无响应", "The card reader does not answer"),
    "reader.no_frames": ("读卡器数据无法识别，请检查波特率设置",
                         "No valid frames from the card reader; check the baud rate"),
    "reader.io_error": ("读卡器连接中断", "The connection to the card reader was lost"),
    "reader.sam_error": ("读卡器安全模块故障", "The card reader's security module reports a fault"),
}
