"""Writes: importing a published file. One function, one transaction, one audit entry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from alianza.audit.services import audit_record

from .formats import Parsed, RowError, parse
from .models import AggregateSeries, SeriesObservation

BATCH = 2000


@dataclass
class SeriesImportResult:
    kind: str = ""
    series: list[AggregateSeries] = field(default_factory=list)
    observations: int = 0
    replaced: int = 0
    not_available: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.errors


def series_code(*, kind: str, source_file: str, measure: str) -> str:
    return f"{kind}:{source_file}:{measure}"[:200]


def series_import(
    *,
    actor,
    data: bytes,
    source_file: str,
    kind: str | None = None,
    source_url: str = "",
    description: str = "",
) -> SeriesImportResult:
    """Import one published file: every measure column becomes (or replaces) one series.

    All or nothing: a file with any bad row writes nothing and reports every bad row with its
    line. Importing the same file again replaces each series' observations in one
    transaction, so it changes nothing. Audited either way (`series.import`).
    """
    parsed: Parsed = parse(data, kind=kind)
    sha256 = hashlib.sha256(data).hexdigest()
    result = SeriesImportResult(
        kind=parsed.format.kind if parsed.format else (kind or ""),
        not_available=parsed.not_available,
        rows=parsed.rows,
        errors=sorted(parsed.errors, key=lambda e: e.line),
    )
    details = {
        "file": source_file[:300],
        "kind": result.kind,
        "sha256": sha256,
        "rows": parsed.rows,
        "bad_rows": len(result.errors),
    }
    if result.errors:
        audit_record(
            action="series.import",
            actor=actor,
            actor_username="" if actor else "system",
            object_type="series.aggregateseries",
            outcome="failure",
            details={**details, "first_errors": [str(e) for e in result.errors[:5]]},
        )
        return result
    fmt = parsed.format
    now = timezone.now()
    by_measure: dict[str, list] = {m.column: [] for m in fmt.measures}
    for cell in parsed.cells:
        by_measure[cell.measure].append(cell)
    with transaction.atomic():
        for measure in fmt.measures:
            series, _created = AggregateSeries.objects.update_or_create(
                code=series_code(kind=fmt.kind, source_file=source_file, measure=measure.column),
                defaults={
                    "name": f"{fmt.title}: {measure.label}",
                    "publisher": fmt.publisher,
                    "kind": fmt.kind,
                    "measure": measure.column,
                    "unit": measure.unit,
                    "source_file": source_file[:300],
                    "source_url": (source_url or fmt.source_url)[:500],
                    "source_sha256": sha256,
                    "description": description,
                    "imported_at": now,
                },
            )
            result.replaced += series.observations.all().delete()[0]
            SeriesObservation.objects.bulk_create(
                [
                    SeriesObservation(
                        series=series,
                        granularity=c.granularity,
                        fiscal_year=c.fiscal_year,
                        period_start=c.period_start,
                        period_end=c.period_end,
                        area=c.area,
                        area_key=c.area_key,
                        level=c.level,
                        component=c.component,
                        region=c.region,
                        land_filter=c.land_filter,
                        drug_type=c.drug_type,
                        value=c.value,
                        line=c.line,
                    )
                    for c in by_measure[measure.column]
                ],
                batch_size=BATCH,
            )
            result.observations += len(by_measure[measure.column])
            result.series.append(series)
        audit_record(
            action="series.import",
            actor=actor,
            actor_username="" if actor else "system",
            object_type="series.aggregateseries",
            details={
                **details,
                "series": [s.code for s in result.series],
                "observations": result.observations,
                "replaced": result.replaced,
                "not_available": result.not_available,
            },
        )
    return result
