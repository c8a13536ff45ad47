"""Config push, kiosk side: follow the centre's signed bundles and apply them between sessions.

A worker thread holds the server-sent event stream open (reconnecting with exponential backoff
and jitter, so a hall's kiosks do not all reconnect in the same second) and fetches the bundle
with ``If-None-Match`` whenever the centre announces a version; the same fetch, on a timer, is
the fallback when the stream is unavailable. Each bundle is verified (Ed25519 signature over the
exact bytes sent, then ``Catalogue.from_dict``) before anything changes. A bad bundle is rejected,
the kiosk keeps running on the old one, and the rejection is remembered for the next heartbeat.
A good bundle is written atomically to disk (the kiosk starts from it when the centre is
unreachable) and applied only while no citizen session is active: mid-session it waits.
"""

from __future__ import annotations

import json
import logging
import random
import socket
import threading
import time
from pathlib import Path
from typing import Any

import requests
from PySide6.QtCore import QObject, Signal

from kiosk.catalogue import Catalogue, CatalogueError
from kiosk.services.central import CentralClient, CentralError, CentralRejected, event_json
from kiosk.services.files import write_json_atomically
from kiosk.services.signing import BundleError, verify_bundle

log = logging.getLogger(__name__)

BUNDLE_FILE = "config-bundle.json"


