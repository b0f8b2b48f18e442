from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.models import Compartment
from alianza.access.rules import reader_for
from alianza.access.services import marking_get_or_create
from alianza.agencies.models import Agency
from alianza.audit.services import audit_record

from . import selectors, services
from .models import Report
from .schemas import ReportIn, ReportOut

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
    return 201, services.report_create(actor=request.user, marking=marking, **data)
