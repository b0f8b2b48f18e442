"""State changes of patrol plans, each validated, audited and atomic.

`actor` None is the system (the demo loader, the suspension hook); otherwise the actor must be
a patrol supervisor of one of the operation's lead agencies who holds its compartment, and
anyone else gets the same 404 as for a missing plan.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alianza.access.getters import RecordNotFound
from alianza.access.models import CompartmentMembership
from alianza.access.rules import reader_for
from alianza.access.services import marking_get_or_create
from alianza.agencies.models import Officer
from alianza.agencies.roles import PATROL_SUPERVISOR
from alianza.audit.services import audit_record
from alianza.border.models import Sector, Segment
from alianza.operations.models import JointOperation
from alianza.training.eligibility import current_qualifications, patrol_eligibility
from alianza.training.models import Qualification
from alianza.vetting.status import vetting_statuses

from . import checks, planning, risk
from .config import PAIR_SYNERGY, RISK_DEFAULTS, SHIFT_SLOT_COUNT, SLOT_HOURS, UNIT_TYPES, side_of
from .models import (
    SHIFT_HOURS,
    PatrolAssignment,
    PatrolAssignmentOfficer,
    PatrolPlan,
    shift_bounds,
)
from .selectors import plan_list

REASON = "patrol planning"


def _audit(action: str, actor, obj=None, **details) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_username="" if actor else "system",
        obj=obj,
        details=details,
    )


def require_supervisor(actor, operation: JointOperation) -> None:
    """The actor supervises patrols of a lead agency and may see the operation (else 404)."""
    if actor is None:
        return
    reader = reader_for(actor)
    if not reader.has_role(PATROL_SUPERVISOR):
        raise RecordNotFound()
    if not JointOperation.objects.visible_to(reader).filter(pk=operation.pk).exists():
        raise RecordNotFound()
    if not operation.lead_agencies.filter(pk=reader.agency_id).exists():
        raise RecordNotFound()


def _visible_plans(actor):
    """The plans the actor may see, by which schedule errors name a clashing plan (None: the
    system, which sees every plan)."""
    return None if actor is None else plan_list(reader=actor)


def plan_marking(operation: JointOperation):
    """The operation's compartment, releasable to every lead agency."""
    return marking_get_or_create(
        originating_agency=operation.marking.originating_agency,
        releasable_to=list(operation.lead_agencies.all()),
        compartments=[operation.compartment],
    )


def _slots(date: dt.date, shift: str) -> list[tuple[dt.datetime, dt.datetime]]:
    start, _end = shift_bounds(date, shift)
    step = dt.timedelta(hours=SLOT_HOURS)
    return [(start + i * step, start + (i + 1) * step) for i in range(SHIFT_SLOT_COUNT)]


def _lead_members(operation: JointOperation) -> list[Officer]:
    """The operation's members from its lead agencies (the only ones who patrol), by pk."""
    member_ids = set(
        CompartmentMembership.objects.filter(compartment_id=operation.compartment_id).values_list(
            "officer_id", flat=True
        )
    )
    return list(
        Officer.objects.unrestricted(reason=REASON)
        .filter(pk__in=member_ids, agency__in=operation.lead_agencies.all())
        .order_by("pk")
    )


def _published_for_shift(
    *, operation: JointOperation, sector: Sector, date: dt.date, shift: str, exclude=None
):
    """The published plans of this operation, sector, date and shift (at most one: the
    database refuses a second, see `PatrolPlan.Meta.constraints`), as a system read."""
    plans = PatrolPlan.objects.unrestricted(reason="one published plan per shift").filter(
        operation=operation,
        sector=sector,
        date=date,
        shift=shift,
        status=PatrolPlan.Status.PUBLISHED,
    )
    if exclude is not None:
        plans = plans.exclude(pk=exclude.pk)
    return plans


