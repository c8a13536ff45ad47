"""Start the hall kiosk: parse arguments, load kiosk.toml, hand over to kiosk.app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_CONFIG = Path(__file__).resolve().parent / "kiosk.toml"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="main.py", description="Self-service kiosk of a government service hall.",
        # A set width: by default argparse asks the terminal for its width, which imports
        # shutil (~3 ms of every start, before the first frame; the kiosk has no terminal).
        formatter_class=lambda prog: argparse.HelpFormatter(prog, width=100))
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, metavar="FILE",
                        help="settings file (default: kiosk.toml beside main.py)")
    parser.add_argument("--check-config", type=Path, metavar="FILE",
                        help="validate FILE and exit: 0 good, 2 bad")
    parser.add_argument("--simulate", action="store_true",
                        help="simulated ID reader and printer and a local central service")
    parser.add_argument("--windowed", action="store_true", help="a normal window (development)")
    parser.add_argument("--smoke", action="store_true",
                        help='show the home screen, print {"startup_ms", "rss_mb", "cpu_ms"} and exit')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from kiosk.config import ConfigError, load

    try:
        settings = load(args.check_config or args.config)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    if args.check_config:
        print(f"{args.check_config}: OK")
        return 0
    from kiosk.app import main as run

    return run(settings, simulate=args.simulate, windowed=args.windowed, smoke=args.smoke)


if __name__ == "__main__":
    sys.exit(main())
