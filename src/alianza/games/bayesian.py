"""Several follower (smuggler) types: exact Bayesian strong Stackelberg equilibrium by MILP.

DOBSS-style mixed-integer program (Paruchuri et al. 2008; Kiekintveld et al. 2009 for the
compact security-game form), solved with HiGHS:

    max  sum_l p_l d_l
    s.t. x in the leader's strategy polytope
         for every type l and follower action j, with binary q_lj (sum_j q_lj = 1):
             d_l <= L_lj(x) + M (1 - q_lj)          leader's payoff at the chosen action
             0 <= k_l - F_lj(x) <= M (1 - q_lj)     chosen action is a best response

``L`` and ``F`` are affine in ``x``. The solver picks ``q``, so ties among best responses
go the leader's way (strong SSE). Each big-M is the exact range of the affine function over
the polytope, which keeps the relaxation as tight as this form allows. A time limit returns
the best solution found and HiGHS's proven gap.

Security games: ``x`` is the coverage (``0 <= c <= 1``, ``sum c <= m``). Normal-form games:
``x`` is a mixed strategy over the leader's pure strategies.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ._highs import INF, new_solver, pass_model, status_name
from .core import SecurityGame, _attacker_value, attacker_best_response, solve_sse

__all__ = [
    "AttackerType",
    "BayesianEquilibrium",
    "BayesianSecurityGame",
    "NormalFormEquilibrium",
    "solve_bayesian_normal_form",
    "solve_bayesian_sse",
    "solve_normal_form",
]


@dataclass(frozen=True)
class AttackerType:
    """One smuggler type: its prior probability and the payoffs of both sides against it."""

    name: str
    prior: float
    defender_covered: np.ndarray
    defender_uncovered: np.ndarray
    attacker_covered: np.ndarray
    attacker_uncovered: np.ndarray

    def as_game(self, resources: float) -> SecurityGame:
        return SecurityGame(
            defender_covered=self.defender_covered,
            defender_uncovered=self.defender_uncovered,
            attacker_covered=self.attacker_covered,
            attacker_uncovered=self.attacker_uncovered,
            resources=resources,
        )


@dataclass(frozen=True)
class BayesianSecurityGame:
    resources: float
    types: tuple[AttackerType, ...]
    ids: tuple[str, ...] | None = None
    _games: tuple[SecurityGame, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", tuple(self.types))
        if not self.types:
            raise ValueError("at least one attacker type is needed")
        n = np.asarray(self.types[0].defender_covered).size
        games = []
        for kind in self.types:
            game = kind.as_game(self.resources)  # validates payoffs
            if game.num_targets != n:
                raise ValueError(f"type {kind.name!r} has {game.num_targets} targets, expected {n}")
            if not np.isfinite(kind.prior) or kind.prior < 0:
                raise ValueError(f"type {kind.name!r}: prior must be >= 0")
            games.append(game)
        total = sum(kind.prior for kind in self.types)
        if not np.isclose(total, 1.0, atol=1e-9):
            raise ValueError(f"priors must sum to 1, got {total}")
        object.__setattr__(self, "_games", tuple(games))

    @property
    def num_targets(self) -> int:
        return self._games[0].num_targets

    def type_games(self) -> tuple[SecurityGame, ...]:
        return self._games


@dataclass(frozen=True)
class BayesianEquilibrium:
    """Best coverage found, with the MILP's proven bound and gap.

    ``defender_utility`` is re-evaluated from the coverage (each type best-responds, ties to
    the defender), ``bound`` is HiGHS's dual bound; ``optimal`` means HiGHS closed the gap
    (to ``mip_gap``; a residue of ~1e-7 from feasibility tolerances can remain).
    """

    coverage: np.ndarray
    attacked: tuple[int, ...]
    defender_utility: float
    bound: float
    gap: float  # bound - defender_utility, >= 0
    relative_gap: float  # gap / max(1, |bound|)
    optimal: bool
    status: str
    seconds: float
    num_binaries: int
    type_utilities: tuple[float, ...] = field(default=())


@dataclass(frozen=True)
class NormalFormEquilibrium:
    strategy: np.ndarray
    responses: tuple[int, ...]
    leader_utility: float
    bound: float
    gap: float
    optimal: bool
    status: str


@dataclass
class _FollowerBlock:
    """Affine payoffs of one follower type's candidate actions: ``v = const + matrix @ x``."""

    prior: float
    leader_const: np.ndarray
    leader_matrix: sp.csr_matrix
    leader_low: np.ndarray
    follower_const: np.ndarray
    follower_matrix: sp.csr_matrix
    follower_low: np.ndarray
    follower_value_low: float
    leader_value_high: float
    follower_value_high: float


