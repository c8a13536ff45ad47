"""Words for the reason keys the kiosk's services report: key -> (Chinese, English).

The central client's errors, the outbox's verdicts and the configuration sync's rejections
carry a reason key; flows and the maintenance menu show these words for it.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # ---- the centre's answers (CentralError.reason)
    "central.offline": ("暂时连不上服务中心，请稍后再试", "Cannot reach the service centre right now"),
    "central.server_error": ("服务中心出了故障，请稍后再试或找工作人员",
                             "The service centre has a fault; try later or ask staff"),
    "central.bad_answer": ("服务中心的回复无法识别，请找工作人员",
                           "The service centre's answer could not be understood; please ask staff"),
    "auth.missing": ("本机未配置访问令牌，请联系管理员",
                     "This kiosk has no access token; call the administrator"),
    "auth.invalid": ("本机的访问令牌无效，请联系管理员",
                     "This kiosk's access token is not valid; call the administrator"),
    "auth.revoked": ("本机的访问令牌已被停用，请联系管理员",
                     "This kiosk's access token was revoked; call the administrator"),
    "ticket.closed": ("该事项现在不办理", "This matter is not served now"),
    "ticket.quota_gone": ("今天的号已经取完了", "Today's numbers are all gone"),
    "matter.unknown": ("没有这个事项", "There is no such matter"),
    "matter.no_queue": ("该事项为自助办理，无需取号", "This matter is self-service; no number needed"),
    "appointment.unknown": ("预约码不正确", "This appointment code is not known"),
    "appointment.not_today": ("该预约不是今天的", "This appointment is not for today"),
    "appointment.wrong_matter": ("该预约不是这个事项的", "This appointment is for another matter"),
    "appointment.not_offered": ("该事项不接受预约", "This matter takes no appointments"),
    "ticket.unknown": ("没有这个号", "There is no such ticket"),
    "report.unknown": ("没有这个反映编号", "There is no report with this number"),
    "ticket.rate_limited": ("本机刚刚连续取了很多号，请过一分钟再试",
                            "This kiosk has just given out many numbers; please try again in a "
                            "minute"),
    "ticket.person_limit": ("您今天已为该事项取过号，不能再取", "You have already taken numbers "
                            "for this matter today"),
    "central.busy": ("服务中心正忙，请稍后再试", "The service centre is busy; please try again "
                     "shortly"),
    "request.invalid": ("填写的内容不正确", "Some of the details are not valid"),
    "request.idempotency_mismatch": ("请求重复但内容不同", "A repeated request had different content"),
    # ---- the outbox (OutboxError.reason)
    "outbox.saved": ("已保存，将自动发送到服务中心", "Saved; it will be sent to the service centre"),
    "outbox.sent": ("已送达服务中心", "Delivered to the service centre"),
    "outbox.failed": ("服务中心未接收，请联系工作人员", "The service centre refused it; please ask staff"),
    "outbox.disk_error": ("本机存储出错，未能保存，请找工作人员",
                          "This kiosk could not save it; please ask staff"),
    "outbox.private_data": ("内容中含有证件号码（身份证、护照或通行证），请删除后再提交",
                            "The text contains an ID, passport or permit number; "
                            "please remove it and submit again"),
    # ---- configuration sync (ConfigSync.bundleRejected reasons)
    "config.bad_signature": ("配置签名不正确，已拒绝并继续使用原配置",
                             "Configuration signature is wrong; rejected, old configuration kept"),
    "config.malformed": ("配置文件格式不正确，已拒绝", "Configuration is malformed; rejected"),
    "config.invalid": ("配置内容有误，已拒绝", "Configuration content is invalid; rejected"),
    "config.older_version": ("收到旧版本配置，已忽略", "An older configuration was ignored"),
    "config.no_key": ("本机未配置验签公钥", "No public key configured to verify configuration"),
    "config.none": ("尚未收到服务中心的配置", "No configuration received from the centre yet"),
}
