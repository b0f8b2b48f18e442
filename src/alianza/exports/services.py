"""Exports for a named recipient (fingerprinted, recorded, audited) and leak tracing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alianza.access.getters import RecordNotFound
from alianza.access.rules import reader_for
from alianza.access.services import marking_combine
from alianza.agencies.models import Agency
from alianza.audit.models import AuditEvent
from alianza.audit.services import audit_record
from alianza.intel.models import Report, ReshareRequest

from . import fingerprint, render
from .models import ExportRecord

MAX_REPORTS = 500


def _new_seed() -> str:
    """A fresh secret key for one export's fingerprint (tests replace it with fixed keys)."""
    return secrets.token_hex(32)


def _has_translation(report: Report) -> bool:
    return report.translation_status != Report.TranslationStatus.NONE and bool(
        report.translated_title.strip() or report.translated_body.strip()
    )


def _document(*, reports, export_id, recipient, marking, heading, key, vary) -> tuple:
    items, bits, probes = [], [], []
    for report in reports:
        title = vary(report.title, key=key, label=f"{report.pk}:title")
        body = vary(report.body, key=key, label=f"{report.pk}:body")
        bits += [title.bits, body.bits]
        probes += title.probes + body.probes
        item = render.Item(
            title=title.text,
            body=body.text,
            agency=report.agency.code,
            language=report.language,
            created=timezone.localtime(report.created_at).strftime("%Y-%m-%d"),
            marking=report.marking.summary,
            grading=report.grading,
            europol_grading=report.europol_grading,
        )
        if _has_translation(report):
            # The translation travels with the report (same marking) and is fingerprinted
            # like it, so a leaked translation names its recipient too.
            t_title = vary(report.translated_title, key=key, label=f"{report.pk}:tt")
            t_body = vary(report.translated_body, key=key, label=f"{report.pk}:tb")
            bits += [t_title.bits, t_body.bits]
            probes += t_title.probes + t_body.probes
            item.translated_title = t_title.text
            item.translated_body = t_body.text
            item.translation_language = report.translation_language
            item.translation_status = report.translation_status
            item.translation_status_label = report.get_translation_status_display()
        items.append(item)
    doc = render.Document(export_id, recipient, marking.summary, heading, items)
    return doc, "|".join(bits), probes


# Why a report may not go to the recipient's agency (shown to the exporter, who may see the
# report and its handling code; never written into the export itself).
REFUSED_INTERNAL = "internal_only"
REFUSED_NEEDS_APPROVAL = "needs_approval"


def refusal_text(reason: str) -> str:
    texts = {
        REFUSED_INTERNAL: _("internal only: it may go only to its originating agency"),
        REFUSED_NEEDS_APPROVAL: _(
            "only with originator approval: the originating agency has not approved sharing "
            "it with the recipient's agency (ask for it under “Share further” on "
            "the report page)"
        ),
    }
    return texts.get(reason, reason)


class ExportRefused(ValidationError):
    """Some reports may not go to the recipient's agency under their handling code.
    `refused` lists (report, reason) for the exporter; nothing of it reaches the file."""

    def __init__(self, message, *, refused: list[tuple[Report, str]]):
        super().__init__({"reports": [message]})
        self.refused = refused


def export_approvals(report_ids) -> dict[int, set[int]]:
    """report id -> the agencies its originating agency approved sharing it with (approved
    re-share requests: the originator's decision, recorded and audited by intel)."""
    approved: dict[int, set[int]] = {}
    rows = (
        ReshareRequest.objects.unrestricted(reason="the originator's approvals of an export")
        .filter(report_id__in=list(report_ids), status=ReshareRequest.Status.APPROVED)
        .values_list("report_id", "add_agencies")
    )
    for report_id, agency_id in rows:
        if agency_id is not None:
            approved.setdefault(report_id, set()).add(agency_id)
    return approved


def export_refusal(
    report: Report,
    *,
    recipient_agency_id: int,
    exporter_agency_id: int | None,
    exporter_is_originator_analyst: bool,
    approved_agency_ids: set[int],
) -> str | None:
    """Why `report` may not be exported to a recipient of `recipient_agency_id`, or None.

    - a recipient of the originating agency may receive any report;
    - "internal only": nobody else;
    - "only with originator approval" (or an originator-controlled marking): only when the
      originating agency approved sharing with the recipient's agency (an approved re-share
      request), or when the exporter is an analyst of the originating agency (their export is
      the originator's decision, audited as such);
    - "may be disseminated": anyone.
    """
    if recipient_agency_id == report.agency_id:
        return None
    if report.handling == Report.Handling.INTERNAL_ONLY:
        return REFUSED_INTERNAL
    needs_approval = (
        report.handling == Report.Handling.ORIGINATOR_APPROVAL or report.marking.originator_control
    )
    if not needs_approval:
        return None
    if exporter_agency_id == report.agency_id and exporter_is_originator_analyst:
        return None
    if recipient_agency_id in approved_agency_ids:
        return None
    return REFUSED_NEEDS_APPROVAL


