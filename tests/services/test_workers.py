"""The kiosk's named workers: one thread each, started at once, jobs in order, clean shutdown."""

from __future__ import annotations

import threading

import pytest

from kiosk.services.workers import CENTRAL_IO, LOCAL_IO, Worker, Workers, thread_names


def test_workers_are_two_named_threads_from_the_start_and_end_on_shutdown() -> None:
    workers = Workers()
    try:
        names = thread_names()
        assert names.count(CENTRAL_IO) == 1 and names.count(LOCAL_IO) == 1
        ran_on = workers.central.submit(lambda: threading.current_thread().name).result(5)
        assert ran_on == CENTRAL_IO
    finally:
        workers.shutdown(timeout_s=5)
    assert CENTRAL_IO not in thread_names() and LOCAL_IO not in thread_names()


def test_jobs_run_in_order_and_an_error_reaches_the_caller_not_the_thread() -> None:
    worker = Worker("test-io")
    try:
        seen: list[int] = []
        futures = [worker.submit(seen.append, n) for n in range(20)]
        failing = worker.submit(lambda: 1 / 0)
        after = worker.submit(lambda: "still running")
        with pytest.raises(ZeroDivisionError):
            failing.result(5)
        assert after.result(5) == "still running"
        assert all(f.done() for f in futures) and seen == list(range(20))
    finally:
        worker.shutdown()
    with pytest.raises(RuntimeError):
        worker.submit(print)


def test_shutdown_cancels_what_waits_and_lets_the_running_job_finish() -> None:
    worker = Worker("test-io")
    started, release = threading.Event(), threading.Event()

    def job() -> bool:
        started.set()
        return release.wait(5)

    running = worker.submit(job)
    assert started.wait(5)
    queued = worker.submit(lambda: "never")
    worker.shutdown(wait=False, cancel_futures=True)
    release.set()
    assert running.result(5) is True
    assert queued.cancelled()
    worker.join(5)
    assert not worker.alive
