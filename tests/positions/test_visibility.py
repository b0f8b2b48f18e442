"""Who sees which positions: members of the operation see its shared units; a unit its agency
does not share stays invisible to the other agency, on the map, the API and the ORM alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from world_positions import MX_UNIT, PRIVATE, SHARED, matrix_positions

from alianza.positions.models import LatestPosition, PositionReport
from alianza.positions.selectors import latest_position_list

from world import login_verified

pytestmark = pytest.mark.django_db


def _codes(rows):
    return {p.unit.code for p in rows}


def test_other_agency_member_sees_shared_units_and_never_the_unshared_one(world):
    matrix_positions(world)
    assert _codes(latest_position_list(reader=world.user("us_supervisor"))) == {
        SHARED,
        PRIVATE,
        MX_UNIT,
    }
    assert _codes(latest_position_list(reader=world.user("mx_supervisor"))) == {SHARED, MX_UNIT}
    mx_reports = PositionReport.objects.visible_to(world.user("mx_supervisor"))
    assert set(mx_reports.values_list("unit__code", flat=True)) == {SHARED, MX_UNIT}


def test_non_members_see_none_of_the_operations_units(world):
    matrix_positions(world)
    for key in ("us_nocomp", "mx_analyst", "us_inactive", "mx_unvetted"):
        assert not LatestPosition.objects.visible_to(world.user(key)).exists(), key


def test_latest_api_hides_the_unshared_unit_from_the_other_agency(world, client):
    matrix_positions(world)
    login_verified(client, world.user("mx_supervisor"))
    data = client.get("/api/positions/latest").json()
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["unit"] for f in data["features"]} == {SHARED, MX_UNIT}
    assert data["count"] == 2
    shared = next(f for f in data["features"] if f["properties"]["unit"] == SHARED)
    assert shared["geometry"]["type"] == "Point"
    assert shared["properties"]["side"] == "US" and shared["properties"]["agency"] == "USBP"
    assert PRIVATE not in client.get("/api/positions/latest").content.decode()


def test_latest_api_filters_by_operation_and_age(world, client):
    matrix_positions(world)
    login_verified(client, world.user("us_supervisor"))
    op = world.operation.pk
    data = client.get(f"/api/positions/latest?operation_id={op}").json()
    assert data["count"] == 3
    assert client.get("/api/positions/latest?max_age_minutes=1").json()["count"] == 0
    response = client.get("/api/positions/latest?max_age_minutes=0")
    assert response.status_code == 422 and response.json()["field"] == "max_age_minutes"


def test_a_hidden_operation_answers_exactly_like_a_missing_one(world, client):
    matrix_positions(world)
    login_verified(client, world.user("mx_analyst"))  # not a member of OP-JOINT
    hidden = client.get(f"/api/positions/latest?operation_id={world.operation.pk}")
    missing = client.get("/api/positions/latest?operation_id=987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    page_hidden = client.get(reverse("positions:live_map") + f"?operation={world.operation.pk}")
    page_missing = client.get(reverse("positions:live_map") + "?operation=987654")
    assert page_hidden.status_code == page_missing.status_code == 404


def test_live_map_page_loads_leaflet_and_its_script_from_this_server(world, client):
    matrix_positions(world)
    login_verified(client, world.user("us_supervisor"))
    body = client.get(reverse("positions:live_map")).content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in body and "/static/positions/live.js" in body
    assert "<script>" not in body and "onload=" not in body  # no inline script (CSP)
    assert 'data-config="{' in body and "refreshSeconds" in body
    assert "OP-JOINT" in body  # the operation filter lists the reader's operations
    assert reverse("positions:live_map") in body  # the navigation link


def test_old_positions_leave_the_live_map(world, client):
    matrix_positions(world)
    stale = timezone.now() - dt.timedelta(hours=3)
    LatestPosition.objects.unrestricted(reason="test: age the cache").update(time=stale)
    login_verified(client, world.user("us_supervisor"))
    assert client.get("/api/positions/latest").json()["count"] == 0
    assert client.get("/api/positions/latest?max_age_minutes=600").json()["count"] == 3
