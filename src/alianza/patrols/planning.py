"""From stored inputs to concrete assignments, with no database: the part that must be
reproducible. `plan_compute(inputs, seed)` gives the same result for the same inputs and seed;
services store both, and `services.plan_regenerate` replays them.

inputs (JSON, see docs/patrols.md):
  segments [segment_id], terrain [str], slots [{start, end}] (UTC ISO),
  risk [[float per slot] per segment], method {...},
  unit_types [{name, side, type, agency, window, effectiveness, available}],
  pairs [{us, mx, synergy}],
  crews {unit type name: [{officers: [id], unit: id|null, vehicle: str}]}.
solver_result (JSON): coverage, utilities, schedules [[kind, slot, start, weight]], windows
  {kind: segments} (the solver's window of each unit type and mirrored pair), sampled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from alianza.games.schedules import (
    BorderGame,
    MirroredPairType,
    PatrolUnitType,
    ScheduleSolution,
    _kinds,
    sample_shift_plan,
    solve_schedules,
)


@dataclass(frozen=True)
class AssignmentSpec:
    """One crew on one window in one slot; `pair_key` links the two halves of a mirrored pair."""

    slot: int
    unit_type: str  # the unit type name, e.g. "US:truck"
    side: str
    agency_id: int
    unit_id: int | None
    first: int  # segment position in inputs["segments"]
    last: int  # inclusive
    starts_at: dt.datetime
    ends_at: dt.datetime
    vehicle: str
    officers: tuple[int, ...]
    pair_key: int | None
    schedule_kind: str


def game_from_inputs(inputs: dict) -> BorderGame:
    risk = np.asarray(inputs["risk"], dtype=np.float64)
    top = float(risk.max()) if risk.size else 1.0
    values = risk / (top or 1.0)
    penalty = float(inputs["method"]["capture_penalty"])
    units = [
        PatrolUnitType(
            name=u["name"],
            side=u["side"],
            window=int(u["window"]),
            effectiveness=dict(u["effectiveness"]),
            available=int(u["available"]),
        )
        for u in inputs["unit_types"]
    ]
    pairs = [
        MirroredPairType(us_unit=p["us"], mx_unit=p["mx"], synergy=float(p["synergy"]))
        for p in inputs["pairs"]
    ]
    return BorderGame(
        terrain=list(inputs["terrain"]),
        num_shifts=len(inputs["slots"]),
        defender_covered=np.zeros_like(values),
        defender_uncovered=-values,
        attacker_covered=-penalty * values,
        attacker_uncovered=values,
        unit_types=units,
        pair_types=pairs,
    )


def solve(inputs: dict) -> tuple[BorderGame, ScheduleSolution]:
    game = game_from_inputs(inputs)
    limit = float(inputs["method"].get("solver_time_limit", 60.0))
    return game, solve_schedules(game, time_limit=limit)


def solver_result_json(solution: ScheduleSolution, sampled) -> dict:
    keep = np.flatnonzero(solution.expected_units > 1e-9)
    return {
        "coverage": np.round(solution.coverage, 9).tolist(),
        "defender_utility": solution.defender_utility,
        "attacker_utility": solution.attacker_utility,
        "upper_bound": solution.upper_bound,
        "gap": solution.gap,
        "attacked": list(solution.attacked),
        "iterations": solution.iterations,
        "num_columns": solution.num_columns,
        "status": solution.status,
        "solve_seconds": round(solution.seconds, 4),
        "windows": dict(solution.windows),
        "schedules": [
            [*solution.schedules[i], round(float(solution.expected_units[i]), 9)] for i in keep
        ],
        "sampled": [[a.shift, a.kind, a.start, a.end] for a in sampled],
    }


def sample(game: BorderGame, solution: ScheduleSolution, seed: int):
    return sample_shift_plan(game, solution, seed=np.random.default_rng(seed))


def specs_from_sample(inputs: dict, sampled) -> list[AssignmentSpec]:
    """Give each sampled schedule its crews: the n-th unit of a type in a slot is that type's
    n-th crew, so a crew keeps its officers for the whole shift."""
    by_name = {u["name"]: u for u in inputs["unit_types"]}
    slots = [
        (dt.datetime.fromisoformat(s["start"]), dt.datetime.fromisoformat(s["end"]))
        for s in inputs["slots"]
    ]
    used: dict[tuple[int, str], int] = {}
    specs: list[AssignmentSpec] = []
    pair_key = 0
    for a in sampled:
        start, end = slots[a.shift]
        is_pair = len(a.units) == 2
        key = pair_key if is_pair else None
        pair_key += int(is_pair)
        for name in a.units:
            n = used.get((a.shift, name), 0)
            used[(a.shift, name)] = n + 1
            crew = inputs["crews"][name][n]
            unit = by_name[name]
            specs.append(
                AssignmentSpec(
                    slot=a.shift,
                    unit_type=name,
                    side=unit["side"],
                    agency_id=int(unit["agency"]),
                    unit_id=crew.get("unit"),
                    first=a.start,
                    last=a.end - 1,
                    starts_at=start,
                    ends_at=end,
                    vehicle=crew["vehicle"],
                    officers=tuple(crew["officers"]),
                    pair_key=key,
                    schedule_kind=a.kind,
                )
            )
    return specs


def plan_compute(inputs: dict, seed: int) -> tuple[list[AssignmentSpec], dict]:
    """Solve, sample and crew the plan: the whole reproducible pipeline."""
    game, solution = solve(inputs)
    sampled = sample(game, solution, seed)
    return specs_from_sample(inputs, sampled), solver_result_json(solution, sampled)


@dataclass(frozen=True)
class CoverageItem:
    """A concrete assignment reduced to what coverage needs (positions are segment indexes)."""

    unit_type: str
    first: int
    last: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    paired_with: str | None = None  # the partner's unit type when a mirrored pair is intact


def concrete_coverage(inputs: dict, items: list[CoverageItem], *, cap: bool = True) -> np.ndarray:
    """Coverage (segments x slots) a concrete plan gives, with the solver's model: a mirrored
    pair counts once with the pair's effectiveness, a unit on part of a slot counts for that
    fraction, and coverage is capped at 1 (unless `cap` is False)."""
    terrain = list(inputs["terrain"])
    by_name = {u["name"]: u for u in inputs["unit_types"]}
    synergy = {(p["us"], p["mx"]): float(p["synergy"]) for p in inputs["pairs"]}
    slots = [
        (dt.datetime.fromisoformat(s["start"]), dt.datetime.fromisoformat(s["end"]))
        for s in inputs["slots"]
    ]
    coverage = np.zeros((len(terrain), len(slots)))
    for item in items:
        unit = by_name.get(item.unit_type)
        if unit is None:
            continue
        effect = np.array([float(unit["effectiveness"].get(t, 0.0)) for t in terrain])
        if item.paired_with is not None:
            partner = by_name[item.paired_with]
            other = np.array([float(partner["effectiveness"].get(t, 0.0)) for t in terrain])
            us, mx = (
                (item.unit_type, item.paired_with)
                if unit["side"] == "US"
                else (item.paired_with, item.unit_type)
            )
            effect = np.minimum(1.0, (effect + other) * (1.0 + synergy.get((us, mx), 0.0)))
        for h, (start, end) in enumerate(slots):
            overlap = (min(end, item.ends_at) - max(start, item.starts_at)).total_seconds()
            if overlap <= 0:
                continue
            fraction = overlap / (end - start).total_seconds()
            first, last = max(0, item.first), min(len(terrain) - 1, item.last)
            coverage[first : last + 1, h] += fraction * effect[first : last + 1]
    return np.minimum(coverage, 1.0) if cap else coverage


def schedule_windows(inputs: dict, solver_result: dict) -> dict[str, int]:
    """Window length (segments) of each schedule kind, unit type or mirrored pair, as the
    solver used them: stored with its result (`ScheduleSolution.windows`), or for a result
    stored without them, from the game the inputs describe."""
    if windows := solver_result.get("windows"):
        return {label: int(window) for label, window in windows.items()}
    return {kind.label: kind.window for kind in _kinds(game_from_inputs(inputs))}


def expected_units(inputs: dict, solver_result: dict) -> np.ndarray:
    """Units (a mirrored pair counts as one) the solver sends on average over each segment in
    each slot (segments x slots): the sum of the weights of the schedules covering it. Above 1,
    the solver's plan calls for more than one unit there (coverage adds up, capped at 1)."""
    segments, slots = len(inputs["segments"]), len(inputs["slots"])
    windows = schedule_windows(inputs, solver_result)
    expected = np.zeros((segments, slots))
    for label, slot, start, weight in solver_result.get("schedules", []):
        expected[start : start + windows[label], slot] += float(weight)
    return expected


