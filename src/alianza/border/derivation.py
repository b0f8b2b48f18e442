"""Derive the bundled boundary copy from the full IBWC line (used by scripts/derive_boundary.py).

The product must run without the shared data directory, so a simplified copy of the line is
bundled in ``alianza/border/data``. Simplification is Douglas–Peucker (shapely, topology
preserving) in :data:`~alianza.border.geometry.BORDER_CRS`; Douglas–Peucker keeps every removed
vertex within the tolerance of the simplified line, so the Hausdorff distance between the two
lines is at most the tolerance (in projected metres). Projected metres differ from true metres
by under 0.14 % and rounding to 6 decimals moves a vertex by under 0.08 m, so a 19 m tolerance
stays under the 20 m limit; :func:`derive` measures the result anyway and refuses to write a
copy that deviates by more than the limit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from alianza.border.geometry import (
    BORDER_CRS_MAX_SCALE_ERROR,
    BoundaryLine,
    hausdorff_m,
    read_line,
    to_lonlat,
    to_xy,
)

MAX_DEVIATION_M = 20.0
DEFAULT_TOLERANCE_M = 19.0
COORD_DECIMALS = 6  # 1e-6 degree is about 0.1 m
SOURCE_DESCRIPTION = (
    "International Boundary and Water Commission (IBWC) United States–Mexico boundary line, "
    "as published in the Wireless-Innovation-Forum/Spectrum-Access-System repository "
    "(data/fcc/us_mex_boundary.kmz)"
)


@dataclass(frozen=True)
class Derivation:
    """Result of :func:`derive`: the simplified line plus figures describing it."""

    coords: np.ndarray  # (n, 2) lon/lat, west to east, rounded
    source_point_count: int
    source_length_m: float
    source_sha256: str
    tolerance_m: float
    max_deviation_m: float  # measured (sampled) Hausdorff distance, metres
    sample_step_m: float  # sampling step of that measurement
    deviation_bound_m: float  # analytic upper bound: tolerance, scale error and rounding
    length_m: float

    def geojson_text(self) -> str:
        """Compact, deterministic GeoJSON text of the derived line."""
        feature = {
            "type": "Feature",
            "properties": {
                "name": "United States–Mexico international boundary",
                "source": SOURCE_DESCRIPTION,
                "orientation": "west to east (Pacific to Gulf of Mexico); US on the left",
                "derivation": (
                    f"Douglas-Peucker simplification, tolerance {self.tolerance_m:g} m in "
                    "Lambert Conformal Conic (lat_1=26.5, lat_2=32, lon_0=-107.2, WGS84); "
                    f"coordinates rounded to {COORD_DECIMALS} decimals"
                ),
                "source_point_count": self.source_point_count,
                "source_length_m": round(self.source_length_m, 1),
                "source_sha256": self.source_sha256,
                "point_count": len(self.coords),
                "length_m": round(self.length_m, 1),
                "max_deviation_m": round(self.max_deviation_m, 2),
            },
            "geometry": {"type": "LineString", "coordinates": self.coords.tolist()},
        }
        collection = {"type": "FeatureCollection", "features": [feature]}
        return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"

    def source_md_text(self) -> str:
        """Text of data/SOURCE.md, naming the source and how the copy was derived."""
        return f"""# Source of `us-mexico-boundary.geojson`

**Source:** {SOURCE_DESCRIPTION}.

The line is the work of the United States Section of the IBWC, a US federal agency, and is
distributed in the FCC data folder of that repository. As a US government work it is not
subject to copyright in the United States (17 U.S.C. 105).

It is derived from the project's shared copy,
`../shared/data/boundary/us-mexico-boundary.geojson`: one LineString of
{self.source_point_count:,} points, lon/lat WGS84, sha256
`{self.source_sha256}`.

## Derivation

`scripts/derive_boundary.py` runs `alianza/border/derivation.py`:

1. Read the LineString, drop consecutive duplicate vertices and orient it west to east
   (Pacific end first), the direction in which kilometre markers grow.
2. Project to a Lambert Conformal Conic centred on the border (standard parallels 26.5°N
   and 32°N, origin 29.25°N 107.2°W, WGS84). Its scale error is under 0.14 % within 50 km
   of the line.
