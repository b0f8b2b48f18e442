"""Patrol effort from tracks: hours between consecutive fixes (capped by the maximum gap),
kilometres in the projected CRS, split at local midnight, written as "positions" effort."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from world_positions import (
    PRIVATE,
    SHARED,
    US_POINT,
    matrix_positions,
    register_units,
    report,
)

from alianza.border.geometry import to_lonlat, to_xy
from alianza.border.locating import default_locator
from alianza.flows.effort import patrol_effort_by_segment
from alianza.flows.models import PatrolEffort
from alianza.positions.effort import positions_effort_derive
from alianza.positions.services import positions_ingest
from alianza.positions.tracks import Fix, track_effort

PHOENIX = ZoneInfo("America/Phoenix")
# Ten days ago in Arizona (inside the test world's joint operation), at 10:00 local time.
DAY = dt.datetime.now(PHOENIX).date() - dt.timedelta(days=10)
T0 = dt.datetime.combine(DAY, dt.time(10), tzinfo=PHOENIX).astimezone(dt.UTC)


def _fix(minutes, segment, side="US", start=T0):
    return Fix(start + dt.timedelta(minutes=minutes), 0.0, 0.0, segment, side)


# ----------------------------------------------------------------- pure (no database)


def test_hours_and_kilometres_of_a_hand_computed_track():
    fixes = [
        _fix(0, "km-0001"),
        _fix(5, "km-0001"),
        _fix(10, "km-0002"),
        _fix(40, "km-0003", "MX"),  # 30 min of silence: not patrolling
        _fix(45, "km-0003", "MX"),
    ]
    xs = np.array([0.0, 300.0, 300.0, 5000.0, 5000.0])
    ys = np.array([0.0, 400.0, 1400.0, 0.0, 600.0])
    effort = track_effort(fixes, zone=PHOENIX, xy=(xs, ys))
    # 0->5: 5 min, 500 m; 5->10: 5 min, 1,000 m (both opened on km-0001); 40->45: 5 min, 600 m.
    assert effort.keys() == {(DAY, "km-0001", "US"), (DAY, "km-0003", "MX")}
    hours, km = effort[(DAY, "km-0001", "US")]
    assert hours == pytest.approx(10 / 60) and km == pytest.approx(1.5)
    hours, km = effort[(DAY, "km-0003", "MX")]
    assert hours == pytest.approx(5 / 60) and km == pytest.approx(0.6)


def test_the_maximum_gap_is_inclusive():
    fixes = [_fix(0, "a"), _fix(15, "a"), _fix(30, "b", start=T0 + dt.timedelta(seconds=1))]
    xy = (np.zeros(3), np.array([0.0, 1000.0, 2000.0]))
    effort = track_effort(fixes, zone=PHOENIX, max_gap=dt.timedelta(minutes=15), xy=xy)
    assert effort == {(DAY, "a", "US"): (pytest.approx(0.25), pytest.approx(1.0))}


def test_an_interval_across_local_midnight_is_split_between_the_days():
    midnight = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(0), tzinfo=PHOENIX)
    fixes = [
        Fix(midnight - dt.timedelta(minutes=6), 0, 0, "km-0001", "US"),
        Fix(midnight + dt.timedelta(minutes=4), 0, 0, "km-0002", "US"),
    ]
    effort = track_effort(fixes, zone=PHOENIX, xy=(np.array([0.0, 0.0]), np.array([0.0, 1000.0])))
    assert effort[(DAY, "km-0001", "US")] == (pytest.approx(0.1), pytest.approx(0.6))
    nxt = DAY + dt.timedelta(days=1)
    assert effort[(nxt, "km-0001", "US")] == (pytest.approx(4 / 60), pytest.approx(0.4))
    only_next = track_effort(
        fixes, zone=PHOENIX, days=[nxt], xy=(np.zeros(2), np.array([0.0, 1000.0]))
    )
    assert set(only_next) == {(nxt, "km-0001", "US")}


# ----------------------------------------------------------------- stored and derived


def _track(world, *, operation=None, start=T0, unit=SHARED):
    """Five fixes 5 minutes and 500 m (projected) apart going east, then one after a 40-minute
    silence: 20 minutes and 2.0 km of patrol."""
    x0, y0 = to_xy(lons=[US_POINT[0]], lats=[US_POINT[1]])
    minutes = [0, 5, 10, 15, 20, 60]
    xs = x0[0] + np.array([0, 500, 1000, 1500, 2000, 2000], dtype=float)
    ys = np.full(len(xs), y0[0])
    lons, lats = to_lonlat(xs=xs, ys=ys)
    rows = []
    for m, lon, lat in zip(minutes, lons, lats, strict=True):
        row = report(unit, start + dt.timedelta(minutes=m), point=(float(lon), float(lat)))
        if operation is None:
            row.pop("operation")
        rows.append(row)
    positions_ingest(actor=world.user("us_supervisor"), reports=rows)
    return lons, lats


def _effort():
    return PatrolEffort.objects.unrestricted(reason="test").select_related("segment")


@pytest.mark.django_db
def test_effort_of_a_stored_track_per_segment(world):
    register_units(world)
    lons, lats = _track(world)
    summaries = positions_effort_derive(actor=None, days=[DAY])
    assert [(s.day, s.agency, s.hours, s.kilometres) for s in summaries] == [
        (DAY, "USBP", pytest.approx(1 / 3, abs=1e-3), pytest.approx(2.0, abs=1e-3))
    ]
    # Each 5-minute, 500 m interval belongs to the segment of the fix that opens it.
    where = default_locator().locate_many(np.asarray(lons), np.asarray(lats))
    expected: dict[str, list[float]] = {}
    for i in range(4):
        entry = expected.setdefault(str(where.segment_id[i]), [0.0, 0.0])
        entry[0] += 5 / 60
        entry[1] += 0.5
    rows = list(_effort())
    assert {r.segment.segment_id: [r.hours, r.kilometres] for r in rows} == {
        k: [pytest.approx(h, abs=1e-4), pytest.approx(km, abs=1e-3)]
        for k, (h, km) in expected.items()
    }
    assert {(r.side, r.source, r.agency_id, r.day) for r in rows} == {
        ("US", "positions", world.us.pk, DAY)
    }
    # Outside an operation the track is USBP's alone, and so is the effort drawn from it.
    assert {r.marking.summary for r in rows} == {"USBP"}
    us = patrol_effort_by_segment(reader=world.user("us_supervisor"), since=DAY, until=DAY)
    assert sum(t.hours for t in us.values()) == pytest.approx(1 / 3, abs=1e-3)
    mx = patrol_effort_by_segment(reader=world.user("mx_supervisor"), since=DAY, until=DAY)
    assert mx == {}


@pytest.mark.django_db
def test_effort_of_shared_tracks_in_an_operation_reaches_its_members_only(world):
    matrix_positions(world)
    _track(world, operation="OP-JOINT")
    positions_effort_derive(actor=None, days=[DAY])
    assert {r.marking.summary for r in _effort()} == {"USBP REL MXFP [OP-JOINT]"}
    member = patrol_effort_by_segment(reader=world.user("mx_supervisor"), since=DAY, until=DAY)
    assert sum(t.hours for t in member.values()) == pytest.approx(1 / 3, abs=1e-3)
    assert patrol_effort_by_segment(reader=world.user("mx_analyst"), since=DAY, until=DAY) == {}


@pytest.mark.django_db
def test_a_unit_not_shared_hides_only_its_own_effort(world):
    matrix_positions(world)
    _track(world, operation="OP-JOINT")
    _track(world, operation="OP-JOINT", unit=PRIVATE, start=T0 + dt.timedelta(hours=2))
    positions_effort_derive(actor=None, days=[DAY])
    by_unit_marking = {r.marking.summary for r in _effort()}
    assert by_unit_marking == {"USBP REL MXFP [OP-JOINT]", "USBP [OP-JOINT]"}
    own = patrol_effort_by_segment(reader=world.user("us_supervisor"), since=DAY, until=DAY)
    assert sum(t.hours for t in own.values()) == pytest.approx(2 / 3, abs=1e-3)
    partner = patrol_effort_by_segment(reader=world.user("mx_supervisor"), since=DAY, until=DAY)
    assert sum(t.hours for t in partner.values()) == pytest.approx(1 / 3, abs=1e-3)


@pytest.mark.django_db
def test_command_derives_one_day_or_every_day_and_replaces_its_rows(world):
    register_units(world)
    _track(world)
    _track(world, start=T0 + dt.timedelta(days=2))
    out = StringIO()
    call_command("positions-effort", "--day", DAY.isoformat(), stdout=out)
    assert f"{DAY} USBP: " in out.getvalue() and "0.33 h, 2.00 km" in out.getvalue()
    assert set(_effort().values_list("day", flat=True)) == {DAY}
    out = StringIO()
    call_command("positions-effort", stdout=out)  # every day from the first report to the last
    assert "2 agency-days derived." in out.getvalue()  # the empty day between is skipped
    assert set(_effort().values_list("day", flat=True)) == {DAY, DAY + dt.timedelta(days=2)}
    count = _effort().count()
    call_command("positions-effort", stdout=StringIO())
    assert _effort().count() == count  # replaced, not added
    with pytest.raises(CommandError):
        call_command("positions-effort", "--day", "2026-13-01")


@pytest.mark.django_db
def test_a_shorter_maximum_gap_counts_less(world):
    register_units(world)
    _track(world)
    call_command("positions-effort", "--day", DAY.isoformat(), stdout=StringIO())
    assert _effort().exists()
    out = StringIO()
    call_command("positions-effort", "--day", DAY.isoformat(), "--max-gap-minutes", "4", stdout=out)
    assert "USBP: 0 segment rows, 0.00 h" in out.getvalue()
    assert not _effort().exists()  # the earlier derivation of the day was replaced
