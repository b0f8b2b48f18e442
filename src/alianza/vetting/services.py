"""State changes of the vetting pipeline. Each writes its rows and audit entry in one
transaction; the officer's status is never written, only derived (status.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from alianza.access.getters import RecordNotFound
from alianza.access.rules import reader_for
from alianza.agencies.models import Agency, Officer
from alianza.agencies.roles import INTEGRITY_OFFICER, VETTING_OFFICER
from alianza.audit.services import audit_record

from .models import (
    CaseApproval,
    CheckResult,
    CheckType,
    IntegrityAllegation,
    VettingCase,
    VettingPolicy,
    VettingProgramme,
)
from .status import vetting_status

PROGRAMMES_FILE = Path(__file__).resolve().parent / "data" / "programmes.json"

# Sent inside the suspending transaction (kwargs: officer, actor, allegation), so what other
# apps undo for a suspended officer (patrol assignments) commits or rolls back with it.
officer_suspended = Signal()


def _require_role_in_agency(actor, officer: Officer, role: str) -> None:
    """`actor` None is the system (commands, the demo loader)."""
    if actor is None:
        return
    reader = reader_for(actor)
    if not (reader.has_role(role) and reader.agency_id == officer.agency_id):
        raise RecordNotFound()


def _audit(action: str, actor, obj, **details) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_username="" if actor else "system",
        obj=obj,
        details=details,
    )


@transaction.atomic
def vetting_programmes_load(*, path: Path = PROGRAMMES_FILE) -> list[VettingProgramme]:
    """Create or update the programmes described in a JSON file (data, not code).

    Programmes whose agencies do not exist yet are skipped, so the file can describe
    programmes of agencies that a deployment does not have.
    """
    loaded = []
    for spec in json.loads(path.read_text(encoding="utf-8"))["programmes"]:
        agencies = {
            a.code: a
            for a in Agency.objects.filter(code__in=[spec["owner_agency"], spec["subject_agency"]])
        }
        if spec["owner_agency"] not in agencies or spec["subject_agency"] not in agencies:
            continue
        programme, _created = VettingProgramme.objects.update_or_create(
            code=spec["code"],
            defaults=dict(
                name_en=spec["name_en"],
                name_es=spec["name_es"],
                owner_agency=agencies[spec["owner_agency"]],
                subject_agency=agencies[spec["subject_agency"]],
                validity_days=spec["validity_days"],
            ),
        )
        for position, check in enumerate(spec["checks"]):
            CheckType.objects.update_or_create(
                programme=programme,
                code=check["code"],
                defaults=dict(
                    name_en=check["name_en"],
                    name_es=check["name_es"],
                    validity_days=check.get("validity_days"),
                    position=position,
                ),
            )
        audit_record(
            action="vetting_programme.load",
            actor_username="system",
            object_type="vetting.vettingprogramme",
            object_id=str(programme.pk),
        )
        loaded.append(programme)
    for agency in Agency.objects.all():
        VettingPolicy.objects.get_or_create(agency=agency)
    return loaded


@transaction.atomic
def vetting_case_open(*, actor, officer: Officer, programme: VettingProgramme) -> VettingCase:
    _require_role_in_agency(actor, officer, VETTING_OFFICER)
    if programme.subject_agency_id != officer.agency_id:
        raise ValidationError({"programme": _("This programme does not apply to this officer.")})
    case = VettingCase.objects.create(
        officer=officer, programme=programme, opened_at=timezone.now()
    )
    _audit("vetting_case.open", actor, officer, case=case.pk, programme=programme.code)
    return case


@transaction.atomic
def check_result_record(
    *,
    actor,
    case: VettingCase,
    check_type: CheckType,
    result: str,
    examiner: str,
    examined_on: dt.date,
    expires_on: dt.date | None = None,
    notes: str = "",
) -> CheckResult:
    _require_role_in_agency(actor, case.officer, VETTING_OFFICER)
    if check_type.programme_id != case.programme_id:
        raise ValidationError({"check_type": _("This check is not part of the case's programme.")})
    if result not in CheckResult.Result.values:
        raise ValidationError({"result": _("Unknown result.")})
    if examined_on > timezone.localdate():
        raise ValidationError({"examined_on": _("The date cannot be in the future.")})
    validity = check_type.validity_days or case.programme.validity_days
    expires_on = expires_on or examined_on + dt.timedelta(days=validity)
    if expires_on <= examined_on:
        raise ValidationError({"expires_on": _("The expiry must follow the examination.")})
    row = CheckResult.objects.create(
        case=case,
        check_type=check_type,
        result=result,
        examiner=examiner,
        examined_on=examined_on,
        expires_on=expires_on,
        notes=notes,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    # The notes are restricted: the audit says that a result was recorded, not what it says.
    _audit("vetting_check.record", actor, case.officer, case=case.pk, check=check_type.code)
    return row


@transaction.atomic
def vetting_case_approve(*, actor, case: VettingCase) -> CaseApproval:
    """One of the two approvals a case needs: two different vetting officers of the
    officer's agency, neither of them the subject."""
    _require_role_in_agency(actor, case.officer, VETTING_OFFICER)
    if actor is None:
        raise ValidationError({"approver": _("Approval needs a person, not the system.")})
    approver = Officer.objects.unrestricted(reason="the approver's own record").get(
        pk=reader_for(actor).officer_id
    )
    if approver.pk == case.officer_id:
        raise ValidationError({"approver": _("Officers cannot approve their own vetting.")})
    if (
        CaseApproval.objects.unrestricted(reason="two-person rule")
        .filter(case=case, approver=approver)
        .exists()
    ):
        raise ValidationError(
            {"approver": _("The second approval must come from a different vetting officer.")}
        )
    required = set(case.programme.check_types.values_list("pk", flat=True))
    latest = {}
    for check_id, result in (
        CheckResult.objects.unrestricted(reason="approval precondition")
        .filter(case=case)
        .order_by("recorded_at", "id")
        .values_list("check_type_id", "result")
    ):
        latest[check_id] = result
    if not required or any(latest.get(check) != "pass" for check in required):
        raise ValidationError({"case": _("Every required check must have passed first.")})
    approval = CaseApproval.objects.create(case=case, approver=approver, approved_at=timezone.now())
    count = CaseApproval.objects.unrestricted(reason="two-person rule").filter(case=case).count()
    _audit("vetting_case.approve", actor, case.officer, case=case.pk, approvals=count)
    return approval


