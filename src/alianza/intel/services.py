"""State changes of intelligence reports."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.models import Compartment, Marking
from alianza.access.querysets import system_access
from alianza.access.rules import reader_for
from alianza.access.services import (
    marking_at_least_as_wide,
    marking_get_or_create,
    marking_with,
)
from alianza.agencies.models import Agency, Officer
from alianza.audit.services import audit_record
from alianza.notifications import services as notification_services

from .models import Report, RequestForInformation, ReshareRequest, Tearline


def handling_contradiction_message() -> str:
    """Why "internal only" is refused on a shared report (form, API and service say the same)."""
    return _(
        "“Internal only” contradicts releasing the report to another agency: choose another "
        "handling, or release it to no other agency."
    )


def _author_for(actor) -> tuple[Officer | None, Agency | None]:
    reader = reader_for(actor)
    if not reader.may_read_anything:
        return None, None
    officer = Officer._base_manager.select_related("agency").get(pk=reader.officer_id)
    return officer, officer.agency


@transaction.atomic
def report_create(
    *,
    actor,
    title: str,
    body: str,
    language: str,
    basis_for_entry: str,
    marking: Marking,
    handling: str | None = None,
    source_reliability: str = "F",
    information_credibility: str = "6",
    agency: Agency | None = None,
) -> Report:
    """Create a report as `actor` (an analyst), or as the system for `agency` when actor is None.

    Without a `handling`, it follows the releasability (Report.handling_default). An analyst
    may not mark a report releasable to another agency "internal only" (a contradiction the
    partner could not act on); system loads keep the handling they are given."""
    if actor is not None:
        if not actor.has_perm("intel.add_report"):
            raise RecordNotFound()
        author, agency = _author_for(actor)
        if author is None:
            raise RecordNotFound()
    else:
        author = None
    if agency is None:
        raise ValidationError({"agency": _("A report needs an originating agency.")})
    if marking.originating_agency_id != agency.pk:
        raise ValidationError(
            {"marking": _("The marking's originating agency must be the report's agency.")}
        )
    shared = marking.releasable_to.exclude(pk=agency.pk).exists()
    if not handling:
        handling = Report.handling_default(shared=shared)
    elif actor is not None and Report.handling_contradicts(handling, shared=shared):
        raise ValidationError({"handling": handling_contradiction_message()})
    report = Report(
        title=title,
        body=body,
        language=language,
        basis_for_entry=basis_for_entry,
        marking=marking,
        handling=handling,
        source_reliability=source_reliability,
        information_credibility=information_credibility,
        agency=agency,
        author=author,
    )
    with system_access(reason="model validation of a new report"):
        report.full_clean()
    report.save()
    if actor is not None and not Report.objects.visible_to(actor).filter(pk=report.pk).exists():
        raise ValidationError({"marking": _("You would not be able to see this report.")})
    audit_record(
        action="report.create", actor=actor, actor_username="" if actor else "system", obj=report
    )
    return report


def _officer_of(actor) -> Officer:
    reader = reader_for(actor)
    if not reader.may_read_anything:
        raise RecordNotFound()
    return Officer._base_manager.select_related("agency").get(pk=reader.officer_id)


def _require_analyst_of(actor, agency_id: int) -> Officer:
    officer = _officer_of(actor)
    if officer.agency_id != agency_id or not actor.has_perm("intel.add_report"):
        raise RecordNotFound()
    return officer


@transaction.atomic
def tearline_create(*, actor, report: Report, title: str, body: str, marking: Marking) -> Tearline:
    """A sanitised version of `report` under a marking at least as wide as the report's."""
    if actor is not None:
        _require_analyst_of(actor, report.agency_id)
        if not Report.objects.visible_to(actor).filter(pk=report.pk).exists():
            raise RecordNotFound()
    if not marking_at_least_as_wide(marking, report.marking):
        raise ValidationError(
            {"marking": _("A tearline's marking must be at least as wide as its report's.")}
        )
    tearline = Tearline(report=report, title=title, body=body, marking=marking)
    with system_access(reason="model validation of a new tearline"):
        tearline.full_clean()
    tearline.save()
    audit_record(
        action="tearline.create",
        actor=actor,
        actor_username="" if actor else "system",
        obj=tearline,
        details={"report": report.pk},
    )
    return tearline


