"""The flow map: its page and its GeoJSON layers (/api/flows/map/...). The events, the
segments' measures and the cells come from what the reader may see; nothing else leaks."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from django.test import override_settings
from world_flow_analytics import JUNE, WINDOW, comparable, effort, hidden_from_mx
from world_flows import NOGALES, make_flow_event

from alianza.audit.models import AuditEvent

from world import login_verified

LAYERS = ("boundary", "segments", "events", "places", "hotspots")


def _get(client, layer, query=WINDOW):
    response = client.get(f"/api/flows/map/{layer}?{query}")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def _segment(data, segment_id):
    return next(f["properties"] for f in data["features"] if f["id"] == segment_id)


@pytest.mark.parametrize("layer", LAYERS)
def test_anonymous_gets_401_and_inactive_officer_404(world, client, layer):
    assert client.get(f"/api/flows/map/{layer}").status_code == 401
    login_verified(client, world.user("us_inactive"))
    assert client.get(f"/api/flows/map/{layer}").status_code == 404


def test_boundary_and_places_are_the_reference_data(world, client):
    login_verified(client, world.user("mx_analyst"))
    boundary = _get(client, "boundary")
    [line] = boundary["features"]
    assert line["geometry"]["type"] in ("LineString", "MultiLineString")
    assert len(line["geometry"]["coordinates"]) > 1000
    places = _get(client, "places")
    codes = {f["properties"]["code"] for f in places["features"]}
    assert {"POE-DECONCINI", "POE-SASABE", "POE-NACO", "STN-NOGALES"} <= codes


def test_segments_carry_every_measure(world, client):
    login_verified(client, world.user("us_analyst"))
    data = _get(client, "segments")
    assert data["measures"] == ["events", "apprehensions", "effectiveness", "events_per_hour"]
    kms = [f["properties"]["km_start"] for f in data["features"]]
    assert kms == sorted(kms) and 150 < len(kms) < 400  # the corridors and 30 km either side
    km685 = _segment(data, "km-0685")
    assert (km685["events"], km685["apprehensions"], km685["got_aways"]) == (4, 2, 1)
    assert km685["effectiveness"] == 0.75
    assert (km685["patrol_hours"], km685["events_per_hour"]) == (0, None)
    assert data["features"][0]["geometry"]["type"] == "LineString"
    effort(world, rows=[("km-0685", 8.0)])
    km685 = _segment(_get(client, "segments"), "km-0685")
    assert (km685["patrol_hours"], km685["events_per_hour"]) == (8.0, 0.5)


def test_segments_km_window_and_its_errors(world, client):
    login_verified(client, world.user("us_analyst"))
    data = _get(client, "segments", f"{WINDOW}&km_min=684&km_max=687")
    assert [f["id"] for f in data["features"]] == ["km-0684", "km-0685", "km-0686"]
    for query, field in (("km_min=5&km_max=4", "km_min"), ("km_max=abc", "km_max")):
        response = client.get(f"/api/flows/map/segments?{query}")
        assert response.status_code == 422 and response.json()["field"] == field
    response = client.get("/api/flows/map/segments?since=June")
    assert response.status_code == 422 and response.json()["field"] == "since"


def test_events_newest_first_capped_and_said_so(world, client):
    for day in (1, 2, 3):
        make_flow_event(
            agency=world.us,
            case_reference=f"LATER-{day}",
            releasable_to=[world.mx],
            when=JUNE + dt.timedelta(days=day),
        )
    login_verified(client, world.user("mx_analyst"))
    data = _get(client, "events", f"{WINDOW}&limit=2")
    assert (data["total"], data["shown"], data["truncated"]) == (6, 2, True)
    assert [f["properties"]["case_reference"] for f in data["features"]] == ["LATER-3", "LATER-2"]
    data = _get(client, "events")
    assert (data["total"], data["shown"], data["truncated"]) == (6, 6, False)
    refs = {f["properties"]["case_reference"] for f in data["features"]}
    assert "FLOW-US-INTERNAL ZARQUON" not in refs and "FLOW-MX-INTERNAL HOTBLACK" in refs
    first = data["features"][0]
    assert first["geometry"]["type"] == "Point"
    assert first["properties"]["url"] == f"/flows/events/{first['id']}/"
    assert first["properties"]["occurred_at"] == "2026-06-17 20:30"  # Arizona time
    for bad in ("0", "2001", "many"):
        response = client.get(f"/api/flows/map/events?limit={bad}")
        assert response.status_code == 422 and response.json()["field"] == "limit"
    assert (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="flowevent.map", actor_username="mx.analyst")
        .exists()
    )


@pytest.mark.parametrize("layer", LAYERS)
def test_no_layer_leaks_events_or_effort_the_reader_may_not_see(world, client, layer):
    effort(world, rows=[("km-0685", 8.0)])
    login_verified(client, world.user("mx_analyst"))
    before = _get(client, layer)
    login_verified(client, world.user("us_analyst"))
    us_before = _get(client, layer)
    hidden_from_mx(world, where=NOGALES, tag="HIDDEN-A")
    hidden_from_mx(world, when=JUNE + dt.timedelta(days=2), tag="HIDDEN-B")
    effort(
        world, agency=world.us, day=dt.date(2026, 6, 20), rows=[("km-0622", 5.0)], releasable_to=[]
    )
    login_verified(client, world.user("mx_analyst"))
    after = _get(client, layer)
    assert after == before
    assert "HIDDEN" not in json.dumps(after)
    if layer not in ("boundary", "places"):
        # Whoever may see the new events sees the layer change: the comparison can fail.
        login_verified(client, world.user("us_analyst"))
        assert _get(client, layer) != us_before


def _config(body: str) -> dict:
    match = re.search(r'data-config="([^"]*)"', body)
    return json.loads(html.unescape(match.group(1)))


def test_map_page_has_no_inline_script_or_style_and_no_tiles_by_default(world, client):
    login_verified(client, world.user("mx_analyst"))
    response = client.get(f"/flows/map/?{WINDOW}&kind=apprehension")
    body = response.content.decode()
    assert response.status_code == 200
    scripts = re.findall(r"<script[^>]*>", body)
    assert all(re.fullmatch(r'<script src="/static/[^"]+"( defer)?>', tag) for tag in scripts)
    assert '<script src="/static/flows/map.js">' in scripts
    assert " style=" not in body and "<style" not in body
    assert not re.search(r'(src|href)="(https?:)?//', body)
    config = _config(body)
    assert config["tileUrl"] == ""
    assert config["api"]["segments"] == "/api/flows/map/segments"
    assert "kind=apprehension" in config["query"]
    assert "Content-Security-Policy" in response.headers


@override_settings(
    ALIANZA_MAP_TILE_URL="https://tiles.example.internal/{z}/{x}/{y}.png",
    ALIANZA_MAP_TILE_ATTRIBUTION="Our own tiles",
)
def test_a_configured_tile_server_is_passed_to_the_map(world, client):
    login_verified(client, world.user("us_analyst"))
    config = _config(client.get("/flows/map/").content.decode())
    assert config["tileUrl"] == "https://tiles.example.internal/{z}/{x}/{y}.png"
    assert config["tileAttribution"] == "Our own tiles"


def test_map_page_leaks_nothing(world, client):
    login_verified(client, world.user("mx_analyst"))
    before = comparable(client.get(f"/flows/map/?{WINDOW}").content)
    hidden_from_mx(world)
    assert comparable(client.get(f"/flows/map/?{WINDOW}").content) == before
    login_verified(client, world.user("us_inactive"))
    assert client.get("/flows/map/").status_code == 404
