"""Coverage plans computed from a scenario's payoffs: a representative-attacker game,
a robust quantal-response optimiser and a plain maximin (Stackelberg zero-sum) fallback.

The attacker's utility of a cell i = (segment, slot) follows the simulator's own choice
model so the plans are consistent with it: uncovered attractiveness ``b_i`` is the
log-sum of all flows' logit utilities (weighted by their volume) and covering the cell
lowers it by ``k_i = w_risk * P(detect)``. The defender gains ``g_i = P(detect) *
P(apprehend | detect)`` per unit of flow crossing a covered cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .scenario import Scenario


@dataclass(frozen=True)
class Game:
    b: np.ndarray  # (S, T) attacker utility when uncovered
    k: np.ndarray  # (S, T) utility drop when covered
    g: np.ndarray  # (S, T) defender gain (interdiction probability) when covered
    budget: int  # units per slot


def game_from_scenario(scenario: Scenario) -> Game:
    from .model import Compiled  # local: avoids an import cycle

    comp = Compiled(scenario)
    S, T = comp.S, comp.T
    w = np.maximum(comp.mean, 1e-12)
    # log sum_p mean_p exp(u_p): the log of the expected total flow intensity at the cell
    z = comp.base_util + np.log(w)[:, None]
    zmax = z.max(axis=0)
    b = zmax + np.log(np.exp(z - zmax).sum(axis=0))
    b -= b.max()
    share = w / w.sum()
    cmult = float((share * comp.cmult[comp.pair_com]).sum())
    w_risk = float((share * comp.w_risk).sum())
    pool = comp.pool
    if pool.size:
        pd = comp.detect[pool].mean(axis=0) * cmult
        app = float(comp.apprehend[pool].mean())
    else:
        pd = np.zeros(comp.N)
        app = 0.0
    return Game(
        b=b.reshape(S, T),
        k=(w_risk * pd).reshape(S, T),
        g=(pd * app).reshape(S, T),
        budget=min(comp.units_per_slot, S),
    )


def project_capped_simplex(x: np.ndarray, *, budget: float, iters: int = 60) -> np.ndarray:
    """Euclidean projection of each column of x onto {0 <= c <= 1, sum(c) = budget}."""
    if budget <= 0:
        return np.zeros_like(x)
    if budget >= x.shape[0]:
        return np.ones_like(x)
    lo = x.min(axis=0) - 1.0
    hi = x.max(axis=0)
    for _ in range(iters):  # bisection on the shift, all columns at once
        mid = 0.5 * (lo + hi)
        s = np.clip(x - mid, 0.0, 1.0).sum(axis=0)
        too_much = s > budget
        lo = np.where(too_much, mid, lo)
        hi = np.where(too_much, hi, mid)
    c = np.clip(x - 0.5 * (lo + hi), 0.0, 1.0)
    return c * (budget / np.maximum(c.sum(axis=0), 1e-12)).clip(max=1.0)


def fill_to_budget(weights: np.ndarray, *, budget: float) -> np.ndarray:
    """Coverage proportional to weights per column, capped at 1, summing to budget.

    Exact water-filling: with weights sorted in decreasing order and the first j cells
    capped at 1, the rest get a * w with a = (budget - j) / (sum of the rest); the right j
    is the first whose next cell stays at or below 1.
    """
    w = np.maximum(np.asarray(weights, dtype=float), 0.0) + 1e-12  # zero columns -> uniform
    S = w.shape[0]
    if budget <= 0:
        return np.zeros_like(w)
    if budget >= S:
        return np.ones_like(w)
    ws = -np.sort(-w, axis=0)
    tail = np.cumsum(ws[::-1], axis=0)[::-1]  # tail[j] = sum of ws[j:]
    j = np.arange(S)[:, None]
    a = (budget - j) / tail
    ok = (a * ws <= 1.0 + 1e-12) & (j <= budget)
    first = np.argmax(ok, axis=0)
    scale = a[first, np.arange(w.shape[1])]
    return np.minimum(1.0, scale[None, :] * w)


def defender_value(c: np.ndarray, *, game: Game, lam: float) -> float:
    """Expected interdictions per unit of flow when a lam-rational attacker responds to c."""
    u = lam * (game.b - c * game.k)
    q = np.exp(u - u.max())
    q /= q.sum()
    return float((q * c * game.g).sum())


def robust_qr_coverage(
    *,
    game: Game,
    lambdas: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0),
    iters: int = 400,
) -> np.ndarray:
    """Coverage maximising the worst case over attacker rationalities `lambdas` of the
    defender's expected interdiction under a quantal-response attacker.

    Projected subgradient ascent on min_lambda D_lambda(c), keeping the best iterate;
    the gradient of D for one lambda is q_i [g_i - lambda k_i (c_i g_i - D)].
    """
    S, T = game.b.shape
    c = np.full((S, T), game.budget / S)
    best, best_val = c, -np.inf
    for it in range(iters):
        vals, grads = [], []
        for lam in lambdas:
            u = lam * (game.b - c * game.k)
            q = np.exp(u - u.max())
            q /= q.sum()
            d = float((q * c * game.g).sum())
            vals.append(d)
            grads.append(q * (game.g - lam * game.k * (c * game.g - d)))
        worst = int(np.argmin(vals))
        if vals[worst] > best_val:
            best, best_val = c, vals[worst]
        grad = grads[worst]
        scale = np.abs(grad).max()
        if scale <= 0:
            break
        step = 0.5 / np.sqrt(it + 1.0)
        c = project_capped_simplex(c + step * grad / scale, budget=game.budget)
    return best


def maximin_coverage(*, game: Game, iters: int = 60) -> np.ndarray:
    """Zero-sum Stackelberg coverage against a fully rational attacker: per slot, water-fill
    so the most attractive cell is as unattractive as the budget allows (ORIGAMI-style)."""
    b, k = game.b, np.maximum(game.k, 0.0)
    S, T = b.shape
    if game.budget >= S:
        return np.ones_like(b)
    useful = k > 1e-12
    lo = np.where(useful, b - k, np.inf).min(axis=0) - 1.0
    hi = b.max(axis=0)
    for _ in range(iters):  # bisection on the attacker's best-response level L
        mid = 0.5 * (lo + hi)
        c = np.where(useful, np.clip((b - mid) / np.where(useful, k, 1.0), 0.0, 1.0), 0.0)
        over = c.sum(axis=0) > game.budget
        lo = np.where(over, mid, lo)
        hi = np.where(over, hi, mid)
    c = np.where(useful, np.clip((b - hi) / np.where(useful, k, 1.0), 0.0, 1.0), 0.0)
    # Units left over (every useful cell saturated) go uniformly to the rest.
    spare = game.budget - c.sum(axis=0)
    if np.any(spare > 1e-9):
        free = 1.0 - c
        c = c + free * (spare / np.maximum(free.sum(axis=0), 1e-12)).clip(max=1.0)
    return np.clip(c, 0.0, 1.0)
