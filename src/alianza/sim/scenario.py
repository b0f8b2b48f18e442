"""Scenarios: plain data describing a stretch of border, its smugglers and its defenders.

A scenario is read from TOML (or any mapping with the same shape) and compiled into a
`Scenario` holding NumPy arrays indexed by segment, time slot, commodity and unit type.
Every validation error names the offending field (e.g. ``organisations[1].home_corridor``)
so a scenario author can fix it without reading this code.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

DIRECTIONS = ("north", "south")


class ScenarioError(ValueError):
    """A malformed scenario; the message starts with the path of the offending field."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Commodity:
    name: str
    direction: str  # "north" or "south"
    unit: str
    # Multiplies detection probability: southbound loads are searched less between the ports.
    detect_mult: float = 1.0


@dataclass(frozen=True)
class Corridor:
    name: str
    from_km: float
    to_km: float
    value: Mapping[str, float]  # crossing-value multiplier per commodity (1.0 if absent)


@dataclass(frozen=True)
class Flow:
    """What one organisation tries to move each day for one commodity."""

    commodity: str
    attempts_per_day: float  # Poisson mean of crossing attempts per day
    load: float  # commodity units carried per attempt (lb, people, USD, firearms)
    cost_per_attempt: float = 0.0  # USD per attempt on easy terrain; scaled by terrain cost


@dataclass(frozen=True)
class Organisation:
    name: str
    home_corridor: str
    flows: tuple[Flow, ...]
    budget_per_day: float = math.inf  # USD; caps attempts when expected spending exceeds it
    learning_rate: float = 0.3  # weight given to a new observation of a cell
    memory_days: float = 30.0  # unobserved beliefs relax to the prior with this time constant
    prior_risk: float = 0.1  # perceived detection risk before any observation
    scout_prob: float = 0.2  # daily chance a lookout sees a given home-area cell
    scout_km: float = 30.0  # lookouts watch the home corridor and this far either side
    # SUQR-style weights: utility = value*v - risk*r - distance*d/100km - terrain*cost + slot
    w_value: float = 2.0
    w_risk: float = 6.0
    w_distance: float = 1.0
    w_terrain: float = 1.0
    slot_preference: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitType:
    name: str
    count: int  # units on duty in every time slot
    apprehend_prob: float  # P(apprehension | detected)
    detection: Mapping[str, float]  # P(detect | patrolled) by terrain
    slot_mult: Mapping[str, float] = field(default_factory=dict)  # by time slot (1.0 if absent)


@dataclass(frozen=True, eq=False)  # arrays inside: compare and hash by identity
class Segments:
    """Border segments ordered along the line; arrays of equal length."""

    km_start: np.ndarray
    km_end: np.ndarray
    terrain: np.ndarray  # index into Scenario.terrains
    access: np.ndarray  # 0 (no road) .. 1 (paved road to the line)
    corridor: np.ndarray  # index into Scenario.corridors, -1 outside every corridor

    @property
    def n(self) -> int:
        return int(self.km_start.size)

    @property
    def km_mid(self) -> np.ndarray:
        return 0.5 * (self.km_start + self.km_end)


