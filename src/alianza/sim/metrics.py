"""Outcome records of one run and the measures derived from them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# Outcome codes of a crossing attempt; every attempt gets exactly one.
INTERDICTED, TURNED_BACK, GOT_AWAY_UNSEEN, GOT_AWAY_SEEN = range(4)
OUTCOMES = ("interdicted", "turned_back", "got_away_unseen", "got_away_seen")

# Displacement and end-of-run rates are averaged over the last quarter of the run, once
# the organisations have had time to learn.
FINAL_FRACTION = 0.25


@dataclass
class RunResult:
    strategy: str
    seed: int
    commodities: tuple[str, ...]
    directions: tuple[str, ...]
    outcomes: np.ndarray  # (D, C, 4) attempts by outcome code
    volume: np.ndarray  # (D, C, 4) commodity units (lb, people, USD...) by outcome code
    attempts_drawn: np.ndarray  # (D,) attempts generated, independent of outcome counting
    attempts_in_pressured: np.ndarray  # (D,) attempts inside the pressured corridor
    baseline_in_share: float  # share of flow in the pressured corridor before any learning
    patrol_hours: np.ndarray  # (D,) unit-hours on patrol
    segment_attempts: np.ndarray  # (S,) attempts per segment over the run
    segment_interdicted: np.ndarray  # (S,)

    @property
    def days(self) -> int:
        return int(self.outcomes.shape[0])

    def attempts(self) -> np.ndarray:
        """(D, C) attempts per day and commodity."""
        return self.outcomes.sum(axis=2)

    def interdiction_rate_series(self) -> np.ndarray:
        """(D,) share of the day's attempts interdicted (NaN on a day without attempts)."""
        tot = self.outcomes.sum(axis=(1, 2)).astype(float)
        hit = self.outcomes[:, :, INTERDICTED].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(tot > 0, hit / tot, np.nan)

    def displacement_series(self) -> np.ndarray:
        """(D,) share of the pre-learning pressured-corridor flow that has moved elsewhere.

        0 = the corridor carries its baseline share, 1 = all of it left; negative values mean
        flow was drawn into the corridor.
        """
        tot = self.attempts_drawn.astype(float)
        if self.baseline_in_share <= 0:
            return np.full(tot.shape, np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(tot > 0, self.attempts_in_pressured / tot, np.nan)
        return (self.baseline_in_share - share) / self.baseline_in_share

    def summary(self) -> dict[str, float]:
        o = self.outcomes.sum(axis=0)  # (C, 4)
        v = self.volume.sum(axis=0)
        att = o.sum(axis=1)
        total = att.sum()
        out: dict[str, float] = {
            "attempts": float(total),
            "interdicted": float(o[:, INTERDICTED].sum()),
            "turned_back": float(o[:, TURNED_BACK].sum()),
            "got_aways": float(o[:, GOT_AWAY_UNSEEN].sum() + o[:, GOT_AWAY_SEEN].sum()),
            "got_aways_seen": float(o[:, GOT_AWAY_SEEN].sum()),
            "interdiction_rate": _ratio(o[:, INTERDICTED].sum(), total),
            "effectiveness_rate": _ratio(o[:, INTERDICTED].sum() + o[:, TURNED_BACK].sum(), total),
            # USBP's own definition: only the got-aways somebody saw are in the denominator.
            "effectiveness_rate_known": _ratio(
                o[:, INTERDICTED].sum() + o[:, TURNED_BACK].sum(),
                o[:, [INTERDICTED, TURNED_BACK, GOT_AWAY_SEEN]].sum(),
            ),
        }
        for d in ("north", "south"):
            sel = np.array([x == d for x in self.directions])
            out[f"interdiction_rate_{d}"] = _ratio(o[sel, INTERDICTED].sum(), att[sel].sum())
        for k, c in enumerate(self.commodities):
            out[f"interdiction_rate_{c}"] = _ratio(o[k, INTERDICTED], att[k])
            out[f"volume_interdicted_{c}"] = float(v[k, INTERDICTED])
            out[f"volume_delivered_{c}"] = float(v[k, GOT_AWAY_UNSEEN] + v[k, GOT_AWAY_SEEN])
        tail = max(1, int(math.ceil(self.days * FINAL_FRACTION)))
        out["interdiction_rate_final"] = _nanmean(self.interdiction_rate_series()[-tail:])
        out["displacement_index"] = _nanmean(self.displacement_series()[-tail:])
        out["patrol_hours"] = float(self.patrol_hours.sum())
        return out


def _ratio(a: float, b: float) -> float:
    return float(a) / float(b) if b > 0 else float("nan")


def _nanmean(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    return float(x.mean()) if x.size else float("nan")


def mean_ci(values: Iterable[float], *, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and Student-t confidence interval (NaNs dropped; half-width 0 for one value)."""
    from scipy import stats  # local: scipy is only needed when summarising

    x = np.asarray([v for v in values if not math.isnan(v)], dtype=float)
    if x.size == 0:
        return (math.nan, math.nan, math.nan)
    m = float(x.mean())
    if x.size < 2:
        return (m, m, m)
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size))
    return (m, m - half, m + half)


def summarise(
    rows: Sequence[Mapping[str, float | str | int]], *, metrics: Sequence[str]
) -> list[dict[str, float | str]]:
    """Per-strategy mean and 95% CI of each metric from per-run summary rows."""
    strategies = list(dict.fromkeys(str(r["strategy"]) for r in rows))
    table = []
    for s in strategies:
        runs = [r for r in rows if r["strategy"] == s]
        entry: dict[str, float | str] = {"strategy": s, "runs": len(runs)}
        for m in metrics:
            mean, lo, hi = mean_ci(float(r[m]) for r in runs)
            entry[m] = mean
            entry[f"{m}_lo"] = lo
            entry[f"{m}_hi"] = hi
        table.append(entry)
    return table
