"""Single attacker type security game: exact strong Stackelberg equilibrium in O(n log n).

Model. Target ``i`` has defender payoffs ``Dc_i >= Du_i`` (covered / uncovered) and attacker
payoffs ``Au_i >= Ac_i``. The defender commits to coverage ``0 <= c_i <= 1`` with
``sum(c) <= m``; the attacker sees ``c`` and attacks a target maximising
``Au_i - c_i (Au_i - Ac_i)``, breaking ties in the defender's favour (strong SSE).

Why one number decides everything. For the attacked target ``t`` with attacker value ``v``,
every other target must be pushed down to ``v``, which costs at least
``F(v) = sum_i clip((Au_i - v) / (Au_i - Ac_i), 0, 1)``; coverage can never push a target
below its ``Ac_i``, so ``v >= L = max_i Ac_i``. ``F`` is the same for every ``t`` and the
defender's payoff at ``t`` only grows as ``v`` falls, so all the per-target LPs of Conitzer &
Sandholm share one optimum ``v* = min {v >= L : F(v) <= m}``. On ``v >= L`` the clip at 1 never
binds, so ``F`` is piecewise linear with breakpoints at the ``Au_i``: sort them (only the top
few are needed, found with ``argpartition``), take cumulative sums, and locate ``v*`` with
``searchsorted``. The equilibrium then attacks the target of the attack set
``{t : Au_t >= v*}`` that is best for the defender.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational

import numpy as np

__all__ = [
    "Equilibrium",
    "ExactEquilibrium",
    "SecurityGame",
    "attacker_best_response",
    "solve_sse",
    "solve_sse_exact",
]


@dataclass(frozen=True)
class SecurityGame:
    """Payoff arrays (one entry per target) and the number of resources (fractional allowed)."""

    defender_covered: np.ndarray
    defender_uncovered: np.ndarray
    attacker_covered: np.ndarray
    attacker_uncovered: np.ndarray
    resources: float
    ids: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        arrays = {}
        for name in (
            "defender_covered",
            "defender_uncovered",
            "attacker_covered",
            "attacker_uncovered",
        ):
            value = np.ascontiguousarray(getattr(self, name), dtype=np.float64)
            if value.ndim != 1:
                raise ValueError(f"{name} must be one-dimensional")
            if not np.all(np.isfinite(value)):
                bad = int(np.flatnonzero(~np.isfinite(value))[0])
                raise ValueError(f"target {self._label(bad)}: {name} must be finite")
            arrays[name] = value
        n = arrays["defender_covered"].size
        if n == 0:
            raise ValueError("a security game needs at least one target")
        for name, value in arrays.items():
            if value.size != n:
                raise ValueError(f"{name} has {value.size} entries, expected {n}")
            object.__setattr__(self, name, value)
        if arrays["defender_covered"].size and np.any(
            arrays["defender_covered"] < arrays["defender_uncovered"]
        ):
            bad = int(np.argmax(arrays["defender_covered"] < arrays["defender_uncovered"]))
            raise ValueError(
                f"target {self._label(bad)}: defender_covered must be >= defender_uncovered"
            )
        if np.any(arrays["attacker_uncovered"] < arrays["attacker_covered"]):
            bad = int(np.argmax(arrays["attacker_uncovered"] < arrays["attacker_covered"]))
            raise ValueError(
                f"target {self._label(bad)}: attacker_uncovered must be >= attacker_covered"
            )
        resources = float(self.resources)
        if not np.isfinite(resources) or resources < 0:
            raise ValueError("resources must be a finite number >= 0")
        object.__setattr__(self, "resources", resources)
        if self.ids is not None:
            ids = tuple(str(i) for i in self.ids)
            if len(ids) != n:
                raise ValueError(f"ids has {len(ids)} entries, expected {n}")
            object.__setattr__(self, "ids", ids)

    def _label(self, index: int) -> str:
        if self.ids is not None and index < len(self.ids):
            return repr(self.ids[index])
        return f"#{index}"

    @property
    def num_targets(self) -> int:
        return int(self.defender_covered.size)


@dataclass(frozen=True)
class Equilibrium:
    """A strong Stackelberg equilibrium: coverage, attacked target and both utilities."""

    coverage: np.ndarray
    attacked: int
    defender_utility: float
    attacker_utility: float


def _tolerance(game: SecurityGame) -> float:
    # Ties are decided up to a few ulps of the payoff scale, so that targets whose attacker
    # value equals v* in exact arithmetic stay in the attack set despite rounding in v*.
    scale = max(
        1.0,
        float(np.max(np.abs(game.attacker_uncovered))),
        float(np.max(np.abs(game.attacker_covered))),
    )
    return 1e-10 * scale


def _attacker_value(
    uncovered: np.ndarray, weight: np.ndarray, floor: float, resources: float
) -> float:
    """Smallest ``v >= floor`` with ``sum_i max(0, (uncovered_i - v) * weight_i) <= resources``.

    ``uncovered`` holds only targets above ``floor`` and ``weight = 1 / (Au - Ac)``.
    """
    p = uncovered.size
    if p == 0:
        return floor
    # The attack set usually holds a small fraction of the targets, so sort only the top k
    # (O(n) partition) and double k until the answer is provably inside it. A strided sample
    # solved with proportionally scaled resources gives a good first guess for k.
    k = min(p, max(4096, 8 * int(np.ceil(resources)) + 8))
    if p > 16 * 4096:
        stride = p // 4096
        sample_v = _attacker_value(
            uncovered[::stride], weight[::stride], floor, resources * stride / p
        )
        guess = int(np.count_nonzero(uncovered > sample_v))
        k = min(p, max(4096, int(1.25 * guess) + 1024))
    while True:
        if k < p:
            # Partitioning at p-k-1 as well puts the largest value left out at that position.
            part = np.argpartition(uncovered, (p - k - 1, p - k))
            top = part[p - k :]
            rest_max = float(uncovered[part[p - k - 1]])
        else:
            top = np.arange(p)
            rest_max = floor
        order = top[np.argsort(-uncovered[top], kind="stable")]
        a = uncovered[order]
        w = weight[order]
        cum_w = np.cumsum(w)
        cum_aw = np.cumsum(a * w)
        # Cost of lowering every target to the next breakpoint below it (or to rest_max).
        cost = np.empty(k + 1)
        cost[0] = 0.0
        cost[1:k] = cum_aw[:-1] - a[1:] * cum_w[:-1]
        cost[k] = cum_aw[-1] - rest_max * cum_w[-1]
        # Rounding may make the cost wobble; it is non-decreasing in exact arithmetic.
        np.maximum.accumulate(cost, out=cost)
        if cost[k] <= resources and k < p:
            k = min(p, 2 * k)
            continue
        if cost[k] <= resources:
            return floor
        j = int(np.searchsorted(cost, resources, side="right")) - 1
        # v lies between a[j] and the next breakpoint; there the cost is linear with slope
        # -cum_w[j]. Writing v from a[j] keeps v == a[j] exactly when nothing is left over.
        v = a[j] - (resources - cost[j]) / cum_w[j]
        lower = a[j + 1] if j + 1 < k else rest_max
        return float(min(max(v, lower), a[j]))


def solve_sse(game: SecurityGame) -> Equilibrium:
    """Strong Stackelberg equilibrium of a single-attacker-type security game, exactly.

    O(n log n) worst case, O(n) when the attack set is small; vectorised with NumPy.
    """
    au = game.attacker_uncovered
    ac = game.attacker_covered
    du = game.defender_uncovered
    dc = game.defender_covered
    n = au.size
    resources = min(game.resources, float(n))
    floor = float(np.max(ac))
    active = au > floor  # implies Au > Ac, so the division below is safe
    au_active = au[active]
    weight = 1.0 / (au_active - ac[active])
    v = _attacker_value(au_active, weight, floor, resources)

    tol = _tolerance(game)
    coverage = np.zeros(n)
    above = au > v
    coverage[above] = np.minimum((au[above] - v) / (au[above] - ac[above]), 1.0)
    leftover = max(0.0, resources - float(coverage.sum()))

    candidates = np.flatnonzero(au >= v - tol)
    cand_cov = coverage[candidates]
    # A target with Au == Ac keeps its attacker value whatever its coverage, so if it is
    # attacked the defender gives it every spare resource.
    flat = au[candidates] == ac[candidates]
    cand_cov = np.where(flat, min(1.0, leftover), cand_cov)
    cand_util = du[candidates] + cand_cov * (dc[candidates] - du[candidates])
    best = int(np.argmax(cand_util))
    attacked = int(candidates[best])
    coverage[attacked] = cand_cov[best]
    return Equilibrium(
        coverage=coverage,
        attacked=attacked,
        defender_utility=float(cand_util[best]),
        attacker_utility=float(au[attacked] - coverage[attacked] * (au[attacked] - ac[attacked])),
    )


def attacker_best_response(
    game: SecurityGame, *, coverage: np.ndarray, tolerance: float | None = None
) -> tuple[int, float, float]:
    """Attacker's best response to ``coverage``, ties (within ``tolerance``) to the defender.

    Returns ``(target, defender_utility, attacker_utility)``.
    """
    coverage = np.asarray(coverage, dtype=np.float64)
    tol = _tolerance(game) if tolerance is None else tolerance
    att = game.attacker_uncovered - coverage * (game.attacker_uncovered - game.attacker_covered)
    dfn = game.defender_uncovered + coverage * (game.defender_covered - game.defender_uncovered)
    best_value = float(np.max(att))
    candidates = np.flatnonzero(att >= best_value - tol)
    target = int(candidates[np.argmax(dfn[candidates])])
    return target, float(dfn[target]), float(att[target])


@dataclass(frozen=True)
class ExactEquilibrium:
    """Equilibrium in exact rational arithmetic (for verification and published answers)."""

    coverage: tuple[Fraction, ...]
    attacked: int
    defender_utility: Fraction
    attacker_utility: Fraction


def solve_sse_exact(
    *,
    defender_covered: list[Rational | int],
    defender_uncovered: list[Rational | int],
    attacker_covered: list[Rational | int],
    attacker_uncovered: list[Rational | int],
    resources: Rational | int,
) -> ExactEquilibrium:
    """The same algorithm as :func:`solve_sse` in exact rational arithmetic (pure Python)."""
    dc = [Fraction(x) for x in defender_covered]
    du = [Fraction(x) for x in defender_uncovered]
    ac = [Fraction(x) for x in attacker_covered]
    au = [Fraction(x) for x in attacker_uncovered]
    n = len(dc)
    if not n or not (len(du) == len(ac) == len(au) == n):
        raise ValueError("payoff lists must be non-empty and of equal length")
    m = min(Fraction(resources), Fraction(n))
    floor = max(ac)
    active = sorted((i for i in range(n) if au[i] > floor), key=lambda i: -au[i])
    v = floor
    cum_w = Fraction(0)
    cum_aw = Fraction(0)
    for pos, i in enumerate(active):
        w = 1 / (au[i] - ac[i])
        cum_w += w
        cum_aw += au[i] * w
        nxt = au[active[pos + 1]] if pos + 1 < len(active) else floor
        if cum_aw - nxt * cum_w >= m:  # the budget runs out before reaching nxt
            v = (cum_aw - m) / cum_w
            break
    coverage = [
        min(Fraction(1), (au[i] - v) / (au[i] - ac[i])) if au[i] > v else Fraction(0)
        for i in range(n)
    ]
    leftover = max(Fraction(0), m - sum(coverage))
    best: tuple[Fraction, int, Fraction] | None = None
    for i in range(n):
        if au[i] < v:
            continue
        c = min(Fraction(1), leftover) if au[i] == ac[i] else coverage[i]
        util = du[i] + c * (dc[i] - du[i])
        if best is None or util > best[0]:
            best = (util, i, c)
    assert best is not None  # the target with the largest Au is always in the attack set
    util, attacked, c = best
    coverage[attacked] = c
    return ExactEquilibrium(
        coverage=tuple(coverage),
        attacked=attacked,
        defender_utility=util,
        attacker_utility=au[attacked] - c * (au[attacked] - ac[attacked]),
    )
