"""A realistic vetting pipeline: most U.S. agents vetted; the Mexican contingent at several
stages, some expiring soon, one suspended on an allegation. Demo logins are all vetted.

Dates are relative to `ctx.today`. A "vetted" officer's checks were examined recently enough
that every programme's validity (vetting/data/programmes.json: the Leahy check lasts 365 days)
runs past the agency's expiring window, so a fresh demo's vetted officers are current (not
expired, not yet expiring) whatever the day it is loaded.
"""

from __future__ import annotations

import datetime as dt

from alianza.agencies.models import Officer
from alianza.vetting.models import CaseApproval, VettingCase, VettingPolicy, VettingProgramme
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
    today = ctx.today
    for agency_code, prefix in (("USBP", "us"), ("MXFP", "mx")):
        approvers = [_user(f"{prefix}.vetting"), _user(f"{prefix}.admin")]
        _add_vetting_role(approvers[1])
        officers = list(
            Officer.objects.unrestricted(reason="demo")
            .filter(agency__code=agency_code)
            .select_related("user")
            .order_by("badge_number")
        )
        programmes = list(
            VettingProgramme.objects.filter(subject_agency__code=agency_code, active=True)
            .prefetch_related("check_types")
            .order_by("code")
        )
        policy = VettingPolicy.objects.filter(agency__code=agency_code).first()
        window = policy.expiring_window_days if policy else 90
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
                _vet(
                    ctx,
                    officer,
                    programme,
                    stage=stage,
                    today=today,
                    window=window,
                    approvers=approver_pair,
                    english=agency_code == "USBP",
                )
    # One Mexican officer suspended on an allegation, as in the programme's history.
    suspect = (
        Officer.objects.unrestricted(reason="demo")
        .filter(agency__code="MXFP", user__isnull=True)
        .order_by("badge_number")[7]
    )
    allegation_file(
        actor=_user("mx.supervisor"),
        officer=suspect,
        summary="Se le reportó reunido con un halcón conocido cerca de Sásabe, fuera de servicio.",
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


# The oldest a vetted officer's case is opened (days before today), and the margin kept between
# the checks' expiry and the start of the expiring window.
OLDEST_CASE_DAYS = 400
MARGIN_DAYS = 15


def _vet(ctx, officer, programme, *, stage, today, window, approvers, english):
    checks = list(programme.check_types.all())
    validity = min([c.validity_days for c in checks if c.validity_days] + [programme.validity_days])
    # Vetted: the last check examined at opened + 3 × (checks - 1) days must still be valid
    # beyond the expiring window (else the officer would show as expiring or expired).
    oldest = min(OLDEST_CASE_DAYS, validity - window - MARGIN_DAYS + 3 * (len(checks) - 1))
    if stage != "vetted":
        oldest = OLDEST_CASE_DAYS
    opened = today - dt.timedelta(days=ctx.rng.randint(min(40, oldest), oldest))
    case = vetting_case_open(actor=approvers[0], officer=officer, programme=programme)
    VettingCase.objects.unrestricted(reason="demo back-dating").filter(pk=case.pk).update(
        opened_at=ctx.local(opened, dt.time(15))
    )
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
            notes=(
                ("No findings." if result == "pass" else "Not suitable.")
                if english
                else ("Sin observaciones." if result == "pass" else "Resultado no apto.")
            ),
        )
    if stage in ("vetted", "expiring"):
        approved_on = min(opened + dt.timedelta(days=3 * len(checks) + 2), today)
        for approver in approvers:
            approval = vetting_case_approve(actor=approver, case=case)
            # Back-dated to just after the last check, so readiness history is realistic.
            CaseApproval.objects.unrestricted(reason="demo back-dating").filter(
                pk=approval.pk
            ).update(approved_at=ctx.local(approved_on, dt.time(16)))
