"""Command line: ``python -m alianza.sim run SCENARIO --strategies a,b --seeds N``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .experiment import format_table, run_sweep, write_outputs
from .scenario import ScenarioError, packaged_scenarios
from .strategies import REGISTRY

DEFAULT_STRATEGIES = "uniform,fixed,hotspot,security-game,robust-qr"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m alianza.sim", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="compare strategies on one scenario over common seeds")
    r.add_argument(
        "scenarios",
        nargs="+",
        metavar="SCENARIO",
        help="scenario TOML path(s) or packaged name(s), e.g. nogales; several = a sweep",
    )
    r.add_argument(
        "--strategies",
        default=DEFAULT_STRATEGIES,
        help=f"comma-separated specs, name or name:key=value (default: {DEFAULT_STRATEGIES})",
    )
    r.add_argument("--seeds", type=int, default=10, help="number of seeds (default 10)")
    r.add_argument("--seed-start", type=int, default=0, help="first seed (default 0)")
    r.add_argument("--days", type=int, default=None, help="days per run (default: scenario's)")
    r.add_argument(
        "--workers", type=int, default=0, help="processes; 0 = all cores, 1 = serial (default 0)"
    )
    r.add_argument("--pressured-corridor", default=None, help="corridor for the displacement index")
    r.add_argument(
        "--out",
        type=Path,
        default=Path("var/sim-results"),
        help="output folder, default var/sim-results (one sub-folder per scenario in a sweep)",
    )
    r.add_argument("--no-chart", action="store_true", help="skip chart.png")
    sub.add_parser("list", help="list packaged scenarios and strategies")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "list":
        print("scenarios: " + ", ".join(packaged_scenarios()))
        print("strategies: " + ", ".join(sorted(REGISTRY)))
        return 0
    strategies = [s.strip() for s in args.strategies.split(",") if s.strip()]
    if args.seeds < 1:
        print("error: --seeds must be at least 1", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        results = run_sweep(
            scenarios=args.scenarios,
            strategies=strategies,
            seeds=range(args.seed_start, args.seed_start + args.seeds),
            days=args.days,
            workers=args.workers or None,
            pressured_corridor=args.pressured_corridor,
        )
    except (ScenarioError, ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - t0
    for result in results:
        out = args.out if len(results) == 1 else args.out / result.scenario
        print(format_table(result))
        files = write_outputs(result, out_dir=out, chart=not args.no_chart)
        print("wrote " + ", ".join(map(str, files)) + "\n")
    runs = sum(len(r.runs) for r in results)
    print(f"{runs} runs in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
