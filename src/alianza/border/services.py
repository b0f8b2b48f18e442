"""Loading the line and the reference places. Idempotent: ids are stable (`km-0686` is always
the 687th kilometre from the Pacific end), and administrators' edits survive a reload."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from alianza.audit.services import audit_record

from .locating import default_locator
from .models import Corridor, Place, Sector, Segment
from .segmenting import segments


@transaction.atomic
def border_segments_load(*, km_range: tuple[float, float] | None = None) -> int:
    """Create the missing segments of the bundled line (only those within `km_range` when
    given: test fixtures need a few hundred, not 3,224); returns how many were created."""
    existing = set(Segment.objects.values_list("segment_id", flat=True))
    low, high = km_range or (float("-inf"), float("inf"))
    new = [
        Segment(
            segment_id=s.segment_id,
            index=s.index,
            km_start=s.km_start,
            km_end=s.km_end,
            length_m=s.length_m,
            geometry=s.geojson(),
        )
        for s in segments()
        if s.segment_id not in existing and s.km_end > low and s.km_start < high
    ]
    Segment.objects.bulk_create(new, batch_size=500)
    if new:
        audit_record(action="segment.load", actor_username="system", details={"created": len(new)})
    return len(new)


@dataclass(frozen=True)
class PlaceSpec:
    code: str
    name: str
    kind: str
    lon: float
    lat: float


# Published coordinates (ports of entry from CBP, stations and towns from GNIS / INEGI).
NOGALES_PLACES = (
    PlaceSpec("POE-DECONCINI", "Nogales–DeConcini port", "port_of_entry", -110.9427, 31.3327),
    PlaceSpec("POE-MARIPOSA", "Nogales–Mariposa port", "port_of_entry", -110.9735, 31.3340),
    PlaceSpec("POE-SASABE", "Sasabe port of entry", "port_of_entry", -111.5430, 31.4817),
    PlaceSpec("POE-NACO", "Naco port of entry", "port_of_entry", -109.9480, 31.3336),
    PlaceSpec("STN-NOGALES", "Nogales Station (USBP)", "station", -110.9540, 31.3700),
    PlaceSpec("TOWN-HNOGALES", "Heroica Nogales", "town", -110.9422, 31.3086),
    PlaceSpec("TOWN-SASABE-MX", "El Sásabe", "town", -111.5453, 31.4793),
    PlaceSpec("TOWN-NACO-MX", "Naco, Sonora", "town", -109.9470, 31.3250),
)

# (code, name, anchor place, half-width km). Widths are planning choices, not law: an
# administrator may edit the resulting km range.
NOGALES_CORRIDORS = (
    ("NOGALES", "Nogales corridor", "POE-DECONCINI", 15.0),
    ("SASABE", "Sasabe corridor", "POE-SASABE", 20.0),
    ("NACO", "Naco corridor", "POE-NACO", 15.0),
)

# Tucson Sector: from the Yuma County line (on the boundary near lon -113.333) to the New
# Mexico state line (lon -109.0503).
TUCSON_WEST = (-113.333, 32.03)
TUCSON_EAST = (-109.0503, 31.3323)


@transaction.atomic
def border_nogales_load(*, agency) -> dict[str, int]:
    """Tucson Sector, the Nogales/Sasabe/Naco corridors for `agency`, and the places."""
    border_segments_load()
    locator = default_locator()
    by_id = {s.segment_id: s for s in Segment.objects.all()}
    places = {}
    for spec in NOGALES_PLACES:
        where = locator.locate(spec.lon, spec.lat)
        places[spec.code], _ = Place.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "lon": spec.lon,
                "lat": spec.lat,
                "segment": by_id[where.segment_id],
                "side": str(where.side),
            },
        )
    west = locator.locate(*TUCSON_WEST).km_marker
    east = locator.locate(*TUCSON_EAST).km_marker
    sector, _ = Sector.objects.get_or_create(
        agency=agency,
        code="TCA",
        defaults={"name": "Tucson Sector", "km_start": round(west, 1), "km_end": round(east, 1)},
    )
    for code, name, anchor, half_width in NOGALES_CORRIDORS:
        km = locator.locate(places[anchor].lon, places[anchor].lat).km_marker
        Corridor.objects.get_or_create(
            agency=agency,
            code=code,
            defaults={
                "name": name,
                "sector": sector,
                "km_start": round(km - half_width, 1),
                "km_end": round(km + half_width, 1),
            },
        )
    return {"places": len(places), "corridors": len(NOGALES_CORRIDORS)}