3. Simplify with Douglas–Peucker (shapely, topology preserving) at a {self.tolerance_m:g} m
   tolerance, unproject, and round coordinates to {COORD_DECIMALS} decimals (about 0.1 m).
4. Check the deviation two ways and refuse to write if either exceeds {MAX_DEVIATION_M:g} m:
   - analytic bound: Douglas–Peucker keeps the Hausdorff distance within the tolerance in
     projected metres; adding the scale error and the rounding gives
     {self.deviation_bound_m:.2f} m;
   - measurement: the Hausdorff distance measured geodesically, sampling both lines at
     every vertex and every {self.sample_step_m:g} m.

## Figures

| | source | bundled copy |
|---|---:|---:|
| points | {self.source_point_count:,} | {len(self.coords):,} |
| geodesic length | {self.source_length_m / 1000:,.3f} km | {self.length_m / 1000:,.3f} km |
| maximum deviation (measured) | | {self.max_deviation_m:.2f} m (limit {MAX_DEVIATION_M:g} m) |

The copy is {100 * (1 - self.length_m / self.source_length_m):.2f} % shorter because
simplification straightens the smallest river meanders. Kilometre markers and segment ids in
`alianza.border` are measured along this bundled copy from its western (Pacific) end.
"""


def deviation_bound_m(*, tolerance_m: float) -> float:
    """Upper bound of the true deviation for a given projected Douglas–Peucker tolerance.

    Projected metres overstate or understate true ones by at most the CRS scale error, and
    rounding to COORD_DECIMALS moves a vertex by at most half a unit in each axis
    (0.5e-6 degree is 0.056 m of latitude, less of longitude).
    """
    rounding_m = np.hypot(0.5, 0.5) * 10.0**-COORD_DECIMALS * 111_320.0
    return tolerance_m / (1.0 - BORDER_CRS_MAX_SCALE_ERROR) + rounding_m


def derive(
    *,
    source: Path | str,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    sample_step_m: float = 5.0,
    max_deviation_m: float = MAX_DEVIATION_M,
) -> Derivation:
    """Simplify the source line and verify it stays within ``max_deviation_m`` of it."""
    raw = Path(source).read_bytes()
    original = BoundaryLine.from_coords(read_line(path=source))
    x, y = to_xy(lons=original.coords[:, 0], lats=original.coords[:, 1])
    simplified = shapely.simplify(
        shapely.LineString(np.column_stack([x, y])), tolerance_m, preserve_topology=True
    )
    sxy = shapely.get_coordinates(simplified)
    lon, lat = to_lonlat(xs=sxy[:, 0], ys=sxy[:, 1])
    derived = BoundaryLine.from_coords(
        np.round(np.column_stack([lon, lat]), COORD_DECIMALS)
    )  # from_coords drops any duplicates that rounding created
    if not shapely.is_simple(shapely.LineString(derived.xy())):
        raise ValueError("simplified boundary intersects itself; lower the tolerance")
    bound = deviation_bound_m(tolerance_m=tolerance_m)
    deviation = hausdorff_m(original.coords, derived.coords, step_m=sample_step_m)
    if max(bound, deviation) > max_deviation_m:
        raise ValueError(
            f"simplified boundary may deviate {max(bound, deviation):.2f} m from the source "
            f"(measured {deviation:.2f} m, bound {bound:.2f} m), over the "
            f"{max_deviation_m:g} m limit"
        )
    return Derivation(
        coords=np.array(derived.coords),
        source_point_count=len(read_line(path=source)),
        source_length_m=original.length_m,
        source_sha256=hashlib.sha256(raw).hexdigest(),
        tolerance_m=tolerance_m,
        max_deviation_m=deviation,
        sample_step_m=sample_step_m,
        deviation_bound_m=bound,
        length_m=derived.length_m,
    )


def write(derivation: Derivation, *, output_dir: Path | str) -> tuple[Path, Path]:
    """Write the GeoJSON copy and SOURCE.md into ``output_dir``; return their paths."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    geojson_path = out / "us-mexico-boundary.geojson"
    source_path = out / "SOURCE.md"
    geojson_path.write_text(derivation.geojson_text(), encoding="utf-8")
    source_path.write_text(derivation.source_md_text(), encoding="utf-8")
    return geojson_path, source_path
