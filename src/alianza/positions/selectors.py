"""Reads of positions, always through the access layer."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from alianza.access.getters import access_get
from alianza.operations.models import JointOperation

from .models import LatestPosition, PositionReport

DEFAULT_MAX_AGE = dt.timedelta(hours=2)
MAX_AGE_LIMIT = dt.timedelta(days=7)


def operation_get(*, reader, pk) -> JointOperation:
    """A joint operation the reader may see (members only); the same 404 otherwise."""
    return access_get(reader, JointOperation, pk=pk)


def latest_position_list(
    *,
    reader,
    operation: JointOperation | None = None,
    max_age: dt.timedelta = DEFAULT_MAX_AGE,
    now: dt.datetime | None = None,
) -> QuerySet[LatestPosition]:
    """The latest position of every unit the reader may see, reported within `max_age`."""
    now = now or timezone.now()
    positions = (
        LatestPosition.objects.visible_to(reader)
        .filter(time__gte=now - max_age)
        .select_related("unit", "unit__agency", "operation", "segment", "marking")
        .prefetch_related("marking__releasable_to", "marking__compartments")
        .order_by("unit__agency_id", "unit__code")
    )
    if operation is not None:
        positions = positions.filter(operation=operation)
    return positions


def position_report_list(*, reader, unit_id: int | None = None) -> QuerySet[PositionReport]:
    reports = PositionReport.objects.visible_to(reader)
    if unit_id is not None:
        reports = reports.filter(unit_id=unit_id)
    return reports


def latest_geojson(positions, *, now: dt.datetime | None = None) -> dict:
    """A GeoJSON FeatureCollection of latest positions (one point per unit)."""
    now = now or timezone.now()
    features = []
    for p in positions:
        features.append(
            {
                "type": "Feature",
                "id": f"{p.unit.agency.code}/{p.unit.code}",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "unit": p.unit.code,
                    "label": p.unit.label,
                    "kind": p.unit.kind,
                    "agency": p.unit.agency.code,
                    "time": p.time.isoformat(),
                    "age_seconds": max(0, round((now - p.time).total_seconds())),
                    "accuracy_m": p.accuracy_m,
                    "speed_kmh": p.speed_kmh,
                    "heading": p.heading,
                    "segment_id": p.segment.segment_id,
                    "side": p.side,
                    "operation": p.operation.code if p.operation_id else None,
                    "marking": p.marking.summary,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "generated_at": now.isoformat(),
        "count": len(features),
        "features": features,
    }
