"""Optional WLT photo decoding through the reader vendor's shared library (ctypes).

No open WLT decoder exists (hardware.md 1.8), so the photo is decoded only when a vendor library
is configured.  Without one, :meth:`WltDecoder.decode` returns None and the UI shows a
placeholder.  The decoded BMP stays in memory: the vendor flag that writes ``zp.bmp`` to disk is
always passed as 0.
"""

from __future__ import annotations

import ctypes
import logging
import threading

from drivers.idcard.protocol import PHOTO_SIZE

log = logging.getLogger("drivers.idcard.photo")

#: 102x126 pixels, 24-bit, rows padded to 308 bytes, plus the 54-byte BMP header.
BMP_SIZE = 38862


class WltDecoder:
    """Calls ``int <symbol>(char *wlt, char *bmp_out, int save_to_disk)``; 1 means success.

    That is the ``unpack`` convention of the common ``libwlt.so``; ``symbol`` makes other
    vendor names usable.  Loading is lazy and a missing or broken library is logged once.
    """

    def __init__(self, library_path: str | None = None, symbol: str = "unpack") -> None:
        self.library_path = library_path or None
        self.symbol = symbol
        # ctypes._CFuncPtr is what CDLL attributes are at run time; typeshed does not name it.
        self._function: ctypes._CFuncPtr | None = None  # type: ignore[name-defined]
        self._unavailable = self.library_path is None
        self._lock = threading.Lock()  # vendor decoders are rarely re-entrant

    @property
    def available(self) -> bool:
        return self._load() is not None

    def _load(self) -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]  # as above
        if self._function is not None or self._unavailable:
            return self._function
        try:
            library = ctypes.CDLL(self.library_path)
            function = getattr(library, self.symbol)
        except (OSError, AttributeError) as error:
            log.warning("WLT photo decoder unavailable (%s): %s", self.library_path, error)
            self._unavailable = True
            return None
        function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
        function.restype = ctypes.c_int
        self._function = function
        return function

    def decode(self, wlt: bytes) -> bytes | None:
        """BMP bytes for a 1024-byte WLT photo, or None (no library, bad data, failure)."""
        function = self._load()
        if function is None or len(wlt) != PHOTO_SIZE:
            return None
        source = ctypes.create_string_buffer(bytes(wlt), PHOTO_SIZE)
        target = ctypes.create_string_buffer(BMP_SIZE)
        with self._lock:
            try:
                result = function(source, target, 0)
            except OSError as error:
                log.warning("WLT decoder failed: %s", error)
                return None
        bmp = target.raw
        if result != 1 or not bmp.startswith(b"BM"):
            log.info("WLT decoder returned %d", result)
            return None
        return bmp
