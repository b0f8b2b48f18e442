from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from alianza.games import SecurityGame, attacker_best_response, solve_sse, solve_sse_exact
from alianza.games.core import _attacker_value


def multiple_lps_security_game(
    *, dc: np.ndarray, du: np.ndarray, ac: np.ndarray, au: np.ndarray, resources: float
) -> float:
    """Conitzer & Sandholm: one LP per attacked target; the SSE value is the best of them."""
    n = len(dc)
    best = -np.inf
    for t in range(n):
        delta = au - ac
        cost = np.zeros(n)
        cost[t] = -(dc[t] - du[t])
        rows = []
        rhs = []
        for i in range(n):
            if i == t:
                continue
            # Au_i - delta_i c_i <= Au_t - delta_t c_t
            row = np.zeros(n)
            row[i] = -delta[i]
            row[t] = delta[t]
            rows.append(row)
            rhs.append(au[t] - au[i])
        rows.append(np.ones(n))
        rhs.append(resources)
        res = linprog(cost, A_ub=np.array(rows), b_ub=np.array(rhs), bounds=[(0, 1)] * n)
        if res.status == 0:
            best = max(best, du[t] - res.fun)
    return float(best)


# Five-target game with published SSE values for 1, 2 and 3 resources.
FIVE = {
    "attacker_uncovered": [4, 3, 5, 7, 3],
    "attacker_covered": [-7, -1, -6, -3, -10],
    "defender_uncovered": [-10, -4, -1, -9, -9],
    "defender_covered": [2, 7, 6, 9, 9],
}
FIVE_VALUES = {1: Fraction(11775, 19151), 2: Fraction(3699, 1741), 3: Fraction(11340, 1741)}


def game(payoffs: dict, resources: float) -> SecurityGame:
    return SecurityGame(
        **{k: np.array(v, dtype=float) for k, v in payoffs.items()}, resources=resources
    )


def check_equilibrium(g: SecurityGame, eq) -> None:
    """The claimed equilibrium is feasible and the attacked target is a best response."""
    c = eq.coverage
    assert np.all(c >= -1e-12) and np.all(c <= 1 + 1e-12)
    assert c.sum() <= g.resources + 1e-9
    att = g.attacker_uncovered - c * (g.attacker_uncovered - g.attacker_covered)
    assert att[eq.attacked] >= att.max() - 1e-9
    expected = g.defender_uncovered[eq.attacked] + c[eq.attacked] * (
        g.defender_covered[eq.attacked] - g.defender_uncovered[eq.attacked]
    )
    assert eq.defender_utility == pytest.approx(expected, abs=1e-9)
    assert eq.attacker_utility == pytest.approx(att[eq.attacked], abs=1e-9)


@pytest.mark.parametrize("resources", [1, 2, 3])
def test_five_target_published_values(resources):
    exact = solve_sse_exact(**FIVE, resources=resources)
    assert exact.defender_utility == FIVE_VALUES[resources]
    eq = solve_sse(game(FIVE, resources))
    assert eq.defender_utility == pytest.approx(float(FIVE_VALUES[resources]), abs=1e-12)
    assert eq.attacked == exact.attacked
    check_equilibrium(game(FIVE, resources), eq)


def test_one_target():
    g = game(
        {
            "defender_covered": [5],
            "defender_uncovered": [-5],
            "attacker_covered": [-1],
            "attacker_uncovered": [1],
        },
        0.25,
    )
    eq = solve_sse(g)
    assert eq.attacked == 0
    assert eq.coverage[0] == pytest.approx(0.25)
    assert eq.defender_utility == pytest.approx(-2.5)


def test_zero_resources_attacks_best_uncovered_target_for_defender_among_ties():
    g = game(
        {
            "defender_covered": [1, 1, 1],
            "defender_uncovered": [-5, -1, -3],
            "attacker_covered": [0, 0, 0],
            "attacker_uncovered": [2, 2, 1],
        },
        0,
    )
    eq = solve_sse(g)
    assert np.all(eq.coverage == 0)
    assert eq.attacked == 1
    assert eq.defender_utility == -1


def test_resources_at_least_targets_cover_everything_needed():
    g = game(FIVE, 10)
    eq = solve_sse(g)
    # With all coverage at 1 the attacker's best is max Ac = -1 (target 1); the defender then
    # gets its covered payoff on the attacked target.
    assert eq.attacker_utility == pytest.approx(-1)
    check_equilibrium(g, eq)
    assert eq.defender_utility == pytest.approx(
        multiple_lps_security_game(
            dc=g.defender_covered,
            du=g.defender_uncovered,
            ac=g.attacker_covered,
            au=g.attacker_uncovered,
            resources=10,
        ),
        abs=1e-7,
    )


def test_equal_payoffs_everywhere():
    g = game(
        {
            "defender_covered": [0, 0, 0],
            "defender_uncovered": [0, 0, 0],
            "attacker_covered": [0, 0, 0],
            "attacker_uncovered": [0, 0, 0],
        },
        1.5,
    )
    eq = solve_sse(g)
    assert eq.defender_utility == 0 and eq.attacker_utility == 0
    check_equilibrium(g, eq)


def test_flat_attacker_target_gets_spare_resources():
    # Target 0: attacker payoff 0 whatever happens; the other target can be pushed below 0.
    g = game(
        {
            "defender_covered": [10, 0],
            "defender_uncovered": [0, -10],
            "attacker_covered": [0, -1],
            "attacker_uncovered": [0, 1],
        },
        1,
    )
    eq = solve_sse(g)
    # Half a unit brings target 1 down to 0; the other half protects target 0.
    assert eq.attacked == 0
    assert eq.coverage[1] == pytest.approx(0.5)
    assert eq.coverage[0] == pytest.approx(0.5)
    assert eq.defender_utility == pytest.approx(5.0)
    exact = solve_sse_exact(
        defender_covered=[10, 0],
        defender_uncovered=[0, -10],
        attacker_covered=[0, -1],
        attacker_uncovered=[0, 1],
        resources=1,
    )
    assert exact.defender_utility == 5


