"""Analytics are computed from the visible set only: a hidden event contributes to no count."""

import datetime as dt

from alianza.flows.selectors import border_effectiveness, flow_counts_by_month
from alianza.flows.services import flow_events_link

from world import login_verified

# What each analyst may see of the world's flow events (see tests/world_flows.py).
VISIBLE = {
    "us_analyst": {"us_internal", "us_shared", "us_compartment", "mx_shared"},
    "mx_analyst": {"us_shared", "mx_shared", "mx_internal"},
}


def _totals(data) -> dict:
    totals: dict = {}
    for row in data["by_month"]:
        totals[row["kind"]] = totals.get(row["kind"], 0) + row["crossings"]
    return totals


def _expected(world, user_key) -> dict:
    totals: dict = {}
    for key in VISIBLE[user_key]:
        kind = world.flow_events[key].kind
        totals[kind] = totals.get(kind, 0) + 1
    return totals


def test_counts_differ_exactly_by_the_hidden_events(world, client):
    results = {}
    for user_key in VISIBLE:
        login_verified(client, world.user(user_key))
        results[user_key] = client.get("/api/flows/analytics").json()
        assert _totals(results[user_key]) == _expected(world, user_key)
    nogales = {
        key: next(r for r in data["effectiveness"] if r["corridor_code"] == "NOGALES")
        for key, data in results.items()
    }
    # US: 2 apprehensions + 1 turn-back, 1 got-away (compartmented, hidden from MX).
    assert (nogales["us_analyst"]["apprehensions"], nogales["us_analyst"]["got_aways"]) == (2, 1)
    assert nogales["us_analyst"]["rate"] == 0.75
    assert (nogales["mx_analyst"]["apprehensions"], nogales["mx_analyst"]["got_aways"]) == (2, 0)
    assert nogales["mx_analyst"]["rate"] == 1.0
    # Nothing happened near Sasabe: no rate rather than a rate of zero.
    sasabe = next(
        r for r in results["us_analyst"]["effectiveness"] if r["corridor_code"] == "SASABE"
    )
    assert sasabe["rate"] is None


def test_a_linked_crossing_counts_once(world):
    flow_events_link(
        actor=None, first=world.flow_events["us_shared"], second=world.flow_events["mx_internal"]
    )
    mx = world.user("mx_analyst")
    assert (
        next(
            r for r in border_effectiveness(reader=mx) if r.corridor_code == "NOGALES"
        ).apprehensions
        == 1
    )
    counts = flow_counts_by_month(reader=mx, kind="apprehension")
    assert [(c.month, c.direction, c.crossings) for c in counts] == [
        (dt.date(2026, 6, 1), "northbound", 1)
    ]
    # The US analyst does not see the MX half: still its own two apprehensions, no hint.
    us = world.user("us_analyst")
    assert sum(c.crossings for c in flow_counts_by_month(reader=us, kind="apprehension")) == 2


def test_inactive_officer_gets_no_numbers(world, client):
    login_verified(client, world.user("us_inactive"))
    assert client.get("/api/flows/analytics").status_code == 404
    assert flow_counts_by_month(reader=world.user("us_inactive")) == []


def test_list_filters_by_kind_direction_and_dates(world, client):
    login_verified(client, world.user("us_analyst"))
    body = client.get("/flows/events/?kind=got_away").content.decode()
    assert "AGRAJAG" in body and "ZARQUON" not in body
    body = client.get("/flows/events/?since=2026-07-01").content.decode()
    assert "ZARQUON" not in body
    data = client.get("/api/flows/events?direction=southbound").json()
    assert data["count"] == 0
    data = client.get("/api/flows/events?until=2026-06-30&kind=apprehension").json()
    assert data["count"] == 2
