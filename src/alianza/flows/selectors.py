"""Reads of flow events, always through the access layer; analytics from the visible set only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, Count, QuerySet
from django.db.models.functions import Cast, Coalesce, TruncMonth

from alianza.border.models import Corridor

from .models import (
    AmmunitionItem,
    CurrencyItem,
    DrugItem,
    FirearmItem,
    FlowEvent,
    PersonsItem,
    VehicleItem,
)


def flow_event_list(
    *,
    reader,
    kind: str = "",
    direction: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[FlowEvent]:
    queryset = FlowEvent.objects.visible_to(reader).select_related("agency", "marking", "segment")
    if kind:
        queryset = queryset.filter(kind=kind)
    if direction:
        queryset = queryset.filter(direction=direction)
    if since:
        queryset = queryset.filter(occurred_at__date__gte=since)
    if until:
        queryset = queryset.filter(occurred_at__date__lte=until)
    return queryset


ITEM_MODELS = {
    "drugs": DrugItem,
    "currency": CurrencyItem,
    "firearms": FirearmItem,
    "ammunition": AmmunitionItem,
    "persons": PersonsItem,
    "vehicles": VehicleItem,
}


def flow_event_items(*, reader, event: FlowEvent) -> dict[str, list]:
    """The items of an event, by kind (the keys of `services.flow_event_create`'s items)."""
    return {
        key: list(model.objects.visible_to(reader).filter(event=event).order_by("pk"))
        for key, model in ITEM_MODELS.items()
    }


def _crossing_key():
    """One value per physical crossing: the link key, or the event itself when unlinked.
    Link keys start with 'X-', so they never equal an event id."""
    return Coalesce("crossing", Cast("id", CharField()))


@dataclass(frozen=True)
class MonthlyCount:
    month: dt.date
    direction: str
    kind: str
    crossings: int


def flow_counts_by_month(*, reader, **filters) -> list[MonthlyCount]:
    """Crossings per month × direction × kind, from the events the reader may see."""
    rows = (
        flow_event_list(reader=reader, **filters)
        .order_by()
        .annotate(month=TruncMonth("occurred_at"))
        .values("month", "direction", "kind")
        .annotate(crossings=Count(_crossing_key(), distinct=True))
        .order_by("month", "direction", "kind")
    )
    return [
        MonthlyCount(
            month=row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"],
            direction=row["direction"],
            kind=row["kind"],
            crossings=row["crossings"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Effectiveness:
    corridor_code: str
    corridor_name: str
    agency_code: str
    apprehensions: int
    turn_backs: int
    got_aways: int
    rate: float | None  # None when nothing happened: no rate is not a rate of zero


OUTCOME_KINDS = (
    FlowEvent.Kind.APPREHENSION,
    FlowEvent.Kind.TURN_BACK,
    FlowEvent.Kind.GOT_AWAY,
)


def border_effectiveness(*, reader, **filters) -> list[Effectiveness]:
    """(apprehensions + turn-backs) / (apprehensions + turn-backs + got-aways) per corridor,
    counting each crossing once and only the events the reader may see."""
    visible = flow_event_list(reader=reader, **filters).filter(kind__in=OUTCOME_KINDS)
    results = []
    for corridor in Corridor.objects.select_related("agency").order_by("agency__code", "km_start"):
        counts = dict(
            visible.filter(km_marker__gte=corridor.km_start, km_marker__lt=corridor.km_end)
            .order_by()
            .values("kind")
            .annotate(crossings=Count(_crossing_key(), distinct=True))
            .values_list("kind", "crossings")
        )
        caught = counts.get("apprehension", 0) + counts.get("turn_back", 0)
        total = caught + counts.get("got_away", 0)
        results.append(
            Effectiveness(
                corridor_code=corridor.code,
                corridor_name=corridor.name,
                agency_code=corridor.agency.code,
                apprehensions=counts.get("apprehension", 0),
                turn_backs=counts.get("turn_back", 0),
                got_aways=counts.get("got_away", 0),
                rate=round(caught / total, 4) if total else None,
            )
        )
    return results
