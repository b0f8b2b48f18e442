"""Writes of the positions app: registering tracked units and ingesting batches of reports.

`positions_ingest` validates every row first and writes nothing unless all are good; then it
inserts the batch with one bulk insert, moves each unit's cached latest position forward and
appends one audit entry naming the count and the units, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alianza.access.getters import RecordNotFound
from alianza.access.models import Marking
from alianza.access.rules import reader_for
from alianza.access.services import marking_default, marking_get_or_create
from alianza.agencies.models import Agency, Officer, Unit
from alianza.audit.services import audit_record
from alianza.border.locating import DEFAULT_MAX_DISTANCE_M, default_locator
from alianza.border.models import Segment
from alianza.operations.models import JointOperation

from .models import LatestPosition, PositionReport, TrackedUnit

INGEST_PERMISSION = "positions.add_positionreport"
MAX_BATCH = 10_000
# Device clocks drift: a fix up to this far ahead of the server's clock is accepted.
FUTURE_TOLERANCE = dt.timedelta(minutes=2)
MAX_ERRORS_REPORTED = 100
MAX_ACCURACY_M, MAX_SPEED_KMH = 32_767, 400
LATEST_FIELDS = [
    "operation",
    "time",
    "lat",
    "lon",
    "accuracy_m",
    "speed_kmh",
    "heading",
    "segment",
    "side",
    "marking",
]


@dataclass(frozen=True)
class RowError:
    index: int  # 0-based position of the report in the batch
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"index": self.index, "field": self.field, "message": self.message}


class PositionBatchInvalid(ValidationError):
    """Some rows are bad; nothing was written. `rows` names each bad row's index and field."""

    def __init__(self, rows: list[RowError]):
        self.rows = rows
        first = rows[0]
        super().__init__(
            {
                "reports": ngettext(
                    "%(count)s bad report, nothing stored. First: report %(index)s, "
                    "%(field)s: %(message)s",
                    "%(count)s bad reports, nothing stored. First: report %(index)s, "
                    "%(field)s: %(message)s",
                    len(rows),
                )
                % {
                    "count": len(rows),
                    "index": first.index,
                    "field": first.field,
                    "message": first.message,
                }
            }
        )


@dataclass(frozen=True)
class IngestResult:
    accepted: int
    duplicates: int
    units: list[str]
    latest_updated: int


def _reporter(actor) -> Officer:
    """The acting officer, if they may report positions (the same 404 for anyone else)."""
    reader = reader_for(actor)
    if not reader.may_read_anything or not actor.has_perm(INGEST_PERMISSION):
        raise RecordNotFound()
    return Officer._base_manager.select_related("agency").get(pk=reader.officer_id)


@transaction.atomic
def tracked_unit_register(
    *,
    actor,
    agency: Agency,
    code: str,
    kind: str,
    label: str = "",
    officer: Officer | None = None,
    unit: Unit | None = None,
    shared: bool = True,
) -> TrackedUnit:
    """Register (or update) a call sign of `agency`. `actor` None means the system."""
    if actor is not None:
        reporter = _reporter(actor)
        if reporter.agency_id != agency.pk:
            raise RecordNotFound()
    code = code.strip()
    if not code:
        raise ValidationError({"code": _("Give a call sign.")})
    if kind not in TrackedUnit.Kind.values:
        raise ValidationError({"kind": _("Unknown kind.")})
    for other, name in ((officer, "officer"), (unit, "unit")):
        if other is not None and other.agency_id != agency.pk:
            raise ValidationError({name: _("It must belong to the same agency.")})
    tracked, created = TrackedUnit.objects.unrestricted(
        reason="register the agency's own call sign"
    ).update_or_create(
        agency=agency,
        code=code,
        defaults={
            "kind": kind,
            "label": label,
            "officer": officer,
            "unit": unit,
            "shared": shared,
            "active": True,
        },
    )
    audit_record(
        action="trackedunit.register",
        actor=actor,
        actor_username="" if actor else "system",
        object_type="positions.trackedunit",
        object_id=str(tracked.pk),
        object_agency_code=agency.code,
        details={"code": code, "kind": kind, "shared": shared, "created": created},
    )
    return tracked


# ------------------------------------------------------------------ ingest


def _time(raw) -> dt.datetime | str:
    """An aware UTC datetime, or the error message."""
    value = raw
    if isinstance(raw, str):
        value = parse_datetime(raw.strip())
        if value is None:
            return _("Not a date and time (ISO 8601).")
    if not isinstance(value, dt.datetime):
        return _("Not a date and time (ISO 8601).")
    if timezone.is_naive(value):
        # The example is the current time, so the message never carries a calendar date.
        example = timezone.now().replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        return _("Give the time with a time zone (e.g. %(example)s).") % {"example": example}
    return value.astimezone(dt.UTC)


def _number(raw) -> float | None:
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value


