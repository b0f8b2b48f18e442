from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from alianza.games.schedules import (
    BorderGame,
    MirroredPairType,
    PatrolUnitType,
    sample_shift_plan,
    solve_schedules,
)

TERRAINS = ("desert", "mountain", "urban")


def make_game(
    seed: int, segments: int = 12, shifts: int = 2, synergy: float = 0.25, windows=(1, 4, 3)
):
    rng = np.random.default_rng(seed)
    lo_a, hi_a = np.sort(rng.integers(-8, 9, size=(2, segments, shifts)), axis=0)
    lo_d, hi_d = np.sort(rng.integers(-8, 9, size=(2, segments, shifts)), axis=0)
    units = [
        PatrolUnitType("foot", "US", windows[0], {"desert": 0.5, "mountain": 0.6, "urban": 0.7}, 2),
        PatrolUnitType(
            "truck",
            "US",
            windows[1],
            {"desert": 0.6, "urban": 0.5},
            [1 + h % 2 for h in range(shifts)],
        ),
        PatrolUnitType("mx_atv", "MX", windows[2], {"desert": 0.4, "mountain": 0.5}, 1),
    ]
    return BorderGame(
        terrain=list(rng.choice(TERRAINS, segments)),
        num_shifts=shifts,
        defender_covered=hi_d.astype(float),
        defender_uncovered=lo_d.astype(float),
        attacker_covered=lo_a.astype(float),
        attacker_uncovered=hi_a.astype(float),
        unit_types=units,
        pair_types=[MirroredPairType("truck", "mx_atv", synergy=synergy)],
    )


def all_columns(game: BorderGame):
    """Every schedule, listed explicitly: (coverage matrix, pool usage matrix, labels)."""
    from alianza.games.schedules import _kinds

    kinds = _kinds(game)
    S, H = game.num_segments, game.num_shifts
    cover, pools = [], []
    for kind in kinds:
        for h in range(H):
            for s in range(S - kind.window + 1):
                col = np.zeros(S * H)
                segs = np.arange(s, s + kind.window)
                col[segs * H + h] = kind.effect[segs]
                use = np.zeros(len(game.unit_types) * H)
                for p in kind.pools:
                    use[p * H + h] = 1
                cover.append(col)
                pools.append(use)
    return np.array(cover).T, np.array(pools).T


def down_closed_sse(game: BorderGame) -> float:
    """Multiple LPs over (x, c) with c <= A x: the model's SSE value, computed independently."""
    A, P = all_columns(game)
    T, n = A.shape
    au = game.attacker_uncovered.ravel()
    ac = game.attacker_covered.ravel()
    du = game.defender_uncovered.ravel()
    dc = game.defender_covered.ravel()
    delta = au - ac
    caps = np.array([game.units_per_shift(u) for u in game.unit_types]).ravel().astype(float)
    best = -np.inf
    for t in range(T):
        # variables: c (T), x (n)
        cost = np.zeros(T + n)
        cost[t] = -(dc[t] - du[t])
        rows, rhs = [], []
        for i in range(T):
            if i != t:
                row = np.zeros(T + n)
                row[i] = -delta[i]
                row[t] = delta[t]
                rows.append(row)
                rhs.append(au[t] - au[i])
        rows.extend(np.hstack([np.eye(T), -A]))
        rhs.extend(np.zeros(T))
        rows.extend(np.hstack([np.zeros((P.shape[0], T)), P]))
        rhs.extend(caps)
        res = linprog(
            cost,
            A_ub=np.array(rows),
            b_ub=np.array(rhs),
            bounds=[(0, 1)] * T + [(0, None)] * n,
        )
        if res.status == 0:
            best = max(best, du[t] - res.fun)
    return best


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 10), st.integers(1, 2))
def test_column_generation_matches_explicit_multiple_lps(seed, segments, shifts):
    game = make_game(seed, segments, shifts)
    solution = solve_schedules(game, columns_per_kind=2)
    reference = down_closed_sse(game)
    # The bound is exact for the model in which coverage may be thinned out (c <= A x).
    assert solution.upper_bound == pytest.approx(reference, abs=1e-6)
    # The reported utility is achieved by the realised coverage, so it cannot beat it.
    assert solution.defender_utility <= reference + 1e-6
    assert solution.gap == pytest.approx(reference - solution.defender_utility, abs=1e-6)
    attacker = game.attacker_uncovered - solution.coverage * (
        game.attacker_uncovered - game.attacker_covered
    )
    assert attacker[solution.attacked] >= attacker.max() - 1e-6
    assert attacker[solution.attacked] == pytest.approx(solution.attacker_utility)


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 10), st.integers(1, 2))
def test_single_segment_windows_realise_the_bound_exactly(seed, segments, shifts):
    # Without overlapping windows coverage can be thinned at will: the gap must close.
    game = make_game(seed, segments, shifts, windows=(1, 1, 1))
    solution = solve_schedules(game, columns_per_kind=2)
    reference = down_closed_sse(game)
    assert solution.defender_utility == pytest.approx(reference, abs=1e-6)
    assert solution.gap <= 1e-6


