"""GeoJSON layers for the flow map (`/api/flows/map/...`): the boundary, segments with their
measures, the newest events, places and hotspot cells. Every layer built from events or effort
comes from what the caller may see; every read is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router

from alianza.access.getters import RecordNotFound
from alianza.access.rules import reader_for
from alianza.audit.services import audit_record

from . import geo
from .analytics_filters import FlowFilters, flow_filters_parse
from .hotspots import PER_HOUR, RAW, hotspot_cells, hotspots_geojson, resolution_parse

router = Router(tags=["flows map"])


def _reader(request):
    reader = reader_for(request.user)
    if not reader.may_read_anything:
        raise RecordNotFound()
    return reader


def _filters(**params) -> FlowFilters:
    return flow_filters_parse({k: v for k, v in params.items() if v is not None})


def _audit(request, layer: str, filters: FlowFilters | None = None, **details) -> None:
    audit_record(
        action="flowevent.map",
        actor=request.user,
        object_type="flows.flowevent",
        details={"layer": layer, "filters": filters.summary() if filters else {}, **details},
    )


def _number(raw: str, field: str) -> float | None:
    if raw in ("", None):
        return None
    try:
        return float(raw)
    except ValueError as error:
        raise ValidationError(
            {field: _("Not a number: %(value)s") % {"value": raw[:40]}}
        ) from error


@router.get("/boundary", response=dict)
def map_boundary(request):
    """The international boundary (IBWC line, bundled): public reference data."""
    _reader(request)
    return geo.boundary_geojson()


@router.get("/segments", response=dict)
def map_segments(
    request,
    since: str = "",
    until: str = "",
    corridor: str = "",
    direction: str = "",
    kind: str = "",
    km_min: str = "",
    km_max: str = "",
):
    """Border segments with the measures the map colours them by (events, apprehensions,
    effectiveness, events per patrol hour), from the events and effort you may see."""
    reader = _reader(request)
    filters = _filters(since=since, until=until, corridor=corridor, direction=direction, kind=kind)
    low, high = _number(km_min, "km_min"), _number(km_max, "km_max")
    km_range = None
    if low is not None or high is not None:
        km_range = (low if low is not None else -1.0, high if high is not None else 1e6)
        if km_range[0] >= km_range[1]:
            raise ValidationError({"km_min": _("km_min must be below km_max.")})
    _audit(request, "segments", filters)
    return geo.segments_geojson(reader=reader, filters=filters, km_range=km_range)


@router.get("/events", response=dict)
def map_events(
    request,
    since: str = "",
    until: str = "",
    corridor: str = "",
    direction: str = "",
    kind: str = "",
    limit: str = "",
):
    """The newest visible events as points (at most `limit`, default 500, up to 2000); `total`
    says how many match and `truncated` whether some are not drawn."""
    reader = _reader(request)
    filters = _filters(since=since, until=until, corridor=corridor, direction=direction, kind=kind)
    count = geo.DEFAULT_EVENT_LIMIT
    if limit:
        if not limit.isdigit() or not 1 <= int(limit) <= geo.MAX_EVENT_LIMIT:
            raise ValidationError(
                {"limit": _("Choose a limit from 1 to %(max)s.") % {"max": geo.MAX_EVENT_LIMIT}}
            )
        count = int(limit)
    result = geo.events_geojson(reader=reader, filters=filters, limit=count)
    _audit(request, "events", filters, shown=result["shown"])
    return result


@router.get("/places", response=dict)
def map_places(request):
    """Ports of entry, stations, towns and checkpoints: public reference data."""
    _reader(request)
    return geo.places_geojson()


@router.get("/hotspots", response=dict)
def map_hotspots(
    request,
    since: str = "",
    until: str = "",
    corridor: str = "",
    direction: str = "",
    kind: str = "",
    resolution: str = "",
    order: str = "events",
):
    """H3 cells with their crossings, and crossings per patrol hour where the visible patrol
    effort of every segment in the cell is known (`basis` "per_hour"), else raw counts."""
    reader = _reader(request)
    filters = _filters(since=since, until=until, corridor=corridor, direction=direction, kind=kind)
    level = resolution_parse(resolution)
    if order not in ("events", "rate"):
        raise ValidationError({"order": _("Choose events or rate.")})
    result = hotspot_cells(reader=reader, filters=filters, resolution=level, order=order)
    _audit(request, "hotspots", filters, resolution=level)
    labels = {PER_HOUR: _("per patrol hour"), RAW: _("raw count")}
    return hotspots_geojson(result, labels=labels)
