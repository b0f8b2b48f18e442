import numpy as np
import pytest
from scipy.optimize import linprog

from alianza.games import SecurityGame, solve_sse
from alianza.games.quantal import (
    expected_defender_utility,
    solve_quantal_response,
    solve_robust_quantal_response,
)

GAME = SecurityGame(
    attacker_uncovered=np.array([4, 3, 5, 7, 3.0]),
    attacker_covered=np.array([-7, -1, -6, -3, -10.0]),
    defender_uncovered=np.array([-10, -4, -1, -9, -9.0]),
    defender_covered=np.array([2, 7, 6, 9, 9.0]),
    resources=2,
)


def test_fully_random_attacker_reduces_to_a_linear_program():
    # rationality 0: the attacker is uniform, so the defender maximises mean utility (an LP).
    result = solve_quantal_response(GAME, rationality=0.0)
    gain = GAME.defender_covered - GAME.defender_uncovered
    lp = linprog(-gain, A_ub=np.ones((1, 5)), b_ub=[2], bounds=[(0, 1)] * 5)
    expected = GAME.defender_uncovered.mean() - lp.fun / 5
    assert result.defender_utility == pytest.approx(expected, abs=1e-7)
    assert result.attack_probabilities == pytest.approx(np.full(5, 0.2))


@pytest.mark.parametrize("rationality", [0.3, 1.0, 4.0])
def test_quantal_solution_beats_simple_coverages_and_is_feasible(rationality):
    result = solve_quantal_response(GAME, rationality=rationality)
    assert result.coverage.min() >= 0 and result.coverage.max() <= 1
    assert result.coverage.sum() <= 2 + 1e-9
    for other in (np.full(5, 0.4), solve_sse(GAME).coverage):
        value = expected_defender_utility(GAME, coverage=other, rationality=rationality)
        assert result.defender_utility >= value - 1e-9


def test_two_target_quantal_matches_grid_search():
    game = SecurityGame(
        attacker_uncovered=np.array([5.0, 2.0]),
        attacker_covered=np.array([-3.0, -1.0]),
        defender_uncovered=np.array([-8.0, -2.0]),
        defender_covered=np.array([3.0, 1.0]),
        resources=1,
    )
    result = solve_quantal_response(game, rationality=0.8)
    grid = np.linspace(0, 1, 20001)
    values = [expected_defender_utility(game, coverage=[c, 1 - c], rationality=0.8) for c in grid]
    assert result.defender_utility == pytest.approx(max(values), abs=1e-6)


def test_suqr_weights_are_used():
    weights = (-9.85, 0.37, 0.15)  # coverage, reward, penalty (Nguyen et al. 2013)
    result = solve_quantal_response(GAME, rationality=1.0, suqr_weights=weights)
    assert result.defender_utility == pytest.approx(
        expected_defender_utility(
            GAME, coverage=result.coverage, rationality=1.0, suqr_weights=weights
        )
    )
    plain = solve_quantal_response(GAME, rationality=1.0)
    assert not np.allclose(result.coverage, plain.coverage, atol=1e-3)


def test_robust_solution_guards_the_whole_range():
    low, high = 0.2, 3.0
    robust = solve_robust_quantal_response(GAME, rationality_range=(low, high))
    assert robust.coverage.sum() <= 2 + 1e-9
    check = np.linspace(low, high, 41)
    worst = min(
        expected_defender_utility(GAME, coverage=robust.coverage, rationality=lam) for lam in check
    )
    assert robust.worst_case_utility == pytest.approx(worst, abs=1e-9)
    # It does at least as well in the worst case as the nominal optimum for any one value.
    for nominal_lam in (low, 1.0, high):
        nominal = solve_quantal_response(GAME, rationality=nominal_lam).coverage
        nominal_worst = min(
            expected_defender_utility(GAME, coverage=nominal, rationality=lam) for lam in check
        )
        assert robust.worst_case_utility >= nominal_worst - 1e-6


def test_negative_rationality_rejected():
    with pytest.raises(ValueError):
        solve_quantal_response(GAME, rationality=-1)
