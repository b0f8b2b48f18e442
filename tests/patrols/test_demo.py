"""The demo's week of patrol plans: drawn by the solver, published, and obeying every rule."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from alianza.patrols.models import PatrolAssignmentOfficer, PatrolPlan
from alianza.patrols.services import _recheck_plan

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo(settings.ALIANZA_DISPLAY_TIME_ZONE)


def test_demo_publishes_a_week_of_plans_that_obey_every_rule():
    call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
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
    call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
    assert PatrolPlan.objects.unrestricted(reason="test").count() == len(plans)


def test_demo_loaded_again_days_later_adds_the_plans_of_its_own_week():
    call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
    first = set(PatrolPlan.objects.unrestricted(reason="test").values_list("date", "shift"))
    later = timezone.now() + dt.timedelta(days=2)
    with time_machine.travel(later, tick=True):
        call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
        today = timezone.localdate(timezone=ZONE)
    plans = set(PatrolPlan.objects.unrestricted(reason="test").values_list("date", "shift"))
    week = {today + dt.timedelta(days=d) for d in range(7)}
    assert {date for date, _shift in plans} >= week
    assert first < plans and len(plans - first) == 2 * 3
    for plan in PatrolPlan.objects.unrestricted(reason="test").filter(date__gte=today):
        _recheck_plan(plan)
