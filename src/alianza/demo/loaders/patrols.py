"""A week of patrol plans for the demo's joint operation, drawn by the solver and published.

The operation's members are its supervisors and analysts (operations loader); here every
patrol officer (`people.patrol_officers`: never an analyst, integrity, vetting, training or
administration account) of either agency who is vetted and holds a current joint-patrol
qualification joins it, so the planner has crews on both sides.

The three shifts of a day share one pool, and an officer rests 8 hours between shifts, so the
crews of a shift are capped at what lets the next shift still crew both sides: each shift then
has U.S. and Mexican crews of the same type, which the solver pairs into mirrored patrols.

Plans run from `ctx.today` for a week. A later run adds the plans missing for its own week
(a date and shift without a plan), so the demo still shows current plans when loaded again on
a later day; plans that cannot be crewed (a small --scale) are skipped.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from alianza.access.models import CompartmentMembership
from alianza.agencies.models import Officer
from alianza.border.models import Sector
from alianza.operations.models import JointOperation
from alianza.patrols.config import UNIT_TYPES
from alianza.patrols.models import PatrolPlan
from alianza.patrols.services import plan_generate, plan_publish
from alianza.training.eligibility import patrol_eligibility

from .base import DemoContext
from .people import patrol_officers

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
    us_supervisor, mx_supervisor = _user("us.supervisor"), _user("mx.supervisor")
    if us_supervisor is None:
        return
    officers = patrol_officers(
        list(
            Officer.objects.unrestricted(reason="demo")
            .filter(active=True, agency__in=operation.lead_agencies.all())
            .select_related("agency")
            .order_by("badge_number")
        )
    )
    today = ctx.today
    qualified: dict[str, dict[str, int]] = {}
    for code, spec in UNIT_TYPES.items():
        verdicts = patrol_eligibility(
            officers, required_qualifications=spec.qualifications, today=today
        )
        for officer in officers:
            if verdicts[officer.pk].eligible:
                side = qualified.setdefault(code, {})
                side[officer.agency.code] = side.get(officer.agency.code, 0) + 1
                if code == "truck":
                    CompartmentMembership.objects.get_or_create(
                        compartment=operation.compartment, officer=officer
                    )
    method = {"max_crews": _max_crews(qualified, operation)}
    existing = set(
        PatrolPlan.objects.unrestricted(reason="demo idempotence check")
        .filter(operation=operation)
        .exclude(status=PatrolPlan.Status.WITHDRAWN)
        .values_list("date", "shift")
    )
    days = [today + dt.timedelta(days=d) for d in range(7)]
    published = 0
    for day, shift in ctx.progress(
        [(d, s) for d in days for s in SHIFTS], description="patrol plans", total=len(days) * 3
    ):
        seed = ctx.rng.randrange(2**31)  # drawn for every slot, so reruns stay aligned
        if (day, shift) in existing or not operation.starts_on <= day <= operation.ends_on:
            continue
        try:
            plan = plan_generate(
                actor=us_supervisor,
                operation=operation,
                sector=sector,
                date=day,
                shift=shift,
                seed=seed,
                method=method,
            )
        except ValidationError:
            continue  # nobody eligible and rested for this shift at this scale
        plan_publish(actor=mx_supervisor or us_supervisor, plan=plan)
        published += 1
    ctx.state["patrol_plans"] = published


def _max_crews(qualified: dict[str, dict[str, int]], operation) -> dict[str, int]:
    """Crews per side and shift of each unit type. An officer who works one shift cannot work
    the next (8 hours' rest), so one shift takes at most half of the smaller side's qualified
    officers: the next shift still finds crews on both sides to pair. The least demanding type
    (trucks, paired across the line) is served first; the ATV crews (the Mexican side only in
    the demo) take what is left, although the planner crews them first."""
    codes = [a.code for a in operation.lead_agencies.all()]
    free = dict(qualified.get("truck", {}))
    caps = {}
    for code, spec in sorted(UNIT_TYPES.items(), key=lambda item: len(item[1].qualifications)):
        per_side = qualified.get(code, {})
        sides = [min(per_side[a], free.get(a, 0)) for a in codes if per_side.get(a)]
        cap = min(spec.max_crews, min(sides, default=0) // (2 * spec.crew))
        caps[code] = cap
        for agency_code in per_side:
            free[agency_code] = free.get(agency_code, 0) - cap * spec.crew * 2
    caps["truck"] = max(caps.get("truck", 0), 1)
    return caps
