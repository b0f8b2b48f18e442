"""Bayesian SSE (several smuggler types) by MILP with HiGHS: time, bound and proven gap.

    python benchmarks/games_bayesian.py                 # 4 types x n = 25 ... 1000
    python benchmarks/games_bayesian.py --quick         # 4 types x n = 25, 50
    python benchmarks/games_bayesian.py --time-limit 60 --sizes 100 1000

Payoffs are uniform random (defender covered in [0, 10], uncovered in [-10, 0]; attacker
likewise), m = n / 10, priors from a Dirichlet(1) draw. The baseline column is the exact
single-type solver on the first type, measured in the same run, for scale.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from alianza.games import solve_sse
from alianza.games.bayesian import AttackerType, BayesianSecurityGame, solve_bayesian_sse


def random_game(n: int, num_types: int, seed: int) -> BayesianSecurityGame:
    rng = np.random.default_rng(seed)
    priors = rng.dirichlet(np.ones(num_types))
    priors = priors / priors.sum()
    names = ("northbound drugs", "northbound migrants", "southbound guns", "southbound cash")
    types = tuple(
        AttackerType(
            name=names[i % len(names)] + ("" if i < len(names) else f" {i}"),
            prior=float(priors[i]),
            defender_covered=rng.uniform(0, 10, n),
            defender_uncovered=rng.uniform(-10, 0, n),
            attacker_covered=rng.uniform(-10, 0, n),
            attacker_uncovered=rng.uniform(0, 10, n),
        )
        for i in range(num_types)
    )
    return BayesianSecurityGame(resources=n / 10, types=types)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--types", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--sizes", type=int, nargs="*")
    args = parser.parse_args()
    sizes = args.sizes or ([25, 50] if args.quick else [25, 50, 100, 200, 1000])
    print(
        f"{'types':>5} {'n':>6} {'binaries':>8} {'seconds':>8} {'status':>18} "
        f"{'utility':>9} {'bound':>9} {'gap':>8} {'rel gap':>8} {'1-type s':>9}"
    )
    for n in sizes:
        game = random_game(n, args.types, seed=n)
        began = time.perf_counter()
        result = solve_bayesian_sse(game, time_limit=args.time_limit)
        seconds = time.perf_counter() - began
        single = game.type_games()[0]
        began = time.perf_counter()
        solve_sse(single)
        single_seconds = time.perf_counter() - began
        print(
            f"{args.types:>5} {n:>6} {result.num_binaries:>8} {seconds:>8.2f} "
            f"{result.status:>18} {result.defender_utility:>9.4f} {result.bound:>9.4f} "
            f"{result.gap:>8.4f} {result.relative_gap:>8.2%} {single_seconds:>9.5f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
