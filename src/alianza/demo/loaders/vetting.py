"""A realistic vetting pipeline: most U.S. agents vetted; the Mexican contingent at several
stages, some expiring soon, one suspended on an allegation. Demo logins are all vetted."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alianza.agencies.models import Officer
from alianza.vetting.models import CaseApproval, VettingCase, VettingProgramme
from alianza.vetting.services import (
    allegation_file,
    check_result_record,
    vetting_case_approve,
    vetting_case_open,
    vetting_programmes_load,
)

from .base import DemoContext


def load(ctx: DemoContext) -> None:
    vetting_programmes_load()
    if VettingCase.objects.unrestricted(reason="demo idempotence check").exists():
        return
    today = timezone.localdate()
    for agency_code, prefix in (("USBP", "us"), ("MXFP", "mx")):
        approvers = [_user(f"{prefix}.vetting"), _user(f"{prefix}.admin")]
        _add_vetting_role(approvers[1])
        officers = list(
            Officer.objects.unrestricted(reason="demo")
            .filter(agency__code=agency_code)
            .select_related("user")
            .order_by("badge_number")
        )
        programmes = list(VettingProgramme.objects.filter(subject_agency__code=agency_code))
        for officer in ctx.progress(officers, description=f"vetting {agency_code}"):
            is_demo_login = officer.user_id is not None
            draw = ctx.rng.random()
            if agency_code == "USBP":
                stage = "vetted" if is_demo_login or draw < 0.92 else "in_progress"
            elif is_demo_login:
                stage = "vetted"
            else:  # the contingent moves through the pipeline
                stage = (
                    "not_started"
                    if draw < 0.25
                    else "in_progress"
                    if draw < 0.45
                    else "expiring"
                    if draw < 0.55
                    else "denied"
                    if draw < 0.58
                    else "vetted"
                )
            if stage == "not_started":
                continue
            for programme in programmes:
                approver_pair = [a for a in approvers if a.officer.pk != officer.pk]
                if len(approver_pair) < 2:  # the approvers themselves: approved by the other two
                    approver_pair = [
                        a
                        for a in approvers + [_user(f"{prefix}.integrity")]
                        if a.officer.pk != officer.pk
                    ][:2]
                    _add_vetting_role(approver_pair[-1])
                _vet(ctx, officer, programme, stage=stage, today=today, approvers=approver_pair)
    # One Mexican officer suspended on an allegation, as in the programme's history.
    suspect = (
        Officer.objects.unrestricted(reason="demo")
        .filter(agency__code="MXFP", user__isnull=True)
        .order_by("badge_number")[7]
    )
    allegation_file(
        actor=_user("mx.supervisor"),
        officer=suspect,
        summary="Reported meeting a known halcón near Sásabe while off duty.",
    )


def _user(username):
    return (
        Officer.objects.unrestricted(reason="demo")
        .select_related("user")
        .get(user__username=username)
        .user
    )


def _add_vetting_role(user):
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name="vetting_officer"))
    from alianza.access.rules import forget_reader

    forget_reader(user)


def _vet(ctx, officer, programme, *, stage, today, approvers):
    opened = today - dt.timedelta(days=ctx.rng.randint(40, 400))
    case = vetting_case_open(actor=approvers[0], officer=officer, programme=programme)
    VettingCase.objects.unrestricted(reason="demo back-dating").filter(pk=case.pk).update(
        opened_at=timezone.make_aware(dt.datetime.combine(opened, dt.time(15)))
    )
    checks = list(programme.check_types.all())
    if stage == "in_progress":
        checks = checks[: ctx.rng.randint(0, max(0, len(checks) - 1))]
    for index, check in enumerate(checks):
        examined = opened + dt.timedelta(days=index * 3)
        expires = None
        if stage == "expiring":
            expires = today + dt.timedelta(days=ctx.rng.randint(10, 80))
        result = "fail" if stage == "denied" and index == len(checks) - 1 else "pass"
        check_result_record(
            actor=approvers[0],
            case=case,
            check_type=check,
            result=result,
            examiner=ctx.rng.choice(["Lic. Ortega", "Dr. Salas", "M. Quiroz", "J. Whitfield"]),
            examined_on=min(examined, today),
            expires_on=expires,
            notes="Sin observaciones." if result == "pass" else "Resultado no apto.",
        )
    if stage in ("vetted", "expiring"):
        approved_on = min(opened + dt.timedelta(days=3 * len(checks) + 2), today)
        for approver in approvers:
            approval = vetting_case_approve(actor=approver, case=case)
            # Back-dated to just after the last check, so readiness history is realistic.
            CaseApproval.objects.unrestricted(reason="demo back-dating").filter(
                pk=approval.pk
            ).update(approved_at=timezone.make_aware(dt.datetime.combine(approved_on, dt.time(16))))
