"""The day-by-day smuggling-flow model, vectorised over crossing attempts.

Each day:
1. the strategy under test gives patrol coverage (S, T); concrete patrols are drawn from it
   (each cell is patrolled with exactly its coverage probability, unit types shuffled);
2. every organisation x commodity flow draws its attempts (Poisson, capped by budget) and
   picks a segment x slot for each from a logit (SUQR-style) choice over value, perceived
   risk, distance from home and terrain;
3. each attempt ends in exactly one outcome: interdicted, turned back, or got away (seen or
   unseen);
4. organisations update perceived risk from their own outcomes and from lookouts watching
   patrols near home, and forget unobserved cells toward their prior; the defender records
   the events it detected.

Random numbers come from separate streams (patrols, attempts, outcomes, lookouts, strategy)
spawned from the run seed, so every strategy run with the same seed faces the same draws as
far as possible (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .history import History
from .metrics import GOT_AWAY_SEEN, GOT_AWAY_UNSEEN, INTERDICTED, TURNED_BACK, RunResult
from .scenario import Scenario

if TYPE_CHECKING:
    from .strategies import Strategy

COVERAGE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Streams:
    patrol: np.random.Generator
    attack: np.random.Generator
    outcome: np.random.Generator
    scout: np.random.Generator
    strategy: np.random.Generator


def make_streams(seed: int) -> Streams:
    ss = np.random.SeedSequence(seed).spawn(5)
    return Streams(*(np.random.default_rng(s) for s in ss))


class Compiled:
    """Per-scenario arrays the daily loop needs, flattened over cells i = s * T + t."""

    def __init__(self, scenario: Scenario) -> None:
        sc = scenario
        S, T = sc.n_segments, sc.n_slots
        self.S, self.T, self.N = S, T, S * T
        com_names = [c.name for c in sc.commodities]
        corr_names = [c.name for c in sc.corridors]
        mid = sc.segments.km_mid
        terr_cost = sc.terrain_cost[sc.segments.terrain]  # (S,)
        pair_org, pair_com, mean, load, base, cost = [], [], [], [], [], []
        self.lr = np.array([o.learning_rate for o in sc.organisations])
        self.prior = np.array([o.prior_risk for o in sc.organisations])
        self.forget = np.array([1.0 / o.memory_days for o in sc.organisations])
        self.scout_prob = np.array([o.scout_prob for o in sc.organisations])
        self.scout_cells: list[np.ndarray] = []
        for k, o in enumerate(sc.organisations):
            home = sc.corridors[corr_names.index(o.home_corridor)]
            dist = np.maximum(0.0, np.maximum(home.from_km - mid, mid - home.to_km))  # km
            slot = np.array([o.slot_preference.get(s, 0.0) for s in sc.slots])
            near = dist <= o.scout_km
            self.scout_cells.append(np.flatnonzero(np.repeat(near, T)))
            for f in o.flows:
                c = com_names.index(f.commodity)
                u = o.w_value * sc.value[c] - o.w_distance * dist / 100.0 - o.w_terrain * terr_cost
                pair_org.append(k)
                pair_com.append(c)
                mean.append(f.attempts_per_day)
                load.append(f.load)
                base.append((u[:, None] + slot[None, :]).ravel())
                cost.append(np.repeat(f.cost_per_attempt * (1.0 + terr_cost), T))
        self.O = len(sc.organisations)
        self.P = len(pair_org)
        self.pair_org = np.array(pair_org, dtype=np.int64)
        self.pair_com = np.array(pair_com, dtype=np.int64)
        self.mean = np.array(mean, dtype=float)
        self.load = np.array(load, dtype=float)
        self.base_util = np.array(base).reshape(self.P, self.N)
        self.cost = np.array(cost).reshape(self.P, self.N)
        self.has_cost = bool(np.any(self.cost > 0))
        self.budget = np.array([o.budget_per_day for o in sc.organisations])
        self.w_risk = np.array([sc.organisations[k].w_risk for k in pair_org])
        self.cmult = np.array([c.detect_mult for c in sc.commodities])
        self.C = len(com_names)
        U = len(sc.units)
        self.U = U
        # Row U (an extra zero row) stands for "no unit", so indexing needs no masking.
        self.detect = np.zeros((U + 1, self.N))
        self.detect[:U] = sc.detection.reshape(U, self.N)
        self.apprehend = np.array([u.apprehend_prob for u in sc.units] + [0.0])
        self.pool = np.repeat(np.arange(U), [u.count for u in sc.units])
        self.units_per_slot = sc.units_per_slot
        if sc.pressured_corridor is not None:
            pmask = sc.corridor_mask(sc.pressured_corridor)
        else:
            pmask = np.zeros(S, dtype=bool)
        self.pressured_seg = pmask
        self.pressured = np.repeat(pmask, T)
        self.segment_of_cell = np.repeat(np.arange(S), T)

    def choice_probs(self, risk: np.ndarray) -> np.ndarray:
        """(P, N) logit choice probabilities given perceived risk (O, N)."""
        u = self.base_util - self.w_risk[:, None] * risk[self.pair_org]
        u -= u.max(axis=1, keepdims=True)
        w = np.exp(u)
        w /= w.sum(axis=1, keepdims=True)
        return w

    def baseline_in_share(self) -> float:
        """Expected share of attempts in the pressured corridor before any learning."""
        if self.P == 0 or self.mean.sum() == 0:
            return 0.0
        risk0 = np.repeat(self.prior[:, None], self.N, axis=1)
        p_in = self.choice_probs(risk0)[:, self.pressured].sum(axis=1)
        return float((self.mean * p_in).sum() / self.mean.sum())


def draw_patrols(coverage: np.ndarray, *, comp: Compiled, rng: np.random.Generator) -> np.ndarray:
    """Concrete patrols for one day: (N,) unit type per cell, comp.U where unpatrolled.

    Randomised systematic sampling per slot: each cell is patrolled with probability equal
    to its coverage, and exactly floor/ceil(sum of coverage) units go out.
    """
    S, T = comp.S, comp.T
    unit_at = np.full((S, T), comp.U, dtype=np.int64)
    for t in range(T):
        c = coverage[:, t]
        k = c.sum()
        if k <= COVERAGE_TOLERANCE:
            continue
        perm = rng.permutation(S)  # random order so patrols are not spatially regular
        cum = np.cumsum(c[perm])
        pts = rng.random() + np.arange(int(np.ceil(k)))
        pts = pts[pts < cum[-1]]
        cells = perm[np.searchsorted(cum, pts, side="right")]
        types = rng.permutation(comp.pool)[: cells.size]
        unit_at[cells, t] = types
    return unit_at.ravel()


def check_coverage(coverage: np.ndarray, *, comp: Compiled, strategy: str) -> np.ndarray:
    cov = np.asarray(coverage, dtype=float)
    if cov.shape != (comp.S, comp.T):
        raise ValueError(
            f"strategy {strategy!r} returned coverage of shape {cov.shape}, "
            f"expected (segments, slots) = {(comp.S, comp.T)}"
        )
    if np.any(~np.isfinite(cov)) or cov.min() < -COVERAGE_TOLERANCE:
        raise ValueError(f"strategy {strategy!r} returned negative or non-finite coverage")
    if cov.max() > 1 + COVERAGE_TOLERANCE:
        raise ValueError(f"strategy {strategy!r} returned coverage above 1 (a probability)")
    per_slot = cov.sum(axis=0)
    if np.any(per_slot > comp.units_per_slot + 1e-6 * max(1, comp.units_per_slot)):
        raise ValueError(
            f"strategy {strategy!r} uses {per_slot.max():.2f} units in a slot; "
            f"only {comp.units_per_slot} are on duty"
        )
    return np.clip(cov, 0.0, 1.0)


def simulate(
    *,
    scenario: Scenario,
    strategy: Strategy,
    seed: int,
    days: int | None = None,
    compiled: Compiled | None = None,
) -> RunResult:
    """Run one strategy on one scenario for `days` (default: the scenario's) from `seed`."""
    comp = compiled if compiled is not None else Compiled(scenario)
    days = scenario.days if days is None else days
    st = make_streams(seed)
    strategy.reset(scenario=scenario, rng=st.strategy)
    history = History(n_segments=comp.S, n_slots=comp.T)
    C, N, n_org = comp.C, comp.N, comp.O
    risk = np.repeat(comp.prior[:, None], N, axis=1)
    tb = scenario.turn_back_share

    outcomes = np.zeros((days, C, 4), dtype=np.int64)
    volume = np.zeros((days, C, 4))
    drawn = np.zeros(days, dtype=np.int64)
    in_p = np.zeros(days, dtype=np.int64)
    hours = np.zeros(days)
    seg_att = np.zeros(comp.S, dtype=np.int64)
    seg_int = np.zeros(comp.S, dtype=np.int64)
    pair_offset = np.arange(comp.P, dtype=float)[:, None]

    for day in range(days):
        cov = check_coverage(strategy.coverage(day, history), comp=comp, strategy=strategy.name)
        unit_at = draw_patrols(cov, comp=comp, rng=st.patrol)
        hours[day] = np.count_nonzero(unit_at < comp.U) * scenario.slot_hours

        # Attempts: how many, then where and when (inverse CDF on stacked per-pair CDFs).
        probs = comp.choice_probs(risk)
        counts = st.attack.poisson(comp.mean)
        if comp.has_cost:
            counts = _cap_by_budget(counts, probs=probs, comp=comp)
        total = int(counts.sum())
        drawn[day] = total
        seen = np.zeros((n_org, N), dtype=bool)
        events = np.zeros((comp.S, comp.T))
        if total > 0:
            pidx = np.repeat(np.arange(comp.P), counts)
            cdf = np.cumsum(probs, axis=1)
            cdf /= cdf[:, -1:]
            cdf += pair_offset  # rows become consecutive intervals [p, p + 1]
            # Sorting keeps each pair's block (values in [p, p + 1)) and makes the search
            # cache-friendly; attempts of one flow are exchangeable, so order carries no meaning.
            draws = np.sort(st.attack.random(total) + pidx)
            pos = np.searchsorted(cdf.ravel(), draws, side="right")
            cell = np.clip(pos - pidx * N, 0, N - 1)

            # Outcomes: one detection draw and one disposition draw per attempt.
            unit = unit_at[cell]
            com = comp.pair_com[pidx]
            p_det = comp.detect[unit, cell] * comp.cmult[com]
            r = st.outcome.random((2, total))
            detected = r[0] < p_det
            p_app = comp.apprehend[unit]
            code = np.full(total, GOT_AWAY_UNSEEN, dtype=np.int64)
            code[detected] = GOT_AWAY_SEEN
            code[detected & (r[1] < p_app + (1.0 - p_app) * tb)] = TURNED_BACK
            code[detected & (r[1] < p_app)] = INTERDICTED
            key = com * 4 + code
            outcomes[day] = np.bincount(key, minlength=C * 4).reshape(C, 4)
            volume[day] = np.bincount(key, weights=comp.load[pidx], minlength=C * 4).reshape(C, 4)
            in_p[day] = np.count_nonzero(comp.pressured[cell])
            seg = comp.segment_of_cell[cell]
            seg_att += np.bincount(seg, minlength=comp.S)
            seg_int += np.bincount(seg[code == INTERDICTED], minlength=comp.S)

            # Learning from own attempts: move belief toward the observed detection rate, more
            # strongly the more attempts saw the cell.
            okey = comp.pair_org[pidx] * N + cell
            att = np.bincount(okey, minlength=n_org * N).reshape(n_org, N)
            det = np.bincount(okey[detected], minlength=n_org * N).reshape(n_org, N)
            seen = att > 0
            events = np.bincount(cell[detected], minlength=N).reshape(comp.S, comp.T)
            if np.any(seen):
                o_idx, c_idx = np.nonzero(seen)
                a = 1.0 - (1.0 - comp.lr[o_idx]) ** att[o_idx, c_idx]
                rate = det[o_idx, c_idx] / att[o_idx, c_idx]
                risk[o_idx, c_idx] += a * (rate - risk[o_idx, c_idx])
        # Lookouts: each home-area cell is watched with scout_prob; a patrol seen there
        # signals its detection probability, an empty cell signals zero.
        for k in range(n_org):
            cells = comp.scout_cells[k]
            if comp.scout_prob[k] <= 0 or cells.size == 0:
                continue
            watched = cells[st.scout.random(cells.size) < comp.scout_prob[k]]
            signal = comp.detect[unit_at[watched], watched]
            risk[k, watched] += comp.lr[k] * (signal - risk[k, watched])
            seen[k, watched] = True
        _forget(risk, seen, comp)
        history.record(events=events, coverage=cov)

    return RunResult(
        strategy=getattr(strategy, "label", strategy.name),
        seed=seed,
        commodities=tuple(c.name for c in scenario.commodities),
        directions=tuple(c.direction for c in scenario.commodities),
        outcomes=outcomes,
        volume=volume,
        attempts_drawn=drawn,
        attempts_in_pressured=in_p,
        baseline_in_share=comp.baseline_in_share(),
        patrol_hours=hours,
        segment_attempts=seg_att,
        segment_interdicted=seg_int,
    )


def _forget(risk: np.ndarray, seen: np.ndarray, comp: Compiled) -> None:
    """Unobserved beliefs relax toward the prior with time constant memory_days."""
    drift = comp.forget[:, None] * (comp.prior[:, None] - risk)
    risk += np.where(seen, 0.0, drift)


def _cap_by_budget(counts: np.ndarray, *, probs: np.ndarray, comp: Compiled) -> np.ndarray:
    """Scale each organisation's attempts down so expected spending fits its daily budget."""
    exp_cost = (probs * comp.cost).sum(axis=1)  # (P,) expected cost of one attempt
    spend = np.bincount(comp.pair_org, weights=counts * exp_cost, minlength=comp.O)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(spend > comp.budget, comp.budget / spend, 1.0)
    return np.floor(counts * scale[comp.pair_org]).astype(np.int64)
