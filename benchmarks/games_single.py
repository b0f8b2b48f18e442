"""Single attacker type SSE at scale, timed against np.sort of n floats in the same run.

    python benchmarks/games_single.py            # n = 10^4 ... 10^7, m = n / 100
    python benchmarks/games_single.py --quick    # n = 10^4, 10^5

ORIGAMI (Kiekintveld et al. 2009) reported 1.51 hours for 10^6 targets and 10^4 resources.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from alianza.games import SecurityGame, solve_sse


def best_of(repeats: int, func) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        func()
        times.append(time.perf_counter() - began)
    return min(times)


def random_game(n: int, seed: int) -> SecurityGame:
    rng = np.random.default_rng(seed)
    return SecurityGame(
        defender_covered=rng.uniform(0, 10, n),
        defender_uncovered=rng.uniform(-10, 0, n),
        attacker_covered=rng.uniform(-10, 0, n),
        attacker_uncovered=rng.uniform(0, 10, n),
        resources=n / 100,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sizes = [10**4, 10**5] if args.quick else [10**4, 10**5, 10**6, 10**7]
    print(f"{'n':>10} {'m':>8} {'solve s':>10} {'np.sort s':>10} {'ratio':>7} {'attack set':>10}")
    for n in sizes:
        game = random_game(n, seed=n)
        floats = np.random.default_rng(1).uniform(0, 10, n)
        repeats = max(1, args.repeats if n < 10**7 else 2)
        solve_time = best_of(repeats, lambda game=game: solve_sse(game))
        sort_time = best_of(repeats, lambda floats=floats: np.sort(floats))
        eq = solve_sse(game)
        attack_set = int(np.count_nonzero(eq.coverage > 0))
        print(
            f"{n:>10} {n // 100:>8} {solve_time:>10.4f} {sort_time:>10.4f} "
            f"{solve_time / sort_time:>7.2f} {attack_set:>10}"
        )


if __name__ == "__main__":
    main()
