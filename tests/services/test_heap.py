"""Freed heap goes back to the kernel between sessions (kiosk/services/heap.py)."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest

from kiosk.services import heap


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_memory_freed_in_the_middle_of_the_heap_is_given_back() -> None:
    """What a session leaves: many mid-sized blocks freed while a later one stays in use, so
    glibc cannot shrink the heap from its top by itself."""
    blocks = [bytearray(20_000) for _ in range(3_000)]  # ~60 MB of malloc'd (not mmap'd) blocks
    for block in blocks:
        block[::4096] = b"x" * len(block[::4096])  # touched: resident
    kept = bytearray(20_000)  # allocated last, stays: the heap's top is in use
    del blocks
    before = rss_kb()
    assert heap.release_free_heap() is True
    after = rss_kb()
    assert before - after > 20_000, (before, after)  # tens of MB back, not a rounding error
    del kept
