<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message id="app.title">
        <source>政务服务自助终端</source>
        <translation>政务服务自助终端</translation>
    </message>
    <message id="appointment.not_offered">
        <source>该事项不接受预约</source>
        <translation>该事项不接受预约</translation>
    </message>
    <message id="appointment.not_today">
        <source>该预约不是今天的</source>
        <translation>该预约不是今天的</translation>
    </message>
    <message id="appointment.unknown">
        <source>预约码不正确</source>
        <translation>预约码不正确</translation>
    </message>
    <message id="appointment.wrong_matter">
        <source>该预约不是这个事项的</source>
        <translation>该预约不是这个事项的</translation>
    </message>
    <message id="auth.invalid">
        <source>本机的访问令牌无效，请联系管理员</source>
        <translation>本机的访问令牌无效，请联系管理员</translation>
    </message>
    <message id="auth.missing">
        <source>本机未配置访问令牌，请联系管理员</source>
        <translation>本机未配置访问令牌，请联系管理员</translation>
    </message>
    <message id="auth.revoked">
        <source>本机的访问令牌已被停用，请联系管理员</source>
        <translation>本机的访问令牌已被停用，请联系管理员</translation>
    </message>
    <message id="card.invalid">
        <source>证件信息无法核验，请到人工窗口办理</source>
        <translation>证件信息无法核验，请到人工窗口办理</translation>
    </message>
    <message id="card.place_flat">
        <source>请将证件平放在读卡区，不要移动</source>
        <translation>请将证件平放在读卡区，不要移动</translation>
    </message>
    <message id="card.try_again">
        <source>读卡未成功，请拿起证件后重新放置</source>
        <translation>读卡未成功，请拿起证件后重新放置</translation>
    </message>
    <message id="card.unsupported">
        <source>暂不支持此类证件，请到人工窗口办理</source>
        <translation>暂不支持此类证件，请到人工窗口办理</translation>
    </message>
    <message id="central.bad_answer">
        <source>服务中心的回复无法识别，请找工作人员</source>
        <translation>服务中心的回复无法识别，请找工作人员</translation>
    </message>
    <message id="central.busy">
        <source>服务中心正忙，请稍后再试</source>
        <translation>服务中心正忙，请稍后再试</translation>
    </message>
    <message id="central.offline">
        <source>暂时连不上服务中心，请稍后再试</source>
        <translation>暂时连不上服务中心，请稍后再试</translation>
    </message>
    <message id="central.server_error">
        <source>服务中心出了故障，请稍后再试或找工作人员</source>
        <translation>服务中心出了故障，请稍后再试或找工作人员</translation>
    </message>
    <message id="common.abort">
        <source>返回首页</source>
        <translation>返回首页</translation>
    </message>
    <message id="common.back">
        <source>上一步</source>
        <translation>上一步</translation>
    </message>
    <message id="common.cancel">
        <source>取消</source>
        <translation>取消</translation>
    </message>
    <message id="common.done">
        <source>完成</source>
        <translation>完成</translation>
    </message>
    <message id="common.error">
        <source>出了点问题</source>
        <translation>出了点问题</translation>
    </message>
    <message id="common.help">
        <source>呼叫工作人员</source>
        <translation>呼叫工作人员</translation>
    </message>
    <message id="common.home">
        <source>返回首页</source>
        <translation>返回首页</translation>
    </message>
    <message id="common.next">
        <source>下一步</source>
        <translation>下一步</translation>
    </message>
    <message id="common.offer_elder_mode">
        <source>需要大字和语音吗？点这里打开长者模式</source>
        <translation>需要大字和语音吗？点这里打开长者模式</translation>
    </message>
    <message id="common.retry">
        <source>重试</source>
        <translation>重试</translation>
    </message>
    <message id="config.bad_signature">
        <source>配置签名不正确，已拒绝并继续使用原配置</source>
        <translation>配置签名不正确，已拒绝并继续使用原配置</translation>
    </message>
    <message id="config.invalid">
        <source>配置内容有误，已拒绝</source>
        <translation>配置内容有误，已拒绝</translation>
    </message>
    <message id="config.malformed">
        <source>配置文件格式不正确，已拒绝</source>
        <translation>配置文件格式不正确，已拒绝</translation>
    </message>
    <message id="config.no_key">
        <source>本机未配置验签公钥</source>
        <translation>本机未配置验签公钥</translation>
    </message>
    <message id="config.none">
        <source>尚未收到服务中心的配置</source>
        <translation>尚未收到服务中心的配置</translation>
    </message>
    <message id="config.older_version">
        <source>收到旧版本配置，已忽略</source>
        <translation>收到旧版本配置，已忽略</translation>
    </message>
    <message id="entry.evaluation">
        <source>服务评价</source>
        <translation>服务评价</translation>
    </message>
    <message id="entry.evaluation.sub">
        <source>好差评</source>
        <translation>好差评</translation>
    </message>
    <message id="entry.guide">
        <source>办事指南</source>
        <translation>办事指南</translation>
    </message>
    <message id="entry.guide.sub">
        <source>材料清单 · 一次性告知单</source>
        <translation>材料清单 · 一次性告知单</translation>
    </message>
    <message id="entry.help">
        <source>呼叫工作人员</source>
        <translation>呼叫工作人员</translation>
    </message>
    <message id="entry.help.sub">
        <source>工作人员将前来协助</source>
        <translation>工作人员将前来协助</translation>
    </message>
    <message id="entry.progress">
        <source>进度查询</source>
        <translation>进度查询</translation>
    </message>
    <message id="entry.progress.sub">
        <source>查询反映的办理进度</source>
        <translation>查询反映的办理进度</translation>
    </message>
    <message id="entry.report">
        <source>办不成事反映</source>
        <translation>办不成事反映</translation>
    </message>
    <message id="entry.report.sub">
        <source>事情没办成，告诉我们</source>
        <translation>事情没办成，告诉我们</translation>
    </message>
    <message id="entry.ticket">
        <source>取号</source>
        <translation>取号</translation>
    </message>
    <message id="entry.ticket.sub">
        <source>排队叫号 · 预约签到</source>
        <translation>排队叫号 · 预约签到</translation>
    </message>
    <message id="evaluation.bad_window">
        <source>请输入窗口号（数字或字母）</source>
        <translation>请输入窗口号（数字或字母）</translation>
    </message>
    <message id="evaluation.clear">
        <source>清除</source>
        <translation>清除</translation>
    </message>
    <message id="evaluation.home_soon">
        <source>{seconds}秒后自动返回首页</source>
        <translation>{seconds}秒后自动返回首页</translation>
    </message>
    <message id="evaluation.level">
        <source>您对这次服务满意吗？</source>
        <translation>您对这次服务满意吗？</translation>
    </message>
    <message id="evaluation.level.1">
        <source>非常不满意</source>
        <translation>非常不满意</translation>
    </message>
    <message id="evaluation.level.2">
        <source>不满意</source>
        <translation>不满意</translation>
    </message>
    <message id="evaluation.level.3">
        <source>基本满意</source>
        <translation>基本满意</translation>
    </message>
    <message id="evaluation.level.4">
        <source>满意</source>
        <translation>满意</translation>
    </message>
    <message id="evaluation.level.5">
        <source>非常满意</source>
        <translation>非常满意</translation>
    </message>
    <message id="evaluation.link">
        <source>请输入为您服务的窗口号，或扫描排队凭条</source>
        <translation>请输入为您服务的窗口号，或扫描排队凭条</translation>
    </message>
    <message id="evaluation.next">
        <source>下一步</source>
        <translation>下一步</translation>
    </message>
    <message id="evaluation.phone">
        <source>如需工作人员回访，请留下手机号码，也可以跳过</source>
        <translation>如需工作人员回访，请留下手机号码，也可以跳过</translation>
    </message>
    <message id="evaluation.phone_note">
        <source>号码只用于回访您这次的评价，送达服务中心后即从本机删除</source>
        <translation>号码只用于回访您这次的评价，送达服务中心后即从本机删除</translation>
    </message>
    <message id="evaluation.pick_reason">
        <source>请至少选择一个原因</source>
        <translation>请至少选择一个原因</translation>
    </message>
    <message id="evaluation.reason.attitude">
        <source>服务态度不好</source>
        <translation>服务态度不好</translation>
    </message>
    <message id="evaluation.reason.environment">
        <source>环境设施不好</source>
        <translation>环境设施不好</translation>
    </message>
    <message id="evaluation.reason.many_visits">
        <source>让我跑了多次</source>
        <translation>让我跑了多次</translation>
    </message>
    <message id="evaluation.reason.not_done">
        <source>事情没办成</source>
        <translation>事情没办成</translation>
    </message>
    <message id="evaluation.reason.slow">
        <source>等候或办理太慢</source>
        <translation>等候或办理太慢</translation>
    </message>
    <message id="evaluation.reason.unclear">
        <source>告知不清楚</source>
        <translation>告知不清楚</translation>
    </message>
    <message id="evaluation.reasons">
        <source>请选择不满意的原因（可多选）</source>
        <translation>请选择不满意的原因（可多选）</translation>
    </message>
    <message id="evaluation.send_phone">
        <source>提交并等待回访</source>
        <translation>提交并等待回访</translation>
    </message>
    <message id="evaluation.skip_phone">
        <source>跳过，不留电话</source>
        <translation>跳过，不留电话</translation>
    </message>
    <message id="evaluation.submitting">
        <source>正在提交评价</source>
        <translation>正在提交评价</translation>
    </message>
    <message id="evaluation.thanks">
        <source>感谢您的评价！</source>
        <translation>感谢您的评价！</translation>
    </message>
    <message id="evaluation.window_keypad">
        <source>窗口号</source>
        <translation>窗口号</translation>
    </message>
    <message id="flow.card_read">
        <source>已读取身份证：{name}</source>
        <translation>已读取身份证：{name}</translation>
    </message>
    <message id="flow.checking_printer">
        <source>正在检查打印机……</source>
        <translation>正在检查打印机……</translation>
    </message>
    <message id="flow.come_back_hours">
        <source>办理时间：{hours}</source>
        <translation>办理时间：{hours}</translation>
    </message>
    <message id="flow.disability_on">
        <source>已选择残疾人优先（点此取消）</source>
        <translation>已选择残疾人优先（点此取消）</translation>
    </message>
    <message id="flow.floor_zone">
        <source>{floor}楼 · {location}</source>
        <translation>{floor}楼 · {location}</translation>
    </message>
    <message id="flow.home_now">
        <source>返回首页</source>
        <translation>返回首页</translation>
    </message>
    <message id="flow.more_below">
        <source>向下还有更多</source>
        <translation>向下还有更多</translation>
    </message>
    <message id="flow.no_catalogue">
        <source>本机还没有收到服务事项配置，请稍后再试或呼叫工作人员</source>
        <translation>本机还没有收到服务事项配置，请稍后再试或呼叫工作人员</translation>
    </message>
    <message id="flow.no_match">
        <source>没有找到相关事项，请换个词或返回选择区域</source>
        <translation>没有找到相关事项，请换个词或返回选择区域</translation>
    </message>
    <message id="flow.other_matter">
        <source>选择其他事项</source>
        <translation>选择其他事项</translation>
    </message>
    <message id="flow.place">
        <source>办理地点：{floor}楼 {zone} {windows}</source>
        <translation>办理地点：{floor}楼 {zone} {windows}</translation>
    </message>
    <message id="flow.place_zone">
        <source>办理地点：{floor}楼 {zone}</source>
        <translation>办理地点：{floor}楼 {zone}</translation>
    </message>
    <message id="flow.printer_ready">
        <source>打印机正常，取号后将打印排队凭条</source>
        <translation>打印机正常，取号后将打印排队凭条</translation>
    </message>
    <message id="flow.reader_unavailable">
        <source>读卡器暂时不能使用，您可以不放身份证继续办理</source>
        <translation>读卡器暂时不能使用，您可以不放身份证继续办理</translation>
    </message>
    <message id="flow.search">
        <source>搜索事项（可输入拼音首字母，如 hyd）</source>
        <translation>搜索事项（可输入拼音首字母，如 hyd）</translation>
    </message>
    <message id="flow.self_service">
        <source>自助办理</source>
        <translation>自助办理</translation>
    </message>
    <message id="flow.staffed_hours">
        <source>大厅人工服务时间：{hours}</source>
        <translation>大厅人工服务时间：{hours}</translation>
    </message>
    <message id="flow.still_works">
        <source>现在仍可使用：</source>
        <translation>现在仍可使用：</translation>
    </message>
    <message id="flow.windows">
        <source>{windows}号窗口</source>
        <translation>{windows}号窗口</translation>
    </message>
    <message id="flow.your_matter">
        <source>您要办理：{matter}</source>
        <translation>您要办理：{matter}</translation>
    </message>
    <message id="guide.browse">
        <source>查看办事指南：选择或搜索事项</source>
        <translation>查看办事指南：选择或搜索事项</translation>
    </message>
    <message id="guide.conditions">
        <source>办理条件</source>
        <translation>办理条件</translation>
    </message>
    <message id="guide.copies">
        <source>复印件{copies}份</source>
        <translation>复印件{copies}份</translation>
    </message>
    <message id="guide.fee">
        <source>收费标准</source>
        <translation>收费标准</translation>
    </message>
    <message id="guide.hours">
        <source>办理时间</source>
        <translation>办理时间</translation>
    </message>
    <message id="guide.integrated_hint">
        <source>一件事一次办：以下事项合并办理</source>
        <translation>一件事一次办：以下事项合并办理</translation>
    </message>
    <message id="guide.materials">
        <source>所需材料</source>
        <translation>所需材料</translation>
    </message>
    <message id="guide.no_guide">
        <source>该事项暂无办事指南，请咨询工作人员</source>
        <translation>该事项暂无办事指南，请咨询工作人员</translation>
    </message>
    <message id="guide.originals">
        <source>原件{originals}份</source>
        <translation>原件{originals}份</translation>
    </message>
    <message id="guide.place">
        <source>办理地点</source>
        <translation>办理地点</translation>
    </message>
    <message id="guide.print">
        <source>打印一次性告知单</source>
        <translation>打印一次性告知单</translation>
    </message>
    <message id="guide.print_failed">
        <source>告知单没有打印出来，请扫码在手机上查看，或拍下屏幕</source>
        <translation>告知单没有打印出来，请扫码在手机上查看，或拍下屏幕</translation>
    </message>
    <message id="guide.printed">
        <source>请取走告知单</source>
        <translation>请取走告知单</translation>
    </message>
    <message id="guide.printing">
        <source>正在打印告知单</source>
        <translation>正在打印告知单</translation>
    </message>
    <message id="guide.scan">
        <source>扫码查看网上办事指南</source>
        <translation>扫码查看网上办事指南</translation>
    </message>
    <message id="guide.show">
        <source>办事指南</source>
        <translation>办事指南</translation>
    </message>
    <message id="guide.time_limit">
        <source>办理时限</source>
        <translation>办理时限</translation>
    </message>
    <message id="help.after_hours">
        <source>现在不是人工服务时间，现场可能没有工作人员</source>
        <translation>现在不是人工服务时间，现场可能没有工作人员</translation>
    </message>
    <message id="help.after_hours_detail">
        <source>您的呼叫已记录。急需帮助请拨打政务服务热线{hotline}；人工服务{staff_back_at}恢复。</source>
        <translation>您的呼叫已记录。急需帮助请拨打政务服务热线{hotline}；人工服务{staff_back_at}恢复。</translation>
    </message>
    <message id="help.after_hours_hotline">
        <source>您的呼叫已记录。急需帮助请拨打政务服务热线{hotline}。</source>
        <translation>您的呼叫已记录。急需帮助请拨打政务服务热线{hotline}。</translation>
    </message>
    <message id="help.back_to_flow">
        <source>好的，返回</source>
        <translation>好的，返回</translation>
    </message>
    <message id="help.cancel">
        <source>不需要了，取消呼叫</source>
        <translation>不需要了，取消呼叫</translation>
    </message>
    <message id="help.closed">
        <source>需要帮助？点这里呼叫工作人员</source>
        <translation>需要帮助？点这里呼叫工作人员</translation>
    </message>
    <message id="help.coming">
        <source>工作人员马上就到，请在机器旁稍候</source>
        <translation>工作人员马上就到，请在机器旁稍候</translation>
    </message>
    <message id="help.failed">
        <source>呼叫没有发出</source>
        <translation>呼叫没有发出</translation>
    </message>
    <message id="help.hotline_hint">
        <source>请到服务台找工作人员，或拨打政务服务热线{hotline}</source>
        <translation>请到服务台找工作人员，或拨打政务服务热线{hotline}</translation>
    </message>
    <message id="help.location">
        <source>本机位置：{location}</source>
        <translation>本机位置：{location}</translation>
    </message>
    <message id="help.queued">
        <source>暂时联系不上值班工作人员，呼叫已保存，网络恢复后自动发出</source>
        <translation>暂时联系不上值班工作人员，呼叫已保存，网络恢复后自动发出</translation>
    </message>
    <message id="help.sending">
        <source>正在呼叫工作人员</source>
        <translation>正在呼叫工作人员</translation>
    </message>
    <message id="help.staff_coming">
        <source>{role} {name} 已收到呼叫，正在赶来</source>
        <translation>{role} {name} 已收到呼叫，正在赶来</translation>
    </message>
    <message id="home.card_hint">
        <source>可随时将身份证放在读卡区</source>
        <translation>可随时将身份证放在读卡区</translation>
    </message>
    <message id="home.choose">
        <source>请选择您要办理的事项</source>
        <translation>请选择您要办理的事项</translation>
    </message>
    <message id="home.notices">
        <source>公告</source>
        <translation>公告</translation>
    </message>
    <message id="home.welcome">
        <source>欢迎使用24小时自助服务</source>
        <translation>欢迎使用24小时自助服务</translation>
    </message>
    <message id="idle.body">
        <source>%1 秒后将返回首页，您输入的信息将被清除。</source>
        <translation>%1 秒后将返回首页，您输入的信息将被清除。</translation>
    </message>
    <message id="idle.done">
        <source>不用了，返回首页</source>
        <translation>不用了，返回首页</translation>
    </message>
    <message id="idle.more">
        <source>需要，继续办理</source>
        <translation>需要，继续办理</translation>
    </message>
    <message id="idle.title">
        <source>还需要更多时间吗？</source>
        <translation>还需要更多时间吗？</translation>
    </message>
    <message id="matter.no_queue">
        <source>该事项为自助办理，无需取号</source>
        <translation>该事项为自助办理，无需取号</translation>
    </message>
    <message id="matter.unknown">
        <source>没有这个事项</source>
        <translation>没有这个事项</translation>
    </message>
    <message id="nav.back">
        <source>返回</source>
        <translation>返回</translation>
    </message>
    <message id="nav.elder">
        <source>长者模式</source>
        <translation>长者模式</translation>
    </message>
    <message id="nav.elder.off">
        <source>已关</source>
        <translation>已关</translation>
    </message>
    <message id="nav.elder.on">
        <source>已开</source>
        <translation>已开</translation>
    </message>
    <message id="nav.help">
        <source>呼叫</source>
        <translation>呼叫</translation>
    </message>
    <message id="nav.help.who">
        <source>工作人员</source>
        <translation>工作人员</translation>
    </message>
    <message id="nav.home">
        <source>首页</source>
        <translation>首页</translation>
    </message>
    <message id="nav.language">
        <source>English</source>
        <translation>English</translation>
    </message>
    <message id="nav.language.hint">
        <source>切换到英文</source>
        <translation>切换到英文</translation>
    </message>
    <message id="outbox.disk_error">
        <source>本机存储出错，未能保存，请找工作人员</source>
        <translation>本机存储出错，未能保存，请找工作人员</translation>
    </message>
    <message id="outbox.failed">
        <source>服务中心未接收，请联系工作人员</source>
        <translation>服务中心未接收，请联系工作人员</translation>
    </message>
    <message id="outbox.private_data">
        <source>内容中含有证件号码（身份证、护照或通行证），请删除后再提交</source>
        <translation>内容中含有证件号码（身份证、护照或通行证），请删除后再提交</translation>
    </message>
    <message id="outbox.saved">
        <source>已保存，将自动发送到服务中心</source>
        <translation>已保存，将自动发送到服务中心</translation>
    </message>
    <message id="outbox.sent">
        <source>已送达服务中心</source>
        <translation>已送达服务中心</translation>
    </message>
    <message id="printer.bad_answer">
        <source>打印机状态异常</source>
        <translation>打印机状态异常</translation>
    </message>
    <message id="printer.cover_open">
        <source>打印机盖未关好</source>
        <translation>打印机盖未关好</translation>
    </message>
    <message id="printer.error">
        <source>打印机故障</source>
        <translation>打印机故障</translation>
    </message>
    <message id="printer.no_answer">
        <source>打印机无响应</source>
        <translation>打印机无响应</translation>
    </message>
    <message id="printer.not_connected">
        <source>打印机未连接</source>
        <translation>打印机未连接</translation>
    </message>
    <message id="printer.offline">
        <source>打印机暂停工作</source>
        <translation>打印机暂停工作</translation>
    </message>
    <message id="printer.paper_near_end">
        <source>打印纸即将用完</source>
        <translation>打印纸即将用完</translation>
    </message>
    <message id="printer.paper_out">
        <source>打印机缺纸，请在屏幕上查看或拍照保存</source>
        <translation>打印机缺纸，请在屏幕上查看或拍照保存</translation>
    </message>
    <message id="printer.template_error">
        <source>凭条模板有误，请联系工作人员</source>
        <translation>凭条模板有误，请联系工作人员</translation>
    </message>
    <message id="printer.write_failed">
        <source>打印数据发送失败</source>
        <translation>打印数据发送失败</translation>
    </message>
    <message id="progress.answer">
        <source>答复内容</source>
        <translation>答复内容</translation>
    </message>
    <message id="progress.bad_code">
        <source>查询码是4位数字，请检查</source>
        <translation>查询码是4位数字，请检查</translation>
    </message>
    <message id="progress.bad_number">
        <source>编号应为R加12位数字，或8位本机编号，请检查</source>
        <translation>编号应为R加12位数字，或8位本机编号，请检查</translation>
    </message>
    <message id="progress.by_card">
        <source>刷身份证查询</source>
        <translation>刷身份证查询</translation>
    </message>
    <message id="progress.by_number">
        <source>输入回执编号</source>
        <translation>输入回执编号</translation>
    </message>
    <message id="progress.choose_method">
        <source>查询办理进度：用回执编号或身份证</source>
        <translation>查询办理进度：用回执编号或身份证</translation>
    </message>
    <message id="progress.code_keypad">
        <source>4位查询码</source>
        <translation>4位查询码</translation>
    </message>
    <message id="progress.enter_code">
        <source>请输入回执上的4位查询码</source>
        <translation>请输入回执上的4位查询码</translation>
    </message>
    <message id="progress.enter_number">
        <source>请输入回执上的编号（R加12位数字，或8位本机编号）</source>
        <translation>请输入回执上的编号（R加12位数字，或8位本机编号）</translation>
    </message>
    <message id="progress.local_refused">
        <source>本机编号{local_ref}的反映没有被服务中心接收，已留给工作人员处理，请呼叫工作人员</source>
        <translation>本机编号{local_ref}的反映没有被服务中心接收，已留给工作人员处理，请呼叫工作人员</translation>
    </message>
    <message id="progress.local_unknown">
        <source>本机没有这个编号的反映，请核对回执，或用回执编号查询</source>
        <translation>本机没有这个编号的反映，请核对回执，或用回执编号查询</translation>
    </message>
    <message id="progress.local_waiting">
        <source>本机编号{local_ref}的反映还在本机等待发送，网络恢复后会自动送达服务中心。送达后可用同一编号查询</source>
        <translation>本机编号{local_ref}的反映还在本机等待发送，网络恢复后会自动送达服务中心。送达后可用同一编号查询</translation>
    </message>
    <message id="progress.looking_up">
        <source>正在查询，请稍候</source>
        <translation>正在查询，请稍候</translation>
    </message>
    <message id="progress.next_step">
        <source>下一步：{step}</source>
        <translation>下一步：{step}</translation>
    </message>
    <message id="progress.none_found">
        <source>没有查到反映记录，请核对回执编号和查询码</source>
        <translation>没有查到反映记录，请核对回执编号和查询码</translation>
    </message>
    <message id="progress.none_found_card">
        <source>没有查到用这张身份证提交的反映</source>
        <translation>没有查到用这张身份证提交的反映</translation>
    </message>
    <message id="progress.now.accepted">
        <source>当前进度：已受理</source>
        <translation>当前进度：已受理</translation>
    </message>
    <message id="progress.now.answered">
        <source>当前进度：已答复</source>
        <translation>当前进度：已答复</translation>
    </message>
    <message id="progress.now.classified">
        <source>当前进度：已分类，等待转办</source>
        <translation>当前进度：已分类，等待转办</translation>
    </message>
    <message id="progress.now.dispatched">
        <source>当前进度：已转办，正在办理</source>
        <translation>当前进度：已转办，正在办理</translation>
    </message>
    <message id="progress.now.received">
        <source>当前进度：已收到，等待受理</source>
        <translation>当前进度：已收到，等待受理</translation>
    </message>
    <message id="progress.now.resolved">
        <source>当前进度：已办结，等待答复</source>
        <translation>当前进度：已办结，等待答复</translation>
    </message>
    <message id="progress.number_entered">
        <source>回执编号：{tracking_no}</source>
        <translation>回执编号：{tracking_no}</translation>
    </message>
    <message id="progress.place_card">
        <source>请把身份证放在感应区</source>
        <translation>请把身份证放在感应区</translation>
    </message>
    <message id="progress.promised">
        <source>答复期限：{promised_date}</source>
        <translation>答复期限：{promised_date}</translation>
    </message>
    <message id="progress.promised_words">
        <source>将在{promised_date}前答复您</source>
        <translation>将在{promised_date}前答复您</translation>
    </message>
    <message id="progress.received_on">
        <source>{date} 提交</source>
        <translation>{date} 提交</translation>
    </message>
    <message id="progress.results">
        <source>办理进度</source>
        <translation>办理进度</translation>
    </message>
    <message id="progress.step.accepted">
        <source>受理</source>
        <translation>受理</translation>
    </message>
    <message id="progress.step.answered">
        <source>反馈</source>
        <translation>反馈</translation>
    </message>
    <message id="progress.step.classified">
        <source>分类</source>
        <translation>分类</translation>
    </message>
    <message id="progress.step.dispatched">
        <source>转办</source>
        <translation>转办</translation>
    </message>
    <message id="progress.step.resolved">
        <source>办结</source>
        <translation>办结</translation>
    </message>
    <message id="progress.tracking_keypad">
        <source>回执编号后12位数字</source>
        <translation>回执编号后12位数字</translation>
    </message>
    <message id="reader.io_error">
        <source>读卡器连接中断</source>
        <translation>读卡器连接中断</translation>
    </message>
    <message id="reader.no_answer">
        <source>读卡器无响应</source>
        <translation>读卡器无响应</translation>
    </message>
    <message id="reader.no_frames">
        <source>读卡器数据无法识别，请检查波特率设置</source>
        <translation>读卡器数据无法识别，请检查波特率设置</translation>
    </message>
    <message id="reader.not_found">
        <source>读卡器未连接</source>
        <translation>读卡器未连接</translation>
    </message>
    <message id="reader.permission_denied">
        <source>无权打开读卡器端口，请检查设备权限</source>
        <translation>无权打开读卡器端口，请检查设备权限</translation>
    </message>
    <message id="reader.sam_error">
        <source>读卡器安全模块故障</source>
        <translation>读卡器安全模块故障</translation>
    </message>
    <message id="report.bad_mobile">
        <source>手机号码应为1开头的11位数字，请检查</source>
        <translation>手机号码应为1开头的11位数字，请检查</translation>
    </message>
    <message id="report.check_code">
        <source>查询码：{check_code}</source>
        <translation>查询码：{check_code}</translation>
    </message>
    <message id="report.choose_matter">
        <source>您要办的是什么事？（不确定可选“其他”）</source>
        <translation>您要办的是什么事？（不确定可选“其他”）</translation>
    </message>
    <message id="report.contact">
        <source>请留下联系电话，我们会回复您</source>
        <translation>请留下联系电话，我们会回复您</translation>
    </message>
    <message id="report.describe">
        <source>请简单说明情况，也可以点选常用语或跳过</source>
        <translation>请简单说明情况，也可以点选常用语或跳过</translation>
    </message>
    <message id="report.describe_or_skip">
        <source>请写几句说明，或点“跳过”</source>
        <translation>请写几句说明，或点“跳过”</translation>
    </message>
    <message id="report.director_hotline">
        <source>中心主任热线：{director_hotline}</source>
        <translation>中心主任热线：{director_hotline}</translation>
    </message>
    <message id="report.edit">
        <source>修改</source>
        <translation>修改</translation>
    </message>
    <message id="report.enter_phone">
        <source>请输入您的11位手机号码</source>
        <translation>请输入您的11位手机号码</translation>
    </message>
    <message id="report.identify">
        <source>请放身份证，或用手机号登记</source>
        <translation>请放身份证，或用手机号登记</translation>
    </message>
    <message id="report.lookup_limited">
        <source>查询次数太多了，请过一分钟再试，或找工作人员帮忙</source>
        <translation>查询次数太多了，请过一分钟再试，或找工作人员帮忙</translation>
    </message>
    <message id="report.matter_other">
        <source>其他 / 不确定</source>
        <translation>其他 / 不确定</translation>
    </message>
    <message id="report.no_description">
        <source>（市民未填写说明）</source>
        <translation>（市民未填写说明）</translation>
    </message>
    <message id="report.phrase.missing_material">
        <source>窗口说材料不全，但没说缺什么</source>
        <translation>窗口说材料不全，但没说缺什么</translation>
    </message>
    <message id="report.phrase.no_explanation">
        <source>没有告诉我不能办的原因</source>
        <translation>没有告诉我不能办的原因</translation>
    </message>
    <message id="report.phrase.sent_elsewhere">
        <source>被告知去别的部门办</source>
        <translation>被告知去别的部门办</translation>
    </message>
    <message id="report.phrase.system_down">
        <source>窗口说系统办不了</source>
        <translation>窗口说系统办不了</translation>
    </message>
    <message id="report.phrase.waited_long">
        <source>等了很久没有结果</source>
        <translation>等了很久没有结果</translation>
    </message>
    <message id="report.queued_offline">
        <source>网络暂时中断：您的反映已保存在本机，网络恢复后将自动提交，不会丢失。本机编号：{local_ref}</source>
        <translation>网络暂时中断：您的反映已保存在本机，网络恢复后将自动提交，不会丢失。本机编号：{local_ref}</translation>
    </message>
    <message id="report.registered">
        <source>我们会在{promised_date}前答复您。凭回执编号和查询码可随时查询进度</source>
        <translation>我们会在{promised_date}前答复您。凭回执编号和查询码可随时查询进度</translation>
    </message>
    <message id="report.result">
        <source>您的反映已登记</source>
        <translation>您的反映已登记</translation>
    </message>
    <message id="report.review">
        <source>请核对后提交</source>
        <translation>请核对后提交</translation>
    </message>
    <message id="report.review.contact">
        <source>联系电话</source>
        <translation>联系电话</translation>
    </message>
    <message id="report.review.describe">
        <source>说明</source>
        <translation>说明</translation>
    </message>
    <message id="report.review.identify">
        <source>登记方式</source>
        <translation>登记方式</translation>
    </message>
    <message id="report.review.matter">
        <source>事项</source>
        <translation>事项</translation>
    </message>
    <message id="report.review.situation">
        <source>情况</source>
        <translation>情况</translation>
    </message>
    <message id="report.situation">
        <source>遇到了什么情况？</source>
        <translation>遇到了什么情况？</translation>
    </message>
    <message id="report.situation.not_accepted">
        <source>申请未被受理</source>
        <translation>申请未被受理</translation>
    </message>
    <message id="report.situation.not_approved">
        <source>申请未获批准</source>
        <translation>申请未获批准</translation>
    </message>
    <message id="report.situation.other">
        <source>其他情况</source>
        <translation>其他情况</translation>
    </message>
    <message id="report.situation.several_visits">
        <source>跑了多次还没办成</source>
        <translation>跑了多次还没办成</translation>
    </message>
    <message id="report.situation.staff_attitude">
        <source>工作人员态度问题</source>
        <translation>工作人员态度问题</translation>
    </message>
    <message id="report.skip">
        <source>跳过，不写说明</source>
        <translation>跳过，不写说明</translation>
    </message>
    <message id="report.submit">
        <source>提交</source>
        <translation>提交</translation>
    </message>
    <message id="report.submitting">
        <source>正在提交，请稍候</source>
        <translation>正在提交，请稍候</translation>
    </message>
    <message id="report.take_receipt">
        <source>请取走回执</source>
        <translation>请取走回执</translation>
    </message>
    <message id="report.too_long">
        <source>说明最多500字，超出部分未保存</source>
        <translation>说明最多500字，超出部分未保存</translation>
    </message>
    <message id="report.tracking_label">
        <source>回执编号</source>
        <translation>回执编号</translation>
    </message>
    <message id="report.unknown">
        <source>没有这个反映编号</source>
        <translation>没有这个反映编号</translation>
    </message>
    <message id="report.use_phone">
        <source>用手机号登记</source>
        <translation>用手机号登记</translation>
    </message>
    <message id="request.idempotency_mismatch">
        <source>请求重复但内容不同</source>
        <translation>请求重复但内容不同</translation>
    </message>
    <message id="request.invalid">
        <source>填写的内容不正确</source>
        <translation>填写的内容不正确</translation>
    </message>
    <message id="soon.body">
        <source>此功能正在准备中，请先使用其他服务或呼叫工作人员。</source>
        <translation>此功能正在准备中，请先使用其他服务或呼叫工作人员。</translation>
    </message>
    <message id="soon.title">
        <source>即将开放</source>
        <translation>即将开放</translation>
    </message>
    <message id="status.offline">
        <source>暂时无法连接服务中心，取号暂停，其他服务可用。</source>
        <translation>暂时无法连接服务中心，取号暂停，其他服务可用。</translation>
    </message>
    <message id="status.printer">
        <source>打印机暂不可用，凭条将显示在屏幕上。</source>
        <translation>打印机暂不可用，凭条将显示在屏幕上。</translation>
    </message>
    <message id="svc.action.card">
        <source>读测试卡</source>
        <translation>读测试卡</translation>
    </message>
    <message id="svc.action.exit">
        <source>退出到桌面</source>
        <translation>退出到桌面</translation>
    </message>
    <message id="svc.action.log">
        <source>最近日志</source>
        <translation>最近日志</translation>
    </message>
    <message id="svc.action.network">
        <source>网络检测</source>
        <translation>网络检测</translation>
    </message>
    <message id="svc.action.outbox">
        <source>立即发送待发数据</source>
        <translation>立即发送待发数据</translation>
    </message>
    <message id="svc.action.refresh">
        <source>刷新状态</source>
        <translation>刷新状态</translation>
    </message>
    <message id="svc.action.restart">
        <source>重启程序</source>
        <translation>重启程序</translation>
    </message>
    <message id="svc.action.sync">
        <source>立即同步配置</source>
        <translation>立即同步配置</translation>
    </message>
    <message id="svc.action.test_page">
        <source>打印测试页</source>
        <translation>打印测试页</translation>
    </message>
    <message id="svc.action.voice">
        <source>语音测试</source>
        <translation>语音测试</translation>
    </message>
    <message id="svc.brightness.checking">
        <source>正在读取背光……</source>
        <translation>正在读取背光……</translation>
    </message>
    <message id="svc.brightness.none">
        <source>本机没有可调节的背光，请用显示器自身的按键调节</source>
        <translation>本机没有可调节的背光，请用显示器自身的按键调节</translation>
    </message>
    <message id="svc.brightness.read_only">
        <source>没有调节背光的权限（%1），请联系管理员</source>
        <translation>没有调节背光的权限（%1），请联系管理员</translation>
    </message>
    <message id="svc.brightness.title">
        <source>屏幕亮度</source>
        <translation>屏幕亮度</translation>
    </message>
    <message id="svc.brightness.unreadable">
        <source>无法读取背光（%1）</source>
        <translation>无法读取背光（%1）</translation>
    </message>
    <message id="svc.cancel">
        <source>取消</source>
        <translation>取消</translation>
    </message>
    <message id="svc.exit.confirm">
        <source>确定退出到桌面？终端将停止服务</source>
        <translation>确定退出到桌面？终端将停止服务</translation>
    </message>
    <message id="svc.exit.yes">
        <source>确认退出</source>
        <translation>确认退出</translation>
    </message>
    <message id="svc.menu.autoclose">
        <source>无操作 %1 秒后自动关闭</source>
        <translation>无操作 %1 秒后自动关闭</translation>
    </message>
    <message id="svc.menu.close">
        <source>关闭并返回首页</source>
        <translation>关闭并返回首页</translation>
    </message>
    <message id="svc.menu.title">
        <source>维护菜单</source>
        <translation>维护菜单</translation>
    </message>
    <message id="svc.pin.checking">
        <source>正在核对……</source>
        <translation>正在核对……</translation>
    </message>
    <message id="svc.pin.clear">
        <source>清除</source>
        <translation>清除</translation>
    </message>
    <message id="svc.pin.delete">
        <source>退格</source>
        <translation>退格</translation>
    </message>
    <message id="svc.pin.disabled">
        <source>本机未设置维护密码，维护菜单已停用</source>
        <translation>本机未设置维护密码，维护菜单已停用</translation>
    </message>
    <message id="svc.pin.locked">
        <source>错误次数过多，请 %1 分钟后再试</source>
        <translation>错误次数过多，请 %1 分钟后再试</translation>
    </message>
    <message id="svc.pin.ok">
        <source>确定</source>
        <translation>确定</translation>
    </message>
    <message id="svc.pin.prompt">
        <source>请输入维护密码</source>
        <translation>请输入维护密码</translation>
    </message>
    <message id="svc.pin.title">
        <source>维护人员验证</source>
        <translation>维护人员验证</translation>
    </message>
    <message id="svc.pin.wrong">
        <source>密码错误，还可尝试 %1 次</source>
        <translation>密码错误，还可尝试 %1 次</translation>
    </message>
    <message id="svc.preview">
        <source>测试页预览（模拟打印机）</source>
        <translation>测试页预览（模拟打印机）</translation>
    </message>
    <message id="svc.result.card_read">
        <source>读卡成功：%1</source>
        <translation>读卡成功：%1</translation>
    </message>
    <message id="svc.result.card_unreadable">
        <source>读卡失败：%1</source>
        <translation>读卡失败：%1</translation>
    </message>
    <message id="svc.result.network_failed">
        <source>无法连接中心：%1</source>
        <translation>无法连接中心：%1</translation>
    </message>
    <message id="svc.result.network_ok">
        <source>中心可达，耗时 %1 毫秒</source>
        <translation>中心可达，耗时 %1 毫秒</translation>
    </message>
    <message id="svc.result.no_mandarin">
        <source>没有普通话语音，未朗读：%1</source>
        <translation>没有普通话语音，未朗读：%1</translation>
    </message>
    <message id="svc.result.no_printer">
        <source>未启用打印机</source>
        <translation>未启用打印机</translation>
    </message>
    <message id="svc.result.no_reader">
        <source>未启用读卡器</source>
        <translation>未启用读卡器</translation>
    </message>
    <message id="svc.result.no_voice">
        <source>语音未启用或无语音引擎</source>
        <translation>语音未启用或无语音引擎</translation>
    </message>
    <message id="svc.result.outbox">
        <source>正在发送，待发送 %1 条</source>
        <translation>正在发送，待发送 %1 条</translation>
    </message>
    <message id="svc.result.place_card">
        <source>请将测试卡放到读卡区</source>
        <translation>请将测试卡放到读卡区</translation>
    </message>
    <message id="svc.result.print_failed">
        <source>测试页未能打印：%1</source>
        <translation>测试页未能打印：%1</translation>
    </message>
    <message id="svc.result.printed">
        <source>测试页已打印</source>
        <translation>测试页已打印</translation>
    </message>
    <message id="svc.result.printing">
        <source>测试页已发送到打印机</source>
        <translation>测试页已发送到打印机</translation>
    </message>
    <message id="svc.result.restarting">
        <source>正在重启……</source>
        <translation>正在重启……</translation>
    </message>
    <message id="svc.result.sync_failed">
        <source>配置同步失败：%1</source>
        <translation>配置同步失败：%1</translation>
    </message>
    <message id="svc.result.synced">
        <source>配置已同步，版本 %1</source>
        <translation>配置已同步，版本 %1</translation>
    </message>
    <message id="svc.result.syncing">
        <source>正在同步配置……</source>
        <translation>正在同步配置……</translation>
    </message>
    <message id="svc.result.voice">
        <source>正在朗读：%1</source>
        <translation>正在朗读：%1</translation>
    </message>
    <message id="svc.result.voice_recorded">
        <source>正在播放录制的语音：%1</source>
        <translation>正在播放录制的语音：%1</translation>
    </message>
    <message id="svc.result.voice_starting">
        <source>语音引擎正在启动，请稍后再试</source>
        <translation>语音引擎正在启动，请稍后再试</translation>
    </message>
    <message id="svc.result.volume_not_saved">
        <source>音量未能保存：%1</source>
        <translation>音量未能保存：%1</translation>
    </message>
    <message id="svc.status.centre">
        <source>中心连接</source>
        <translation>中心连接</translation>
    </message>
    <message id="svc.status.config">
        <source>配置版本</source>
        <translation>配置版本</translation>
    </message>
    <message id="svc.status.disk">
        <source>磁盘剩余</source>
        <translation>磁盘剩余</translation>
    </message>
    <message id="svc.status.outbox">
        <source>待发送</source>
        <translation>待发送</translation>
    </message>
    <message id="svc.status.paper">
        <source>纸张</source>
        <translation>纸张</translation>
    </message>
    <message id="svc.status.printer">
        <source>打印机</source>
        <translation>打印机</translation>
    </message>
    <message id="svc.status.reader">
        <source>身份证读卡器</source>
        <translation>身份证读卡器</translation>
    </message>
    <message id="svc.status.title">
        <source>设备状态</source>
        <translation>设备状态</translation>
    </message>
    <message id="svc.status.uptime">
        <source>运行时间</source>
        <translation>运行时间</translation>
    </message>
    <message id="svc.status.version">
        <source>软件版本</source>
        <translation>软件版本</translation>
    </message>
    <message id="svc.value.connected">
        <source>已连接</source>
        <translation>已连接</translation>
    </message>
    <message id="svc.value.disabled">
        <source>未启用</source>
        <translation>未启用</translation>
    </message>
    <message id="svc.value.disconnected">
        <source>未连接</source>
        <translation>未连接</translation>
    </message>
    <message id="svc.value.near_end">
        <source>将尽</source>
        <translation>将尽</translation>
    </message>
    <message id="svc.value.none">
        <source>无</source>
        <translation>无</translation>
    </message>
    <message id="svc.value.ok">
        <source>正常</source>
        <translation>正常</translation>
    </message>
    <message id="svc.value.out">
        <source>缺纸</source>
        <translation>缺纸</translation>
    </message>
    <message id="svc.value.unknown">
        <source>未知</source>
        <translation>未知</translation>
    </message>
    <message id="svc.value.untested">
        <source>未检测</source>
        <translation>未检测</translation>
    </message>
    <message id="svc.volume.down">
        <source>调低</source>
        <translation>调低</translation>
    </message>
    <message id="svc.volume.mute">
        <source>静音</source>
        <translation>静音</translation>
    </message>
    <message id="svc.volume.muted">
        <source>已静音</source>
        <translation>已静音</translation>
    </message>
    <message id="svc.volume.title">
        <source>语音音量</source>
        <translation>语音音量</translation>
    </message>
    <message id="svc.volume.unmute">
        <source>取消静音</source>
        <translation>取消静音</translation>
    </message>
    <message id="svc.volume.up">
        <source>调高</source>
        <translation>调高</translation>
    </message>
    <message id="take.appointment_by_card">
        <source>如您已预约今天办理此事项，取号即完成签到</source>
        <translation>如您已预约今天办理此事项，取号即完成签到</translation>
    </message>
    <message id="take.appointment_hint">
        <source>已预约的市民放身份证即可签到</source>
        <translation>已预约的市民放身份证即可签到</translation>
    </message>
    <message id="take.ask_priority">
        <source>您是否因残疾需要优先办理？</source>
        <translation>您是否因残疾需要优先办理？</translation>
    </message>
    <message id="take.choose_matter">
        <source>请选择要办理的事项，可输入拼音首字母搜索</source>
        <translation>请选择要办理的事项，可输入拼音首字母搜索</translation>
    </message>
    <message id="take.choose_zone">
        <source>请选择办事区域</source>
        <translation>请选择办事区域</translation>
    </message>
    <message id="take.closed">
        <source>该事项现在不在办理时间，请于{come_back_at}再来</source>
        <translation>该事项现在不在办理时间，请于{come_back_at}再来</translation>
    </message>
    <message id="take.confirm">
        <source>请确认取号</source>
        <translation>请确认取号</translation>
    </message>
    <message id="take.confirm_button">
        <source>确认取号</source>
        <translation>确认取号</translation>
    </message>
    <message id="take.declare_disability">
        <source>我是残疾人，需要优先办理</source>
        <translation>我是残疾人，需要优先办理</translation>
    </message>
    <message id="take.identify">
        <source>如有身份证请放在感应区（可跳过）</source>
        <translation>如有身份证请放在感应区（可跳过）</translation>
    </message>
    <message id="take.identify.priority_hint">
        <source>70岁以上老人、残疾人可走绿色通道优先办理</source>
        <translation>70岁以上老人、残疾人可走绿色通道优先办理</translation>
    </message>
    <message id="take.no">
        <source>否</source>
        <translation>否</translation>
    </message>
    <message id="take.no_queue">
        <source>该事项无需取号</source>
        <translation>该事项无需取号</translation>
    </message>
    <message id="take.offline">
        <source>暂时连不上叫号系统，现在无法取号。您仍可以查看办事指南、打印告知单、反映问题或呼叫工作人员</source>
        <translation>暂时连不上叫号系统，现在无法取号。您仍可以查看办事指南、打印告知单、反映问题或呼叫工作人员</translation>
    </message>
    <message id="take.person_limit">
        <source>您今天已经为这个事项取过号了，不能再取。如果错过了叫号，请到服务台找工作人员</source>
        <translation>您今天已经为这个事项取过号了，不能再取。如果错过了叫号，请到服务台找工作人员</translation>
    </message>
    <message id="take.print_failed">
        <source>凭条没有打印出来。屏幕上的号码就是您的号码，请拍照或记下</source>
        <translation>凭条没有打印出来。屏幕上的号码就是您的号码，请拍照或记下</translation>
    </message>
    <message id="take.printed">
        <source>请取走排队凭条</source>
        <translation>请取走排队凭条</translation>
    </message>
    <message id="take.printing">
        <source>正在打印排队凭条</source>
        <translation>正在打印排队凭条</translation>
    </message>
    <message id="take.priority.appointment">
        <source>预约签到成功，优先办理</source>
        <translation>预约签到成功，优先办理</translation>
    </message>
    <message id="take.priority.disabled">
        <source>残疾人优先</source>
        <translation>残疾人优先</translation>
    </message>
    <message id="take.priority.elderly">
        <source>老年人优先</source>
        <translation>老年人优先</translation>
    </message>
    <message id="take.quota_gone">
        <source>该事项今日号码已发完，请于{come_back_at}再来</source>
        <translation>该事项今日号码已发完，请于{come_back_at}再来</translation>
    </message>
    <message id="take.rate_limited">
        <source>这台机器刚刚连续取了很多号，请过一分钟再试。着急的话请找工作人员</source>
        <translation>这台机器刚刚连续取了很多号，请过一分钟再试。着急的话请找工作人员</translation>
    </message>
    <message id="take.requesting">
        <source>正在取号，请稍候</source>
        <translation>正在取号，请稍候</translation>
    </message>
    <message id="take.screen_is_ticket">
        <source>本屏幕即您的排队凭证，请拍照或记下号码</source>
        <translation>本屏幕即您的排队凭证，请拍照或记下号码</translation>
    </message>
    <message id="take.screen_only_notice">
        <source>打印机暂时不能出票，号码将只显示在屏幕上，请拍照或记下</source>
        <translation>打印机暂时不能出票，号码将只显示在屏幕上，请拍照或记下</translation>
    </message>
    <message id="take.self_service">
        <source>该事项为自助办理，请到{place}办理</source>
        <translation>该事项为自助办理，请到{place}办理</translation>
    </message>
    <message id="take.skip_card">
        <source>不用身份证，直接取号</source>
        <translation>不用身份证，直接取号</translation>
    </message>
    <message id="take.still_works.guide">
        <source>查看办事指南</source>
        <translation>查看办事指南</translation>
    </message>
    <message id="take.still_works.help">
        <source>呼叫工作人员</source>
        <translation>呼叫工作人员</translation>
    </message>
    <message id="take.still_works.report">
        <source>反映办不成的事</source>
        <translation>反映办不成的事</translation>
    </message>
    <message id="take.ticket">
        <source>取号成功</source>
        <translation>取号成功</translation>
    </message>
    <message id="take.ticket.ahead">
        <source>前面还有{ahead}人</source>
        <translation>前面还有{ahead}人</translation>
    </message>
    <message id="take.ticket.go_to">
        <source>请到{floor}楼 {zone_name} {windows}</source>
        <translation>请到{floor}楼 {zone_name} {windows}</translation>
    </message>
    <message id="take.ticket.go_to_zone">
        <source>请到{floor}楼 {zone_name}</source>
        <translation>请到{floor}楼 {zone_name}</translation>
    </message>
    <message id="take.ticket.listen">
        <source>请留意叫号，过号请重新取号</source>
        <translation>请留意叫号，过号请重新取号</translation>
    </message>
    <message id="take.ticket.scan">
        <source>微信扫码，手机上看排队进度</source>
        <translation>微信扫码，手机上看排队进度</translation>
    </message>
    <message id="take.ticket.served_until">
        <source>今日办理至{closes_at}</source>
        <translation>今日办理至{closes_at}</translation>
    </message>
    <message id="take.ticket.taken_at">
        <source>取号时间：{issued_at}</source>
        <translation>取号时间：{issued_at}</translation>
    </message>
    <message id="take.ticket.wait">
        <source>预计等候约{minutes}分钟</source>
        <translation>预计等候约{minutes}分钟</translation>
    </message>
    <message id="take.ticket.your_number">
        <source>您的号码</source>
        <translation>您的号码</translation>
    </message>
    <message id="take.unavailable">
        <source>现在不能取号</source>
        <translation>现在不能取号</translation>
    </message>
    <message id="take.yes">
        <source>是</source>
        <translation>是</translation>
    </message>
    <message id="ticket.closed">
        <source>该事项现在不办理</source>
        <translation>该事项现在不办理</translation>
    </message>
    <message id="ticket.person_limit">
        <source>您今天已为该事项取过号，不能再取</source>
        <translation>您今天已为该事项取过号，不能再取</translation>
    </message>
    <message id="ticket.quota_gone">
        <source>今天的号已经取完了</source>
        <translation>今天的号已经取完了</translation>
    </message>
    <message id="ticket.rate_limited">
        <source>本机刚刚连续取了很多号，请过一分钟再试</source>
        <translation>本机刚刚连续取了很多号，请过一分钟再试</translation>
    </message>
    <message id="ticket.unknown">
        <source>没有这个号</source>
        <translation>没有这个号</translation>
    </message>
    <message id="voice.test">
        <source>语音测试：欢迎使用政务服务自助终端。</source>
        <translation>语音测试：欢迎使用政务服务自助终端。</translation>
    </message>
</context>
</TS>