def _shift_published_error(*, actor, plans, field: str) -> ValidationError:
    """The refusal for a shift that already has a published plan, naming the plan only when
    the actor may see it (`plan_list`); the system (actor None) sees every plan."""
    if actor is not None:
        plans = plans.filter(pk__in=plan_list(reader=actor).values("pk"))
    published = plans.order_by("published_at", "pk").first()
    if published is None:
        error = ValidationError(
            _("A plan for this shift is already published."), code="shift_published"
        )
    else:
        error = ValidationError(
            _(
                "A plan for this shift is already published: plan %(plan)s, published "
                "%(published)s. Withdraw it before drawing another, or edit its assignments."
            ),
            code="shift_published",
            params={
                "plan": published.pk,
                "published": checks.local_time(published.published_at or published.created_at),
            },
        )
    return ValidationError({field: error})


def _refuse_second_published(
    *, actor, operation, sector, date, shift, exclude=None, field: str = "shift"
) -> None:
    plans = _published_for_shift(
        operation=operation, sector=sector, date=date, shift=shift, exclude=exclude
    )
    if plans.exists():
        raise _shift_published_error(actor=actor, plans=plans, field=field)


def _empty_counts() -> dict:
    return {
        "inactive": 0,
        "not_vetted": 0,
        "missing": {},
        "not_eligible": 0,
        "booked": 0,
        "rest": 0,
        "unavailable": 0,
        "free": 0,
        "members": 0,
    }


def shortfall_counts(
    *,
    actor,
    operation: JointOperation,
    sector: Sector,
    date: dt.date,
    shift: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    per_agency: bool = False,
    count_inactive: bool = True,
    visible_plans=None,
) -> dict:
    """Why crews are missing for the shift, as JSON counts: the operation's members of its
    lead agencies under the first reason that keeps each off: ``inactive``, ``not_vetted``,
    ``missing`` (``[[qualification codes], count]``, the fewest missing for any unit type),
    ``not_eligible``, ``booked`` (assigned elsewhere at that time), ``rest`` (within the rest
    period), ``unavailable`` (kept off by plans the reader may not see: no detail), ``free``
    (eligible and free, too few for a crew); and ``drafts``, the draft plans of the same shift
    that hold some of them. With `per_agency`, ``{agency pk: counts}`` (no ``drafts``), from
    the same queries.

    Counts, never names, over officers the actor could list anyway: the operation's active
    members are in the task-force directory with their vetting status, and the edit page gives
    each one's eligibility verdict. Inactive officers have left the directory, so only the
    actor's own agency's are counted, and none when `count_inactive` is False (counts stored on
    a plan, which every supervisor of the operation reads). Bookings and rest are told apart
    only for the plans in `visible_plans` (default: the actor's `plan_list`; every plan for the
    system, actor None).
    """
    officers = _lead_members(operation)
    if actor is not None:
        reader = reader_for(actor)
        officers = [o for o in officers if o.active or o.agency_id == reader.agency_id]
        if visible_plans is None:
            visible_plans = plan_list(reader=actor)
    if not count_inactive:
        officers = [o for o in officers if o.active]
    ids = [o.pk for o in officers]
    verdicts = [
        patrol_eligibility(officers, required_qualifications=spec.qualifications, today=date)
        for spec in UNIT_TYPES.values()
    ]
    statuses = vetting_statuses(ids, today=date)
    held = current_qualifications(ids, today=date)
    eligible = [o for o in officers if any(v[o.pk].eligible for v in verdicts)]
    away = checks.unavailability(
        [o.pk for o in eligible],
        starts_at=starts_at,
        ends_at=ends_at,
        visible_plans=visible_plans,
    )
    groups: dict = {}
    for officer in officers:
        counts = groups.setdefault(officer.agency_id if per_agency else None, _empty_counts())
        counts["members"] += 1
        status = statuses.get(officer.pk)
        if officer.pk in away:
            counts[away[officer.pk][0]] += 1
        elif any(v[officer.pk].eligible for v in verdicts):
            counts["free"] += 1
        elif not officer.active:
            counts["inactive"] += 1
        elif status is None or not status.cleared:
            counts["not_vetted"] += 1
        else:
            missing = min(
                (
                    tuple(sorted(set(spec.qualifications) - held.get(officer.pk, set())))
                    for spec in UNIT_TYPES.values()
                ),
                key=len,
            )
            if missing:
                counts["missing"][missing] = counts["missing"].get(missing, 0) + 1
            else:
                counts["not_eligible"] += 1
    for counts in groups.values():
        counts["missing"] = [
            [list(codes), n]
            for codes, n in sorted(counts["missing"].items(), key=lambda item: (-item[1], item[0]))
        ]
    if per_agency:
        return groups
    counts = groups.get(None, _empty_counts())
    same_shift = PatrolPlan.objects.unrestricted(reason=REASON).filter(
        pk__in={plan_id for _why, plan_id in away.values() if plan_id is not None},
        operation=operation,
        sector=sector,
        date=date,
        shift=shift,
    )
    if visible_plans is not None:
        same_shift = same_shift.filter(pk__in=visible_plans.values("pk"))
    counts["drafts"] = sorted(same_shift.values_list("pk", flat=True))
    return counts


