"""The demo's week of patrol plans: drawn by the solver, published, and obeying every rule."""

import pytest
from django.core.management import call_command

from alianza.patrols.models import PatrolAssignmentOfficer, PatrolPlan
from alianza.patrols.services import _recheck_plan

pytestmark = pytest.mark.django_db


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
