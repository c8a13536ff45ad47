"""Words of the shell and home screen: message id -> (Chinese, English).

QML refers to these by id with qsTrId(); `python -m kiosk.ui.i18n` turns kiosk.words (this
table and the others) into Qt .ts files and compiled .qm translations under assets/i18n/.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "app.title": ("政务服务自助终端", "Government service kiosk"),
    "nav.home": ("首页", "Home"),
    "nav.back": ("返回", "Back"),
    # The home tile's words (entry.help) on two lines: the top bar has five buttons.
    "nav.help": ("呼叫", "Call"),
    "nav.help.who": ("工作人员", "staff"),
    "nav.language": ("English", "中文"),
    "nav.language.hint": ("切换到英文", "Switch to Chinese"),
    "nav.elder": ("长者模式", "Elder mode"),
    "nav.elder.on": ("已开", "on"),
    "nav.elder.off": ("已关", "off"),
    "home.welcome": ("欢迎使用24小时自助服务", "Welcome to 24-hour self-service"),
    "home.choose": ("请选择您要办理的事项", "Please choose what you need"),
    "home.notices": ("公告", "Notices"),
    "home.card_hint": ("可随时将身份证放在读卡区", "You may place your ID card on the reader at any time"),
    "entry.ticket": ("取号", "Take a number"),
    "entry.ticket.sub": ("排队叫号 · 预约签到", "Queue ticket · appointment check-in"),
    "entry.report": ("办不成事反映", "Could not get it done?"),
    "entry.report.sub": ("事情没办成，告诉我们", "Tell us what went wrong"),
    "entry.guide": ("办事指南", "Service guides"),
    "entry.guide.sub": ("材料清单 · 一次性告知单", "Materials · one-time checklist"),
    "entry.progress": ("进度查询", "Check progress"),
    "entry.progress.sub": ("查询反映的办理进度", "Follow up on a report"),
    "entry.evaluation": ("服务评价", "Rate our service"),
    "entry.evaluation.sub": ("好差评", "Good or bad, tell us"),
    "entry.help": ("呼叫工作人员", "Call staff"),
    "entry.help.sub": ("工作人员将前来协助", "A staff member will come to help"),
    "soon.title": ("即将开放", "Coming soon"),
    "soon.body": ("此功能正在准备中，请先使用其他服务或呼叫工作人员。",
                  "This service is being prepared. Please use another service or call staff."),
    "idle.title": ("还需要更多时间吗？", "Need more time?"),
    "idle.body": ("%1 秒后将返回首页，您输入的信息将被清除。",
                  "Returning to the home screen in %1 s; what you entered will be cleared."),
    "idle.more": ("需要，继续办理", "Yes, I need more time"),
    "idle.done": ("不用了，返回首页", "No, back to home"),
    "voice.test": ("语音测试：欢迎使用政务服务自助终端。", "Voice test: welcome to the self-service kiosk."),
    "status.offline": ("暂时无法连接服务中心，取号暂停，其他服务可用。",
                       "The service centre cannot be reached: queue numbers are paused; other services work."),
    "status.printer": ("打印机暂不可用，凭条将显示在屏幕上。",
                       "The printer is unavailable: receipts will be shown on screen."),
}
