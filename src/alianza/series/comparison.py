"""The task force's own figures set against a published series, where they measure the same
thing in the same place: Tucson Sector (Border Patrol, between the ports), the only published
area that contains the task force's corridors.

The task force's figures come from `flows.dashboard.flow_dashboard`, which counts only the
events the reader may see (the access layer), each linked crossing once. They are a part of
the sector (the Nogales, Sasabe and Naco corridors) and include both agencies' reports, so
they are a trend to set beside the official one, not a share of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from alianza.flows.analytics_filters import MAX_DAYS, FlowFilters
from alianza.flows.dashboard import flow_dashboard

from .models import AggregateSeries
from .selectors import Point, SeriesFilters, period_label

KG_PER_LB = 0.45359237
COMPARABLE_AREA = "tucson"
COMPARABLE_LEVEL = "sector"
# (file format, measure) -> what the task force measures the same way.
MEASURES = {
    ("cbp-drugs", "Sum Qty (lbs)"): "drugs_lb",
    ("cbp-drugs", "Count of Event"): "seizures",
    ("usbp-apprehensions", "total_apprehensions"): "apprehended",
    ("usbp-apprehensions-annual", "total_apprehensions"): "apprehended",
    ("usbp-sector-profile", "total_apprehensions"): "apprehended",
    ("usbp-sector-profile", "marijuana_pounds"): "marijuana_lb",
    ("usbp-sector-profile", "cocaine_pounds"): "cocaine_lb",
}
# CBP drug types the task force records as a category of its own.
CBP_DRUG_CATEGORIES = {
    "Cocaine": "cocaine",
    "Fentanyl": "fentanyl",
    "Heroin": "heroin",
    "Marijuana": "marijuana",
    "Methamphetamine": "methamphetamine",
}


@dataclass
class Comparison:
    comparable: bool
    message: str = ""
    labels: list[str] = field(default_factory=list)
    published: list[float] = field(default_factory=list)
    task_force: list[float] = field(default_factory=list)
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def task_force_total(self) -> float:
        return sum(self.task_force)

    @property
    def rows(self) -> list[tuple[str, float, float]]:
        return list(zip(self.labels, self.published, self.task_force, strict=True))


def series_is_comparable(series: AggregateSeries) -> bool:
    return (series.kind, series.measure) in MEASURES


def _task_force_value(measure: str, row_counts, row_quantities, category: str) -> float:
    if measure == "apprehended":
        return float(row_quantities.persons)
    if measure == "seizures":
        return float(row_counts.by_kind.get("seizure", 0))
    kg = row_quantities.drugs_kg
    if measure == "drugs_lb":
        total = kg.get(category, 0.0) if category else sum(kg.values())
    else:
        total = kg.get(measure.removesuffix("_lb"), 0.0)
    return total / KG_PER_LB


def series_comparison(
    *,
    reader,
    series: AggregateSeries,
    filters: SeriesFilters,
    area_level: str,
    area_key: str,
    points: list[Point],
    today: dt.date | None = None,
) -> Comparison | None:
    """None when the series measures nothing the task force measures."""
    measure = MEASURES.get((series.kind, series.measure))
    if measure is None:
        return None
    if area_key != COMPARABLE_AREA or area_level != COMPARABLE_LEVEL:
        return Comparison(
            comparable=False,
            message=_(
                "Choose Tucson Sector to set the task force's own figures against this series."
            ),
        )
    category = ""
    if filters.drug_type:
        category = CBP_DRUG_CATEGORIES.get(filters.drug_type, "")
        if not category or measure == "seizures":
            return Comparison(
                comparable=False,
                message=_("The task force does not count %(drug)s this way.")
                % {"drug": filters.drug_type},
            )
    if not points:
        return Comparison(comparable=False, message=_("Nothing published for these filters."))
    today = today or timezone.localdate()
    until = min(points[-1].end, today)
    since = max(points[0].start, until - dt.timedelta(days=MAX_DAYS - 1))
    if since > until:
        return Comparison(comparable=False, message=_("Nothing published for these filters."))
    board = flow_dashboard(
        reader=reader,
        filters=FlowFilters(
            since=since,
            until=until,
            period="month",
            kind="apprehension" if measure == "apprehended" else "",
        ),
    )
    by_label: dict[str, float] = {}
    for counts, quantities in zip(board.counts, board.quantities, strict=True):
        label = period_label(
            _fiscal_year_start(counts.start)
            if filters.granularity == "fiscal_year"
            else counts.start,
            filters.granularity,
        )
        value = _task_force_value(measure, counts, quantities, category)
        by_label[label] = by_label.get(label, 0.0) + value
    window = [p for p in points if p.end >= since and p.start <= until]
    comparison = Comparison(
        comparable=True,
        labels=[p.label for p in window],
        published=[p.value for p in window],
        task_force=[round(by_label.get(p.label, 0.0), 1) for p in window],
        since=since,
        until=until,
    )
    if not comparison.task_force_total:
        comparison.message = _(
            "No task-force figures you may see fall between %(since)s and %(until)s."
        ) % {"since": since.isoformat(), "until": until.isoformat()}
    return comparison


def _fiscal_year_start(month: dt.date) -> dt.date:
    return dt.date(month.year if month.month >= 10 else month.year - 1, 10, 1)
