"""Crossing attempts simulated per second, 10^6 attempts over 3,200 segments, against a NumPy
baseline that only draws the same random numbers (same generators, calls and sizes).

    .venv/bin/python benchmarks/sim_throughput.py [--quick] [--repeat N]
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

try:
    import alianza.sim  # noqa: F401
except ImportError:  # package not installed: use the checkout's src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from alianza.sim import UniformRandom, scenario_from_dict, simulate, synthetic_config  # noqa: E402
from alianza.sim.model import Compiled, make_streams  # noqa: E402

SEGMENTS = 3200
SLOTS = ("night", "morning", "afternoon", "evening")
UNITS = 800  # per slot: a quarter of the segments
ORGS = 5


def scenario(*, attempts_per_day: float):
    cfg = synthetic_config(
        n_segments=SEGMENTS, n_corridors=16, slots=SLOTS, units=UNITS, n_orgs=ORGS,
        attempts_per_day=attempts_per_day,
    )  # fmt: skip
    return scenario_from_dict(cfg)


def baseline(*, comp: Compiled, counts: np.ndarray, seed: int) -> int:
    """Draw exactly the random numbers the simulator draws, and nothing else."""
    st = make_streams(seed)
    total = 0
    for day_counts in counts:
        for _ in range(comp.T):  # patrols: permutation, offset, unit-type shuffle per slot
            st.patrol.permutation(comp.S)
            st.patrol.random()
            st.patrol.permutation(comp.pool)
        st.attack.poisson(comp.mean)
        n = int(day_counts.sum())
        st.attack.random(n)  # where and when
        st.outcome.random((2, n))  # detection and disposition
        for k in range(comp.O):  # lookouts
            st.scout.random(comp.scout_cells[k].size)
        total += n
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10^5 attempts instead of 10^6")
    ap.add_argument("--repeat", type=int, default=3, help="best of N timings (default 3)")
    args = ap.parse_args()
    target = 100_000 if args.quick else 1_000_000
    days = 10
    # Each org has two flows (drugs at rate a, cash at a/4), so ORGS * 1.25 * a per day.
    sc = scenario(attempts_per_day=target / days / ORGS / 1.25)
    comp = Compiled(sc)

    best_sim, result = float("inf"), None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = simulate(scenario=sc, strategy=UniformRandom(), seed=1, days=days, compiled=comp)
        best_sim = min(best_sim, time.perf_counter() - t0)
    attempts = int(result.attempts_drawn.sum())
    per_day = result.outcomes.sum(axis=2)  # (D, C): only the total per day matters below

    best_base = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        n = baseline(comp=comp, counts=per_day, seed=1)
        best_base = min(best_base, time.perf_counter() - t0)
    assert n == attempts

    sim_rate, base_rate = attempts / best_sim, attempts / best_base
    print(f"segments={SEGMENTS} slots={len(SLOTS)} cells={comp.N} days={days} flows={comp.P}")
    print(f"attempts simulated: {attempts:,}")
    print(f"simulator:  {best_sim:.3f} s  -> {sim_rate:,.0f} attempts/s")
    print(f"baseline (random numbers only): {best_base:.3f} s  -> {base_rate:,.0f} attempts/s")
    slow = best_sim / best_base
    print(f"ratio simulator/baseline throughput: {sim_rate / base_rate:.3f}")
    print(f"(the simulator takes {slow:.1f}x the time of only drawing its random numbers)")


if __name__ == "__main__":
    main()