@dataclass(frozen=True, eq=False)  # arrays inside: compare and hash by identity
class Scenario:
    name: str
    slots: tuple[str, ...]
    terrains: tuple[str, ...]
    terrain_cost: np.ndarray  # (n_terrains,)
    segments: Segments
    corridors: tuple[Corridor, ...]
    commodities: tuple[Commodity, ...]
    organisations: tuple[Organisation, ...]
    units: tuple[UnitType, ...]
    value: np.ndarray  # (C, S) crossing value per commodity and segment, max 1 per commodity
    detection: np.ndarray  # (U, S, T) P(detect | unit of that type patrols the cell)
    turn_back_share: float  # share of detected, not apprehended attempts that turn back
    pressured_corridor: str | None
    days: int
    description: str = ""
    calibration: Mapping[str, Any] = field(default_factory=dict)

    @property
    def n_segments(self) -> int:
        return self.segments.n

    @property
    def n_slots(self) -> int:
        return len(self.slots)

    @property
    def slot_hours(self) -> float:
        return 24.0 / len(self.slots)

    @property
    def units_per_slot(self) -> int:
        return int(sum(u.count for u in self.units))

    def corridor_index(self, name: str) -> int:
        for i, c in enumerate(self.corridors):
            if c.name == name:
                return i
        known = ", ".join(c.name for c in self.corridors)
        raise ScenarioError("pressured_corridor", f"unknown corridor {name!r} (known: {known})")

    def corridor_mask(self, name: str) -> np.ndarray:
        return self.segments.corridor == self.corridor_index(name)

    def mean_detection(self) -> np.ndarray:
        """(S, T) detection probability of an average unit drawn from the on-duty pool."""
        counts = np.array([u.count for u in self.units], dtype=float)
        if counts.sum() == 0:
            return np.zeros((self.n_segments, self.n_slots))
        return np.tensordot(counts / counts.sum(), self.detection, axes=1)


# --------------------------------------------------------------------------------------
# Field readers: each raises ScenarioError with the dotted path of the field.


def _req(data: Mapping[str, Any], key: str, path: str) -> Any:
    if not isinstance(data, Mapping):
        raise ScenarioError(path, f"expected a table, got {type(data).__name__}")
    if key not in data:
        raise ScenarioError(f"{path}.{key}" if path else key, "missing required field")
    return data[key]


