"""Displacement: the neighbours' share of flows after weeks of raised pressure in a corridor,
against ordinary weeks; from visible events and visible effort only."""

from __future__ import annotations

import datetime as dt

import pytest
from world_flow_analytics import comparable, corridor, effort, hidden_from_mx, point_in
from world_flows import make_flow_event

from alianza.flows.analytics_filters import flow_filters_parse
from alianza.flows.displacement import Week, _measure, flow_displacement

from world import login_verified

START = dt.date(2026, 3, 2)  # a Monday
WEEKS = 12
RANGE = {
    "since": START.isoformat(),
    "until": (START + dt.timedelta(weeks=WEEKS, days=-1)).isoformat(),
}


def _week(i: int, *, pressure: float, own: int, neighbours: int) -> Week:
    return Week(
        start=START + dt.timedelta(weeks=i),
        label=str(i),
        pressure=pressure,
        own=own,
        neighbours=neighbours,
    )


def test_the_measure_compares_raised_weeks_with_ordinary_ones():
    weeks = [_week(i, pressure=10, own=8, neighbours=2) for i in range(10)]
    weeks += [
        _week(10, pressure=20, own=5, neighbours=5),
        _week(11, pressure=10, own=5, neighbours=5),
    ]
    result = _measure(weeks)
    assert [w.raised for w in weeks] == [False] * 10 + [True, False]
    # Raised week 10: share 0.5 in weeks 10–11 against 0.2 before.
    assert result["shift_raised"] == pytest.approx(0.3)
    # Ordinary weeks 8 and 9: shifts 0 and (0.2 + 0.5) / 2 − 0.2 = 0.15.
    assert result["shift_ordinary"] == pytest.approx(0.075)
    # Neighbours' flows: 5 a week after week 10 against 2 before (+150 %).
    assert result["change_raised"] == pytest.approx(1.5)


def test_no_raised_week_no_measure():
    weeks = [_week(i, pressure=10, own=8, neighbours=2) for i in range(12)]
    result = _measure(weeks)
    assert result["shift_raised"] is None and result["shift_ordinary"] == 0
    assert not any(w.raised for w in weeks)


def test_a_week_after_no_pressure_is_never_raised():
    weeks = [_week(i, pressure=0, own=1, neighbours=1) for i in range(9)]
    weeks += [_week(9, pressure=5, own=1, neighbours=1), _week(10, pressure=5, own=1, neighbours=1)]
    _measure(weeks)
    assert not any(w.raised for w in weeks)


def _scenario(w):
    """Nogales: 2 crossings a week; patrol hours 10 a week, 30 in week 9. Sasabe (its
    neighbour): 1 crossing a week, 4 in weeks 9 and 10."""
    nogales, sasabe = point_in("NOGALES"), point_in("SASABE")
    for i in range(WEEKS):
        monday = START + dt.timedelta(weeks=i)
        when = dt.datetime.combine(monday, dt.time(19), tzinfo=dt.UTC)
        for n in range(2):
            make_flow_event(
                agency=w.us,
                case_reference=f"N{i}-{n}",
                kind="sighting",
                releasable_to=[w.mx],
                lon=nogales[0],
                lat=nogales[1],
                when=when,
            )
        for n in range(4 if i in (9, 10) else 1):
            make_flow_event(
                agency=w.us,
                case_reference=f"S{i}-{n}",
                kind="sighting",
                releasable_to=[w.mx],
                lon=sasabe[0],
                lat=sasabe[1],
                when=when,
            )
        effort(w, day=monday, rows=[("km-0685", 30.0 if i == 9 else 10.0)])


def _row(user, code="NOGALES", **params):
    rows = flow_displacement(reader=user, filters=flow_filters_parse({**RANGE, **params}))
    return next(r for r in rows if r.code == code)


