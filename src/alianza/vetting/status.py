"""An officer's vetting status, derived from cases, results, approvals and allegations.

The derivation (`derive_programme_state`, `combine`) is pure; `vetting_statuses` loads the
rows for many officers at once. The access layer calls it to decide `cleared_for_shared`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REQUIRED_APPROVALS = 2


class State(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    VETTED = "vetted"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    DENIED = "denied"
    SUSPENDED = "suspended"


STATE_LABELS = {
    State.NOT_STARTED: _("not started"),
    State.IN_PROGRESS: _("in progress"),
    State.VETTED: _("vetted"),
    State.EXPIRING: _("expiring"),
    State.EXPIRED: _("expired"),
    State.DENIED: _("denied"),
    State.SUSPENDED: _("suspended"),
}
CLEARED_STATES = frozenset({State.VETTED, State.EXPIRING})


@dataclass(frozen=True)
class VettingStatus:
    state: State
    expires_on: dt.date | None = None

    @property
    def cleared(self) -> bool:
        return self.state in CLEARED_STATES

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class CaseFacts:
    """What the derivation needs of one case: latest result per check, approvals."""

    required_checks: frozenset[int]
    results: dict[int, tuple[str, dt.date]]  # check type id -> (result, expires_on)
    approvals: int


def derive_programme_state(
    case: CaseFacts | None, *, today: dt.date, expiring_window_days: int
) -> VettingStatus:
    if case is None:
        return VettingStatus(State.NOT_STARTED)
    if any(result == "fail" for result, _ in case.results.values()):
        return VettingStatus(State.DENIED)
    passed = {check for check, (result, _) in case.results.items() if result == "pass"}
    if not case.required_checks:  # a programme without checks cannot vet anyone
        return VettingStatus(State.IN_PROGRESS)
    if not case.required_checks <= passed or case.approvals < REQUIRED_APPROVALS:
        return VettingStatus(State.IN_PROGRESS)
    expires_on = min(case.results[check][1] for check in case.required_checks)
    if today > expires_on:
        return VettingStatus(State.EXPIRED, expires_on)
    if (expires_on - today).days <= expiring_window_days:
        return VettingStatus(State.EXPIRING, expires_on)
    return VettingStatus(State.VETTED, expires_on)


def combine(states: Iterable[VettingStatus], *, suspended: bool) -> VettingStatus:
    """The officer's status across the programmes that apply to them (worst wins)."""
    states = list(states)
    if suspended:
        return VettingStatus(State.SUSPENDED)
    if not states:
        return VettingStatus(State.NOT_STARTED)
    for blocking in (State.DENIED, State.EXPIRED):
        if any(s.state == blocking for s in states):
            return VettingStatus(
                blocking, min((s.expires_on for s in states if s.expires_on), default=None)
            )
    if all(s.state in CLEARED_STATES for s in states):
        expires_on = min(s.expires_on for s in states)
        state = State.EXPIRING if any(s.state == State.EXPIRING for s in states) else State.VETTED
        return VettingStatus(state, expires_on)
    if all(s.state == State.NOT_STARTED for s in states):
        return VettingStatus(State.NOT_STARTED)
    return VettingStatus(State.IN_PROGRESS)


def vetting_statuses(
    officer_ids: Iterable[int], *, today: dt.date | None = None
) -> dict[int, VettingStatus]:
    """Statuses of many officers in a fixed number of queries (system read, no reader)."""
    return {
        officer_id: combine(per_programme.values(), suspended=suspended)
        for officer_id, (per_programme, suspended) in _programme_states(
            officer_ids, today=today
        ).items()
    }


def vetting_programme_statuses(
    officer_id: int, *, today: dt.date | None = None
) -> dict[int, VettingStatus]:
    """One officer's status under each programme that applies to them (programme id → status):
    which programme expired, was denied or has not started."""
    per_programme, _suspended = _programme_states([officer_id], today=today).get(
        officer_id, ({}, False)
    )
    return per_programme


def _programme_states(
    officer_ids: Iterable[int], *, today: dt.date | None = None
) -> dict[int, tuple[dict[int, VettingStatus], bool]]:
    """Per officer: their status under each programme, and whether they are suspended."""
    from alianza.agencies.models import Officer

    from .models import (
        CaseApproval,
        CheckResult,
        CheckType,
        IntegrityAllegation,
        VettingCase,
        VettingPolicy,
        VettingProgramme,
    )

    today = today or timezone.localdate()
    reason = "derive vetting status"
    officer_ids = list(officer_ids)
    officers = dict(
        Officer.objects.unrestricted(reason=reason)
        .filter(pk__in=officer_ids)
        .values_list("pk", "agency_id")
    )
    policies = {p.agency_id: p for p in VettingPolicy.objects.all()}
    programmes = defaultdict(list)
    for programme in VettingProgramme.objects.filter(active=True):
        programmes[programme.subject_agency_id].append(programme.pk)
    checks = defaultdict(set)
    for check_id, programme_id in CheckType.objects.values_list("pk", "programme_id"):
        checks[programme_id].add(check_id)
    # The latest case per (officer, programme) decides.
    latest: dict[tuple[int, int], int] = {}
    for case_id, officer_id, programme_id in (
        VettingCase.objects.unrestricted(reason=reason)
        .filter(officer_id__in=officer_ids, opened_at__date__lte=today)
        .order_by("opened_at", "id")
        .values_list("pk", "officer_id", "programme_id")
    ):
        latest[(officer_id, programme_id)] = case_id
    case_ids = list(latest.values())
    results: dict[int, dict[int, tuple[str, dt.date]]] = defaultdict(dict)
    for case_id, check_id, result, expires_on in (
        # As of `today`: a result examined later did not exist yet.
        CheckResult.objects.unrestricted(reason=reason)
        .filter(case_id__in=case_ids, examined_on__lte=today)
        .order_by("recorded_at", "id")
        .values_list("case_id", "check_type_id", "result", "expires_on")
    ):
        results[case_id][check_id] = (result, expires_on)  # a later result replaces an earlier
    approvals = defaultdict(int)
    for case_id in (
        CaseApproval.objects.unrestricted(reason=reason)
        .filter(case_id__in=case_ids, approved_at__date__lte=today)
        .values_list("case_id", flat=True)
    ):
        approvals[case_id] += 1
    open_allegations = set(
        IntegrityAllegation.objects.unrestricted(reason=reason)
        .filter(
            officer_id__in=officer_ids,
            status=IntegrityAllegation.Status.OPEN,
            filed_at__date__lte=today,
        )
        .values_list("officer_id", flat=True)
    )
    statuses = {}
    for officer_id, agency_id in officers.items():
        policy = policies.get(agency_id)
        window = policy.expiring_window_days if policy else 90
        suspend = policy.suspend_on_open_allegation if policy else True
        per_programme = {}
        for programme_id in programmes.get(agency_id, []):
            case_id = latest.get((officer_id, programme_id))
            facts = (
                None
                if case_id is None
                else CaseFacts(
                    required_checks=frozenset(checks[programme_id]),
                    results=results.get(case_id, {}),
                    approvals=approvals.get(case_id, 0),
                )
            )
            per_programme[programme_id] = derive_programme_state(
                facts, today=today, expiring_window_days=window
            )
        statuses[officer_id] = (per_programme, suspend and officer_id in open_allegations)
    return statuses


def vetting_status(officer_id: int, *, today: dt.date | None = None) -> VettingStatus:
    return vetting_statuses([officer_id], today=today).get(
        officer_id, VettingStatus(State.NOT_STARTED)
    )