def test_pools_respected_and_pairs_used_when_synergy_is_high():
    game = make_game(4, segments=20, shifts=2, synergy=1.0)
    solution = solve_schedules(game)
    usage = Counter()
    for (label, shift, _), x in zip(solution.schedules, solution.expected_units, strict=True):
        for name in label.split("+"):
            usage[(name, shift)] += x
    for unit in game.unit_types:
        for h, cap in enumerate(game.units_per_shift(unit)):
            assert usage[(unit.name, h)] <= cap + 1e-7
    pair_mass = sum(
        x
        for (label, _, _), x in zip(solution.schedules, solution.expected_units, strict=True)
        if "+" in label
    )
    assert pair_mass > 0.1
    assert solution.coverage.max() <= 1 + 1e-12


def test_sampled_shift_plans_match_expected_units():
    game = make_game(2, segments=15, shifts=2, synergy=0.8)
    solution = solve_schedules(game)
    rng = np.random.default_rng(0)
    draws = 3000
    counts = Counter()
    for _ in range(draws):
        plan = sample_shift_plan(game, solution, seed=rng)
        used = Counter()
        for a in plan:
            counts[(a.kind, a.shift, a.start)] += 1
            for name in a.units:
                used[(name, a.shift)] += 1
        for unit in game.unit_types:
            for h, cap in enumerate(game.units_per_shift(unit)):
                assert used[(unit.name, h)] <= cap
    for schedule, x in zip(solution.schedules, solution.expected_units, strict=True):
        freq = counts[schedule] / draws
        assert freq == pytest.approx(x, abs=5 * np.sqrt(max(x, 1e-3) / draws) + 1e-6)


def test_gap_is_reported_when_stopped_early():
    game = make_game(7, segments=40, shifts=3)
    solution = solve_schedules(game, max_iterations=1, columns_per_kind=1)
    assert solution.gap >= 0
    lower, upper = solution.attacker_value_bounds
    assert lower <= upper + 1e-9
    full = solve_schedules(game)
    assert full.gap <= 1e-6
    assert full.defender_utility >= solution.defender_utility - 1e-6


def test_invalid_pair_rejected():
    with pytest.raises(ValueError, match="mx_unit"):
        BorderGame(
            terrain=["desert"],
            num_shifts=1,
            defender_covered=np.ones((1, 1)),
            defender_uncovered=np.zeros((1, 1)),
            attacker_covered=np.zeros((1, 1)),
            attacker_uncovered=np.ones((1, 1)),
            unit_types=[PatrolUnitType("foot", "US", 1, {"desert": 0.5}, 1)],
            pair_types=[MirroredPairType("foot", "foot")],
        )