@dataclass
class _MilpResult:
    x: np.ndarray
    choices: list[np.ndarray]
    objective: float
    bound: float
    gap: float
    status: str
    has_solution: bool
    seconds: float
    num_binaries: int


def _row_block(
    *,
    x_part: sp.spmatrix,
    d_coef: float,
    k_coef: float,
    q_part: sp.spmatrix,
    size: int,
    d_col: int,
    q_col: int,
    num_x: int,
    num_cols: int,
) -> sp.csr_matrix:
    """Rows [x | 0 | d k | 0 | q | 0] for one type; ``d_col`` is that type's d column."""
    dk = np.column_stack([np.full(size, d_coef), np.full(size, k_coef)])
    pieces = [
        x_part,
        sp.csr_matrix((size, d_col - num_x)),
        sp.csr_matrix(dk),
        sp.csr_matrix((size, q_col - d_col - 2)),
        q_part,
        sp.csr_matrix((size, num_cols - q_col - size)),
    ]
    return sp.hstack(pieces, format="csr")


def _solve_milp(
    *,
    num_x: int,
    x_lower: np.ndarray,
    x_upper: np.ndarray,
    x_rows: sp.spmatrix,
    x_row_lower: np.ndarray,
    x_row_upper: np.ndarray,
    blocks: Sequence[_FollowerBlock],
    time_limit: float | None,
    mip_gap: float,
) -> _MilpResult:
    # Column layout: x | (d_l, k_l) per type | q_l per type.
    num_types = len(blocks)
    sizes = [b.leader_const.size for b in blocks]
    q_start = num_x + 2 * num_types
    num_cols = q_start + sum(sizes)
    rows: list[sp.spmatrix] = [
        sp.hstack([x_rows, sp.csr_matrix((x_rows.shape[0], num_cols - num_x))], format="csr")
    ]
    lower = [np.asarray(x_row_lower, dtype=float)]
    upper = [np.asarray(x_row_upper, dtype=float)]
    offset = q_start
    for index, (block, size) in enumerate(zip(blocks, sizes, strict=True)):
        d_col = num_x + 2 * index
        eye = sp.identity(size, format="csr")

        def place(x_part, d_coef, k_coef, q_part, size=size, d_col=d_col, at=offset):
            return _row_block(
                x_part=x_part,
                d_coef=d_coef,
                k_coef=k_coef,
                q_part=q_part,
                size=size,
                d_col=d_col,
                q_col=at,
                num_x=num_x,
                num_cols=num_cols,
            )

        big_leader = block.leader_value_high - block.leader_low
        big_follower = block.follower_value_high - block.follower_low
        # d - L(x) + M q <= L0 + M
        rows.append(place(-block.leader_matrix, 1.0, 0.0, eye.multiply(big_leader[:, None])))
        lower.append(np.full(size, -INF))
        upper.append(block.leader_const + big_leader)
        # k - F(x) >= F0
        rows.append(place(-block.follower_matrix, 0.0, 1.0, sp.csr_matrix((size, size))))
        lower.append(block.follower_const.copy())
        upper.append(np.full(size, INF))
        # k - F(x) + M q <= F0 + M
        rows.append(place(-block.follower_matrix, 0.0, 1.0, eye.multiply(big_follower[:, None])))
        lower.append(np.full(size, -INF))
        upper.append(block.follower_const + big_follower)
        one = np.zeros((1, num_cols))
        one[0, offset : offset + size] = 1.0
        rows.append(sp.csr_matrix(one))
        lower.append(np.ones(1))
        upper.append(np.ones(1))
        offset += size

    matrix = sp.vstack(rows, format="csc")
    cost = np.zeros(num_cols)
    col_lower = np.zeros(num_cols)
    col_upper = np.ones(num_cols)
    col_lower[:num_x] = x_lower
    col_upper[:num_x] = x_upper
    for index, block in enumerate(blocks):
        d_col = num_x + 2 * index
        cost[d_col] = block.prior
        col_lower[d_col] = float(np.min(block.leader_low))
        col_upper[d_col] = block.leader_value_high
        col_lower[d_col + 1] = block.follower_value_low
        col_upper[d_col + 1] = block.follower_value_high
    integer = np.zeros(num_cols, dtype=bool)
    integer[q_start:] = True

    solver = new_solver(time_limit=time_limit)
    solver.setOptionValue("mip_rel_gap", float(mip_gap))
    solver.setOptionValue("mip_abs_gap", 1e-9)
    pass_model(
        solver,
        cost=cost,
        col_lower=col_lower,
        col_upper=col_upper,
        matrix=matrix,
        row_lower=np.concatenate(lower),
        row_upper=np.concatenate(upper),
        integer=integer,
        maximize=True,
    )
    began = time.perf_counter()
    solver.run()
    seconds = time.perf_counter() - began
    info = solver.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    values = np.array(solver.getSolution().col_value) if has_solution else np.zeros(num_cols)
    choices = []
    offset = q_start
    for size in sizes:
        choices.append(values[offset : offset + size])
        offset += size
    return _MilpResult(
        x=values[:num_x],
        choices=choices,
        objective=float(info.objective_function_value) if has_solution else -np.inf,
        bound=float(info.mip_dual_bound),
        gap=float(info.mip_gap),
        status=status_name(solver),
        has_solution=has_solution,
        seconds=seconds,
        num_binaries=int(sum(sizes)),
    )


