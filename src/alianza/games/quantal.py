"""Boundedly rational smugglers: quantal response (QR) and SUQR, nominal and robust.

The attacker picks target ``t`` with probability proportional to
``exp(rationality * (base_t + slope_t * c_t))``:

* QR (McKelvey & Palfrey): ``base = Au``, ``slope = -(Au - Ac)``, i.e. the attacker's
  expected utility;
* SUQR (Nguyen et al. 2013): ``base = w_reward * Au + w_penalty * Ac``, ``slope = w_coverage``.

The defender maximises its expected utility ``sum_t q_t U_t(c_t) / sum_t q_t``, a smooth but
non-concave function of the coverage, so we run SLSQP (analytic gradients) from several
starts, including the Stackelberg coverage, and keep the best: a local, not certified,
optimum. The robust variant maximises the worst case over a grid of rationality values
(epigraph form) and reports the worst case on a finer grid, so the figure is honest between
grid points too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .core import SecurityGame, solve_sse

__all__ = [
    "QuantalSolution",
    "RobustQuantalSolution",
    "expected_defender_utility",
    "solve_quantal_response",
    "solve_robust_quantal_response",
]


@dataclass(frozen=True)
class QuantalSolution:
    coverage: np.ndarray
    defender_utility: float
    attack_probabilities: np.ndarray


@dataclass(frozen=True)
class RobustQuantalSolution:
    coverage: np.ndarray
    worst_case_utility: float
    worst_rationality: float
    utilities_by_rationality: dict[float, float]


def _logit_terms(
    game: SecurityGame, suqr_weights: tuple[float, float, float] | None
) -> tuple[np.ndarray, np.ndarray]:
    if suqr_weights is None:
        return game.attacker_uncovered, -(game.attacker_uncovered - game.attacker_covered)
    w_coverage, w_reward, w_penalty = suqr_weights
    base = w_reward * game.attacker_uncovered + w_penalty * game.attacker_covered
    return base, np.full(game.num_targets, float(w_coverage))


def _utility_and_gradient(
    game: SecurityGame, coverage: np.ndarray, rationality: float, base, slope
) -> tuple[float, np.ndarray, np.ndarray]:
    gain = game.defender_covered - game.defender_uncovered
    defender = game.defender_uncovered + gain * coverage
    logits = rationality * (base + slope * coverage)
    weights = np.exp(logits - logits.max())  # shift for overflow safety
    probs = weights / weights.sum()
    value = float(probs @ defender)
    gradient = probs * (rationality * slope * (defender - value) + gain)
    return value, gradient, probs


def expected_defender_utility(
    game: SecurityGame,
    *,
    coverage: np.ndarray,
    rationality: float,
    suqr_weights: tuple[float, float, float] | None = None,
) -> float:
    """Defender's expected utility when the attacker responds quantally to ``coverage``."""
    base, slope = _logit_terms(game, suqr_weights)
    return _utility_and_gradient(game, np.asarray(coverage, float), rationality, base, slope)[0]


def _starts(game: SecurityGame, budget: float, num_random: int, seed: int) -> list[np.ndarray]:
    n = game.num_targets
    starts = [solve_sse(game).coverage, np.full(n, budget / n)]
    rng = np.random.default_rng(seed)
    for _ in range(num_random):
        point = rng.dirichlet(np.ones(n)) * budget
        starts.append(np.minimum(point, 1.0))
    return starts


def _budget(game: SecurityGame) -> float:
    return min(game.resources, float(game.num_targets))


