"""Displacement: did flows shift to the neighbouring corridor when pressure rose in one?

Per corridor and local week (Monday to Sunday, America/Phoenix), from what the reader may see:
- pressure: visible patrol hours on the corridor's segments when any are known for that
  corridor in the period (basis "patrol hours"), otherwise its apprehensions (basis
  "apprehensions"; a proxy, and a biased one: see below);
- flows: crossings (under the page's kind and direction filters) in the corridor and in its
  neighbours, the corridors of the same agency next to it in kilometre order;
- neighbours' share = neighbours' flows / (own flows + neighbours' flows).

A week w is a week of *raised pressure* when the mean pressure of the B weeks before it
(B = 8) is at least 1 (apprehension or patrol hour a week: below that a single event after a
quiet spell would count) and pressure(w) >= (1 + T) x that mean (T = 0.5). For every week
with B weeks before it and A weeks from it (A = 2, the week itself and the next), the shift is
mean(share over w..w+A-1) - mean(share over the B weeks before w).
The displacement measure of a corridor is
mean shift after raised weeks - mean shift after ordinary weeks,
in percentage points: positive means the neighbours took a larger share than usual after
pressure rose. The same is given for the neighbours' flows themselves (relative change against
their own B-week mean), which does not depend on the corridor's own flows. It is an
association over few episodes, not proof of cause: weather, operations elsewhere and the
season move flows too. With apprehensions as the pressure proxy, a rise in own apprehensions
also raises own flows, which lowers the neighbours' share mechanically: the share then
understates displacement, and the neighbours' relative change is the better guide.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from django.db.models import Count, Sum
from django.db.models.functions import TruncWeek

from alianza.border.models import Corridor
from alianza.config.clock import display_zone

from .analytics_filters import (
    FlowFilters,
    as_local_date,
    crossings,
    filtered_events,
    period_label,
    periods_between,
)
from .models import PatrolEffort

BASELINE_WEEKS = 8
AFTER_WEEKS = 2
THRESHOLD = 0.5
# Below one apprehension (or patrol hour) a week on average, "1.5 times the baseline" is
# noise: one event after a quiet spell. Such weeks are never raised.
MIN_BASELINE = 1.0
PATROL_HOURS, APPREHENSIONS = "patrol_hours", "apprehensions"


@dataclass
class Week:
    start: dt.date
    label: str
    pressure: float = 0.0
    own: int = 0
    neighbours: int = 0
    raised: bool = False

    @property
    def share(self) -> float | None:
        total = self.own + self.neighbours
        return round(self.neighbours / total, 4) if total else None


@dataclass
class CorridorDisplacement:
    pk: int
    code: str
    name: str
    agency_code: str
    neighbours: list[str]
    basis: str
    weeks: list[Week] = field(default_factory=list)
    shift_raised: float | None = None
    shift_ordinary: float | None = None
    change_raised: float | None = None
    change_ordinary: float | None = None

    @property
    def raised_weeks(self) -> int:
        return sum(1 for w in self.weeks if w.raised)

    @property
    def shift_raised_pp(self) -> float | None:
        return None if self.shift_raised is None else round(self.shift_raised * 100, 1)

    @property
    def shift_ordinary_pp(self) -> float | None:
        return None if self.shift_ordinary is None else round(self.shift_ordinary * 100, 1)

    @property
    def displacement(self) -> float | None:
        """Percentage points of neighbours' share, raised minus ordinary weeks."""
        if self.shift_raised is None or self.shift_ordinary is None:
            return None
        return round((self.shift_raised - self.shift_ordinary) * 100, 1)

    @property
    def neighbours_change(self) -> float | None:
        """Percentage points of neighbours' relative change, raised minus ordinary weeks."""
        if self.change_raised is None or self.change_ordinary is None:
            return None
        return round((self.change_raised - self.change_ordinary) * 100, 1)


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return fmean(values) if values else None


