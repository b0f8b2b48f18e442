import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from alianza.games import SecurityGame, solve_sse
from alianza.games.bayesian import (
    AttackerType,
    BayesianSecurityGame,
    solve_bayesian_normal_form,
    solve_bayesian_sse,
    solve_normal_form,
)


def enumerate_bayesian_security(game: BayesianSecurityGame) -> float:
    """One LP per profile of attacked targets (one per type): brute force, small games only."""
    n, m = game.num_targets, game.resources
    best = -np.inf
    types = game.type_games()
    for profile in itertools.product(range(n), repeat=len(types)):
        cost = np.zeros(n)
        const = 0.0
        rows, rhs = [], []
        for kind, g, t in zip(game.types, types, profile, strict=True):
            gain = g.defender_covered[t] - g.defender_uncovered[t]
            cost[t] -= kind.prior * gain
            const += kind.prior * g.defender_uncovered[t]
            delta = g.attacker_uncovered - g.attacker_covered
            for i in range(n):
                if i != t:
                    row = np.zeros(n)
                    row[i] -= delta[i]
                    row[t] += delta[t]
                    rows.append(row)
                    rhs.append(g.attacker_uncovered[t] - g.attacker_uncovered[i])
        rows.append(np.ones(n))
        rhs.append(m)
        res = linprog(cost, A_ub=np.array(rows), b_ub=np.array(rhs), bounds=[(0, 1)] * n)
        if res.status == 0:
            best = max(best, const - res.fun)
    return best


def multiple_lps_normal_form(leader, follower) -> float:
    leader = np.asarray(leader, dtype=float)
    follower = np.asarray(follower, dtype=float)
    n_leader, n_follower = leader.shape
    best = -np.inf
    for j in range(n_follower):
        others = [follower[:, k] - follower[:, j] for k in range(n_follower) if k != j]
        res = linprog(
            -leader[:, j],
            A_ub=np.array(others) if others else None,
            b_ub=np.zeros(len(others)) if others else None,
            A_eq=np.ones((1, n_leader)),
            b_eq=[1.0],
            bounds=[(0, 1)] * n_leader,
        )
        if res.status == 0:
            best = max(best, -res.fun)
    return best


