"""Patrol effort from tracks: pure functions on plain data (no Django).

A unit's effort is counted between consecutive fixes of its track:

- hours: the time from one fix to the next, when it is at most `max_gap` (a longer silence is
  a unit off duty, out of coverage or switched off, and counts nothing);
- kilometres: the straight distance between the two fixes in a projected CRS (the border's
  conformal Lambert projection, scale error under 0.14 % near the line);
- where: the interval belongs to the segment and side of the fix that opens it;
- when: an interval that spans local midnight is split at it, hours and kilometres shared in
  proportion to the time on each side, so every day gets exactly its own part.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

DEFAULT_MAX_GAP = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Fix:
    time: dt.datetime  # aware
    lon: float
    lat: float
    segment_id: str
    side: str


def _pieces(start: dt.datetime, end: dt.datetime, zone: ZoneInfo):
    """(local day, seconds) pieces of [start, end) split at local midnights."""
    local = start.astimezone(zone)
    while True:
        day = local.date()
        midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        cut = min(end, midnight.astimezone(dt.UTC))
        seconds = (cut - start).total_seconds()
        if seconds > 0:
            yield day, seconds
        if cut >= end:
            return
        start, local = cut, midnight


def track_effort(
    fixes: Sequence[Fix],
    *,
    zone: ZoneInfo,
    max_gap: dt.timedelta = DEFAULT_MAX_GAP,
    days: Iterable[dt.date] | None = None,
    xy: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[tuple[dt.date, str, str], tuple[float, float]]:
    """Effort of one unit's track: {(local day, segment id, side): (hours, kilometres)}.

    `fixes` must be sorted by time. `xy` are the fixes' projected coordinates in metres (the
    caller projects them, e.g. with `alianza.border.geometry.to_xy`); `days` keeps only those.
    """
    wanted = set(days) if days is not None else None
    totals: dict[tuple[dt.date, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    if len(fixes) < 2:
        return {}
    if xy is None:
        raise ValueError("track_effort needs the projected coordinates (xy)")
    xs, ys = xy
    limit = max_gap.total_seconds()
    for i in range(len(fixes) - 1):
        a, b = fixes[i], fixes[i + 1]
        span = (b.time - a.time).total_seconds()
        if span <= 0 or span > limit:
            continue
        metres = float(np.hypot(xs[i + 1] - xs[i], ys[i + 1] - ys[i]))
        for day, seconds in _pieces(a.time, b.time, zone):
            if wanted is not None and day not in wanted:
                continue
            entry = totals[(day, a.segment_id, a.side)]
            entry[0] += seconds / 3600.0
            entry[1] += metres / 1000.0 * seconds / span
    return {key: (hours, km) for key, (hours, km) in totals.items()}
