"""Template data for the one-time notification slip from catalogue-shaped matters (CONTRACTS A).

An integrated service (一件事一次办) prints ONE slip: each matter keeps its own conditions, time
limit, fee and place, while the materials are merged into one checklist, so a citizen does not
bring the same ID card copy three times.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def _guide(matter: Mapping[str, Any]) -> Mapping[str, Any]:
    return matter.get("guide") or {}


def merge_materials(matters: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One line per material name, first-seen order; counts are the largest any matter asks
    for (the same original is shown once; copies are not summed: windows share one file)."""
    merged: dict[str, dict[str, Any]] = {}
    for matter in matters:
        for material in _guide(matter).get("materials", []):
            name = material["name"]
            entry = merged.setdefault(name, {
                "name": name, "name_en": material.get("name_en", ""),
                "originals": 0, "copies": 0, "note": "", "note_en": "",
            })
            entry["originals"] = max(entry["originals"], int(material.get("originals", 0)))
            entry["copies"] = max(entry["copies"], int(material.get("copies", 0)))
            for key in ("note", "note_en"):
                note = material.get(key, "")
                if note and note not in entry[key]:
                    entry[key] = f"{entry[key]}；{note}" if entry[key] else note
    return list(merged.values())


def notification_slip_data(
    matters: list[Mapping[str, Any]],
    hall_name: str,
    hall_name_en: str,
    printed_at: str,
    title: str | None = None,
    title_en: str | None = None,
    online_url: str | None = None,
) -> dict[str, Any]:
    """Data for templates/notification_slip.json. One matter: its own slip; several (an
    integrated service, pass its title): one merged slip."""
    if not matters:
        raise ValueError("notification slip needs at least one matter")
    first = matters[0]
    rows = []
    for matter in matters:
        guide = _guide(matter)
        row = {"name": matter.get("name", ""), "name_en": matter.get("name_en", "")}
        for key in ("conditions", "time_limit", "fee", "place", "hours_text"):
            row[key] = guide.get(key, "")
            row[f"{key}_en"] = guide.get(f"{key}_en", "")
        rows.append(row)
    return {
        "hall_name": hall_name,
        "hall_name_en": hall_name_en,
        "title": title or first.get("name", ""),
        "title_en": title_en or first.get("name_en", ""),
        "integrated": len(matters) > 1,
        "matters": rows,
        "materials": merge_materials(matters),
        "online_url": online_url if online_url is not None else _guide(first).get("online_url", ""),
        "printed_at": printed_at,
    }
