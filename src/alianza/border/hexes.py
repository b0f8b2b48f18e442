"""H3 hexagon helpers for hotspot maps (lon/lat in, GeoJSON out)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import h3
import numpy as np

DEFAULT_RESOLUTION = 7  # about 5 km² per cell: town-scale hotspots


def _check_resolution(resolution: int) -> None:
    if isinstance(resolution, bool) or not isinstance(resolution, int) or not 0 <= resolution <= 15:
        raise ValueError(f"H3 resolution must be an integer 0-15, got {resolution!r}")


def cell_for(lon: float, lat: float, *, resolution: int = DEFAULT_RESOLUTION) -> str:
    """H3 cell (hex string) containing the lon/lat point."""
    _check_resolution(resolution)
    return h3.latlng_to_cell(float(lat), float(lon), resolution)


def cells_for(
    lons: np.ndarray, lats: np.ndarray, *, resolution: int = DEFAULT_RESOLUTION
) -> list[str]:
    """H3 cells for arrays of longitudes and latitudes."""
    _check_resolution(resolution)
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    if lons.shape != lats.shape:
        raise ValueError("lons and lats must have the same shape")
    return [
        h3.latlng_to_cell(la, lo, resolution)
        for lo, la in zip(lons.tolist(), lats.tolist(), strict=True)
    ]


def count_cells(
    lons: np.ndarray, lats: np.ndarray, *, resolution: int = DEFAULT_RESOLUTION
) -> dict[str, int]:
    """Number of points per H3 cell, keyed by cell and sorted by cell id."""
    return dict(sorted(Counter(cells_for(lons, lats, resolution=resolution)).items()))


def cell_geojson(cell: str) -> dict:
    """The cell's boundary as a GeoJSON Polygon (lon/lat order, closed ring)."""
    if not h3.is_valid_cell(cell):
        raise ValueError(f"not a valid H3 cell: {cell!r}")
    ring = [[lng, lat] for lat, lng in h3.cell_to_boundary(cell)]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def cells_feature_collection(cells: Mapping[str, int] | Iterable[str]) -> dict:
    """FeatureCollection of cell polygons; a mapping's values become ``count`` properties."""
    counts = dict(cells) if isinstance(cells, Mapping) else None
    features = []
    for cell in sorted(counts if counts is not None else set(cells)):
        props: dict = {"cell": cell, "resolution": h3.get_resolution(cell)}
        if counts is not None:
            props["count"] = counts[cell]
        features.append(
            {"type": "Feature", "id": cell, "properties": props, "geometry": cell_geojson(cell)}
        )
    return {"type": "FeatureCollection", "features": features}
