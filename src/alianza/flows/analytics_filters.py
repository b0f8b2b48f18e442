"""The filters every flow analytic shares (period, dates, corridor, direction, kind), parsed from
a query string with errors that name the field, and the one door to the events they select:
the events the reader may see, each physical crossing once.

A crossing reported by both agencies (linked: same `crossing` key) is represented by the lowest
id among the linked events the reader may see *in the filtered set*, so a reader who sees only
one half still counts it once, and a reader who sees neither counts nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from alianza.border.models import Corridor
from alianza.config.clock import display_today, display_zone

from .models import FlowEvent

PERIODS = ("week", "month")
DEFAULT_DAYS = 365
MAX_DAYS = 366 * 5


@dataclass(frozen=True)
class FlowFilters:
    since: dt.date
    until: dt.date
    period: str = "month"
    corridor: Corridor | None = field(default=None, compare=False)
    direction: str = ""
    kind: str = ""

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters (for links and the map's API calls)."""
        query = {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "period": self.period,
        }
        if self.corridor is not None:
            query["corridor"] = str(self.corridor.pk)
        if self.direction:
            query["direction"] = self.direction
        if self.kind:
            query["kind"] = self.kind
        return query

    def summary(self) -> dict:
        return {**self.as_query(), "corridor": self.corridor.code if self.corridor else ""}


def _date(params: Mapping, name: str, errors: dict) -> dt.date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        errors[name] = _("Not a date (use YYYY-MM-DD): %(value)s") % {"value": raw[:40]}
    return value


def flow_filters_parse(params: Mapping, *, today: dt.date | None = None) -> FlowFilters:
    """Filters from query parameters; every bad value is reported under its field name.
    Defaults: the last 365 days up to today (local), by month, everything."""
    errors: dict[str, str] = {}
    today = today or display_today()
    until = _date(params, "until", errors) or today
    since = _date(params, "since", errors) or until - dt.timedelta(days=DEFAULT_DAYS - 1)
    if "since" not in errors and "until" not in errors:
        if since > until:
            errors["since"] = _("The start date is after the end date.")
        elif (until - since).days > MAX_DAYS:
            errors["since"] = _("Choose at most five years.")
    period = (params.get("period") or "month").strip()
    if period not in PERIODS:
        errors["period"] = _("Choose week or month.")
    direction = (params.get("direction") or "").strip()
    if direction and direction not in FlowEvent.Direction.values:
        errors["direction"] = _("Unknown direction: %(value)s") % {"value": direction[:40]}
    kind = (params.get("kind") or "").strip()
    if kind and kind not in FlowEvent.Kind.values:
        errors["kind"] = _("Unknown event kind: %(value)s") % {"value": kind[:40]}
    corridor = None
    raw_corridor = (params.get("corridor") or "").strip()
    if raw_corridor:
        # Corridors are public reference data (named km ranges): no record can leak here.
        corridor = (
            Corridor.objects.filter(pk=int(raw_corridor)).select_related("agency").first()
            if raw_corridor.isdigit()
            else None
        )
        if corridor is None:
            errors["corridor"] = _("Unknown corridor: %(value)s") % {"value": raw_corridor[:40]}
    if errors:
        raise ValidationError(errors)
    return FlowFilters(
        since=since, until=until, period=period, corridor=corridor, direction=direction, kind=kind
    )


def local_bounds(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start of `since`, start of the day after `until`) in local time, as aware datetimes."""
    zone = display_zone()
    start = dt.datetime.combine(since, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def filtered_events(*, reader, filters: FlowFilters, kind: bool = True) -> QuerySet[FlowEvent]:
    """The visible events the filters select (each report, linked or not). `kind=False`
    ignores the kind filter (measures that need every kind, such as effectiveness)."""
    start, end = local_bounds(filters.since, filters.until)
    queryset = FlowEvent.objects.visible_to(reader).filter(
        occurred_at__gte=start, occurred_at__lt=end
    )
    if filters.direction:
        queryset = queryset.filter(direction=filters.direction)
    if kind and filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.corridor is not None:
        queryset = queryset.filter(
            km_marker__gte=filters.corridor.km_start, km_marker__lt=filters.corridor.km_end
        )
    return queryset


UNLINKED = Q(crossing__isnull=True) | Q(crossing="")


def crossings(events: QuerySet[FlowEvent]) -> QuerySet[FlowEvent]:
    """One event per physical crossing: unlinked events, and for each crossing key the lowest
    id among the given (already visible, filtered) events that share it."""
    representatives = (
        events.exclude(UNLINKED)
        .order_by()
        .values("crossing")
        .annotate(first=Min("id"))
        .values("first")
    )
    return events.filter(UNLINKED | Q(id__in=representatives))


def crossing_events(*, reader, filters: FlowFilters, kind: bool = True) -> QuerySet[FlowEvent]:
    return crossings(filtered_events(reader=reader, filters=filters, kind=kind))


def period_start(value: dt.date, period: str) -> dt.date:
    if period == "week":
        return value - dt.timedelta(days=value.weekday())
    return value.replace(day=1)


def periods_between(since: dt.date, until: dt.date, period: str) -> list[dt.date]:
    """Every period (its first day) that overlaps [since, until], empty ones included."""
    current, result = period_start(since, period), []
    while current <= until:
        result.append(current)
        if period == "week":
            current += dt.timedelta(days=7)
        else:
            current = (current + dt.timedelta(days=32)).replace(day=1)
    return result


def as_local_date(value) -> dt.date:
    """A truncated period from the database (aware datetime or date) as a local date."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(display_zone())
        return value.date()
    return value


def period_label(value: dt.date, period: str) -> str:
    if period == "week":
        year, week, _day = value.isocalendar()
        return f"{year}-W{week:02d}"
    return value.strftime("%Y-%m")
