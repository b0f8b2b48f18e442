"""Reads of the vetting pipeline, always through the access layer.

The partner agency sees an officer's status and its expiry date, never results or notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from alianza.access.rules import reader_for
from alianza.agencies.models import Officer

from .models import CaseApproval, CheckResult, IntegrityAllegation, VettingCase
from .status import VettingStatus, vetting_statuses


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
