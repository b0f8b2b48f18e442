from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.models import Compartment
from alianza.access.rules import reader_for
from alianza.audit.services import audit_record

from . import selectors, services
from .models import Agency, Officer, Unit
from .schemas import AgencyOut, MeOut, OfficerIn, OfficerOut, UnitOut

router = Router(tags=["people"])


@router.get("/me", response=MeOut)
def me(request):
    reader = reader_for(request.user)
    officer = Officer.objects.visible_to(reader).filter(pk=reader.officer_id).first()
    return {
        "username": request.user.get_username(),
        "officer": officer,
        "agency_code": officer.agency.code if officer else None,
        "roles": sorted(reader.roles),
        "compartments": list(
            Compartment.objects.filter(pk__in=reader.compartment_ids).values_list("code", flat=True)
        ),
    }


@router.get("/agencies", response=list[AgencyOut])
def agency_list(request):
    return selectors.agency_list()


@router.get("/units", response=list[UnitOut])
@paginate(PageNumberPagination)
def unit_list(request, agency_id: int | None = None):
    return selectors.unit_list(agency_id=agency_id)


@router.get("/officers", response=list[OfficerOut])
@paginate(PageNumberPagination)
def officer_list(request, q: str = "", active: bool | None = None):
    audit_record(
        action="officer.list",
        actor=request.user,
        object_type="agencies.officer",
        details={"q": q[:200]},
    )
    return selectors.officer_list(reader=request.user, search=q, active=active)


@router.get("/officers/{officer_id}", response=OfficerOut)
def officer_get(request, officer_id: int):
    officer = access_get(request.user, Officer, pk=officer_id)
    audit_record(action="officer.view", actor=request.user, obj=officer)
    return officer


@router.post("/officers", response={201: OfficerOut})
def officer_create(request, payload: OfficerIn):
    reader = reader_for(request.user)
    if not reader.may_read_anything:
        raise RecordNotFound()
    agency = Agency.objects.get(pk=reader.agency_id)
    data = payload.dict()
    unit_id = data.pop("unit_id")
    unit = Unit.objects.filter(pk=unit_id, agency=agency).first() if unit_id else None
    if unit_id and unit is None:
        raise ValidationError({"unit_id": _("No such unit in your agency.")})
    officer = services.officer_create(actor=request.user, agency=agency, unit=unit, **data)
    return Status(201, officer)
