"""Faults of the central service as the whole kiosk meets them: down, 500, garbage, slow.

Each test breaks the centre on the real wire (its process stopped, or the fault relay answering
in its place), looks at what the citizen sees on the QML screens, mends the fault, and checks
that the kiosk recovers by itself and that the centre's own database holds every submission
exactly once.
"""

from __future__ import annotations

from typing import Any

from tests.faults.citizen import fill_report, rate_service, to_ticket_confirm

OFFLINE_BANNER = "暂时无法连接服务中心"
WAITING = "等了很久没有结果"


def wait_banner(app: Any, qtbot: Any, shown: Any, visible: bool) -> None:
    """The home banner about the centre appears (or clears) without anyone touching the kiosk.

    Clearing is bounded by the config follower's reconnect backoff (jittered, at most 60 s, so
    a hall's kiosks do not all reconnect at once); after a short outage it is seconds.
    """
    qtbot.waitUntil(lambda: (OFFLINE_BANNER in shown(app, "offlineBannerText")) == visible,
                    timeout=30_000 if visible else 90_000)


def test_centre_down_numbers_pause_reports_wait_and_all_arrive_once_it_is_back(
        kiosk: Any, hall: Any, tap: Any, screen: Any, shown: Any, qtbot: Any) -> None:
    simulation, _ = hall
    records = simulation.records
    reports_before = len(records.reports_with(WAITING))
    evaluations_before = records.count("evaluations")
    help_calls_before = records.count("help_calls")
    tickets_before = records.count("tickets")

    simulation.centre.stop()
    wait_banner(kiosk, qtbot, shown, True)
    assert "其他服务可用" in shown(kiosk, "offlineBannerText")

    # A number cannot be taken; the citizen is told so and what still works.
    to_ticket_confirm(kiosk, tap, screen)
    tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.error", timeout=20_000)
    assert "连不上叫号系统" in shown(kiosk, "errorNoticeText")
    assert "办事指南" in shown(kiosk, "errorNoticeText")
    tap(kiosk.window, "abortButton")
    screen(kiosk, "home")

    # A report is kept on the kiosk with a local reference and the promise to send it.
    fill_report(kiosk, tap, screen)
    tap(kiosk.window, "submitButton")
    screen(kiosk, "report.result", timeout=20_000)
    local_ref = shown(kiosk, "trackingNumber")
    assert "网络恢复后将自动提交" in shown(kiosk, "resultNoticeText")
    assert local_ref in shown(kiosk, "resultNoticeText")
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")

    # A rating is kept too: the citizen is thanked, the outbox holds it.
    rate_service(kiosk, tap, screen)
    screen(kiosk, "evaluation.thanks")
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")
    # Calling staff: the call is kept, and the citizen is not told staff are on their way.
    tap(kiosk.window, "helpButton")
    screen(kiosk, "help.queued", timeout=15_000)
    assert "联系不上值班工作人员" in shown(kiosk, "flowPrompt")
    assert "服务台" in shown(kiosk, "helpQueuedText")
    assert "工作人员马上就到" not in shown(kiosk, "flowPrompt")
    tap(kiosk.window, "helpClose")
    screen(kiosk, "home")
    assert kiosk.services.outbox.pending == 3

    # The centre comes back: nobody touches the kiosk.
    simulation.centre.restart()
    wait_banner(kiosk, qtbot, shown, False)
    qtbot.waitUntil(lambda: kiosk.services.outbox.pending == 0, timeout=30_000)
    assert len(records.reports_with(WAITING)) == reports_before + 1
    assert records.count("evaluations") == evaluations_before + 1
    assert records.count("help_calls") == help_calls_before + 1
    delivered = {item.id[:8].upper(): item.result["tracking_no"]
                 for item in kiosk.services.outbox.items("sent") if item.kind == "report"}
    assert delivered[local_ref] in records.reports_with(WAITING)

    # And numbers work again, exactly one for one confirmation.
    to_ticket_confirm(kiosk, tap, screen)
    tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.ticket", timeout=20_000)
    assert shown(kiosk, "ticketNumber").startswith("F")
    assert records.count("tickets") == tickets_before + 1


def test_centre_answering_500_is_a_fault_of_the_centre_and_nothing_is_doubled(
        kiosk: Any, hall: Any, tap: Any, screen: Any, shown: Any, qtbot: Any) -> None:
    simulation, _ = hall
    records = simulation.records
    reports_before = len(records.reports_with(WAITING))
    tickets_before = records.count("tickets")
    simulation.proxy.set_mode("http500")
    wait_banner(kiosk, qtbot, shown, True)

    to_ticket_confirm(kiosk, tap, screen)
    tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.error", timeout=20_000)
    assert "服务中心出了故障" in shown(kiosk, "errorNoticeText")
    # The same confirmation tried again once the centre is mended: one number, not two.
    simulation.proxy.set_mode("pass")
    tap(kiosk.window, "retryButton")
    screen(kiosk, "ticket.ticket", timeout=20_000)
    assert records.count("tickets") == tickets_before + 1
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")

    simulation.proxy.set_mode("http500")
    fill_report(kiosk, tap, screen)
    tap(kiosk.window, "submitButton")
    screen(kiosk, "report.result", timeout=20_000)
    assert "网络恢复后将自动提交" in shown(kiosk, "resultNoticeText")
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")

    simulation.proxy.set_mode("pass")
    wait_banner(kiosk, qtbot, shown, False)
    qtbot.waitUntil(lambda: kiosk.services.outbox.pending == 0, timeout=30_000)
    assert len(records.reports_with(WAITING)) == reports_before + 1


