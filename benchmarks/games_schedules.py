"""Patrol schedules with mirrored binational pairs, by column generation: time and gap.

    python benchmarks/games_schedules.py            # Arizona-Sonora 600 x 6, whole border 3,200 x 6
    python benchmarks/games_schedules.py --quick    # 100 segments x 6 shifts

Synthetic but border-shaped data: 1 km segments with terrain runs (urban, desert,
mountain, river), six 4-hour shifts (night shifts attract more crossings), four U.S. unit
types (foot, horse, ATV, truck) and three Mexican ones, mirrored pairs for foot, ATV and
truck. The baseline is the same LP with every schedule listed up front, solved by HiGHS in
the same run (skipped with --no-baseline, and for the whole border unless --baseline-all).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.sparse as sp

from alianza.games._highs import INF, new_solver, pass_model
from alianza.games.schedules import (
    BorderGame,
    MirroredPairType,
    PatrolUnitType,
    _kinds,
    sample_shift_plan,
    solve_schedules,
)

TERRAINS = ("urban", "desert", "mountain", "river")
US_UNITS = {  # name: (window in segments, effectiveness by terrain, units per shift per 600 km)
    "foot": (2, {"urban": 0.7, "desert": 0.5, "mountain": 0.6, "river": 0.5}, 15),
    "horse": (4, {"urban": 0.3, "desert": 0.6, "mountain": 0.7, "river": 0.5}, 5),
    "atv": (6, {"urban": 0.2, "desert": 0.7, "mountain": 0.5, "river": 0.4}, 10),
    "truck": (10, {"urban": 0.6, "desert": 0.6, "mountain": 0.2, "river": 0.3}, 20),
}
MX_UNITS = {
    "mx_foot": (2, {"urban": 0.6, "desert": 0.45, "mountain": 0.55, "river": 0.45}, 8),
    "mx_atv": (6, {"urban": 0.2, "desert": 0.6, "mountain": 0.45, "river": 0.35}, 4),
    "mx_truck": (10, {"urban": 0.55, "desert": 0.55, "mountain": 0.2, "river": 0.3}, 10),
}
PAIRS = (("foot", "mx_foot"), ("atv", "mx_atv"), ("truck", "mx_truck"))


def border_game(segments: int, shifts: int = 6, seed: int = 0) -> BorderGame:
    rng = np.random.default_rng(seed)
    terrain: list[str] = []
    while len(terrain) < segments:
        kind = rng.choice(TERRAINS, p=[0.06, 0.5, 0.3, 0.14])
        terrain.extend([str(kind)] * int(rng.integers(3, 40)))
    terrain = terrain[:segments]
    appeal = {"urban": 7.0, "desert": 5.0, "mountain": 3.5, "river": 4.5}
    base = np.array([appeal[t] for t in terrain])[:, None]
    night = np.array([1.5 if h in (0, 4, 5) else 0.0 for h in range(shifts)])[None, :]
    attacker_uncovered = base + night + rng.uniform(0, 3, (segments, shifts))
    attacker_covered = -rng.uniform(3, 10, (segments, shifts))
    defender_uncovered = -attacker_uncovered * rng.uniform(0.8, 1.5, (segments, shifts))
    defender_covered = rng.uniform(0, 5, (segments, shifts))
    scale = segments / 600
    units = [
        PatrolUnitType(name, "US", window, eff, max(1, round(count * scale)))
        for name, (window, eff, count) in US_UNITS.items()
    ] + [
        PatrolUnitType(name, "MX", window, eff, max(1, round(count * scale)))
        for name, (window, eff, count) in MX_UNITS.items()
    ]
    return BorderGame(
        terrain=terrain,
        num_shifts=shifts,
        defender_covered=defender_covered,
        defender_uncovered=defender_uncovered,
        attacker_covered=attacker_covered,
        attacker_uncovered=attacker_uncovered,
        unit_types=units,
        pair_types=[MirroredPairType(us, mx, synergy=0.3) for us, mx in PAIRS],
    )


def full_lp(game: BorderGame) -> tuple[float, float, int]:
    """The same LP with every schedule enumerated; returns (v*, seconds, columns)."""
    kinds = _kinds(game)
    S, H = game.num_segments, game.num_shifts
    au = game.attacker_uncovered.ravel()
    ac = game.attacker_covered.ravel()
    delta = au - ac
    floor = float(ac.max())
    rows_of = np.full(S * H, -1)
    targets = np.flatnonzero(au > floor)
    rows_of[targets] = np.arange(targets.size)
    pool_caps = np.array([game.units_per_shift(u) for u in game.unit_types]).ravel()
    r_idx, c_idx, vals = (
        [np.arange(targets.size)],
        [np.zeros(targets.size, int)],
        [np.ones(targets.size)],
    )
    col = 1
    for kind in kinds:
        starts = np.arange(S - kind.window + 1)
        for h in range(H):
            ids = col + np.arange(starts.size)
            for offset in range(kind.window):
                segs = starts + offset
                rows = rows_of[segs * H + h]
                value = delta[segs * H + h] * kind.effect[segs]
                keep = (rows >= 0) & (value > 0)
                r_idx.append(rows[keep])
                c_idx.append(ids[keep])
                vals.append(value[keep])
            for p in kind.pools:
                r_idx.append(np.full(starts.size, targets.size + p * H + h))
                c_idx.append(ids)
                vals.append(np.ones(starts.size))
            col += starts.size
    matrix = sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(r_idx), np.concatenate(c_idx))),
        shape=(targets.size + pool_caps.size, col),
    )
    solver = new_solver()
    cost = np.zeros(col)
    cost[0] = 1.0
    lower = np.zeros(col)
    lower[0] = floor
    began = time.perf_counter()
    pass_model(
        solver,
        cost=cost,
        col_lower=lower,
        col_upper=np.full(col, INF),
        matrix=matrix,
        row_lower=np.concatenate([au[targets], np.full(pool_caps.size, -INF)]),
        row_upper=np.concatenate([np.full(targets.size, INF), pool_caps]),
    )
    solver.run()
    seconds = time.perf_counter() - began
    return float(solver.getInfo().objective_function_value), seconds, col


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--baseline-all", action="store_true")
    parser.add_argument("--time-limit", type=float, default=600.0)
    args = parser.parse_args()
    cases = (
        [("quick 100 km", 100)] if args.quick else [("Arizona-Sonora", 600), ("whole border", 3200)]
    )
    print(
        f"{'case':>15} {'targets':>7} {'seconds':>8} {'rounds':>6} {'columns':>8} "
        f"{'utility':>9} {'bound':>9} {'gap':>9} {'v lower':>9} {'v upper':>9} "
        f"{'pairs':>6} {'sample s':>8} {'full LP s':>9} {'full cols':>9} {'full v*':>9}"
    )
    for name, segments in cases:
        game = border_game(segments)
        began = time.perf_counter()
        solution = solve_schedules(game, time_limit=args.time_limit)
        seconds = time.perf_counter() - began
        pairs = sum(
            x
            for (label, _, _), x in zip(solution.schedules, solution.expected_units, strict=True)
            if "+" in label
        )
        began = time.perf_counter()
        sample_shift_plan(game, solution, seed=1)
        sample_seconds = time.perf_counter() - began
        baseline = "-", "-", "-"
        if not args.no_baseline and (segments <= 600 or args.baseline_all):
            v_full, full_seconds, full_columns = full_lp(game)
            baseline = f"{full_seconds:.2f}", str(full_columns), f"{v_full:.5f}"
        low, high = solution.attacker_value_bounds
        print(
            f"{name:>15} {segments * game.num_shifts:>7} {seconds:>8.2f} "
            f"{solution.iterations:>6} {solution.num_columns:>8} "
            f"{solution.defender_utility:>9.4f} {solution.upper_bound:>9.4f} "
            f"{solution.gap:>9.2e} {low:>9.5f} {high:>9.5f} {pairs:>6.1f} "
            f"{sample_seconds:>8.3f} {baseline[0]:>9} {baseline[1]:>9} {baseline[2]:>9}",
            flush=True,
        )


if __name__ == "__main__":
    main()
