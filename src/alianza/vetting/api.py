from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from alianza.access.getters import RecordNotFound, access_get
from alianza.agencies.models import Officer
from alianza.audit.services import audit_record

from . import selectors
from .schemas import CaseOut, RosterRowOut

router = Router(tags=["vetting"])


@router.get("/roster", response=list[RosterRowOut])
@paginate(PageNumberPagination)
def roster(request, agency: str = "", state: str = ""):
    """Status and expiry of every task-force officer the reader may list (no results, no notes)."""
    if not request.user.has_perm("vetting.view_vetting_status"):
        raise RecordNotFound()
    audit_record(
        action="vetting.roster", actor=request.user, details={"agency": agency, "state": state}
    )
    return [
        {
            "officer_id": row.officer_id,
            "name": row.name,
            "badge_number": row.badge_number,
            "agency_code": row.agency_code,
            "unit": row.unit,
            "status": row.status.state.value,
            "expires_on": row.status.expires_on,
        }
        for row in selectors.vetting_roster(reader=request.user, agency_code=agency, state=state)
    ]


@router.get("/officers/{officer_id}/cases", response=list[CaseOut])
def officer_cases(request, officer_id: int):
    """Cases with results and restricted notes: the officer's own agency's vetting officers."""
    if not request.user.has_perm("vetting.view_vettingcase"):
        raise RecordNotFound()
    officer = access_get(request.user, Officer, pk=officer_id)
    audit_record(action="vetting_case.view", actor=request.user, obj=officer)
    return [
        {
            "id": view.case.pk,
            "programme": view.case.programme.code,
            "opened_at": view.case.opened_at,
            "results": [
                {
                    "check": r.check_type.code,
                    "result": r.result,
                    "examiner": r.examiner,
                    "examined_on": r.examined_on,
                    "expires_on": r.expires_on,
                    "notes": r.notes,
                }
                for r in view.results
            ],
            "approvals": [a.approver.full_name for a in view.approvals],
        }
        for view in selectors.vetting_case_list(reader=request.user, officer_id=officer.pk)
    ]
