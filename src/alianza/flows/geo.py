"""GeoJSON layers of the flow map, from what the reader may see.

The boundary, segments and places are public reference data; the measures on the segments,
the events and the hotspot cells come from the visible events (each crossing once) and the
visible patrol effort only.
"""

from __future__ import annotations

import functools
import json

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from alianza.border.geometry import BUNDLED_BOUNDARY_PATH
from alianza.border.models import Corridor, Place, Segment
from alianza.config.clock import display_zone

from .analytics_filters import FlowFilters, crossings
from .analytics_filters import filtered_events as _filtered
from .dashboard import effectiveness_rate
from .effort import patrol_effort_by_segment

DEFAULT_EVENT_LIMIT = 500
MAX_EVENT_LIMIT = 2000
# Segments drawn by default: the configured corridors and this much line either side.
MARGIN_KM = 30.0
MEASURES = ("events", "apprehensions", "effectiveness", "events_per_hour")


@functools.cache
def boundary_geojson() -> dict:
    """The bundled IBWC line (see border/data/SOURCE.md), as one FeatureCollection."""
    with open(BUNDLED_BOUNDARY_PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    for feature in data["features"]:
        feature["properties"] = {"name": feature["properties"].get("name", "")}
    return data


def default_km_range() -> tuple[float, float] | None:
    corridors = list(Corridor.objects.values_list("km_start", "km_end"))
    if not corridors:
        return None
    return (
        min(start for start, _ in corridors) - MARGIN_KM,
        max(end for _, end in corridors) + MARGIN_KM,
    )


def segments_geojson(
    *, reader, filters: FlowFilters, km_range: tuple[float, float] | None = None
) -> dict:
    """Segments with every measure the map can colour them by."""
    km_range = km_range or default_km_range()
    segments = Segment.objects.order_by("index")
    if km_range is not None:
        segments = segments.filter(km_end__gt=km_range[0], km_start__lt=km_range[1])
    all_kinds = crossings(_filtered(reader=reader, filters=filters, kind=False))
    counts: dict[str, dict[str, int]] = {}
    for row in all_kinds.order_by().values("segment__segment_id", "kind").annotate(n=Count("id")):
        counts.setdefault(row["segment__segment_id"], {})[row["kind"]] = row["n"]
    effort = patrol_effort_by_segment(reader=reader, since=filters.since, until=filters.until)
    features = []
    for segment in segments:
        kinds = counts.get(segment.segment_id, {})
        events = sum(n for k, n in kinds.items() if not filters.kind or k == filters.kind)
        outcome = [kinds.get(k, 0) for k in ("apprehension", "turn_back", "got_away")]
        hours = effort[segment.segment_id].hours if segment.segment_id in effort else 0.0
        features.append(
            {
                "type": "Feature",
                "id": segment.segment_id,
                "properties": {
                    "segment_id": segment.segment_id,
                    "km_start": round(segment.km_start, 3),
                    "km_end": round(segment.km_end, 3),
                    "events": events,
                    "apprehensions": outcome[0],
                    "turn_backs": outcome[1],
                    "got_aways": outcome[2],
                    "effectiveness": effectiveness_rate(*outcome),
                    "patrol_hours": round(hours, 2),
                    "events_per_hour": round(events / hours, 4) if hours > 0 else None,
                },
                "geometry": segment.geometry,
            }
        )
    return {"type": "FeatureCollection", "measures": list(MEASURES), "features": features}


def events_geojson(*, reader, filters: FlowFilters, limit: int = DEFAULT_EVENT_LIMIT) -> dict:
    """The newest `limit` visible events (each report, so a linked crossing shows both
    agencies' points) and how many there are in all."""
    events = _filtered(reader=reader, filters=filters).select_related(
        "agency", "marking", "segment"
    )
    total = events.count()
    zone = display_zone()
    features = []
    for event in events.order_by("-occurred_at", "-id")[:limit]:
        local = timezone.localtime(event.occurred_at, zone)
        features.append(
            {
                "type": "Feature",
                "id": event.pk,
                "properties": {
                    "id": event.pk,
                    "kind": event.kind,
                    "kind_label": str(event.get_kind_display()),
                    "direction": event.direction,
                    "direction_label": str(event.get_direction_display()),
                    "occurred_at": local.strftime("%Y-%m-%d %H:%M"),
                    "segment_id": event.segment.segment_id,
                    "side": event.side,
                    "agency": event.agency.code,
                    "case_reference": event.case_reference,
                    "marking": event.marking.summary,
                    "crossing": bool(event.crossing),
                    "url": reverse("flows:event_detail", args=[event.pk]),
                },
                "geometry": {"type": "Point", "coordinates": [event.lon, event.lat]},
            }
        )
    return {
        "type": "FeatureCollection",
        "total": total,
        "shown": len(features),
        "limit": limit,
        "truncated": total > len(features),
        "features": features,
    }


def places_geojson() -> dict:
    features = [
        {
            "type": "Feature",
            "id": place.code,
            "properties": {
                "code": place.code,
                "name": place.name,
                "kind": place.kind,
                "kind_label": str(place.get_kind_display()),
            },
            "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        }
        for place in Place.objects.order_by("name")
    ]
    return {"type": "FeatureCollection", "features": features}
