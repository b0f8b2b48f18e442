"""Reads of joint training, through the access layer."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from alianza.access.rules import reader_for
from alianza.agencies.models import Officer

from .eligibility import Eligibility, enrolment_eligibility
from .models import Course, Enrolment, TrainingSession


def course_list() -> QuerySet[Course]:
    return Course.objects.prefetch_related("grants", "prerequisites")


def session_list() -> QuerySet[TrainingSession]:
    # The schedule and the places taken are shared by both agencies: coordinators of each
    # need the capacity left. Who holds the places is not shown here.
    return TrainingSession.objects.select_related("course").annotate(taken=Count("enrolments"))


def session_roster(*, reader, session: TrainingSession) -> QuerySet[Enrolment]:
    """The enrolments of `session` the reader may see (their own agency's, by role)."""
    return (
        Enrolment.objects.visible_to(reader)
        .filter(session=session)
        .select_related("officer", "officer__unit")
        .order_by("officer__family_name")
    )


def enrolment_candidates(
    *, reader, session: TrainingSession, search: str = "", limit: int = 40
) -> list[tuple[Officer, Eligibility]]:
    """Own-agency officers with the verdict (and reasons) of enrolling them in `session`."""
    reader = reader_for(reader)
    officers = Officer.objects.visible_to(reader).filter(active=True).order_by("family_name")
    if search:
        officers = officers.filter(family_name__icontains=search)
    return [(officer, enrolment_eligibility(officer, session)) for officer in officers[:limit]]
