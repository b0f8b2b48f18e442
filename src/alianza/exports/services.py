"""Exports for a named recipient (fingerprinted, recorded, audited) and leak tracing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alianza.access.getters import RecordNotFound
from alianza.access.rules import reader_for
from alianza.access.services import marking_combine
from alianza.audit.services import audit_record
from alianza.intel.models import Report

from . import fingerprint, render
from .models import ExportRecord

MAX_REPORTS = 500


def _document(*, reports, export_id, recipient, marking, heading, key) -> tuple:
    items, bits, probes = [], [], []
    for report in reports:
        title = fingerprint.vary(report.title, key=key, label=f"{report.pk}:title")
        body = fingerprint.vary(report.body, key=key, label=f"{report.pk}:body")
        bits += [title.bits, body.bits]
        probes += title.probes + body.probes
        items.append(
            render.Item(
                title=title.text,
                body=body.text,
                agency=report.agency.code,
                language=report.language,
                created=timezone.localtime(report.created_at).strftime("%Y-%m-%d"),
                marking=report.marking.summary,
            )
        )
    doc = render.Document(export_id, recipient, marking.summary, heading, items)
    return doc, "|".join(bits), probes


@transaction.atomic
def export_create(
    *, actor, recipient: str, reports: list[Report], fmt: str, query: str = ""
) -> tuple[ExportRecord, bytes]:
    """Export `reports` (each already fetched through the access layer for `actor`) for
    `recipient`; returns the record and the file's bytes."""
    reader = reader_for(actor)
    if not reader.may_read_anything:
        raise RecordNotFound()
    recipient = recipient.strip()
    if not recipient:
        raise ValidationError({"recipient": _("Name the recipient of the export.")})
    if fmt not in ExportRecord.Format.values:
        raise ValidationError({"format": _("Choose PDF or CSV.")})
    if not reports or len(reports) > MAX_REPORTS:
        raise ValidationError(
            {"reports": _("Export between 1 and %(max)s reports.") % {"max": MAX_REPORTS}}
        )
    visible = set(
        Report.objects.visible_to(actor)
        .filter(pk__in=[r.pk for r in reports])
        .values_list("pk", flat=True)
    )
    if visible != {r.pk for r in reports}:
        raise RecordNotFound()
    marking = marking_combine({r.marking_id: r.marking for r in reports}.values())
    export_id = "EXP-" + secrets.token_hex(5).upper()
    seed = secrets.token_hex(32)
    heading = _("Intelligence report") if len(reports) == 1 and not query else _("Search results")
    doc, bits, probes = _document(
        reports=reports,
        export_id=export_id,
        recipient=recipient,
        marking=marking,
        heading=heading,
        key=bytes.fromhex(seed),
    )
    record = ExportRecord.objects.create(
        export_id=export_id,
        recipient=recipient[:200],
        actor=actor,
        actor_agency_id=reader.agency_id,
        format=fmt,
        object_type="intel.report",
        object_ids=[r.pk for r in reports],
        query=query[:200],
        seed=seed,
        bits=bits,
        probes=probes,
        marking=marking,
        marking_summary=marking.summary[:512],
    )
    audit_record(
        action="export",
        actor=actor,
        object_type="exports.exportrecord",
        object_id=export_id,
        marking_summary=marking.summary,
        details={
            "recipient": recipient,
            "format": fmt,
            "reports": record.object_ids,
            "query": query[:200],
        },
    )
    data = render.render_pdf(doc) if fmt == "pdf" else render.render_csv(doc)
    return record, data


@dataclass(frozen=True)
class TraceResult:
    record: ExportRecord | None
    confidence: float
    matched: int
    observed: int
    by_export_id: bool
    candidates: int
    runner_up: ExportRecord | None = None


def leak_trace_records(records, text: str) -> TraceResult:
    """Name the export `text` (a whole leaked export or a pasted fragment) came from, among
    `records` (already restricted to what the caller may trace)."""
    records = list(records)
    by_id = [r for r in records if r.export_id in text]
    windows = fingerprint.leaked_windows(text)
    scores = sorted(
        (fingerprint.score(r.probes, windows, key=r) for r in records),
        key=lambda s: (s.value, s.matched),
        reverse=True,
    )
    scores = [s for s in scores if s.observed]
    if not scores:
        record = by_id[0] if len(by_id) == 1 else None
        return TraceResult(record, 1.0 if record else 0.0, 0, 0, bool(record), len(records))
    best, runner = scores[0], (scores[1] if len(scores) > 1 else None)
    conf = fingerprint.confidence(best, runner, len(scores))
    record = best.key if best.value > 0 else None
    return TraceResult(
        record=record,
        confidence=conf,
        matched=best.matched,
        observed=best.observed,
        by_export_id=record is not None and record in by_id,
        candidates=len(scores),
        runner_up=runner.key if runner is not None else None,
    )


def leak_trace(*, actor, text: str) -> TraceResult:
    """An integrity officer traces a leaked text among their agency's exports; audited."""
    if not reader_for(actor).has_role("integrity_officer"):
        raise RecordNotFound()
    result = leak_trace_records(ExportRecord.objects.visible_to(actor), text)
    audit_record(
        action="export.trace",
        actor=actor,
        object_type="exports.exportrecord",
        object_id=result.record.export_id if result.record else "",
        details={"confidence": result.confidence, "chars": len(text)},
    )
    return result