def test_invalid_games_name_the_target():
    with pytest.raises(ValueError, match="#1"):
        game(
            {
                "defender_covered": [1, -2],
                "defender_uncovered": [0, 0],
                "attacker_covered": [0, 0],
                "attacker_uncovered": [1, 1],
            },
            1,
        )
    with pytest.raises(ValueError, match="resources"):
        game(FIVE, -1)


@pytest.mark.parametrize("n", [50_000, 300_000])
def test_large_random_game_matches_full_sort_reference(n):
    # Exercises the partial-sort path (more targets than the first top-k guess).
    rng = np.random.default_rng(7)
    g = SecurityGame(
        defender_covered=rng.uniform(0, 10, n),
        defender_uncovered=rng.uniform(-10, 0, n),
        attacker_covered=rng.uniform(-10, 0, n),
        attacker_uncovered=rng.uniform(0, 10, n),
        resources=n / 10,
    )
    eq = solve_sse(g)
    check_equilibrium(g, eq)
    # Bisection on the attacker value as an independent check of v*.
    lo, hi = g.attacker_covered.max(), g.attacker_uncovered.max()
    delta = g.attacker_uncovered - g.attacker_covered
    for _ in range(200):
        mid = (lo + hi) / 2
        cost = np.clip((g.attacker_uncovered - mid) / delta, 0, 1).sum()
        lo, hi = (lo, mid) if cost <= g.resources else (mid, hi)
    assert eq.attacker_utility == pytest.approx(hi, abs=1e-9)
    target, util, _ = attacker_best_response(g, coverage=eq.coverage)
    assert util == pytest.approx(eq.defender_utility, abs=1e-9)


@pytest.mark.parametrize("layout", ["periodic", "sorted", "ties"])
def test_attacker_value_when_the_sample_misleads_the_first_guess(layout):
    # A strided sample that sees only low values makes the first top-k guess too small; the
    # doubling loop must still find the exact answer.
    n = 200_000
    stride = n // 4096
    index = np.arange(n)
    if layout == "periodic":
        uncovered = np.where(index % stride == 0, 1.0, 5.0 + (index % 7))
    elif layout == "sorted":
        uncovered = np.linspace(10.0, 0.5, n)
    else:
        uncovered = np.full(n, 3.0)
    weight = 1.0 / (uncovered + 1.0)  # Ac = -1 everywhere
    resources = 1500.0
    v = _attacker_value(uncovered, weight, -1.0, resources)
    lo, hi = -1.0, float(uncovered.max())
    for _ in range(200):
        mid = (lo + hi) / 2
        cost = (np.clip(uncovered - mid, 0, None) * weight).sum()
        lo, hi = (lo, mid) if cost <= resources else (mid, hi)
    assert v == pytest.approx(hi, abs=1e-9)


def ordered_pair(lo=-6, hi=6):
    return st.tuples(st.integers(lo, hi), st.integers(lo, hi)).map(sorted)


@st.composite
def small_games(draw):
    n = draw(st.integers(1, 7))
    defender = [draw(ordered_pair()) for _ in range(n)]  # (uncovered, covered)
    attacker = [draw(ordered_pair()) for _ in range(n)]  # (covered, uncovered)
    resources = draw(
        st.one_of(
            st.integers(0, n + 1).map(Fraction),
            st.fractions(min_value=0, max_value=n + 1, max_denominator=8),
        )
    )
    return {
        "defender_uncovered": [d[0] for d in defender],
        "defender_covered": [d[1] for d in defender],
        "attacker_covered": [a[0] for a in attacker],
        "attacker_uncovered": [a[1] for a in attacker],
        "resources": resources,
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games())
def test_fast_solver_matches_multiple_lps(spec):
    g = SecurityGame(
        **{k: np.array(v, dtype=float) for k, v in spec.items() if k != "resources"},
        resources=float(spec["resources"]),
    )
    eq = solve_sse(g)
    check_equilibrium(g, eq)
    reference = multiple_lps_security_game(
        dc=g.defender_covered,
        du=g.defender_uncovered,
        ac=g.attacker_covered,
        au=g.attacker_uncovered,
        resources=g.resources,
    )
    assert eq.defender_utility == pytest.approx(reference, abs=1e-6)
    exact = solve_sse_exact(**spec)
    assert float(exact.defender_utility) == pytest.approx(eq.defender_utility, abs=1e-9)
    assert sum(exact.coverage) <= spec["resources"]


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 40),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.0, 0.5, 1.0, 3.0, 10.0, 50.0]),
)
def test_fast_solver_matches_multiple_lps_continuous(n, seed, resources):
    rng = np.random.default_rng(seed)
    lo_d, hi_d = np.sort(rng.normal(size=(2, n)) * 5, axis=0)
    lo_a, hi_a = np.sort(rng.normal(size=(2, n)) * 5, axis=0)
    g = SecurityGame(
        defender_covered=hi_d,
        defender_uncovered=lo_d,
        attacker_covered=lo_a,
        attacker_uncovered=hi_a,
        resources=resources,
    )
    eq = solve_sse(g)
    check_equilibrium(g, eq)
    reference = multiple_lps_security_game(dc=hi_d, du=lo_d, ac=lo_a, au=hi_a, resources=resources)
    assert eq.defender_utility == pytest.approx(reference, abs=1e-6)
