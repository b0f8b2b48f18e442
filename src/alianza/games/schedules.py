"""Patrol schedules along a border, with mirrored binational pairs, by column generation.

Targets are (segment, shift) pairs. A *schedule* puts one patrol unit (or one mirrored
pair: a U.S. unit and a Mexican unit on the same window, each on its own side, in the same
shift) on a window of contiguous segments for one shift. A schedule of kind ``k`` adds
``effectiveness_k(terrain)`` to the coverage of each segment of its window. The defender
chooses ``x_sigma``, the expected number of units on each schedule, within the units
available per (unit type, shift); coverage is ``min(1, sum_sigma x_sigma e_sigma)``.

Why a single LP suffices (one smuggler type). As in :mod:`.core`, the defender's payoff
grows with coverage, so every per-target LP shares the same optimal attacker value ``v*``,
the smallest value to which all targets can be pushed at once:

    min v   s.t.   v + delta_t * sum_sigma e_{sigma t} x_sigma >= Au_t     (every target t)
                   sum_{sigma uses pool r} x_sigma <= units_r              (every pool r)
                   v >= max_t Ac_t

The equilibrium then attacks the best target for the defender among those with
``Au_t >= v*``. There are far too many schedules to list for the whole border, so the LP is
solved by column generation: pricing a kind in a shift is a sliding-window sum of
``dual_t * delta_t * e_k`` (one ``cumsum``), the best windows enter the master, and HiGHS
re-optimises from the previous basis. Farley's Lagrangian bound gives a proven lower bound
on ``v*`` at every iteration, hence an upper bound on the defender's utility and a gap.

This LP lets coverage on a target exceed what the attacked target needs; to realise
exactly the planned coverage on the attacked target, a second LP (same columns, ``v``
fixed) minimises the coverage there. The reported utility is always re-evaluated from the
realised coverage with the attacker's best response, so it is achievable, and the gap is
measured against the proven bound.

Sampling (:func:`sample_shift_plan`) draws concrete assignments whose expected counts per
schedule equal ``x``: dependent rounding decides how many pairs and solo units of each type
work each shift, then comb sampling picks their windows. Coverage is additive expected
effectiveness; when two sampled windows overlap, the detection probability there is at most
the sum, so the model is exact for non-overlapping plans and optimistic otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ._highs import INF, new_solver, pass_model, status_name
from .sampling import dependent_round_bipartite, systematic_counts

__all__ = [
    "Assignment",
    "BorderGame",
    "MirroredPairType",
    "PatrolUnitType",
    "ScheduleSolution",
    "sample_shift_plan",
    "solve_schedules",
]

SIDES = ("US", "MX")


@dataclass(frozen=True)
class PatrolUnitType:
    """A kind of patrol unit on one side of the border.

    ``window``: contiguous segments one unit covers in a shift. ``effectiveness``: chance of
    interdicting a crossing on a covered segment, by terrain (terrain not listed: 0, the
    unit cannot work there). ``available``: units per shift (one number or one per shift).
    """

    name: str
    side: str
    window: int
    effectiveness: Mapping[str, float]
    available: int | Sequence[int]

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"unit type {self.name!r}: side must be one of {SIDES}")
        if self.window < 1:
            raise ValueError(f"unit type {self.name!r}: window must be >= 1")
        for terrain, value in self.effectiveness.items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(
                    f"unit type {self.name!r}: effectiveness[{terrain!r}] must lie in [0, 1]"
                )


@dataclass(frozen=True)
class MirroredPairType:
    """A U.S. unit and a Mexican unit on the same window, same shift, each on its own side.

    Unless ``effectiveness`` is given, a pair's effectiveness on a terrain is
    ``min(1, (e_us + e_mx) * (1 + synergy))``: coordinated patrols share sightings and
    close the line behind a crossing, which single-side patrols cannot do.
    """

    us_unit: str
    mx_unit: str
    synergy: float = 0.25
    effectiveness: Mapping[str, float] | None = None


@dataclass(frozen=True)
class BorderGame:
    """Segments along the border (terrain per segment) x shifts, with payoffs per target.

    Payoff arrays have shape ``(num_segments, num_shifts)``; one smuggler type.
    """

    terrain: Sequence[str]
    num_shifts: int
    defender_covered: np.ndarray
    defender_uncovered: np.ndarray
    attacker_covered: np.ndarray
    attacker_uncovered: np.ndarray
    unit_types: Sequence[PatrolUnitType]
    pair_types: Sequence[MirroredPairType] = ()

    def __post_init__(self) -> None:
        shape = (len(self.terrain), self.num_shifts)
        for name in (
            "defender_covered",
            "defender_uncovered",
            "attacker_covered",
            "attacker_uncovered",
        ):
            value = np.asarray(getattr(self, name), dtype=np.float64)
            if value.shape != shape:
                raise ValueError(f"{name} has shape {value.shape}, expected {shape}")
            if not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be finite")
            object.__setattr__(self, name, value)
        bad = np.argwhere(self.defender_covered < self.defender_uncovered)
        if bad.size:
            s, h = bad[0]
            raise ValueError(f"segment {s}, shift {h}: defender_covered < defender_uncovered")
        bad = np.argwhere(self.attacker_uncovered < self.attacker_covered)
        if bad.size:
            s, h = bad[0]
            raise ValueError(f"segment {s}, shift {h}: attacker_uncovered < attacker_covered")
        names = [u.name for u in self.unit_types]
        if len(set(names)) != len(names):
            raise ValueError("unit type names must be unique")
        by_name = {u.name: u for u in self.unit_types}
        for pair in self.pair_types:
            us, mx = by_name.get(pair.us_unit), by_name.get(pair.mx_unit)
            if us is None or us.side != "US":
                raise ValueError(f"pair {pair}: us_unit must name a US unit type")
            if mx is None or mx.side != "MX":
                raise ValueError(f"pair {pair}: mx_unit must name an MX unit type")
        for unit in self.unit_types:
            counts = self.units_per_shift(unit)
            if counts.shape != (self.num_shifts,) or np.any(counts < 0):
                raise ValueError(f"unit type {unit.name!r}: available must be >= 0 per shift")

    @property
    def num_segments(self) -> int:
        return len(self.terrain)

    def units_per_shift(self, unit: PatrolUnitType) -> np.ndarray:
        if isinstance(unit.available, int | np.integer):
            return np.full(self.num_shifts, int(unit.available))
        return np.asarray(unit.available, dtype=np.int64)


@dataclass(frozen=True)
class _Kind:
    """A schedule kind: a solo unit type or a mirrored pair type, with its window and pools."""

    label: str
    window: int
    effect: np.ndarray  # effectiveness per segment
    pools: tuple[int, ...]  # unit-type indices whose pools a schedule of this kind uses


@dataclass(frozen=True)
class ScheduleSolution:
    """Expected units per schedule and the resulting equilibrium.

    ``schedules[i] = (kind, shift, start)`` with ``kind`` a unit type name or
    ``"US_UNIT+MX_UNIT"`` for a mirrored pair, and ``expected_units[i]`` its weight.
    """

    schedules: list[tuple[str, int, int]]
    expected_units: np.ndarray
    coverage: np.ndarray  # (num_segments, num_shifts), realised
    attacked: tuple[int, int]
    defender_utility: float
    attacker_utility: float
    upper_bound: float
    gap: float
    attacker_value_bounds: tuple[float, float]
    iterations: int
    num_columns: int
    seconds: float
    status: str
    windows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    shift: int
    kind: str
    start: int
    end: int  # exclusive
    units: tuple[str, ...]  # unit types sent (two for a mirrored pair)


def _kinds(game: BorderGame) -> list[_Kind]:
    terrains = list(game.terrain)
    index = {u.name: i for i, u in enumerate(game.unit_types)}
    kinds = []
    for i, unit in enumerate(game.unit_types):
        effect = np.array([unit.effectiveness.get(t, 0.0) for t in terrains])
        kinds.append(_Kind(unit.name, min(unit.window, len(terrains)), effect, (i,)))
    for pair in game.pair_types:
        us, mx = game.unit_types[index[pair.us_unit]], game.unit_types[index[pair.mx_unit]]
        if pair.effectiveness is not None:
            effect = np.array([pair.effectiveness.get(t, 0.0) for t in terrains])
        else:
            e_us = np.array([us.effectiveness.get(t, 0.0) for t in terrains])
            e_mx = np.array([mx.effectiveness.get(t, 0.0) for t in terrains])
            effect = np.minimum(1.0, (e_us + e_mx) * (1.0 + pair.synergy))
        window = min(us.window, mx.window, len(terrains))
        pools = (index[pair.us_unit], index[pair.mx_unit])
        kinds.append(_Kind(f"{us.name}+{mx.name}", window, effect, pools))
    return kinds


def _window_sums(values: np.ndarray, window: int) -> np.ndarray:
    """Sums of ``values`` (segments x shifts) over every window of ``window`` segments."""
    padded = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
    return padded[window:] - padded[:-window]


def solve_schedules(
    game: BorderGame,
    *,
    time_limit: float = 300.0,
    gap_tolerance: float = 1e-6,
    max_iterations: int = 500,
    columns_per_kind: int = 50,
    realise_candidates: int = 3,
) -> ScheduleSolution:
    """Strong Stackelberg equilibrium with patrol schedules, by column generation."""
    began = time.perf_counter()
    S, H = game.num_segments, game.num_shifts
    au = game.attacker_uncovered.ravel()  # target index = segment * H + shift
    ac = game.attacker_covered.ravel()
    du = game.defender_uncovered.ravel()
    dc = game.defender_covered.ravel()
    delta = au - ac
    floor = float(ac.max())
    top = float(au.max())
    scale = max(1.0, float(np.abs(au).max()), float(np.abs(ac).max()))
    tol = 1e-7 * scale
    # Targets at or below the floor never need coverage: v >= floor already holds for them.
    rows_of = np.full(S * H, -1)
    row_targets = np.flatnonzero(au > floor)
    rows_of[row_targets] = np.arange(row_targets.size)
    num_target_rows = row_targets.size
    kinds = _kinds(game)
    pool_units = np.array([game.units_per_shift(u) for u in game.unit_types])  # (types, H)
    num_pools = pool_units.size

    def pool_row(unit_index: int, shift: int) -> int:
        return num_target_rows + unit_index * H + shift

    columns: list[tuple[int, int, int]] = []  # (kind index, shift, start)
    known: set[tuple[int, int, int]] = set()

    def column_entries(kind_index: int, shift: int, start: int):
        kind = kinds[kind_index]
        segs = np.arange(start, start + kind.window)
        targets = segs * H + shift
        rows = rows_of[targets]
        values = delta[targets] * kind.effect[segs]
        keep = (rows >= 0) & (values > 0)
        idx = list(rows[keep]) + [pool_row(p, shift) for p in kind.pools]
        val = list(values[keep]) + [1.0] * len(kind.pools)
        return idx, val

    # Master LP: column 0 is v; rows are targets above the floor, then one per pool.
    solver = new_solver()
    solver.setOptionValue("time_limit", float(time_limit))
    # Added columns keep the basis primal feasible, so primal simplex resumes where the last
    # solve stopped (dual simplex restarts far from it; ~4x slower here).
    solver.setOptionValue("simplex_strategy", 4)
    pass_model(
        solver,
        cost=np.array([1.0]),
        col_lower=np.array([floor]),
        col_upper=np.array([max(top, floor)]),
        matrix=sp.csc_matrix(
            (np.ones(num_target_rows), (np.arange(num_target_rows), np.zeros(num_target_rows))),
            shape=(num_target_rows + num_pools, 1),
        ),
        row_lower=np.concatenate([au[row_targets], np.full(num_pools, -INF)]),
        row_upper=np.concatenate([np.full(num_target_rows, INF), pool_units.ravel()]),
    )

    # Phase 2 prices columns against the coverage of one target (see the module docstring);
    # focus = (segment, shift, sign) or None for phase 1, whose columns cost nothing.
    focus: tuple[int, int, float] | None = None

    def column_cost(kind_index: int, shift: int, start: int) -> float:
        if focus is None:
            return 0.0
        seg, focus_shift, sign = focus
        kind = kinds[kind_index]
        if shift == focus_shift and start <= seg < start + kind.window:
            return sign * float(kind.effect[seg])
        return 0.0

    def add_columns(new: list[tuple[int, int, int]]) -> None:
        starts, index, value = [0], [], []
        for col in new:
            idx, val = column_entries(*col)
            index.extend(idx)
            value.extend(val)
            starts.append(len(index))
        count = len(new)
        solver.addCols(
            count,
            np.array([column_cost(*col) for col in new]),
            np.zeros(count),
            np.full(count, INF),
            len(index),
            np.array(starts[:-1], dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=np.float64),
        )
        columns.extend(new)
        known.update(new)

    def generate(max_rounds: int) -> tuple[str, int, float, bool]:
        """Column generation to optimality (or limits).

        Returns the LP status, the rounds used, Farley's bound on v (phase 1) and whether no
        column with negative reduced cost is left (the master is optimal over all columns).
        """
        bound = -INF
        rounds = 0
        while True:
            rounds += 1
            solver.run()
            status = status_name(solver)
            if status != "Optimal":
                return status, rounds, bound, False
            solution = solver.getSolution()
            objective = float(solver.getInfo().objective_function_value)
            duals = np.asarray(solution.row_dual)
            y = np.zeros(S * H)
            y[row_targets] = np.maximum(duals[:num_target_rows], 0.0)
            pi = np.minimum(duals[num_target_rows:], 0.0).reshape(pool_units.shape)
            weighted = (y * delta).reshape(S, H)
            best_gain = np.zeros(pool_units.shape)  # per (primary pool, shift)
            candidates: list[tuple[float, tuple[int, int, int]]] = []
            for k, kind in enumerate(kinds):
                sums = _window_sums(weighted * kind.effect[:, None], kind.window)  # (starts, H)
                reduced = -sums - pi[list(kind.pools)].sum(axis=0)[None, :]
                if focus is not None:
                    seg, focus_shift, sign = focus
                    first = max(0, seg - kind.window + 1)
                    reduced[first : seg + 1, focus_shift] += sign * kind.effect[seg]
                gain = np.maximum(0.0, -reduced.min(axis=0))
                # Column -> primary pool (solo: its pool; pair: its U.S. pool) for Farley.
                best_gain[kind.pools[0]] = np.maximum(best_gain[kind.pools[0]], gain)
                for h in range(H):
                    col = reduced[:, h]
                    count = min(columns_per_kind, col.size)
                    picks = np.argpartition(col, count - 1)[:count]
                    for start in picks:
                        if col[start] < -1e-9 * scale and (k, h, int(start)) not in known:
                            candidates.append((float(col[start]), (k, h, int(start))))
            if focus is None:
                # Farley's bound: v* >= y.Au + min_v v (1 - sum y) + pi.N - sum_r N_r G_r.
                slope = 1.0 - float(y.sum())
                v_term = floor * slope if slope >= 0 else top * slope
                lagrangian = (
                    float(y @ au)
                    + v_term
                    + float((pi * pool_units).sum())
                    - float((best_gain * pool_units).sum())
                )
                bound = max(bound, min(lagrangian, objective))
                if objective - bound <= gap_tolerance * scale:
                    return status, rounds, bound, True
            if not candidates:
                return status, rounds, bound, True
            if rounds >= max_rounds or time.perf_counter() - began >= time_limit:
                return status, rounds, bound, False
            add_columns([col for _, col in sorted(candidates)])

    # Start from border-tiling windows of every kind in every shift.
    initial = []
    for k, kind in enumerate(kinds):
        for h in range(H):
            for start in range(0, S - kind.window + 1, kind.window):
                initial.append((k, h, start))
    add_columns(initial)
    status, iterations, lower_bound_v, converged = generate(max_iterations)
    lower_bound_v = max(lower_bound_v, floor)

    solution = solver.getSolution()
    x = np.asarray(solution.col_value[1:])
    master_v = float(solution.col_value[0])

    def realised(x: np.ndarray) -> np.ndarray:
        coverage = np.zeros(S * H)
        for (k, h, start), weight in zip(columns, x, strict=True):
            if weight > 0:
                kind = kinds[k]
                segs = np.arange(start, start + kind.window)
                coverage[segs * H + h] += weight * kind.effect[segs]
        return np.minimum(coverage, 1.0)

    def outcome(coverage: np.ndarray) -> tuple[int, float, float]:
        attacker = au - delta * coverage
        best = attacker.max()
        cand = np.flatnonzero(attacker >= best - tol)
        defender = du + (dc - du) * coverage
        t = int(cand[np.argmax(defender[cand])])
        return t, float(defender[t]), float(attacker[t])

    def planned_utilities(v: float) -> tuple[np.ndarray, np.ndarray]:
        """Defender utility at each target of the attack set when the attacker value is v."""
        cand = np.flatnonzero(au >= v - tol)
        with np.errstate(divide="ignore", invalid="ignore"):
            need = np.where(delta[cand] > 0, np.clip((au[cand] - v) / delta[cand], 0, 1), 1.0)
        return cand, du[cand] + (dc[cand] - du[cand]) * need

    cand_lb, utils_lb = planned_utilities(lower_bound_v)
    bound_of = dict(zip(cand_lb.tolist(), utils_lb.tolist(), strict=True))
    v_exact = converged and master_v - lower_bound_v <= gap_tolerance * scale

    best = (*outcome(realised(x)), x)
    # Realise the planned coverage exactly on the most promising attacked targets: fix v and
    # minimise the coverage of that target (maximise it if Au == Ac, where coverage cannot
    # change the attacker's mind), generating the columns this needs.
    cand, utils = planned_utilities(master_v)
    order = cand[np.argsort(-utils, kind="stable")]
    planned = dict(zip(cand.tolist(), utils.tolist(), strict=True))
    if status == "Optimal":
        solver.changeColBounds(0, master_v, master_v)
        solver.changeColCost(0, 0.0)
        for t in order[:realise_candidates].tolist():
            if best[1] >= planned[t] - tol:
                break  # no remaining target can beat what is already realised
            seg, shift = divmod(t, H)
            flat = delta[t] == 0
            focus = (seg, shift, -1.0 if flat else 1.0)
            solver.changeColsCost(
                len(columns),
                np.arange(1, len(columns) + 1, dtype=np.int32),
                np.array([column_cost(*col) for col in columns]),
            )
            phase_two_status, rounds, _, phase_two_done = generate(max_iterations)
            iterations += rounds
            if phase_two_status != "Optimal":
                continue
            if flat and phase_two_done and v_exact:
                # The most coverage this target can get is now known exactly.
                most = min(1.0, -float(solver.getInfo().objective_function_value))
                exact = float(du[t] + (dc[t] - du[t]) * most)
                bound_of[t] = min(bound_of.get(t, exact), exact)
            trial_x = np.asarray(solver.getSolution().col_value[1:])
            trial = outcome(realised(trial_x))
            if trial[1] > best[1]:
                best = (*trial, trial_x)
        best = (*best[:3], np.concatenate([best[3], np.zeros(len(columns) - best[3].size)]))
    upper_bound = max(bound_of.values())

    attacked, defender_utility, attacker_utility, x = best
    coverage = realised(x)
    return ScheduleSolution(
        schedules=[(kinds[k].label, h, s) for k, h, s in columns],
        expected_units=x,
        coverage=coverage.reshape(S, H),
        attacked=(attacked // H, attacked % H),
        defender_utility=defender_utility,
        attacker_utility=attacker_utility,
        upper_bound=max(upper_bound, defender_utility),
        gap=max(0.0, upper_bound - defender_utility),
        attacker_value_bounds=(lower_bound_v, master_v),
        iterations=iterations,
        num_columns=len(columns),
        seconds=time.perf_counter() - began,
        status=status,
        windows={kind.label: kind.window for kind in kinds},
    )


def sample_shift_plan(
    game: BorderGame, solution: ScheduleSolution, *, seed: int | np.random.Generator | None
) -> list[Assignment]:
    """One concrete plan: which units patrol which window in each shift.

    The expected number of units on each schedule equals ``solution.expected_units``.
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    kinds = {kind.label: kind for kind in _kinds(game)}
    names = [u.name for u in game.unit_types]
    plan: list[Assignment] = []
    for h in range(game.num_shifts):
        groups: dict[str, list[int]] = {}
        for i, (label, shift, _) in enumerate(solution.schedules):
            if shift == h and solution.expected_units[i] > 0:
                groups.setdefault(label, []).append(i)
        # How many units of each kind work this shift: dependent rounding on the bipartite
        # graph (U.S. types | "solo") x (Mexican types | "solo") keeps every pool within
        # its size while each kind keeps its expected count.
        edges, labels = [], []
        for label, members in groups.items():
            kind = kinds[label]
            mass = float(solution.expected_units[members].sum())
            pools = [names[p] for p in kind.pools]
            sides = [game.unit_types[p].side for p in kind.pools]
            if len(pools) == 2:
                left, right = pools
            elif sides[0] == "US":
                left, right = pools[0], ("solo", pools[0])
            else:
                left, right = ("solo", pools[0]), pools[0]
            edges.append((left, right, mass))
            labels.append(label)
        counts = dependent_round_bipartite(edges, seed=rng) if edges else []
        for label, count in zip(labels, counts, strict=True):
            if count == 0:
                continue
            members = groups[label]
            weights = solution.expected_units[members]
            picks = systematic_counts(weights * (count / weights.sum()), seed=rng)
            kind = kinds[label]
            units = tuple(names[p] for p in kind.pools)
            for i, times in zip(members, picks, strict=True):
                start = solution.schedules[i][2]
                for _ in range(int(times)):
                    plan.append(Assignment(h, label, start, start + kind.window, units))
    return plan
