from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.models import Compartment
from alianza.access.rules import reader_for
from alianza.access.services import marking_get_or_create
from alianza.agencies.models import Agency
from alianza.audit.services import audit_record

from . import graph, selectors, services
from .entity_models import Entity
from .models import Report, RequestForInformation, Tearline
from .schemas import (
    EntityOut,
    NeighbourOut,
    PathStepOut,
    ReportIn,
    ReportOut,
    RfiAnswerIn,
    RfiIn,
    RfiOut,
    TearlineOut,
    TurnaroundOut,
)

router = Router(tags=["intelligence"])


@router.get("/reports", response=list[ReportOut])
@paginate(PageNumberPagination)
def report_list(request, q: str = ""):
    audit_record(
        action="report.list", actor=request.user, object_type="intel.report", details={"q": q[:200]}
    )
    return selectors.report_list(reader=request.user, search=q)


@router.get("/reports/{report_id}", response=ReportOut)
def report_get(request, report_id: int):
    report = access_get(request.user, Report, pk=report_id)
    audit_record(action="report.view", actor=request.user, obj=report)
    return report


@router.post("/reports", response={201: ReportOut})
def report_create(request, payload: ReportIn):
    reader = reader_for(request.user)
    if not reader.may_read_anything:
        raise RecordNotFound()
    data = payload.dict()
    agencies = list(Agency.objects.filter(code__in=data["releasable_to"]))
    if len(agencies) != len(set(data["releasable_to"])):
        raise ValidationError({"releasable_to": _("Unknown agency code.")})
    # Unknown and unheld compartments get the same answer: nothing reveals that one exists.
    compartments = list(
        Compartment.objects.filter(code__in=data["compartments"], pk__in=reader.compartment_ids)
    )
    if len(compartments) != len(set(data["compartments"])):
        raise ValidationError({"compartments": _("You do not hold this compartment.")})
    marking = marking_get_or_create(
        originating_agency=Agency.objects.get(pk=reader.agency_id),
        releasable_to=agencies,
        compartments=compartments,
        originator_control=data["originator_control"],
        review_date=data["review_date"],
    )
    for key in ("releasable_to", "compartments", "originator_control", "review_date"):
        data.pop(key)
    return Status(201, services.report_create(actor=request.user, marking=marking, **data))


@router.get("/tearlines", response=list[TearlineOut])
@paginate(PageNumberPagination)
def tearline_list(request):
    """Tearlines whose report you may not see (the others are on their report)."""
    audit_record(action="tearline.list", actor=request.user, object_type="intel.tearline")
    return selectors.tearline_list_only(reader=request.user)


@router.get("/tearlines/{tearline_id}", response=TearlineOut)
def tearline_get(request, tearline_id: int):
    tearline = access_get(request.user, Tearline, pk=tearline_id)
    audit_record(action="tearline.view", actor=request.user, obj=tearline)
    return tearline


@router.get("/rfis", response=list[RfiOut])
@paginate(PageNumberPagination)
def rfi_list(request, status: str = ""):
    audit_record(action="rfi.list", actor=request.user, object_type="intel.requestforinformation")
    return selectors.rfi_list(reader=request.user, status=status)


@router.get("/rfis/turnaround", response=list[TurnaroundOut])
def rfi_turnaround(request):
    if not reader_for(request.user).may_read_anything:
        raise RecordNotFound()
    audit_record(
        action="rfi.turnaround", actor=request.user, object_type="intel.requestforinformation"
    )
    return selectors.rfi_turnaround(reader=request.user)


@router.post("/rfis", response={201: RfiOut})
def rfi_create(request, payload: RfiIn):
    reader = reader_for(request.user)
    if not reader.may_read_anything:
        raise RecordNotFound()
    agency = Agency.objects.filter(code=payload.requested_agency).first()
    if agency is None:
        raise ValidationError({"requested_agency": _("Unknown agency code.")})
    compartment = None
    if payload.compartment:
        compartment = Compartment.objects.filter(
            code=payload.compartment, pk__in=reader.compartment_ids
        ).first()
        if compartment is None:
            raise ValidationError({"compartment": _("You do not hold this compartment.")})
    rfi = services.rfi_create(
        actor=request.user,
        requested_agency=agency,
        question=payload.question,
        priority=payload.priority,
        due_date=payload.due_date,
        compartment=compartment,
    )
    return Status(201, rfi)


@router.post("/rfis/{rfi_id}/answer", response=RfiOut)
def rfi_answer(request, rfi_id: int, payload: RfiAnswerIn):
    rfi = access_get(request.user, RequestForInformation, pk=rfi_id)
    report = None
    if payload.answer_report and payload.answer_report.strip():
        try:
            report = selectors.report_get_by_number(user=request.user, number=payload.answer_report)
        except RecordNotFound:
            # Missing or not visible: the same 422, naming the field and the number.
            raise ValidationError(
                {"answer_report": selectors.report_not_found_message(payload.answer_report)}
            ) from None
    elif payload.answer_report_id:
        report = access_get(request.user, Report, pk=payload.answer_report_id)
    return services.rfi_answer(
        actor=request.user, rfi=rfi, answer_text=payload.answer_text, answer_report=report
    )


@router.get("/entities", response=list[EntityOut])
@paginate(PageNumberPagination)
def entity_list(request, q: str = ""):
    audit_record(action="entity.list", actor=request.user, details={"q": q[:200]})
    return selectors.entity_list(reader=request.user, search=q.strip())


@router.get("/entities/{entity_id}/neighbours", response=list[NeighbourOut])
def entity_neighbours(request, entity_id: int):
    entity = access_get(request.user, Entity, pk=entity_id)
    audit_record(
        action="graph.neighbours",
        actor=request.user,
        object_type="intel.entity",
        object_id=str(entity.pk),
    )
    return [
        {"entity": other, "relation": edge.kind, "report_id": edge.report_id}
        for other, edge in graph.neighbours(reader=request.user, entity=entity)
    ]


@router.get("/graph/path", response=list[PathStepOut])
def graph_path(request, source: int, target: int):
    start = access_get(request.user, Entity, pk=source)
    goal = access_get(request.user, Entity, pk=target)
    path = graph.shortest_path(reader=request.user, start=start, goal=goal)
    audit_record(
        action="graph.path",
        actor=request.user,
        details={"source": source, "target": target, "found": bool(path)},
    )
    return [
        {
            "entity": entity,
            "relation": edge.kind if edge else None,
            "report_id": edge.report_id if edge else None,
        }
        for entity, edge in path
    ]
