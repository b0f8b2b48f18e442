"""State changes of joint training. Each writes its rows and audit entry in one transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alianza.access.getters import RecordNotFound
from alianza.access.querysets import system_access
from alianza.access.rules import reader_for
from alianza.agencies.models import Officer
from alianza.agencies.roles import TRAINING_COORDINATOR
from alianza.audit.services import audit_record

from .eligibility import enrolment_eligibility
from .models import Certification, Course, Enrolment, Qualification, TrainingSession

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"


@transaction.atomic
def training_catalogue_load(*, path: Path = CATALOGUE_FILE) -> list[Course]:
    """Create or update qualifications and courses from a JSON file (data, not code)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for spec in data["qualifications"]:
        Qualification.objects.update_or_create(code=spec["code"], defaults=spec)
    courses = []
    for spec in data["courses"]:
        spec = dict(spec)
        prerequisites, grants = spec.pop("prerequisites", []), spec.pop("grants", [])
        course, _created = Course.objects.update_or_create(code=spec["code"], defaults=spec)
        course.grants.set(Qualification.objects.filter(code__in=grants))
        course.prerequisites.set(Course.objects.filter(code__in=prerequisites))
        courses.append(course)
    audit_record(
        action="training_catalogue.load",
        actor_username="system",
        details={"courses": [c.code for c in courses]},
    )
    return courses


def _require_coordinator(actor) -> None:
    if actor is not None and not reader_for(actor).has_role(TRAINING_COORDINATOR):
        raise RecordNotFound()


def _audit(action, actor, obj=None, **details):
    audit_record(
        action=action,
        actor=actor,
        actor_username="" if actor else "system",
        obj=obj,
        details=details,
    )


@transaction.atomic
def training_session_create(
    *,
    actor,
    course: Course,
    starts_on: dt.date,
    ends_on: dt.date,
    place: str,
    language: str,
    capacity: int,
    instructors=(),
) -> TrainingSession:
    _require_coordinator(actor)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The session cannot end before it starts.")})
    if capacity < 1:
        raise ValidationError({"capacity": _("The capacity must be at least one.")})
    session = TrainingSession(
        course=course,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        language=language,
        capacity=capacity,
    )
    session.full_clean()
    session.save()
    with system_access(reason="Django's M2M set() reads the current instructors"):
        session.instructors.set(instructors)
    _audit("training_session.create", actor, session, course=course.code)
    return session


@transaction.atomic
def enrolment_create(*, actor, session: TrainingSession, officer: Officer) -> Enrolment:
    """Enrol an eligible officer; an ineligible one is refused with the reasons."""
    _require_coordinator(actor)
    if actor is not None and reader_for(actor).agency_id != officer.agency_id:
        # Each agency's coordinator enrols their own officers in joint sessions.
        raise RecordNotFound()
    # Lock the session row so two coordinators cannot both take the last place.
    TrainingSession.objects.select_for_update().get(pk=session.pk)
    verdict = enrolment_eligibility(officer, session, backfill=actor is None)
    if not verdict.eligible:
        raise ValidationError({"officer": list(verdict.reasons)})
    enrolment = Enrolment.objects.create(
        session=session, officer=officer, enrolled_at=timezone.now()
    )
    _audit("enrolment.create", actor, officer, session=session.pk)
    return enrolment


@transaction.atomic
def enrolment_assess(
    *, actor, enrolment: Enrolment, attended: bool, score: decimal.Decimal | None, passed: bool
) -> Enrolment:
    """Record attendance and assessment; passing issues the course's certification."""
    _require_coordinator(actor)
    if actor is not None and reader_for(actor).agency_id != enrolment.officer.agency_id:
        raise RecordNotFound()
    if passed and not attended:
        raise ValidationError({"passed": _("An officer who did not attend cannot pass.")})
    if score is not None and not (0 <= score <= 100):
        raise ValidationError({"score": _("The score must be between 0 and 100.")})
    enrolment.attended, enrolment.score, enrolment.passed = attended, score, passed
    enrolment.assessed_at = timezone.now()
    enrolment.save(update_fields=["attended", "score", "passed", "assessed_at"])
    _audit(
        "enrolment.assess",
        actor,
        enrolment.officer,
        session=enrolment.session_id,
        attended=attended,
        passed=passed,
    )
    if passed:
        session = enrolment.session
        validity = session.course.validity_days
        certification = Certification.objects.create(
            officer=enrolment.officer,
            course=session.course,
            session=session,
            issued_on=session.ends_on,
            expires_on=session.ends_on + dt.timedelta(days=validity) if validity else None,
        )
        _audit(
            "certification.issue",
            actor,
            enrolment.officer,
            course=session.course.code,
            certification=certification.pk,
        )
    return enrolment
