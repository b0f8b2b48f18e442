"""Patrol strategies. A strategy is one small class: given the day and what the defender has
seen so far, return coverage (S, T) = the probability each segment x slot is patrolled,
with at most `scenario.units_per_slot` units' worth per slot. The simulator draws the
concrete patrols from it.

To add one: subclass `Strategy`, implement `coverage`, and decorate it with
``@register("my-name")`` so the command line can use it.
"""

from __future__ import annotations

import importlib
import warnings
import weakref
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from .history import History
from .planning import (
    Game,
    fill_to_budget,
    game_from_scenario,
    maximin_coverage,
    robust_qr_coverage,
)
from .scenario import Scenario

REGISTRY: dict[str, type[Strategy]] = {}

# Static plans depend only on the scenario and parameters; an experiment reuses one
# scenario object per process for many seeds, so solve once per (scenario, parameters).
_PLANS: dict[tuple[Any, ...], tuple[weakref.ref[Scenario], np.ndarray]] = {}


def _cached_plan(
    scenario: Scenario, key: tuple[Any, ...], solve: Callable[[], np.ndarray]
) -> np.ndarray:
    full = (id(scenario), *key)
    hit = _PLANS.get(full)
    if hit is not None and hit[0]() is scenario:
        return hit[1]
    plan = solve()
    plan.flags.writeable = False
    _PLANS[full] = (weakref.ref(scenario), plan)
    return plan


def register(name: str) -> Callable[[type[Strategy]], type[Strategy]]:
    def deco(cls: type[Strategy]) -> type[Strategy]:
        cls.name = name
        REGISTRY[name] = cls
        return cls

    return deco


class Strategy:
    """Base class; `reset` is called once per run before day 0."""

    name: ClassVar[str] = "strategy"

    def reset(self, *, scenario: Scenario, rng: np.random.Generator) -> None:
        self.scenario = scenario
        self.rng = rng
        self.S = scenario.n_segments
        self.T = scenario.n_slots
        self.budget = min(scenario.units_per_slot, self.S)

    def coverage(self, day: int, history: History) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


@register("none")
class NoPatrol(Strategy):
    """No patrols at all: the baseline flow."""

    def coverage(self, day: int, history: History) -> np.ndarray:
        return np.zeros((self.S, self.T))


@register("uniform")
class UniformRandom(Strategy):
    """Every segment x slot equally likely; a fresh random draw each day."""

    def coverage(self, day: int, history: History) -> np.ndarray:
        return np.full((self.S, self.T), self.budget / self.S)


