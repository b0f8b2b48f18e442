"""A week of patrol plans for the demo's joint operation, drawn by the solver and published.

The operation's members are its supervisors and analysts (operations loader); here every
vetted officer of either agency holding a current joint-patrol qualification joins it, so the
planner has crews on both sides. Plans that cannot be crewed (a small --scale) are skipped.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from alianza.access.models import CompartmentMembership
from alianza.agencies.models import Officer
from alianza.border.models import Sector
from alianza.operations.models import JointOperation
from alianza.patrols.models import PatrolPlan
from alianza.patrols.services import plan_generate, plan_publish
from alianza.training.eligibility import patrol_eligibility

from .base import DemoContext

SHIFTS = ("day", "swing", "night")


def _user(username):
    officer = Officer.objects.unrestricted(reason="demo").filter(user__username=username).first()
    return officer.user if officer else None


def load(ctx: DemoContext) -> None:
    operation = (
        JointOperation.objects.unrestricted(reason="demo").filter(code="OP-NOGALES-WEST").first()
    )
    sector = Sector.objects.filter(code="TCA").first()
    if operation is None or sector is None:
        return
    if (
        PatrolPlan.objects.unrestricted(reason="demo idempotence check")
        .filter(operation=operation)
        .exists()
    ):
        return
    us_supervisor, mx_supervisor = _user("us.supervisor"), _user("mx.supervisor")
    if us_supervisor is None:
        return
    officers = list(
        Officer.objects.unrestricted(reason="demo").filter(
            active=True, agency__in=operation.lead_agencies.all()
        )
    )
    verdicts = patrol_eligibility(officers, required_qualifications=["joint_patrol"])
    for officer in officers:
        if verdicts[officer.pk].eligible:
            CompartmentMembership.objects.get_or_create(
                compartment=operation.compartment, officer=officer
            )
    today = timezone.localdate()
    days = [today + dt.timedelta(days=d) for d in range(7)]
    published = 0
    for day, shift in ctx.progress(
        [(d, s) for d in days for s in SHIFTS], description="patrol plans", total=len(days) * 3
    ):
        try:
            plan = plan_generate(
                actor=us_supervisor,
                operation=operation,
                sector=sector,
                date=day,
                shift=shift,
                seed=ctx.rng.randrange(2**31),
            )
        except ValidationError:
            continue  # nobody eligible and rested for this shift at this scale
        plan_publish(actor=mx_supervisor or us_supervisor, plan=plan)
        published += 1
    ctx.state["patrol_plans"] = published