@transaction.atomic
def allegation_file(*, actor, officer: Officer, summary: str) -> IntegrityAllegation:
    """Anyone may file against an officer they can name (their own agency's, or any officer
    of the task-force directory); it goes to the integrity officers of the officer's agency,
    and the filer cannot read it afterwards."""
    if actor is not None:
        from .selectors import allegation_subjects

        if not allegation_subjects(reader=actor).filter(pk=officer.pk).exists():
            raise RecordNotFound()
    if not summary.strip():
        raise ValidationError({"summary": _("Describe the allegation.")})
    allegation = IntegrityAllegation.objects.create(
        officer=officer, filed_by=actor, filed_at=timezone.now(), summary=summary
    )
    _audit("allegation.file", actor, officer, allegation=allegation.pk)
    policy = VettingPolicy.objects.filter(agency_id=officer.agency_id).first()
    if policy is None or policy.suspend_on_open_allegation:
        _audit("officer.suspend", actor, officer, allegation=allegation.pk)
        officer_suspended.send(
            sender=IntegrityAllegation, officer=officer, actor=actor, allegation=allegation
        )
    return allegation


@transaction.atomic
def allegation_close(
    *, actor, allegation: IntegrityAllegation, substantiated: bool, resolution: str
) -> IntegrityAllegation:
    _require_role_in_agency(actor, allegation.officer, INTEGRITY_OFFICER)
    if allegation.status != IntegrityAllegation.Status.OPEN:
        raise ValidationError({"status": _("This allegation is already closed.")})
    allegation.status = (
        IntegrityAllegation.Status.SUBSTANTIATED
        if substantiated
        else IntegrityAllegation.Status.UNSUBSTANTIATED
    )
    allegation.closed_by = actor
    allegation.closed_at = timezone.now()
    allegation.resolution = resolution
    allegation.save(update_fields=["status", "closed_by", "closed_at", "resolution"])
    _audit(
        "allegation.close",
        actor,
        allegation.officer,
        allegation=allegation.pk,
        status=allegation.status,
    )
    if vetting_status(allegation.officer_id).state != "suspended":
        _audit("officer.reinstate", actor, allegation.officer, allegation=allegation.pk)
    return allegation