@register("fixed")
class FixedSchedule(Strategy):
    """Predictable: the same most-attractive cells every day (what a habit looks like).

    With ``rotate_days > 0`` it cycles through `blocks` disjoint sets of top cells, changing
    set every `rotate_days` days: still a fixed, observable schedule.
    """

    def __init__(self, *, rotate_days: int = 0, blocks: int = 2) -> None:
        self.rotate_days = int(rotate_days)
        self.blocks = int(blocks)

    def reset(self, *, scenario: Scenario, rng: np.random.Generator) -> None:
        super().reset(scenario=scenario, rng=rng)
        b = game_from_scenario(scenario).b
        self.order = np.argsort(-b, axis=0, kind="stable")  # (S, T) best cells first

    def coverage(self, day: int, history: History) -> np.ndarray:
        k = self.budget
        block = (day // self.rotate_days) % self.blocks if self.rotate_days > 0 else 0
        start = min(block * k, self.S - k)
        cov = np.zeros((self.S, self.T))
        rows = self.order[start : start + k]
        cov[rows, np.arange(self.T)[None, :]] = 1.0
        return cov


@register("hotspot")
class HotspotChasing(Strategy):
    """Patrol where last `window` days' detected events were (spread `spread` segments to
    each side), with a small floor so quiet places are not abandoned entirely."""

    def __init__(self, *, window: int = 7, spread: int = 2, floor: float = 0.05) -> None:
        self.window = int(window)
        self.spread = int(spread)
        self.floor = float(floor)

    def coverage(self, day: int, history: History) -> np.ndarray:
        ev = history.recent_events(days=self.window)
        if self.spread > 0 and ev.any():
            ev = _box_sum(ev, self.spread)
        total = ev.sum()
        w = ev / total if total > 0 else np.zeros_like(ev)
        w = w + self.floor / ev.size
        return fill_to_budget(w, budget=self.budget)


def _box_sum(x: np.ndarray, r: int) -> np.ndarray:
    """Sum over a window of r segments either side (along axis 0), via cumulative sums."""
    c = np.cumsum(np.pad(x, ((r + 1, r), (0, 0))), axis=0)
    return c[2 * r + 1 :] - c[: -2 * r - 1]


class CoverageStrategy(Strategy):
    """A fixed coverage array from any source (a solver, a planner's spreadsheet...).

    `coverage` is (S, T) or (S,) (same in every slot); each day's patrols are drawn from it.
    """

    name: ClassVar[str] = "coverage"

    def __init__(self, coverage: np.ndarray, *, label: str = "coverage") -> None:
        self._cov = np.asarray(coverage, dtype=float)
        self.label = label

    def reset(self, *, scenario: Scenario, rng: np.random.Generator) -> None:
        super().reset(scenario=scenario, rng=rng)
        cov = self._cov
        if cov.ndim == 1:
            cov = np.repeat(cov[:, None], self.T, axis=1)
        if cov.shape != (self.S, self.T):
            raise ValueError(f"coverage has shape {cov.shape}, expected {(self.S, self.T)}")
        self._plan = cov

    def coverage(self, day: int, history: History) -> np.ndarray:
        return self._plan


@register("robust-qr")
class RobustQuantalResponse(Strategy):
    """Coverage maximising the worst case, over smugglers' rationality in [lam_lo, lam_hi],
    of the expected interdiction against quantal-response smugglers.

    ``solver="internal"`` (default): planning.robust_qr_coverage, one joint choice over all
    segment x slot cells as in the simulator, projected subgradient, well under a second on
    Nogales. ``solver="games"``: alianza.games.quantal.solve_robust_quantal_response, one game
    per slot (SLSQP; about 30 s per slot on Nogales). On a single slot both reach the same
    worst case (tests/sim/test_sim_strategies.py).
    """

    def __init__(
        self, *, lam_lo: float = 0.25, lam_hi: float = 4.0, grid: int = 5, solver: str = "internal"
    ) -> None:
        if solver not in ("internal", "games"):
            raise ValueError(f"solver must be 'internal' or 'games', got {solver!r}")
        self.lam = (float(lam_lo), float(lam_hi))
        self.lambdas = tuple(np.geomspace(lam_lo, lam_hi, int(grid)))
        self.grid = int(grid)
        self.solver = solver
        self.source = ""

    def reset(self, *, scenario: Scenario, rng: np.random.Generator) -> None:
        super().reset(scenario=scenario, rng=rng)
        game = game_from_scenario(scenario)
        if self.solver == "games":
            self.source = "alianza.games.quantal.solve_robust_quantal_response"

            def solve() -> np.ndarray:
                return _robust_qr_by_slot(game, self.lam, self.grid)
        else:
            self.source = "internal robust QR (planning.robust_qr_coverage)"

            def solve() -> np.ndarray:
                return robust_qr_coverage(game=game, lambdas=self.lambdas)

        self._plan = _cached_plan(scenario, ("robust-qr", self.solver, self.lambdas), solve)

    def coverage(self, day: int, history: History) -> np.ndarray:
        return self._plan


def _robust_qr_by_slot(game: Game, lam: tuple[float, float], grid: int) -> np.ndarray:
    try:
        games = importlib.import_module("alianza.games")
        quantal = importlib.import_module("alianza.games.quantal")
    except ImportError as exc:
        raise RuntimeError(f"robust-qr:solver=games needs alianza.games: {exc}") from exc
    S, T = game.b.shape
    cov = np.zeros((S, T))
    for t in range(T):
        sg = _slot_game(games, game, t)
        sol = quantal.solve_robust_quantal_response(sg, rationality_range=lam, grid_size=grid)
        cov[:, t] = np.clip(sol.coverage, 0.0, 1.0)
    return cov


def _slot_game(games: Any, game: Game, t: int) -> Any:
    return games.SecurityGame(
        defender_covered=game.g[:, t],
        defender_uncovered=np.zeros(game.b.shape[0]),
        attacker_covered=game.b[:, t] - game.k[:, t],
        attacker_uncovered=game.b[:, t],
        resources=float(game.budget),
    )


@register("security-game")
class SecurityGameStrategy(Strategy):
    """Strong Stackelberg coverage from `alianza.games.solve_sse`, one game per time slot.

    `solver="auto"` falls back, with a warning, to this package's own maximin water-filling
    (planning.maximin_coverage, labelled ``internal-maximin``) when alianza.games cannot be
    imported; `solver="games"` raises instead. `self.source` records which one ran.
    """

    def __init__(self, *, solver: str = "auto") -> None:
        if solver not in ("auto", "games", "internal"):
            raise ValueError(f"solver must be 'auto', 'games' or 'internal', got {solver!r}")
        self.solver = solver
        self.source = ""

    def reset(self, *, scenario: Scenario, rng: np.random.Generator) -> None:
        super().reset(scenario=scenario, rng=rng)
        game = game_from_scenario(scenario)
        games = None
        if self.solver != "internal":
            try:
                games = importlib.import_module("alianza.games")
                games.SecurityGame, games.solve_sse  # noqa: B018 - check the interface exists
            except (ImportError, AttributeError) as exc:
                if self.solver == "games":
                    raise RuntimeError(
                        "security-game strategy needs alianza.games (SecurityGame, solve_sse), "
                        f"which is not available: {exc}"
                    ) from exc
                warnings.warn(
                    f"alianza.games unavailable ({exc}); using the internal maximin fallback",
                    RuntimeWarning,
                    stacklevel=2,
                )
                games = None
        if games is None:
            self.source = "internal-maximin"
            self._plan = maximin_coverage(game=game)
        else:
            self.source = "alianza.games.solve_sse"
            self._plan = _sse_by_slot(games, game)

    def coverage(self, day: int, history: History) -> np.ndarray:
        return self._plan


def _sse_by_slot(games: Any, game: Game) -> np.ndarray:
    """One security game per slot (each slot has its own units); spare units are spread
    evenly over the rest, which cannot raise any cell's attractiveness."""
    S, T = game.b.shape
    cov = np.zeros((S, T))
    for t in range(T):
        sg = _slot_game(games, game, t)
        c = np.clip(np.asarray(games.solve_sse(sg).coverage, dtype=float), 0.0, 1.0)
        spare = game.budget - c.sum()
        if spare > 1e-9:
            free = 1.0 - c
            c = c + free * min(1.0, spare / max(free.sum(), 1e-12))
        cov[:, t] = np.clip(c, 0.0, 1.0)
    return cov


def parse_strategy(spec: str) -> Strategy:
    """Build a strategy from ``name`` or ``name:key=value:key=value`` (CLI form)."""
    name, *params = spec.strip().split(":")
    if name not in REGISTRY:
        raise ValueError(f"unknown strategy {name!r} (known: {', '.join(sorted(REGISTRY))})")
    kwargs: dict[str, Any] = {}
    for p in params:
        if "=" not in p:
            raise ValueError(f"strategy {spec!r}: parameter {p!r} is not key=value")
        k, v = p.split("=", 1)
        kwargs[k.strip().replace("-", "_")] = _literal(v.strip())
    try:
        return REGISTRY[name](**kwargs)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"strategy {spec!r}: {exc}") from exc


def _literal(v: str) -> Any:
    for cast in (int, float):
        try:
            return cast(v)
        except ValueError:
            pass
    return v
