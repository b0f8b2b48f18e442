"""Joint training: the course catalogue, past sessions with their rosters and results (the
ATV course in Nogales among them) and upcoming sessions open for enrolment.

Who is trained for what follows the roles: only patrol officers (line officers, patrol agents
and supervisors: `people.patrol_officers`) take the joint-patrol course, so the planner crews
them and never an analyst, an integrity officer or an administrator. 70% of each side's vetted
patrol officers take HR-100, all who pass it take JP-101, so about 40% of them (a third of the
U.S. officers, a fifth of the Mexican contingent, half of whom are vetted) hold a current
joint-patrol qualification, trained in cohorts of at most a session's capacity; the demo's
patrol logins (us.agent, mx.agent and the supervisors) are always among them. Dates are
relative to `ctx.today` and within every course's validity (training/data/catalogue.json).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from dataclasses import dataclass

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
from .people import patrol_officers

NOGALES_STATION = "Nogales Station, Arizona"
HEROICA_NOGALES = "Heroica Nogales, Sonora"
ATV_FIELD = "Nogales, Sonora — Campo de entrenamiento"


@dataclass(frozen=True)
class Session:
    course: str
    start: int  # days from today to the (first cohort's) start
    length: int  # days
    place: str
    language: str
    capacity: int
    audience: str  # "everyone": every vetted officer; "patrol": patrol officers only
    share: float  # of the audience of each side enrolled (demo logins in the audience first)
    agencies: tuple[str, ...] = ("USBP", "MXFP")
    minimum: int = 6  # below this many, a side's whole audience is enrolled (small --scale)


# Past sessions are given in cohorts 14 days apart when the roster exceeds the capacity; the
# oldest (HR-100) stays inside its 730-day validity, so every certificate below is current.
SESSIONS = [
    Session("HR-100", -330, 2, NOGALES_STATION, "en-es", 80, "everyone", 0.7),
    Session("JP-101", -240, 5, HEROICA_NOGALES, "en-es", 60, "patrol", 1.0),
    Session("ATV-200", -120, 3, ATV_FIELD, "es", 24, "patrol", 0.3, ("MXFP",), minimum=0),
    Session("EV-150", -60, 2, "Tucson, Arizona", "en", 30, "everyone", 0.1),
    Session("JP-101", 21, 5, HEROICA_NOGALES, "en-es", 40, "patrol", 0.0),
    Session("ATV-200", 45, 3, ATV_FIELD, "es", 20, "patrol", 0.0, ("MXFP",)),
]
COHORT_GAP_DAYS = 14


def load(ctx: DemoContext) -> None:
    training_catalogue_load()
    if TrainingSession.objects.exists():
        return
    today = ctx.today
    officers = list(
        Officer.objects.unrestricted(reason="demo")
        .filter(active=True)
        .select_related("agency")
        .order_by("agency__code", "badge_number")
    )
    statuses = vetting_statuses([o.pk for o in officers], today=today)
    vetted = [o for o in officers if statuses[o.pk].cleared]
    # Demo logins first, so us.agent and mx.agent end up qualified for joint patrols.
    vetted.sort(key=lambda o: (o.user_id is None, o.badge_number))
    patrol = {o.pk for o in patrol_officers(vetted)}
    instructors = [o for o in vetted if o.agency.code == "USBP" and o.pk in patrol][:3]
    certified: dict[str, set[int]] = {}
    for spec in ctx.progress(SESSIONS, description="training sessions"):
        course = Course.objects.get(code=spec.course)
        prerequisites = {p.code for p in course.prerequisites.all()}
        roster = []
        for code in spec.agencies:
            if not spec.share:
                continue
            audience = [
                o
                for o in vetted
                if o.agency.code == code
                and (spec.audience == "everyone" or o.pk in patrol)
                and all(o.pk in certified.get(p, set()) for p in prerequisites)
            ]
            # The share is of the patrol officers, so other accounts never take their seats;
            # the others (demo logins first) are enrolled in the same share on top.
            on_patrol = [o for o in audience if o.pk in patrol]
            others = [o for o in audience if o.pk not in patrol]
            size = max(math.ceil(spec.share * len(on_patrol)), spec.minimum)
            roster += on_patrol[:size] + others[: math.ceil(spec.share * len(others))]
        cohorts = max(1, math.ceil(len(roster) / spec.capacity))
        for cohort in range(cohorts):
            starts_on = today + dt.timedelta(days=spec.start + cohort * COHORT_GAP_DAYS)
            session = training_session_create(
                actor=None,
                course=course,
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=spec.length - 1),
                place=spec.place,
                language=spec.language,
                capacity=spec.capacity,
                instructors=instructors,
            )
            # Alternate the agencies inside each cohort: joint courses train both together.
            for officer in roster[cohort::cohorts]:
                enrolment_create(actor=None, session=session, officer=officer)
            if spec.start >= 0:
                continue
            _assess(ctx, session, certified.setdefault(spec.course, set()))


def _assess(ctx: DemoContext, session: TrainingSession, certified: set[int]) -> None:
    for enrolment in (
        Enrolment.objects.unrestricted(reason="demo")
        .filter(session=session)
        .select_related("officer")
        .order_by("officer__badge_number")
    ):
        demo_login = enrolment.officer.user_id is not None
        attended = demo_login or ctx.rng.random() < 0.95
        score = decimal.Decimal(ctx.rng.randint(62, 99)) if attended else None
        passed = attended and (demo_login or score >= 70)
        enrolment_assess(
            actor=None, enrolment=enrolment, attended=attended, score=score, passed=passed
        )
        if passed:
            certified.add(enrolment.officer_id)
