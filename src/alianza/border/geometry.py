"""Pure geometry of the US–Mexico boundary line (no Django).

Conventions used throughout the ``border`` package:

* Coordinates are WGS84 longitude/latitude, in that order (GeoJSON order).
* The line is oriented **west to east**: from the Pacific end (near Tijuana / San Diego) to
  the Gulf of Mexico end (near Matamoros / Brownsville). Kilometre markers grow eastwards.
  With that orientation the United States lies on the *left* of the line.
* Lengths and distances are geodesic (``pyproj.Geod`` on the WGS84 ellipsoid), so they carry
  no projection error. Planar work (nearest-point search, side tests, simplification) is done
  in :data:`BORDER_CRS`, a Lambert Conformal Conic centred on the border: conformal, so right
  angles and sides survive, and its scale error is under 0.12 % on the line and under
  0.14 % within 50 km of it (see :data:`BORDER_CRS_MAX_SCALE_ERROR`). A single UTM zone
  would be off by far more at the ends of a 3,200 km line.
* Edges between vertices are straight in :data:`BORDER_CRS` (that is the geometry the
  simplification, its deviation check, the segments and the locator all share); chainage is
  the sum of the edges' geodesic lengths. Only the few very long straight edges of the land
  boundary west of Nogales (65–113 km) care: there the drawn edge and the geodesic between
  the same vertices are up to 12 m apart, well inside the source's own uncertainty.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

# Lambert Conformal Conic with standard parallels bracketing the border (25.8°N–32.7°N).
BORDER_CRS = CRS.from_proj4(
    "+proj=lcc +lat_1=26.5 +lat_2=32 +lat_0=29.25 +lon_0=-107.2 "
    "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)
# Measured with pyproj get_factors over 25.3°N–33.3°N: scale in [0.99885, 1.00137].
BORDER_CRS_MAX_SCALE_ERROR = 0.0014

GEOD = Geod(ellps="WGS84")

DATA_DIR = Path(__file__).resolve().parent / "data"
BUNDLED_BOUNDARY_PATH = DATA_DIR / "us-mexico-boundary.geojson"

_TO_XY = Transformer.from_crs("EPSG:4326", BORDER_CRS, always_xy=True)
_TO_LONLAT = Transformer.from_crs(BORDER_CRS, "EPSG:4326", always_xy=True)


def to_xy(*, lons: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project lon/lat (degrees) to :data:`BORDER_CRS` metres."""
    x, y = _TO_XY.transform(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def to_lonlat(*, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unproject :data:`BORDER_CRS` metres to lon/lat degrees."""
    lon, lat = _TO_LONLAT.transform(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def geodesic_distance_m(
    *, lons1: np.ndarray, lats1: np.ndarray, lons2: np.ndarray, lats2: np.ndarray
) -> np.ndarray:
    """Element-wise geodesic distance in metres between two sets of lon/lat points."""
    _, _, dist = GEOD.inv(
        np.asarray(lons1, dtype=float),
        np.asarray(lats1, dtype=float),
        np.asarray(lons2, dtype=float),
        np.asarray(lats2, dtype=float),
    )
    return np.asarray(dist, dtype=float)


def cumulative_length_m(coords: np.ndarray) -> np.ndarray:
    """Geodesic distance from the first vertex to each vertex of an (n, 2) lon/lat array."""
    steps = geodesic_distance_m(
        lons1=coords[:-1, 0], lats1=coords[:-1, 1], lons2=coords[1:, 0], lats2=coords[1:, 1]
    )
    return np.concatenate([[0.0], np.cumsum(steps)])


def drop_repeated(coords: np.ndarray) -> np.ndarray:
    """Remove consecutive duplicate vertices (zero-length edges break direction tests)."""
    keep = np.ones(len(coords), dtype=bool)
    keep[1:] = np.any(coords[1:] != coords[:-1], axis=1)
    return coords[keep]


def orient_west_to_east(coords: np.ndarray) -> np.ndarray:
    """Return the line so that it starts at its western end."""
    return coords if coords[0, 0] <= coords[-1, 0] else coords[::-1].copy()


def read_line(*, path: Path | str) -> np.ndarray:
    """Read a single LineString from a GeoJSON file as an (n, 2) lon/lat array.

    Accepts a bare geometry, a Feature or a FeatureCollection holding exactly one LineString.
    The array keeps the file's vertex order.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("type") == "FeatureCollection":
        lines = [f["geometry"] for f in data["features"] if f["geometry"]["type"] == "LineString"]
        if len(lines) != 1:
            raise ValueError(f"{path}: expected exactly one LineString, found {len(lines)}")
        geom = lines[0]
    elif data.get("type") == "Feature":
        geom = data["geometry"]
    else:
        geom = data
    if geom.get("type") != "LineString":
        raise ValueError(f"{path}: expected a LineString, found {geom.get('type')}")
    coords = np.asarray(geom["coordinates"], dtype=float)[:, :2]
    if len(coords) < 2:
        raise ValueError(f"{path}: a LineString needs at least two vertices")
    return coords


@dataclass(frozen=True, eq=False)
class BoundaryLine:
    """The boundary as an oriented (west→east) polyline with geodesic chainage.

    ``coords`` is (n, 2) lon/lat; ``chainage_m[i]`` is the geodesic distance along the line
    from the western end to vertex ``i``.
    """

    coords: np.ndarray
    chainage_m: np.ndarray = field(repr=False)

    @classmethod
    def from_coords(cls, coords: np.ndarray) -> BoundaryLine:
        coords = orient_west_to_east(drop_repeated(np.asarray(coords, dtype=float)))
        coords.setflags(write=False)
        chainage = cumulative_length_m(coords)
        chainage.setflags(write=False)
        return cls(coords=coords, chainage_m=chainage)

    @property
    def length_m(self) -> float:
        return float(self.chainage_m[-1])

    @property
    def point_count(self) -> int:
        return len(self.coords)

    def xy(self) -> np.ndarray:
        """Vertices projected to :data:`BORDER_CRS` as an (n, 2) array of metres."""
        x, y = to_xy(lons=self.coords[:, 0], lats=self.coords[:, 1])
        return np.column_stack([x, y])

    def geojson(self) -> dict:
        """The line as a GeoJSON LineString geometry dict."""
        return {"type": "LineString", "coordinates": self.coords.tolist()}


def load_line(*, path: Path | str | None = None) -> BoundaryLine:
    """Load the boundary; without ``path`` the bundled derived copy (cached)."""
    if path is None:
        return _bundled_line()
    return BoundaryLine.from_coords(read_line(path=path))


@functools.cache
def _bundled_line() -> BoundaryLine:
    return BoundaryLine.from_coords(read_line(path=BUNDLED_BOUNDARY_PATH))


def densify_lonlat(coords: np.ndarray, *, step_m: float) -> np.ndarray:
    """Insert vertices so that no edge is longer than ``step_m`` (planar in BORDER_CRS).

    Used to sample a line when measuring deviations; returns lon/lat.
    """
    x, y = to_xy(lons=coords[:, 0], lats=coords[:, 1])
    dense = shapely.segmentize(shapely.LineString(np.column_stack([x, y])), step_m)
    xy = shapely.get_coordinates(dense)
    lon, lat = to_lonlat(xs=xy[:, 0], ys=xy[:, 1])
    return np.column_stack([lon, lat])


def directed_deviation_m(samples: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distance from each lon/lat sample point to the polyline ``target``.

    The nearest point is found in BORDER_CRS, then the distance to it is measured
    geodesically. That is an upper bound of the true geodesic distance (the planar nearest
    point is a point of the line), so a maximum computed this way is conservative.
    Returns (distances_m, nearest_points_lonlat).
    """
    tx, ty = to_xy(lons=target[:, 0], lats=target[:, 1])
    txy = np.column_stack([tx, ty])
    edges = shapely.linestrings(np.stack([txy[:-1], txy[1:]], axis=1))
    tree = shapely.STRtree(edges)
    sx, sy = to_xy(lons=samples[:, 0], lats=samples[:, 1])
    points = shapely.points(sx, sy)
    idx = tree.query_nearest(points, all_matches=False)
    nearest_edges = edges[idx[1][np.argsort(idx[0])]]
    nearest = shapely.get_coordinates(shapely.shortest_line(points, nearest_edges))[1::2]
    nlon, nlat = to_lonlat(xs=nearest[:, 0], ys=nearest[:, 1])
    dist = geodesic_distance_m(lons1=samples[:, 0], lats1=samples[:, 1], lons2=nlon, lats2=nlat)
    return dist, np.column_stack([nlon, nlat])


def hausdorff_m(a: np.ndarray, b: np.ndarray, *, step_m: float = 10.0) -> float:
    """Symmetric Hausdorff distance in metres between two lon/lat polylines.

    Both lines are sampled at every vertex and every ``step_m`` metres in between, and each
    sample's distance to the other line is measured. Distance to a line changes by at most
    the distance moved, so the true maximum exceeds the sampled one by at most ``step_m / 2``.
    """
    ab, _ = directed_deviation_m(densify_lonlat(a, step_m=step_m), b)
    ba, _ = directed_deviation_m(densify_lonlat(b, step_m=step_m), a)
    return float(max(ab.max(), ba.max()))
