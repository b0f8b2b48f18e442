"""The demo's simulated tracks: along the published plans' windows, located, marked, and turned
into patrol effort; the unshared U.S. ATVs stay with USBP; loading again at the same moment adds
nothing (loading later tops the tracks up: tests/demo/test_live_feed.py)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from alianza.flows.models import PatrolEffort
from alianza.patrols.models import PatrolAssignment
from alianza.positions.models import PositionReport, TrackedUnit

pytestmark = pytest.mark.django_db


def test_demo_simulates_tracks_along_the_plans_and_derives_effort():
    with time_machine.travel(timezone.now(), tick=False):
        _check_demo_tracks()


def _check_demo_tracks():
    now = timezone.now()
    call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
    reports = PositionReport.objects.unrestricted(reason="test")
    count = reports.count()
    assert count > 100
    assignments = list(
        PatrolAssignment.objects.unrestricted(reason="test").select_related(
            "first_segment", "last_segment"
        )
    )
    # Every fix lies within (or a week before) one of its unit's planned windows.
    windows = [(a.starts_at, a.ends_at) for a in assignments]
    week = dt.timedelta(days=7)
    for time in reports.values_list("time", flat=True)[:500]:
        assert any(s - week <= time <= e - week or s <= time <= e for s, e in windows)
    assert set(reports.values_list("operation__code", flat=True)) == {"OP-NOGALES-WEST"}
    assert not reports.filter(time__gt=now).exists()
    effort = PatrolEffort.objects.unrestricted(reason="test").filter(source="positions")
    hours = sum(effort.values_list("hours", flat=True))
    km = sum(effort.values_list("kilometres", flat=True))
    assert hours > 1
    # Units drive at 8-25 km/h (fixes 10 minutes apart at this scale see less of a drive that
    # turns back); the jump between two windows is never counted as patrolled.
    assert 0 < km / hours < 40, (km, hours)
    units = TrackedUnit.objects.unrestricted(reason="test")
    assert units.filter(shared=True).exists()
    call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
    assert reports.count() == count
