"""The kiosk's fixed set of named worker threads: short blocking jobs run here, never on the GUI.

Before, each service made a thread pool of its own on first use (effects, outbox waits, help
calls, heartbeat, PIN check, service menu): the thread count grew with the first citizen
sessions and nobody could say what a settled kiosk runs. Now the composition root starts two
workers once, and every short job goes to one of them by kind:

- ``central-io``: calls to the centre made on request (tickets, report status, heartbeats,
  the menu's network check and config fetch). One thread, so calls reach the centre in the
  order they were made and a dead network holds up only other centre calls. The price: a
  citizen's call can queue behind a heartbeat (one a minute, never retried), at worst one
  connect or read timeout when the centre hangs -- when its own call would time out too.
- ``local-io``: local disk and device files (outbox commits with their fsync, the PIN hash
  check, the saved volume, the backlight in sysfs). Never waits behind a hanging centre call.

Long-running loops keep a named thread of their own (config sync's event stream, the outbox
sender, the printer and reader workers, the voice): see docs/performance.md for the list.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger("kiosk.services.workers")

CENTRAL_IO = "central-io"
LOCAL_IO = "local-io"

P = ParamSpec("P")
T = TypeVar("T")

_Job = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]


class Worker(Executor):
    """One thread, started at once and named ``name``, running submitted calls in order.

    A ``concurrent.futures.Executor``, so callers that took a ThreadPoolExecutor take this.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError(f"worker {self.name} is shut down")
            self._jobs.put((future, fn, args, kwargs))
        return future

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            future, fn, args, kwargs = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:  # handed to whoever waits on the future
                future.set_exception(error)
            else:
                future.set_result(result)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                if cancel_futures:
                    self._cancel_queued()
                self._jobs.put(None)
        if wait:
            self.join()

    def join(self, timeout_s: float | None = None) -> None:
        """Wait for the thread to end (after ``shutdown``); never from the worker itself."""
        if self._thread is not threading.current_thread():
            self._thread.join(timeout_s)

    def _cancel_queued(self) -> None:
        kept: list[_Job] = []
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job[0].cancel()
                kept.append(job)
        for job in kept:  # cancelled: the thread skips them, but nothing is dropped unseen
            self._jobs.put(job)


class Workers:
    """The kiosk's two short-job workers, started together and stopped together."""

    def __init__(self) -> None:
        self.central = Worker(CENTRAL_IO)
        self.local = Worker(LOCAL_IO)

    def shutdown(self, timeout_s: float | None = None) -> None:
        """Drop queued jobs and end both threads; a running job finishes first (waited for at
        most ``timeout_s``: a centre call in flight is bounded by its own timeouts anyway)."""
        for worker in (self.central, self.local):
            worker.shutdown(wait=False, cancel_futures=True)
        for worker in (self.central, self.local):
            worker.join(timeout_s)


def thread_names() -> list[str]:
    """Every thread of this process by name, sorted: Python's name for a Python thread, the
    kernel's (which Qt sets) for the others. For the thread-count test and docs/performance.md."""
    import os

    python = {thread.native_id: thread.name for thread in threading.enumerate()
              if not isinstance(thread, threading._DummyThread)}  # Qt threads seen by Python
    names: list[str] = []
    for task in os.listdir("/proc/self/task"):
        name = python.get(int(task))
        if name is None:
            try:
                with open(f"/proc/self/task/{task}/comm", encoding="utf-8") as comm:
                    name = comm.read().strip()
            except OSError:  # the thread ended between the listing and the read
                continue
        names.append(name)
    return sorted(names)
