"""The rules every assignment obeys, generated or edited by hand. System reads: the checks
decide across agencies and plans; callers show only the verdicts.

1. every officer is active, vetted and qualified for the unit type (training.patrol_eligibility);
2. every officer belongs to the assignment's agency and is a member of the operation;
3. no officer is on two assignments whose times overlap (any plan that is not withdrawn);
4. between assignments of different plans an officer rests at least `min_rest_hours()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from alianza.access.models import CompartmentMembership
from alianza.agencies.models import Officer
from alianza.training.eligibility import patrol_eligibility

from .config import UNIT_TYPES, min_rest_hours
from .models import PatrolAssignmentOfficer, PatrolPlan

REASON = "patrol assignment checks"
ARIZONA = ZoneInfo("America/Phoenix")


@dataclass(frozen=True)
class Slot:
    """An officer's proposed time on duty."""

    officer_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    plan_id: int | None  # the plan being written (its own rows are replaced, not compared)
    assignment_id: int | None = None


def unit_type_code(unit_type: str) -> str:
    """ "US:truck" -> "truck"."""
    return unit_type.split(":", 1)[-1]


def required_qualifications(unit_type: str) -> tuple[str, ...]:
    spec = UNIT_TYPES.get(unit_type_code(unit_type))
    return spec.qualifications if spec else ("joint_patrol",)


def local_time(when: dt.datetime) -> str:
    return when.astimezone(ARIZONA).strftime("%Y-%m-%d %H:%M")


def officer_label(officer: Officer) -> str:
    return f"{officer.full_name} ({officer.badge_number})"


def eligibility_errors(
    officers: Sequence[Officer], *, unit_type: str, on: dt.date, agency_id: int, operation
) -> list[str]:
    errors = []
    verdicts = patrol_eligibility(
        officers, required_qualifications=required_qualifications(unit_type), today=on
    )
    members = set(
        CompartmentMembership.objects.filter(
            compartment_id=operation.compartment_id, officer_id__in=[o.pk for o in officers]
        ).values_list("officer_id", flat=True)
    )
    for officer in officers:
        verdict = verdicts[officer.pk]
        if not verdict.eligible:
            errors.append(
                _("%(officer)s is not eligible for this patrol (%(type)s): %(reasons)s")
                % {
                    "officer": officer_label(officer),
                    "type": unit_type_code(unit_type),
                    "reasons": " ".join(verdict.reasons),
                }
            )
        if officer.agency_id != agency_id:
            errors.append(
                _("%(officer)s belongs to another agency than this assignment.")
                % {"officer": officer_label(officer)}
            )
        if officer.pk not in members:
            errors.append(
                _("%(officer)s is not a member of the operation.")
                % {"officer": officer_label(officer)}
            )
    return errors


