"""Typed kiosk settings from kiosk.toml: declared as data, validated, frozen; no Qt.

Every option is declared once in ``SCHEMA`` (type, default, allowed range, description). Loading
checks unknown keys, types and ranges and raises ``ConfigError`` with one line that names the
file, the key and what was expected, so a maintainer at the kiosk sees what to fix instead of a
traceback.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A settings file that cannot be used; ``str()`` is one line meant for a person."""

    def __init__(self, file: str | Path, key: str, expected: str) -> None:
        self.file = str(file)
        self.key = key
        self.expected = expected
        super().__init__(f"{self.file}: {key}: {expected}")


class Option:
    """One declared setting: how to check it and what it means.

    Plain classes here and below, not dataclasses: settings are read before the first frame,
    and building ten dataclasses (60 generated, compiled methods) cost ~10 ms of every start.
    """

    __slots__ = ("check", "choices", "default", "description", "kind", "maximum", "minimum",
                 "pattern")

    def __init__(self, kind: type[Any], default: Any, description: str, *,
                 choices: tuple[Any, ...] = (), minimum: float | None = None,
                 maximum: float | None = None, pattern: str | None = None,
                 check: Callable[[Any], str | None] | None = None) -> None:
        self.kind = kind
        self.default = default
        self.description = description
        self.choices = choices
        self.minimum = minimum
        self.maximum = maximum
        self.pattern = pattern
        self.check = check  # returns an error text or None

    def validate(self, value: Any) -> str | None:
        """Return what was expected when ``value`` is not acceptable, else None."""
        if self.kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            return f"expected {self.kind.__name__}, got {type(value).__name__} {value!r}"
        if self.choices and value not in self.choices:
            return f"expected one of {', '.join(map(repr, self.choices))}, got {value!r}"
        if self.minimum is not None and value < self.minimum:
            return f"expected at least {self.minimum:g}, got {value!r}"
        if self.maximum is not None and value > self.maximum:
            return f"expected at most {self.maximum:g}, got {value!r}"
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            return f"expected text matching {self.pattern}, got {value!r}"
        if self.check is not None:
            return self.check(value)
        return None


def _url(value: str) -> str | None:
    return None if re.fullmatch(r"https?://[^\s/]+(/\S*)?", value) else (
        f"expected an http:// or https:// URL, got {value!r}"
    )


#: Settings kiosk.toml does not ship: only a development window (fullscreen = false) uses them.
DEVELOPMENT_ONLY = frozenset({"display.width", "display.height"})


def _zone_error(value: str) -> str | None:
    from kiosk.clock import zone_error

    return zone_error(value)


def _diagonal(value: float) -> str | None:
    return None if value == 0 or 7 <= value <= 100 else (
        f"expected 0 (use the size the screen reports) or 7 to 100 inches, got {value!r}"
    )


def _port_or_usb(value: str) -> str | None:
    if re.fullmatch(r"[0-9a-fA-F]{4}:[0-9a-fA-F]{4}", value) or re.fullmatch(r"\S+", value):
        return None
    return f"expected a pyserial URL/device path or VID:PID, got {value!r}"