def _measure(weeks: list[Week]) -> dict[str, float | None]:
    shifts: dict[bool, list[float]] = {True: [], False: []}
    changes: dict[bool, list[float]] = {True: [], False: []}
    for i in range(BASELINE_WEEKS, len(weeks) - AFTER_WEEKS + 1):
        before, after = weeks[i - BASELINE_WEEKS : i], weeks[i : i + AFTER_WEEKS]
        baseline = fmean(w.pressure for w in before)
        raised = baseline >= MIN_BASELINE and weeks[i].pressure >= (1 + THRESHOLD) * baseline
        weeks[i].raised = raised
        share_before, share_after = _mean(w.share for w in before), _mean(w.share for w in after)
        if share_before is not None and share_after is not None:
            shifts[raised].append(share_after - share_before)
        flows_before = fmean(w.neighbours for w in before)
        if flows_before > 0:
            changes[raised].append(fmean(w.neighbours for w in after) / flows_before - 1)

    def avg(values):
        return round(fmean(values), 4) if values else None

    return {
        "shift_raised": avg(shifts[True]),
        "shift_ordinary": avg(shifts[False]),
        "change_raised": avg(changes[True]),
        "change_ordinary": avg(changes[False]),
    }


def _neighbours(corridors: list[Corridor]) -> dict[int, list[Corridor]]:
    by_agency: dict[int, list[Corridor]] = defaultdict(list)
    for corridor in corridors:
        by_agency[corridor.agency_id].append(corridor)
    result = {}
    for group in by_agency.values():
        group.sort(key=lambda c: c.km_start)
        for i, corridor in enumerate(group):
            result[corridor.pk] = [c for c in group[max(i - 1, 0) : i + 2] if c.pk != corridor.pk]
    return result


def flow_displacement(*, reader, filters: FlowFilters) -> list[CorridorDisplacement]:
    weeks = periods_between(filters.since, filters.until, "week")
    index = {start: i for i, start in enumerate(weeks)}
    corridors = list(Corridor.objects.select_related("agency").order_by("agency__code", "km_start"))
    # The whole line, whatever the page's corridor: the neighbours are needed too.
    everywhere = FlowFilters(
        since=filters.since, until=filters.until, direction=filters.direction, kind=filters.kind
    )
    all_kinds = crossings(filtered_events(reader=reader, filters=everywhere, kind=False))
    flows: dict[int, list[int]] = {}
    apprehended: dict[int, list[int]] = {}
    for corridor in corridors:
        flows[corridor.pk] = [0] * len(weeks)
        apprehended[corridor.pk] = [0] * len(weeks)
        grouped = (
            all_kinds.filter(km_marker__gte=corridor.km_start, km_marker__lt=corridor.km_end)
            .order_by()
            .annotate(w=TruncWeek("occurred_at", tzinfo=display_zone()))
            .values("w", "kind")
            .annotate(n=Count("id"))
        )
        for row in grouped:
            i = index[as_local_date(row["w"])]
            if not filters.kind or row["kind"] == filters.kind:
                flows[corridor.pk][i] += row["n"]
            if row["kind"] == "apprehension":
                apprehended[corridor.pk][i] += row["n"]
    hours: dict[int, list[float]] = {c.pk: [0.0] * len(weeks) for c in corridors}
    effort = (
        PatrolEffort.objects.visible_to(reader)
        .filter(day__gte=filters.since, day__lte=filters.until)
        .order_by()
        .values("day", "segment__km_start", "segment__km_end")
        .annotate(h=Sum("hours"))
    )
    for row in effort:
        middle = (row["segment__km_start"] + row["segment__km_end"]) / 2
        i = index[row["day"] - dt.timedelta(days=row["day"].weekday())]
        for corridor in corridors:
            if corridor.contains_km(middle):
                hours[corridor.pk][i] += row["h"] or 0.0
    neighbours = _neighbours(corridors)
    result = []
    for corridor in corridors:
        if filters.corridor is not None and corridor.pk != filters.corridor.pk:
            continue
        known = any(h > 0 for h in hours[corridor.pk])
        pressure = hours[corridor.pk] if known else apprehended[corridor.pk]
        rows = [
            Week(
                start=start,
                label=period_label(start, "week"),
                pressure=round(pressure[i], 2),
                own=flows[corridor.pk][i],
                neighbours=sum(flows[n.pk][i] for n in neighbours[corridor.pk]),
            )
            for i, start in enumerate(weeks)
        ]
        entry = CorridorDisplacement(
            pk=corridor.pk,
            code=corridor.code,
            name=corridor.name,
            agency_code=corridor.agency.code,
            neighbours=[n.code for n in neighbours[corridor.pk]],
            basis=PATROL_HOURS if known else APPREHENSIONS,
            weeks=rows,
        )
        if entry.neighbours:
            for name, value in _measure(rows).items():
                setattr(entry, name, value)
        result.append(entry)
    return result