@transaction.atomic
def report_reshare(
    *, actor, report: Report, add_agencies, justification: str = ""
) -> Report | ReshareRequest:
    """Share `report` with more agencies. The originating agency does it directly; another
    agency may only when the handling allows, and needs the originator's approval when the
    report is under originator control (ORCON) or marked 'only with originator approval'."""
    add_agencies = [a for a in add_agencies if a.pk != report.agency_id]
    if not add_agencies:
        raise ValidationError({"add_agencies": _("Choose at least one other agency.")})
    officer = _officer_of(actor)
    if not Report.objects.visible_to(actor).filter(pk=report.pk).exists():
        raise RecordNotFound()
    if officer.agency_id == report.agency_id:
        return _widen(actor, report, add_agencies, via="originator")
    if report.handling == Report.Handling.INTERNAL_ONLY:
        raise ValidationError(
            {"handling": _("This report is for internal use only and cannot be re-shared.")}
        )
    needs_approval = (
        report.marking.originator_control or report.handling == Report.Handling.ORIGINATOR_APPROVAL
    )
    if not needs_approval:
        return _widen(actor, report, add_agencies, via="dissemination")
    if not justification.strip():
        raise ValidationError({"justification": _("Explain why the report should be shared.")})
    request = ReshareRequest.objects.create(
        report=report,
        requested_by=officer,
        justification=justification,
        marking=marking_get_or_create(
            originating_agency=officer.agency, releasable_to=[report.agency]
        ),
    )
    request.add_agencies.set(add_agencies)
    audit_record(
        action="report.reshare_request",
        actor=actor,
        obj=report,
        details={"request": request.pk, "agencies": [a.code for a in add_agencies]},
    )
    return request


def _widen(actor, report: Report, agencies, *, via: str) -> Report:
    old = report.marking.summary
    report.marking = marking_with(report.marking, add_agencies=agencies)
    report.save(update_fields=["marking", "updated_at"])
    audit_record(
        action="report.reshare",
        actor=actor,
        obj=report,
        details={"from": old, "to": report.marking.summary, "via": via},
    )
    return report


def reshare_decide(*, actor, request: ReshareRequest, approve: bool) -> ReshareRequest:
    """The originating agency's analysts decide; approval widens the report's marking.

    Like every action, it starts from the access layer: the request and the report it refers to
    are read as `actor` (a report the actor may not read answers like a missing one, even to an
    analyst of the originating agency), then the role is checked, then the state. The reads
    come before the transaction, so the audit entry of a denied attempt is kept."""
    visible = access_get(actor, ReshareRequest, pk=request.pk)
    report = access_get(actor, Report, pk=visible.report_id)
    officer = _require_analyst_of(actor, report.agency_id)
    with transaction.atomic():
        current = ReshareRequest.objects.visible_to(actor).select_for_update().get(pk=request.pk)
        if current.status != ReshareRequest.Status.PENDING:
            raise ValidationError({"status": _("This request was already decided.")})
        request.status = (
            ReshareRequest.Status.APPROVED if approve else ReshareRequest.Status.REFUSED
        )
        request.decided_by, request.decided_at = officer, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            action="report.reshare_approve" if approve else "report.reshare_refuse",
            actor=actor,
            obj=report,
            details={"request": request.pk},
        )
        if approve:
            _widen(actor, report, list(request.add_agencies.all()), via=f"request {request.pk}")
    return request


@transaction.atomic
def report_translate(
    *, actor, report: Report, title: str, body: str, status: str = Report.TranslationStatus.DRAFT
) -> Report:
    """Record the translation of `report` into the other language (English <-> Spanish), by an
    analyst of either agency who may read the report; the translation keeps the report's
    marking. A reviewed translation may be revised (it becomes a draft again unless the new
    status says reviewed). Audited with the translator and the status, not the text."""
    officer = _officer_of(actor)
    if not actor.has_perm("intel.change_report"):
        raise RecordNotFound()
    if not Report.objects.visible_to(actor).filter(pk=report.pk).exists():
        raise RecordNotFound()
    if status not in (Report.TranslationStatus.DRAFT, Report.TranslationStatus.REVIEWED):
        raise ValidationError(
            {"translation_status": _("A translation is either a draft or reviewed.")}
        )
    title, body = title.strip(), body.strip()
    if not body:
        raise ValidationError({"translated_body": _("Write the translation.")})
    old_status = report.translation_status
    report.translated_title = title[:300]
    report.translated_body = body
    report.translator = officer
    report.translation_status = status
    report.save(
        update_fields=[
            "translated_title",
            "translated_body",
            "translator",
            "translation_status",
            "updated_at",
        ]
    )
    audit_record(
        action="report.translate",
        actor=actor,
        obj=report,
        details={
            "language": report.translation_language,
            "from_status": old_status,
            "status": status,
            "translator": officer.pk,
        },
    )
    return report