SCHEMA: dict[str, dict[str, Option]] = {
    "kiosk": {
        "id": Option(str, "kiosk-01", "Kiosk id as registered at the central service",
                     pattern=r"[A-Za-z0-9._-]{1,64}"),
        "hall_name": Option(str, "政务服务中心", "Hall name shown on screen and tickets (Chinese)"),
        "hall_name_en": Option(str, "Government Service Centre", "Hall name in English"),
        "location": Option(str, "一楼24小时自助服务区", "Where this kiosk stands (sent with help calls)"),
        "location_en": Option(str, "24-hour self-service area, 1F", "Location in English"),
        "data_dir": Option(str, "var", "Folder for the outbox, last good config and logs"),
        "keep_sent_s": Option(int, 7 * 86400,
                              "Seconds a delivered item's receipt (no personal field) is kept",
                              minimum=0, maximum=90 * 86400),
    },
    "display": {
        "fullscreen": Option(bool, True, "Fullscreen and frameless (false only for development)"),
        # Fullscreen, the window takes the size of its screen: these are --windowed's size only.
        "width": Option(int, 1080, "Window width in pixels when not fullscreen (development)",
                        minimum=320, maximum=7680),
        "height": Option(int, 1920, "Window height in pixels when not fullscreen (development)",
                         minimum=320, maximum=7680),
        "diagonal_inches": Option(float, 21.5, "Physical diagonal, used to size touch targets in mm "
                                  "(0: the size the screen reports)", check=_diagonal),
        "rotation": Option(int, 0, "Screen rotation in degrees", choices=(0, 90, 180, 270)),
        "hide_cursor": Option(bool, True, "Hide the mouse cursor (touch screens)"),
        "backlight_root": Option(str, "/sys/class/backlight",
                                 "Linux backlight folder the service menu sets brightness in"),
    },
    "central": {
        "url": Option(str, "http://127.0.0.1:8400", "Base URL of the central service",
                      check=_url),
        "token": Option(str, "", "This kiosk's bearer token (printed once by add-kiosk)"),
        "connect_timeout_s": Option(float, 3.0, "Seconds to wait for a connection",
                                    minimum=0.2, maximum=60),
        "read_timeout_s": Option(float, 8.0, "Seconds to wait for an answer",
                                 minimum=0.5, maximum=120),
        "ca_file": Option(str, "", "Pinned CA certificate file for TLS; empty = system store"),
        "public_key": Option(str, "", "Ed25519 public key (base64) that signs config bundles"),
        "heartbeat_interval_s": Option(int, 60, "Seconds between heartbeats",
                                       minimum=5, maximum=3600),
        "id_salt": Option(str, "change-me-per-hall",
                          "Hall-wide salt: only salted hashes of ID numbers leave the kiosk"),
    },
    "reader": {
        "enabled": Option(bool, True, "Whether an ID card reader is attached"),
        "port": Option(str, "/dev/ttyUSB0", "pyserial URL or device, or USB VID:PID",
                       check=_port_or_usb),
        "baud": Option(int, 115200, "Serial speed",
                       choices=(9600, 19200, 38400, 57600, 115200)),
        "poll_interval_ms": Option(int, 300, "How often to look for a card",
                                   minimum=50, maximum=5000),
        "timeout_ms": Option(int, 3500, "Longest wait for one reader answer",
                             minimum=100, maximum=20000),
        "photo_decoder": Option(str, "", "Vendor WLT photo library path; empty = no photo"),
    },
    "printer": {
        "enabled": Option(bool, True, "Whether a ticket printer is attached"),
        "transport": Option(str, "usb", "How the printer is reached",
                            choices=("usb", "serial", "network", "file")),
        "device": Option(str, "/dev/usb/lp0", "Serial port or device node (serial, file)"),
        "host": Option(str, "127.0.0.1", "Printer address (network)"),
        "port": Option(int, 9100, "TCP port (network)", minimum=1, maximum=65535),
        "usb_vendor": Option(str, "0x0416", "USB vendor id (usb)", pattern=r"(0x)?[0-9a-fA-F]{1,4}"),
        "usb_product": Option(str, "0x5011", "USB product id (usb)", pattern=r"(0x)?[0-9a-fA-F]{1,4}"),
        "baud": Option(int, 9600, "Serial speed (serial)",
                       choices=(9600, 19200, 38400, 57600, 115200)),
        "profile": Option(str, "generic-80", "Capability profile (see drivers/printer/profiles)",
                          pattern=r"[A-Za-z0-9._-]+"),
        "paper_mm": Option(int, 80, "Paper width in millimetres", choices=(58, 80)),
        "chinese_mode": Option(bool, True, "Send Chinese as GB18030 inside FS & ... FS ."),
        "encoding": Option(str, "gb18030", "Encoding of the printer's Chinese font",
                           choices=("gb18030", "gbk", "big5")),
        "text_as_image": Option(bool, False, "Render text as images (printer has no CJK font)"),
    },
    "ui": {
        "language": Option(str, "zh", "Language a session starts in", choices=("zh", "en")),
        "idle_timeout_s": Option(int, 60, "Seconds without a touch before 'Need more time?'",
                                 minimum=15, maximum=900),
        "idle_prompt_s": Option(int, 15, "Seconds the 'Need more time?' prompt counts down",
                                minimum=10, maximum=120),
        "elder_age": Option(int, 70, "Age from which elder mode is offered and priority given",
                            minimum=50, maximum=120),
        "elder_idle_factor": Option(float, 2.0, "Elder mode multiplies the idle timeout by this",
                                    minimum=1, maximum=5),
        "voice": Option(bool, True, "Read prompts aloud in elder mode"),
        "volume": Option(int, 70, "Speech volume in percent", minimum=0, maximum=100),
        "voice_engine": Option(str, "speechd", "Qt TextToSpeech engine", pattern=r"[a-z0-9_-]+"),
    },
    "service": {
        "pin_hash": Option(str, "", "Service-menu PIN hash from `python -m kiosk.services.pin hash`"),
        "corner": Option(str, "top-right", "Screen corner of the hidden gesture",
                         choices=("top-left", "top-right", "bottom-left", "bottom-right")),
        "menu_timeout_s": Option(int, 120, "Service menu closes after this long untouched",
                                 minimum=30, maximum=1800),
    },
    "logging": {
        "level": Option(str, "INFO", "Log level",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR")),
        "max_bytes": Option(int, 2_000_000, "Size of one log file before rotation",
                            minimum=10_000, maximum=100_000_000),
        "backups": Option(int, 5, "Rotated log files kept", minimum=1, maximum=100),
    },
    "hall": {
        "timezone": Option(str, "Asia/Shanghai", "The hall's time zone: screens, tickets, "
                           "receipts and logs (the centre's bundle wins when it names one)",
                           check=lambda value: _zone_error(value)),
    },
}


class Section:
    """One table's settings: read-only attributes, defaults from ``SCHEMA``, compared by value."""

    name = ""  # the TOML table, set by each subclass

    def __init__(self, **values: Any) -> None:
        options = SCHEMA[self.name]
        unknown = values.keys() - options.keys()
        if unknown:
            raise TypeError(f"[{self.name}] has no option {sorted(unknown)[0]!r}")
        for key, option in options.items():
            object.__setattr__(self, key, values.get(key, option.default))

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"settings are read-only ([{self.name}] {key}); use replace()")

    def __delattr__(self, key: str) -> None:
        raise AttributeError(f"settings are read-only ([{self.name}] {key})")

    def __getattr__(self, key: str) -> Any:  # only for names that are not options
        raise AttributeError(f"[{self.name}] has no option {key!r}")

    def replace(self, **changes: Any) -> Section:
        """A copy with some options changed."""
        return type(self)(**{**vars(self), **changes})

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash((self.name, *vars(self).values()))

    def __repr__(self) -> str:
        values = ", ".join(f"{key}={value!r}" for key, value in vars(self).items())
        return f"{type(self).__name__}({values})"


