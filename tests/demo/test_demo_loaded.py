"""The demo as loaded once for this module (scale 0.05, the clock held at one instant): logins,
idempotence, what each analyst sees, flows, plans, tracks and the published series.

Loading the demo is the slowest thing the suite does, so it happens once here, inside a
transaction rolled back at the module's end (each test runs in a savepoint inside it), instead
of once or twice in each app's tests. Loading it at other dates: test_demo_any_date.py; loading
it later on: test_live_feed.py.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from alianza.agencies.models import Officer
from alianza.audit.verify import verify_chain
from alianza.config.clock import display_today
from alianza.flows.models import FlowEvent, PatrolEffort
from alianza.flows.selectors import border_effectiveness
from alianza.intel.models import Report
from alianza.patrols.models import PatrolAssignment, PatrolAssignmentOfficer, PatrolPlan
from alianza.patrols.services import _recheck_plan
from alianza.positions.models import PositionReport, TrackedUnit
from alianza.series.bundled import BUNDLED
from alianza.series.formats import FORMATS
from alianza.series.models import AggregateSeries, SeriesObservation

from world import login_verified

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SCALE = "0.05"


def _load(stdout=None):
    call_command("demo", "--no-serve", "--scale", SCALE, verbosity=0, stdout=stdout)


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """The demo loaded at one instant: {"now": that instant, "out": what it printed}."""
    now = timezone.now()
    out = io.StringIO()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with time_machine.travel(now, tick=False):
                _load(stdout=out)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield {"now": now, "out": out.getvalue()}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _user(username):
    return get_user_model().objects.get(username=username)


def _counts():
    def rows(model):
        return model.objects.unrestricted(reason="test").count()

    return {
        "officers": rows(Officer),
        "reports": rows(Report),
        "events": rows(FlowEvent),
        "plans": rows(PatrolPlan),
        "positions": rows(PositionReport),
        "series": AggregateSeries.objects.count(),
        "observations": SeriesObservation.objects.count(),
        "series stamps": dict(AggregateSeries.objects.values_list("code", "imported_at")),
    }


def test_the_demo_prints_a_login_for_every_role_and_the_password(loaded_demo):
    for prefix in ("us", "mx"):
        for role in ("analyst", "agent", "supervisor", "training", "vetting", "integrity", "admin"):
            assert f"{prefix}.{role}" in loaded_demo["out"]
    assert "Nogales-Sonora-2026" in loaded_demo["out"]
    assert verify_chain().ok


def test_loading_the_demo_again_at_the_same_moment_adds_nothing(loaded_demo):
    before = _counts()
    with time_machine.travel(loaded_demo["now"], tick=False):
        _load()
    assert _counts() == before
    assert verify_chain().ok


def test_loading_the_demo_again_later_the_same_day_adds_nothing_but_new_fixes(loaded_demo):
    """Minutes later (the clock moved, so a re-import would show in its stamps): the same
    people, reports, events, plans and series, the same series rows; only positions grow."""
    before = _counts()
    observations = set(SeriesObservation.objects.values_list("pk", flat=True))
    with time_machine.travel(loaded_demo["now"] + dt.timedelta(minutes=10), tick=False):
        _load()
    after = _counts()
    assert after["positions"] >= before["positions"]
    del before["positions"], after["positions"]
    assert after == before
    assert set(SeriesObservation.objects.values_list("pk", flat=True)) == observations
    assert verify_chain().ok


def test_the_two_analysts_see_different_pictures(loaded_demo):
    us = set(Report.objects.visible_to(_user("us.analyst")).values_list("pk", flat=True))
    mx = set(Report.objects.visible_to(_user("mx.analyst")).values_list("pk", flat=True))
    assert us and mx and us != mx


def test_demo_flows_link_crossings_differ_by_reader_and_give_plausible_effectiveness(loaded_demo):
    events = FlowEvent.objects.unrestricted(reason="test")
    total = events.count()
    assert total > 50 and events.exclude(crossing=None).exists()
    us = FlowEvent.objects.visible_to(_user("us.analyst")).count()
    mx = FlowEvent.objects.visible_to(_user("mx.analyst")).count()
    assert 0 < mx < total and 0 < us < total and us != mx
    rates = [
        row.rate
        for row in border_effectiveness(reader=_user("us.analyst"))
        if row.rate is not None
    ]
    assert rates and all(0.5 < rate < 1 for rate in rates)


def test_demo_publishes_a_week_of_plans_that_obey_every_rule(loaded_demo):
    plans = list(PatrolPlan.objects.unrestricted(reason="test").select_related("operation"))
    assert plans and all(p.status == PatrolPlan.Status.PUBLISHED for p in plans)
    assert {p.operation.code for p in plans} == {"OP-NOGALES-WEST"}
    assert len({p.date for p in plans}) == 7
    for plan in plans:
        _recheck_plan(plan)  # raises on any ineligible, double-booked or unrested officer
    assert (
        PatrolAssignmentOfficer.objects.unrestricted(reason="test")
        .filter(officer__user__username__in=["us.agent", "mx.agent"])
        .exists()
    )


def test_the_demo_loaded_again_days_later_adds_the_plans_of_its_own_week(loaded_demo):
    first = set(PatrolPlan.objects.unrestricted(reason="test").values_list("date", "shift"))
    with time_machine.travel(loaded_demo["now"] + dt.timedelta(days=2), tick=True):
        _load()
        today = display_today()
    plans = set(PatrolPlan.objects.unrestricted(reason="test").values_list("date", "shift"))
    week = {today + dt.timedelta(days=d) for d in range(7)}
    assert {date for date, _shift in plans} >= week
    assert first < plans and len(plans - first) == 2 * 3
    for plan in PatrolPlan.objects.unrestricted(reason="test").filter(date__gte=today):
        _recheck_plan(plan)


def test_demo_tracks_follow_the_plans_and_give_patrol_effort(loaded_demo):
    reports = PositionReport.objects.unrestricted(reason="test")
    assert reports.count() > 100
    windows = [
        (a.starts_at, a.ends_at) for a in PatrolAssignment.objects.unrestricted(reason="test")
    ]
    # Every fix lies within (or a week before) one of its unit's planned windows.
    week = dt.timedelta(days=7)
    for time in reports.values_list("time", flat=True)[:500]:
        assert any(s - week <= time <= e - week or s <= time <= e for s, e in windows)
    assert set(reports.values_list("operation__code", flat=True)) == {"OP-NOGALES-WEST"}
    assert not reports.filter(time__gt=loaded_demo["now"]).exists()
    effort = PatrolEffort.objects.unrestricted(reason="test").filter(source="positions")
    hours = sum(effort.values_list("hours", flat=True))
    km = sum(effort.values_list("kilometres", flat=True))
    assert hours > 1
    # Units drive at 8-25 km/h (fixes 10 minutes apart at this scale see less of a drive that
    # turns back); the jump between two windows is never counted as patrolled.
    assert 0 < km / hours < 40, (km, hours)
    assert TrackedUnit.objects.unrestricted(reason="test").filter(shared=True).exists()


def test_demo_loads_the_bundled_series_and_sets_task_force_figures_beside_them(loaded_demo, client):
    expected = sum(len(FORMATS[item.kind].measures) for item in BUNDLED)
    assert AggregateSeries.objects.count() == expected
    pounds = AggregateSeries.objects.get(
        source_file="cbp-drugs-arizona-fy23-fy26-dec.csv", measure="Sum Qty (lbs)"
    )
    assert pounds.source_url.startswith("https://www.cbp.gov/")
    login_verified(client, _user("us.analyst"))
    body = client.get(f"/series/{pounds.pk}/?area=TUCSON+SECTOR").content.decode()
    total = re.search(r'id="task-force-total">([\d.,]+)<', body)
    assert total and float(total.group(1).replace(",", "")) > 0
