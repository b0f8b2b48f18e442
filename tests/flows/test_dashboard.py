"""The flow dashboard: counts and quantities by period, direction, commodity, corridor and
segment, the effectiveness rate per corridor and period, and nothing from invisible events."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from world_flow_analytics import JUNE, WINDOW, comparable, corridor, hidden_from_mx, point_in
from world_flows import make_flow_event

from alianza.audit.models import AuditEvent
from alianza.flows.analytics_filters import flow_filters_parse
from alianza.flows.dashboard import flow_dashboard
from alianza.flows.services import flow_events_link

from world import login_verified


def _filters(**params):
    return flow_filters_parse({"since": "2026-06-01", "until": "2026-06-30", **params})


def _corridor(board, code):
    return next(c for c in board.corridors if c.code == code)


def test_crossings_by_week_and_month_are_cut_in_arizona_time(world):
    us = world.user("us_analyst")
    weekly = flow_dashboard(reader=us, filters=_filters(period="week"))
    # 2026-06-15 03:30 UTC is Sunday 14 June 20:30 in Arizona: ISO week 24, not 25.
    busy = [row for row in weekly.counts if row.total]
    assert [(row.label, row.total) for row in busy] == [("2026-W24", 4)]
    assert busy[0].by_kind == {"apprehension": 2, "turn_back": 1, "got_away": 1}
    assert busy[0].by_direction == {"northbound": 4}
    # Empty weeks are there too, so the chart's axis is time, not a list of busy weeks.
    assert weekly.labels[0] == "2026-W23" and len(weekly.labels) == 5
    monthly = flow_dashboard(reader=us, filters=_filters())
    assert [(row.label, row.total) for row in monthly.counts] == [("2026-06", 4)]


def test_the_two_analysts_see_different_numbers(world):
    mx = flow_dashboard(reader=world.user("mx_analyst"), filters=_filters())
    assert mx.total == 3
    assert mx.counts[0].by_kind == {"apprehension": 2, "turn_back": 1}


def test_quantities_by_commodity_count_a_linked_crossing_once(world):
    lon, lat = point_in("NOGALES")
    when = dt.datetime(2026, 6, 20, 18, tzinfo=dt.UTC)
    us_report = make_flow_event(
        agency=world.us,
        case_reference="LOAD-US",
        kind="seizure",
        releasable_to=[world.mx],
        when=when,
        lon=lon,
        lat=lat,
        items={"drugs": [{"category": "marijuana", "quantity": "100", "unit": "lb"}]},
    )
    mx_report = make_flow_event(
        agency=world.mx,
        case_reference="LOAD-MX",
        kind="seizure",
        releasable_to=[world.us],
        when=when + dt.timedelta(hours=2),
        lon=lon,
        lat=lat,
        items={"drugs": [{"category": "marijuana", "quantity": "50", "unit": "kg"}]},
    )
    flow_events_link(actor=None, first=us_report, second=mx_report)
    make_flow_event(
        agency=world.us,
        case_reference="MIXED",
        kind="seizure",
        when=when,
        lon=lon,
        lat=lat,
        items={
            "drugs": [
                {"category": "fentanyl", "quantity": "0.5", "unit": "kg"},
                {"category": "fentanyl", "quantity": "300", "unit": "pills"},
            ],
            "currency": [{"amount": "2500", "currency": "USD"}],
            "firearms": [{"type": "handgun"}, {"type": "rifle"}],
            "persons": [{"count": 3}],
        },
    )
    board = flow_dashboard(reader=world.user("us_analyst"), filters=_filters(kind="seizure"))
    june = board.quantities[0]
    # The two reports of one load: the larger (50 kg > 100 lb = 45.36 kg), not the sum.
    assert june.drugs_kg == {"marijuana": 50.0, "fentanyl": 0.5}
    assert board.drug_categories == ["fentanyl", "marijuana"]
    assert (june.pills, june.currency_usd, june.firearms, june.persons) == (300, 2500.0, 2, 3)
    assert board.counts[0].by_kind == {"seizure": 2}
    # The MX analyst does not see MIXED (US internal): only the load, once.
    mx_board = flow_dashboard(reader=world.user("mx_analyst"), filters=_filters(kind="seizure"))
    assert mx_board.quantities[0].drugs_kg == {"marijuana": 50.0}
    assert mx_board.quantities[0].firearms == 0


def test_effectiveness_per_corridor_and_period(world):
    us = flow_dashboard(reader=world.user("us_analyst"), filters=_filters())
    nogales = _corridor(us, "NOGALES")
    assert (nogales.outcome.apprehensions, nogales.outcome.turn_backs) == (2, 1)
    assert nogales.outcome.got_aways == 1
    assert nogales.outcome.rate == 0.75
    assert [o.rate for o in nogales.by_period] == [0.75]
    assert _corridor(us, "SASABE").outcome.rate is None  # nothing happened: no rate
    mx = flow_dashboard(reader=world.user("mx_analyst"), filters=_filters())
    assert _corridor(mx, "NOGALES").outcome.rate == 1.0


def test_a_kind_filter_narrows_the_counts_but_not_the_effectiveness(world):
    board = flow_dashboard(reader=world.user("us_analyst"), filters=_filters(kind="got_away"))
    assert board.total == 1
    nogales = _corridor(board, "NOGALES")
    assert nogales.total == 1
    assert nogales.outcome.rate == 0.75


def test_corridor_and_direction_filters(world):
    filters = _filters(corridor=str(corridor("SASABE").pk))
    assert flow_dashboard(reader=world.user("us_analyst"), filters=filters).total == 0
    filters = _filters(corridor=str(corridor("NOGALES").pk), direction="southbound")
    assert flow_dashboard(reader=world.user("us_analyst"), filters=filters).total == 0
    filters = _filters(corridor=str(corridor("NOGALES").pk), direction="northbound")
    board = flow_dashboard(reader=world.user("us_analyst"), filters=filters)
    assert board.total == 4
    assert [c.code for c in board.corridors] == ["NOGALES"]
    assert [s.segment_id for s in board.segments] == ["km-0685"]


def test_bad_filters_are_reported_by_field(world):
    with pytest.raises(ValidationError) as error:
        flow_filters_parse(
            {"period": "day", "since": "yesterday", "kind": "x", "direction": "up", "corridor": "9"}
        )
    assert set(error.value.message_dict) == {"period", "since", "kind", "direction", "corridor"}
    with pytest.raises(ValidationError) as error:
        flow_filters_parse({"since": "2026-06-02", "until": "2026-06-01"})
    assert set(error.value.message_dict) == {"since"}


def test_the_page_shows_charts_with_alt_text_and_tables(world, client):
    login_verified(client, world.user("us_analyst"))
    response = client.get(f"/flows/dashboard/?{WINDOW}&period=month")
    assert response.status_code == 200
    body = response.content.decode()
    images = re.findall(r'<img id="(chart-[a-z]+)" src="([^"]{0,40})[^"]*" alt="([^"]*)"', body)
    assert {name for name, _, _ in images} == {
        "chart-kinds",
        "chart-directions",
        "chart-drugs",
        "chart-other",
        "chart-effectiveness",
        "chart-segments",
    }
    for _name, src, alt in images:
        assert src.startswith("data:image/png;base64,")
        assert len(alt) > 40
    assert 'id="total-crossings">4<' in body
    for table in ("counts", "quantities", "effectiveness", "corridors", "segments"):
        assert f'id="table-{table}"' in body
    assert "75 %" in body
    assert (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="flowevent.dashboard", actor_username="us.analyst")
        .exists()
    )


def test_bad_filters_on_the_page_are_shown_and_defaults_used(world, client):
    login_verified(client, world.user("us_analyst"))
    response = client.get("/flows/dashboard/?period=fortnight&since=2026-01-01&until=2026-11-27")
    assert response.status_code == 200
    assert "period: Choose week or month." in response.content.decode()


@pytest.mark.parametrize("query", [f"{WINDOW}&period=month", f"{WINDOW}&period=week"])
def test_the_page_leaks_nothing_from_events_the_reader_may_not_see(world, client, query):
    url = f"/flows/dashboard/?{query}"
    login_verified(client, world.user("mx_analyst"))
    before = comparable(client.get(url).content)
    login_verified(client, world.user("us_analyst"))
    us_before = comparable(client.get(url).content)
    hidden_from_mx(world, when=JUNE + dt.timedelta(days=40))
    login_verified(client, world.user("mx_analyst"))
    after = comparable(client.get(url).content)
    assert after == before
    assert "HIDDEN" not in after
    # The same change is visible to whoever may see it: the comparison can fail.
    login_verified(client, world.user("us_analyst"))
    assert comparable(client.get(url).content) != us_before


def test_inactive_and_anonymous_users_get_no_dashboard(world, client):
    assert client.get("/flows/dashboard/")["Location"].startswith("/accounts/login/")
    login_verified(client, world.user("us_inactive"))
    assert client.get("/flows/dashboard/").status_code == 404
