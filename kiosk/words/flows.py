"""Words of the citizen flows' states and prompts, by key: ``WORDS[key] = (zh, en)``.

Flows and views carry keys only; kiosk.words merges this table with the others and the UI
layer compiles the result into Qt .ts/.qm translations. Placeholders in braces (``{date}``)
are filled by the screen from the view's data.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # ---- shared
    "common.error": ("出了点问题", "Something went wrong"),
    "common.home": ("返回首页", "Back to the home screen"),
    "common.retry": ("重试", "Try again"),
    "common.abort": ("返回首页", "Go home"),
    "common.back": ("上一步", "Back"),
    "common.cancel": ("取消", "Cancel"),
    "common.help": ("呼叫工作人员", "Call staff"),
    "common.done": ("完成", "Done"),
    "common.next": ("下一步", "Next"),
    "common.offer_elder_mode": ("需要大字和语音吗？点这里打开长者模式",
                                "Larger text and voice? Tap here for elder mode"),
    # ---- take a number
    "take.choose_zone": ("请选择办事区域", "Choose the service area"),
    "take.choose_matter": ("请选择要办理的事项，可输入拼音首字母搜索",
                           "Choose your matter, or search (pinyin initials work)"),
    "take.identify": ("如有身份证请放在感应区（可跳过）",
                      "Place your ID card on the reader if you have it (optional)"),
    "take.identify.priority_hint": ("70岁以上老人、残疾人可走绿色通道优先办理",
                                    "People over 70 and disabled people are served first"),
    "take.ask_priority": ("您是否因残疾需要优先办理？", "Do you need priority because of a "
                          "disability?"),
    "take.yes": ("是", "Yes"),
    "take.no": ("否", "No"),
    "take.declare_disability": ("我是残疾人，需要优先办理", "I have a disability and need priority"),
    "take.appointment_hint": ("已预约的市民放身份证即可签到", "Booked? Place your ID card to check in"),
    "take.skip_card": ("不用身份证，直接取号", "Continue without an ID card"),
    "take.confirm": ("请确认取号", "Confirm to take your number"),
    "take.confirm_button": ("确认取号", "Take my number"),
    "take.priority.elderly": ("老年人优先", "Priority: senior citizen"),
    "take.priority.disabled": ("残疾人优先", "Priority: disability"),
    "take.priority.appointment": ("预约签到成功，优先办理", "Appointment checked in: served first"),
    "take.appointment_by_card": ("如您已预约今天办理此事项，取号即完成签到",
                                 "If you booked this matter for today, taking the number "
                                 "checks you in"),
    "take.screen_only_notice": ("打印机暂时不能出票，号码将只显示在屏幕上，请拍照或记下",
                                "The printer is not working: your number will be shown on screen "
                                "only. Please take a photo or write it down"),
    "take.requesting": ("正在取号，请稍候", "Taking your number, please wait"),
    "take.ticket": ("取号成功", "Here is your number"),
    "take.ticket.your_number": ("您的号码", "Your number"),
    "take.ticket.go_to": ("请到{floor}楼 {zone_name} {windows}",
                          "Please go to floor {floor}, {zone_name}, {windows}"),
    "take.ticket.go_to_zone": ("请到{floor}楼 {zone_name}", "Please go to floor {floor}, {zone_name}"),
    "take.ticket.ahead": ("前面还有{ahead}人", "{ahead} people ahead of you"),
    "take.ticket.wait": ("预计等候约{minutes}分钟", "Estimated wait: about {minutes} min"),
    "take.ticket.scan": ("微信扫码，手机上看排队进度", "Scan to follow the queue on your phone"),
    "take.ticket.taken_at": ("取号时间：{issued_at}", "Taken at: {issued_at}"),
    "take.ticket.served_until": ("今日办理至{closes_at}", "Served today until {closes_at}"),
    "take.ticket.listen": ("请留意叫号，过号请重新取号",
                           "Please listen for your number; if missed, take a new one"),
    "take.printing": ("正在打印排队凭条", "Printing your ticket"),
    "take.printed": ("请取走排队凭条", "Please take your ticket"),
    "take.print_failed": ("凭条没有打印出来。屏幕上的号码就是您的号码，请拍照或记下",
                          "The ticket could not be printed. The number on screen is your number: "
                          "please take a photo or write it down"),
    "take.screen_is_ticket": ("本屏幕即您的排队凭证，请拍照或记下号码",
                              "This screen is your ticket: please take a photo or write the "
                              "number down"),
    "take.unavailable": ("现在不能取号", "No numbers available now"),
    "take.no_queue": ("该事项无需取号", "No number is needed for this"),
    "take.self_service": ("该事项为自助办理，请到{place}办理", "This is a self-service matter: please go to {place}"),
    "take.closed": ("该事项现在不在办理时间，请于{come_back_at}再来",
                    "This matter is not served now. Please come back {come_back_at}"),
    "take.quota_gone": ("该事项今日号码已发完，请于{come_back_at}再来",
                        "Today's numbers for this matter are gone. Please come back "
                        "{come_back_at}"),
    "take.offline": ("暂时连不上叫号系统，现在无法取号。您仍可以查看办事指南、打印告知单、"
                     "反映问题或呼叫工作人员",
                     "The queue system cannot be reached, so no numbers can be taken right now. "
                     "You can still read guides, print slips, report a problem or call staff"),
    "take.rate_limited": ("这台机器刚刚连续取了很多号，请过一分钟再试。着急的话请找工作人员",
                          "This kiosk has just given out many numbers. Please try again in a "
                          "minute, or ask the staff if it is urgent"),
    "take.person_limit": ("您今天已经为这个事项取过号了，不能再取。如果错过了叫号，请到服务台找工作人员",
                          "You have already taken numbers for this matter today and cannot take "
                          "another. If you missed your call, please ask at the service desk"),
    "take.still_works.guide": ("查看办事指南", "Read a guide"),
    "take.still_works.report": ("反映办不成的事", "Report a problem"),
    "take.still_works.help": ("呼叫工作人员", "Call staff"),
    # ---- report what could not be done
    "report.identify": ("请放身份证，或用手机号登记",
                        "Place your ID card, or use your mobile number"),
    "report.use_phone": ("用手机号登记", "Use my mobile number"),
    "report.enter_phone": ("请输入您的11位手机号码", "Enter your 11-digit mobile number"),
    "report.bad_mobile": ("手机号码应为1开头的11位数字，请检查",
                          "A mobile number has 11 digits and starts with 1; please check it"),
    "report.choose_matter": ("您要办的是什么事？（不确定可选“其他”）",
                             "Which matter was it? (choose 'Other' if unsure)"),
    "report.matter_other": ("其他 / 不确定", "Other / not sure"),
    "report.situation": ("遇到了什么情况？", "What happened?"),
    "report.situation.not_accepted": ("申请未被受理", "My application was not accepted"),
    "report.situation.not_approved": ("申请未获批准", "My application was not approved"),
    "report.situation.several_visits": ("跑了多次还没办成", "I came several times and it is still "
                                        "not done"),
    "report.situation.staff_attitude": ("工作人员态度问题", "Staff attitude"),
    "report.situation.other": ("其他情况", "Something else"),
    "report.describe": ("请简单说明情况，也可以点选常用语或跳过",
                        "Describe what happened, pick a phrase, or skip"),
    "report.skip": ("跳过，不写说明", "Skip the description"),
    "report.no_description": ("（市民未填写说明）", "(no description given)"),  # sent to the centre
    "report.describe_or_skip": ("请写几句说明，或点“跳过”", "Write a few words, or tap 'Skip'"),
    "report.too_long": ("说明最多500字，超出部分未保存", "At most 500 characters; the rest was "
                        "not kept"),
    "report.phrase.missing_material": ("窗口说材料不全，但没说缺什么",
                                       "The window said papers were missing but not which"),
    "report.phrase.system_down": ("窗口说系统办不了", "The window said the system cannot do it"),
    "report.phrase.sent_elsewhere": ("被告知去别的部门办", "I was sent to another department"),
    "report.phrase.no_explanation": ("没有告诉我不能办的原因", "Nobody told me why it cannot be done"),
    "report.phrase.waited_long": ("等了很久没有结果", "I waited a long time with no result"),
    "report.contact": ("请留下联系电话，我们会回复您", "Leave a phone number so we can answer you"),
    "report.review": ("请核对后提交", "Please check and submit"),
    "report.submit": ("提交", "Submit"),
    "report.submitting": ("正在提交，请稍候", "Submitting, please wait"),
    "report.result": ("您的反映已登记", "Your report is registered"),
    "report.registered": ("我们会在{promised_date}前答复您。凭回执编号和查询码可随时查询进度",
                          "We will answer you by {promised_date}. Use the tracking number and "
                          "the check code to check progress at any time"),
    "report.check_code": ("查询码：{check_code}", "Check code: {check_code}"),
    "report.queued_offline": ("网络暂时中断：您的反映已保存在本机，网络恢复后将自动提交，不会丢失。"
                              "本机编号：{local_ref}",
                              "The network is down: your report is saved on this kiosk and will "
                              "be sent when the network returns. It will not be lost. Local "
                              "reference: {local_ref}"),
    "report.director_hotline": ("中心主任热线：{director_hotline}",
                                "Director's hotline: {director_hotline}"),
    "report.take_receipt": ("请取走回执", "Please take your receipt"),
    # ---- guides and slips
    "guide.browse": ("查看办事指南：选择或搜索事项", "Guides: choose or search a matter"),
    "guide.show": ("办事指南", "Guide"),
    "guide.integrated_hint": ("一件事一次办：以下事项合并办理",
                              "One-stop service: these matters are handled together"),
    "guide.conditions": ("办理条件", "Conditions"),
    "guide.materials": ("所需材料", "Materials"),
    "guide.originals": ("原件{originals}份", "originals: {originals}"),
    "guide.copies": ("复印件{copies}份", "copies: {copies}"),
    "guide.time_limit": ("办理时限", "Time limit"),
    "guide.fee": ("收费标准", "Fee"),
    "guide.place": ("办理地点", "Place"),
    "guide.hours": ("办理时间", "Hours"),
    "guide.print": ("打印一次性告知单", "Print the one-time slip"),
    "guide.scan": ("扫码查看网上办事指南", "Scan for the online guide"),
    "guide.no_guide": ("该事项暂无办事指南，请咨询工作人员",
                       "No guide for this matter yet; please ask the staff"),
    "guide.printing": ("正在打印告知单", "Printing the slip"),
    "guide.printed": ("请取走告知单", "Please take your slip"),
    "guide.print_failed": ("告知单没有打印出来，请扫码在手机上查看，或拍下屏幕",
                           "The slip could not be printed: scan the code to read it on your "
                           "phone, or take a photo of the screen"),
    # ---- progress
    "progress.choose_method": ("查询办理进度：用回执编号或身份证",
                               "Check progress: by tracking number or ID card"),
    "progress.by_number": ("输入回执编号", "Enter the tracking number"),
    "progress.by_card": ("刷身份证查询", "Use my ID card"),
    "progress.enter_number": ("请输入回执上的编号（R加12位数字，或8位本机编号）",
                              "Enter the number on your receipt (R and 12 digits, or the "
                              "8-character local number)"),
    "progress.bad_number": ("编号应为R加12位数字，或8位本机编号，请检查",
                            "The number is R followed by 12 digits, or an 8-character local "
                            "number; please check it"),
    "progress.enter_code": ("请输入回执上的4位查询码", "Enter the 4-digit check code on your "
                            "receipt"),
    "progress.number_entered": ("回执编号：{tracking_no}", "Tracking number: {tracking_no}"),
    "progress.code_keypad": ("4位查询码", "4-digit check code"),
    "progress.bad_code": ("查询码是4位数字，请检查", "The check code has 4 digits; please check it"),
    "report.lookup_limited": ("查询次数太多了，请过一分钟再试，或找工作人员帮忙",
                                "Too many look-ups from this kiosk. Please try again in a minute, "
                                "or ask the staff for help"),
    "progress.place_card": ("请把身份证放在感应区", "Place your ID card on the reader"),
    "progress.looking_up": ("正在查询，请稍候", "Looking it up, please wait"),
    "progress.results": ("办理进度", "Progress"),
    "progress.none_found": ("没有查到反映记录，请核对回执编号和查询码",
                            "No report found: please check the tracking number and the check "
                            "code"),
    "progress.promised": ("答复期限：{promised_date}", "Answer due by {promised_date}"),
    "progress.answer": ("答复内容", "Answer"),
    "progress.step.accepted": ("受理", "Accepted"),
    "progress.step.classified": ("分类", "Classified"),
    "progress.step.dispatched": ("转办", "Sent to the office"),
    "progress.step.resolved": ("办结", "Resolved"),
    "progress.step.answered": ("反馈", "Answered"),
    "progress.now.received": ("当前进度：已收到，等待受理", "Now: received, waiting to be accepted"),
    "progress.now.accepted": ("当前进度：已受理", "Now: accepted"),
    "progress.now.classified": ("当前进度：已分类，等待转办", "Now: classified, to be sent on"),
    "progress.now.dispatched": ("当前进度：已转办，正在办理", "Now: sent to the office, in hand"),
    "progress.now.resolved": ("当前进度：已办结，等待答复", "Now: resolved, answer to follow"),
    "progress.now.answered": ("当前进度：已答复", "Now: answered"),
    "progress.next_step": ("下一步：{step}", "Next step: {step}"),
    "progress.received_on": ("{date} 提交", "Made on {date}"),
    "progress.promised_words": ("将在{promised_date}前答复您", "You will get an answer by "
                                "{promised_date}"),
    "progress.local_waiting": ("本机编号{local_ref}的反映还在本机等待发送，网络恢复后会自动送达服务中心。"
                               "送达后可用同一编号查询",
                               "The report with local number {local_ref} is still waiting on "
                               "this kiosk to be sent; it goes to the service centre by itself "
                               "when the network is back. Once sent, the same number finds it"),
    "progress.local_refused": ("本机编号{local_ref}的反映没有被服务中心接收，已留给工作人员处理，"
                               "请呼叫工作人员",
                               "The service centre did not accept the report with local number "
                               "{local_ref}; it is kept for the staff. Please call staff"),
    "progress.local_unknown": ("本机没有这个编号的反映，请核对回执，或用回执编号查询",
                               "This kiosk has no report with that number: please check your "
                               "receipt, or use the tracking number"),
    "progress.none_found_card": ("没有查到用这张身份证提交的反映",
                                 "No report was made with this ID card"),
    # ---- evaluation
    "evaluation.link": ("请输入为您服务的窗口号，或扫描排队凭条",
                        "Enter the window that served you, or scan your ticket"),
    "evaluation.bad_window": ("请输入窗口号（数字或字母）", "Enter the window number (digits or "
                              "letters)"),
    "evaluation.level": ("您对这次服务满意吗？", "How satisfied are you with the service?"),
    "evaluation.level.5": ("非常满意", "Very satisfied"),
    "evaluation.level.4": ("满意", "Satisfied"),
    "evaluation.level.3": ("基本满意", "Fairly satisfied"),
    "evaluation.level.2": ("不满意", "Dissatisfied"),
    "evaluation.level.1": ("非常不满意", "Very dissatisfied"),
    "evaluation.reasons": ("请选择不满意的原因（可多选）", "Why? Choose one or more reasons"),
    "evaluation.pick_reason": ("请至少选择一个原因", "Please choose at least one reason"),
    "evaluation.reason.attitude": ("服务态度不好", "Unfriendly staff"),
    "evaluation.reason.slow": ("等候或办理太慢", "Too slow"),
    "evaluation.reason.unclear": ("告知不清楚", "Unclear information"),
    "evaluation.reason.many_visits": ("让我跑了多次", "Had to come several times"),
    "evaluation.reason.not_done": ("事情没办成", "The matter was not done"),
    "evaluation.reason.environment": ("环境设施不好", "Poor facilities"),
    "evaluation.submitting": ("正在提交评价", "Sending your rating"),
    "evaluation.thanks": ("感谢您的评价！", "Thank you for your rating!"),
    # ---- help
    "help.closed": ("需要帮助？点这里呼叫工作人员", "Need help? Tap to call staff"),
    "help.sending": ("正在呼叫工作人员", "Calling staff"),
    "help.coming": ("工作人员马上就到，请在机器旁稍候", "Staff are on their way; please wait "
                    "at the kiosk"),
    "help.staff_coming": ("{role} {name} 已收到呼叫，正在赶来", "{name} ({role}) got your call and "
                          "is on the way"),
    "help.cancel": ("不需要了，取消呼叫", "No longer needed, cancel"),
    "help.queued": ("暂时联系不上值班工作人员，呼叫已保存，网络恢复后自动发出",
                    "Staff cannot be reached right now; your call is saved and will be sent "
                    "when the network is back"),
    "help.failed": ("呼叫没有发出", "The call did not go through"),
    "help.hotline_hint": ("请到服务台找工作人员，或拨打政务服务热线{hotline}",
                          "Please go to the service desk, or call the service hotline {hotline}"),
    "help.after_hours": ("现在不是人工服务时间，现场可能没有工作人员",
                         "It is outside staffed hours: there may be no staff on site"),
    "help.after_hours_detail": ("您的呼叫已记录。急需帮助请拨打政务服务热线{hotline}；人工服务{staff_back_at}恢复。",
                                "Your call has been recorded. For urgent help call the service hotline {hotline}; staff are back {staff_back_at}."),
    "help.after_hours_hotline": ("您的呼叫已记录。急需帮助请拨打政务服务热线{hotline}。",
                                 "Your call has been recorded. For urgent help call the service hotline {hotline}."),
}