@transaction.atomic
def report_revalidate(*, actor, report: Report, review_date: dt.date) -> Report:
    """The owner confirms a report is still justified; it returns to shared views."""
    _require_analyst_of(actor, report.agency_id)
    if review_date <= timezone.localdate():
        raise ValidationError({"review_date": _("The new review date must be in the future.")})
    old = report.marking.summary
    report.marking = marking_with(report.marking, review_date=review_date)
    report.save(update_fields=["marking", "updated_at"])
    audit_record(
        action="report.revalidate",
        actor=actor,
        obj=report,
        details={"from": old, "to": report.marking.summary},
    )
    return report


@transaction.atomic
def rfi_create(
    *,
    actor,
    requested_agency: Agency,
    question: str,
    priority: str,
    due_date: dt.date,
    compartment: Compartment | None = None,
) -> RequestForInformation:
    officer = _officer_of(actor)
    if requested_agency.pk == officer.agency_id:
        raise ValidationError({"requested_agency": _("Ask another agency.")})
    if compartment is not None and compartment.pk not in reader_for(actor).compartment_ids:
        raise ValidationError({"compartment": _("You do not hold this compartment.")})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    rfi = RequestForInformation(
        requesting_agency=officer.agency,
        requested_agency=requested_agency,
        question=question,
        priority=priority,
        due_date=due_date,
        created_by=officer,
        created_at=timezone.now(),
        marking=marking_get_or_create(
            originating_agency=officer.agency,
            releasable_to=[requested_agency],
            compartments=[compartment] if compartment else [],
        ),
    )
    with system_access(reason="model validation of a new RFI"):
        rfi.full_clean()
    rfi.save()
    audit_record(action="rfi.create", actor=actor, obj=rfi)
    return rfi


@transaction.atomic
def rfi_answer(
    *, actor, rfi: RequestForInformation, answer_text: str = "", answer_report: Report | None = None
) -> RequestForInformation:
    officer = _officer_of(actor)
    if officer.agency_id != rfi.requested_agency_id:
        raise RecordNotFound()
    if rfi.status != RequestForInformation.Status.OPEN:
        raise ValidationError({"status": _("Only an open request can be answered.")})
    if not answer_text.strip() and answer_report is None:
        raise ValidationError({"answer_text": _("Answer with text or a report.")})
    if answer_report is not None:
        if not Report.objects.visible_to(actor).filter(pk=answer_report.pk).exists():
            raise RecordNotFound()
        allowed = {answer_report.marking.originating_agency_id} | set(
            answer_report.marking.releasable_to.values_list("pk", flat=True)
        )
        if rfi.requesting_agency_id not in allowed:
            raise ValidationError(
                {
                    "answer_report": _(
                        "The requesting agency may not read this report: re-share it first."
                    )
                }
            )
    rfi.status = RequestForInformation.Status.ANSWERED
    rfi.answered_by, rfi.answered_at = officer, timezone.now()
    rfi.answer_text, rfi.answer_report = answer_text, answer_report
    rfi.save(update_fields=["status", "answered_by", "answered_at", "answer_text", "answer_report"])
    audit_record(
        action="rfi.answer",
        actor=actor,
        obj=rfi,
        details={"report": answer_report.pk if answer_report else None},
    )
    # In this transaction: the asker is told (and their reminders settled) exactly when the
    # answer is stored. The notification names the RFI only; its page checks access again.
    notification_services.rfi_answered_notify(rfi=rfi)
    notification_services.rfi_reminders_settle(rfi=rfi, reason="rfi.answer")
    return rfi


@transaction.atomic
def rfi_set_status(*, actor, rfi: RequestForInformation, status: str) -> RequestForInformation:
    """The requester closes an answered request or cancels an open one."""
    officer = _officer_of(actor)
    if officer.agency_id != rfi.requesting_agency_id:
        raise RecordNotFound()
    allowed = {
        RequestForInformation.Status.CLOSED: RequestForInformation.Status.ANSWERED,
        RequestForInformation.Status.CANCELLED: RequestForInformation.Status.OPEN,
    }
    if allowed.get(status) != rfi.status:
        raise ValidationError({"status": _("This change of status is not allowed.")})
    rfi.status = status
    rfi.save(update_fields=["status"])
    audit_record(action=f"rfi.{status}", actor=actor, obj=rfi)
    if status == RequestForInformation.Status.CANCELLED:
        notification_services.rfi_reminders_settle(rfi=rfi, reason=f"rfi.{status}")
    return rfi
