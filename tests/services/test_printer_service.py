"""PrinterService against the virtual printer on a real TCP socket: signals on the GUI thread."""

import os
import sys
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from drivers.printer.render import example_data  # noqa: E402
from drivers.printer.status import PrinterState  # noqa: E402
from drivers.printer.virtual import VirtualPrinter  # noqa: E402
from kiosk.services.printer import PrinterService  # noqa: E402


@pytest.fixture
def vp(tmp_path):
    printer = VirtualPrinter(tmp_path / "paper", paper_mm=80)
    printer.port = printer.start_tcp(0)
    yield printer
    printer.stop()


@pytest.fixture
def service(qtbot, vp):
    svc = PrinterService("network", {"host": "127.0.0.1", "port": vp.port}, model="generic-80",
                         status_timeout_s=0.3)
    yield svc
    svc.stop()


def test_ticket_prints_and_result_arrives_on_gui_thread(qtbot, service, vp):
    threads = []
    service.jobFinished.connect(lambda *args: threads.append(threading.current_thread()))
    with qtbot.waitSignal(service.statusChanged, timeout=5000):
        service.start()
    assert service.last_status.state is PrinterState.OK
    with qtbot.waitSignal(service.jobFinished, timeout=10000) as blocker:
        job_id = service.print_template("queue_ticket", example_data("queue_ticket"))
    assert blocker.args == [job_id, True, ""]
    assert threads == [threading.main_thread()]
    assert vp.wait_for_tickets(1)
    assert "C023" in vp.tickets[0].text


def test_paper_out_is_reported_not_printed_with_status_event(qtbot, service, vp):
    service.start()
    qtbot.waitUntil(lambda: service.last_status is not None, timeout=5000)
    vp.set_state("paper_out")
    states = []
    service.statusChanged.connect(lambda status: states.append(status.state))
    with qtbot.waitSignal(service.jobFinished, timeout=10000) as blocker:
        job_id = service.print_template("report_receipt", example_data("report_receipt"))
    assert blocker.args == [job_id, False, "printer.paper_out"]
    assert states == [PrinterState.PAPER_OUT]
    assert vp.tickets == []


def test_silent_printer_is_unknown_and_job_not_printed(qtbot, service, vp):
    vp.set_state("no_answer")
    with qtbot.waitSignal(service.statusChanged, timeout=5000) as status_signal:
        service.start()
    assert status_signal.args[0].state is PrinterState.UNKNOWN
    with qtbot.waitSignal(service.jobFinished, timeout=10000) as blocker:
        job_id = service.print_template("queue_ticket", example_data("queue_ticket"))
    assert blocker.args == [job_id, False, "printer.no_answer"]


def test_jobs_run_one_at_a_time_in_order(qtbot, service, vp):
    service.start()
    done = []
    service.jobFinished.connect(lambda jid, printed, reason: done.append((jid, printed)))
    ids = [service.print_template("queue_ticket", {**example_data("queue_ticket"),
                                                   "number": f"A00{i}"}) for i in range(3)]
    qtbot.waitUntil(lambda: len(done) == 3, timeout=15000)
    assert done == [(job_id, True) for job_id in ids]
    assert vp.wait_for_tickets(3)
    assert [next(n for n in ("A000", "A001", "A002") if n in t.text) for t in vp.tickets] == [
        "A000", "A001", "A002"]


def test_not_started_service_reports_not_printed(qtbot, service):
    with qtbot.waitSignal(service.jobFinished, timeout=2000) as blocker:
        job_id = service.print_template("queue_ticket", example_data("queue_ticket"))
    assert blocker.args == [job_id, False, "printer.not_connected"]