def test_centre_answering_garbage_is_never_shown_as_a_ticket(
        kiosk: Any, hall: Any, tap: Any, screen: Any, shown: Any, qtbot: Any) -> None:
    simulation, _ = hall
    records = simulation.records
    tickets_before = records.count("tickets")
    simulation.proxy.set_mode("garbage")
    wait_banner(kiosk, qtbot, shown, True)

    to_ticket_confirm(kiosk, tap, screen)
    tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.error", timeout=20_000)
    assert "无法识别" in shown(kiosk, "errorNoticeText")
    assert records.count("tickets") == tickets_before  # garbage came from the relay, not a number
    tap(kiosk.window, "abortButton")
    screen(kiosk, "home")

    simulation.proxy.set_mode("pass")
    wait_banner(kiosk, qtbot, shown, False)
    to_ticket_confirm(kiosk, tap, screen)
    tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.ticket", timeout=20_000)
    assert records.count("tickets") == tickets_before + 1


def test_slow_centre_leaves_the_screen_responsive_and_takes_one_number(
        start_kiosk: Any, hall: Any, tap: Any, screen: Any, shown: Any, qtbot: Any) -> None:
    simulation, _ = hall
    proxy = simulation.proxy
    kiosk = start_kiosk()
    records = simulation.records
    tickets_before = records.count("tickets")
    help_calls_before = records.count("help_calls")
    to_ticket_confirm(kiosk, tap, screen)
    requests_before = proxy.count("POST /v1/tickets")
    proxy.set_mode("slow")  # the centre answers, but only after 10 s
    tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.requesting")
    qtbot.waitUntil(lambda: proxy.count("POST /v1/tickets") > requests_before, timeout=10_000)
    # While the request hangs, help and home still answer at once.
    tap(kiosk.window, "helpButton")
    screen(kiosk, "help.sending", timeout=5000)
    tap(kiosk.window, "helpCancel")
    screen(kiosk, "ticket.requesting", timeout=5000)
    tap(kiosk.window, "homeButton")
    screen(kiosk, "home", timeout=5000)
    assert proxy.relayed == 0, "the screen waited for the slow centre"

    proxy.set_mode("pass")
    # The centre was slow, not down: the abandoned request made at most one number, and the
    # next citizen gets theirs at once.
    to_ticket_confirm(kiosk, tap, screen)
    tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.ticket", timeout=20_000)
    number = shown(kiosk, "ticketNumber")
    assert number.startswith("F")
    assert records.count("tickets") == tickets_before + 2
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")
    # The help call made while the centre was slow reached the staff, once.
    qtbot.waitUntil(lambda: kiosk.services.outbox.pending == 0, timeout=20_000)
    assert records.count("help_calls") == help_calls_before + 1


def _tls_context(cert_and_key: tuple[str, str]) -> Any:
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*cert_and_key)
    return context


def test_tls_failure_is_the_centre_unreachable_and_the_kiosk_recovers_when_the_cert_is_fixed(
        start_kiosk: Any, hall: Any, tap: Any, screen: Any, shown: Any, qtbot: Any,
        tmp_path: Any) -> None:
    from tests.faults.wire import FaultProxy
    from tests.security.test_security_tls import make_ca, make_server_cert

    simulation, _ = hall
    records = simulation.records
    hall_ca, hall_key, hall_cert = make_ca(tmp_path, "hall-ca")
    _, impostor_key, impostor_cert = make_ca(tmp_path, "impostor-ca")
    (tmp_path / "good").mkdir()
    (tmp_path / "bad").mkdir()
    good = _tls_context(make_server_cert(tmp_path / "good", hall_key, hall_cert))
    bad = _tls_context(make_server_cert(tmp_path / "bad", impostor_key, impostor_cert))
    relay = FaultProxy(simulation.centre.port)
    relay.tls = good
    try:
        kiosk = start_kiosk(url=relay.url, ca_file=str(hall_ca))  # the hall's CA is pinned
        reports_before = len(records.reports_with(WAITING))
        relay.tls = bad  # someone else's certificate on the centre's address
        relay.cut()
        wait_banner(kiosk, qtbot, shown, True)

        fill_report(kiosk, tap, screen)
        tap(kiosk.window, "submitButton")
        screen(kiosk, "report.result", timeout=20_000)
        assert "网络恢复后将自动提交" in shown(kiosk, "resultNoticeText")
        tap(kiosk.window, "finishButton")
        screen(kiosk, "home")
        assert len(records.reports_with(WAITING)) == reports_before  # nothing went to the impostor

        relay.tls = good  # the hall's certificate is back
        relay.cut()
        wait_banner(kiosk, qtbot, shown, False)
        qtbot.waitUntil(lambda: kiosk.services.outbox.pending == 0, timeout=30_000)
        assert len(records.reports_with(WAITING)) == reports_before + 1
    finally:
        relay.close()
