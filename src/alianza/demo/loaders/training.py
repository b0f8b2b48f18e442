"""Joint training: the course catalogue, past sessions with their rosters and results (the
ATV course in Nogales among them) and upcoming sessions open for enrolment."""

from __future__ import annotations

import datetime as dt
import decimal

from django.utils import timezone

from alianza.agencies.models import Officer
from alianza.training.models import Course, Enrolment, TrainingSession
from alianza.training.services import (
    enrolment_assess,
    enrolment_create,
    training_catalogue_load,
    training_session_create,
)
from alianza.vetting.status import vetting_statuses

from .base import DemoContext

# (course, days from today to the start, length in days, place, language, capacity, roster size)
SESSIONS = [
    ("HR-100", -300, 2, "Nogales Station, Arizona", "en-es", 80, 70),
    ("JP-101", -240, 5, "Heroica Nogales, Sonora", "en-es", 60, 50),
    ("ATV-200", -120, 3, "Nogales, Sonora — Campo de entrenamiento", "es", 24, 20),
    ("EV-150", -60, 2, "Tucson, Arizona", "en", 30, 22),
    ("JP-101", 21, 5, "Heroica Nogales, Sonora", "en-es", 40, 0),
    ("ATV-200", 45, 3, "Nogales, Sonora — Campo de entrenamiento", "es", 20, 0),
]


def load(ctx: DemoContext) -> None:
    training_catalogue_load()
    if TrainingSession.objects.exists():
        return
    today = timezone.localdate()
    officers = list(
        Officer.objects.unrestricted(reason="demo")
        .filter(active=True)
        .select_related("agency")
        .order_by("badge_number")
    )
    statuses = vetting_statuses([o.pk for o in officers])
    vetted = [o for o in officers if statuses[o.pk].cleared]
    # Demo logins first, so us.agent and mx.agent end up qualified for joint patrols.
    vetted.sort(key=lambda o: (o.user_id is None, o.badge_number))
    instructors = [o for o in vetted if o.agency.code == "USBP"][:3]
    certified: dict[str, set[int]] = {}
    for code, start, length, place, language, capacity, size in ctx.progress(
        SESSIONS, description="training sessions"
    ):
        course = Course.objects.get(code=code)
        starts_on = today + dt.timedelta(days=start)
        session = training_session_create(
            actor=None,
            course=course,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=length - 1),
            place=place,
            language=language,
            capacity=capacity,
            instructors=instructors,
        )
        prerequisites = {p.code for p in course.prerequisites.all()}
        pool = [o for o in vetted if all(o.pk in certified.get(p, set()) for p in prerequisites)]
        if code == "ATV-200":  # the Nogales ATV course was given to the Mexican contingent
            pool = [o for o in pool if o.agency.code == "MXFP"]
        for officer in pool[:size]:
            enrolment_create(actor=None, session=session, officer=officer)
        if start >= 0:
            continue
        for enrolment in Enrolment.objects.unrestricted(reason="demo").filter(session=session):
            demo_login = enrolment.officer.user_id is not None
            attended = demo_login or ctx.rng.random() < 0.95
            score = decimal.Decimal(ctx.rng.randint(62, 99)) if attended else None
            passed = attended and (demo_login or score >= 70)
            enrolment_assess(
                actor=None, enrolment=enrolment, attended=attended, score=score, passed=passed
            )
            if passed:
                certified.setdefault(code, set()).add(enrolment.officer_id)
