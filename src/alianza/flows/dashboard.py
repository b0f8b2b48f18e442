"""The flow dashboard's numbers: crossings and quantities by week or month, direction, commodity,
corridor and segment, and the border effectiveness rate per corridor and period.

Everything starts from `analytics_filters.filtered_events` (the events the reader may see) and
counts each physical crossing once. Quantities of a linked crossing (both agencies reported the
same load) are the larger of the reports for each commodity, never their sum.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from alianza.border.models import Corridor
from alianza.config.clock import display_zone

from .analytics_filters import (
    UNLINKED,
    FlowFilters,
    as_local_date,
    crossings,
    filtered_events,
    period_label,
    periods_between,
)
from .models import CurrencyItem, DrugItem, FirearmItem, FlowEvent, PersonsItem

OUTCOMES = ("apprehension", "turn_back", "got_away")
TOP_SEGMENTS = 20


def trunc(period: str, field_name: str = "occurred_at"):
    function = TruncWeek if period == "week" else TruncMonth
    return function(field_name, tzinfo=display_zone())


def effectiveness_rate(apprehensions: int, turn_backs: int, got_aways: int) -> float | None:
    """(apprehensions + turn-backs) / (apprehensions + turn-backs + got-aways); None when
    there was no outcome at all (no rate is not a rate of zero)."""
    caught = apprehensions + turn_backs
    total = caught + got_aways
    return round(caught / total, 4) if total else None


@dataclass
class PeriodCounts:
    start: dt.date
    label: str
    by_kind: dict[str, int] = field(default_factory=dict)
    by_direction: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class PeriodQuantities:
    start: dt.date
    label: str
    drugs_kg: dict[str, float] = field(default_factory=dict)
    pills: int = 0
    currency_usd: float = 0.0
    firearms: int = 0
    persons: int = 0

    @property
    def drugs_total_kg(self) -> float:
        return round(sum(self.drugs_kg.values()), 3)


@dataclass
class Outcome:
    apprehensions: int = 0
    turn_backs: int = 0
    got_aways: int = 0

    @property
    def rate(self) -> float | None:
        return effectiveness_rate(self.apprehensions, self.turn_backs, self.got_aways)

    def add(self, kind: str, count: int) -> None:
        if kind == "apprehension":
            self.apprehensions += count
        elif kind == "turn_back":
            self.turn_backs += count
        elif kind == "got_away":
            self.got_aways += count


@dataclass
class CorridorFigures:
    pk: int
    code: str
    name: str
    agency_code: str
    km_start: float
    km_end: float
    by_direction: dict[str, int] = field(default_factory=dict)
    outcome: Outcome = field(default_factory=Outcome)
    by_period: list[Outcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_direction.values())


@dataclass
class SegmentFigures:
    segment_id: str
    km_start: float
    crossings: int = 0
    outcome: Outcome = field(default_factory=Outcome)


@dataclass
class Dashboard:
    filters: FlowFilters
    periods: list[dt.date]
    labels: list[str]
    counts: list[PeriodCounts]
    quantities: list[PeriodQuantities]
    corridors: list[CorridorFigures]
    segments: list[SegmentFigures]
    drug_categories: list[str]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.counts)


def _period_index(filters: FlowFilters) -> tuple[list[dt.date], dict[dt.date, int]]:
    periods = periods_between(filters.since, filters.until, filters.period)
    return periods, {start: i for i, start in enumerate(periods)}


def _counts(events: QuerySet, filters: FlowFilters, periods, index) -> list[PeriodCounts]:
    rows = [PeriodCounts(start=p, label=period_label(p, filters.period)) for p in periods]
    grouped = (
        crossings(events)
        .order_by()
        .annotate(p=trunc(filters.period))
        .values("p", "kind", "direction")
        .annotate(n=Count("id"))
    )
    for row in grouped:
        target = rows[index[as_local_date(row["p"])]]
        target.by_kind[row["kind"]] = target.by_kind.get(row["kind"], 0) + row["n"]
        target.by_direction[row["direction"]] = (
            target.by_direction.get(row["direction"], 0) + row["n"]
        )
    return rows


def _item_totals(
    *, reader, events: QuerySet, model, aggregates: dict, group: str | None, period: str
) -> dict[tuple[dt.date, str], dict[str, float]]:
    """Sum of each aggregate per (period, group value): unlinked events summed in SQL; a
    linked crossing contributes, per group value and aggregate, the largest of its reports,
    in the period of its representative event."""
    group_fields = [group] if group else []
    totals: dict[tuple[dt.date, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    items = model.objects.visible_to(reader)
    unlinked = (
        items.filter(event__in=events.filter(UNLINKED).values("id"))
        .order_by()
        .annotate(p=trunc(period, "event__occurred_at"))
        .values("p", *group_fields)
        .annotate(**aggregates)
    )
    for row in unlinked:
        key = (as_local_date(row["p"]), row[group] if group else "")
        for name in aggregates:
            totals[key][name] += float(row[name] or 0)
    linked_events = events.exclude(UNLINKED)
    linked = (
        items.filter(event__in=linked_events.values("id"))
        .order_by()
        .values("event__crossing", "event_id", *group_fields)
        .annotate(**aggregates)
    )
    largest: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in linked:
        key = (row["event__crossing"], row[group] if group else "")
        for name in aggregates:
            largest[key][name] = max(largest[key][name], float(row[name] or 0))
    if largest:
        starts = {
            crossing: as_local_date(p)
            for crossing, p in crossings(linked_events)
            .order_by()
            .annotate(p=trunc(period))
            .values_list("crossing", "p")
        }
        for (crossing, value), sums in largest.items():
            for name, amount in sums.items():
                totals[(starts[crossing], value)][name] += amount
    return totals


def _quantities(
    *, reader, events: QuerySet, filters: FlowFilters, periods, index
) -> tuple[list[PeriodQuantities], list[str]]:
    rows = [PeriodQuantities(start=p, label=period_label(p, filters.period)) for p in periods]
    common = {"reader": reader, "events": events, "period": filters.period}
    drugs = _item_totals(
        model=DrugItem,
        aggregates={"kg": Sum("weight_kg"), "pills": Sum("pills")},
        group="category",
        **common,
    )
    categories = set()
    for (start, category), sums in drugs.items():
        row = rows[index[start]]
        if sums["kg"]:
            row.drugs_kg[category] = round(row.drugs_kg.get(category, 0.0) + sums["kg"], 3)
            categories.add(category)
        row.pills += int(sums["pills"])
    simple = (
        (CurrencyItem, {"usd": Sum("usd_amount")}, "usd", "currency_usd"),
        (FirearmItem, {"n": Count("id")}, "n", "firearms"),
        (PersonsItem, {"n": Sum("count")}, "n", "persons"),
    )
    for model, aggregates, name, attribute in simple:
        for (start, _), sums in _item_totals(
            model=model, aggregates=aggregates, group=None, **common
        ).items():
            row = rows[index[start]]
            value = getattr(row, attribute) + sums[name]
            setattr(row, attribute, round(value, 2) if attribute == "currency_usd" else int(value))
    order = [c for c in DrugItem.Category.values if c in categories]
    return rows, order


def _corridors(*, reader, filters: FlowFilters, periods, index) -> list[CorridorFigures]:
    # Every kind: effectiveness needs the outcomes even when the page filters one kind.
    all_kinds = crossings(filtered_events(reader=reader, filters=filters, kind=False))
    corridors = Corridor.objects.select_related("agency").order_by("agency__code", "km_start")
    if filters.corridor is not None:
        corridors = corridors.filter(pk=filters.corridor.pk)
    result = []
    for corridor in corridors:
        figures = CorridorFigures(
            pk=corridor.pk,
            code=corridor.code,
            name=corridor.name,
            agency_code=corridor.agency.code,
            km_start=corridor.km_start,
            km_end=corridor.km_end,
            by_period=[Outcome() for _ in periods],
        )
        grouped = (
            all_kinds.filter(km_marker__gte=corridor.km_start, km_marker__lt=corridor.km_end)
            .order_by()
            .annotate(p=trunc(filters.period))
            .values("p", "kind", "direction")
            .annotate(n=Count("id"))
        )
        for row in grouped:
            kind, count = row["kind"], row["n"]
            if not filters.kind or kind == filters.kind:
                figures.by_direction[row["direction"]] = (
                    figures.by_direction.get(row["direction"], 0) + count
                )
            figures.outcome.add(kind, count)
            figures.by_period[index[as_local_date(row["p"])]].add(kind, count)
        result.append(figures)
    return result


def _segments(*, reader, filters: FlowFilters) -> list[SegmentFigures]:
    all_kinds = crossings(filtered_events(reader=reader, filters=filters, kind=False))
    by_segment: dict[str, SegmentFigures] = {}
    grouped = (
        all_kinds.order_by()
        .values("segment__segment_id", "segment__km_start", "kind")
        .annotate(n=Count("id"))
    )
    for row in grouped:
        figures = by_segment.setdefault(
            row["segment__segment_id"],
            SegmentFigures(row["segment__segment_id"], row["segment__km_start"]),
        )
        if not filters.kind or row["kind"] == filters.kind:
            figures.crossings += row["n"]
        figures.outcome.add(row["kind"], row["n"])
    ranked = [f for f in by_segment.values() if f.crossings]
    ranked.sort(key=lambda f: (-f.crossings, f.km_start))
    return ranked[:TOP_SEGMENTS]


def flow_dashboard(*, reader, filters: FlowFilters) -> Dashboard:
    periods, index = _period_index(filters)
    events = filtered_events(reader=reader, filters=filters)
    quantities, categories = _quantities(
        reader=reader, events=events, filters=filters, periods=periods, index=index
    )
    return Dashboard(
        filters=filters,
        periods=periods,
        labels=[period_label(p, filters.period) for p in periods],
        counts=_counts(events, filters, periods, index),
        quantities=quantities,
        corridors=_corridors(reader=reader, filters=filters, periods=periods, index=index),
        segments=_segments(reader=reader, filters=filters),
        drug_categories=categories,
    )


KIND_ORDER = list(FlowEvent.Kind.values)
DIRECTION_ORDER = list(FlowEvent.Direction.values)
