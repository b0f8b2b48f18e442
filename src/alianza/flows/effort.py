"""Patrol effort per segment: written by whoever derives it (positions, hand entry), read by the
effort-adjusted analytics. Effort is marked like any record: effort the reader may not see
counts as no effort, and the analytics then label the cell as raw counts, never as adjusted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from alianza.access.models import Marking
from alianza.agencies.models import Agency, Unit
from alianza.audit.services import audit_record
from alianza.border.models import Segment

from .models import PatrolEffort


@dataclass(frozen=True)
class EffortRow:
    segment_id: str  # the stable id, e.g. "km-0123"
    side: str  # "US" or "MX"
    hours: float
    kilometres: float
    unit: Unit | None = None
    # The row's own marking (e.g. that of the one unit's tracks it comes from); None: the call's.
    marking: Marking | None = None


@dataclass(frozen=True)
class EffortTotals:
    hours: float
    kilometres: float


def patrol_effort_replace(
    *,
    actor,
    agency: Agency,
    day: dt.date,
    source: str,
    rows: list[EffortRow],
    marking: Marking,
) -> int:
    """Replace one agency's effort of one source on one day by `rows`, atomically and audited.
    Each row is marked with its own marking, or `marking` when it has none. `actor` None means
    the system (a scheduled derivation). Returns the number of rows written."""
    if source not in PatrolEffort.Source.values:
        raise ValidationError({"source": _("Unknown effort source.")})
    ids = {row.segment_id for row in rows}
    segments = {s.segment_id: s for s in Segment.objects.filter(segment_id__in=ids)}
    for number, row in enumerate(rows, start=1):
        if row.segment_id not in segments:
            raise ValidationError(
                {
                    "rows": _("Row %(row)s: unknown segment %(segment)s.")
                    % {"row": number, "segment": row.segment_id}
                }
            )
        if row.hours < 0 or row.kilometres < 0:
            raise ValidationError(
                {"rows": _("Row %(row)s: effort cannot be negative.") % {"row": number}}
            )
    with transaction.atomic():
        PatrolEffort.objects.unrestricted(reason="replace own effort rows").filter(
            agency=agency, day=day, source=source
        ).delete()
        PatrolEffort.objects.bulk_create(
            PatrolEffort(
                segment=segments[row.segment_id],
                day=day,
                side=row.side,
                agency=agency,
                unit=row.unit,
                hours=row.hours,
                kilometres=row.kilometres,
                source=source,
                marking=row.marking or marking,
            )
            for row in rows
        )
        summaries = sorted({(row.marking or marking).summary for row in rows})
        audit_record(
            action="patroleffort.replace",
            actor=actor,
            actor_username="" if actor else "system",
            object_type="flows.patroleffort",
            object_id=f"{agency.code}/{day.isoformat()}/{source}",
            object_agency_code=agency.code,
            marking_summary=marking.summary,
            details={
                "rows": len(rows),
                "hours": round(sum(r.hours for r in rows), 3),
                "markings": summaries,
            },
        )
    return len(rows)


def patrol_effort_by_segment(*, reader, since: dt.date, until: dt.date) -> dict[str, EffortTotals]:
    """Visible effort per segment id (both sides, all agencies) between two days inclusive."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    rows = (
        PatrolEffort.objects.visible_to(reader)
        .filter(day__gte=since, day__lte=until)
        .values("segment__segment_id")
        .annotate(hours=Sum("hours"), kilometres=Sum("kilometres"))
    )
    for row in rows:
        entry = totals[row["segment__segment_id"]]
        entry[0] += row["hours"] or 0.0
        entry[1] += row["kilometres"] or 0.0
    return {key: EffortTotals(hours=h, kilometres=k) for key, (h, k) in totals.items()}
