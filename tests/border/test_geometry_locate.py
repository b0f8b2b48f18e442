"""Locating points: nearest segment, kilometre marker, side of the line, distance."""

import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
try:
    import alianza.border  # noqa: F401
except ImportError:  # package not installed: use the checkout's src/
    sys.path.insert(0, str(REPO / "src"))

from alianza.border import geometry, hexes, locating, segmenting  # noqa: E402
from alianza.border.locating import FarFromBoundaryError, Side, locate, locate_many  # noqa: E402

# (name, lat, lon, side): city centres and crossings on both sides of the line.
CITIES = [
    ("Nogales, Arizona", 31.3404, -110.9343, Side.US),
    ("Heroica Nogales, Sonora", 31.3086, -110.9422, Side.MX),
    ("El Paso, Texas", 31.7619, -106.4850, Side.US),
    ("Ciudad Juárez, Chihuahua", 31.6904, -106.4245, Side.MX),
    ("Laredo, Texas", 27.5306, -99.4803, Side.US),
    ("Nuevo Laredo, Tamaulipas", 27.4763, -99.5164, Side.MX),
    ("San Diego, California", 32.7157, -117.1611, Side.US),
    ("San Ysidro, California", 32.5556, -117.0470, Side.US),
    ("Tijuana, Baja California", 32.5149, -117.0382, Side.MX),
    ("Calexico, California", 32.6789, -115.4989, Side.US),
    ("Mexicali, Baja California", 32.6245, -115.4523, Side.MX),
    ("Douglas, Arizona", 31.3445, -109.5453, Side.US),
    ("Agua Prieta, Sonora", 31.3280, -109.5489, Side.MX),
    ("Eagle Pass, Texas", 28.7091, -100.4995, Side.US),
    ("Piedras Negras, Coahuila", 28.7000, -100.5231, Side.MX),
    ("McAllen, Texas", 26.2034, -98.2300, Side.US),
    ("Reynosa, Tamaulipas", 26.0508, -98.2979, Side.MX),
    ("Brownsville, Texas", 25.9017, -97.4975, Side.US),
    ("Matamoros, Tamaulipas", 25.8690, -97.5027, Side.MX),
]


@pytest.mark.parametrize(("name", "lat", "lon", "side"), CITIES, ids=[c[0] for c in CITIES])
def test_known_cities_are_on_their_side(name, lat, lon, side):
    loc = locate(lon, lat)
    assert loc.side is side, name
    assert loc.distance_m < 25_000
    assert loc.segment_id == f"km-{int(loc.km_marker):04d}"


def test_city_pairs_are_ordered_west_to_east():
    km = {name: locate(lon, lat).km_marker for name, lat, lon, _ in CITIES}
    assert km["Tijuana, Baja California"] < km["Mexicali, Baja California"]
    assert km["Mexicali, Baja California"] < km["Heroica Nogales, Sonora"]
    assert km["Heroica Nogales, Sonora"] < km["Ciudad Juárez, Chihuahua"]
    assert km["Ciudad Juárez, Chihuahua"] < km["Nuevo Laredo, Tamaulipas"]
    assert km["Nuevo Laredo, Tamaulipas"] < km["Matamoros, Tamaulipas"]


def test_rio_grande_running_north_south_is_handled():
    # Near Presidio/Ojinaga and in the Big Bend the river runs north-south and even
    # south-north; "north of the line" would be wrong here, the local side test is not.
    for lat, lon, side in [
        (29.5607, -104.3722, Side.US),  # Presidio, Texas
        (29.5464, -104.4166, Side.MX),  # Ojinaga, Chihuahua
        (29.3297, -103.2060, Side.US),  # Terlingua area, Texas
        (29.0540, -103.0500, Side.MX),  # Boquillas del Carmen area
    ]:
        assert locate(lon, lat).side is side, (lat, lon)


def test_far_points_are_rejected_with_a_clear_message():
    with pytest.raises(FarFromBoundaryError) as err:
        locate(-104.9903, 39.7392)  # Denver
    message = str(err.value)
    assert "lon=-104.990300" in message and "lat=39.739200" in message
    assert "km from the US–Mexico boundary" in message and "50 km" in message
    assert err.value.distance_m > 700_000
    # The limit is configurable.
    assert locate(-111.0, 31.9, max_distance_m=100_000).side is Side.US
    with pytest.raises(FarFromBoundaryError):
        locate(-111.0, 31.9, max_distance_m=10_000)


