"""Cut the boundary into fixed-length segments with stable ids and kilometre markers.

Segments are measured geodesically along the line from its **western (Pacific) end**, so
segment ``k`` covers chainage ``[k * length_m, (k + 1) * length_m)`` and the last segment holds
the remainder (shorter than ``length_m``). Chainage is the sum of the edges' geodesic lengths;
a cut point sits on its edge (straight in BORDER_CRS) at the matching fraction of that length.

Ids are derived only from the segment length and the start chainage, e.g. ``km-0123`` for the
1 km segment starting at kilometre 123, or ``km-0123.5`` with 500 m segments. The same line
and length therefore always give the same ids and geometry (cut coordinates are rounded to
1e-7 degree, about 1 cm, so tiny floating-point differences cannot leak into them).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from alianza.border.geometry import GEOD, BoundaryLine, load_line, to_lonlat, to_xy

DEFAULT_SEGMENT_LENGTH_M = 1000
CUT_DECIMALS = 7
_PROFILE_STEP_M = 50.0
_PROFILE_MIN_EDGE_M = 1000.0  # on shorter edges the scale varies by < 3e-6: mm-level


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of the boundary. ``coords`` are lon/lat pairs, west to east."""

    index: int
    segment_id: str
    start_m: float  # chainage from the Pacific end, metres
    end_m: float
    coords: tuple[tuple[float, float], ...]

    @property
    def km_start(self) -> float:
        return self.start_m / 1000.0

    @property
    def km_end(self) -> float:
        return self.end_m / 1000.0

    @property
    def length_m(self) -> float:
        return round(self.end_m - self.start_m, 3)

    def geojson(self) -> dict:
        """Geometry as a GeoJSON LineString dict."""
        return {"type": "LineString", "coordinates": [list(c) for c in self.coords]}

    def feature(self) -> dict:
        """GeoJSON Feature with id and kilometre markers as properties."""
        return {
            "type": "Feature",
            "id": self.segment_id,
            "properties": {
                "segment_id": self.segment_id,
                "index": self.index,
                "km_start": self.km_start,
                "km_end": self.km_end,
                "length_m": self.length_m,
            },
            "geometry": self.geojson(),
        }


@dataclass(frozen=True, eq=False)
class Segmentation:
    """Segments plus the densified line (original vertices and cut points) they come from.

    ``coords``/``chainage_m`` describe the densified polyline; edge ``j`` (from vertex ``j`` to
    ``j + 1``) lies in segment ``edge_segment[j]``. The locator works on these arrays.
    """

    line: BoundaryLine
    segment_length_m: int
    segments: tuple[Segment, ...]
    coords: np.ndarray = field(repr=False)
    chainage_m: np.ndarray = field(repr=False)
    edge_segment: np.ndarray = field(repr=False)

    @property
    def total_length_m(self) -> float:
        return self.line.length_m

    def by_id(self) -> dict[str, Segment]:
        return {s.segment_id: s for s in self.segments}

    def feature_collection(self) -> dict:
        return {"type": "FeatureCollection", "features": [s.feature() for s in self.segments]}


def segment_id_for(*, start_m: int, segment_length_m: int) -> str:
    """Stable id of the segment starting ``start_m`` metres from the Pacific end."""
    # As many decimals of kilometre as the length needs, so ids are unique and sort in order.
    decimals = next(
        d for d, unit in ((0, 1000), (1, 100), (2, 10), (3, 1)) if not segment_length_m % unit
    )
    whole, metres = divmod(start_m, 1000)
    return f"km-{whole:04d}" + (f".{metres:03d}"[: decimals + 1] if decimals else "")


