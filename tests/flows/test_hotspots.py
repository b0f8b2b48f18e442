"""Hotspots on H3 cells: counts per cell, per patrol hour where the visible effort of every
segment in the cell is known, raw otherwise; nothing from events or effort the reader may not
see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from world_flow_analytics import (
    JUNE,
    WINDOW,
    comparable,
    effort,
    hidden_from_mx,
    point_in,
    segment_at,
)
from world_flows import NOGALES, make_flow_event

from alianza.border.hexes import cell_for
from alianza.flows.analytics_filters import flow_filters_parse
from alianza.flows.hotspots import hotspot_cells, resolution_parse

from world import login_verified

FILTERS = {"since": "2026-06-01", "until": "2026-06-30"}


def _cells(user, **kwargs):
    return hotspot_cells(reader=user, filters=flow_filters_parse(FILTERS), **kwargs)


def test_without_effort_every_cell_is_a_raw_count(world):
    result = _cells(world.user("us_analyst"))
    assert result.resolution == 7 and not result.effort_known
    [cell] = result.cells
    assert cell.cell == cell_for(*NOGALES, resolution=7)
    assert (cell.events, cell.basis, cell.rate, cell.patrol_hours) == (4, "raw", None, None)
    assert cell.segments == {"km-0685": 4}


def test_known_effort_gives_crossings_per_patrol_hour(world):
    effort(world, rows=[("km-0685", 8.0)])
    [cell] = _cells(world.user("us_analyst")).cells
    assert (cell.basis, cell.patrol_hours, cell.rate) == ("per_hour", 8.0, 0.5)
    [mx_cell] = _cells(world.user("mx_analyst")).cells
    assert (mx_cell.events, mx_cell.rate) == (3, 0.375)


def test_effort_outside_the_period_does_not_count(world):
    effort(world, rows=[("km-0685", 8.0)], day=dt.date(2026, 7, 1))
    [cell] = _cells(world.user("us_analyst")).cells
    assert cell.basis == "raw"


def test_a_segments_hours_are_shared_among_its_cells_by_its_crossings(world):
    near, far = point_in("NACO", north_km=0.5), point_in("NACO", north_km=4.0)
    segment = segment_at(*near)
    assert segment_at(*far) == segment
    assert cell_for(*near) != cell_for(*far)
    make_flow_event(agency=world.us, case_reference="NEAR", lon=near[0], lat=near[1])
    for n in range(2):
        make_flow_event(agency=world.us, case_reference=f"FAR{n}", lon=far[0], lat=far[1])
    effort(world, rows=[(segment, 12.0)])
    cells = {c.cell: c for c in _cells(world.user("us_analyst")).cells}
    assert (cells[cell_for(*near)].patrol_hours, cells[cell_for(*near)].rate) == (4.0, 0.25)
    assert (cells[cell_for(*far)].patrol_hours, cells[cell_for(*far)].rate) == (8.0, 0.25)
    # Nogales has no effort: raw, whatever the other cells have.
    assert cells[cell_for(*NOGALES)].basis == "raw"


def test_a_cell_mixing_segments_with_and_without_effort_is_raw(world):
    # A point in the Nogales cell that snaps to another segment than the fixture's.
    lon, lat = NOGALES
    other = next(
        (lon + d, lat)
        for d in (0.004, -0.004, 0.006, -0.006, 0.008, -0.008)
        if cell_for(lon + d, lat) == cell_for(lon, lat) and segment_at(lon + d, lat) != "km-0685"
    )
    make_flow_event(agency=world.us, case_reference="NEXT-DOOR", lon=other[0], lat=other[1])
    effort(world, rows=[("km-0685", 8.0)])
    [cell] = _cells(world.user("us_analyst")).cells
    assert cell.events == 5 and len(cell.segments) == 2
    assert (cell.basis, cell.rate) == ("raw", None)


def test_effort_the_reader_may_not_see_counts_as_no_effort(world):
    effort(world, rows=[("km-0685", 8.0)], releasable_to=[])  # US internal
    assert _cells(world.user("us_analyst")).cells[0].basis == "per_hour"
    mx = _cells(world.user("mx_analyst"))
    assert mx.cells[0].basis == "raw" and not mx.effort_known


def test_ranking_by_rate_puts_adjusted_cells_first(world):
    far = point_in("SASABE", north_km=0.5)
    for n in range(6):
        make_flow_event(agency=world.us, case_reference=f"S{n}", lon=far[0], lat=far[1])
    effort(world, rows=[("km-0685", 1.0)])
    by_events = _cells(world.user("us_analyst"))
    assert [c.events for c in by_events.cells] == [6, 4]
    by_rate = _cells(world.user("us_analyst"), order="rate")
    assert [(c.events, c.basis) for c in by_rate.cells] == [(4, "per_hour"), (6, "raw")]


def test_resolution_is_checked():
    assert resolution_parse("") == 7
    assert resolution_parse("8") == 8
    for bad in ("4", "10", "x", "7.5"):
        with pytest.raises(ValidationError) as error:
            resolution_parse(bad)
        assert "resolution" in error.value.message_dict


def test_finer_resolution_gives_smaller_cells(world):
    coarse = _cells(world.user("us_analyst"), resolution=5).cells[0].cell
    fine = _cells(world.user("us_analyst"), resolution=9).cells[0].cell
    assert coarse != fine and len({coarse, fine}) == 2


def test_api_bad_resolution_names_the_field(world, client):
    login_verified(client, world.user("us_analyst"))
    response = client.get("/api/flows/map/hotspots?resolution=12")
    assert response.status_code == 422 and response.json()["field"] == "resolution"
    response = client.get("/api/flows/map/hotspots?order=size")
    assert response.status_code == 422 and response.json()["field"] == "order"


def test_hotspots_api_and_page_leak_nothing_from_invisible_events_or_effort(world, client):
    api = f"/api/flows/map/hotspots?{WINDOW}"
    page = f"/flows/hotspots/?{WINDOW}"
    effort(world, rows=[("km-0685", 8.0)])
    login_verified(client, world.user("mx_analyst"))
    before = (client.get(api).json(), comparable(client.get(page).content))
    login_verified(client, world.user("us_analyst"))
    us_before = client.get(api).json()
    # Hidden events in the same cell as the visible ones and elsewhere, and hidden effort.
    hidden_from_mx(world, where=NOGALES, tag="HIDDEN-A")
    hidden_from_mx(world, when=JUNE + dt.timedelta(days=3), tag="HIDDEN-B")
    effort(
        world, rows=[("km-0685", 3.0)], agency=world.us, day=dt.date(2026, 6, 20), releasable_to=[]
    )
    login_verified(client, world.user("mx_analyst"))
    after = (client.get(api).json(), comparable(client.get(page).content))
    assert after == before
    assert before[0]["features"][0]["properties"]["events_per_hour"] == 0.375
    login_verified(client, world.user("us_analyst"))
    assert client.get(api).json() != us_before


def test_hotspots_page_ranks_cells_and_labels_the_basis(world, client):
    effort(world, rows=[("km-0685", 8.0)])
    far = point_in("SASABE")
    make_flow_event(agency=world.us, case_reference="FAR", lon=far[0], lat=far[1])
    login_verified(client, world.user("us_analyst"))
    body = client.get(f"/flows/hotspots/?{WINDOW}").content.decode()
    assert 'id="table-hotspots"' in body
    assert "basis-per-hour" in body and "basis-raw" in body
    assert 'id="chart-hotspots" src="data:image/png;base64,' in body
    assert body.index(cell_for(*NOGALES)) < body.index(cell_for(*far))