def shortfall_shown(counts: dict) -> dict:
    """Stored counts as every reader of the plan may see them: counts stored before bookings
    were told apart only for the operation's own plans (no ``explained``) merge bookings and
    rest into ``unavailable``."""
    if counts.get("explained") == "operation":
        return counts
    hidden = counts.get("booked", 0) + counts.get("rest", 0) + counts.get("unavailable", 0)
    return {**counts, "booked": 0, "rest": 0, "unavailable": hidden}


def qualification_names() -> dict[str, str]:
    """Qualification codes to their names in the active language (for `shortfall_reasons`)."""
    return {q.code: str(q) for q in Qualification.objects.all()}


def shortfall_reasons(
    counts: dict, *, rest_hours: float | None = None, names: dict[str, str] | None = None
) -> str:
    """The reasons of `shortfall_counts`, in the active language: "12 lack the qualification
    “Joint patrol member”; 3 are within the 8-hour rest period after another shift".
    `names`: `qualification_names()`, looked up once by a caller with several counts."""
    rest_hours = checks.min_rest_hours() if rest_hours is None else rest_hours
    names = qualification_names() if names is None else names

    def quoted(code: str) -> str:
        return _("“%(qualification)s”") % {"qualification": names.get(code, code)}

    parts: list[str] = []
    if n := counts.get("inactive"):
        parts.append(ngettext("%(count)s is inactive", "%(count)s are inactive", n) % {"count": n})
    if n := counts.get("not_vetted"):
        parts.append(
            ngettext("%(count)s is not vetted", "%(count)s are not vetted", n) % {"count": n}
        )
    for codes, n in counts.get("missing", []):
        if len(codes) == 1:
            text = ngettext(
                "%(count)s lacks the qualification “%(qualification)s”",
                "%(count)s lack the qualification “%(qualification)s”",
                n,
            ) % {"count": n, "qualification": names.get(codes[0], codes[0])}
        else:
            text = ngettext(
                "%(count)s lacks the qualifications %(qualifications)s",
                "%(count)s lack the qualifications %(qualifications)s",
                n,
            ) % {
                "count": n,
                "qualifications": get_text_list([quoted(c) for c in codes], _("and")),
            }
        parts.append(text)
    if n := counts.get("not_eligible"):
        parts.append(
            ngettext("%(count)s is not eligible", "%(count)s are not eligible", n) % {"count": n}
        )
    if n := counts.get("booked"):
        parts.append(
            ngettext(
                "%(count)s is assigned elsewhere at that time",
                "%(count)s are assigned elsewhere at that time",
                n,
            )
            % {"count": n}
        )
    if n := counts.get("rest"):
        parts.append(
            ngettext(
                "%(count)s is within the %(hours)s-hour rest period after another shift",
                "%(count)s are within the %(hours)s-hour rest period after another shift",
                n,
            )
            % {"count": n, "hours": f"{rest_hours:g}"}
        )
    if n := counts.get("unavailable"):
        parts.append(
            ngettext(
                "%(count)s is not available for this shift",
                "%(count)s are not available for this shift",
                n,
            )
            % {"count": n}
        )
    if n := counts.get("free"):
        size = min(spec.crew for spec in UNIT_TYPES.values())
        parts.append(
            ngettext(
                "%(count)s is eligible and free, too few in one agency for a crew of %(size)s",
                "%(count)s are eligible and free, too few in one agency for a crew of %(size)s",
                n,
            )
            % {"count": n, "size": size}
        )
    return "; ".join(parts)


