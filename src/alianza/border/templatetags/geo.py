"""Coordinates as people read them in both languages: "31.3318, -110.9579".

Django's localisation would print "31,3318, -110,9579" in Spanish (decimal commas), which
reads as four numbers. Coordinates always take a decimal point (ISO 6709 style: latitude first,
signed decimal degrees); every template that shows a position uses this filter.
"""

from __future__ import annotations

from django import template

register = template.Library()

DEFAULT_DIGITS = 4  # a ten-thousandth of a degree: about 11 m


def _degrees(value, digits: int) -> str:
    return f"{float(value):.{digits}f}"


@register.filter
def coordinates(point, digits=DEFAULT_DIGITS) -> str:
    """`point`'s latitude and longitude (attributes `latitude`/`longitude` or `lat`/`lon`),
    with a decimal point whatever the language; "—" when it has none."""
    latitude = getattr(point, "latitude", getattr(point, "lat", None))
    longitude = getattr(point, "longitude", getattr(point, "lon", None))
    if latitude is None or longitude is None:
        return "—"
    try:
        digits = int(digits)
        return f"{_degrees(latitude, digits)}, {_degrees(longitude, digits)}"
    except (TypeError, ValueError):
        return "—"
