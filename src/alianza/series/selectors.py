"""Reads of the published series. The figures are public, but only active task-force readers
reach them: every selector takes the reader and answers as if nothing existed otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Max, Min, QuerySet, Sum

from alianza.access.getters import RecordNotFound
from alianza.access.rules import reader_for

from .models import AggregateSeries, SeriesObservation

FINE_LEVELS = ("field_office", "sector")


def _require_reader(reader) -> None:
    if not reader_for(reader).may_read_anything:
        raise RecordNotFound()


def series_list(*, reader) -> QuerySet[AggregateSeries]:
    _require_reader(reader)
    return AggregateSeries.objects.annotate(
        observation_count=Count("observations"),
        first_period=Min("observations__period_start"),
        last_period=Max("observations__period_end"),
    ).order_by("publisher", "source_file", "measure")


def series_get(*, reader, pk) -> AggregateSeries:
    """The series `pk`, or the same 404 as any missing record."""
    _require_reader(reader)
    try:
        return series_list(reader=reader).get(pk=pk)
    except (AggregateSeries.DoesNotExist, ValueError, TypeError):
        raise RecordNotFound() from None


@dataclass(frozen=True)
class SeriesFilters:
    area: str = ""  # as published; "" = every area at the finest level
    drug_type: str = ""
    component: str = ""
    granularity: str = ""  # "" = months when published, else fiscal years


@dataclass(frozen=True)
class Choices:
    areas: list[tuple[str, str]]  # (area, level)
    drug_types: list[str]
    components: list[str]
    granularities: list[str]


def series_choices(*, series: AggregateSeries) -> Choices:
    observations = SeriesObservation.objects.filter(series=series).order_by()
    areas = sorted(set(observations.values_list("level", "area")), key=lambda p: (p[0], p[1]))
    return Choices(
        areas=[(area, level) for level, area in areas],
        drug_types=sorted(
            set(observations.exclude(drug_type="").values_list("drug_type", flat=True))
        ),
        components=sorted(set(observations.values_list("component", flat=True)) - {""}),
        granularities=[
            g
            for g in SeriesObservation.Granularity.values
            if observations.filter(granularity=g).exists()
        ],
    )


def series_filters_parse(params: Mapping, *, choices: Choices) -> SeriesFilters:
    """Unknown values are dropped (the page shows every valid choice)."""
    area = (params.get("area") or "").strip()
    drug_type = (params.get("drug_type") or "").strip()
    component = (params.get("component") or "").strip()
    granularity = (params.get("granularity") or "").strip()
    return SeriesFilters(
        area=area if area in {a for a, _ in choices.areas} else "",
        drug_type=drug_type if drug_type in choices.drug_types else "",
        component=component if component in choices.components else "",
        granularity=granularity
        if granularity in choices.granularities
        else (choices.granularities[0] if choices.granularities else ""),
    )


def series_level(*, series: AggregateSeries, filters: SeriesFilters, choices: Choices) -> str:
    """The level summed: the chosen area's, else the finest published. Summing the sectors,
    not the publisher's total rows (Border Patrol's FY2000 southwest total is unreliable), and
    never a sector with its own region."""
    levels = {level for area, level in choices.areas if not filters.area or area == filters.area}
    for level in ("field_office", "sector", "region", "nation"):
        if level in levels:
            return level
    return "sector"


def series_observations(
    *, reader, series: AggregateSeries, filters: SeriesFilters, choices: Choices
) -> QuerySet[SeriesObservation]:
    _require_reader(reader)
    observations = SeriesObservation.objects.filter(series=series, granularity=filters.granularity)
    if filters.area:
        observations = observations.filter(area=filters.area)
    else:
        level = series_level(series=series, filters=filters, choices=choices)
        observations = observations.filter(
            level__in=FINE_LEVELS if level in FINE_LEVELS else (level,)
        )
    if filters.drug_type:
        observations = observations.filter(drug_type=filters.drug_type)
    if filters.component:
        observations = observations.filter(component=filters.component)
    return observations


@dataclass(frozen=True)
class Point:
    start: dt.date
    end: dt.date
    label: str
    value: float


def period_label(start: dt.date, granularity: str) -> str:
    if granularity == "fiscal_year":
        return f"FY{start.year + 1}"
    return start.strftime("%Y-%m")


def _months(first: dt.date, last: dt.date):
    current = first
    while current <= last:
        following = (current + dt.timedelta(days=32)).replace(day=1)
        yield current, following - dt.timedelta(days=1)
        current = following


def series_points(
    *, reader, series: AggregateSeries, filters: SeriesFilters, choices: Choices
) -> list[Point]:
    """The filtered observations summed per period, oldest first. CBP publishes a row only
    where something was seized, so its missing months inside the range are zeros; elsewhere a
    missing period stays missing (not published is not zero)."""
    rows = (
        series_observations(reader=reader, series=series, filters=filters, choices=choices)
        .order_by()
        .values("period_start", "period_end")
        .annotate(total=Sum("value"))
        .order_by("period_start")
    )
    points = [
        Point(
            r["period_start"],
            r["period_end"],
            period_label(r["period_start"], filters.granularity),
            r["total"],
        )
        for r in rows
    ]
    if series.kind == "cbp-drugs" and filters.granularity == "month" and points:
        known = {p.start: p for p in points}
        points = [
            known.get(start) or Point(start, end, period_label(start, "month"), 0.0)
            for start, end in _months(points[0].start, points[-1].start)
        ]
    return points