def crew_shortfall(**kwargs) -> str:
    """Why no crew at all can be formed for the shift, as the generator's error message (the
    arguments of `shortfall_counts`)."""
    counts = shortfall_counts(**kwargs)
    reasons = shortfall_reasons(counts)
    if reasons:
        message = _(
            "No member of the operation is eligible and free for this shift: %(reasons)s."
        ) % {"reasons": reasons}
    else:
        message = _("No officer of the operation's lead agencies is a member of the operation.")
    if drafts := counts["drafts"]:
        message += " " + ngettext(
            "The draft plan %(plans)s of this shift already holds some of them: withdraw it to "
            "draw again with its crews.",
            "The draft plans %(plans)s of this shift already hold some of them: withdraw one to "
            "draw again with its crews.",
            len(drafts),
        ) % {"plans": get_text_list([str(pk) for pk in drafts], _("and"))}
    return message


def _crews(
    *,
    operation: JointOperation,
    date: dt.date,
    starts_at,
    ends_at,
    rng: random.Random,
    max_crews: dict[str, int],
) -> tuple[dict[str, list[dict]], list[dict]]:
    """Crews per unit type of each lead agency from the operation's members who are eligible
    and free (no overlap, enough rest) for the shift."""
    officers = [o for o in _lead_members(operation) if o.active]
    busy = checks.unavailable_officers(
        [o.pk for o in officers], starts_at=starts_at, ends_at=ends_at
    )
    officers = [o for o in officers if o.pk not in busy]
    crews: dict[str, list[dict]] = {}
    unit_types: list[dict] = []
    for agency in operation.lead_agencies.order_by("code"):
        pool = [o for o in officers if o.agency_id == agency.pk]
        rng.shuffle(pool)
        taken: set[int] = set()
        # The most demanding types first, so their few qualified officers go to them.
        for spec in sorted(UNIT_TYPES.values(), key=lambda s: -len(s.qualifications)):
            verdicts = patrol_eligibility(
                pool, required_qualifications=spec.qualifications, today=date
            )
            free = [o for o in pool if verdicts[o.pk].eligible and o.pk not in taken]
            cap = int(max_crews.get(spec.code, spec.max_crews))
            count = min(cap, len(free) // spec.crew)
            name = f"{agency.code}:{spec.code}"
            crews[name] = []
            for n in range(count):
                members = free[n * spec.crew : (n + 1) * spec.crew]
                taken.update(o.pk for o in members)
                crews[name].append(
                    {
                        "officers": [o.pk for o in members],
                        "unit": members[0].unit_id,
                        "vehicle": f"{agency.code} {spec.label} {n + 1}",
                    }
                )
            unit_types.append(
                {
                    "name": name,
                    "side": side_of(agency),
                    "type": spec.code,
                    "agency": agency.pk,
                    "window": spec.window,
                    "effectiveness": dict(spec.effectiveness),
                    "available": count,
                }
            )
    return crews, unit_types


def plan_inputs_build(
    *,
    reader,
    operation: JointOperation,
    sector: Sector,
    date: dt.date,
    shift: str,
    seed: int,
    method: dict | None = None,
) -> dict:
    """Everything the solver needs, as JSON: stored on the plan for reproducibility."""
    method = {**RISK_DEFAULTS, **(method or {})}
    segments = risk.sector_segments(sector)
    if not segments:
        raise ValidationError({"sector": _("The sector has no border segments loaded.")})
    slots = _slots(date, shift)
    starts_at, ends_at = slots[0][0], slots[-1][1]
    as_of = min(timezone.now(), starts_at)
    segment_ids = [s.segment_id for s in segments]
    events, effort = risk.risk_inputs(
        reader=reader,
        operation=operation,
        segment_ids=segment_ids,
        as_of=as_of,
        lookback_days=int(method["lookback_days"]),
    )
    start_hour = SHIFT_HOURS[shift][0]
    slot_starts_local = [(start_hour + i * SLOT_HOURS) % 24 for i in range(len(slots))]
    values, details = risk.estimate_risk(
        segment_ids=segment_ids,
        events=events,
        effort_hours=effort,
        as_of=as_of,
        slot_starts_local=slot_starts_local,
        slot_hours=SLOT_HOURS,
        **method,
    )
    rng = random.Random(seed)
    crews, unit_types = _crews(
        operation=operation,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        rng=rng,
        max_crews=dict(method.get("max_crews") or {}),
    )
    if not any(u["available"] for u in unit_types):
        raise ValidationError(
            {
                "operation": ValidationError(
                    crew_shortfall(
                        actor=reader,
                        operation=operation,
                        sector=sector,
                        date=date,
                        shift=shift,
                        starts_at=starts_at,
                        ends_at=ends_at,
                    ),
                    code="no_crew",
                )
            }
        )
    # A lead agency with no crew at all: why, stored with the plan and shown on its page to
    # every supervisor of the operation, so bookings and rest are told apart only for plans
    # any reader of this plan sees too: the operation's own, under the same marking.
    shortfall = {}
    short = [
        agency
        for agency in operation.lead_agencies.order_by("code")
        if not any(u["available"] for u in unit_types if u["agency"] == agency.pk)
    ]
    if short:
        shared = PatrolPlan.objects.unrestricted(reason=REASON).filter(
            operation=operation, marking=plan_marking(operation)
        )
        if reader is not None:
            shared = shared.filter(pk__in=plan_list(reader=reader).values("pk"))
        per_agency = shortfall_counts(
            actor=reader,
            operation=operation,
            sector=sector,
            date=date,
            shift=shift,
            starts_at=starts_at,
            ends_at=ends_at,
            per_agency=True,
            count_inactive=False,
            visible_plans=shared,
        )
        for agency in short:
            counts = per_agency.get(agency.pk, _empty_counts())
            shortfall[agency.code] = {**counts, "explained": "operation"}
    pairs = []
    by_type: dict[str, dict[str, list[dict]]] = {}
    for unit in unit_types:
        if unit["available"]:
            by_type.setdefault(unit["type"], {}).setdefault(unit["side"], []).append(unit)
    for _type_code, sides in sorted(by_type.items()):
        for us in sides.get("US", []):
            for mx in sides.get("MX", []):
                pairs.append({"us": us["name"], "mx": mx["name"], "synergy": PAIR_SYNERGY})
    return {
        "version": 1,
        "sector": sector.code,
        "date": date.isoformat(),
        "shift": shift,
        "as_of": as_of.isoformat(),
        "segments": segment_ids,
        "terrain": [s.terrain for s in segments],
        "slots": [{"start": a.isoformat(), "end": b.isoformat()} for a, b in slots],
        "slot_starts_local": slot_starts_local,
        "risk": [[round(float(v), 9) for v in row] for row in values],
        "risk_details": details,
        "method": method,
        "unit_types": unit_types,
        "pairs": pairs,
        "crews": crews,
        "rest_hours": checks.min_rest_hours(),
        "crew_shortfall": shortfall,
    }


def _write_assignments(plan: PatrolPlan, specs: Sequence[planning.AssignmentSpec]) -> None:
    segments = {
        s.segment_id: s for s in Segment.objects.filter(segment_id__in=plan.inputs["segments"])
    }
    ids = plan.inputs["segments"]
    assignments = PatrolAssignment.objects.bulk_create(
        PatrolAssignment(
            plan=plan,
            agency_id=spec.agency_id,
            unit_id=spec.unit_id,
            unit_type=spec.unit_type,
            side=spec.side,
            first_segment=segments[ids[spec.first]],
            last_segment=segments[ids[spec.last]],
            starts_at=spec.starts_at,
            ends_at=spec.ends_at,
            vehicle=spec.vehicle,
        )
        for spec in specs
    )
    PatrolAssignmentOfficer.objects.bulk_create(
        PatrolAssignmentOfficer(
            assignment=assignment,
            officer_id=officer_id,
            starts_at=spec.starts_at,
            ends_at=spec.ends_at,
        )
        for spec, assignment in zip(specs, assignments, strict=True)
        for officer_id in spec.officers
    )
    halves: dict[int, list[PatrolAssignment]] = {}
    for spec, assignment in zip(specs, assignments, strict=True):
        if spec.pair_key is not None:
            halves.setdefault(spec.pair_key, []).append(assignment)
    paired = []
    for first, second in halves.values():
        first.mirror, second.mirror = second, first
        paired += [first, second]
    PatrolAssignment.objects.unrestricted(reason="link the mirrored halves").bulk_update(
        paired, ["mirror"], batch_size=500
    )


def _check_specs(plan: PatrolPlan, specs: Sequence[planning.AssignmentSpec], *, actor) -> None:
    """The generated crews obey every rule (the same checks as hand edits)."""
    officers = {
        o.pk: o
        for o in Officer.objects.unrestricted(reason=REASON).filter(
            pk__in={i for s in specs for i in s.officers}
        )
    }
    errors: list[str] = []
    groups: dict[tuple[str, int], set[int]] = {}
    for spec in specs:
        groups.setdefault((spec.unit_type, spec.agency_id), set()).update(spec.officers)
    for (unit_type, agency_id), members in sorted(groups.items()):
        errors += checks.eligibility_errors(
            [officers[i] for i in sorted(members)],
            unit_type=unit_type,
            on=plan.date,
            agency_id=agency_id,
            operation=plan.operation,
        )
    errors += checks.schedule_errors(
        (
            checks.Slot(officer_id=i, starts_at=s.starts_at, ends_at=s.ends_at, plan_id=plan.pk)
            for s in specs
            for i in s.officers
        ),
        visible_plans=_visible_plans(actor),
    )
    if errors:
        raise ValidationError({"officers": errors})


@transaction.atomic
def plan_generate(
    *,
    actor,
    operation: JointOperation,
    sector: Sector,
    date: dt.date,
    shift: str,
    seed: int | None = None,
    method: dict | None = None,
) -> PatrolPlan:
    """Estimate risk, solve the patrol game, sample one plan and crew it (a draft)."""
    require_supervisor(actor, operation)
    if shift not in PatrolPlan.Shift.values:
        raise ValidationError({"shift": _("Unknown shift.")})
    if not operation.starts_on <= date <= operation.ends_on:
        raise ValidationError(
            {
                "date": _("The date is outside the operation (%(start)s to %(end)s).")
                % {"start": operation.starts_on, "end": operation.ends_on}
            }
        )
    _refuse_second_published(
        actor=actor, operation=operation, sector=sector, date=date, shift=shift
    )
    if seed is None:
        seed = secrets.randbits(31)
    inputs = plan_inputs_build(
        reader=actor,
        operation=operation,
        sector=sector,
        date=date,
        shift=shift,
        seed=seed,
        method=method,
    )
    specs, result = planning.plan_compute(inputs, seed)
    plan = PatrolPlan.objects.create(
        operation=operation,
        sector=sector,
        date=date,
        shift=shift,
        seed=seed,
        inputs=inputs,
        solver_result=result,
        created_by=actor,
        marking=plan_marking(operation),
    )
    _check_specs(plan, specs, actor=actor)
    _write_assignments(plan, specs)
    _audit(
        "patrolplan.generate",
        actor,
        plan,
        seed=seed,
        assignments=len(specs),
        defender_utility=round(result["defender_utility"], 6),
        solve_seconds=result["solve_seconds"],
    )
    return plan


def plan_regenerate(plan: PatrolPlan) -> tuple[list[planning.AssignmentSpec], dict]:
    """Replay the stored inputs and seed (no database read, no write)."""
    return planning.plan_compute(plan.inputs, plan.seed)


def _editable(plan: PatrolPlan) -> None:
    if plan.status == PatrolPlan.Status.WITHDRAWN:
        raise ValidationError({"status": _("A withdrawn plan cannot be changed.")})


@transaction.atomic
def assignment_edit(
    *,
    actor,
    assignment: PatrolAssignment,
    officers: Sequence[Officer] | None = None,
    first_segment: Segment | None = None,
    last_segment: Segment | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    vehicle: str | None = None,
) -> PatrolAssignment:
    """Change the crew, window, times or vehicle of one assignment, under every rule."""
    plan = (
        PatrolPlan.objects.unrestricted(reason="lock the plan being edited")
        .select_for_update()
        .get(pk=assignment.plan_id)
    )
    require_supervisor(actor, plan.operation)
    _editable(plan)
    first = first_segment or assignment.first_segment
    last = last_segment or assignment.last_segment
    starts = starts_at or assignment.starts_at
    ends = ends_at or assignment.ends_at
    if first.segment_id not in plan.inputs["segments"]:
        raise ValidationError({"first_segment": _("The segment is outside the plan's sector.")})
    if last.segment_id not in plan.inputs["segments"]:
        raise ValidationError({"last_segment": _("The segment is outside the plan's sector.")})
    if last.km_start < first.km_start:
        raise ValidationError({"last_segment": _("The window must run west to east.")})
    if ends <= starts:
        raise ValidationError({"ends_at": _("The assignment must end after it starts.")})
    plan_start, plan_end = plan.shift_bounds
    if starts < plan_start or ends > plan_end:
        raise ValidationError({"starts_at": _("The assignment must lie within the shift.")})
    crew = (
        list(officers)
        if officers is not None
        else list(
            Officer.objects.unrestricted(reason=REASON).filter(
                patrol_assignments__assignment=assignment
            )
        )
    )
    if not crew:
        raise ValidationError({"officers": _("An assignment needs at least one officer.")})
    errors = checks.eligibility_errors(
        crew,
        unit_type=assignment.unit_type,
        on=plan.date,
        agency_id=assignment.agency_id,
        operation=plan.operation,
    )
    errors += checks.schedule_errors(
        (
            checks.Slot(
                officer_id=o.pk,
                starts_at=starts,
                ends_at=ends,
                plan_id=plan.pk,
                assignment_id=assignment.pk,
            )
            for o in crew
        ),
        visible_plans=_visible_plans(actor),
    )
    if errors:
        raise ValidationError({"officers": errors})
    before = {
        "officers": sorted(
            PatrolAssignmentOfficer.objects.unrestricted(reason=REASON)
            .filter(assignment=assignment)
            .values_list("officer_id", flat=True)
        ),
        "window": [assignment.first_segment.segment_id, assignment.last_segment.segment_id],
        "starts_at": assignment.starts_at.isoformat(),
        "ends_at": assignment.ends_at.isoformat(),
        "vehicle": assignment.vehicle,
    }
    assignment.first_segment, assignment.last_segment = first, last
    assignment.starts_at, assignment.ends_at = starts, ends
    if vehicle is not None:
        assignment.vehicle = vehicle.strip()[:64]
    assignment.manually_edited = True
    assignment.save()
    PatrolAssignmentOfficer.objects.unrestricted(reason="replace the crew").filter(
        assignment=assignment
    ).delete()
    PatrolAssignmentOfficer.objects.bulk_create(
        PatrolAssignmentOfficer(assignment=assignment, officer=o, starts_at=starts, ends_at=ends)
        for o in crew
    )
    _audit(
        "patrolassignment.edit",
        actor,
        plan,
        assignment=assignment.pk,
        before=before,
        after={
            "officers": sorted(o.pk for o in crew),
            "window": [first.segment_id, last.segment_id],
            "starts_at": starts.isoformat(),
            "ends_at": ends.isoformat(),
            "vehicle": assignment.vehicle,
        },
    )
    return assignment


def _recheck_plan(plan: PatrolPlan, *, actor=None) -> None:
    rows = list(
        PatrolAssignmentOfficer.objects.unrestricted(reason=REASON)
        .filter(assignment__plan=plan)
        .select_related("officer", "assignment")
    )
    errors: list[str] = []
    by_assignment: dict[int, list] = {}
    for row in rows:
        by_assignment.setdefault(row.assignment_id, []).append(row)
    for group in by_assignment.values():
        assignment = group[0].assignment
        errors += checks.eligibility_errors(
            [r.officer for r in group],
            unit_type=assignment.unit_type,
            on=plan.date,
            agency_id=assignment.agency_id,
            operation=plan.operation,
        )
    errors += checks.schedule_errors(
        (
            checks.Slot(
                officer_id=r.officer_id,
                starts_at=r.starts_at,
                ends_at=r.ends_at,
                plan_id=plan.pk,
                assignment_id=r.assignment_id,
            )
            for r in rows
        ),
        visible_plans=_visible_plans(actor),
    )
    crewed = {r.assignment_id for r in rows}
    for assignment in PatrolAssignment.objects.unrestricted(reason=REASON).filter(plan=plan):
        if assignment.pk not in crewed:
            errors.append(
                _("The %(vehicle)s assignment from %(start)s has no officers.")
                % {"vehicle": assignment.vehicle, "start": checks.local_time(assignment.starts_at)}
            )
    if errors:
        raise ValidationError({"officers": sorted(set(errors))})


@transaction.atomic
def plan_publish(*, actor, plan: PatrolPlan) -> PatrolPlan:
    """Publish a draft after re-checking every assignment (eligibility may have changed).

    One published plan per shift: publishes of one operation queue on its row (the check then
    sees a plan published meanwhile), and the database refuses a second published plan all
    the same (`patrolplan_one_published_per_shift`), with the same message."""
    plan = (
        PatrolPlan.objects.unrestricted(reason="lock the plan being published")
        .select_for_update()
        .get(pk=plan.pk)
    )
    require_supervisor(actor, plan.operation)
    if plan.status != PatrolPlan.Status.DRAFT:
        raise ValidationError({"status": _("Only a draft can be published.")})
    operations = JointOperation.objects.unrestricted(reason="one published plan per shift")
    operations.select_for_update().get(pk=plan.operation_id)  # publishes of it queue here
    shift = {
        "operation": plan.operation,
        "sector": plan.sector,
        "date": plan.date,
        "shift": plan.shift,
        "exclude": plan,
    }
    _refuse_second_published(actor=actor, field="status", **shift)
    _recheck_plan(plan, actor=actor)
    plan.status = PatrolPlan.Status.PUBLISHED
    plan.published_at = timezone.now()
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the transaction usable
            plan.save(update_fields=["status", "published_at"])
    except IntegrityError:
        plans = _published_for_shift(**shift)
        if not plans.exists():
            raise
        raise _shift_published_error(actor=actor, plans=plans, field="status") from None
    _audit("patrolplan.publish", actor, plan)
    return plan


@transaction.atomic
def plan_withdraw(*, actor, plan: PatrolPlan, reason: str = "") -> PatrolPlan:
    plan = (
        PatrolPlan.objects.unrestricted(reason="lock the plan being withdrawn")
        .select_for_update()
        .get(pk=plan.pk)
    )
    require_supervisor(actor, plan.operation)
    if plan.status == PatrolPlan.Status.WITHDRAWN:
        raise ValidationError({"status": _("The plan is already withdrawn.")})
    plan.status = PatrolPlan.Status.WITHDRAWN
    plan.save(update_fields=["status"])
    _audit("patrolplan.withdraw", actor, plan, reason=reason[:500])
    return plan


@transaction.atomic
def officer_remove_from_plans(*, actor, officer: Officer, reason: str) -> int:
    """Take an officer off every assignment of a draft or published plan that has not ended
    (called when the officer is suspended). Returns how many assignments changed."""
    rows = list(
        PatrolAssignmentOfficer.objects.unrestricted(reason="remove a suspended officer")
        .filter(officer=officer, ends_at__gt=timezone.now())
        .exclude(assignment__plan__status=PatrolPlan.Status.WITHDRAWN)
        .select_related("assignment__plan")
    )
    plans: dict[int, list[int]] = {}
    for row in rows:
        plans.setdefault(row.assignment.plan_id, []).append(row.assignment_id)
    PatrolAssignmentOfficer.objects.unrestricted(reason="remove a suspended officer").filter(
        pk__in=[r.pk for r in rows]
    ).delete()
    for row in rows:
        assignment = row.assignment
        assignment.manually_edited = True
        assignment.save(update_fields=["manually_edited"])
    for plan_id, assignment_ids in plans.items():
        plan = next(r.assignment.plan for r in rows if r.assignment.plan_id == plan_id)
        _audit(
            "patrolplan.officer_removed",
            actor,
            plan,
            officer=officer.pk,
            assignments=sorted(set(assignment_ids)),
            reason=reason,
        )
    return len(rows)
