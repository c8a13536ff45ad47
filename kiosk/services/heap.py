"""Give freed heap memory back to the system between citizens (glibc keeps it otherwise).

glibc's malloc returns memory to the kernel only from the top of the main heap: pages freed in
the middle of it, or in a worker thread's arena, stay resident. Every session builds and then
destroys screens, parses answers and renders tickets, so with no object leaked at all the
kiosk's resident memory still crept up by about 0.5 MB per 1,000 sessions (bench/soak.py).
``malloc_trim(0)`` hands those pages back; it takes well under a millisecond here and the app
calls it at home, a moment after a session ended.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

_trim: Callable[[int], int] | None = None
_looked_up = False


def _malloc_trim() -> Callable[[int], int] | None:
    global _trim, _looked_up
    if not _looked_up:
        _looked_up = True
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            trim = libc.malloc_trim  # glibc only (not musl, not macOS)
        except (OSError, AttributeError):
            log.info("malloc_trim not available: freed heap stays with the process")
        else:
            trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
            _trim = trim
    return _trim


def release_free_heap() -> bool:
    """Return free heap pages to the kernel; False where the C library cannot (a no-op)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