class KioskSettings(Section):
    name = "kiosk"

    id: str
    hall_name: str
    hall_name_en: str
    location: str
    location_en: str
    data_dir: str
    keep_sent_s: int


class DisplaySettings(Section):
    name = "display"

    fullscreen: bool
    width: int
    height: int
    diagonal_inches: float
    rotation: int
    hide_cursor: bool
    backlight_root: str


class CentralSettings(Section):
    name = "central"

    url: str
    token: str
    connect_timeout_s: float
    read_timeout_s: float
    ca_file: str
    public_key: str
    heartbeat_interval_s: int
    id_salt: str


class ReaderSettings(Section):
    name = "reader"

    enabled: bool
    port: str
    baud: int
    poll_interval_ms: int
    timeout_ms: int
    photo_decoder: str


class PrinterSettings(Section):
    name = "printer"

    enabled: bool
    transport: str
    device: str
    host: str
    port: int
    usb_vendor: str
    usb_product: str
    baud: int
    profile: str
    paper_mm: int
    chinese_mode: bool
    encoding: str
    text_as_image: bool


class UiSettings(Section):
    name = "ui"

    language: str
    idle_timeout_s: int
    idle_prompt_s: int
    elder_age: int
    elder_idle_factor: float
    voice: bool
    volume: int
    voice_engine: str


