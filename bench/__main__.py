"""Run the benchmarks: `make bench` or `python -m bench [NAME ...] [--json FILE]`.

Each module `bench/bench_<name>.py` defines `run() -> dict[str, object]`; the runner imports it
with Django set up (SQLite in a temporary folder unless SKILLCERT_DATABASE_URL says otherwise),
times the call and prints the figures it returns. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


def discover() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcert.settings")
    os.environ.setdefault("SKILLCERT_ENV", "development")
    # Benchmarks never touch the developer's var/: keys and the SQLite file live in a temporary folder.
    os.environ.setdefault("SKILLCERT_VAR_DIR", tempfile.mkdtemp(prefix="skillcert-bench-"))
    import django

    django.setup()


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args(argv)

    available = discover()
    if args.list:
        print("\n".join(available) if available else "(no benchmarks)")
        return 0
    unknown = sorted(set(args.names) - set(available))
    if unknown:
        parser.error(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available) or 'none'}"
        )
    names = args.names or available
    if not names:
        print("No benchmarks yet: add bench/bench_<name>.py with run() -> dict (docs/benchmarks.md).")
        return 0

    setup_django()
    results: dict[str, dict[str, Any]] = {}
    failed: list[str] = []
    for name in names:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.bench_{name}")
            figures = dict(module.run())
        except Exception:
            traceback.print_exc()
            failed.append(name)
            continue
        figures.setdefault("wall_s", round(time.perf_counter() - started, 3))
        results[name] = figures
        width = max(len(k) for k in figures)
        for key, value in figures.items():
            print(f"   {key:<{width}}  {_format(value)}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        print(f"figures written to {args.json}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
