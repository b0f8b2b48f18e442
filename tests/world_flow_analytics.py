"""Helpers for the flow analytics tests (dashboard, hotspots, displacement, map): points in a
corridor, effort rows, events a reader may not see, and page bodies made comparable."""

from __future__ import annotations

import datetime as dt
import re

from world_flows import make_flow_event

from alianza.access.services import marking_get_or_create
from alianza.border.models import Corridor, Segment
from alianza.flows.effort import EffortRow, patrol_effort_replace

JUNE = dt.datetime(2026, 6, 15, 3, 30, tzinfo=dt.UTC)  # 2026-06-14 20:30 in Arizona
# Wide enough to hold every fixture event whatever "today" is.
WINDOW = "since=2026-01-01&until=2026-11-27"


def corridor(code: str, agency=None) -> Corridor:
    queryset = Corridor.objects.filter(code=code)
    if agency is not None:
        queryset = queryset.filter(agency=agency)
    return queryset.get()


def point_at_km(km: float, *, north_km: float = 1.0) -> tuple[float, float]:
    """A point about `north_km` north of the line (United States side) at kilometre `km`."""
    segment = Segment.objects.get(km_start__lte=km, km_end__gt=km)
    lon, lat = segment.geometry["coordinates"][0]
    return lon, lat + north_km / 111.0


def point_in(code: str, *, offset_km: float = 0.0, north_km: float = 1.0):
    c = corridor(code)
    return point_at_km((c.km_start + c.km_end) / 2 + offset_km, north_km=north_km)


def segment_at(lon: float, lat: float) -> str:
    from alianza.border.locating import default_locator

    return default_locator().locate(lon, lat).segment_id


def effort(w, *, agency=None, day=dt.date(2026, 6, 14), rows, releasable_to=None, compartments=()):
    """Replace `agency`'s manual effort of `day` by rows [(segment_id, hours)]."""
    agency = agency or w.us
    if releasable_to is None:
        releasable_to = [w.mx] if agency == w.us else [w.us]
    marking = marking_get_or_create(
        originating_agency=agency, releasable_to=releasable_to, compartments=compartments
    )
    return patrol_effort_replace(
        actor=None,
        agency=agency,
        day=day,
        source="manual",
        rows=[EffortRow(segment_id=s, side="US", hours=h, kilometres=h * 2) for s, h in rows],
        marking=marking,
    )


def hidden_from_mx(w, *, where=None, when=None, kind="seizure", tag="HIDDEN"):
    """Two events mx_analyst may not see (US internal; US shared with MX but compartmented),
    with items of every commodity, in a place and of a kind that would change every figure."""
    lon, lat = where or point_in("SASABE")
    items = {
        "drugs": [{"category": "cocaine", "quantity": "12.5", "unit": "kg"}],
        "currency": [{"amount": "9000", "currency": "USD"}],
        "firearms": [{"type": "rifle", "make": "X", "model": "Y"}],
        "persons": [{"count": 7, "nationality": "MX"}],
    }
    events = [
        make_flow_event(
            agency=w.us,
            case_reference=f"{tag}-INTERNAL",
            kind=kind,
            lon=lon,
            lat=lat,
            when=when or JUNE,
            items=items,
        ),
        make_flow_event(
            agency=w.us,
            case_reference=f"{tag}-COMPARTMENT",
            kind="got_away",
            lon=lon,
            lat=lat,
            when=when or JUNE,
            releasable_to=[w.mx],
            compartments=[w.compartment],
            items={"persons": [{"count": 4}]},
        ),
    ]
    return events


_VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")|(csrftoken=)[^;]*')


def comparable(body: bytes | str) -> str:
    """A page body with its per-request tokens blanked, so two renders can be compared."""
    text = body.decode() if isinstance(body, bytes) else body
    return _VOLATILE.sub(lambda m: (m.group(1) or m.group(3) or "") + (m.group(2) or ""), text)