def _type_response(game: SecurityGame, coverage: np.ndarray) -> tuple[int, float]:
    # MILP solutions satisfy constraints to ~1e-7, so judge ties with the same slack.
    scale = max(1.0, float(np.max(np.abs(game.attacker_uncovered))))
    target, utility, _ = attacker_best_response(game, coverage=coverage, tolerance=1e-6 * scale)
    return target, utility


def _evaluate(game: BayesianSecurityGame, coverage: np.ndarray) -> tuple[float, list, list]:
    total = 0.0
    attacked, utilities = [], []
    for kind, type_game in zip(game.types, game.type_games(), strict=True):
        target, utility = _type_response(type_game, coverage)
        attacked.append(target)
        utilities.append(utility)
        total += kind.prior * utility
    return total, attacked, utilities


def solve_bayesian_sse(
    game: BayesianSecurityGame,
    *,
    time_limit: float | None = None,
    mip_gap: float = 1e-9,
) -> BayesianEquilibrium:
    """Exact Bayesian strong Stackelberg equilibrium (up to ``mip_gap`` or ``time_limit``)."""
    n = game.num_targets
    m = min(game.resources, float(n))
    blocks = []
    for kind, type_game in zip(game.types, game.type_games(), strict=True):
        au, ac = type_game.attacker_uncovered, type_game.attacker_covered
        du, dc = type_game.defender_uncovered, type_game.defender_covered
        # No coverage can hold this type's best value below v_min (the single-type minimax
        # value), so targets with Au < v_min are never attacked: no binary, no rows.
        floor = float(np.max(ac))
        active = au > floor
        v_min = _attacker_value(au[active], 1.0 / (au[active] - ac[active]), floor, m)
        tol = 1e-9 * max(1.0, float(np.max(np.abs(au))))
        keep = np.flatnonzero(au >= v_min - tol)
        size = keep.size
        picker = sp.csr_matrix((np.ones(size), (np.arange(size), keep)), shape=(size, n))
        cover_max = min(1.0, m)
        leader_gain = dc[keep] - du[keep]
        follower_loss = au[keep] - ac[keep]
        blocks.append(
            _FollowerBlock(
                prior=kind.prior,
                leader_const=du[keep].copy(),
                leader_matrix=sp.csr_matrix(picker.multiply(leader_gain[:, None])),
                leader_low=du[keep].copy(),
                follower_const=au[keep].copy(),
                follower_matrix=sp.csr_matrix(picker.multiply(-follower_loss[:, None])),
                follower_low=au[keep] - cover_max * follower_loss,
                follower_value_low=float(v_min),
                # Against this type alone the defender can do no better than its own SSE,
                # which tightens both the d_l bound and every big-M in the d_l rows.
                leader_value_high=min(
                    float(np.max(du[keep] + cover_max * leader_gain)),
                    solve_sse(type_game).defender_utility + 1e-9 * max(1.0, float(np.max(abs(dc)))),
                ),
                follower_value_high=float(np.max(au)),
            )
        )

    # Fallback: the best of each type's own SSE coverage, judged against all types. (Passing
    # it to HiGHS with setSolution made highspy 1.16 return the start vector as the solution
    # of an already-optimal model, so it is compared afterwards instead.)
    best_value, best_cov = -np.inf, np.zeros(n)
    for type_game in game.type_games():
        coverage = solve_sse(SecurityGame(**_payoffs(type_game), resources=m)).coverage
        value = _evaluate(game, coverage)[0]
        if value > best_value:
            best_value, best_cov = value, coverage

    result = _solve_milp(
        num_x=n,
        x_lower=np.zeros(n),
        x_upper=np.ones(n),
        x_rows=sp.csr_matrix(np.ones((1, n))),
        x_row_lower=np.array([-INF]),
        x_row_upper=np.array([m]),
        blocks=blocks,
        time_limit=time_limit,
        mip_gap=mip_gap,
    )
    coverage = best_cov
    if result.has_solution:
        # HiGHS meets constraints to ~1e-6; repair so the published coverage is exactly
        # feasible (the utility below is re-evaluated from this repaired coverage).
        found = np.clip(result.x, 0.0, 1.0)
        if found.sum() > m:
            found *= m / found.sum()
        if _evaluate(game, found)[0] >= best_value:
            coverage = found
    value, attacked, utilities = _evaluate(game, coverage)
    bound = max(result.bound, value)
    optimal = result.status == "Optimal"
    return BayesianEquilibrium(
        coverage=coverage,
        attacked=tuple(attacked),
        defender_utility=value,
        bound=bound,
        gap=bound - value,
        relative_gap=(bound - value) / max(1.0, abs(bound)),
        optimal=optimal,
        status=result.status,
        seconds=result.seconds,
        num_binaries=result.num_binaries,
        type_utilities=tuple(utilities),
    )


