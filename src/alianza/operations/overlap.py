"""Space-time overlap of planned activities (pure functions)."""

from __future__ import annotations

import datetime as dt
import math

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance; activities are a few km apart at most, where it
    agrees with the ellipsoid to within 0.5 %."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def circles_overlap(a: tuple[float, float, float], b: tuple[float, float, float]) -> bool:
    """(lon, lat, radius): areas that touch count as overlapping (two teams at one spot)."""
    return distance_m(a[0], a[1], b[0], b[1]) <= a[2] + b[2]


def window_overlap(
    a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime
) -> tuple[dt.datetime, dt.datetime] | None:
    """Half-open windows [start, end): one ending as the other starts does not overlap."""
    start, end = max(a_start, b_start), min(a_end, b_end)
    return (start, end) if start < end else None


def meeting_point(
    a: tuple[float, float, float], b: tuple[float, float, float]
) -> tuple[float, float]:
    """A point in both areas' overlap (weighted toward the smaller one), for 'where'."""
    weight = a[2] / (a[2] + b[2]) if a[2] + b[2] else 0.5
    return a[0] + (b[0] - a[0]) * weight, a[1] + (b[1] - a[1]) * weight
