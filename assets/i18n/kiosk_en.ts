<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message id="app.title">
        <source>Government service kiosk</source>
        <translation>Government service kiosk</translation>
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
    <message id="nav.back">
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message id="nav.elder.off">
        <source>Standard mode</source>
        <translation>Standard mode</translation>
    </message>
    <message id="nav.elder.on">
        <source>Elder mode</source>
        <translation>Elder mode</translation>
    </message>
    <message id="nav.help">
        <source>Call for help</source>
        <translation>Call for help</translation>
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
</context>
</TS>
