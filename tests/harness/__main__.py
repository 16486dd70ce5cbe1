"""``python -m tests.harness --count N --seed S``: judge N generated programs, print the counts and the failures."""

from __future__ import annotations

import argparse
import sys
import time

from .campaign import failure_report, run_campaign
from .differential import save


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.harness")
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--save", help="write each failing program here as a would-be fixture")
    args = parser.parse_args()
    started = time.perf_counter()
    summary = run_campaign(args.count, args.seed, args.workers)
    print(summary.table())
    print(f"{time.perf_counter() - started:.1f} s")
    if summary.failures:
        print("\n" + failure_report(summary.failures))
        if args.save:
            for outcome in summary.failures:
                save(outcome, args.save)
    return 1 if summary.failures else 0


if __name__ == "__main__":
    sys.exit(main())
