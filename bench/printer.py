"""Printer bench: time from "print ticket" to the last byte handed to the transport, and bytes
per ticket with native vs image QR. One JSON object per line; medians; ratios to a raw-send floor.

    python -m bench.printer [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import time

from drivers.printer.driver import PrinterDriver
from drivers.printer.profiles import load_profile
from drivers.printer.render import TicketRenderer, example_data, template_names
from drivers.printer.virtual import VirtualPrinter


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def bench_latency(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        vp = VirtualPrinter(tmp, paper_mm=80, render_png=False)
        port = vp.start_tcp(0)
        driver = PrinterDriver("network", {"host": "127.0.0.1", "port": port},
                               load_profile("generic-80"), status_timeout_s=1.0)
        data = example_data("queue_ticket")
        payload = driver.render("queue_ticket", data)
        handed, render = [], []
        floor = []
        try:
            driver.print_job("queue_ticket", data)  # warm-up: connect, font and glyph caches
            for _ in range(runs):
                result = driver.print_job("queue_ticket", data)
                if not result.printed:
                    raise SystemExit(f"bench job not printed: {result.reason_key}")
                handed.append(result.handed_s)
                start = time.perf_counter()
                driver.render("queue_ticket", data)
                render.append(time.perf_counter() - start)
            with socket.create_connection(("127.0.0.1", port)) as raw:
                for _ in range(runs):
                    start = time.perf_counter()
                    raw.sendall(payload)
                    floor.append(time.perf_counter() - start)
        finally:
            driver.close()
            vp.stop()
    return {
        "bench": "printer.queue_ticket_latency",
        "runs": runs,
        "print_to_last_byte_ms_median": _median_ms(handed),
        "render_only_ms_median": _median_ms(render),
        "raw_send_floor_ms_median": _median_ms(floor),
        "ratio_to_floor": round(statistics.median(handed) / max(statistics.median(floor), 1e-9), 1),
        "includes": "render + DLE EOT 1/2/4 round trips + sendall over TCP 127.0.0.1",
    }


def bench_sizes() -> list[dict]:
    rows = []
    for template in template_names():
        data = example_data(template)
        for paper in (58, 80):
            profile = load_profile(f"generic-{paper}")
            native = len(TicketRenderer(profile).render_bytes(template, data))
            image_qr = len(TicketRenderer(profile, native_qr=False).render_bytes(template, data))
            no_cjk = len(TicketRenderer(load_profile(f"generic-{paper}-nocjk"))
                         .render_bytes(template, data))
            rows.append({
                "bench": "printer.bytes_per_ticket",
                "template": template,
                "paper_mm": paper,
                "native_qr_bytes": native,
                "image_qr_bytes": image_qr,
                "image_qr_to_native_ratio": round(image_qr / native, 1),
                "no_chinese_font_bytes": no_cjk,
                "under_2kb": native < 2048,
            })
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    print(json.dumps(bench_latency(args.runs)), flush=True)
    for row in bench_sizes():
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
