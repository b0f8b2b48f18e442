"""Invariants: conservation of flow, zero patrols, full coverage, reproducibility."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alianza.sim import (
    CoverageStrategy,
    NoPatrol,
    UniformRandom,
    parse_strategy,
    scenario_from_dict,
    simulate,
    synthetic_config,
)
from alianza.sim.model import Compiled, check_coverage, draw_patrols


def _scenario(**kw):
    return scenario_from_dict(synthetic_config(**kw))


@pytest.mark.parametrize("spec", ["none", "uniform", "fixed", "hotspot", "robust-qr"])
def test_every_attempt_has_exactly_one_outcome(spec):
    sc = _scenario(n_segments=40, units=5)
    r = simulate(scenario=sc, strategy=parse_strategy(spec), seed=3, days=25)
    assert r.outcomes.min() >= 0
    np.testing.assert_array_equal(r.outcomes.sum(axis=(1, 2)), r.attempts_drawn)
    # Volume is conserved too: every load ends up seized, turned back or delivered.
    loads = np.array([f.load for f in sc.organisations[0].flows])
    np.testing.assert_allclose(r.volume.sum(axis=2), r.outcomes.sum(axis=2) * loads)
    assert r.segment_attempts.sum() == r.attempts_drawn.sum()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_segments=st.integers(3, 30),
    n_corridors=st.integers(1, 3),
    units=st.integers(0, 10),
    detect=st.floats(0.0, 1.0),
    apprehend=st.floats(0.0, 1.0),
    attempts=st.floats(0.0, 30.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_conservation_on_random_scenarios(
    n_segments, n_corridors, units, detect, apprehend, attempts, seed
):
    sc = _scenario(
        n_segments=n_segments, n_corridors=n_corridors, units=min(units, n_segments),
        detect=detect, apprehend=apprehend, attempts_per_day=attempts,
    )  # fmt: skip
    r = simulate(scenario=sc, strategy=UniformRandom(), seed=seed, days=6)
    np.testing.assert_array_equal(r.outcomes.sum(axis=(1, 2)), r.attempts_drawn)
    if units == 0 or detect == 0.0:
        assert r.outcomes[:, :, :2].sum() == 0


def test_zero_patrols_interdict_nothing():
    sc = _scenario(units=8, detect=1.0, apprehend=1.0)
    r = simulate(scenario=sc, strategy=NoPatrol(), seed=1, days=30)
    assert r.attempts_drawn.sum() > 0
    assert r.outcomes[:, :, 0].sum() == 0 and r.outcomes[:, :, 1].sum() == 0
    assert r.patrol_hours.sum() == 0
    # Same with a strategy that wants to patrol but no units on duty.
    sc0 = _scenario(units=0, detect=1.0, apprehend=1.0)
    r0 = simulate(scenario=sc0, strategy=UniformRandom(), seed=1, days=30)
    assert r0.summary()["interdicted"] == 0


def test_full_coverage_and_certain_detection_interdict_everything():
    sc = _scenario(n_segments=30, units=30, detect=1.0, apprehend=1.0)
    for strat in (UniformRandom(), CoverageStrategy(np.ones(30))):
        r = simulate(scenario=sc, strategy=strat, seed=2, days=20)
        s = r.summary()
        assert s["attempts"] > 0
        assert s["interdicted"] == s["attempts"]
        assert s["interdiction_rate"] == 1.0 and s["got_aways"] == 0
        assert r.patrol_hours.sum() == 30 * 24 * 20  # every cell-slot patrolled every day


@pytest.mark.parametrize("spec", ["uniform", "hotspot", "security-game"])
def test_same_seed_same_result(spec):
    sc = _scenario(n_segments=50, units=6)
    a = simulate(scenario=sc, strategy=parse_strategy(spec), seed=11, days=30)
    b = simulate(scenario=sc, strategy=parse_strategy(spec), seed=11, days=30)
    c = simulate(scenario=sc, strategy=parse_strategy(spec), seed=12, days=30)
    np.testing.assert_array_equal(a.outcomes, b.outcomes)
    np.testing.assert_array_equal(a.segment_attempts, b.segment_attempts)
    assert a.summary() == b.summary()
    assert not np.array_equal(a.segment_attempts, c.segment_attempts)


def test_common_random_numbers_same_attempt_counts_across_strategies():
    sc = _scenario(n_segments=40, units=5)
    runs = [simulate(scenario=sc, strategy=parse_strategy(s), seed=5, days=20)
            for s in ("none", "uniform", "fixed")]  # fmt: skip
    for r in runs[1:]:
        np.testing.assert_array_equal(r.attempts_drawn, runs[0].attempts_drawn)


def test_patrol_draws_match_coverage():
    sc = _scenario(n_segments=20, units=5, slots=("night", "day"))
    comp = Compiled(sc)
    rng = np.random.default_rng(0)
    cov = np.zeros((20, 2))
    cov[:10, 0] = 0.5  # 5 units spread over 10 cells
    cov[:, 1] = np.linspace(0.0, 0.5, 20) * 5 / np.linspace(0.0, 0.5, 20).sum()
    n = 4000
    hits = np.zeros((20, 2))
    for _ in range(n):
        u = draw_patrols(cov, comp=comp, rng=rng).reshape(20, 2) < comp.U
        assert u[:, 0].sum() == 5 and u[:, 1].sum() == 5  # whole units: exactly 5 out
        hits += u
    # Binomial sd <= sqrt(0.25 / 4000) = 0.008; allow 5 sd.
    np.testing.assert_allclose(hits / n, cov, atol=0.04)


def test_coverage_over_budget_is_rejected():
    sc = _scenario(n_segments=20, units=2)
    comp = Compiled(sc)
    with pytest.raises(ValueError, match="units in a slot"):
        check_coverage(np.full((20, 2), 0.5), comp=comp, strategy="greedy")
    with pytest.raises(ValueError, match="shape"):
        check_coverage(np.zeros(20), comp=comp, strategy="flat")
    with pytest.raises(ValueError, match="above 1"):
        check_coverage(np.eye(20, 2) * 1.5, comp=comp, strategy="big")
