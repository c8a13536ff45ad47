"""Search by pinyin initials, keystroke by keystroke, on a full hall's catalogue.

The guide screen searches at every letter (the text plus the keyboard's unfinished pinyin), so
each keystroke costs one ``Search`` through GuideFlow and one view of its result. This times
that per keystroke, typing initials ("gljt", "hyd", "xserh"), full pinyin ("hunyindengji"),
hanzi and English, letter by letter, on the demo hall's catalogue grown to ``--matters``
matters (a city hall lists about 1,500; the names are the demo's with the prefixes and
suffixes real lists use: 个人/企业/…, 变更/注销/补办/…). Goal: <= 50 ms per keystroke.

    python -m bench.search [--matters N] [--rounds N] [--quick]

Prints one JSON line per typed query and a summary line (``"subject": "all"``).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import statistics
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ("gljt", "hyd", "xserh", "hunyindengji", "婚姻登记", "marriage", "gjj")
PREFIXES = ("", "个人", "企业", "城乡居民", "灵活就业人员", "退役军人", "残疾人", "外国人",
            "港澳台居民", "高校毕业生", "个体工商户", "农民专业合作社")
SUFFIXES = ("", "变更", "注销", "补办", "查询", "申请", "延续", "备案", "证明开具", "信息更正",
            "跨省通办", "网上预约", "进度查询")


def full_catalogue(matters: int) -> Any:
    """The demo hall's catalogue with ``matters`` matters (names varied as real lists are)."""
    from hall.catalogue import Catalogue

    bundle = tomllib.loads((ROOT / "central" / "demo_config.toml").read_text(encoding="utf-8"))
    base = bundle["matters"]
    grown: list[dict[str, Any]] = []
    for n in range(matters):
        source = base[n % len(base)]
        prefix = PREFIXES[(n // len(base)) % len(PREFIXES)]
        suffix = SUFFIXES[(n // (len(base) * len(PREFIXES))) % len(SUFFIXES)]
        matter = copy.deepcopy(source)
        if n >= len(base):
            matter["id"] = f"{source['id']}-{n}"
            matter["name"] = f"{prefix}{source['name']}{suffix}"
            matter["name_en"] = f"{source['name_en']} ({n})"
        grown.append(matter)
    bundle["matters"] = grown
    return Catalogue.from_dict(bundle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matters", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="300 matters, 2 rounds")
    args = parser.parse_args(argv)
    if args.quick:
        args.matters, args.rounds = 300, 2

    from kiosk.flows.guide import GuideFlow, Search
    from kiosk.flows.session import CitizenSession

    started = time.perf_counter()
    catalogue = full_catalogue(args.matters)
    build_ms = (time.perf_counter() - started) * 1000
    flow = GuideFlow(CitizenSession(b"bench-salt"), catalogue, dt.datetime(2026, 11, 23, 10, 0))
    every: list[float] = []
    for query in QUERIES:
        per_key: list[float] = []
        for _ in range(args.rounds):
            flow.handle(Search(""))
            for end in range(1, len(query) + 1):
                t0 = time.perf_counter()
                flow.handle(Search(query[:end]))
                shown = flow.view().data["matters"]
                per_key.append((time.perf_counter() - t0) * 1000)
        every += per_key
        print(json.dumps({"bench": "search", "subject": query, "matters": len(catalogue.matters),
                          "keystrokes": len(per_key), "shown_at_end": len(shown),
                          "p50_ms": round(statistics.median(per_key), 2),
                          "max_ms": round(max(per_key), 2)}))
    every.sort()
    p95 = every[min(len(every) - 1, round(0.95 * (len(every) - 1)))]
    print(json.dumps({"bench": "search", "subject": "all", "matters": len(catalogue.matters),
                      "keystrokes": len(every), "catalogue_build_ms": round(build_ms, 1),
                      "p50_ms": round(statistics.median(every), 2), "p95_ms": round(p95, 2),
                      "max_ms": round(every[-1], 2), "goal_ms": 50}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