def test_pressure_from_patrol_hours_and_the_neighbours_shift(world):
    _scenario(world)
    row = _row(world.user("us_analyst"))
    assert row.neighbours == ["SASABE", "NACO"]
    assert row.basis == "patrol_hours"
    assert [i for i, week in enumerate(row.weeks) if week.raised] == [9]
    assert [week.pressure for week in row.weeks][8:10] == [10.0, 30.0]
    assert [week.neighbours for week in row.weeks][8:11] == [1, 4, 4]
    # Share 1/3 before, 2/3 after week 9: +33.3 pp. Ordinary weeks 8 and 10 (the only other
    # weeks with 8 weeks before and 2 from them): (1/3 + 2/3) / 2 − 1/3 = 16.7 pp and
    # (2/3 + 1/3) / 2 − 0.375 = 12.5 pp, mean 14.6 pp: displacement 33.3 − 14.6 = 18.7 pp.
    assert row.shift_raised == pytest.approx(1 / 3, abs=1e-3)
    assert row.shift_ordinary == pytest.approx((1 / 6 + 0.125) / 2, abs=1e-3)
    assert row.displacement == pytest.approx(18.7, abs=0.05)
    # Neighbours' flows: 4 a week against 1 (+300 %), ordinary weeks +116 %.
    assert row.neighbours_change == pytest.approx(184.1, abs=0.05)
    # Sasabe's only neighbour is Nogales; Naco's too.
    assert _row(world.user("us_analyst"), "SASABE").neighbours == ["NOGALES"]


def test_without_visible_effort_pressure_is_apprehensions(world):
    _scenario(world)
    # The world's June events are outside the range; nothing apprehended: no raised week.
    row = _row(world.user("us_analyst"), "NACO")
    assert row.basis == "apprehensions"
    assert row.raised_weeks == 0 and row.displacement is None


def test_kind_filter_selects_the_flows_not_the_pressure(world):
    _scenario(world)
    row = _row(world.user("us_analyst"), kind="seizure")
    assert sum(week.own + week.neighbours for week in row.weeks) == 0
    assert row.raised_weeks == 1


def test_corridor_filter_shows_one_corridor_with_its_neighbours(world):
    rows = flow_displacement(
        reader=world.user("us_analyst"),
        filters=flow_filters_parse({**RANGE, "corridor": str(corridor("NACO").pk)}),
    )
    assert [(r.code, r.neighbours) for r in rows] == [("NACO", ["NOGALES"])]


def test_page_and_numbers_leak_nothing_from_invisible_events_and_effort(world, client):
    _scenario(world)
    url = "/flows/displacement/?since={since}&until={until}".format(**RANGE)
    login_verified(client, world.user("mx_analyst"))
    before = comparable(client.get(url).content)
    login_verified(client, world.user("us_analyst"))
    us_before = comparable(client.get(url).content)
    for i in (3, 9, 10):
        when = dt.datetime.combine(START + dt.timedelta(weeks=i), dt.time(20), tzinfo=dt.UTC)
        hidden_from_mx(world, when=when, tag=f"HIDDEN{i}")
        hidden_from_mx(
            world, where=point_in("NOGALES"), when=when, kind="apprehension", tag=f"HIDDEN-N{i}"
        )
    # Hidden effort on a Tuesday (a Monday would replace the visible row of that day).
    tuesday = START + dt.timedelta(weeks=4, days=1)
    effort(world, day=tuesday, rows=[("km-0685", 90.0)], releasable_to=[])
    login_verified(client, world.user("mx_analyst"))
    after = comparable(client.get(url).content)
    assert after == before
    assert 'id="chart-displacement" src="data:image/png;base64,' in after
    login_verified(client, world.user("us_analyst"))
    assert comparable(client.get(url).content) != us_before


def test_inactive_officer_gets_404(world, client):
    login_verified(client, world.user("us_inactive"))
    assert client.get("/flows/displacement/").status_code == 404


def test_a_sparse_baseline_is_never_raised():
    # Half an apprehension a week, then three: noise, not a campaign.
    weeks = [_week(i, pressure=i % 2, own=1, neighbours=1) for i in range(8)]
    weeks += [_week(8, pressure=3, own=1, neighbours=1), _week(9, pressure=0, own=1, neighbours=1)]
    _measure(weeks)
    assert not any(w.raised for w in weeks)
