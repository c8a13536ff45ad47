"""Config push, kiosk side: follow the centre's signed bundles and apply them between sessions.

A worker thread holds the server-sent event stream open (reconnecting with exponential backoff
and jitter, so a hall's kiosks do not all reconnect in the same second) and fetches the bundle
with ``If-None-Match`` whenever the centre announces a version; the same fetch, on a timer, is
the fallback when the stream is unavailable. Each bundle is verified (Ed25519 signature over the
exact bytes sent, then ``Catalogue.from_dict``) before anything changes. A bad bundle is rejected,
the kiosk keeps running on the old one, and the rejection is remembered for the next heartbeat.
A good bundle is written atomically to disk (the kiosk starts from it when the centre is
unreachable) and applied only while no citizen session is active: mid-session it waits.

Anti-rollback: the highest version ever applied is kept on disk (``config-highest.json``), and
a bundle below it is refused however genuine its signature (a replayed or copied-back old
bundle), also at start and across restarts. Only the ETag of a bundle that was accepted is
sent back as ``If-None-Match``: a rejected (forged, older or invalid) answer is fetched again
next time, so one bad answer cannot make the kiosk skip that version.
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

from hall.catalogue import Catalogue, CatalogueError
from hall.signing import BundleError, verify_bundle
from kiosk.services.central import CentralClient, CentralError, CentralRejected, event_json
from kiosk.services.files import write_json_atomically

log = logging.getLogger(__name__)

BUNDLE_FILE = "config-bundle.json"
HIGHEST_FILE = "config-highest.json"  # {"version": N}: the highest version ever applied


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
        self.highest_version = self._load_highest()
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
    @property
    def highest_path(self) -> Path:
        return self.state_dir / HIGHEST_FILE

    def _load_highest(self) -> int:
        """The persisted high-water mark; 0 when there is none (a new kiosk)."""
        try:
            data = json.loads(self.highest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return 0
        except (OSError, ValueError) as exc:
            log.error("config high-water mark unreadable (%s); only the saved bundle's "
                      "version guards against a rollback until the next bundle", exc)
            return 0
        version = data.get("version") if isinstance(data, dict) else None
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            log.error("config high-water mark holds no version; starting from 0")
            return 0
        return version

    def _raise_highest(self, version: int) -> None:
        """Remember ``version`` as the highest applied, on disk before it is used."""
        if version <= self.highest_version:
            return
        self.highest_version = version
        try:
            write_json_atomically(self.highest_path, {"version": version})
        except OSError as exc:  # held in memory; the next apply tries again
            log.error("could not save the config high-water mark v%s: %s", version, exc)

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
            if version < self.highest_version:
                self._refuse_older(version, "the saved bundle")
                return
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

    def _refuse_older(self, version: int, source: str) -> None:
        kept = f"v{self.current_version}" if self.current_version is not None else "none"
        log.warning("config v%s from %s refused: older than v%s already applied (a replayed "
                    "or rolled-back bundle); current config kept (%s)", version, source,
                    self.highest_version, kept)
        self._reject(version, f"config.older_version: {version} < {self.highest_version} "
                              f"(highest applied)")

    def _consider(self, raw: dict[str, Any]) -> bool:
        """Check and apply (or hold) a fetched bundle; False when it was rejected."""
        checked = self._check(raw)
        if checked is None:
            return False
        catalogue, version = checked
        with self._lock:
            floor = max(self.highest_version, self.current_version or 0)
            if version < floor:
                self._refuse_older(version, "the network")
                return False
            if version == self.current_version:
                return True
            if self._session_active:
                self._pending = (raw, catalogue, version)
                log.info("config v%s held until the citizen session ends", version)
                return True
        self._apply(raw, catalogue, version)
        return True

    def _apply(self, raw: dict[str, Any], catalogue: Catalogue, version: int, *,
               save: bool = True) -> None:
        with self._lock:
            if version < self.highest_version:  # e.g. held mid-session while a newer one won
                self._refuse_older(version, "a held bundle")
                return
        if save:
            try:
                self._save(raw)
            except OSError as exc:  # a full disk must not stop the new catalogue being used
                log.error("could not save config bundle v%s: %s", version, exc)
        with self._lock:
            # After the bundle file: a crash in between leaves a saved bundle above the mark,
            # which the next start applies (and raises the mark), never one below it.
            self._raise_highest(version)
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
        if self._consider(bundle.raw):
            self._etag = bundle.etag
        # A rejected bundle's ETag is not kept: a forged or replayed answer must not make the
        # next If-None-Match skip the genuine bundle of that version.

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
