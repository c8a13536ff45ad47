"""Render a template with its example data to the exact printer bytes and to a paper PNG.

    python -m drivers.printer.sample queue_ticket --bytes OUT.bin --png OUT.png [--width 58|80]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from drivers.printer.paper import render_ticket_png
from drivers.printer.profiles import ProfileError, load_profile
from drivers.printer.render import TemplateError, TicketRenderer, example_data, template_names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", help=f"one of: {', '.join(template_names())}")
    parser.add_argument("--bytes", dest="bytes_out", help="write the ESC/POS bytes here")
    parser.add_argument("--png", help="write the paper PNG here")
    parser.add_argument("--width", type=int, choices=(58, 80), default=80, help="paper mm")
    parser.add_argument("--model", help="printer profile (default generic-58/generic-80)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--data", help="JSON file with data instead of the template's example")
    args = parser.parse_args(argv)
    try:
        profile = load_profile(args.model or f"generic-{args.width}")
        data = (json.loads(Path(args.data).read_text(encoding="utf-8")) if args.data
                else example_data(args.template))
        payload = TicketRenderer(profile).render_bytes(args.template, data, args.lang)
    except (TemplateError, ProfileError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.bytes_out:
        Path(args.bytes_out).write_bytes(payload)
    if args.png:
        render_ticket_png(payload, args.png, profile.paper_mm)
    print(json.dumps({"template": args.template, "model": profile.model, "lang": args.lang,
                      "bytes": len(payload)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
