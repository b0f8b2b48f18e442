"""Readiness of the programme: who is vetted, qualified and current, who lapses next, and
when the programme reaches its target.

Forecast method (documented for commanders):
- ready(d) = active officers of the agency who are vetted (vetted or expiring) AND hold a
  current certification granting the qualification on day d. History: ready(d) computed for
  each of the last 26 weeks from the recorded vetting results and certifications.
- vetting throughput v = officers of the agency with a vetting case fully approved (its
  second approval, `REQUIRED_APPROVALS`, recorded: CaseApproval.approved_at) in the last N
  weeks (default 12), divided by N.
- training throughput t = seats in scheduled sessions of courses granting the qualification
  in the next 12 weeks, times the pass rate observed so far (passed / assessed), per week.
- Each future week adds min(v, t) ready officers (both pipelines must pass an officer), until
  the target; "not within three years" when that rate is zero or too slow.
It ignores lapses during the forecast (shown separately as "who lapses next").
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext as _

from alianza.access.rules import reader_for
from alianza.agencies.models import Agency, Officer
from alianza.agencies.roles import ROLE_LABELS
from alianza.vetting.models import CaseApproval
from alianza.vetting.status import REQUIRED_APPROVALS, vetting_statuses

from .eligibility import current_qualifications
from .models import Certification, Course, Enrolment, TrainingSession

HISTORY_WEEKS = 26
THROUGHPUT_WEEKS = 12
HORIZON_WEEKS = 156


@dataclass
class Counts:
    label: str  # a stable key (unit name, role code, agency code): the API's label
    total: int = 0
    vetted: int = 0
    qualified: int = 0
    ready: int = 0
    name: str = ""  # what people read (a role's translated label); the key when empty

    @property
    def display(self) -> str:
        return str(self.name or self.label)


@dataclass(frozen=True)
class Lapse:
    officer_name: str
    badge_number: str
    what: str  # "vetting" or a course code (the API's value)
    on: dt.date
    what_label: str = ""  # what people read, in their language


@dataclass
class Forecast:
    target: int
    ready_now: int
    vetting_per_week: float
    training_per_week: float
    pass_rate: float | None
    reached_on: dt.date | None
    history: list[tuple[dt.date, int]] = field(default_factory=list)
    projection: list[tuple[dt.date, int]] = field(default_factory=list)


def _officers(agency_id: int) -> list[Officer]:
    return list(
        Officer.objects.unrestricted(reason="readiness aggregates")
        .filter(agency_id=agency_id, active=True)
        .select_related("unit", "user")
    )


def _ready_flags(officers, qualification: str, today: dt.date):
    ids = [o.pk for o in officers]
    statuses = vetting_statuses(ids, today=today)
    quals = current_qualifications(ids, today=today)
    return {
        o.pk: (statuses[o.pk].cleared, qualification in quals.get(o.pk, set())) for o in officers
    }, statuses


def readiness_tables(
    *, reader, qualification: str = "joint_patrol", today: dt.date | None = None
) -> dict:
    """Per unit and per role of the reader's own agency, with names of who lapses next; per
    agency (aggregates only, no names) for every agency."""
    reader = reader_for(reader)
    today = today or timezone.localdate()
    # The reader's own agency through the access layer (names shown); other agencies below
    # as totals only.
    own = list(
        Officer.objects.visible_to(reader).filter(active=True).select_related("unit", "user")
    )
    flags, statuses = _ready_flags(own, qualification, today)
    by_unit: dict[str, Counts] = {}
    by_role: dict[str, Counts] = {}
    roles = {}
    for group in Group.objects.prefetch_related("user_set"):
        for user in group.user_set.all():
            roles.setdefault(user.pk, []).append(group.name)
    for officer in own:
        vetted, qualified = flags[officer.pk]
        keys = [(by_unit, officer.unit.name if officer.unit else "—", "")]
        keys += [
            (by_role, role, ROLE_LABELS.get(role, role)) for role in roles.get(officer.user_id, [])
        ]
        for table, key, name in keys:
            row = table.setdefault(key, Counts(key, name=name))
            row.total += 1
            row.vetted += vetted
            row.qualified += qualified
            row.ready += vetted and qualified
    lapses = [
        Lapse(
            o.full_name,
            o.badge_number,
            "vetting",
            statuses[o.pk].expires_on,
            what_label=_("Vetting"),
        )
        for o in own
        if statuses[o.pk].cleared and statuses[o.pk].expires_on
    ]
    courses = {course.pk: course for course in Course.objects.filter(grants__code=qualification)}
    names = {o.pk: o for o in own}
    for officer_id, course_id, expires_on in (
        Certification.objects.unrestricted(reason="readiness: next lapses")
        .filter(officer_id__in=list(names), course_id__in=list(courses), expires_on__gte=today)
        .values_list("officer_id", "course_id", "expires_on")
    ):
        officer, course = names[officer_id], courses[course_id]
        lapses.append(
            Lapse(
                officer.full_name,
                officer.badge_number,
                course.code,
                expires_on,
                what_label=_("%(code)s certification (%(title)s)")
                % {"code": course.code, "title": course},
            )
        )
    lapses.sort(key=lambda lapse: lapse.on)
    agencies = []
    for agency in Agency.objects.order_by("code"):
        officers = _officers(agency.pk)
        agency_flags, _statuses = _ready_flags(officers, qualification, today)
        row = Counts(agency.code, total=len(officers))
        for vetted, qualified in agency_flags.values():
            row.vetted += vetted
            row.qualified += qualified
            row.ready += vetted and qualified
        agencies.append(row)
    return {
        "units": sorted(by_unit.values(), key=lambda r: r.label),
        "roles": sorted(by_role.values(), key=lambda r: r.display),
        "agencies": agencies,
        "next_lapses": lapses[:15],
    }


def vetting_throughput(*, agency: Agency, today: dt.date, weeks: int = THROUGHPUT_WEEKS) -> float:
    """Officers of `agency` per week whose vetting case became fully approved (the
    REQUIRED_APPROVALS-th approval) in the `weeks` weeks up to `today`."""
    start = today - dt.timedelta(weeks=weeks)
    approvals: dict[int, list] = {}
    for case_id, officer_id, approved_at in (
        CaseApproval.objects.unrestricted(reason="readiness: vetting throughput")
        .filter(case__officer__agency=agency)
        .values_list("case_id", "case__officer_id", "approved_at")
    ):
        approvals.setdefault(case_id, [officer_id]).append(approved_at)
    officers = set()
    for officer_id, *times in approvals.values():
        if len(times) >= REQUIRED_APPROVALS:
            day = timezone.localdate(sorted(times)[REQUIRED_APPROVALS - 1])
            if start < day <= today:
                officers.add(officer_id)
    return len(officers) / weeks


def forecast(
    *,
    agency: Agency,
    target: int,
    qualification: str = "joint_patrol",
    today: dt.date | None = None,
    throughput_weeks: int = THROUGHPUT_WEEKS,
) -> Forecast:
    today = today or timezone.localdate()
    officers = _officers(agency.pk)
    history = []
    for weeks_ago in range(HISTORY_WEEKS, -1, -1):
        day = today - dt.timedelta(weeks=weeks_ago)
        flags, _statuses = _ready_flags(officers, qualification, day)
        history.append((day, sum(v and q for v, q in flags.values())))
    vetting_rate = vetting_throughput(agency=agency, today=today, weeks=throughput_weeks)
    assessed = Enrolment.objects.unrestricted(reason="pass rate").filter(
        officer__agency=agency, passed__isnull=False, session__course__grants__code=qualification
    )
    assessed_count = assessed.count()
    pass_rate = assessed.filter(passed=True).count() / assessed_count if assessed_count else None
    seats = sum(
        TrainingSession.objects.filter(
            course__grants__code=qualification,
            starts_on__gte=today,
            starts_on__lt=today + dt.timedelta(weeks=throughput_weeks),
        ).values_list("capacity", flat=True)
    )
    training_rate = seats * (pass_rate if pass_rate is not None else 1.0) / throughput_weeks
    ready_now = history[-1][1]
    rate = min(vetting_rate, training_rate)
    projection, reached_on = [(today, ready_now)], None
    if ready_now >= target:
        reached_on = today
    elif rate > 0:
        level = float(ready_now)
        for week in range(1, HORIZON_WEEKS + 1):
            level += rate
            day = today + dt.timedelta(weeks=week)
            projection.append((day, min(target, round(level))))
            if level >= target:
                reached_on = day
                break
    return Forecast(
        target=target,
        ready_now=ready_now,
        vetting_per_week=round(vetting_rate, 2),
        training_per_week=round(training_rate, 2),
        pass_rate=round(pass_rate, 3) if pass_rate is not None else None,
        reached_on=reached_on,
        history=history,
        projection=projection,
    )


def forecast_chart(result: Forecast, *, title: str, labels: dict[str, str]) -> str:
    """The forecast as a PNG data URI (matplotlib; no outside host). Not inline SVG: its
    style attributes are inline styles, which the Content-Security-Policy rightly blocks."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=100)
    days, values = zip(*result.history, strict=True)
    axes.plot(days, values, color="#0f4c5c", linewidth=2, label=labels["observed"])
    if len(result.projection) > 1:
        pdays, pvalues = zip(*result.projection, strict=True)
        axes.plot(
            pdays, pvalues, color="#0f4c5c", linestyle="--", linewidth=2, label=labels["projected"]
        )
    axes.axhline(result.target, color="#c8553d", linewidth=1.5, label=labels["target"])
    axes.set_title(title, fontsize=11)
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", fontsize=9)
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
