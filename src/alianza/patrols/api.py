from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.rules import reader_for
from alianza.audit.services import audit_record
from alianza.border.models import Sector, Segment
from alianza.operations.models import JointOperation

from . import selectors, services
from .schemas import (
    AssignmentOut,
    AssignmentPatch,
    MyAssignmentOut,
    PlanDetailOut,
    PlanIn,
    PlanOut,
)

router = Router(tags=["patrols"])


def _plan_out(plan) -> dict:
    result = plan.solver_result
    return {
        "id": plan.pk,
        "operation_id": plan.operation_id,
        "operation_code": plan.operation.code,
        "sector_id": plan.sector_id,
        "date": plan.date,
        "shift": plan.shift,
        "status": plan.status,
        "seed": plan.seed,
        "published_at": plan.published_at,
        "marking": plan.marking.summary,
        "defender_utility": result.get("defender_utility", 0.0),
        "attacker_utility": result.get("attacker_utility", 0.0),
        "solve_seconds": result.get("solve_seconds", 0.0),
    }


def _assignment_out(a) -> dict:
    return {
        "id": a.pk,
        "agency_code": a.agency.code,
        "unit_type": a.unit_type,
        "side": a.side,
        "first_segment": a.first_segment.segment_id,
        "last_segment": a.last_segment.segment_id,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "vehicle": a.vehicle,
        "mirror_id": a.mirror_id,
        "manually_edited": a.manually_edited,
        "officers": [
            {"id": o.pk, "name": o.full_name, "badge_number": o.badge_number}
            for o in a.crew_officers
            if o is not None
        ],
    }


def _require_permission(request, permission: str) -> None:
    if not (reader_for(request.user).may_read_anything and request.user.has_perm(permission)):
        raise RecordNotFound()


@router.get("/plans", response=list[PlanOut])
@paginate(PageNumberPagination)
def plan_list(request, operation_id: int | None = None):
    _require_permission(request, "patrols.view_patrolplan")
    audit_record(action="patrolplan.list", actor=request.user, object_type="patrols.patrolplan")
    return [
        _plan_out(p) for p in selectors.plan_list(reader=request.user, operation_id=operation_id)
    ]


def _detail(request, plan) -> dict:
    assignments = selectors.plan_assignments(reader=request.user, plan=plan)
    comparison = selectors.coverage_comparison(reader=request.user, plan=plan)
    return {
        **_plan_out(plan),
        "inputs": {
            **plan.inputs,
            "crew_shortfall": {
                agency: services.shortfall_shown(counts)
                for agency, counts in plan.inputs.get("crew_shortfall", {}).items()
            },
        },
        "solver_result": plan.solver_result,
        "assignments": [_assignment_out(a) for a in assignments],
        "edited_vs_solver": [c.__dict__ for c in comparison.cells],
        "overlaps": [
            {
                "starts_at": o.starts_at,
                "ends_at": o.ends_at,
                "first_segment": o.first_segment.segment_id,
                "last_segment": o.last_segment.segment_id,
                "assignment_ids": [a.pk for a in o.assignments],
                "units": o.units,
                "expected_units": o.expected_units,
                "coverage": o.coverage,
                "reason": "edited" if o.edited else "called_for" if o.called_for else "chance",
            }
            for o in selectors.plan_overlaps(plan, assignments)
        ],
    }


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def plan_get(request, plan_id: int):
    _require_permission(request, "patrols.view_patrolplan")
    plan = selectors.plan_get(reader=request.user, pk=plan_id)
    audit_record(action="patrolplan.view", actor=request.user, obj=plan)
    return _detail(request, plan)


@router.post("/plans", response={201: PlanDetailOut})
def plan_generate(request, payload: PlanIn):
    _require_permission(request, "patrols.add_patrolplan")
    operation = access_get(request.user, JointOperation, pk=payload.operation_id)
    sector = Sector.objects.filter(pk=payload.sector_id).first()
    if sector is None:
        raise ValidationError({"sector_id": _("Unknown sector.")})
    plan = services.plan_generate(
        actor=request.user,
        operation=operation,
        sector=sector,
        date=payload.date,
        shift=payload.shift,
        seed=payload.seed,
    )
    return Status(201, _detail(request, plan))


@router.post("/assignments/{assignment_id}/edit", response=AssignmentOut)
def assignment_edit(request, assignment_id: int, payload: AssignmentPatch):
    _require_permission(request, "patrols.change_patrolassignment")
    assignment = selectors.assignment_get(reader=request.user, pk=assignment_id)
    officers = None
    if payload.officer_ids is not None:
        choices = selectors.crew_choices(reader=request.user, assignment=assignment)
        officers = list(choices.filter(pk__in=payload.officer_ids))
        if len(officers) != len(set(payload.officer_ids)):
            raise ValidationError(
                {"officer_ids": _("Unknown officer, or not a member of the operation.")}
            )
    segments = {}
    for field in ("first_segment", "last_segment"):
        value = getattr(payload, field)
        if value is not None:
            segment = Segment.objects.filter(segment_id=value).first()
            if segment is None:
                raise ValidationError({field: _("Unknown segment.")})
            segments[field] = segment
    services.assignment_edit(
        actor=request.user,
        assignment=assignment,
        officers=officers,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        vehicle=payload.vehicle,
        **segments,
    )
    refreshed = selectors.assignment_get(reader=request.user, pk=assignment_id)
    refreshed.crew_officers = list(
        selectors.officer_directory(
            reader=request.user, ids=[r.officer_id for r in refreshed.crew_rows]
        ).values()
    )
    return _assignment_out(refreshed)


@router.post("/plans/{plan_id}/publish", response=PlanOut)
def plan_publish(request, plan_id: int):
    _require_permission(request, "patrols.change_patrolplan")
    plan = selectors.plan_get(reader=request.user, pk=plan_id)
    return _plan_out(services.plan_publish(actor=request.user, plan=plan))


@router.post("/plans/{plan_id}/withdraw", response=PlanOut)
def plan_withdraw(request, plan_id: int):
    _require_permission(request, "patrols.change_patrolplan")
    plan = selectors.plan_get(reader=request.user, pk=plan_id)
    return _plan_out(services.plan_withdraw(actor=request.user, plan=plan))


@router.get("/mine", response=list[MyAssignmentOut])
@paginate(PageNumberPagination)
def my_patrols(request):
    """Your own assignments in published plans, with your mirror partner's contact."""
    if not reader_for(request.user).may_read_anything:
        raise RecordNotFound()
    audit_record(
        action="patrolassignment.mine", actor=request.user, object_type="patrols.patrolassignment"
    )
    return [
        {
            "id": item.assignment.pk,
            "plan_id": item.assignment.plan_id,
            "operation_code": item.assignment.plan.operation.code,
            "first_segment": item.assignment.first_segment.segment_id,
            "last_segment": item.assignment.last_segment.segment_id,
            "km_start": item.assignment.first_segment.km_start,
            "km_end": item.assignment.last_segment.km_end,
            "starts_at": item.assignment.starts_at,
            "ends_at": item.assignment.ends_at,
            "vehicle": item.assignment.vehicle,
            "mirror_partners": [p.__dict__ for p in item.partners],
        }
        for item in selectors.my_assignments(reader=request.user)
    ]
