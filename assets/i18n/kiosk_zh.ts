<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message id="app.title">
        <source>政务服务自助终端</source>
        <translation>政务服务自助终端</translation>
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
    <message id="nav.back">
        <source>返回</source>
        <translation>返回</translation>
    </message>
    <message id="nav.elder.off">
        <source>标准模式</source>
        <translation>标准模式</translation>
    </message>
    <message id="nav.elder.on">
        <source>长者模式</source>
        <translation>长者模式</translation>
    </message>
    <message id="nav.help">
        <source>呼叫帮助</source>
        <translation>呼叫帮助</translation>
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
</context>
</TS>