def test_locate_many_rejects_or_flags_far_points():
    lons = np.array([-110.9343, -104.9903, -110.9422])
    lats = np.array([31.3404, 39.7392, 31.3086])
    with pytest.raises(FarFromBoundaryError, match="lon=-104.990300"):
        locate_many(lons, lats)
    result = locate_many(lons, lats, reject_far=False)
    assert result.within.tolist() == [True, False, True]
    assert result.side[[0, 2]].tolist() == ["US", "MX"]


def test_locate_many_matches_locate():
    lats = np.array([c[1] for c in CITIES])
    lons = np.array([c[2] for c in CITIES])
    many = locate_many(lons, lats)
    assert len(many) == len(CITIES)
    assert many.is_us.tolist() == [c[3] is Side.US for c in CITIES]
    for i, (_, lat, lon, _) in enumerate(CITIES):
        assert many[i] == locate(lon, lat)


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match="finite"):
        locate_many(np.array([np.nan]), np.array([31.0]))
    with pytest.raises(ValueError, match="equal length"):
        locate_many(np.array([1.0, 2.0]), np.array([31.0]))
    with pytest.raises(ValueError, match="within"):
        locate(-110.0, 95.0)


def test_point_on_the_line_is_us_by_convention():
    line = geometry.load_line()
    lon, lat = line.coords[3000]
    loc = locate(lon, lat)
    assert loc.distance_m < 0.01 and loc.side is Side.US


def test_segment_length_is_configurable_for_locating():
    loc = locate(-110.9343, 31.3404, segment_length_m=500)
    assert loc.segment_id == segmenting.segment_id_for(
        start_m=int(loc.km_marker * 2) * 500, segment_length_m=500
    )


# --- cross-check against an independent method and properties --------------------------------


@pytest.fixture(scope="module")
def us_polygon() -> shapely.Polygon:
    """US side as a polygon: the line closed far to the north (in BORDER_CRS metres)."""
    xy = geometry.load_line().xy()
    (xw, yw), (xe, ye) = xy[0], xy[-1]
    far = 3_000_000.0
    ring = np.vstack(
        [xy, [[xe + far, ye], [xe + far, ye + far], [xw - far, yw + far], [xw - far, yw]]]
    )
    poly = shapely.Polygon(ring)
    assert poly.is_valid
    shapely.prepare(poly)
    return poly


def _random_points_near_line(rng: np.random.Generator, n: int, *, spread_m: float):
    line = geometry.load_line()
    xy = line.xy()
    # Uniform positions along the line, then a random offset in the plane.
    s = rng.uniform(0, line.length_m, n)
    idx = np.clip(np.searchsorted(line.chainage_m, s) - 1, 0, len(xy) - 2)
    frac = (s - line.chainage_m[idx]) / np.diff(line.chainage_m)[idx]
    base = xy[idx] + frac[:, None] * (xy[idx + 1] - xy[idx])
    r = spread_m * np.sqrt(rng.uniform(0, 1, n))
    theta = rng.uniform(0, 2 * np.pi, n)
    pts = base + np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    return pts


@pytest.mark.parametrize("spread_m", [40_000.0, 2_000.0, 50.0])
def test_side_agrees_with_polygon_method(us_polygon, spread_m):
    rng = np.random.default_rng(20261128)
    pts = _random_points_near_line(rng, 20_000, spread_m=spread_m)
    lon, lat = geometry.to_lonlat(xs=pts[:, 0], ys=pts[:, 1])
    result = locate_many(lon, lat, reject_far=False)
    line_length_km = geometry.load_line().length_m / 1000
    # Beyond the ends the two methods extend the line differently; compare elsewhere.
    inner = (result.km_marker > 0) & (result.km_marker < line_length_km)
    expected = shapely.contains_xy(us_polygon, pts[:, 0], pts[:, 1])
    assert inner.sum() > 0.9 * len(pts)
    mismatch = np.flatnonzero(inner & (result.is_us != expected))
    assert mismatch.size == 0, [(lon[i], lat[i]) for i in mismatch[:5]]