def export_refusals(*, actor, reports: list[Report], recipient_agency: Agency) -> list:
    """(report, reason) for every report of `reports` that may not go to the recipient."""
    reader = reader_for(actor)
    approvals = export_approvals(r.pk for r in reports)
    may_approve = actor.has_perm("intel.change_report")
    refused = []
    for report in reports:
        reason = export_refusal(
            report,
            recipient_agency_id=recipient_agency.pk,
            exporter_agency_id=reader.agency_id,
            exporter_is_originator_analyst=may_approve,
            approved_agency_ids=approvals.get(report.pk, set()),
        )
        if reason:
            refused.append((report, reason))
    return refused


def _audit_refusal(*, actor, recipient, recipient_agency, fmt, query, refused) -> None:
    with transaction.atomic():
        audit_record(
            action="export.refuse",
            actor=actor,
            object_type="intel.report",
            outcome=AuditEvent.Outcome.DENIED,
            details={
                "recipient": recipient,
                "recipient_agency": recipient_agency.code,
                "format": fmt,
                "query": query[:200],
                "refused": {str(r.pk): reason for r, reason in refused},
            },
        )


def export_create(
    *,
    actor,
    recipient: str,
    recipient_agency: Agency | None,
    reports: list[Report],
    fmt: str,
    query: str = "",
    omit_refused: bool = False,
) -> tuple[ExportRecord, bytes]:
    """Export `reports` (each already fetched through the access layer for `actor`) for
    `recipient`, a person of `recipient_agency`; returns the record and the file's bytes.

    Reports whose handling code forbids the recipient's agency refuse the whole export
    (ExportRefused, audited as `export.refuse`, listing them for the exporter) unless
    `omit_refused`: then they are left out of the file, and the audit of the export names
    them. The file never says that anything was left out."""
    reader = reader_for(actor)
    if not reader.may_read_anything:
        raise RecordNotFound()
    recipient = recipient.strip()
    if not recipient:
        raise ValidationError({"recipient": _("Name the recipient of the export.")})
    if recipient_agency is None:
        raise ValidationError({"recipient_agency": _("Choose the recipient's agency.")})
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
    refused = export_refusals(actor=actor, reports=reports, recipient_agency=recipient_agency)
    if refused and (not omit_refused or len(refused) == len(reports)):
        _audit_refusal(
            actor=actor,
            recipient=recipient,
            recipient_agency=recipient_agency,
            fmt=fmt,
            query=query,
            refused=refused,
        )
        message = ngettext(
            "%(count)s report may not go to a recipient of %(agency)s under its handling code.",
            "%(count)s reports may not go to a recipient of %(agency)s under their handling code.",
            len(refused),
        ) % {"count": len(refused), "agency": recipient_agency.code}
        raise ExportRefused(message, refused=refused)
    left_out = {r.pk for r, _reason in refused}
    return _export_write(
        actor=actor,
        reader=reader,
        recipient=recipient,
        recipient_agency=recipient_agency,
        reports=[r for r in reports if r.pk not in left_out],
        fmt=fmt,
        query=query,
        left_out=refused,
    )


@transaction.atomic
def _export_write(
    *, actor, reader, recipient, recipient_agency, reports, fmt, query, left_out
) -> tuple[ExportRecord, bytes]:
    marking = marking_combine({r.marking_id: r.marking for r in reports}.values())
    export_id = "EXP-" + secrets.token_hex(5).upper()
    seed = _new_seed()
    scheme = fingerprint.SCHEMES[fingerprint.CURRENT]
    heading = _("Intelligence report") if len(reports) == 1 and not query else _("Search results")
    doc, bits, probes = _document(
        reports=reports,
        export_id=export_id,
        recipient=recipient,
        marking=marking,
        heading=heading,
        key=bytes.fromhex(seed),
        vary=scheme.vary,
    )
    record = ExportRecord.objects.create(
        export_id=export_id,
        recipient=recipient[:200],
        recipient_agency=recipient_agency,
        actor=actor,
        actor_agency_id=reader.agency_id,
        format=fmt,
        object_type="intel.report",
        object_ids=[r.pk for r in reports],
        query=query[:200],
        seed=seed,
        bits=bits,
        probes=probes,
        fingerprint_version=scheme.version,
        marking=marking,
        marking_summary=marking.summary[:512],
    )
    originator_decisions = [
        r.pk
        for r in reports
        if r.agency_id != recipient_agency.pk
        and r.agency_id == reader.agency_id
        and (r.handling == Report.Handling.ORIGINATOR_APPROVAL or r.marking.originator_control)
    ]
    audit_record(
        action="export",
        actor=actor,
        object_type="exports.exportrecord",
        object_id=export_id,
        marking_summary=marking.summary,
        details={
            "recipient": recipient,
            "recipient_agency": recipient_agency.code,
            "format": fmt,
            "reports": record.object_ids,
            "query": query[:200],
            "left_out": {str(r.pk): reason for r, reason in left_out},
            "approved_by_originator_exporter": originator_decisions,
        },
    )
    data = render.render_pdf(doc) if fmt == "pdf" else render.render_csv(doc)
    return record, data


