"""`/api/positions/...`: batched position reports in, the visible latest positions out."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status

from alianza.access.getters import RecordNotFound
from alianza.access.rules import reader_for
from alianza.audit.services import audit_record

from . import selectors, services
from .schemas import PositionBatchIn, PositionBatchOut

router = Router(tags=["positions"])


@router.post("/batch", response={200: PositionBatchOut, 422: dict})
def positions_batch(request, payload: PositionBatchIn):
    """Store a batch of position reports (at most 10,000) of your agency's units, all or
    nothing. A report already stored (same unit and time) is skipped as a duplicate. Bad rows
    answer 422 with `errors`: one `{index, field, message}` per bad report."""
    reports = [r.model_dump() for r in payload.reports]
    try:
        result = services.positions_ingest(actor=request.user, reports=reports)
    except services.PositionBatchInvalid as error:
        first = error.rows[0]
        return Status(
            422,
            {
                "detail": error.messages[0],
                "field": f"reports.{first.index}.{first.field}",
                "errors": [e.as_dict() for e in error.rows],
            },
        )
    return {
        "accepted": result.accepted,
        "duplicates": result.duplicates,
        "units": result.units,
        "latest_updated": result.latest_updated,
    }


def _max_age(raw: str) -> dt.timedelta:
    if raw in ("", None):
        return selectors.DEFAULT_MAX_AGE
    limit = int(selectors.MAX_AGE_LIMIT.total_seconds() // 60)
    if not raw.isdigit() or not 1 <= int(raw) <= limit:
        raise ValidationError(
            {
                "max_age_minutes": _("Choose from 1 to %(max)s minutes.") % {"max": limit},
            }
        )
    return dt.timedelta(minutes=int(raw))


@router.get("/latest", response=dict)
def positions_latest(request, operation_id: int | None = None, max_age_minutes: str = ""):
    """The latest position of every unit you may see (GeoJSON points), reported within
    `max_age_minutes` (default 120); `operation_id` keeps one joint operation's units."""
    reader = reader_for(request.user)
    if not reader.may_read_anything:
        raise RecordNotFound()
    max_age = _max_age(max_age_minutes)
    operation = (
        selectors.operation_get(reader=request.user, pk=operation_id)
        if operation_id is not None
        else None
    )
    positions = list(
        selectors.latest_position_list(reader=reader, operation=operation, max_age=max_age)
    )
    audit_record(
        action="latestposition.list",
        actor=request.user,
        object_type="positions.latestposition",
        details={
            "operation": operation.code if operation else None,
            "max_age_minutes": int(max_age.total_seconds() // 60),
            "shown": len(positions),
        },
    )
    return selectors.latest_geojson(positions)