def _optional_int(row: Mapping, field: str, high: int, errors: list, index: int) -> int | None:
    raw = row.get(field)
    if raw is None or raw == "":
        return None
    value = _number(raw)
    if value is None or not math.isfinite(value) or not 0 <= value <= high:
        errors.append(
            RowError(
                index,
                field,
                _("Must be a number from 0 to %(high)s.") % {"high": high},
            )
        )
        return None
    return round(value)


def _markings(
    *, keys: set[tuple[int, bool, int | None]], operations: dict[int, JointOperation]
) -> dict[tuple[int, bool, int | None], Marking]:
    """One shared label per (agency, unit shared, operation): in a joint operation, its
    compartment and (for shared units) its lead agencies; outside one, the agency alone."""
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={k[0] for k in keys})}
    result = {}
    for agency_id, shared, operation_id in keys:
        agency = agencies[agency_id]
        if operation_id is None:
            result[(agency_id, shared, operation_id)] = marking_default(originating_agency=agency)
            continue
        operation = operations[operation_id]
        result[(agency_id, shared, operation_id)] = marking_get_or_create(
            originating_agency=agency,
            releasable_to=list(operation.lead_agencies.all()) if shared else [],
            compartments=[operation.compartment],
        )
    return result


def positions_ingest(*, actor, reports: Sequence[Mapping]) -> IngestResult:
    """Validate and store a batch of position reports of the actor's agency's units.

    Each report: `unit` (call sign), `time` (aware), `lat`, `lon`, optional `accuracy_m`,
    `speed_kmh`, `heading`, `operation` (code of a joint operation the actor may see and the
    unit's agency leads). A report already stored (same unit and time) is skipped and counted
    as a duplicate, so a device may resend a batch. Raises `PositionBatchInvalid` naming every
    bad row (index and field) and writes nothing then.
    """
    reporter = _reporter(actor)
    if not reports:
        raise ValidationError({"reports": _("The batch is empty.")})
    if len(reports) > MAX_BATCH:
        raise ValidationError(
            {"reports": _("At most %(max)s reports a batch.") % {"max": MAX_BATCH}}
        )
    now = timezone.now()
    errors: list[RowError] = []
    codes = {str(r.get("unit") or "").strip() for r in reports}
    op_codes = {str(r["operation"]).strip() for r in reports if r.get("operation")}
    with transaction.atomic():
        # Locking the units serialises concurrent batches of the same unit, so the cached
        # latest position only ever moves forward.
        units = {
            u.code: u
            for u in TrackedUnit.objects.visible_to(actor)
            .select_for_update()
            .filter(code__in=codes, active=True)
        }
        operations = {
            o.code: o
            for o in JointOperation.objects.visible_to(actor)
            .filter(code__in=op_codes)
            .prefetch_related("lead_agencies")
        }
        leads = {o.pk: {a.pk for a in o.lead_agencies.all()} for o in operations.values()}
        rows: list[dict] = []
        for index, row in enumerate(reports):
            before = len(errors)
            code = str(row.get("unit") or "").strip()
            unit = units.get(code)
            if unit is None:
                errors.append(
                    RowError(index, "unit", _("Unknown unit %(unit)s.") % {"unit": code[:40]})
                )
            when = _time(row.get("time"))
            if isinstance(when, str):
                errors.append(RowError(index, "time", when))
                when = None
            elif when > now + FUTURE_TOLERANCE:
                errors.append(RowError(index, "time", _("The time is in the future.")))
            coords = {}
            for field, limit in (("lat", 90.0), ("lon", 180.0)):
                value = _number(row.get(field))
                if value is None:
                    errors.append(RowError(index, field, _("Not a number.")))
                elif not math.isfinite(value):
                    errors.append(RowError(index, field, _("Not a finite number (NaN).")))
                elif abs(value) > limit:
                    errors.append(
                        RowError(
                            index,
                            field,
                            _("Out of range (±%(limit)s degrees).") % {"limit": f"{limit:g}"},
                        )
                    )
                else:
                    coords[field] = value
            accuracy = _optional_int(row, "accuracy_m", MAX_ACCURACY_M, errors, index)
            speed = _optional_int(row, "speed_kmh", MAX_SPEED_KMH, errors, index)
            heading = _optional_int(row, "heading", 360, errors, index)
            operation = None
            op_code = str(row.get("operation") or "").strip()
            if op_code:
                operation = operations.get(op_code)
                if operation is None:
                    errors.append(
                        RowError(
                            index,
                            "operation",
                            _("Unknown operation %(code)s.") % {"code": op_code[:40]},
                        )
                    )
                elif unit is not None and unit.agency_id not in leads[operation.pk]:
                    errors.append(
                        RowError(index, "operation", _("The unit's agency does not lead it."))
                    )
                elif when is not None and not (
                    operation.starts_on <= when.date() <= operation.ends_on + dt.timedelta(days=1)
                ):
                    errors.append(RowError(index, "time", _("The time is outside the operation.")))
            if len(errors) == before:
                rows.append(
                    {
                        "index": index,
                        "unit": unit,
                        "time": when,
                        "lat": coords["lat"],
                        "lon": coords["lon"],
                        "accuracy_m": accuracy,
                        "speed_kmh": speed,
                        "heading": 0 if heading == 360 else heading,
                        "operation": operation,
                    }
                )
        if rows:
            _locate(rows, errors)
        if errors:
            errors.sort(key=lambda e: e.index)
            raise PositionBatchInvalid(errors[:MAX_ERRORS_REPORTED])
        return _store(actor=actor, reporter=reporter, rows=rows)


