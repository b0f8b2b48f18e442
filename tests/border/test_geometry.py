"""The bundled boundary, its derivation from the shared IBWC line, and its segments."""

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
try:
    import alianza.border  # noqa: F401
except ImportError:  # package not installed: use the checkout's src/
    sys.path.insert(0, str(REPO / "src"))

from alianza.border import derivation, geometry, segmenting  # noqa: E402

SHARED = REPO.parent / "shared" / "data" / "boundary" / "us-mexico-boundary.geojson"
needs_shared = pytest.mark.skipif(
    not SHARED.exists(),
    reason=f"shared IBWC line not present at {SHARED}; bundled-copy tests still run",
)


@pytest.fixture(scope="module")
def original() -> geometry.BoundaryLine:
    if not SHARED.exists():
        pytest.skip(f"shared IBWC line not present at {SHARED}")
    return geometry.load_line(path=SHARED)


@pytest.fixture(scope="module")
def rederived() -> derivation.Derivation:
    if not SHARED.exists():
        pytest.skip(f"shared IBWC line not present at {SHARED}")
    return derivation.derive(source=SHARED)


def test_bundled_copy_loads_without_shared_data():
    line = geometry.load_line()
    assert line.coords.shape == (line.point_count, 2)
    assert 5_000 < line.point_count < 10_000
    # West to east: starts in the Pacific off Tijuana, ends in the Gulf off Matamoros.
    assert line.coords[0, 0] < -117.4 and line.coords[-1, 0] > -97.0
    assert np.all(np.diff(line.chainage_m) > 0)
    assert 3_200_000 < line.length_m < 3_240_000
    assert geometry.BUNDLED_BOUNDARY_PATH.stat().st_size < 250_000


def test_bundled_copy_names_its_source():
    props = json.loads(geometry.BUNDLED_BOUNDARY_PATH.read_text())["features"][0]["properties"]
    assert "International Boundary and Water Commission" in props["source"]
    assert props["max_deviation_m"] <= derivation.MAX_DEVIATION_M
    source_md = (geometry.DATA_DIR / "SOURCE.md").read_text()
    assert "Spectrum-Access-System" in source_md and "us_mex_boundary.kmz" in source_md
    assert "US\ngovernment work" in source_md or "US government work" in source_md


def test_read_line_accepts_feature_and_bare_geometry(tmp_path):
    coords = [[-110.0, 31.3], [-109.0, 31.3]]
    for doc in (
        {"type": "LineString", "coordinates": coords},
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "LineString", "coordinates": coords},
        },
    ):
        path = tmp_path / "line.geojson"
        path.write_text(json.dumps(doc))
        assert geometry.read_line(path=path).tolist() == coords
    path.write_text(json.dumps({"type": "Point", "coordinates": [0, 0]}))
    with pytest.raises(ValueError, match="expected a LineString"):
        geometry.read_line(path=path)


def test_line_is_oriented_west_to_east_whatever_the_file_order():
    coords = np.array([[-100.0, 30.0], [-101.0, 30.0], [-101.0, 30.0], [-102.0, 30.5]])
    line = geometry.BoundaryLine.from_coords(coords)
    assert line.coords[0].tolist() == [-102.0, 30.5]
    assert line.point_count == 3  # the repeated vertex is dropped


@needs_shared
def test_bundled_copy_within_20_m_of_original(original):
    bundled = geometry.load_line()
    deviation = geometry.hausdorff_m(original.coords, bundled.coords, step_m=50.0)
    assert deviation <= derivation.MAX_DEVIATION_M
    # Also a real simplification, not a copy: it uses most of the allowance.
    assert deviation > 10.0 and bundled.point_count < original.point_count / 4


@needs_shared
def test_rederivation_reproduces_bundled_files_byte_for_byte(rederived):
    assert rederived.geojson_text() == geometry.BUNDLED_BOUNDARY_PATH.read_text(encoding="utf-8")
    assert rederived.source_md_text() == (geometry.DATA_DIR / "SOURCE.md").read_text(
        encoding="utf-8"
    )
    assert rederived.max_deviation_m <= derivation.MAX_DEVIATION_M
    assert rederived.deviation_bound_m <= derivation.MAX_DEVIATION_M


def test_derive_refuses_a_line_that_would_deviate_too_much(tmp_path):
    # A zigzag with 30 m teeth cannot be simplified at a 50 m tolerance within 20 m.
    lons = np.linspace(-110.0, -109.9, 41)
    lats = 31.3 + np.where(np.arange(41) % 2, 0.0003, 0.0)
    path = tmp_path / "zigzag.geojson"
    path.write_text(
        json.dumps({"type": "LineString", "coordinates": np.column_stack([lons, lats]).tolist()})
    )
    with pytest.raises(ValueError, match="over the 20 m limit"):
        derivation.derive(source=path, tolerance_m=50.0)
    assert len(derivation.derive(source=path, tolerance_m=5.0).coords) == 41


def test_write_produces_both_files(tmp_path, rederived):
    geojson_path, source_path = derivation.write(rederived, output_dir=tmp_path)
    assert geojson_path.read_bytes() == geometry.BUNDLED_BOUNDARY_PATH.read_bytes()
    assert source_path.read_text().startswith("# Source")