def schedule_errors(
    slots: Iterable[Slot], *, exclude_plan_ids: Iterable[int] = (), visible_plans=None
) -> list[str]:
    """Double-booking and rest violations of the proposed slots, against each other and against
    every assignment of plans that are not withdrawn (except the excluded plans' rows, which the
    caller is replacing). A clashing plan is named only when it is in `visible_plans` (the
    actor's `selectors.plan_list`; None for the system, which sees every plan): any other is
    "another assignment you cannot see", with no operation, plan or place."""
    slots = list(slots)
    if not slots:
        return []
    rest = dt.timedelta(hours=min_rest_hours())
    officers = {
        o.pk: o
        for o in Officer.objects.unrestricted(reason=REASON).filter(
            pk__in={s.officer_id for s in slots}
        )
    }
    earliest = min(s.starts_at for s in slots) - rest
    latest = max(s.ends_at for s in slots) + rest
    existing = (
        PatrolAssignmentOfficer.objects.unrestricted(reason=REASON)
        .filter(
            officer_id__in=list(officers),
            starts_at__lt=latest,
            ends_at__gt=earliest,
        )
        .exclude(assignment__plan__status=PatrolPlan.Status.WITHDRAWN)
        .exclude(assignment__plan_id__in=list(exclude_plan_ids))
        .select_related("assignment__plan__operation")
    )
    others = [
        (
            Slot(
                officer_id=row.officer_id,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                plan_id=row.assignment.plan_id,
                assignment_id=row.assignment_id,
            ),
            row.assignment.plan,
        )
        for row in existing
    ]
    named = _visible_plan_ids(visible_plans, {plan.pk for _slot, plan in others})
    errors: list[str] = []
    seen: set[tuple] = set()
    for i, slot in enumerate(slots):
        candidates = others + [(other, None) for other in slots[i + 1 :]]
        for other, plan in candidates:
            if other.officer_id != slot.officer_id:
                continue
            if other.assignment_id is not None and other.assignment_id == slot.assignment_id:
                continue
            if plan is None:
                where = _("this plan")
            elif named is None or plan.pk in named:
                where = _("plan %(plan)s") % {"plan": plan}
            else:
                where = _("another assignment you cannot see")
            overlap = other.starts_at < slot.ends_at and slot.starts_at < other.ends_at
            if overlap:
                key = ("double", slot.officer_id, other.starts_at, slot.starts_at)
                if key not in seen:
                    seen.add(key)
                    errors.append(
                        _(
                            "%(officer)s would be double-booked: already on %(where)s from "
                            "%(start)s to %(end)s."
                        )
                        % {
                            "officer": officer_label(officers[slot.officer_id]),
                            "where": where,
                            "start": local_time(other.starts_at),
                            "end": local_time(other.ends_at),
                        }
                    )
                continue
            if other.plan_id is not None and other.plan_id == slot.plan_id:
                continue  # consecutive slots of one shift are one spell of duty
            gap = max(slot.starts_at - other.ends_at, other.starts_at - slot.ends_at)
            if gap < rest:
                key = ("rest", slot.officer_id, other.starts_at)
                if key not in seen:
                    seen.add(key)
                    errors.append(
                        _(
                            "%(officer)s would rest only %(hours)s h between shifts (minimum "
                            "%(minimum)s h): also on %(where)s from %(start)s to %(end)s."
                        )
                        % {
                            "officer": officer_label(officers[slot.officer_id]),
                            "hours": f"{gap.total_seconds() / 3600:.1f}",
                            "minimum": f"{rest.total_seconds() / 3600:g}",
                            "where": where,
                            "start": local_time(other.starts_at),
                            "end": local_time(other.ends_at),
                        }
                    )
    return errors


def _visible_plan_ids(visible_plans, plan_ids: set[int]) -> set[int] | None:
    """Which of `plan_ids` are in `visible_plans` (None: the system, every plan)."""
    if visible_plans is None:
        return None
    return set(visible_plans.filter(pk__in=plan_ids).values_list("pk", flat=True))


def unavailability(
    officer_ids: Iterable[int],
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    visible_plans=None,
) -> dict[int, tuple[str, int | None]]:
    """Officers who cannot work [starts_at, ends_at) because of another plan, with why:
    ``("booked", plan_id)`` when an assignment overlaps the time, else ``("rest", plan_id)``
    when one ends or starts less than `min_rest_hours()` away.

    With `visible_plans` (the reader's `selectors.plan_list`), only those plans explain: an
    officer kept off by other plans alone is ``("unavailable", None)``, which says nothing of
    where or why (another operation's plans may be compartmented)."""
    rest = dt.timedelta(hours=min_rest_hours())
    rows = list(
        PatrolAssignmentOfficer.objects.unrestricted(reason=REASON)
        .filter(
            officer_id__in=list(officer_ids),
            starts_at__lt=ends_at + rest,
            ends_at__gt=starts_at - rest,
        )
        .exclude(assignment__plan__status=PatrolPlan.Status.WITHDRAWN)
        .order_by("starts_at", "pk")
        .values_list("officer_id", "assignment__plan_id", "starts_at", "ends_at")
    )
    named = _visible_plan_ids(visible_plans, {row[1] for row in rows})
    rank = {"booked": 0, "rest": 1, "unavailable": 2}
    found: dict[int, tuple[str, int | None]] = {}
    for officer_id, plan_id, other_start, other_end in rows:
        why = "booked" if other_start < ends_at and starts_at < other_end else "rest"
        reason: tuple[str, int | None] = (why, plan_id)
        if named is not None and plan_id not in named:
            reason = ("unavailable", None)
        if officer_id not in found or rank[reason[0]] < rank[found[officer_id][0]]:
            found[officer_id] = reason
    return found


def unavailable_officers(
    officer_ids: Iterable[int], *, starts_at: dt.datetime, ends_at: dt.datetime
) -> set[int]:
    """Officers who cannot work [starts_at, ends_at) because of another plan (overlap or rest)."""
    return set(unavailability(officer_ids, starts_at=starts_at, ends_at=ends_at))
