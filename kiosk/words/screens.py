"""Words the flow screens show around the flows' own prompts: id -> (zh, en).

Search fields, places, keypad labels, review rows: what a QML flow screen needs that is not a
state of a flow (those are in kiosk.words.flows).
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "flow.no_catalogue": ("本机还没有收到服务事项配置，请稍后再试或呼叫工作人员",
                          "This kiosk has not received the list of services yet. Please try "
                          "again shortly or call staff"),
    "flow.search": ("搜索事项（可输入拼音首字母，如 hyd）",
                    "Search (pinyin initials work, e.g. hyd)"),
    "flow.no_match": ("没有找到相关事项，请换个词或返回选择区域",
                      "Nothing found. Try another word or go back to the areas"),
    "flow.more_below": ("向下还有更多", "More below"),
    "flow.floor_zone": ("{floor}楼 · {location}", "Floor {floor} · {location}"),
    "flow.windows": ("{windows}号窗口", "Windows {windows}"),
    "flow.self_service": ("自助办理", "Self-service"),
    "flow.card_read": ("已读取身份证：{name}", "ID card read: {name}"),
    "flow.reader_unavailable": ("读卡器暂时不能使用，您可以不放身份证继续办理",
                                "The ID card reader is not working right now; you can go on "
                                "without your card"),
    "flow.disability_on": ("已选择残疾人优先（点此取消）",
                           "Disability priority chosen (tap to undo)"),
    "flow.checking_printer": ("正在检查打印机……", "Checking the printer…"),
    "flow.printer_ready": ("打印机正常，取号后将打印排队凭条",
                           "The printer is ready: your ticket will be printed"),
    "flow.your_matter": ("您要办理：{matter}", "Your matter: {matter}"),
    "flow.place": ("办理地点：{floor}楼 {zone} {windows}", "Where: floor {floor}, {zone}, {windows}"),
    "flow.place_zone": ("办理地点：{floor}楼 {zone}", "Where: floor {floor}, {zone}"),
    "flow.come_back_hours": ("办理时间：{hours}", "Hours: {hours}"),
    "flow.staffed_hours": ("大厅人工服务时间：{hours}", "Staffed hours of the hall: {hours}"),
    "flow.still_works": ("现在仍可使用：", "What still works now:"),
    "flow.home_now": ("返回首页", "Back to home"),
    "flow.other_matter": ("选择其他事项", "Choose another matter"),
    "report.edit": ("修改", "Change"),
    "report.review.identify": ("登记方式", "Identified by"),
    "report.review.matter": ("事项", "Matter"),
    "report.review.situation": ("情况", "What happened"),
    "report.review.describe": ("说明", "Description"),
    "report.review.contact": ("联系电话", "Contact number"),
    "progress.tracking_keypad": ("回执编号后12位数字", "The 12 digits after R"),
    "report.tracking_label": ("回执编号", "Tracking number"),
    "help.location": ("本机位置：{location}", "This kiosk: {location}"),
    "help.back_to_flow": ("好的，返回", "OK, go back"),
    "evaluation.window_keypad": ("窗口号", "Window number"),
    "evaluation.clear": ("清除", "Clear"),
    "evaluation.next": ("下一步", "Next"),
    "evaluation.home_soon": ("{seconds}秒后自动返回首页", "Back to home in {seconds} s"),
}