# Published normal-form games, payoffs written (leader, follower) for
# (row, column) = (first, first), (first, second), (second, first), (second, second).
PUBLISHED = {
    "conitzer_sandholm_2006": ([(2, 1), (4, 0), (1, 0), (3, 1)], Fraction(7, 2)),
    "dobss_2008_table1": ([(2, 1), (4, 0), (1, 0), (3, 2)], Fraction(11, 3)),
    "korzhyk_jair_2011_table1": ([(1, 1), (3, 0), (0, 0), (2, 1)], Fraction(5, 2)),
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_normal_form_games(name):
    cells, expected = PUBLISHED[name]
    leader = np.array([c[0] for c in cells], dtype=float).reshape(2, 2)
    follower = np.array([c[1] for c in cells], dtype=float).reshape(2, 2)
    result = solve_normal_form(leader_payoffs=leader, follower_payoffs=follower)
    assert result.optimal
    assert result.leader_utility == pytest.approx(float(expected), abs=1e-6)
    assert multiple_lps_normal_form(leader, follower) == pytest.approx(float(expected), abs=1e-7)
    assert result.strategy.sum() == pytest.approx(1.0)


def test_dobss_uniform_mix_is_not_optimal():
    leader = np.array([[2, 4], [1, 3]], dtype=float)
    follower = np.array([[1, 0], [0, 2]], dtype=float)
    result = solve_normal_form(leader_payoffs=leader, follower_payoffs=follower)
    assert result.strategy[0] == pytest.approx(2 / 3, abs=1e-6)
    assert result.leader_utility > 3.5 + 0.1


def test_bayesian_normal_form_two_types_matches_enumeration():
    rng = np.random.default_rng(3)
    leaders = [rng.integers(-5, 6, size=(3, 3)).astype(float) for _ in range(2)]
    followers = [rng.integers(-5, 6, size=(3, 3)).astype(float) for _ in range(2)]
    prior = [0.3, 0.7]
    result = solve_bayesian_normal_form(
        leader_payoffs=leaders, follower_payoffs=followers, prior=prior
    )
    # Brute force over response profiles (Conitzer & Sandholm's Harsanyi-free enumeration).
    best = -np.inf
    for j1, j2 in itertools.product(range(3), repeat=2):
        rows = []
        for f, j in ((followers[0], j1), (followers[1], j2)):
            rows += [f[:, k] - f[:, j] for k in range(3) if k != j]
        res = linprog(
            -(prior[0] * leaders[0][:, j1] + prior[1] * leaders[1][:, j2]),
            A_ub=np.array(rows),
            b_ub=np.zeros(len(rows)),
            A_eq=np.ones((1, 3)),
            b_eq=[1.0],
            bounds=[(0, 1)] * 3,
        )
        if res.status == 0:
            best = max(best, -res.fun)
    assert result.leader_utility == pytest.approx(best, abs=1e-6)


FIVE = {
    "attacker_uncovered": [4, 3, 5, 7, 3],
    "attacker_covered": [-7, -1, -6, -3, -10],
    "defender_uncovered": [-10, -4, -1, -9, -9],
    "defender_covered": [2, 7, 6, 9, 9],
}


@pytest.mark.parametrize(
    ("resources", "expected"),
    [(1, Fraction(11775, 19151)), (2, Fraction(3699, 1741)), (3, Fraction(11340, 1741))],
)
def test_single_type_milp_agrees_with_published_values(resources, expected):
    kind = AttackerType(name="only", prior=1.0, **{k: np.array(v, float) for k, v in FIVE.items()})
    result = solve_bayesian_sse(BayesianSecurityGame(resources=resources, types=(kind,)))
    assert result.optimal
    assert result.defender_utility == pytest.approx(float(expected), abs=1e-6)


def random_type(rng, n, prior, name):
    lo_d, hi_d = np.sort(rng.integers(-6, 7, size=(2, n)), axis=0)
    lo_a, hi_a = np.sort(rng.integers(-6, 7, size=(2, n)), axis=0)
    return AttackerType(
        name=name,
        prior=prior,
        defender_covered=hi_d.astype(float),
        defender_uncovered=lo_d.astype(float),
        attacker_covered=lo_a.astype(float),
        attacker_uncovered=hi_a.astype(float),
    )


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 5.0]),
)
def test_bayesian_milp_matches_profile_enumeration(n, num_types, seed, resources):
    rng = np.random.default_rng(seed)
    priors = rng.dirichlet(np.ones(num_types))
    priors /= priors.sum()
    types = tuple(random_type(rng, n, p, f"t{i}") for i, p in enumerate(priors))
    game = BayesianSecurityGame(resources=resources, types=types)
    result = solve_bayesian_sse(game)
    assert result.optimal
    assert result.coverage.sum() <= resources + 1e-7
    assert result.defender_utility == pytest.approx(enumerate_bayesian_security(game), abs=1e-5)
    if num_types == 1:
        single = solve_sse(
            SecurityGame(**{k: getattr(types[0], k) for k in FIVE}, resources=resources)
        )
        assert result.defender_utility == pytest.approx(single.defender_utility, abs=1e-5)


def test_time_limit_returns_incumbent_and_gap():
    rng = np.random.default_rng(0)
    n = 60
    types = tuple(
        AttackerType(
            name=str(i),
            prior=0.25,
            defender_covered=rng.uniform(0, 10, n),
            defender_uncovered=rng.uniform(-10, 0, n),
            attacker_covered=rng.uniform(-10, 0, n),
            attacker_uncovered=rng.uniform(0, 10, n),
        )
        for i in range(4)
    )
    result = solve_bayesian_sse(BayesianSecurityGame(resources=6, types=types), time_limit=0.5)
    assert np.isfinite(result.defender_utility)
    assert result.bound >= result.defender_utility - 1e-9
    assert result.gap >= 0
    assert result.coverage.sum() <= 6 + 1e-7
    if not result.optimal:
        assert result.status.lower().startswith("time")


def test_priors_must_sum_to_one():
    kind = AttackerType(name="a", prior=0.5, **{k: np.array(v, float) for k, v in FIVE.items()})
    with pytest.raises(ValueError, match="sum to 1"):
        BayesianSecurityGame(resources=1, types=(kind,))