class ServiceSettings(Section):
    name = "service"

    pin_hash: str
    corner: str
    menu_timeout_s: int


class LoggingSettings(Section):
    name = "logging"

    level: str
    max_bytes: int
    backups: int


class HallSettings(Section):
    name = "hall"

    timezone: str


_SECTION_CLASSES: dict[str, type[Section]] = {
    cls.name: cls for cls in (KioskSettings, DisplaySettings, CentralSettings, ReaderSettings,
                              PrinterSettings, UiSettings, ServiceSettings, LoggingSettings,
                              HallSettings)
}


class Settings:
    """All settings of one kiosk, one read-only section per TOML table."""

    kiosk: KioskSettings
    display: DisplaySettings
    central: CentralSettings
    reader: ReaderSettings
    printer: PrinterSettings
    ui: UiSettings
    service: ServiceSettings
    logging: LoggingSettings
    hall: HallSettings
    source: str

    def __init__(self, source: str = "<defaults>", **sections: Section) -> None:
        unknown = sections.keys() - _SECTION_CLASSES.keys()
        if unknown:
            raise TypeError(f"no settings section {sorted(unknown)[0]!r}")
        for name, cls in _SECTION_CLASSES.items():
            object.__setattr__(self, name, sections.get(name) or cls())
        object.__setattr__(self, "source", source)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"settings are read-only ({key}); use replace()")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash(tuple(vars(self).values()))

    def __repr__(self) -> str:
        return f"Settings(source={self.source!r})"

    def data_path(self, *parts: str) -> Path:
        """A path inside the data folder, relative paths resolved against the config file."""
        base = Path(self.kiosk.data_dir)
        if not base.is_absolute() and self.source != "<defaults>":
            base = Path(self.source).resolve().parent / base
        return base.joinpath(*parts)

    def replace(self, section: str, **changes: Any) -> Settings:
        """A copy with some options of one section changed (used by --simulate and tests)."""
        sections = {name: getattr(self, name) for name in _SECTION_CLASSES}
        sections[section] = sections[section].replace(**changes)
        return Settings(source=self.source, **sections)


def parse(data: dict[str, Any], file: str | Path = "<memory>") -> Settings:
    """Validate a TOML document's dict against ``SCHEMA`` and build frozen settings."""
    sections: dict[str, Any] = {}
    for section, table in data.items():
        if section not in SCHEMA:
            raise ConfigError(file, section, f"unknown section; expected one of {', '.join(SCHEMA)}")
        if not isinstance(table, dict):
            raise ConfigError(file, section, "expected a table like [" + section + "]")
        values: dict[str, Any] = {}
        for key, value in table.items():
            option = SCHEMA[section].get(key)
            if option is None:
                import difflib  # only for this message: off the start-up path

                near = difflib.get_close_matches(key, SCHEMA[section], n=1)
                hint = f"did you mean '{near[0]}'? " if near else ""
                raise ConfigError(file, f"{section}.{key}", f"unknown key; {hint}expected one of "
                                  + ", ".join(SCHEMA[section]))
            problem = option.validate(value)
            if problem:
                raise ConfigError(file, f"{section}.{key}", problem)
            values[key] = float(value) if option.kind is float else value
        sections[section] = _SECTION_CLASSES[section](**values)
    return Settings(**sections, source=str(file))


def load(path: str | Path) -> Settings:
    """Read and validate a settings file; every problem becomes a one-line ``ConfigError``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, "(file)", "file not found") from None
    except OSError as exc:
        raise ConfigError(path, "(file)", f"cannot be read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(path, "(file)", "expected UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "(syntax)", f"expected valid TOML: {exc}") from None
    return parse(data, path)
