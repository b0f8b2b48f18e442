"""The demo's live feed: hours after the demo was loaded, its units still report along the
published plans, so the live map is not empty; loading again tops the tracks up; the feed
never writes a fix after "now" and adds nothing when run twice at the same moment."""

import datetime as dt
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from alianza.demo import live
from alianza.flows.models import PatrolEffort
from alianza.patrols.models import PatrolAssignment, PatrolPlan
from alianza.positions.effort import display_zone
from alianza.positions.models import PositionReport

from world import login_verified

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each loads the demo

SCALE = "0.05"  # a fix every 10 minutes
INTERVAL = dt.timedelta(seconds=live.fix_interval(float(SCALE)))
LIVE_MAP = dt.timedelta(minutes=15)
# Fixes lie up to 10 s either side of their interval grid (and are rounded to the second): a
# span one interval long can fall between two fixes unless it is this much longer.
JITTER = dt.timedelta(seconds=21)


def _load_time() -> dt.datetime:
    """Today 07:30 in the display time zone, during a day shift."""
    zone = display_zone()
    today = timezone.localdate(timezone.now(), zone)
    return dt.datetime.combine(today, dt.time(7, 30), tzinfo=zone)


def _into_next_window(after: dt.datetime) -> dt.datetime:
    """Half an hour into the first published window that starts more than a fix interval
    after `after` (how sparse the plans are depends on the scale, so the test asks them)."""
    starts = (
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan__status=PatrolPlan.Status.PUBLISHED, starts_at__gt=after + INTERVAL)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    )
    assert starts, "no published window after the load: the test proves nothing"
    return starts[0] + dt.timedelta(minutes=30)


def _reports():
    return PositionReport.objects.unrestricted(reason="test")


def _active(start: dt.datetime, end: dt.datetime) -> list[PatrolAssignment]:
    """Published assignments driving (before their transit) for at least one fix interval
    (plus the jitter) of (start, end]."""
    return [
        a
        for a in PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan__status=PatrolPlan.Status.PUBLISHED)
        .select_related("agency")
        if min(a.ends_at - live.TRANSIT, end) - max(a.starts_at, start) >= INTERVAL + JITTER
    ]


def _fixes(start: dt.datetime, end: dt.datetime) -> list[tuple[int, str, dt.datetime]]:
    return list(
        _reports()
        .filter(time__gt=start, time__lte=end)
        .values_list("unit__agency_id", "unit__code", "time")
    )


def _check_tracks_between(start: dt.datetime, end: dt.datetime) -> None:
    """Every assignment active in (start, end] reported then, and every fix of that span lies
    in a window of its unit."""
    active = _active(start, end)
    assert active, "no published assignment drives in the span: the test proves nothing"
    fixes = _fixes(start, end)
    for assignment in active:
        key = (assignment.agency_id, live.unit_code(assignment))
        low, high = max(assignment.starts_at, start), min(assignment.ends_at - live.TRANSIT, end)
        assert any((agency, code) == key and low <= time <= high for agency, code, time in fixes), (
            assignment
        )
    windows = {}
    for a in _active(start - INTERVAL, end + INTERVAL):
        windows.setdefault((a.agency_id, live.unit_code(a)), []).append(a)
    for agency, code, time in fixes:
        assert any(
            a.starts_at <= time <= a.ends_at - live.TRANSIT for a in windows[(agency, code)]
        ), (code, time)