def segment_line(
    line: BoundaryLine | None = None, *, segment_length_m: int = DEFAULT_SEGMENT_LENGTH_M
) -> Segmentation:
    """Cut ``line`` (default: the bundled boundary) into ``segment_length_m`` pieces."""
    if isinstance(segment_length_m, bool) or not isinstance(segment_length_m, int):
        raise TypeError("segment_length_m must be a whole number of metres")
    if segment_length_m < 1:
        raise ValueError("segment_length_m must be at least 1 m")
    line = line if line is not None else load_line()
    total = line.length_m
    count = max(1, math.ceil(total / segment_length_m))
    starts = np.arange(count, dtype=np.int64) * segment_length_m

    cut_xy = _cut_points(line, distances=starts[1:].astype(float))
    # Each segment: its start cut, the line's vertices strictly inside it, its end cut.
    coords_parts, chain_parts, seg_parts = [], [], []
    cut_at = 0
    for seg in range(count):
        end = float(starts[seg + 1]) if seg + 1 < count else total
        start = float(starts[seg])
        lo = np.searchsorted(line.chainage_m, start, side="right")
        hi = np.searchsorted(line.chainage_m, end, side="left")
        first = line.coords[0] if seg == 0 else cut_xy[cut_at - 1]
        last = line.coords[-1] if seg + 1 == count else cut_xy[cut_at]
        pts = np.vstack([first, line.coords[lo:hi], last])
        chain = np.concatenate([[start], line.chainage_m[lo:hi], [end]])
        keep = np.ones(len(pts), dtype=bool)
        keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)  # a cut may round onto a vertex
        if not keep[-1] and len(pts) > 2:  # keep the end cut (and its chainage), not the vertex
            keep[-1], keep[-2] = True, False
        pts, chain = pts[keep], chain[keep]
        if len(pts) < 2:  # only possible for absurdly short segments
            raise ValueError(f"segment {seg} collapsed to a point; use a longer length")
        coords_parts.append(pts)
        chain_parts.append(chain)
        seg_parts.append(np.full(len(pts) - 1, seg, dtype=np.int64))
        cut_at += 1

    segments = tuple(
        Segment(
            index=i,
            segment_id=segment_id_for(start_m=int(starts[i]), segment_length_m=segment_length_m),
            start_m=float(starts[i]),
            end_m=round(float(chain_parts[i][-1]), 3),  # the nominal end, to the mm
            coords=tuple((float(x), float(y)) for x, y in coords_parts[i]),
        )
        for i in range(count)
    )
    # Join the per-segment polylines, sharing each cut vertex between neighbours.
    dense = np.vstack([coords_parts[0]] + [p[1:] for p in coords_parts[1:]])
    chainage = np.concatenate([chain_parts[0]] + [c[1:] for c in chain_parts[1:]])
    edge_segment = np.concatenate(seg_parts)
    for arr in (dense, chainage, edge_segment):
        arr.setflags(write=False)
    return Segmentation(
        line=line,
        segment_length_m=segment_length_m,
        segments=segments,
        coords=dense,
        chainage_m=chainage,
        edge_segment=edge_segment,
    )


def _cut_points(line: BoundaryLine, *, distances: np.ndarray) -> np.ndarray:
    """Lon/lat of the points at the given chainages.

    The point lies on the edge as drawn in BORDER_CRS (the geometry the locator, the
    simplification and the deviation checks all use), at the edge's geodesic-length fraction.
    On long straight edges a geodesic would bow metres away from that drawn edge.
    """
    if len(distances) == 0:
        return np.empty((0, 2))
    edge = np.searchsorted(line.chainage_m, distances, side="right") - 1
    edge = np.clip(edge, 0, len(line.coords) - 2)
    along = distances - line.chainage_m[edge]
    edge_len = line.chainage_m[edge + 1] - line.chainage_m[edge]
    frac = along / edge_len
    a, b = line.coords[edge], line.coords[edge + 1]
    ax, ay = to_xy(lons=a[:, 0], lats=a[:, 1])
    bx, by = to_xy(lons=b[:, 0], lats=b[:, 1])
    # The projection's scale varies along a long edge, so a fraction of the geodesic length is
    # not the same fraction of the drawn edge: map it through the edge's own measured profile.
    long_edge = edge_len > _PROFILE_MIN_EDGE_M
    for e in np.unique(edge[long_edge]):
        here = np.flatnonzero(edge == e)
        i = here[0]
        steps = np.linspace(0.0, 1.0, int(np.ceil(edge_len[i] / _PROFILE_STEP_M)) + 1)
        plon, plat = to_lonlat(
            xs=ax[i] + steps * (bx[i] - ax[i]), ys=ay[i] + steps * (by[i] - ay[i])
        )
        profile = np.concatenate(
            [[0.0], np.cumsum(GEOD.inv(plon[:-1], plat[:-1], plon[1:], plat[1:])[2])]
        )
        frac[here] = np.interp(frac[here], profile / profile[-1], steps)
    lon, lat = to_lonlat(xs=ax + frac * (bx - ax), ys=ay + frac * (by - ay))
    cut = np.round(np.column_stack([lon, lat]), CUT_DECIMALS)
    # A cut exactly on a vertex is that vertex (avoids a rounding-sized stub edge).
    on_vertex = along <= 1e-6
    cut[on_vertex] = a[on_vertex]
    return cut


@functools.lru_cache(maxsize=8)
def bundled_segmentation(*, segment_length_m: int = DEFAULT_SEGMENT_LENGTH_M) -> Segmentation:
    """Segments of the bundled boundary, cached per length."""
    return segment_line(load_line(), segment_length_m=segment_length_m)


def segments(*, segment_length_m: int = DEFAULT_SEGMENT_LENGTH_M) -> tuple[Segment, ...]:
    """The bundled boundary's segments, west to east."""
    return bundled_segmentation(segment_length_m=segment_length_m).segments
