import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.rules import reader_for
from alianza.access.services import marking_get_or_create
from alianza.agencies.models import Agency
from alianza.audit.services import audit_record

from . import selectors, services
from .models import FlowEvent
from .schemas import (
    FlowAnalyticsOut,
    FlowEventDetailOut,
    FlowEventIn,
    FlowEventLinkIn,
    FlowEventOut,
    FlowEventPatch,
)

router = Router(tags=["flows"])


def _filters(kind, direction, since, until) -> dict:
    return {"kind": kind, "direction": direction, "since": since, "until": until}


@router.get("/events", response=list[FlowEventOut])
@paginate(PageNumberPagination)
def flow_event_list(
    request,
    kind: str = "",
    direction: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
):
    audit_record(action="flowevent.list", actor=request.user, object_type="flows.flowevent")
    return selectors.flow_event_list(reader=request.user, **_filters(kind, direction, since, until))


def _detail(request, event: FlowEvent) -> FlowEvent:
    """The event with its visible items attached, for FlowEventDetailOut."""
    event.items = selectors.flow_event_items(reader=reader_for(request.user), event=event)
    return event


@router.get("/events/{event_id}", response=FlowEventDetailOut)
def flow_event_get(request, event_id: int):
    """One event with its items."""
    event = access_get(request.user, FlowEvent, pk=event_id)
    audit_record(action="flowevent.view", actor=request.user, obj=event)
    return _detail(request, event)


@router.patch("/events/{event_id}", response=FlowEventDetailOut)
def flow_event_patch(request, event_id: int, payload: FlowEventPatch):
    """Change fields of an event of your own agency (moving it re-snaps it to the border)."""
    event = access_get(request.user, FlowEvent, pk=event_id)
    changes = payload.dict(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise ValidationError({name: _("This field cannot be empty.")})
    event = services.flow_event_update(actor=request.user, event=event, **changes)
    return _detail(request, event)


@router.post("/events/{event_id}/link", response=FlowEventDetailOut)
def flow_event_link(request, event_id: int, payload: FlowEventLinkIn):
    """Mark this event and another you may see as one crossing, so it is counted once."""
    event = access_get(request.user, FlowEvent, pk=event_id)
    other = access_get(request.user, FlowEvent, pk=payload.other_id)
    services.flow_events_link(actor=request.user, first=event, second=other)
    event.refresh_from_db(fields=["crossing"])
    return _detail(request, event)


@router.post("/events", response={201: FlowEventDetailOut})
def flow_event_create(request, payload: FlowEventIn):
    reader = reader_for(request.user)
    if not reader.may_read_anything:
        raise RecordNotFound()
    data = payload.dict()
    codes = data.pop("releasable_to")
    agencies = list(Agency.objects.filter(code__in=codes))
    if len(agencies) != len(set(codes)):
        raise ValidationError({"releasable_to": _("Unknown agency code.")})
    marking = marking_get_or_create(
        originating_agency=Agency.objects.get(pk=reader.agency_id), releasable_to=agencies
    )
    event = services.flow_event_create(actor=request.user, marking=marking, **data)
    return Status(201, _detail(request, event))


@router.get("/analytics", response=FlowAnalyticsOut)
def flow_analytics(
    request,
    kind: str = "",
    direction: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
):
    """Counts by month × direction × kind and the border effectiveness rate per corridor,
    from the events you may see, each linked crossing counted once."""
    if not reader_for(request.user).may_read_anything:
        raise RecordNotFound()
    filters = _filters(kind, direction, since, until)
    audit_record(action="flowevent.analytics", actor=request.user, details={"filters": filters})
    return {
        "by_month": selectors.flow_counts_by_month(reader=request.user, **filters),
        "effectiveness": selectors.border_effectiveness(reader=request.user, **filters),
    }
