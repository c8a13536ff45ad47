"""Settings: the shipped file is valid and fully commented; bad files stop start-up with one line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_file_loads_and_matches_defaults() -> None:
    settings = config.load(ROOT / "kiosk.toml")
    for section, options in config.SCHEMA.items():
        for key, option in options.items():
            assert getattr(getattr(settings, section), key) == option.default, f"{section}.{key}"


def test_every_declared_key_is_in_the_shipped_file_with_a_comment() -> None:
    lines = (ROOT / "kiosk.toml").read_text(encoding="utf-8").splitlines()
    section = ""
    seen: set[str] = set()
    for number, line in enumerate(lines):
        if match := re.fullmatch(r"\[(\w+)\]", line.strip()):
            section = match.group(1)
        elif match := re.match(r"(\w+)\s*=", line):
            # The comment may sit above a run of related keys (e.g. width and height).
            above = next(lines[i] for i in range(number - 1, -1, -1)
                         if not re.match(r"\w+\s*=", lines[i]))
            assert above.startswith("#"), f"{section}.{match.group(1)} has no comment"
            seen.add(f"{section}.{match.group(1)}")
    declared = {f"{s}.{k}" for s, options in config.SCHEMA.items() for k in options}
    # Issue 14: the screen gives the window its pixels; width/height size only --windowed.
    assert seen == declared - config.DEVELOPMENT_ONLY


@pytest.mark.parametrize(("text", "key", "expected"), [
    ("[ui]\nidle_timout_s = 30\n", "ui.idle_timout_s", "did you mean 'idle_timeout_s'"),
    ("[ui]\nidle_timeout_s = \"30\"\n", "ui.idle_timeout_s", "expected int, got str"),
    ("[ui]\nidle_timeout_s = 3\n", "ui.idle_timeout_s", "at least 15"),
    ("[ui]\nidle_prompt_s = 5\n", "ui.idle_prompt_s", "at least 10"),
    ("[ui]\nlanguage = \"fr\"\n", "ui.language", "one of 'zh', 'en'"),
    ("[printer]\npaper_mm = 76\n", "printer.paper_mm", "one of 58, 80"),
    ("[printer]\nchinese_mode = 1\n", "printer.chinese_mode", "expected bool"),
    ("[central]\nurl = \"ftp://x\"\n", "central.url", "http:// or https://"),
    ("[display]\nrotation = 45\n", "display.rotation", "one of 0, 90"),
    ("[reader]\nbaud = true\n", "reader.baud", "expected int, got bool"),
    ("[kiosk]\nid = \"has space\"\n", "kiosk.id", "expected text matching"),
    ("[screen]\nwidth = 1\n", "screen", "unknown section"),
    ("ui = 3\n", "ui", "expected a table"),
    ("[ui\nlanguage = 'zh'\n", "(syntax)", "valid TOML"),
])
def test_bad_file_names_file_key_and_expectation(tmp_path: Path, text: str, key: str,
                                                 expected: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(config.ConfigError) as error:
        config.load(path)
    message = str(error.value)
    assert message.startswith(f"{path}: {key}: ")
    assert expected in message
    assert "\n" not in message


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="file not found"):
        config.load(tmp_path / "absent.toml")
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(config.ConfigError, match="UTF-8"):
        config.load(tmp_path / "bin.toml")


def test_settings_are_frozen_and_typed() -> None:
    settings = config.parse({"display": {"diagonal_inches": 32}})
    assert settings.display.diagonal_inches == 32.0
    assert isinstance(settings.display.diagonal_inches, float)
    with pytest.raises(AttributeError):
        settings.display.width = 1  # type: ignore[misc]


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args],
                          capture_output=True, text=True, timeout=60)


def test_check_config_cli(tmp_path: Path) -> None:
    good = run_main("--check-config", str(ROOT / "kiosk.toml"))
    assert good.returncode == 0, good.stderr
    bad = tmp_path / "misspelt.toml"
    bad.write_text("[printer]\npaper_width = 80\n", encoding="utf-8")
    result = run_main("--check-config", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "printer.paper_width" in lines[0]
    assert "Traceback" not in result.stderr


def test_start_with_bad_config_exits_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[ui]\nelder_age = 200\n", encoding="utf-8")
    result = run_main("--config", str(bad), "--smoke")
    assert result.returncode == 2
    assert "ui.elder_age" in result.stderr and "Traceback" not in result.stderr


def test_each_section_class_declares_every_option_with_its_kind() -> None:
    """What mypy sees of the settings (the section classes' annotations) is SCHEMA itself: an
    option added to SCHEMA needs its line in the section class too."""
    import typing

    for name, cls in config._SECTION_CLASSES.items():
        declared = typing.get_type_hints(cls)
        expected = {key: option.kind for key, option in config.SCHEMA[name].items()}
        assert declared == expected, f"{cls.__name__} annotations differ from SCHEMA[{name!r}]"