def _num(
    value: Any,
    path: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(path, f"expected a number, got {value!r}")
    v = float(value)
    if math.isnan(v):
        raise ScenarioError(path, "must not be NaN")
    if lo is not None and (v < lo or (lo_open and v == lo)):
        raise ScenarioError(path, f"must be {'>' if lo_open else '>='} {lo}, got {v}")
    if hi is not None and v > hi:
        raise ScenarioError(path, f"must be <= {hi}, got {v}")
    return v


def _opt_num(data: Mapping[str, Any], key: str, path: str, default: float, **kw: Any) -> float:
    if key not in data:
        return default
    return _num(data[key], f"{path}.{key}", **kw)


def _str(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise ScenarioError(path, f"expected a non-empty string, got {value!r}")
    return value


def _list(value: Any, path: str, *, nonempty: bool = True) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise ScenarioError(path, f"expected a list, got {type(value).__name__}")
    if nonempty and not value:
        raise ScenarioError(path, "must not be empty")
    return list(value)


def _table(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ScenarioError(path, f"expected a table, got {type(value).__name__}")
    return value


def _name_map(
    value: Any, path: str, known: Sequence[str], *, lo: float = 0.0, hi: float | None = None
) -> dict[str, float]:
    table = _table(value, path)
    out = {}
    for k, v in table.items():
        if k not in known:
            raise ScenarioError(f"{path}.{k}", f"unknown name (known: {', '.join(known)})")
        out[k] = _num(v, f"{path}.{k}", lo=lo, hi=hi)
    return out


def _unique(names: list[str], path: str) -> None:
    seen: set[str] = set()
    for i, n in enumerate(names):
        if n in seen:
            raise ScenarioError(f"{path}[{i}].name", f"duplicate name {n!r}")
        seen.add(n)


# --------------------------------------------------------------------------------------
# Segments: a synthetic line (km ranges) or an explicit list of segment dicts.


def segments_from_line(line: Mapping[str, Any], *, path: str = "line") -> list[dict[str, Any]]:
    """Cut a straight line of `length_km` into `segment_km` pieces; km-range overrides
    set terrain and access (later ranges win)."""
    length = _num(_req(line, "length_km", path), f"{path}.length_km", lo=0, lo_open=True)
    step = _opt_num(line, "segment_km", path, 1.0, lo=0, lo_open=True)
    terrain = _str(line.get("default_terrain", "desert"), f"{path}.default_terrain")
    access = _opt_num(line, "default_access", path, 0.2, lo=0, hi=1)
    n = max(1, int(round(length / step)))
    edges = np.linspace(0.0, length, n + 1)
    mids = 0.5 * (edges[:-1] + edges[1:])
    terr = np.array([terrain] * n, dtype=object)
    acc = np.full(n, access)
    for i, r in enumerate(_list(line.get("ranges", []), f"{path}.ranges", nonempty=False)):
        p = f"{path}.ranges[{i}]"
        a = _num(_req(r, "from_km", p), f"{p}.from_km")
        b = _num(_req(r, "to_km", p), f"{p}.to_km")
        if b <= a:
            raise ScenarioError(f"{p}.to_km", f"must be greater than from_km ({a}), got {b}")
        sel = (mids >= a) & (mids < b)
        if "terrain" in r:
            terr[sel] = _str(r["terrain"], f"{p}.terrain")
        if "access" in r:
            acc[sel] = _num(r["access"], f"{p}.access", lo=0, hi=1)
    return [
        {"km_start": float(edges[i]), "km_end": float(edges[i + 1]), "terrain": str(terr[i]),
         "access": float(acc[i])}
        for i in range(n)
    ]  # fmt: skip


# --------------------------------------------------------------------------------------
# Compilation


def scenario_from_segments(
    *, segments: Sequence[Mapping[str, Any]], config: Mapping[str, Any]
) -> Scenario:
    """Adapter for real boundary segments (e.g. from the web app's border segmenting).

    `segments` is a list of dicts with ``km_start``, ``km_end``, ``terrain`` and optionally
    ``access`` (0..1, default 0.2) and ``corridor`` (a corridor name; if absent, corridors
    are assigned from their km ranges). `config` is the rest of a scenario mapping
    (everything but ``[line]``/``[[segments]]``).
    """
    data = dict(config)
    data.pop("line", None)
    data["segments"] = [dict(s) for s in segments]
    return scenario_from_dict(data)


def scenario_from_dict(data: Mapping[str, Any]) -> Scenario:  # noqa: C901 - one linear pass
    """Validate a scenario mapping (as read from TOML) and compile it to arrays."""
    data = _table(data, "<scenario>")
    meta = _table(data.get("scenario", {}), "scenario")
    name = _str(meta.get("name", "scenario"), "scenario.name")
    days = int(_opt_num(meta, "days", "scenario", 365, lo=1))
    slots = tuple(
        _str(s, f"scenario.slots[{i}]")
        for i, s in enumerate(_list(meta.get("slots", ["night", "day"]), "scenario.slots"))
    )
    if len(set(slots)) != len(slots):
        raise ScenarioError("scenario.slots", f"duplicate slot names in {list(slots)}")
    access_weight = _opt_num(meta, "access_value_weight", "scenario", 1.0, lo=0)

    # Terrains
    terr_tab = _table(_req(data, "terrain", ""), "terrain")
    if not terr_tab:
        raise ScenarioError("terrain", "must define at least one terrain")
    terrains = tuple(terr_tab)
    terrain_cost = np.array(
        [_opt_num(_table(terr_tab[t], f"terrain.{t}"), "cost", f"terrain.{t}", 0.0, lo=0)
         for t in terrains]
    )  # fmt: skip

    # Segments
    if "segments" in data and "line" in data:
        raise ScenarioError("segments", "give either [line] or [[segments]], not both")
    if "segments" in data:
        seg_rows, seg_path = _list(data["segments"], "segments"), "segments"
    elif "line" in data:
        seg_rows, seg_path = segments_from_line(_table(data["line"], "line")), "line"
    else:
        raise ScenarioError("line", "missing: give [line] (synthetic) or [[segments]]")

    # Corridors
    corridors: list[Corridor] = []
    raw_corr = _list(data.get("corridors", []), "corridors", nonempty=False)
    _unique([_str(_req(c, "name", f"corridors[{i}]"), f"corridors[{i}].name")
             for i, c in enumerate(raw_corr)], "corridors")  # fmt: skip

    # Commodities (needed to validate corridor values)
    raw_com = _list(_req(data, "commodities", ""), "commodities")
    commodities = []
    for i, c in enumerate(raw_com):
        p = f"commodities[{i}]"
        direction = _str(_req(c, "direction", p), f"{p}.direction")
        if direction not in DIRECTIONS:
            raise ScenarioError(f"{p}.direction", f"must be one of {DIRECTIONS}, got {direction!r}")
        commodities.append(
            Commodity(
                name=_str(_req(c, "name", p), f"{p}.name"),
                direction=direction,
                unit=_str(c.get("unit", "unit"), f"{p}.unit"),
                detect_mult=_opt_num(c, "detect_mult", p, 1.0, lo=0, hi=1),
            )
        )
    _unique([c.name for c in commodities], "commodities")
    com_names = [c.name for c in commodities]

    for i, c in enumerate(raw_corr):
        p = f"corridors[{i}]"
        a = _num(_req(c, "from_km", p), f"{p}.from_km")
        b = _num(_req(c, "to_km", p), f"{p}.to_km")
        if b <= a:
            raise ScenarioError(f"{p}.to_km", f"must be greater than from_km ({a}), got {b}")
        corridors.append(
            Corridor(
                name=c["name"],
                from_km=a,
                to_km=b,
                value=_name_map(c.get("value", {}), f"{p}.value", com_names),
            )
        )
    corr_names = [c.name for c in corridors]

    n = len(seg_rows)
    km_start, km_end = np.empty(n), np.empty(n)
    terr_idx, access = np.empty(n, dtype=np.int64), np.empty(n)
    corr_idx = np.full(n, -1, dtype=np.int64)
    for i, s in enumerate(seg_rows):
        p = f"{seg_path}[{i}]" if seg_path == "segments" else seg_path
        km_start[i] = _num(_req(s, "km_start", p), f"{p}.km_start")
        km_end[i] = _num(_req(s, "km_end", p), f"{p}.km_end")
        if km_end[i] <= km_start[i]:
            raise ScenarioError(f"{p}.km_end", f"must be greater than km_start ({km_start[i]})")
        t = _str(_req(s, "terrain", p), f"{p}.terrain")
        if t not in terrains:
            raise ScenarioError(f"{p}.terrain", f"unknown terrain {t!r} (known: {terrains})")
        terr_idx[i] = terrains.index(t)
        access[i] = _num(s.get("access", 0.2), f"{p}.access", lo=0, hi=1)
        if s.get("corridor") is not None:
            cn = _str(s["corridor"], f"{p}.corridor")
            if cn not in corr_names:
                raise ScenarioError(f"{p}.corridor", f"unknown corridor {cn!r}")
            corr_idx[i] = corr_names.index(cn)
    mids = 0.5 * (km_start + km_end)
    for j, c in enumerate(corridors):
        # Explicit segment corridors win; km ranges fill the rest.
        corr_idx[(corr_idx == -1) & (mids >= c.from_km) & (mids < c.to_km)] = j
    segments = Segments(km_start, km_end, terr_idx, access, corr_idx)
    for j, c in enumerate(corridors):
        if not np.any(corr_idx == j):
            raise ScenarioError(f"corridors[{j}]", f"corridor {c.name!r} contains no segment")

    # Value per commodity and segment: corridor multiplier x road access, normalised so the
    # best segment is worth 1 (organisations compare places, not absolute prices).
    value = np.ones((len(commodities), n))
    for j, c in enumerate(corridors):
        sel = corr_idx == j
        for k, cname in enumerate(com_names):
            value[k, sel] *= c.value.get(cname, 1.0)
    value *= 1.0 + access_weight * access[None, :]
    value /= value.max(axis=1, keepdims=True)

    # Organisations
    raw_org = _list(_req(data, "organisations", ""), "organisations")
    orgs = []
    for i, o in enumerate(raw_org):
        p = f"organisations[{i}]"
        home = _str(_req(o, "home_corridor", p), f"{p}.home_corridor")
        if home not in corr_names:
            raise ScenarioError(
                f"{p}.home_corridor", f"unknown corridor {home!r} (known: {', '.join(corr_names)})"
            )
        flows = []
        for j, f in enumerate(_list(_req(o, "flows", p), f"{p}.flows")):
            fp = f"{p}.flows[{j}]"
            cname = _str(_req(f, "commodity", fp), f"{fp}.commodity")
            if cname not in com_names:
                raise ScenarioError(
                    f"{fp}.commodity",
                    f"unknown commodity {cname!r} (known: {', '.join(com_names)})",
                )
            flows.append(
                Flow(
                    commodity=cname,
                    attempts_per_day=_num(
                        _req(f, "attempts_per_day", fp), f"{fp}.attempts_per_day", lo=0
                    ),
                    load=_opt_num(f, "load", fp, 1.0, lo=0, lo_open=True),
                    cost_per_attempt=_opt_num(f, "cost_per_attempt", fp, 0.0, lo=0),
                )
            )
        w = _table(o.get("weights", {}), f"{p}.weights")
        for k in w:
            if k not in ("value", "risk", "distance", "terrain"):
                raise ScenarioError(
                    f"{p}.weights.{k}", "unknown weight (value, risk, distance, terrain)"
                )
        orgs.append(
            Organisation(
                name=_str(_req(o, "name", p), f"{p}.name"),
                home_corridor=home,
                flows=tuple(flows),
                budget_per_day=_opt_num(o, "budget_per_day", p, math.inf, lo=0),
                learning_rate=_opt_num(o, "learning_rate", p, 0.3, lo=0, hi=1),
                memory_days=_opt_num(o, "memory_days", p, 30.0, lo=1),
                prior_risk=_opt_num(o, "prior_risk", p, 0.1, lo=0, hi=1),
                scout_prob=_opt_num(o, "scout_prob", p, 0.2, lo=0, hi=1),
                scout_km=_opt_num(o, "scout_km", p, 30.0, lo=0),
                w_value=_opt_num(w, "value", f"{p}.weights", 2.0),
                w_risk=_opt_num(w, "risk", f"{p}.weights", 6.0, lo=0),
                w_distance=_opt_num(w, "distance", f"{p}.weights", 1.0, lo=0),
                w_terrain=_opt_num(w, "terrain", f"{p}.weights", 1.0, lo=0),
                slot_preference=_name_map(
                    o.get("slot_preference", {}), f"{p}.slot_preference", slots, lo=-math.inf
                ),
            )
        )
    _unique([o.name for o in orgs], "organisations")

    # Defender units
    raw_units = _list(data.get("units", []), "units", nonempty=False)
    units = []
    detection = np.zeros((len(raw_units), n, len(slots)))
    for i, u in enumerate(raw_units):
        p = f"units[{i}]"
        count = _num(_req(u, "count", p), f"{p}.count", lo=0)
        if count != int(count):
            raise ScenarioError(f"{p}.count", f"must be a whole number, got {count}")
        det = _name_map(_req(u, "detection", p), f"{p}.detection", terrains, hi=1)
        missing = [t for t in terrains if t not in det]
        if missing:
            raise ScenarioError(f"{p}.detection", f"missing terrain(s) {missing}")
        mult = _name_map(u.get("slot_mult", {}), f"{p}.slot_mult", slots)
        unit = UnitType(
            name=_str(_req(u, "name", p), f"{p}.name"),
            count=int(count),
            apprehend_prob=_num(_req(u, "apprehend_prob", p), f"{p}.apprehend_prob", lo=0, hi=1),
            detection=det,
            slot_mult=mult,
        )
        units.append(unit)
        by_terrain = np.array([det[t] for t in terrains])[terr_idx]
        by_slot = np.array([mult.get(s, 1.0) for s in slots])
        detection[i] = np.clip(by_terrain[:, None] * by_slot[None, :], 0.0, 1.0)
    _unique([u.name for u in units], "units")

    outcomes = _table(data.get("outcomes", {}), "outcomes")
    turn_back = _opt_num(outcomes, "turn_back_share", "outcomes", 0.5, lo=0, hi=1)

    pressured = meta.get("pressured_corridor")
    if pressured is not None:
        pressured = _str(pressured, "scenario.pressured_corridor")
        if pressured not in corr_names:
            raise ScenarioError(
                "scenario.pressured_corridor",
                f"unknown corridor {pressured!r} (known: {', '.join(corr_names)})",
            )

    return Scenario(
        name=name,
        slots=slots,
        terrains=terrains,
        terrain_cost=terrain_cost,
        segments=segments,
        corridors=tuple(corridors),
        commodities=tuple(commodities),
        organisations=tuple(orgs),
        units=tuple(units),
        value=value,
        detection=detection,
        turn_back_share=turn_back,
        pressured_corridor=pressured,
        days=days,
        description=str(meta.get("description", "")),
        calibration=dict(_table(data.get("calibration", {}), "calibration")),
    )


def packaged_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package (e.g. ``nogales``)."""
    folder = resources.files("alianza.sim") / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def read_scenario_toml(source: str | Path) -> dict[str, Any]:
    """Read the raw mapping from a TOML path or a packaged scenario name."""
    path = Path(source)
    if path.suffix != ".toml" and not path.exists():
        res = resources.files("alianza.sim") / "scenarios" / f"{source}.toml"
        if not res.is_file():
            raise FileNotFoundError(
                f"no scenario file {source!r} and no packaged scenario of that name "
                f"(packaged: {', '.join(packaged_scenarios())})"
            )
        text = res.read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(str(source), f"invalid TOML: {exc}") from exc


def load_scenario(source: str | Path) -> Scenario:
    """Load a scenario from a TOML file path or a packaged name such as ``"nogales"``."""
    return scenario_from_dict(read_scenario_toml(source))


def synthetic_config(
    *,
    n_segments: int = 60,
    n_corridors: int = 3,
    slots: Sequence[str] = ("night", "day"),
    units: int = 6,
    detect: float = 0.8,
    apprehend: float = 0.8,
    attempts_per_day: float = 20.0,
    n_orgs: int = 1,
    learning_rate: float = 0.3,
    memory_days: float = 30.0,
    w_risk: float = 6.0,
    w_distance: float = 1.0,
) -> dict[str, Any]:
    """A small, flat test scenario: a 1 km-per-segment line with evenly spaced corridors.

    Returned as a plain mapping so a test can tweak any field before compiling it.
    """
    width = n_segments / n_corridors
    corridors = [
        {"name": f"c{k}", "from_km": k * width, "to_km": (k + 1) * width,
         "value": {"drugs": 1.5 if k == 0 else 1.0}}
        for k in range(n_corridors)
    ]  # fmt: skip
    orgs = [
        {"name": f"org{k}", "home_corridor": f"c{k % n_corridors}",
         "learning_rate": learning_rate, "memory_days": memory_days,
         "weights": {"risk": w_risk, "distance": w_distance},
         "flows": [{"commodity": "drugs", "attempts_per_day": attempts_per_day, "load": 50.0},
                   {"commodity": "cash", "attempts_per_day": attempts_per_day / 4,
                    "load": 20000.0}]}
        for k in range(n_orgs)
    ]  # fmt: skip
    return {
        "scenario": {"name": "synthetic", "days": 60, "slots": list(slots),
                     "pressured_corridor": "c0"},
        "line": {"length_km": float(n_segments), "segment_km": 1.0, "default_terrain": "desert",
                 "default_access": 0.5},
        "terrain": {"desert": {"cost": 0.0}},
        "corridors": corridors,
        "commodities": [{"name": "drugs", "direction": "north", "unit": "lb"},
                        {"name": "cash", "direction": "south", "unit": "USD"}],
        "organisations": orgs,
        "units": [{"name": "patrol", "count": units, "apprehend_prob": apprehend,
                   "detection": {"desert": detect}}],
        "outcomes": {"turn_back_share": 0.5},
    }  # fmt: skip
