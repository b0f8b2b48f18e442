import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alianza.games import SecurityGame, solve_sse
from alianza.games.sampling import dependent_round_bipartite, sample_targets, systematic_counts


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.integers(0, 2**32 - 1))
def test_systematic_counts_are_floor_or_ceiling(coverage, seed):
    coverage = np.array(coverage)
    counts = systematic_counts(coverage, seed=seed)
    assert np.all(counts >= np.floor(coverage)) and np.all(counts <= np.ceil(coverage))
    total = coverage.sum()
    assert np.floor(total - 1e-9) <= counts.sum() <= np.ceil(total + 1e-9)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=12), st.integers(0, 1000))
def test_sampled_plans_reproduce_coverage(coverage, seed):
    coverage = np.array(coverage)
    draws = 4000
    rng = np.random.default_rng(seed)
    hits = np.zeros(coverage.size)
    for _ in range(draws):
        hits[sample_targets(coverage, seed=rng)] += 1
    freq = hits / draws
    # Five standard errors, plus a few hits of slack for coverage near 0 or 1 (where the
    # normal approximation of the binomial fails).
    bound = 5 * np.sqrt(coverage * (1 - coverage) / draws) + 3 / draws
    assert np.all(np.abs(freq - coverage) <= bound)


def test_integral_budget_is_never_exceeded():
    game = SecurityGame(
        attacker_uncovered=np.array([4, 3, 5, 7, 3.0]),
        attacker_covered=np.array([-7, -1, -6, -3, -10.0]),
        defender_uncovered=np.array([-10, -4, -1, -9, -9.0]),
        defender_covered=np.array([2, 7, 6, 9, 9.0]),
        resources=2,
    )
    coverage = solve_sse(game).coverage
    for seed in range(500):
        assert sample_targets(coverage, seed=seed).size <= 2


def test_same_seed_same_plan_different_seed_different_plans():
    coverage = np.full(50, 0.3)
    a = sample_targets(coverage, seed=11)
    assert np.array_equal(a, sample_targets(coverage, seed=11))
    plans = {tuple(sample_targets(coverage, seed=s)) for s in range(20)}
    assert len(plans) == 20


def test_dependent_rounding_keeps_expectations_and_node_sums():
    edges = [
        ("us_truck", "mx_truck", 1.3),
        ("us_truck", ("solo", "us"), 0.9),
        ("us_foot", "mx_truck", 0.4),
        ("us_foot", "mx_foot", 0.6),
        (("solo", "mx"), "mx_foot", 1.7),
        ("us_foot", ("solo", "us2"), 0.5),
    ]
    weights = np.array([w for *_, w in edges])
    rng = np.random.default_rng(5)
    draws = 20000
    total = np.zeros(len(edges))
    for _ in range(draws):
        counts = dependent_round_bipartite(edges, seed=rng)
        assert np.all(counts >= np.floor(weights)) and np.all(counts <= np.ceil(weights))
        for node in ("us_truck", "us_foot"):
            frac = sum(w for a, _, w in edges if a == node)
            got = sum(c for (a, _, _), c in zip(edges, counts, strict=True) if a == node)
            assert np.floor(frac + 1e-9) <= got <= np.ceil(frac - 1e-9)
        for node in ("mx_truck", "mx_foot"):
            frac = sum(w for _, b, w in edges if b == node)
            got = sum(c for (_, b, _), c in zip(edges, counts, strict=True) if b == node)
            assert np.floor(frac + 1e-9) <= got <= np.ceil(frac - 1e-9)
        total += counts
    assert total / draws == pytest.approx(weights, abs=0.02)