TRACE_NAMED, TRACE_TOO_SHORT = "named", "too_short"
TRACE_UNDECIDED, TRACE_NO_MATCH = "undecided", "no_match"


@dataclass(frozen=True)
class TraceResult:
    record: ExportRecord | None
    confidence: float
    matched: int
    observed: int
    by_export_id: bool
    candidates: int
    runner_up: ExportRecord | None = None
    # How many fingerprint points the text carries (under the scheme, of those of the traced
    # records, that finds the most); fewer than fingerprint.MIN_POINTS cannot be traced by
    # text (only by an export id in it).
    points: int = 0

    @property
    def traceable_by_text(self) -> bool:
        return self.points >= fingerprint.MIN_POINTS

    @property
    def outcome(self) -> str:
        """NAMED, TOO_SHORT (too few fingerprint points to trace by text), UNDECIDED (the
        fingerprint matches, but does not tell the copies apart: confidence 0) or NO_MATCH."""
        if self.record is not None:
            return TRACE_NAMED
        if not self.traceable_by_text:
            return TRACE_TOO_SHORT
        if self.observed >= fingerprint.MIN_POINTS and 2 * self.matched > self.observed:
            return TRACE_UNDECIDED
        return TRACE_NO_MATCH

    @property
    def note(self) -> str:
        """Why no recipient is named (translated), or "" when one is."""
        if self.outcome == TRACE_TOO_SHORT:
            return ngettext(
                "This leak cannot be traced by text: it carries %(count)s fingerprint point "
                "and at least %(min)s are needed (a one-sentence report or a title is too "
                "short). Only an export id (EXP-…) in the leak can name its copy.",
                "This leak cannot be traced by text: it carries %(count)s fingerprint points "
                "and at least %(min)s are needed (a one-sentence report or a title is too "
                "short). Only an export id (EXP-…) in the leak can name its copy.",
                self.points,
            ) % {"count": self.points, "min": fingerprint.MIN_POINTS}
        if self.outcome == TRACE_UNDECIDED:
            return _(
                "The text does not tell the copies apart (confidence 0), so no recipient is named."
            )
        if self.outcome == TRACE_NO_MATCH:
            return _("No export of your agency matches this text.")
        return ""


def leak_trace_records(records, text: str) -> TraceResult:
    """Name the export `text` (a whole leaked export or a pasted fragment) came from, among
    `records` (already restricted to what the caller may trace).

    The fingerprint names a copy only with a confidence above 0, and only when the text
    carries at least `fingerprint.MIN_POINTS` fingerprint points and that many are observed in
    the best copy. Each record is read with its own fingerprint scheme, so exports made before
    the current scheme are traced by text too. Otherwise an export id found in the text names
    its copy (confidence 1), or no one is named and `note` says why."""
    records = list(records)
    by_id = [r for r in records if r.export_id in text]
    # Each record is scored with the scheme its probes were made with.
    versions = {r.fingerprint_version for r in records} | {fingerprint.CURRENT}
    leaks = {v: fingerprint.SCHEMES[v].read(text) for v in versions}
    points = max(leak.points for leak in leaks.values())
    scores = []
    for r in records:
        leak = leaks[r.fingerprint_version]
        scores.append(fingerprint.score(r.probes, leak.windows, key=r))
    scores.sort(key=lambda s: (s.value, s.matched), reverse=True)
    scores = [s for s in scores if s.observed]
    best = scores[0] if scores else None
    runner = scores[1] if len(scores) > 1 else None
    conf = 0.0
    if best is not None:
        best_points = leaks[best.key.fingerprint_version].points
        if min(best_points, best.observed) >= fingerprint.MIN_POINTS:
            conf = fingerprint.confidence(best, runner, len(scores))
    if conf > 0:
        named, record = best, best.key
    else:
        runner = None
        record = by_id[0] if len(by_id) == 1 else None
        named = next((s for s in scores if s.key is record), None)
        conf = 1.0 if record is not None else 0.0
    shown = named or best
    return TraceResult(
        record=record,
        confidence=conf,
        matched=shown.matched if shown else 0,
        observed=shown.observed if shown else 0,
        by_export_id=record is not None and record in by_id,
        candidates=len(scores),
        runner_up=runner.key if runner is not None else None,
        points=points,
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
        details={"confidence": result.confidence, "outcome": result.outcome, "chars": len(text)},
    )
    return result