@pytest.fixture(scope="module")
def dense():
    seg = segmenting.bundled_segmentation()
    x, y = geometry.to_xy(lons=seg.coords[:, 0], lats=seg.coords[:, 1])
    xy = np.column_stack([x, y])
    line = shapely.LineString(xy)
    shapely.prepare(line)
    return seg, xy, line


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edge_fraction=st.floats(0.0, 1.0, exclude_max=True),
    t=st.floats(0.05, 0.95),
    offset_m=st.floats(0.5, 30.0),
    us_side=st.booleans(),
)
def test_perpendicular_offset_is_located_to_that_segment_and_side(
    dense, edge_fraction, t, offset_m, us_side
):
    seg, xy, line = dense
    j = int(edge_fraction * (len(xy) - 1))
    a, b = xy[j], xy[j + 1]
    d = b - a
    length = float(np.hypot(*d))
    assume(length * min(t, 1 - t) > 1.0)
    q = a + t * d
    left = np.array([-d[1], d[0]]) / length
    p = q + (offset_m if us_side else -offset_m) * left
    # Only meaningful where q really is the nearest point (no other part of the line closer).
    assume(shapely.distance(shapely.Point(p), line) >= offset_m - 1e-6)
    lon, lat = geometry.to_lonlat(xs=np.array([p[0]]), ys=np.array([p[1]]))
    loc = locate(float(lon[0]), float(lat[0]))
    assert loc.side is (Side.US if us_side else Side.MX)
    assert loc.segment_index == seg.edge_segment[j]
    assert loc.distance_m == pytest.approx(offset_m, rel=0.002, abs=0.01)
    expected_km = (seg.chainage_m[j] + t * (seg.chainage_m[j + 1] - seg.chainage_m[j])) / 1000
    assert loc.km_marker == pytest.approx(expected_km, abs=1e-3)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    vertex_fraction=st.floats(0.0, 1.0, exclude_max=True),
    angle=st.floats(0.0, 2 * np.pi),
    radius_m=st.floats(0.5, 40.0),
)
def test_points_around_vertices_agree_with_polygon_method(
    dense, us_polygon, vertex_fraction, angle, radius_m
):
    _, xy, _ = dense
    v = xy[1 + int(vertex_fraction * (len(xy) - 2))]
    p = v + radius_m * np.array([np.cos(angle), np.sin(angle)])
    # Cut points are rounded to 1e-7 degree, so within ~1 cm of the line the side is a tie.
    assume(us_polygon.boundary.distance(shapely.Point(p)) > 0.02)
    lon, lat = geometry.to_lonlat(xs=np.array([p[0]]), ys=np.array([p[1]]))
    loc = locate(float(lon[0]), float(lat[0]))
    assert (loc.side is Side.US) == shapely.contains_xy(us_polygon, p[0], p[1])


# --- h3 helpers -------------------------------------------------------------------------------


def test_h3_cell_contains_its_point():
    cell = hexes.cell_for(-110.9343, 31.3404, resolution=8)
    polygon = hexes.cell_geojson(cell)
    ring = polygon["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 7
    assert shapely.Polygon(ring).contains(shapely.Point(-110.9343, 31.3404))
    assert hexes.cells_for(np.array([-110.9343]), np.array([31.3404]), resolution=8) == [cell]


def test_h3_counts_and_feature_collection():
    lons = np.array([-110.9343, -110.9343, -106.4850])
    lats = np.array([31.3404, 31.3404, 31.7619])
    counts = hexes.count_cells(lons, lats, resolution=7)
    assert sorted(counts.values()) == [1, 2]
    fc = hexes.cells_feature_collection(counts)
    assert [f["properties"]["count"] for f in fc["features"]] == list(counts.values())
    assert all(f["properties"]["resolution"] == 7 for f in fc["features"])
    plain = hexes.cells_feature_collection(list(counts))
    assert "count" not in plain["features"][0]["properties"]


def test_h3_rejects_bad_input():
    with pytest.raises(ValueError, match="resolution"):
        hexes.cell_for(-110.0, 31.0, resolution=16)
    with pytest.raises(ValueError, match="valid H3 cell"):
        hexes.cell_geojson("not-a-cell")


def test_locator_on_a_synthetic_zigzag_line():
    # A river that loops back south: "north of the line" would be wrong at the loop.
    coords = np.array([[-105.0, 30.0], [-104.9, 30.0], [-104.9, 29.9], [-104.8, 29.9]])
    seg = segmenting.segment_line(geometry.BoundaryLine.from_coords(coords[::-1]))
    locator = locating.Locator(seg)
    assert seg.line.coords[0].tolist() == [-105.0, 30.0]  # re-oriented west to east
    # Just east of the north-south stretch: south of its top yet on the US side.
    assert locator.locate(-104.899, 29.95).side is Side.US
    assert locator.locate(-104.901, 29.95).side is Side.MX
    # Around the convex corner at (-104.9, 30.0): nearest point is the vertex itself.
    assert locator.locate(-104.899, 30.001).side is Side.US
    assert locator.locate(-104.901, 29.999).side is Side.MX
    # Past the western end the end edge is extended straight.
    assert locator.locate(-105.01, 30.001).side is Side.US
    assert locator.locate(-105.01, 29.999).side is Side.MX
    loc = locator.locate(-104.95, 30.0005)
    assert loc.segment_id == "km-0004" and loc.km_marker == pytest.approx(4.82, abs=0.01)