def _live_map(client, username: str) -> set[str]:
    user = get_user_model().objects.get(username=username)
    login_verified(client, user)
    minutes = int(LIVE_MAP.total_seconds() // 60)
    data = client.get(f"/api/positions/latest?max_age_minutes={minutes}").json()
    return {feature["id"] for feature in data["features"]}


def _expected_on_map(now: dt.datetime) -> set[str]:
    """The units with a fix in the last 15 minutes, checked to include every unit whose
    assignment drove through all of them."""
    recent = {
        (f"{agency}/{code}", shared)
        for agency, code, shared in _reports()
        .filter(time__gt=now - LIVE_MAP, time__lte=now)
        .values_list("unit__agency__code", "unit__code", "unit__shared")
    }
    driving = {
        f"{a.agency.code}/{live.unit_code(a)}"
        for a in _active(now - LIVE_MAP, now)
        if a.starts_at <= now - LIVE_MAP and a.ends_at - live.TRANSIT >= now
    }
    assert driving and driving <= {unit for unit, _shared in recent}
    return recent


def _effort_hours(day: dt.date) -> float:
    return sum(
        PatrolEffort.objects.unrestricted(reason="test")
        .filter(source=PatrolEffort.Source.POSITIONS, day=day)
        .values_list("hours", flat=True)
    )


def test_the_live_map_still_shows_units_hours_after_the_demo_was_loaded(client):
    loaded = _load_time()
    with time_machine.travel(loaded, tick=False):
        call_command("demo", "--no-serve", "--scale", SCALE, verbosity=0)
        assert not _reports().filter(time__gt=loaded).exists()
        at_load = _reports().count()
        later = _into_next_window(loaded)
        day = timezone.localdate(later, display_zone())
        hours_before = _effort_hours(day)

    # Loading again later tops the tracks up instead of stopping at load time.
    with time_machine.travel(later, tick=False):
        call_command("demo", "--no-serve", "--scale", SCALE, verbosity=0)
        _check_tracks_between(loaded, later)
        assert not _reports().filter(time__gt=later).exists()
        assert _live_map(client, "us.supervisor") == {u for u, _s in _expected_on_map(later)}
        assert _effort_hours(day) > hours_before
        last = _into_next_window(later)

    # Later still: the feed (as cron runs it) adds what is due, once.
    with time_machine.travel(last, tick=False):
        before = _reports().count()
        call_command("demo-feed", "--once", "--scale", SCALE, verbosity=0)
        added = _reports().count() - before
        assert added > 0
        assert len(_fixes(later, last)) == added
        _check_tracks_between(later, last)
        assert not _reports().filter(time__gt=last).exists()
        call_command("demo-feed", "--once", "--scale", SCALE, verbosity=0)
        assert _reports().count() == before + added
        assert live.positions_top_up(now=last, scale=float(SCALE)).accepted == 0
        # The partner agency's map: every shared unit, never USBP's unshared one.
        assert _live_map(client, "mx.supervisor") == {
            unit for unit, shared in _expected_on_map(last) if shared or unit.startswith("MXFP/")
        }
    assert _reports().count() > at_load


def test_a_topped_up_track_is_the_one_drawn_in_a_single_pass():
    loaded = _load_time()
    with time_machine.travel(loaded, tick=False):
        call_command("demo", "--no-serve", "--scale", SCALE, verbosity=0)
        base = _into_next_window(loaded)
    steps = [base + dt.timedelta(minutes=m) for m in (-20, 7, 45, 46, 130, 180)]
    for now in steps:
        with time_machine.travel(now, tick=False):
            live.positions_top_up(now=now, scale=float(SCALE), derive_effort=False)
    fields = ("unit_id", "time", "lat", "lon", "speed_kmh")
    stepped = set(_reports().filter(time__gt=loaded).values_list(*fields))
    _reports().filter(time__gt=loaded).delete()
    with time_machine.travel(steps[-1], tick=False):
        live.positions_top_up(now=steps[-1], scale=float(SCALE), derive_effort=False)
    at_once = set(_reports().filter(time__gt=loaded).values_list(*fields))
    assert stepped and stepped == at_once


def test_the_feed_command_needs_the_demo_loaded():
    with pytest.raises(Exception, match="alianza demo"):
        call_command("demo-feed", "--once")


def test_the_live_feed_thread_runs_rounds_until_stopped(monkeypatch):
    rounds = threading.Semaphore(0)

    def step(self, now=None):
        rounds.release()
        return live.TopUp()

    monkeypatch.setattr(live.LiveFeed, "step", step)
    thread = live.start_live_feed(0.01, scale=0.5)
    assert thread.daemon and thread.is_alive()
    assert rounds.acquire(timeout=10) and rounds.acquire(timeout=10)  # two rounds at least
    thread.stop(timeout=10)
    assert not thread.is_alive()
    assert thread.feed.scale == 0.5