# --- segments -------------------------------------------------------------------------------


def test_segment_count_and_total_length():
    line = geometry.load_line()
    seg = segmenting.bundled_segmentation()
    assert len(seg.segments) == math.ceil(line.length_m / 1000)
    assert seg.segments[0].start_m == 0.0
    assert seg.segments[-1].end_m == pytest.approx(line.length_m, abs=1e-3)
    assert sum(s.length_m for s in seg.segments) == pytest.approx(line.length_m, abs=0.01)
    assert all(s.length_m == 1000.0 for s in seg.segments[:-1])
    assert 0 < seg.segments[-1].length_m <= 1000.0


def test_segment_geometry_lengths_are_geodesic_kilometres():
    for s in segmenting.segments():
        coords = np.array(s.coords)
        measured = geometry.GEOD.line_length(coords[:, 0], coords[:, 1])
        # Cut points are rounded to 1e-7 degree (about 1 cm) at each end.
        assert measured == pytest.approx(s.length_m, abs=0.05), s.segment_id


def test_segments_are_contiguous_and_cover_the_line():
    segs = segmenting.segments()
    line = geometry.load_line()
    assert segs[0].coords[0] == tuple(line.coords[0])
    assert segs[-1].coords[-1] == tuple(line.coords[-1])
    for a, b in zip(segs, segs[1:], strict=False):
        assert a.coords[-1] == b.coords[0]
        assert a.end_m == b.start_m
    # Every original vertex is in the segments.
    dense = {c for s in segs for c in s.coords}
    assert all(tuple(c) in dense for c in line.coords.tolist())


@needs_shared
def test_total_length_against_original(original):
    segs = segmenting.segments()
    total = sum(s.length_m for s in segs)
    # Simplifying within 20 m straightens the smallest meanders: the copy is ~0.46 % shorter.
    assert total == pytest.approx(original.length_m, rel=0.006)
    assert total < original.length_m
    assert abs(len(segs) - original.length_m / 1000) < 0.006 * original.length_m / 1000 + 1


def test_segment_ids_are_stable_and_ordered():
    segs = segmenting.segments()
    ids = [s.segment_id for s in segs]
    assert ids[:3] == ["km-0000", "km-0001", "km-0002"]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(s.segment_id == f"km-{s.index:04d}" for s in segs)
    # Re-reading the file and re-cutting gives identical ids and geometry.
    again = segmenting.segment_line(
        geometry.BoundaryLine.from_coords(geometry.read_line(path=geometry.BUNDLED_BOUNDARY_PATH))
    )
    assert again.segments == segs


@needs_shared
def test_segments_stable_across_rederivation(rederived):
    fresh = segmenting.segment_line(geometry.BoundaryLine.from_coords(rederived.coords))
    assert fresh.segments == segmenting.segments()


def test_configurable_segment_length():
    half = segmenting.segment_line(segment_length_m=500)
    assert [s.segment_id for s in half.segments[:3]] == ["km-0000.0", "km-0000.5", "km-0001.0"]
    assert len(half.segments) == math.ceil(geometry.load_line().length_m / 500)
    five = segmenting.segments(segment_length_m=5000)
    assert five[1].segment_id == "km-0005" and five[1].km_start == 5.0


@pytest.mark.parametrize(
    ("start_m", "length_m", "expected"),
    [
        (0, 1000, "km-0000"),
        (123_000, 1000, "km-0123"),
        (3_222_000, 2000, "km-3222"),
        (123_500, 500, "km-0123.5"),
        (123_250, 250, "km-0123.25"),
        (123_450, 50, "km-0123.45"),
        (7, 1, "km-0000.007"),
    ],
)
def test_segment_id_format(start_m, length_m, expected):
    assert segmenting.segment_id_for(start_m=start_m, segment_length_m=length_m) == expected


@pytest.mark.parametrize("bad", [0, -5, 1.5, True])
def test_segment_length_must_be_whole_positive_metres(bad):
    with pytest.raises((ValueError, TypeError)):
        segmenting.segment_line(segment_length_m=bad)


def test_segment_feature_is_geojson():
    feature = segmenting.segments()[42].feature()
    assert feature["id"] == "km-0042"
    assert feature["properties"]["km_start"] == 42.0
    assert feature["geometry"]["type"] == "LineString"
    json.dumps(feature)  # plain data, serialisable


@settings(max_examples=15, deadline=None)
@given(length_m=st.integers(200, 50_000))
def test_any_segment_length_tiles_the_line(length_m):
    line = geometry.load_line()
    seg = segmenting.segment_line(line, segment_length_m=length_m)
    segs = seg.segments
    assert len(segs) == math.ceil(line.length_m / length_m)
    assert len({s.segment_id for s in segs}) == len(segs)
    assert [s.segment_id for s in segs] == sorted(s.segment_id for s in segs)
    for a, b in zip(segs, segs[1:], strict=False):
        assert a.coords[-1] == b.coords[0] and a.end_m == b.start_m == a.start_m + length_m
    assert segs[-1].end_m == pytest.approx(line.length_m, abs=1e-3)
    assert len(seg.edge_segment) == len(seg.coords) - 1
    assert np.all(np.diff(seg.chainage_m) > 0)
