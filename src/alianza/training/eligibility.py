"""Who may enrol in a session, and who may join a joint patrol: one function each.

System reads (no reader): they decide on behalf of the pipeline, and their callers show
only the verdict and its reasons.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from alianza.agencies.models import Officer
from alianza.vetting.status import vetting_statuses

from .models import Certification, Course, Enrolment, TrainingSession

REASON = "decide training and patrol eligibility"


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)


def current_certifications(
    officer_ids: Iterable[int], *, today: dt.date | None = None
) -> dict[int, set[int]]:
    """Course ids each officer holds a current (unexpired) certification for."""
    today = today or timezone.localdate()
    held: dict[int, set[int]] = defaultdict(set)
    for officer_id, course_id, expires_on in (
        Certification.objects.unrestricted(reason=REASON)
        .filter(officer_id__in=list(officer_ids), issued_on__lte=today)
        .values_list("officer_id", "course_id", "expires_on")
    ):
        if expires_on is None or expires_on >= today:
            held[officer_id].add(course_id)
    return held


def current_qualifications(
    officer_ids: Iterable[int], *, today: dt.date | None = None
) -> dict[int, set[str]]:
    officer_ids = list(officer_ids)
    courses = current_certifications(officer_ids, today=today)
    grants: dict[int, set[str]] = defaultdict(set)
    for course_id, code in Course.grants.through.objects.values_list(
        "course_id", "qualification__code"
    ):
        grants[course_id].add(code)
    return {oid: set().union(*(grants[c] for c in courses.get(oid, set()))) for oid in officer_ids}


def enrolment_eligibility(
    officer: Officer,
    session: TrainingSession,
    *,
    today: dt.date | None = None,
    backfill: bool = False,
) -> Eligibility:
    """`backfill`: recording a past session's roster (system imports), so no start check."""
    today = today or timezone.localdate()
    reasons = []
    if not officer.active:
        reasons.append(_("The officer is not active."))
    if session.starts_on < today and not backfill:
        reasons.append(_("The session has already started."))
    course = session.course
    if course.requires_vetted:
        status = vetting_statuses([officer.pk], today=today)[officer.pk]
        if not status.cleared:
            reasons.append(
                _("The course requires a vetted status (now: %(status)s).")
                % {"status": status.label}
            )
    held = current_certifications([officer.pk], today=today).get(officer.pk, set())
    for prerequisite in course.prerequisites.all():
        if prerequisite.pk not in held:
            reasons.append(_("Missing prerequisite: %(course)s.") % {"course": prerequisite})
    enrolments = Enrolment.objects.unrestricted(reason=REASON).filter(session=session)
    if enrolments.filter(officer=officer).exists():
        reasons.append(_("Already enrolled."))
    elif enrolments.count() >= session.capacity:
        reasons.append(
            _("The session is full (%(capacity)s places).") % {"capacity": session.capacity}
        )
    return Eligibility(not reasons, tuple(reasons))


def patrol_eligibility(
    officers: Iterable[Officer],
    *,
    required_qualifications: Iterable[str],
    today: dt.date | None = None,
) -> dict[int, Eligibility]:
    """THE rule for joint patrol assignments: active, vetted and holding every qualification
    the patrol type requires. Batched: the planner checks whole rosters at once."""
    officers = list(officers)
    required = set(required_qualifications)
    ids = [o.pk for o in officers]
    statuses = vetting_statuses(ids, today=today)
    qualifications = current_qualifications(ids, today=today)
    verdicts = {}
    for officer in officers:
        reasons = []
        if not officer.active:
            reasons.append(_("The officer is not active."))
        status = statuses.get(officer.pk)
        if status is None or not status.cleared:
            reasons.append(
                _("Not vetted (status: %(status)s).") % {"status": status.label if status else "—"}
            )
        missing = sorted(required - qualifications.get(officer.pk, set()))
        if missing:
            reasons.append(_("Missing qualifications: %(codes)s.") % {"codes": ", ".join(missing)})
        verdicts[officer.pk] = Eligibility(not reasons, tuple(reasons))
    return verdicts