@dataclass(frozen=True)
class WindowUnit:
    """One unit out in one slot: a crew, or both halves of an intact mirrored pair."""

    ids: tuple[int, ...]  # assignment ids
    slot: int
    first: int  # segment positions, inclusive
    last: int


@dataclass(frozen=True)
class UnitOverlap:
    """Units whose windows overlap in one slot, and the stretch at least two of them share."""

    slot: int
    units: tuple[WindowUnit, ...]
    first: int
    last: int


def overlapping_units(units: list[WindowUnit]) -> list[UnitOverlap]:
    """Stretches of one slot that two or more units cover, each with the units on it: every
    maximal run of segments covered at least twice. A chain (A overlaps B, B overlaps C) gives
    the stretches A-B and B-C, never the span from A to C."""
    found: list[UnitOverlap] = []
    for slot in sorted({u.slot for u in units}):
        here = sorted((u for u in units if u.slot == slot), key=lambda u: (u.first, u.ids))
        if len(here) < 2:
            continue
        low, high = min(u.first for u in here), max(u.last for u in here)
        counts = np.zeros(high - low + 2, dtype=int)  # a zero past the end closes the last run
        for u in here:
            counts[u.first - low : u.last - low + 1] += 1
        shared = counts >= 2
        edges = np.flatnonzero(np.diff(np.concatenate([[False], shared]).astype(int)))
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            first, last = int(start) + low, int(stop) - 1 + low
            found.append(
                UnitOverlap(
                    slot=slot,
                    units=tuple(u for u in here if u.first <= last and first <= u.last),
                    first=first,
                    last=last,
                )
            )
    return found