class ConfigSync(QObject):
    """Keeps the kiosk's catalogue in step with the centre.

    Signals: ``bundleApplied(object Catalogue)``, ``bundleRejected(str reason)`` (reason is
    "<key>: <detail>", key in kiosk.words), ``connectionChanged(str)`` one of "live" (event
    stream open), "polling", "offline".
    """

    bundleApplied = Signal(object)
    bundleRejected = Signal(str)
    connectionChanged = Signal(str)

    def __init__(self, client: CentralClient, public_key: str, state_dir: str | Path, *,
                 poll_interval_s: float = 60.0, reconnect_min_s: float = 1.0,
                 reconnect_max_s: float = 60.0, use_events: bool = True,
                 stream_read_timeout_s: float = 45.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.public_key = public_key
        self.state_dir = Path(state_dir)
        self.poll_interval_s = poll_interval_s
        self.reconnect_min_s = reconnect_min_s
        self.reconnect_max_s = reconnect_max_s
        self.use_events = use_events
        self.stream_read_timeout_s = stream_read_timeout_s
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._response: requests.Response | None = None
        self._session_active = False
        self._pending: tuple[dict[str, Any], Catalogue, int] | None = None
        self._etag: str | None = None
        self.current: Catalogue | None = None
        self.current_version: int | None = None
        self.last_rejection: dict[str, Any] | None = None
        self.connection = "offline"

    # -- public API ----------------------------------------------------------------------
    @property
    def bundle_path(self) -> Path:
        return self.state_dir / BUNDLE_FILE

    def start(self) -> None:
        """Apply the last good bundle from disk (if any), then follow the centre in the background."""
        self._load_from_disk()
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="configsync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._lock:
            response = self._response
        if response is not None:
            _hang_up(response)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def set_session_active(self, active: bool) -> None:
        """A citizen session started (hold new bundles) or ended (apply a held one now)."""
        with self._lock:
            self._session_active = active
            pending = None if active else self._pending
            self._pending = None if pending else self._pending
        if pending is not None:
            self._apply(*pending)

    @property
    def has_pending(self) -> bool:
        return self._pending is not None

    def heartbeat_fields(self) -> dict[str, Any]:
        """What the next heartbeat should say about configuration."""
        return {"config_version": self.current_version, "config_rejected": self.last_rejection}

    def check_now(self) -> None:
        """Fetch with ETag right away (blocking; call off the GUI thread)."""
        self._fetch()

    # -- bundles -------------------------------------------------------------------------
    def _load_from_disk(self) -> None:
        try:
            raw = json.loads(self.bundle_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self._reject(None, f"config.malformed: saved bundle unreadable ({exc})")
            return
        checked = self._check(raw)
        if checked is not None:
            catalogue, version = checked
            self._apply(raw, catalogue, version, save=False)

    def _check(self, raw: Any) -> tuple[Catalogue, int] | None:
        try:
            signed = verify_bundle(raw, self.public_key)
        except BundleError as exc:
            self._reject(raw.get("version") if isinstance(raw, dict) else None, str(exc))
            return None
        version = signed["version"]
        try:
            catalogue = Catalogue.from_dict(signed["config"])
        except CatalogueError as exc:
            self._reject(version, f"config.invalid: {exc}")
            return None
        return catalogue, version

    def _consider(self, raw: dict[str, Any]) -> None:
        checked = self._check(raw)
        if checked is None:
            return
        catalogue, version = checked
        with self._lock:
            if self.current_version is not None and version < self.current_version:
                self._reject(version, f"config.older_version: {version} < "
                                      f"{self.current_version}")
                return
            if version == self.current_version:
                return
            if self._session_active:
                self._pending = (raw, catalogue, version)
                log.info("config v%s held until the citizen session ends", version)
                return
        self._apply(raw, catalogue, version)

    def _apply(self, raw: dict[str, Any], catalogue: Catalogue, version: int, *,
               save: bool = True) -> None:
        if save:
            try:
                self._save(raw)
            except OSError as exc:  # a full disk must not stop the new catalogue being used
                log.error("could not save config bundle v%s: %s", version, exc)
        with self._lock:
            self.current = catalogue
            self.current_version = version
            if self.last_rejection and (self.last_rejection.get("version") or 0) <= version:
                self.last_rejection = None
        log.info("config v%s applied", version)
        self.bundleApplied.emit(catalogue)

    def _save(self, raw: dict[str, Any]) -> None:
        """Atomic replace: a power cut leaves the old or the new file, never half of one."""
        write_json_atomically(self.bundle_path, raw, ensure_ascii=False)

    def _reject(self, version: int | None, reason: str) -> None:
        log.warning("config bundle rejected: %s", reason)
        with self._lock:
            self.last_rejection = {"version": version, "reason": reason[:500]}
        self.bundleRejected.emit(reason)

    # -- network -------------------------------------------------------------------------
    def _fetch(self) -> None:
        try:
            bundle = self.client.fetch_config(self._etag)
        except CentralRejected as exc:
            if exc.reason != "config.none":
                raise
            return
        if bundle is None:
            return  # 304: unchanged
        self._etag = bundle.etag  # also for rejected ones: do not re-fetch and re-reject
        self._consider(bundle.raw)

    def _set_connection(self, state: str) -> None:
        if state != self.connection:
            self.connection = state
            self.connectionChanged.emit(state)

    def _keep_response(self, response: requests.Response) -> None:
        with self._lock:
            self._response = response
        if self._stop.is_set():
            _hang_up(response)

    def _follow_stream(self) -> None:
        for event in self.client.events(read_timeout_s=self.stream_read_timeout_s,
                                        on_open=self._keep_response):
            if self._stop.is_set():
                return
            self._set_connection("live")
            if event.event != "config":
                continue
            data = event_json(event) or {}
            if data.get("version") != self.current_version or data.get("etag") != self._etag:
                self._fetch()

    def _run(self) -> None:
        failures = 0
        last_poll = 0.0
        while not self._stop.is_set():
            try:
                self._fetch()
                last_poll = time.monotonic()
                if self.use_events:
                    self._follow_stream()
                    failures = 0  # the stream ended cleanly (server restart): reconnect soon
                else:
                    self._set_connection("polling")
            except CentralError as exc:
                failures += 1
                self._set_connection("offline")
                log.info("centre unreachable for config (%s)", exc)
            except Exception:  # never let the follower die; it is the kiosk's only update path
                failures += 1
                log.exception("config follower failed")
            finally:
                with self._lock:
                    self._response = None
            if self.use_events:
                delay = min(self.reconnect_max_s, self.reconnect_min_s * (2 ** min(failures, 10)))
                delay *= random.uniform(0.5, 1.0)
            else:
                delay = max(0.0, self.poll_interval_s - (time.monotonic() - last_poll))
            self._stop.wait(delay)


def _hang_up(response: requests.Response) -> None:
    """Close a streaming response from another thread, waking a reader blocked in recv().

    ``close()`` alone does not interrupt a blocked recv on Linux; ``shutdown()`` does.
    """
    connection = getattr(response.raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    try:
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the other side
    try:
        response.close()
    except Exception:  # closing an already broken stream
        log.debug("closing event stream failed", exc_info=True)
