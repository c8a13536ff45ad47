"""RFC 9457 problem details: the one JSON shape of every error the centre answers.

Each problem carries a stable ``reason`` key (e.g. ``ticket.quota_gone``) that the kiosk maps to
plain words in Chinese and English, plus ``title`` (en) and ``title_zh`` for people reading logs.
"""

from __future__ import annotations

from typing import Any

PROBLEM_TYPE_BASE = "urn:hall-kiosk:problem:"
MEDIA_TYPE = "application/problem+json"

# reason -> (http status, zh, en)
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "auth.missing": (401, "缺少访问令牌", "No access token was sent"),
    "auth.invalid": (401, "访问令牌无效", "The access token is not valid"),
    "auth.revoked": (401, "本机的访问令牌已被停用，请联系管理员",
                     "This kiosk's token was revoked; please contact the administrator"),
    "auth.staff_only": (403, "仅限工作人员操作", "Staff only"),
    "auth.wrong_kiosk": (403, "令牌不属于该自助终端", "The token belongs to another kiosk"),
    "request.invalid": (422, "请求内容不正确", "The request is not valid"),
    "request.too_large": (413, "请求内容过大", "The request body is too large"),
    "request.timeout": (408, "请求发送超时", "The request was not received in time"),
    "request.idempotency_key_missing": (422, "缺少幂等键（Idempotency-Key）",
                                        "An Idempotency-Key header is required"),
    "request.idempotency_mismatch": (409, "同一幂等键对应了不同的请求",
                                     "This Idempotency-Key was used for a different request"),
    "not_found": (404, "未找到", "Not found"),
    "config.none": (404, "尚未发布配置", "No configuration has been published yet"),
    "matter.unknown": (404, "没有这个事项", "There is no such matter"),
    "matter.no_queue": (422, "该事项为自助办理，无需取号",
                        "This matter is self-service; no queue number is needed"),
    "ticket.closed": (409, "该事项现在不办理", "This matter is not served now"),
    "ticket.quota_gone": (409, "今天的号已经取完了", "Today's numbers are all gone"),
    "ticket.rate_limited": (429, "本机取号过于频繁，请稍后再试",
                            "This kiosk is taking numbers too quickly; try again shortly"),
    "ticket.person_limit": (409, "您今天已多次取过该事项的号",
                            "You have taken numbers for this matter several times today"),
    "ticket.unknown": (404, "没有这个号", "There is no such ticket"),
    "appointment.unknown": (404, "预约码不正确", "This appointment code is not known"),
    "appointment.not_today": (409, "该预约不是今天的", "This appointment is not for today"),
    "appointment.wrong_matter": (409, "该预约不是这个事项的", "This appointment is for another matter"),
    "appointment.not_offered": (422, "该事项不接受预约", "This matter takes no appointments"),
    "queue.empty": (404, "没有等候的号", "Nobody is waiting"),
    "hall.unknown": (404, "没有这个大厅", "There is no such hall"),
    "window.unknown": (404, "没有这个窗口", "There is no such window"),
    "window.paused": (409, "该窗口已暂停叫号", "This window is paused"),
    "window.idle": (409, "该窗口当前没有叫到的号", "This window has no called ticket"),
    "window.busy": (409, "目标窗口正在办理另一个号", "The other window is serving a ticket"),
    "ticket.recall_first": (409, "请先重呼，达到次数后才能标记过号",
                            "Recall the number first; no-show comes after the set recalls"),
    "request.rate_limited": (429, "请求太频繁，请稍后再试", "Too many requests; try again shortly"),
    "report.unknown": (404, "没有这个反映编号", "There is no report with this number"),
    "report.lookup_limited": (429, "查询过于频繁，请稍后再试",
                              "Too many look-ups from this kiosk; try again shortly"),
    "report.wrong_step": (409, "办理步骤顺序不对", "This step does not follow the current one"),
    "help_call.unknown": (404, "没有这个呼叫", "There is no such help call"),
    "kiosk.unknown": (404, "没有这台自助终端", "There is no such kiosk"),
    "server.error": (500, "服务器出错了", "The server had an error"),
    "server.unavailable": (503, "服务暂时不可用", "The service is unavailable for now"),
    "server.busy": (503, "服务器繁忙，请稍后再试", "The server is busy; try again shortly"),
}


class Problem(Exception):
    """An error answer; raise it anywhere in the service and the app renders RFC 9457 JSON."""

    def __init__(self, reason: str, detail: str = "", *, status: int | None = None,
                 **extensions: Any) -> None:
        default_status, zh, en = PROBLEMS.get(reason, (status or 400, reason, reason))
        self.reason = reason
        self.status = status or default_status
        self.title = en
        self.title_zh = zh
        self.detail = detail or en
        self.extensions = extensions
        super().__init__(f"{reason}: {self.detail}")

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + self.reason,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "reason": self.reason,
            "title_zh": self.title_zh,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extensions)
        return body
