"""Hotspots on H3 cells: crossings per cell, effort-adjusted where visible patrol effort is
known, raw otherwise, and every cell says which.

Method (also in docs/flows.md):
- Events: the crossings the reader may see under the filters (a linked crossing once, at the
  location of its representative report), each placed in the H3 cell of its lon/lat at the
  chosen resolution (default 7, about 5 km² a cell).
- Effort: `flows.effort.patrol_effort_by_segment` gives the visible patrol hours of each 1 km
  segment over the same days. Effort is only known per segment, and an event belongs to the
  segment it was snapped to, so a segment's hours are shared among the cells holding its
  events in proportion to how many of its events each cell holds. No hour is invented or lost:
  the cells' hours add up to the hours of the segments that had events.
- A cell is *per patrol hour* when every one of its events lies on a segment with visible
  effort (> 0 h): rate = events / apportioned hours. Otherwise it is *raw*: the count alone,
  because dividing part of the events by part of the effort would understate the rate.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import h3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from alianza.border.hexes import DEFAULT_RESOLUTION, cell_for, cell_geojson

from .analytics_filters import FlowFilters, crossing_events
from .effort import patrol_effort_by_segment

MIN_RESOLUTION, MAX_RESOLUTION = 5, 9
PER_HOUR, RAW = "per_hour", "raw"


def default_resolution() -> int:
    return int(getattr(settings, "ALIANZA_HOTSPOT_RESOLUTION", DEFAULT_RESOLUTION))


def resolution_parse(raw) -> int:
    if raw in (None, ""):
        return default_resolution()
    text = str(raw).strip()
    if not text.isdigit() or not MIN_RESOLUTION <= int(text) <= MAX_RESOLUTION:
        raise ValidationError(
            {
                "resolution": _("Choose an H3 resolution from %(low)s to %(high)s.")
                % {"low": MIN_RESOLUTION, "high": MAX_RESOLUTION}
            }
        )
    return int(text)


@dataclass
class Hotspot:
    cell: str
    events: int
    segments: dict[str, int] = field(default_factory=dict)
    patrol_hours: float | None = None
    rate: float | None = None  # crossings per patrol hour, None when raw

    @property
    def basis(self) -> str:
        return PER_HOUR if self.rate is not None else RAW

    @property
    def centre(self) -> tuple[float, float]:
        lat, lon = h3.cell_to_latlng(self.cell)
        return lon, lat


@dataclass
class Hotspots:
    resolution: int
    cells: list[Hotspot]
    total_events: int
    effort_known: bool  # any visible effort at all in the period

    @property
    def adjusted(self) -> int:
        return sum(1 for c in self.cells if c.rate is not None)


def hotspot_cells(
    *, reader, filters: FlowFilters, resolution: int | None = None, order: str = "events"
) -> Hotspots:
    """Cells ranked by crossings (`order="events"`), or effort-adjusted cells first by rate
    then raw cells by count (`order="rate"`)."""
    resolution = default_resolution() if resolution is None else resolution
    rows = crossing_events(reader=reader, filters=filters).values_list(
        "lon", "lat", "segment__segment_id"
    )
    per_cell: dict[str, Counter] = defaultdict(Counter)
    per_segment: Counter = Counter()
    for lon, lat, segment_id in rows.iterator():
        per_cell[cell_for(lon, lat, resolution=resolution)][segment_id] += 1
        per_segment[segment_id] += 1
    effort = patrol_effort_by_segment(reader=reader, since=filters.since, until=filters.until)
    cells = []
    for cell, segments in per_cell.items():
        events = sum(segments.values())
        spot = Hotspot(cell=cell, events=events, segments=dict(segments))
        known = all(s in effort and effort[s].hours > 0 for s in segments)
        if known:
            hours = sum(effort[s].hours * n / per_segment[s] for s, n in segments.items())
            spot.patrol_hours = round(hours, 2)
            spot.rate = round(events / hours, 4)
        cells.append(spot)
    if order == "rate":
        cells.sort(
            key=lambda c: (c.rate is None, -(c.rate or 0), -c.events, c.cell),
        )
    else:
        cells.sort(key=lambda c: (-c.events, c.cell))
    return Hotspots(
        resolution=resolution,
        cells=cells,
        total_events=sum(per_segment.values()),
        effort_known=any(t.hours > 0 for t in effort.values()),
    )


def hotspots_geojson(result: Hotspots, *, labels: dict[str, str]) -> dict:
    features = []
    for rank, spot in enumerate(result.cells, start=1):
        features.append(
            {
                "type": "Feature",
                "id": spot.cell,
                "properties": {
                    "cell": spot.cell,
                    "rank": rank,
                    "events": spot.events,
                    "patrol_hours": spot.patrol_hours,
                    "events_per_hour": spot.rate,
                    "basis": spot.basis,
                    "basis_label": labels[spot.basis],
                    "segments": sorted(spot.segments),
                },
                "geometry": cell_geojson(spot.cell),
            }
        )
    return {
        "type": "FeatureCollection",
        "resolution": result.resolution,
        "total_events": result.total_events,
        "features": features,
    }
