<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message id="app.title">
        <source>Government service kiosk</source>
        <translation>Government service kiosk</translation>
    </message>
    <message id="appointment.not_offered">
        <source>This matter takes no appointments</source>
        <translation>This matter takes no appointments</translation>
    </message>
    <message id="appointment.not_today">
        <source>This appointment is not for today</source>
        <translation>This appointment is not for today</translation>
    </message>
    <message id="appointment.unknown">
        <source>This appointment code is not known</source>
        <translation>This appointment code is not known</translation>
    </message>
    <message id="appointment.wrong_matter">
        <source>This appointment is for another matter</source>
        <translation>This appointment is for another matter</translation>
    </message>
    <message id="auth.invalid">
        <source>This kiosk's access token is not valid; call the administrator</source>
        <translation>This kiosk's access token is not valid; call the administrator</translation>
    </message>
    <message id="auth.missing">
        <source>This kiosk has no access token; call the administrator</source>
        <translation>This kiosk has no access token; call the administrator</translation>
    </message>
    <message id="auth.revoked">
        <source>This kiosk's access token was revoked; call the administrator</source>
        <translation>This kiosk's access token was revoked; call the administrator</translation>
    </message>
    <message id="card.invalid">
        <source>This card could not be verified; please go to a staffed window</source>
        <translation>This card could not be verified; please go to a staffed window</translation>
    </message>
    <message id="card.place_flat">
        <source>Please lay the card flat on the reader and hold still</source>
        <translation>Please lay the card flat on the reader and hold still</translation>
    </message>
    <message id="card.try_again">
        <source>Could not read the card, please lift it and place it again</source>
        <translation>Could not read the card, please lift it and place it again</translation>
    </message>
    <message id="card.unsupported">
        <source>This type of card is not supported; please go to a staffed window</source>
        <translation>This type of card is not supported; please go to a staffed window</translation>
    </message>
    <message id="central.bad_answer">
        <source>The service centre's answer could not be understood; please ask staff</source>
        <translation>The service centre's answer could not be understood; please ask staff</translation>
    </message>
    <message id="central.busy">
        <source>The service centre is busy; please try again shortly</source>
        <translation>The service centre is busy; please try again shortly</translation>
    </message>
    <message id="central.offline">
        <source>Cannot reach the service centre right now</source>
        <translation>Cannot reach the service centre right now</translation>
    </message>
    <message id="central.server_error">
        <source>The service centre has a fault; try later or ask staff</source>
        <translation>The service centre has a fault; try later or ask staff</translation>
    </message>
    <message id="common.abort">
        <source>Go home</source>
        <translation>Go home</translation>
    </message>
    <message id="common.back">
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message id="common.cancel">
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message id="common.done">
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message id="common.error">
        <source>Something went wrong</source>
        <translation>Something went wrong</translation>
    </message>
    <message id="common.help">
        <source>Call staff</source>
        <translation>Call staff</translation>
    </message>
    <message id="common.home">
        <source>Back to the home screen</source>
        <translation>Back to the home screen</translation>
    </message>
    <message id="common.next">
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message id="common.offer_elder_mode">
        <source>Larger text and voice? Tap here for elder mode</source>
        <translation>Larger text and voice? Tap here for elder mode</translation>
    </message>
    <message id="common.retry">
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message id="config.bad_signature">
        <source>Configuration signature is wrong; rejected, old configuration kept</source>
        <translation>Configuration signature is wrong; rejected, old configuration kept</translation>
    </message>
    <message id="config.invalid">
        <source>Configuration content is invalid; rejected</source>
        <translation>Configuration content is invalid; rejected</translation>
    </message>
    <message id="config.malformed">
        <source>Configuration is malformed; rejected</source>
        <translation>Configuration is malformed; rejected</translation>
    </message>
    <message id="config.no_key">
        <source>No public key configured to verify configuration</source>
        <translation>No public key configured to verify configuration</translation>
    </message>
    <message id="config.none">
        <source>No configuration received from the centre yet</source>
        <translation>No configuration received from the centre yet</translation>
    </message>
    <message id="config.older_version">
        <source>An older configuration was ignored</source>
        <translation>An older configuration was ignored</translation>
    </message>
    <message id="entry.evaluation">
        <source>Rate our service</source>
        <translation>Rate our service</translation>
    </message>
    <message id="entry.evaluation.sub">
        <source>Good or bad, tell us</source>
        <translation>Good or bad, tell us</translation>
    </message>
    <message id="entry.guide">
        <source>Service guides</source>
        <translation>Service guides</translation>
    </message>
    <message id="entry.guide.sub">
        <source>Materials · one-time checklist</source>
        <translation>Materials · one-time checklist</translation>
    </message>
    <message id="entry.help">
        <source>Call staff</source>
        <translation>Call staff</translation>
    </message>
    <message id="entry.help.sub">
        <source>A staff member will come to help</source>
        <translation>A staff member will come to help</translation>
    </message>
    <message id="entry.progress">
        <source>Check progress</source>
        <translation>Check progress</translation>
    </message>
    <message id="entry.progress.sub">
        <source>Follow up on a report</source>
        <translation>Follow up on a report</translation>
    </message>
    <message id="entry.report">
        <source>Could not get it done?</source>
        <translation>Could not get it done?</translation>
    </message>
    <message id="entry.report.sub">
        <source>Tell us what went wrong</source>
        <translation>Tell us what went wrong</translation>
    </message>
    <message id="entry.ticket">
        <source>Take a number</source>
        <translation>Take a number</translation>
    </message>
    <message id="entry.ticket.sub">
        <source>Queue ticket · appointment check-in</source>
        <translation>Queue ticket · appointment check-in</translation>
    </message>
    <message id="evaluation.bad_window">
        <source>Enter the window number (digits or letters)</source>
        <translation>Enter the window number (digits or letters)</translation>
    </message>
    <message id="evaluation.clear">
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message id="evaluation.home_soon">
        <source>Back to home in {seconds} s</source>
        <translation>Back to home in {seconds} s</translation>
    </message>
    <message id="evaluation.level">
        <source>How satisfied are you with the service?</source>
        <translation>How satisfied are you with the service?</translation>
    </message>
    <message id="evaluation.level.1">
        <source>Very dissatisfied</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message id="evaluation.level.2">
        <source>Dissatisfied</source>
        <translation>Dissatisfied</translation>
    </message>
    <message id="evaluation.level.3">
        <source>Fairly satisfied</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message id="evaluation.level.4">
        <source>Satisfied</source>
        <translation>Satisfied</translation>
    </message>
    <message id="evaluation.level.5">
        <source>Very satisfied</source>
        <translation>Very satisfied</translation>
    </message>
    <message id="evaluation.link">
        <source>Enter the window that served you, or scan your ticket</source>
        <translation>Enter the window that served you, or scan your ticket</translation>
    </message>
    <message id="evaluation.next">
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message id="evaluation.phone">
        <source>Leave a mobile number if you would like a call back, or skip</source>
        <translation>Leave a mobile number if you would like a call back, or skip</translation>
    </message>
    <message id="evaluation.phone_note">
        <source>The number is used only to call you back about this rating and is erased from this kiosk once the centre has it</source>
        <translation>The number is used only to call you back about this rating and is erased from this kiosk once the centre has it</translation>
    </message>
    <message id="evaluation.pick_reason">
        <source>Please choose at least one reason</source>
        <translation>Please choose at least one reason</translation>
    </message>
    <message id="evaluation.reason.attitude">
        <source>Unfriendly staff</source>
        <translation>Unfriendly staff</translation>
    </message>
    <message id="evaluation.reason.environment">
        <source>Poor facilities</source>
        <translation>Poor facilities</translation>
    </message>
    <message id="evaluation.reason.many_visits">
        <source>Had to come several times</source>
        <translation>Had to come several times</translation>
    </message>
    <message id="evaluation.reason.not_done">
        <source>The matter was not done</source>
        <translation>The matter was not done</translation>
    </message>
    <message id="evaluation.reason.slow">
        <source>Too slow</source>
        <translation>Too slow</translation>
    </message>
    <message id="evaluation.reason.unclear">
        <source>Unclear information</source>
        <translation>Unclear information</translation>
    </message>
    <message id="evaluation.reasons">
        <source>Why? Choose one or more reasons</source>
        <translation>Why? Choose one or more reasons</translation>
    </message>
    <message id="evaluation.send_phone">
        <source>Send, and call me back</source>
        <translation>Send, and call me back</translation>
    </message>
    <message id="evaluation.skip_phone">
        <source>Skip, no call back</source>
        <translation>Skip, no call back</translation>
    </message>
    <message id="evaluation.submitting">
        <source>Sending your rating</source>
        <translation>Sending your rating</translation>
    </message>
    <message id="evaluation.thanks">
        <source>Thank you for your rating!</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message id="evaluation.window_keypad">
        <source>Window number</source>
        <translation>Window number</translation>
    </message>
    <message id="flow.card_read">
        <source>ID card read: {name}</source>
        <translation>ID card read: {name}</translation>
    </message>
    <message id="flow.checking_printer">
        <source>Checking the printer…</source>
        <translation>Checking the printer…</translation>
    </message>
    <message id="flow.come_back_hours">
        <source>Hours: {hours}</source>
        <translation>Hours: {hours}</translation>
    </message>
    <message id="flow.disability_on">
        <source>Disability priority chosen (tap to undo)</source>
        <translation>Disability priority chosen (tap to undo)</translation>
    </message>
    <message id="flow.floor_zone">
        <source>Floor {floor} · {location}</source>
        <translation>Floor {floor} · {location}</translation>
    </message>
    <message id="flow.home_now">
        <source>Back to home</source>
        <translation>Back to home</translation>
    </message>
    <message id="flow.more_below">
        <source>More below</source>
        <translation>More below</translation>
    </message>
    <message id="flow.no_catalogue">
        <source>This kiosk has not received the list of services yet. Please try again shortly or call staff</source>
        <translation>This kiosk has not received the list of services yet. Please try again shortly or call staff</translation>
    </message>
    <message id="flow.no_match">
        <source>Nothing found. Try another word or go back to the areas</source>
        <translation>Nothing found. Try another word or go back to the areas</translation>
    </message>
    <message id="flow.other_matter">
        <source>Choose another matter</source>
        <translation>Choose another matter</translation>
    </message>
    <message id="flow.place">
        <source>Where: floor {floor}, {zone}, {windows}</source>
        <translation>Where: floor {floor}, {zone}, {windows}</translation>
    </message>
    <message id="flow.place_zone">
        <source>Where: floor {floor}, {zone}</source>
        <translation>Where: floor {floor}, {zone}</translation>
    </message>
    <message id="flow.printer_ready">
        <source>The printer is ready: your ticket will be printed</source>
        <translation>The printer is ready: your ticket will be printed</translation>
    </message>
    <message id="flow.reader_unavailable">
        <source>The ID card reader is not working right now; you can go on without your card</source>
        <translation>The ID card reader is not working right now; you can go on without your card</translation>
    </message>
    <message id="flow.search">
        <source>Search (pinyin initials work, e.g. hyd)</source>
        <translation>Search (pinyin initials work, e.g. hyd)</translation>
    </message>
    <message id="flow.self_service">
        <source>Self-service</source>
        <translation>Self-service</translation>
    </message>
    <message id="flow.staffed_hours">
        <source>Staffed hours of the hall: {hours}</source>
        <translation>Staffed hours of the hall: {hours}</translation>
    </message>
    <message id="flow.still_works">
        <source>What still works now:</source>
        <translation>What still works now:</translation>
    </message>
    <message id="flow.windows">
        <source>Windows {windows}</source>
        <translation>Windows {windows}</translation>
    </message>
    <message id="flow.your_matter">
        <source>Your matter: {matter}</source>
        <translation>Your matter: {matter}</translation>
    </message>
    <message id="guide.browse">
        <source>Guides: choose or search a matter</source>
        <translation>Guides: choose or search a matter</translation>
    </message>
    <message id="guide.conditions">
        <source>Conditions</source>
        <translation>Conditions</translation>
    </message>
    <message id="guide.copies">
        <source>copies: {copies}</source>
        <translation>copies: {copies}</translation>
    </message>
    <message id="guide.fee">
        <source>Fee</source>
        <translation>Fee</translation>
    </message>
    <message id="guide.hours">
        <source>Hours</source>
        <translation>Hours</translation>
    </message>
    <message id="guide.integrated_hint">
        <source>One-stop service: these matters are handled together</source>
        <translation>One-stop service: these matters are handled together</translation>
    </message>
    <message id="guide.materials">
        <source>Materials</source>
        <translation>Materials</translation>
    </message>
    <message id="guide.no_guide">
        <source>No guide for this matter yet; please ask the staff</source>
        <translation>No guide for this matter yet; please ask the staff</translation>
    </message>
    <message id="guide.originals">
        <source>originals: {originals}</source>
        <translation>originals: {originals}</translation>
    </message>
    <message id="guide.place">
        <source>Place</source>
        <translation>Place</translation>
    </message>
    <message id="guide.print">
        <source>Print the one-time slip</source>
        <translation>Print the one-time slip</translation>
    </message>
    <message id="guide.print_failed">
        <source>The slip could not be printed: scan the code to read it on your phone, or take a photo of the screen</source>
        <translation>The slip could not be printed: scan the code to read it on your phone, or take a photo of the screen</translation>
    </message>
    <message id="guide.printed">
        <source>Please take your slip</source>
        <translation>Please take your slip</translation>
    </message>
    <message id="guide.printing">
        <source>Printing the slip</source>
        <translation>Printing the slip</translation>
    </message>
    <message id="guide.scan">
        <source>Scan for the online guide</source>
        <translation>Scan for the online guide</translation>
    </message>
    <message id="guide.show">
        <source>Guide</source>
        <translation>Guide</translation>
    </message>
    <message id="guide.time_limit">
        <source>Time limit</source>
        <translation>Time limit</translation>
    </message>
    <message id="help.after_hours">
        <source>It is outside staffed hours: there may be no staff on site</source>
        <translation>It is outside staffed hours: there may be no staff on site</translation>
    </message>
    <message id="help.after_hours_detail">
        <source>Your call has been recorded. For urgent help call the service hotline {hotline}; staff are back {staff_back_at}.</source>
        <translation>Your call has been recorded. For urgent help call the service hotline {hotline}; staff are back {staff_back_at}.</translation>
    </message>
    <message id="help.after_hours_hotline">
        <source>Your call has been recorded. For urgent help call the service hotline {hotline}.</source>
        <translation>Your call has been recorded. For urgent help call the service hotline {hotline}.</translation>
    </message>
    <message id="help.back_to_flow">
        <source>OK, go back</source>
        <translation>OK, go back</translation>
    </message>
    <message id="help.cancel">
        <source>No longer needed, cancel</source>
        <translation>No longer needed, cancel</translation>
    </message>
    <message id="help.closed">
        <source>Need help? Tap to call staff</source>
        <translation>Need help? Tap to call staff</translation>
    </message>
    <message id="help.coming">
        <source>Staff are on their way; please wait at the kiosk</source>
        <translation>Staff are on their way; please wait at the kiosk</translation>
    </message>
    <message id="help.failed">
        <source>The call did not go through</source>
        <translation>The call did not go through</translation>
    </message>
    <message id="help.hotline_hint">
        <source>Please go to the service desk, or call the service hotline {hotline}</source>
        <translation>Please go to the service desk, or call the service hotline {hotline}</translation>
    </message>
    <message id="help.location">
        <source>This kiosk: {location}</source>
        <translation>This kiosk: {location}</translation>
    </message>
    <message id="help.queued">
        <source>Staff cannot be reached right now; your call is saved and will be sent when the network is back</source>
        <translation>Staff cannot be reached right now; your call is saved and will be sent when the network is back</translation>
    </message>
    <message id="help.sending">
        <source>Calling staff</source>
        <translation>Calling staff</translation>
    </message>
    <message id="help.staff_coming">
        <source>{name} ({role}) got your call and is on the way</source>
        <translation>{name} ({role}) got your call and is on the way</translation>
    </message>
    <message id="home.card_hint">
        <source>You may place your ID card on the reader at any time</source>
        <translation>You may place your ID card on the reader at any time</translation>
    </message>
    <message id="home.choose">
        <source>Please choose what you need</source>
        <translation>Please choose what you need</translation>
    </message>
    <message id="home.notices">
        <source>Notices</source>
        <translation>Notices</translation>
    </message>
    <message id="home.welcome">
        <source>Welcome to 24-hour self-service</source>
        <translation>Welcome to 24-hour self-service</translation>
    </message>
    <message id="idle.body">
        <source>Returning to the home screen in %1 s; what you entered will be cleared.</source>
        <translation>Returning to the home screen in %1 s; what you entered will be cleared.</translation>
    </message>
    <message id="idle.done">
        <source>No, back to home</source>
        <translation>No, back to home</translation>
    </message>
    <message id="idle.more">
        <source>Yes, I need more time</source>
        <translation>Yes, I need more time</translation>
    </message>
    <message id="idle.title">
        <source>Need more time?</source>
        <translation>Need more time?</translation>
    </message>
    <message id="matter.no_queue">
        <source>This matter is self-service; no number needed</source>
        <translation>This matter is self-service; no number needed</translation>
    </message>
    <message id="matter.unknown">
        <source>There is no such matter</source>
        <translation>There is no such matter</translation>
    </message>
    <message id="nav.back">
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message id="nav.elder">
        <source>Elder mode</source>
        <translation>Elder mode</translation>
    </message>
    <message id="nav.elder.off">
        <source>off</source>
        <translation>off</translation>
    </message>
    <message id="nav.elder.on">
        <source>on</source>
        <translation>on</translation>
    </message>
    <message id="nav.help">
        <source>Call</source>
        <translation>Call</translation>
    </message>
    <message id="nav.help.who">
        <source>staff</source>
        <translation>staff</translation>
    </message>
    <message id="nav.home">
        <source>Home</source>
        <translation>Home</translation>
    </message>
    <message id="nav.language">
        <source>中文</source>
        <translation>中文</translation>
    </message>
    <message id="nav.language.hint">
        <source>Switch to Chinese</source>
        <translation>Switch to Chinese</translation>
    </message>
    <message id="outbox.disk_error">
        <source>This kiosk could not save it; please ask staff</source>
        <translation>This kiosk could not save it; please ask staff</translation>
    </message>
    <message id="outbox.failed">
        <source>The service centre refused it; please ask staff</source>
        <translation>The service centre refused it; please ask staff</translation>
    </message>
    <message id="outbox.private_data">
        <source>The text contains an ID, passport or permit number; please remove it and submit again</source>
        <translation>The text contains an ID, passport or permit number; please remove it and submit again</translation>
    </message>
    <message id="outbox.saved">
        <source>Saved; it will be sent to the service centre</source>
        <translation>Saved; it will be sent to the service centre</translation>
    </message>
    <message id="outbox.sent">
        <source>Delivered to the service centre</source>
        <translation>Delivered to the service centre</translation>
    </message>
    <message id="printer.bad_answer">
        <source>The printer's status reply is not valid</source>
        <translation>The printer's status reply is not valid</translation>
    </message>
    <message id="printer.cover_open">
        <source>The printer cover is open</source>
        <translation>The printer cover is open</translation>
    </message>
    <message id="printer.error">
        <source>The printer reports an error</source>
        <translation>The printer reports an error</translation>
    </message>
    <message id="printer.no_answer">
        <source>The printer does not answer</source>
        <translation>The printer does not answer</translation>
    </message>
    <message id="printer.not_connected">
        <source>The printer is not connected</source>
        <translation>The printer is not connected</translation>
    </message>
    <message id="printer.offline">
        <source>The printer is offline</source>
        <translation>The printer is offline</translation>
    </message>
    <message id="printer.paper_near_end">
        <source>Printer paper is running low</source>
        <translation>Printer paper is running low</translation>
    </message>
    <message id="printer.paper_out">
        <source>The printer is out of paper; please see or photograph the screen</source>
        <translation>The printer is out of paper; please see or photograph the screen</translation>
    </message>
    <message id="printer.template_error">
        <source>The ticket template is faulty; please ask staff</source>
        <translation>The ticket template is faulty; please ask staff</translation>
    </message>
    <message id="printer.write_failed">
        <source>Sending the ticket to the printer failed</source>
        <translation>Sending the ticket to the printer failed</translation>
    </message>
    <message id="progress.answer">
        <source>Answer</source>
        <translation>Answer</translation>
    </message>
    <message id="progress.bad_code">
        <source>The check code has 4 digits; please check it</source>
        <translation>The check code has 4 digits; please check it</translation>
    </message>
    <message id="progress.bad_number">
        <source>The number is R followed by 12 digits, or an 8-character local number; please check it</source>
        <translation>The number is R followed by 12 digits, or an 8-character local number; please check it</translation>
    </message>
    <message id="progress.by_card">
        <source>Use my ID card</source>
        <translation>Use my ID card</translation>
    </message>
    <message id="progress.by_number">
        <source>Enter the tracking number</source>
        <translation>Enter the tracking number</translation>
    </message>
    <message id="progress.choose_method">
        <source>Check progress: by tracking number or ID card</source>
        <translation>Check progress: by tracking number or ID card</translation>
    </message>
    <message id="progress.code_keypad">
        <source>4-digit check code</source>
        <translation>4-digit check code</translation>
    </message>
    <message id="progress.enter_code">
        <source>Enter the 4-digit check code on your receipt</source>
        <translation>Enter the 4-digit check code on your receipt</translation>
    </message>
    <message id="progress.enter_number">
        <source>Enter the number on your receipt (R and 12 digits, or the 8-character local number)</source>
        <translation>Enter the number on your receipt (R and 12 digits, or the 8-character local number)</translation>
    </message>
    <message id="progress.local_refused">
        <source>The service centre did not accept the report with local number {local_ref}; it is kept for the staff. Please call staff</source>
        <translation>The service centre did not accept the report with local number {local_ref}; it is kept for the staff. Please call staff</translation>
    </message>
    <message id="progress.local_unknown">
        <source>This kiosk has no report with that number: please check your receipt, or use the tracking number</source>
        <translation>This kiosk has no report with that number: please check your receipt, or use the tracking number</translation>
    </message>
    <message id="progress.local_waiting">
        <source>The report with local number {local_ref} is still waiting on this kiosk to be sent; it goes to the service centre by itself when the network is back. Once sent, the same number finds it</source>
        <translation>The report with local number {local_ref} is still waiting on this kiosk to be sent; it goes to the service centre by itself when the network is back. Once sent, the same number finds it</translation>
    </message>
    <message id="progress.looking_up">
        <source>Looking it up, please wait</source>
        <translation>Looking it up, please wait</translation>
    </message>
    <message id="progress.next_step">
        <source>Next step: {step}</source>
        <translation>Next step: {step}</translation>
    </message>
    <message id="progress.none_found">
        <source>No report found: please check the tracking number and the check code</source>
        <translation>No report found: please check the tracking number and the check code</translation>
    </message>
    <message id="progress.none_found_card">
        <source>No report was made with this ID card</source>
        <translation>No report was made with this ID card</translation>
    </message>
    <message id="progress.now.accepted">
        <source>Now: accepted</source>
        <translation>Now: accepted</translation>
    </message>
    <message id="progress.now.answered">
        <source>Now: answered</source>
        <translation>Now: answered</translation>
    </message>
    <message id="progress.now.classified">
        <source>Now: classified, to be sent on</source>
        <translation>Now: classified, to be sent on</translation>
    </message>
    <message id="progress.now.dispatched">
        <source>Now: sent to the office, in hand</source>
        <translation>Now: sent to the office, in hand</translation>
    </message>
    <message id="progress.now.received">
        <source>Now: received, waiting to be accepted</source>
        <translation>Now: received, waiting to be accepted</translation>
    </message>
    <message id="progress.now.resolved">
        <source>Now: resolved, answer to follow</source>
        <translation>Now: resolved, answer to follow</translation>
    </message>
    <message id="progress.number_entered">
        <source>Tracking number: {tracking_no}</source>
        <translation>Tracking number: {tracking_no}</translation>
    </message>
    <message id="progress.place_card">
        <source>Place your ID card on the reader</source>
        <translation>Place your ID card on the reader</translation>
    </message>
    <message id="progress.promised">
        <source>Answer due by {promised_date}</source>
        <translation>Answer due by {promised_date}</translation>
    </message>
    <message id="progress.promised_words">
        <source>You will get an answer by {promised_date}</source>
        <translation>You will get an answer by {promised_date}</translation>
    </message>
    <message id="progress.received_on">
        <source>Made on {date}</source>
        <translation>Made on {date}</translation>
    </message>
    <message id="progress.results">
        <source>Progress</source>
        <translation>Progress</translation>
    </message>
    <message id="progress.step.accepted">
        <source>Accepted</source>
        <translation>Accepted</translation>
    </message>
    <message id="progress.step.answered">
        <source>Answered</source>
        <translation>Answered</translation>
    </message>
    <message id="progress.step.classified">
        <source>Classified</source>
        <translation>Classified</translation>
    </message>
    <message id="progress.step.dispatched">
        <source>Sent to the office</source>
        <translation>Sent to the office</translation>
    </message>
    <message id="progress.step.resolved">
        <source>Resolved</source>
        <translation>Resolved</translation>
    </message>
    <message id="progress.tracking_keypad">
        <source>The 12 digits after R</source>
        <translation>The 12 digits after R</translation>
    </message>
    <message id="reader.io_error">
        <source>The connection to the card reader was lost</source>
        <translation>The connection to the card reader was lost</translation>
    </message>
    <message id="reader.no_answer">
        <source>The card reader does not answer</source>
        <translation>The card reader does not answer</translation>
    </message>
    <message id="reader.no_frames">
        <source>No valid frames from the card reader; check the baud rate</source>
        <translation>No valid frames from the card reader; check the baud rate</translation>
    </message>
    <message id="reader.not_found">
        <source>The card reader is not connected</source>
        <translation>The card reader is not connected</translation>
    </message>
    <message id="reader.permission_denied">
        <source>No permission to open the card reader's port; check the device permissions</source>
        <translation>No permission to open the card reader's port; check the device permissions</translation>
    </message>
    <message id="reader.sam_error">
        <source>The card reader's security module reports a fault</source>
        <translation>The card reader's security module reports a fault</translation>
    </message>
    <message id="report.bad_mobile">
        <source>A mobile number has 11 digits and starts with 1; please check it</source>
        <translation>A mobile number has 11 digits and starts with 1; please check it</translation>
    </message>
    <message id="report.check_code">
        <source>Check code: {check_code}</source>
        <translation>Check code: {check_code}</translation>
    </message>
    <message id="report.choose_matter">
        <source>Which matter was it? (choose 'Other' if unsure)</source>
        <translation>Which matter was it? (choose 'Other' if unsure)</translation>
    </message>
    <message id="report.contact">
        <source>Leave a phone number so we can answer you</source>
        <translation>Leave a phone number so we can answer you</translation>
    </message>
    <message id="report.describe">
        <source>Describe what happened, pick a phrase, or skip</source>
        <translation>Describe what happened, pick a phrase, or skip</translation>
    </message>
    <message id="report.describe_or_skip">
        <source>Write a few words, or tap 'Skip'</source>
        <translation>Write a few words, or tap 'Skip'</translation>
    </message>
    <message id="report.director_hotline">
        <source>Director's hotline: {director_hotline}</source>
        <translation>Director's hotline: {director_hotline}</translation>
    </message>
    <message id="report.edit">
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message id="report.enter_phone">
        <source>Enter your 11-digit mobile number</source>
        <translation>Enter your 11-digit mobile number</translation>
    </message>
    <message id="report.identify">
        <source>Place your ID card, or use your mobile number</source>
        <translation>Place your ID card, or use your mobile number</translation>
    </message>
    <message id="report.lookup_limited">
        <source>Too many look-ups from this kiosk. Please try again in a minute, or ask the staff for help</source>
        <translation>Too many look-ups from this kiosk. Please try again in a minute, or ask the staff for help</translation>
    </message>
    <message id="report.matter_other">
        <source>Other / not sure</source>
        <translation>Other / not sure</translation>
    </message>
    <message id="report.no_description">
        <source>(no description given)</source>
        <translation>(no description given)</translation>
    </message>
    <message id="report.phrase.missing_material">
        <source>The window said papers were missing but not which</source>
        <translation>The window said papers were missing but not which</translation>
    </message>
    <message id="report.phrase.no_explanation">
        <source>Nobody told me why it cannot be done</source>
        <translation>Nobody told me why it cannot be done</translation>
    </message>
    <message id="report.phrase.sent_elsewhere">
        <source>I was sent to another department</source>
        <translation>I was sent to another department</translation>
    </message>
    <message id="report.phrase.system_down">
        <source>The window said the system cannot do it</source>
        <translation>The window said the system cannot do it</translation>
    </message>
    <message id="report.phrase.waited_long">
        <source>I waited a long time with no result</source>
        <translation>I waited a long time with no result</translation>
    </message>
    <message id="report.queued_offline">
        <source>The network is down: your report is saved on this kiosk and will be sent when the network returns. It will not be lost. Local reference: {local_ref}</source>
        <translation>The network is down: your report is saved on this kiosk and will be sent when the network returns. It will not be lost. Local reference: {local_ref}</translation>
    </message>
    <message id="report.registered">
        <source>We will answer you by {promised_date}. Use the tracking number and the check code to check progress at any time</source>
        <translation>We will answer you by {promised_date}. Use the tracking number and the check code to check progress at any time</translation>
    </message>
    <message id="report.result">
        <source>Your report is registered</source>
        <translation>Your report is registered</translation>
    </message>
    <message id="report.review">
        <source>Please check and submit</source>
        <translation>Please check and submit</translation>
    </message>
    <message id="report.review.contact">
        <source>Contact number</source>
        <translation>Contact number</translation>
    </message>
    <message id="report.review.describe">
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message id="report.review.identify">
        <source>Identified by</source>
        <translation>Identified by</translation>
    </message>
    <message id="report.review.matter">
        <source>Matter</source>
        <translation>Matter</translation>
    </message>
    <message id="report.review.situation">
        <source>What happened</source>
        <translation>What happened</translation>
    </message>
    <message id="report.situation">
        <source>What happened?</source>
        <translation>What happened?</translation>
    </message>
    <message id="report.situation.not_accepted">
        <source>My application was not accepted</source>
        <translation>My application was not accepted</translation>
    </message>
    <message id="report.situation.not_approved">
        <source>My application was not approved</source>
        <translation>My application was not approved</translation>
    </message>
    <message id="report.situation.other">
        <source>Something else</source>
        <translation>Something else</translation>
    </message>
    <message id="report.situation.several_visits">
        <source>I came several times and it is still not done</source>
        <translation>I came several times and it is still not done</translation>
    </message>
    <message id="report.situation.staff_attitude">
        <source>Staff attitude</source>
        <translation>Staff attitude</translation>
    </message>
    <message id="report.skip">
        <source>Skip the description</source>
        <translation>Skip the description</translation>
    </message>
    <message id="report.submit">
        <source>Submit</source>
        <translation>Submit</translation>
    </message>
    <message id="report.submitting">
        <source>Submitting, please wait</source>
        <translation>Submitting, please wait</translation>
    </message>
    <message id="report.take_receipt">
        <source>Please take your receipt</source>
        <translation>Please take your receipt</translation>
    </message>
    <message id="report.too_long">
        <source>At most 500 characters; the rest was not kept</source>
        <translation>At most 500 characters; the rest was not kept</translation>
    </message>
    <message id="report.tracking_label">
        <source>Tracking number</source>
        <translation>Tracking number</translation>
    </message>
    <message id="report.unknown">
        <source>There is no report with this number</source>
        <translation>There is no report with this number</translation>
    </message>
    <message id="report.use_phone">
        <source>Use my mobile number</source>
        <translation>Use my mobile number</translation>
    </message>
    <message id="request.idempotency_mismatch">
        <source>A repeated request had different content</source>
        <translation>A repeated request had different content</translation>
    </message>
    <message id="request.invalid">
        <source>Some of the details are not valid</source>
        <translation>Some of the details are not valid</translation>
    </message>
    <message id="soon.body">
        <source>This service is being prepared. Please use another service or call staff.</source>
        <translation>This service is being prepared. Please use another service or call staff.</translation>
    </message>
    <message id="soon.title">
        <source>Coming soon</source>
        <translation>Coming soon</translation>
    </message>
    <message id="status.offline">
        <source>The service centre cannot be reached: queue numbers are paused; other services work.</source>
        <translation>The service centre cannot be reached: queue numbers are paused; other services work.</translation>
    </message>
    <message id="status.printer">
        <source>The printer is unavailable: receipts will be shown on screen.</source>
        <translation>The printer is unavailable: receipts will be shown on screen.</translation>
    </message>
    <message id="svc.action.card">
        <source>Read a test card</source>
        <translation>Read a test card</translation>
    </message>
    <message id="svc.action.exit">
        <source>Exit to desktop</source>
        <translation>Exit to desktop</translation>
    </message>
    <message id="svc.action.log">
        <source>Recent log</source>
        <translation>Recent log</translation>
    </message>
    <message id="svc.action.network">
        <source>Network check</source>
        <translation>Network check</translation>
    </message>
    <message id="svc.action.outbox">
        <source>Send outbox now</source>
        <translation>Send outbox now</translation>
    </message>
    <message id="svc.action.refresh">
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message id="svc.action.restart">
        <source>Restart app</source>
        <translation>Restart app</translation>
    </message>
    <message id="svc.action.sync">
        <source>Sync config now</source>
        <translation>Sync config now</translation>
    </message>
    <message id="svc.action.test_page">
        <source>Print test page</source>
        <translation>Print test page</translation>
    </message>
    <message id="svc.action.voice">
        <source>Voice test</source>
        <translation>Voice test</translation>
    </message>
    <message id="svc.brightness.checking">
        <source>Reading the backlight…</source>
        <translation>Reading the backlight…</translation>
    </message>
    <message id="svc.brightness.none">
        <source>No adjustable backlight here: use the monitor's own buttons</source>
        <translation>No adjustable backlight here: use the monitor's own buttons</translation>
    </message>
    <message id="svc.brightness.read_only">
        <source>No permission to set the backlight (%1): ask the administrator</source>
        <translation>No permission to set the backlight (%1): ask the administrator</translation>
    </message>
    <message id="svc.brightness.title">
        <source>Screen brightness</source>
        <translation>Screen brightness</translation>
    </message>
    <message id="svc.brightness.unreadable">
        <source>Cannot read the backlight (%1)</source>
        <translation>Cannot read the backlight (%1)</translation>
    </message>
    <message id="svc.cancel">
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message id="svc.exit.confirm">
        <source>Really exit? The kiosk stops serving</source>
        <translation>Really exit? The kiosk stops serving</translation>
    </message>
    <message id="svc.exit.yes">
        <source>Yes, exit</source>
        <translation>Yes, exit</translation>
    </message>
    <message id="svc.menu.autoclose">
        <source>Closes after %1 s without a touch</source>
        <translation>Closes after %1 s without a touch</translation>
    </message>
    <message id="svc.menu.close">
        <source>Close and go home</source>
        <translation>Close and go home</translation>
    </message>
    <message id="svc.menu.title">
        <source>Service menu</source>
        <translation>Service menu</translation>
    </message>
    <message id="svc.pin.checking">
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message id="svc.pin.clear">
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message id="svc.pin.delete">
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message id="svc.pin.disabled">
        <source>No service PIN is configured: the service menu is disabled</source>
        <translation>No service PIN is configured: the service menu is disabled</translation>
    </message>
    <message id="svc.pin.locked">
        <source>Too many wrong PINs: try again in %1 min</source>
        <translation>Too many wrong PINs: try again in %1 min</translation>
    </message>
    <message id="svc.pin.ok">
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message id="svc.pin.prompt">
        <source>Enter the service PIN</source>
        <translation>Enter the service PIN</translation>
    </message>
    <message id="svc.pin.title">
        <source>Staff check</source>
        <translation>Staff check</translation>
    </message>
    <message id="svc.pin.wrong">
        <source>Wrong PIN, %1 tries left</source>
        <translation>Wrong PIN, %1 tries left</translation>
    </message>
    <message id="svc.preview">
        <source>Test page preview (virtual printer)</source>
        <translation>Test page preview (virtual printer)</translation>
    </message>
    <message id="svc.result.card_read">
        <source>Card read: %1</source>
        <translation>Card read: %1</translation>
    </message>
    <message id="svc.result.card_unreadable">
        <source>Card not read: %1</source>
        <translation>Card not read: %1</translation>
    </message>
    <message id="svc.result.network_failed">
        <source>Centre unreachable: %1</source>
        <translation>Centre unreachable: %1</translation>
    </message>
    <message id="svc.result.network_ok">
        <source>Centre reachable in %1 ms</source>
        <translation>Centre reachable in %1 ms</translation>
    </message>
    <message id="svc.result.no_mandarin">
        <source>No Mandarin voice; not read: %1</source>
        <translation>No Mandarin voice; not read: %1</translation>
    </message>
    <message id="svc.result.no_printer">
        <source>No printer enabled</source>
        <translation>No printer enabled</translation>
    </message>
    <message id="svc.result.no_reader">
        <source>No ID card reader enabled</source>
        <translation>No ID card reader enabled</translation>
    </message>
    <message id="svc.result.no_voice">
        <source>Voice off or no speech engine</source>
        <translation>Voice off or no speech engine</translation>
    </message>
    <message id="svc.result.outbox">
        <source>Sending; %1 waiting</source>
        <translation>Sending; %1 waiting</translation>
    </message>
    <message id="svc.result.place_card">
        <source>Place the test card on the reader</source>
        <translation>Place the test card on the reader</translation>
    </message>
    <message id="svc.result.print_failed">
        <source>Test page not printed: %1</source>
        <translation>Test page not printed: %1</translation>
    </message>
    <message id="svc.result.printed">
        <source>Test page printed</source>
        <translation>Test page printed</translation>
    </message>
    <message id="svc.result.printing">
        <source>Test page sent to the printer</source>
        <translation>Test page sent to the printer</translation>
    </message>
    <message id="svc.result.restarting">
        <source>Restarting…</source>
        <translation>Restarting…</translation>
    </message>
    <message id="svc.result.sync_failed">
        <source>Config sync failed: %1</source>
        <translation>Config sync failed: %1</translation>
    </message>
    <message id="svc.result.synced">
        <source>Config synced, version %1</source>
        <translation>Config synced, version %1</translation>
    </message>
    <message id="svc.result.syncing">
        <source>Syncing config…</source>
        <translation>Syncing config…</translation>
    </message>
    <message id="svc.result.voice">
        <source>Reading aloud: %1</source>
        <translation>Reading aloud: %1</translation>
    </message>
    <message id="svc.result.voice_recorded">
        <source>Playing the recorded prompt: %1</source>
        <translation>Playing the recorded prompt: %1</translation>
    </message>
    <message id="svc.result.voice_starting">
        <source>Speech engine starting; try again</source>
        <translation>Speech engine starting; try again</translation>
    </message>
    <message id="svc.result.volume_not_saved">
        <source>Volume not saved: %1</source>
        <translation>Volume not saved: %1</translation>
    </message>
    <message id="svc.status.centre">
        <source>Centre link</source>
        <translation>Centre link</translation>
    </message>
    <message id="svc.status.config">
        <source>Config version</source>
        <translation>Config version</translation>
    </message>
    <message id="svc.status.disk">
        <source>Disk free</source>
        <translation>Disk free</translation>
    </message>
    <message id="svc.status.outbox">
        <source>Outbox</source>
        <translation>Outbox</translation>
    </message>
    <message id="svc.status.paper">
        <source>Paper</source>
        <translation>Paper</translation>
    </message>
    <message id="svc.status.printer">
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message id="svc.status.reader">
        <source>ID card reader</source>
        <translation>ID card reader</translation>
    </message>
    <message id="svc.status.title">
        <source>Device status</source>
        <translation>Device status</translation>
    </message>
    <message id="svc.status.uptime">
        <source>Uptime</source>
        <translation>Uptime</translation>
    </message>
    <message id="svc.status.version">
        <source>App version</source>
        <translation>App version</translation>
    </message>
    <message id="svc.value.connected">
        <source>connected</source>
        <translation>connected</translation>
    </message>
    <message id="svc.value.disabled">
        <source>not enabled</source>
        <translation>not enabled</translation>
    </message>
    <message id="svc.value.disconnected">
        <source>not connected</source>
        <translation>not connected</translation>
    </message>
    <message id="svc.value.near_end">
        <source>near end</source>
        <translation>near end</translation>
    </message>
    <message id="svc.value.none">
        <source>none</source>
        <translation>none</translation>
    </message>
    <message id="svc.value.ok">
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message id="svc.value.out">
        <source>OUT</source>
        <translation>OUT</translation>
    </message>
    <message id="svc.value.unknown">
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
    <message id="svc.value.untested">
        <source>not checked yet</source>
        <translation>not checked yet</translation>
    </message>
    <message id="svc.volume.down">
        <source>Lower</source>
        <translation>Lower</translation>
    </message>
    <message id="svc.volume.mute">
        <source>Mute</source>
        <translation>Mute</translation>
    </message>
    <message id="svc.volume.muted">
        <source>muted</source>
        <translation>muted</translation>
    </message>
    <message id="svc.volume.title">
        <source>Voice volume</source>
        <translation>Voice volume</translation>
    </message>
    <message id="svc.volume.unmute">
        <source>Unmute</source>
        <translation>Unmute</translation>
    </message>
    <message id="svc.volume.up">
        <source>Higher</source>
        <translation>Higher</translation>
    </message>
    <message id="take.appointment_by_card">
        <source>If you booked this matter for today, taking the number checks you in</source>
        <translation>If you booked this matter for today, taking the number checks you in</translation>
    </message>
    <message id="take.appointment_hint">
        <source>Booked? Place your ID card to check in</source>
        <translation>Booked? Place your ID card to check in</translation>
    </message>
    <message id="take.ask_priority">
        <source>Do you need priority because of a disability?</source>
        <translation>Do you need priority because of a disability?</translation>
    </message>
    <message id="take.choose_matter">
        <source>Choose your matter, or search (pinyin initials work)</source>
        <translation>Choose your matter, or search (pinyin initials work)</translation>
    </message>
    <message id="take.choose_zone">
        <source>Choose the service area</source>
        <translation>Choose the service area</translation>
    </message>
    <message id="take.closed">
        <source>This matter is not served now. Please come back {come_back_at}</source>
        <translation>This matter is not served now. Please come back {come_back_at}</translation>
    </message>
    <message id="take.confirm">
        <source>Confirm to take your number</source>
        <translation>Confirm to take your number</translation>
    </message>
    <message id="take.confirm_button">
        <source>Take my number</source>
        <translation>Take my number</translation>
    </message>
    <message id="take.declare_disability">
        <source>I have a disability and need priority</source>
        <translation>I have a disability and need priority</translation>
    </message>
    <message id="take.identify">
        <source>Place your ID card on the reader if you have it (optional)</source>
        <translation>Place your ID card on the reader if you have it (optional)</translation>
    </message>
    <message id="take.identify.priority_hint">
        <source>People over 70 and disabled people are served first</source>
        <translation>People over 70 and disabled people are served first</translation>
    </message>
    <message id="take.no">
        <source>No</source>
        <translation>No</translation>
    </message>
    <message id="take.no_queue">
        <source>No number is needed for this</source>
        <translation>No number is needed for this</translation>
    </message>
    <message id="take.offline">
        <source>The queue system cannot be reached, so no numbers can be taken right now. You can still read guides, print slips, report a problem or call staff</source>
        <translation>The queue system cannot be reached, so no numbers can be taken right now. You can still read guides, print slips, report a problem or call staff</translation>
    </message>
    <message id="take.person_limit">
        <source>You have already taken numbers for this matter today and cannot take another. If you missed your call, please ask at the service desk</source>
        <translation>You have already taken numbers for this matter today and cannot take another. If you missed your call, please ask at the service desk</translation>
    </message>
    <message id="take.print_failed">
        <source>The ticket could not be printed. The number on screen is your number: please take a photo or write it down</source>
        <translation>The ticket could not be printed. The number on screen is your number: please take a photo or write it down</translation>
    </message>
    <message id="take.printed">
        <source>Please take your ticket</source>
        <translation>Please take your ticket</translation>
    </message>
    <message id="take.printing">
        <source>Printing your ticket</source>
        <translation>Printing your ticket</translation>
    </message>
    <message id="take.priority.appointment">
        <source>Appointment checked in: served first</source>
        <translation>Appointment checked in: served first</translation>
    </message>
    <message id="take.priority.disabled">
        <source>Priority: disability</source>
        <translation>Priority: disability</translation>
    </message>
    <message id="take.priority.elderly">
        <source>Priority: senior citizen</source>
        <translation>Priority: senior citizen</translation>
    </message>
    <message id="take.quota_gone">
        <source>Today's numbers for this matter are gone. Please come back {come_back_at}</source>
        <translation>Today's numbers for this matter are gone. Please come back {come_back_at}</translation>
    </message>
    <message id="take.rate_limited">
        <source>This kiosk has just given out many numbers. Please try again in a minute, or ask the staff if it is urgent</source>
        <translation>This kiosk has just given out many numbers. Please try again in a minute, or ask the staff if it is urgent</translation>
    </message>
    <message id="take.requesting">
        <source>Taking your number, please wait</source>
        <translation>Taking your number, please wait</translation>
    </message>
    <message id="take.screen_is_ticket">
        <source>This screen is your ticket: please take a photo or write the number down</source>
        <translation>This screen is your ticket: please take a photo or write the number down</translation>
    </message>
    <message id="take.screen_only_notice">
        <source>The printer is not working: your number will be shown on screen only. Please take a photo or write it down</source>
        <translation>The printer is not working: your number will be shown on screen only. Please take a photo or write it down</translation>
    </message>
    <message id="take.self_service">
        <source>This is a self-service matter: please go to {place}</source>
        <translation>This is a self-service matter: please go to {place}</translation>
    </message>
    <message id="take.skip_card">
        <source>Continue without an ID card</source>
        <translation>Continue without an ID card</translation>
    </message>
    <message id="take.still_works.guide">
        <source>Read a guide</source>
        <translation>Read a guide</translation>
    </message>
    <message id="take.still_works.help">
        <source>Call staff</source>
        <translation>Call staff</translation>
    </message>
    <message id="take.still_works.report">
        <source>Report a problem</source>
        <translation>Report a problem</translation>
    </message>
    <message id="take.ticket">
        <source>Here is your number</source>
        <translation>Here is your number</translation>
    </message>
    <message id="take.ticket.ahead">
        <source>{ahead} people ahead of you</source>
        <translation>{ahead} people ahead of you</translation>
    </message>
    <message id="take.ticket.go_to">
        <source>Please go to floor {floor}, {zone_name}, {windows}</source>
        <translation>Please go to floor {floor}, {zone_name}, {windows}</translation>
    </message>
    <message id="take.ticket.go_to_zone">
        <source>Please go to floor {floor}, {zone_name}</source>
        <translation>Please go to floor {floor}, {zone_name}</translation>
    </message>
    <message id="take.ticket.listen">
        <source>Please listen for your number; if missed, take a new one</source>
        <translation>Please listen for your number; if missed, take a new one</translation>
    </message>
    <message id="take.ticket.scan">
        <source>Scan to follow the queue on your phone</source>
        <translation>Scan to follow the queue on your phone</translation>
    </message>
    <message id="take.ticket.served_until">
        <source>Served today until {closes_at}</source>
        <translation>Served today until {closes_at}</translation>
    </message>
    <message id="take.ticket.taken_at">
        <source>Taken at: {issued_at}</source>
        <translation>Taken at: {issued_at}</translation>
    </message>
    <message id="take.ticket.wait">
        <source>Estimated wait: about {minutes} min</source>
        <translation>Estimated wait: about {minutes} min</translation>
    </message>
    <message id="take.ticket.your_number">
        <source>Your number</source>
        <translation>Your number</translation>
    </message>
    <message id="take.unavailable">
        <source>No numbers available now</source>
        <translation>No numbers available now</translation>
    </message>
    <message id="take.yes">
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message id="ticket.closed">
        <source>This matter is not served now</source>
        <translation>This matter is not served now</translation>
    </message>
    <message id="ticket.person_limit">
        <source>You have already taken numbers for this matter today</source>
        <translation>You have already taken numbers for this matter today</translation>
    </message>
    <message id="ticket.quota_gone">
        <source>Today's numbers are all gone</source>
        <translation>Today's numbers are all gone</translation>
    </message>
    <message id="ticket.rate_limited">
        <source>This kiosk has just given out many numbers; please try again in a minute</source>
        <translation>This kiosk has just given out many numbers; please try again in a minute</translation>
    </message>
    <message id="ticket.unknown">
        <source>There is no such ticket</source>
        <translation>There is no such ticket</translation>
    </message>
    <message id="voice.test">
        <source>Voice test: welcome to the self-service kiosk.</source>
        <translation>Voice test: welcome to the self-service kiosk.</translation>
    </message>
</context>
</TS>
