import datetime as dt

from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from alianza.access.getters import RecordNotFound

from .schemas import AuditEventOut
from .selectors import audit_event_list
from .services import audit_record

router = Router(tags=["audit"])


@router.get("/events", response=list[AuditEventOut])
@paginate(PageNumberPagination)
def event_list(
    request,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
):
    if not request.user.has_perm("audit.view_audit_log"):
        raise RecordNotFound()
    filters = {
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "since": since,
        "until": until,
    }
    audit_record(
        action="audit.view",
        actor=request.user,
        details={k: str(v) for k, v in filters.items() if v},
    )
    return audit_event_list(reader=request.user, filters=filters)