def solve_quantal_response(
    game: SecurityGame,
    *,
    rationality: float,
    suqr_weights: tuple[float, float, float] | None = None,
    num_random_starts: int = 3,
    seed: int = 0,
) -> QuantalSolution:
    """Defender's best coverage against a quantal-response (or SUQR) attacker."""
    if rationality < 0:
        raise ValueError("rationality must be >= 0")
    base, slope = _logit_terms(game, suqr_weights)
    budget = _budget(game)
    n = game.num_targets

    def negative(c):
        value, gradient, _ = _utility_and_gradient(game, c, rationality, base, slope)
        return -value, -gradient

    constraint = {"type": "ineq", "fun": lambda c: budget - c.sum(), "jac": lambda c: -np.ones(n)}
    best = None
    for start in _starts(game, budget, num_random_starts, seed):
        result = minimize(
            negative,
            start,
            jac=True,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * n,
            constraints=[constraint],
            options={"maxiter": 500, "ftol": 1e-12},
        )
        coverage = _feasible(result.x, budget)
        value = _utility_and_gradient(game, coverage, rationality, base, slope)[0]
        if best is None or value > best[0]:
            best = (value, coverage)
    value, coverage = best
    probs = _utility_and_gradient(game, coverage, rationality, base, slope)[2]
    return QuantalSolution(coverage=coverage, defender_utility=value, attack_probabilities=probs)


def _feasible(coverage: np.ndarray, budget: float) -> np.ndarray:
    # SLSQP may overshoot bounds by ~1e-10; repair so the plan is exactly feasible.
    coverage = np.clip(coverage, 0.0, 1.0)
    total = coverage.sum()
    if total > budget:
        coverage *= budget / total
    return coverage


def solve_robust_quantal_response(
    game: SecurityGame,
    *,
    rationality_range: tuple[float, float],
    suqr_weights: tuple[float, float, float] | None = None,
    grid_size: int = 7,
    check_size: int = 41,
    num_random_starts: int = 2,
    seed: int = 0,
) -> RobustQuantalSolution:
    """Coverage maximising the worst-case defender utility over a rationality interval."""
    low, high = map(float, rationality_range)
    if not 0 <= low <= high:
        raise ValueError("rationality_range must satisfy 0 <= low <= high")
    base, slope = _logit_terms(game, suqr_weights)
    budget = _budget(game)
    n = game.num_targets
    grid = np.linspace(low, high, grid_size) if high > low else np.array([low])

    def worst(c: np.ndarray, values: np.ndarray) -> tuple[float, float]:
        utils = [_utility_and_gradient(game, c, lam, base, slope)[0] for lam in values]
        k = int(np.argmin(utils))
        return float(utils[k]), float(values[k])

    # Variables (c, z): maximise z subject to z <= E(c; lambda_k) for every grid point.
    objective = (lambda y: -y[-1], lambda y: np.concatenate([np.zeros(n), [-1.0]]))
    constraints = [
        {
            "type": "ineq",
            "fun": lambda y: budget - y[:-1].sum(),
            "jac": lambda y: np.concatenate([-np.ones(n), [0.0]]),
        }
    ]
    for lam in grid:
        constraints.append(
            {
                "type": "ineq",
                "fun": lambda y, lam=lam: (
                    _utility_and_gradient(game, y[:-1], lam, base, slope)[0] - y[-1]
                ),
                "jac": lambda y, lam=lam: np.concatenate(
                    [_utility_and_gradient(game, y[:-1], lam, base, slope)[1], [-1.0]]
                ),
            }
        )
    best = None
    starts = _starts(game, budget, num_random_starts, seed)
    # The nominal optimum at the middle of the range is usually a good place to start.
    starts.append(
        solve_quantal_response(
            game, rationality=(low + high) / 2, suqr_weights=suqr_weights, num_random_starts=0
        ).coverage
    )
    for start in starts:
        y0 = np.concatenate([start, [worst(start, grid)[0]]])
        result = minimize(
            objective[0],
            y0,
            jac=objective[1],
            method="SLSQP",
            bounds=[(0.0, 1.0)] * n + [(None, None)],
            constraints=constraints,
            options={"maxiter": 500, "ftol": 1e-12},
        )
        coverage = _feasible(result.x[:-1], budget)
        value = worst(coverage, grid)[0]
        if best is None or value > best[0]:
            best = (value, coverage)
    coverage = best[1]
    check = np.unique(np.concatenate([np.linspace(low, high, check_size), grid]))
    utilities = {
        float(lam): _utility_and_gradient(game, coverage, lam, base, slope)[0] for lam in check
    }
    value, lam = worst(coverage, check)
    return RobustQuantalSolution(
        coverage=coverage,
        worst_case_utility=value,
        worst_rationality=lam,
        utilities_by_rationality=utilities,
    )
