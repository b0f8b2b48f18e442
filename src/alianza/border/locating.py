"""Locate points against the boundary: nearest segment, kilometre marker, side and distance.

Side rule: the line is oriented west to east, so the United States is on its *left*. A point's
side is the side of the line at its nearest point on the line: the straight path from the
point to its nearest point cannot cross the line (anything it crossed would be nearer), so the
local test is globally right even where the Rio Grande meanders or runs north–south.

* Nearest point inside an edge: sign of the cross product of the edge direction with the
  offset to the point.
* Nearest point on a vertex: sign of the offset's dot product with the vertex pseudo-normal
  (sum of the unit left normals of the two edges meeting there), which is exact for every
  point whose nearest point is that vertex.
* Beyond either end of the line (offshore) the end edge is, in effect, extended straight.
* A point exactly on the line is assigned to the United States (a documented tie-break).

Planar work is done in :data:`~alianza.border.geometry.BORDER_CRS` (conformal, so the tests
above keep their meaning); ``distance_m`` is the geodesic distance to the nearest point.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import shapely

from alianza.border.geometry import geodesic_distance_m, to_lonlat, to_xy
from alianza.border.segmenting import (
    DEFAULT_SEGMENT_LENGTH_M,
    Segmentation,
    bundled_segmentation,
)

DEFAULT_MAX_DISTANCE_M = 50_000.0


class Side(StrEnum):
    US = "US"
    MX = "MX"


class FarFromBoundaryError(ValueError):
    """A point lies further from the boundary than the allowed maximum."""

    def __init__(self, *, lon: float, lat: float, distance_m: float, max_distance_m: float):
        self.lon, self.lat = lon, lat
        self.distance_m, self.max_distance_m = distance_m, max_distance_m
        super().__init__(
            f"point (lon={lon:.6f}, lat={lat:.6f}) is {distance_m / 1000:.1f} km from the "
            f"US–Mexico boundary; points further than {max_distance_m / 1000:g} km are rejected"
        )


@dataclass(frozen=True, slots=True)
class Location:
    """Where one point lies relative to the boundary."""

    segment_id: str
    segment_index: int
    km_marker: float  # chainage of the nearest point on the line, km from the Pacific end
    side: Side
    distance_m: float  # geodesic distance to the nearest point on the line
    nearest_lon: float
    nearest_lat: float


@dataclass(frozen=True, eq=False)
class Locations:
    """Vectorised result of :meth:`Locator.locate_many`; row ``i`` describes point ``i``.

    ``side`` holds the strings ``"US"``/``"MX"``; ``within`` is False for points beyond the
    maximum distance (only present when far points were not rejected).
    """

    segment_index: np.ndarray
    segment_id: np.ndarray
    km_marker: np.ndarray
    side: np.ndarray
    distance_m: np.ndarray
    nearest_lon: np.ndarray = field(repr=False)
    nearest_lat: np.ndarray = field(repr=False)
    within: np.ndarray = field(repr=False)

    def __len__(self) -> int:
        return len(self.segment_index)

    def __getitem__(self, i: int) -> Location:
        return Location(
            segment_id=str(self.segment_id[i]),
            segment_index=int(self.segment_index[i]),
            km_marker=float(self.km_marker[i]),
            side=Side(str(self.side[i])),
            distance_m=float(self.distance_m[i]),
            nearest_lon=float(self.nearest_lon[i]),
            nearest_lat=float(self.nearest_lat[i]),
        )

    @property
    def is_us(self) -> np.ndarray:
        return self.side == Side.US.value


class Locator:
    """Nearest-segment and side lookup over a :class:`Segmentation` (STRtree on its edges)."""

    def __init__(self, segmentation: Segmentation):
        self.segmentation = segmentation
        lon, lat = segmentation.coords[:, 0], segmentation.coords[:, 1]
        x, y = to_xy(lons=lon, lats=lat)
        self._xy = np.column_stack([x, y])
        self._start = self._xy[:-1]
        self._dir = self._xy[1:] - self._xy[:-1]
        self._edges = shapely.linestrings(np.stack([self._xy[:-1], self._xy[1:]], axis=1))
        self._tree = shapely.STRtree(self._edges)
        # Vertex pseudo-normals: sum of unit left normals of the adjacent edges.
        unit = self._dir / np.linalg.norm(self._dir, axis=1)[:, None]
        left = np.column_stack([-unit[:, 1], unit[:, 0]])
        normals = np.zeros_like(self._xy)
        normals[:-1] += left
        normals[1:] += left
        self._vertex_normal = normals
        self._segment_ids = np.array([s.segment_id for s in segmentation.segments])

    def locate(
        self, lon: float, lat: float, *, max_distance_m: float = DEFAULT_MAX_DISTANCE_M
    ) -> Location:
        """Locate one point; raises :class:`FarFromBoundaryError` beyond ``max_distance_m``."""
        return self.locate_many(
            np.array([lon], dtype=float),
            np.array([lat], dtype=float),
            max_distance_m=max_distance_m,
        )[0]

    def locate_many(
        self,
        lons: np.ndarray,
        lats: np.ndarray,
        *,
        max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
        reject_far: bool = True,
    ) -> Locations:
        """Locate many points at once.

        With ``reject_far`` (default) the first point beyond ``max_distance_m`` raises
        :class:`FarFromBoundaryError`; otherwise far points are located anyway and flagged
        with ``within == False``.
        """
        lons = np.atleast_1d(np.asarray(lons, dtype=float))
        lats = np.atleast_1d(np.asarray(lats, dtype=float))
        if lons.shape != lats.shape or lons.ndim != 1:
            raise ValueError("lons and lats must be 1-d arrays of equal length")
        if not (np.all(np.isfinite(lons)) and np.all(np.isfinite(lats))):
            raise ValueError("lons and lats must be finite numbers")
        if np.any(np.abs(lats) > 90) or np.any(np.abs(lons) > 180):
            raise ValueError("lons must be within ±180 and lats within ±90 degrees")
        x, y = to_xy(lons=lons, lats=lats)
        p = np.column_stack([x, y])
        pairs = self._tree.query_nearest(shapely.points(x, y), all_matches=False)
        edge = np.empty(len(p), dtype=np.int64)
        edge[pairs[0]] = pairs[1]

        a, d = self._start[edge], self._dir[edge]
        t = np.clip(np.einsum("ij,ij->i", p - a, d) / np.einsum("ij,ij->i", d, d), 0.0, 1.0)
        q = a + t[:, None] * d
        offset = p - q
        cross = d[:, 0] * offset[:, 1] - d[:, 1] * offset[:, 0]
        at_start, at_end = t <= 0.0, t >= 1.0
        for mask, vertex in ((at_start, edge), (at_end, edge + 1)):
            n = self._vertex_normal[vertex[mask]]
            cross[mask] = np.einsum("ij,ij->i", offset[mask], n)
        side = np.where(cross >= 0.0, Side.US.value, Side.MX.value)

        qlon, qlat = to_lonlat(xs=q[:, 0], ys=q[:, 1])
        distance = geodesic_distance_m(lons1=lons, lats1=lats, lons2=qlon, lats2=qlat)
        chain = self.segmentation.chainage_m
        km = (chain[edge] + t * (chain[edge + 1] - chain[edge])) / 1000.0
        within = distance <= max_distance_m
        if reject_far and not within.all():
            i = int(np.flatnonzero(~within)[0])
            raise FarFromBoundaryError(
                lon=float(lons[i]),
                lat=float(lats[i]),
                distance_m=float(distance[i]),
                max_distance_m=max_distance_m,
            )
        seg = self.segmentation.edge_segment[edge]
        return Locations(
            segment_index=seg,
            segment_id=self._segment_ids[seg],
            km_marker=km,
            side=side,
            distance_m=distance,
            nearest_lon=qlon,
            nearest_lat=qlat,
            within=within,
        )


@functools.lru_cache(maxsize=8)
def default_locator(*, segment_length_m: int = DEFAULT_SEGMENT_LENGTH_M) -> Locator:
    """Locator over the bundled boundary, cached per segment length."""
    return Locator(bundled_segmentation(segment_length_m=segment_length_m))


def locate(
    lon: float,
    lat: float,
    *,
    segment_length_m: int = DEFAULT_SEGMENT_LENGTH_M,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
) -> Location:
    """Locate one lon/lat point against the bundled boundary."""
    return default_locator(segment_length_m=segment_length_m).locate(
        lon, lat, max_distance_m=max_distance_m
    )


def locate_many(
    lons: np.ndarray,
    lats: np.ndarray,
    *,
    segment_length_m: int = DEFAULT_SEGMENT_LENGTH_M,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    reject_far: bool = True,
) -> Locations:
    """Vectorised :func:`locate` over arrays of longitudes and latitudes."""
    return default_locator(segment_length_m=segment_length_m).locate_many(
        lons, lats, max_distance_m=max_distance_m, reject_far=reject_far
    )