def _locate(rows: list[dict], errors: list[RowError]) -> None:
    """Segment and side of every row, in one vectorised call; far points are row errors."""
    lons = np.array([r["lon"] for r in rows])
    lats = np.array([r["lat"] for r in rows])
    where = default_locator().locate_many(lons, lats, reject_far=False)
    segment_pks = dict(
        Segment.objects.filter(segment_id__in=set(where.segment_id.tolist())).values_list(
            "segment_id", "pk"
        )
    )
    for i, row in enumerate(rows):
        if not where.within[i]:
            errors.append(
                RowError(
                    row["index"],
                    "location",
                    _("%(km)s km from the border; at most %(max)s km is accepted.")
                    % {
                        "km": f"{where.distance_m[i] / 1000:.1f}",
                        "max": f"{DEFAULT_MAX_DISTANCE_M / 1000:g}",
                    },
                )
            )
            continue
        segment_pk = segment_pks.get(str(where.segment_id[i]))
        if segment_pk is None:
            errors.append(
                RowError(row["index"], "location", _("The border segments are not loaded here."))
            )
            continue
        row["segment_id"], row["side"] = segment_pk, str(where.side[i])


def _store(*, actor, reporter: Officer, rows: list[dict]) -> IngestResult:
    # Duplicates: the same unit and time twice in the batch, or already stored (one query
    # over the batch's units and time span, served by the (unit, time) unique index).
    times = [r["time"] for r in rows]
    stored = set(
        PositionReport.objects.unrestricted(reason="skip reports already stored")
        .filter(
            unit_id__in={r["unit"].pk for r in rows},
            time__gte=min(times),
            time__lte=max(times),
        )
        .values_list("unit_id", "time")
    )
    fresh, seen = [], set()
    for row in rows:
        key = (row["unit"].pk, row["time"])
        if key in stored or key in seen:
            continue
        seen.add(key)
        fresh.append(row)
    operations = {r["operation"].pk: r["operation"] for r in fresh if r["operation"]}
    keys = {
        (r["unit"].agency_id, r["unit"].shared, r["operation"].pk if r["operation"] else None)
        for r in fresh
    }
    markings = _markings(keys=keys, operations=operations)
    objects = []
    for row in fresh:
        unit, operation = row["unit"], row["operation"]
        objects.append(
            PositionReport(
                unit=unit,
                operation=operation,
                time=row["time"],
                lat=row["lat"],
                lon=row["lon"],
                accuracy_m=row["accuracy_m"],
                speed_kmh=row["speed_kmh"],
                heading=row["heading"],
                segment_id=row["segment_id"],
                side=row["side"],
                marking=markings[
                    (unit.agency_id, unit.shared, operation.pk if operation else None)
                ],
            )
        )
    PositionReport.objects.bulk_create(objects, batch_size=2000)
    updated = _latest_upsert(objects)
    units = sorted({o.unit.code for o in objects})
    audit_record(
        action="positionreport.ingest",
        actor=actor,
        object_type="positions.positionreport",
        object_agency_code=reporter.agency.code,
        marking_summary="; ".join(sorted({m.summary for m in markings.values()}))[:500],
        details={
            "count": len(objects),
            "duplicates": len(rows) - len(objects),
            "units": units[:200],
            "first": min((o.time for o in objects), default=None),
            "last": max((o.time for o in objects), default=None),
        },
    )
    return IngestResult(
        accepted=len(objects),
        duplicates=len(rows) - len(objects),
        units=units,
        latest_updated=updated,
    )


def _latest_upsert(objects: list[PositionReport]) -> int:
    """Move each unit's cached latest position to its newest fix, if newer than the cache."""
    newest: dict[int, PositionReport] = {}
    for report in objects:
        current = newest.get(report.unit_id)
        if current is None or report.time > current.time:
            newest[report.unit_id] = report
    if not newest:
        return 0
    cached = {
        p.unit_id: p
        for p in LatestPosition.objects.unrestricted(reason="the cache the ingest maintains")
        .select_for_update()
        .filter(unit_id__in=newest)
    }
    changed = []
    for unit_id, report in newest.items():
        latest = cached.get(unit_id)
        if latest is not None and latest.time >= report.time:
            continue  # a late report: the cache already holds a newer fix
        row = LatestPosition(unit_id=unit_id)
        for field in LATEST_FIELDS:
            attname = LatestPosition._meta.get_field(field).attname
            setattr(row, attname, getattr(report, attname))
        changed.append(row)
    # One INSERT ... ON CONFLICT (unit) DO UPDATE for new and moved units alike.
    LatestPosition.objects.bulk_create(
        changed, update_conflicts=True, unique_fields=["unit"], update_fields=LATEST_FIELDS
    )
    return len(changed)
