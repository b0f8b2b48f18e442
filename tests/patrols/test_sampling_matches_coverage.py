"""Sampled patrol plans match the solver's coverage within sampling error. In a module of its
own: its world is built under a held clock (see pw_at_noon), not the module-shared one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import time_machine
from scipy.stats import norm
from world_patrols import TODAY, make_patrol_world

from alianza.config.clock import display_zone
from alianza.patrols import planning

from .test_planning import _expected_and_samples, _generate
from world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw_at_noon(db):
    """The patrol world built and used at noon today (display time zone), clock held: its
    events sit a fixed time before now, so the risk per slot, and the game, are the same on
    every run whatever the hour the suite runs at."""
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=display_zone())
    with time_machine.travel(noon, tick=False):
        yield make_patrol_world(build_world())


def test_sampled_plans_match_the_solver_coverage_within_sampling_error(pw_at_noon):
    """Over 1,000 seeds, the mean sampled coverage of every block of 10 segments in every slot
    (where the solver puts at least 0.2 of coverage) is within a Bonferroni-corrected normal
    bound (family-wise error 1e-3) of the solver's expected coverage; so is each slot's total.
    Blocks, not single cells: a cell covered a few times in 1,000 draws has a skewed, often
    zero-variance mean, for which the normal bound is not valid."""
    pw = pw_at_noon
    plan = _generate(pw)
    seeds = range(1000)
    solution, expected, draws = _expected_and_samples(plan.inputs, seeds)
    np.testing.assert_allclose(np.minimum(expected, 1.0), solution.coverage, atol=1e-6)
    S, H = expected.shape
    block = 10
    edges = list(range(0, S, block))
    blocks_expected = np.add.reduceat(expected, edges, axis=0)  # (blocks, H)
    blocks_drawn = np.add.reduceat(draws, edges, axis=1)  # (n, blocks, H)
    tested = blocks_expected >= 0.2
    stats = [
        (blocks_drawn[:, tested], blocks_expected[tested]),
        (draws.sum(axis=1), expected.sum(axis=0)),  # per slot, the whole sector
    ]
    count = int(tested.sum()) + H
    z = norm.ppf(1 - 1e-3 / (2 * count))
    assert int(tested.sum()) >= 5, "too few covered blocks for the test to mean anything"
    for drawn, wanted in stats:
        mean = drawn.mean(axis=0)
        se = drawn.std(axis=0, ddof=1) / np.sqrt(len(seeds))
        # No variance at all (e.g. a slot whose units always cover the same total): exact.
        exact = se < 1e-12
        np.testing.assert_allclose(mean[exact], wanted[exact], atol=1e-9)
        worst = float(np.max(np.abs(mean - wanted)[~exact] / (z * se[~exact]), initial=0.0))
        assert worst <= 1.0, f"a mean coverage is {worst:.2f} bounds from the solver's"
    # The total number of units out per slot never exceeds what is available.
    available = {u["name"]: u["available"] for u in plan.inputs["unit_types"]}
    game, _ = planning.solve(plan.inputs)
    for seed in range(50):
        used: dict[tuple[int, str], int] = {}
        for a in planning.sample(game, solution, seed):
            for name in a.units:
                used[(a.shift, name)] = used.get((a.shift, name), 0) + 1
        assert all(count <= available[name] for (_h, name), count in used.items())
