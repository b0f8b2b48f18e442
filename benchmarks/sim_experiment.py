"""Wall time of a 30-seed, 5-strategy, 365-day experiment on the Nogales scenario, serial
against the process pool (all cores).

    .venv/bin/python benchmarks/sim_experiment.py [--quick] [--workers N]
"""

import argparse
import os
import sys
import time
from pathlib import Path

try:
    import alianza.sim  # noqa: F401
except ImportError:  # package not installed: use the checkout's src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from alianza.sim.experiment import run_experiment  # noqa: E402

STRATEGIES = ["uniform", "fixed", "hotspot", "security-game", "robust-qr"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="4 seeds x 90 days instead of 30 x 365")
    ap.add_argument("--workers", type=int, default=0, help="pool size (default: all cores)")
    args = ap.parse_args()
    seeds, days = (4, 90) if args.quick else (30, 365)
    workers = args.workers or os.cpu_count() or 1
    kw = {"scenario": "nogales", "strategies": STRATEGIES, "seeds": range(seeds), "days": days}
    runs = seeds * len(STRATEGIES)
    print(f"nogales: {seeds} seeds x {len(STRATEGIES)} strategies x {days} days = {runs} runs")

    t0 = time.perf_counter()
    serial = run_experiment(**kw, workers=1)
    t_serial = time.perf_counter() - t0
    print(f"serial:             {t_serial:7.1f} s  ({t_serial / runs * 1000:.0f} ms per run)")

    t0 = time.perf_counter()
    pooled = run_experiment(**kw, workers=workers)
    t_pool = time.perf_counter() - t0
    print(f"process pool ({workers}):  {t_pool:7.1f} s")
    print(f"speed-up: {t_serial / t_pool:.2f}x on {workers} workers "
          f"(os.cpu_count()={os.cpu_count()}, load average {os.getloadavg()[0]:.2f})")  # fmt: skip
    same = [r.summary for r in serial.runs] == [r.summary for r in pooled.runs]
    print(f"pool results identical to serial: {same}")


if __name__ == "__main__":
    main()
