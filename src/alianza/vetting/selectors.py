"""Reads of the vetting pipeline, always through the access layer.

The partner agency sees an officer's status and its expiry date, never results or notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alianza.access.rules import reader_for
from alianza.agencies.models import Officer

from .models import CaseApproval, CheckResult, IntegrityAllegation, VettingCase, VettingProgramme
from .status import (
    State,
    VettingStatus,
    vetting_programme_statuses,
    vetting_status,
    vetting_statuses,
)


@dataclass(frozen=True)
class RosterRow:
    officer_id: int
    name: str
    badge_number: str
    agency_code: str
    unit: str
    own_agency: bool
    status: VettingStatus


def vetting_roster(*, reader, agency_code: str = "", state: str = "") -> list[RosterRow]:
    reader = reader_for(reader)
    officers = (
        Officer.objects.directory_for(reader)
        .select_related("agency", "unit")
        .order_by("agency__code", "family_name")
    )
    if agency_code:
        officers = officers.filter(agency__code=agency_code)
    officers = list(officers)
    statuses = vetting_statuses([o.pk for o in officers])
    rows = [
        RosterRow(
            officer_id=o.pk,
            name=o.full_name,
            badge_number=o.badge_number,
            agency_code=o.agency.code,
            unit=o.unit.name if o.unit else "",
            own_agency=o.agency_id == reader.agency_id,
            status=statuses[o.pk],
        )
        for o in officers
    ]
    if state:
        rows = [row for row in rows if row.status.state == state]
    return rows


@dataclass
class CaseView:
    case: VettingCase
    results: list
    approvals: list


def vetting_case_list(*, reader, officer_id: int) -> list[CaseView]:
    """Cases of one officer with their results and approvals, each read through the access
    layer (a related manager would bypass it)."""
    cases = list(
        VettingCase.objects.visible_to(reader)
        .filter(officer_id=officer_id)
        .select_related("programme")
    )
    ids = [case.pk for case in cases]
    results, approvals = {}, {}
    for row in (
        CheckResult.objects.visible_to(reader)
        .filter(case_id__in=ids)
        .select_related("check_type")
        .order_by("check_type__position", "recorded_at")
    ):
        results.setdefault(row.case_id, []).append(row)
    for row in (
        CaseApproval.objects.visible_to(reader).filter(case_id__in=ids).select_related("approver")
    ):
        approvals.setdefault(row.case_id, []).append(row)
    return [CaseView(case, results.get(case.pk, []), approvals.get(case.pk, [])) for case in cases]


def allegation_subjects(*, reader) -> QuerySet[Officer]:
    """Whom a reader may file an allegation against: the task-force directory when they are
    cleared for shared data, otherwise their own agency's officers."""
    reader = reader_for(reader)
    if reader.cleared_for_shared:
        return Officer.objects.directory_for(reader)
    return Officer.objects.visible_to(reader)


def allegation_list(*, reader, status: str = "") -> QuerySet[IntegrityAllegation]:
    queryset = IntegrityAllegation.objects.visible_to(reader).select_related("officer")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def _programme_names(programme_ids) -> str:
    spanish = (get_language() or "en").startswith("es")
    names = [
        programme.name_es if spanish else programme.name_en
        for programme in VettingProgramme.objects.filter(pk__in=list(programme_ids))
    ]
    return ", ".join(names)


def shared_access_notice(reader) -> str:
    """Why a reader who is not cleared for shared records cannot see them, from their vetting
    status alone: which programme expired (and when), was denied or is missing; a suspension
    says only that it is pending review, never what the allegation is. Empty when cleared."""
    if not reader.may_read_anything or reader.cleared_for_shared:
        return ""
    status = vetting_status(reader.officer_id)
    if status.state == State.SUSPENDED:
        return _(
            "You cannot see records shared by the partner agency: your access is suspended "
            "pending review. Contact your vetting officer."
        )
    per_programme = vetting_programme_statuses(reader.officer_id)
    if not per_programme:
        return _(
            "You cannot see records shared by the partner agency: no vetting programme is set "
            "up for your agency. Contact your agency administrator."
        )
    # The programmes that block: those in the officer's (worst) state, else those not cleared.
    blocking = [pk for pk, programme in per_programme.items() if programme.state == status.state]
    blocking = blocking or [pk for pk, programme in per_programme.items() if not programme.cleared]
    values = {
        "programme": _programme_names(blocking),
        "date": date_format(status.expires_on, "DATE_FORMAT") if status.expires_on else "",
    }
    if status.state == State.EXPIRED:
        return (
            _(
                "You cannot see records shared by the partner agency: your vetting "
                "(%(programme)s) expired on %(date)s. Contact your vetting officer."
            )
            % values
        )
    if status.state == State.DENIED:
        return (
            _(
                "You cannot see records shared by the partner agency: your vetting "
                "(%(programme)s) was not approved. Contact your vetting officer."
            )
            % values
        )
    if status.state == State.IN_PROGRESS:
        return (
            _(
                "You cannot see records shared by the partner agency until your vetting "
                "(%(programme)s) is complete. Contact your vetting officer."
            )
            % values
        )
    return (
        _(
            "You cannot see records shared by the partner agency: you have not been vetted "
            "(%(programme)s). Contact your vetting officer."
        )
        % values
    )