def _payoffs(game: SecurityGame) -> dict:
    return {
        "defender_covered": game.defender_covered,
        "defender_uncovered": game.defender_uncovered,
        "attacker_covered": game.attacker_covered,
        "attacker_uncovered": game.attacker_uncovered,
    }


def solve_bayesian_normal_form(
    *,
    leader_payoffs: Sequence[np.ndarray],
    follower_payoffs: Sequence[np.ndarray],
    prior: Sequence[float],
    time_limit: float | None = None,
    mip_gap: float = 1e-9,
) -> NormalFormEquilibrium:
    """Bayesian Stackelberg equilibrium of a normal-form game (DOBSS-style MILP).

    ``leader_payoffs[l][i, j]`` and ``follower_payoffs[l][i, j]`` are the payoffs when the
    leader plays pure strategy ``i`` and a follower of type ``l`` plays ``j``.
    """
    leader = [np.asarray(a, dtype=float) for a in leader_payoffs]
    follower = [np.asarray(a, dtype=float) for a in follower_payoffs]
    prior = np.asarray(prior, dtype=float)
    if not (len(leader) == len(follower) == prior.size) or prior.size == 0:
        raise ValueError("need one leader and one follower matrix per type, and a prior")
    if np.any(prior < 0) or not np.isclose(prior.sum(), 1.0, atol=1e-9):
        raise ValueError("prior must be non-negative and sum to 1")
    num_x = leader[0].shape[0]
    blocks = []
    for index, (lead, foll) in enumerate(zip(leader, follower, strict=True)):
        if lead.ndim != 2 or lead.shape != foll.shape or lead.shape[0] != num_x:
            raise ValueError(f"type {index}: payoff matrices must both be {num_x} x k")
        if not (np.all(np.isfinite(lead)) and np.all(np.isfinite(foll))):
            raise ValueError(f"type {index}: payoffs must be finite")
        blocks.append(
            _FollowerBlock(
                prior=float(prior[index]),
                leader_const=np.zeros(lead.shape[1]),
                leader_matrix=sp.csr_matrix(lead.T),
                leader_low=lead.min(axis=0),
                follower_const=np.zeros(foll.shape[1]),
                follower_matrix=sp.csr_matrix(foll.T),
                follower_low=foll.min(axis=0),
                follower_value_low=float(foll.min()),
                leader_value_high=float(lead.max()),
                follower_value_high=float(foll.max()),
            )
        )
    result = _solve_milp(
        num_x=num_x,
        x_lower=np.zeros(num_x),
        x_upper=np.ones(num_x),
        x_rows=sp.csr_matrix(np.ones((1, num_x))),
        x_row_lower=np.ones(1),
        x_row_upper=np.ones(1),
        blocks=blocks,
        time_limit=time_limit,
        mip_gap=mip_gap,
    )
    if not result.has_solution:
        raise RuntimeError(f"no solution found ({result.status})")
    strategy = np.clip(result.x, 0.0, None)
    strategy /= strategy.sum()
    responses = tuple(int(np.argmax(q)) for q in result.choices)
    utility = float(
        sum(
            p * float(strategy @ lead[:, j])
            for p, lead, j in zip(prior, leader, responses, strict=True)
        )
    )
    optimal = result.status == "Optimal"
    return NormalFormEquilibrium(
        strategy=strategy,
        responses=responses,
        leader_utility=utility,
        bound=result.bound,
        gap=max(0.0, result.bound - utility),
        optimal=optimal,
        status=result.status,
    )


def solve_normal_form(
    *, leader_payoffs: np.ndarray, follower_payoffs: np.ndarray, time_limit: float | None = None
) -> NormalFormEquilibrium:
    """Strong Stackelberg equilibrium of a two-player normal-form game (one follower type)."""
    return solve_bayesian_normal_form(
        leader_payoffs=[leader_payoffs],
        follower_payoffs=[follower_payoffs],
        prior=[1.0],
        time_limit=time_limit,
    )
