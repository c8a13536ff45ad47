"""Volume and mute set at the machine, kept in the data folder; a damaged file changes nothing."""

from __future__ import annotations

from pathlib import Path

from kiosk.services.overrides import LocalOverrides


def test_saved_values_are_merged_and_read_back(tmp_path: Path) -> None:
    overrides = LocalOverrides(tmp_path / "local")
    assert overrides.volume(70) == (70, False)  # nothing saved: as configured
    overrides.save(volume_percent=40)
    overrides.save(muted=True)
    assert overrides.volume(70) == (40, True)
    assert not list((tmp_path / "local").glob("*.tmp"))  # written atomically


def test_a_damaged_or_out_of_range_file_falls_back_to_the_configured_volume(tmp_path: Path) -> None:
    overrides = LocalOverrides(tmp_path)
    overrides.path.write_text("{not json")
    assert overrides.volume(70) == (70, False)
    overrides.path.write_text('{"volume_percent": 250, "muted": "yes"}')
    assert overrides.volume(70) == (70, False)
    overrides.save(volume_percent=30)  # and the next save replaces the damage
    assert overrides.volume(70) == (30, False)
