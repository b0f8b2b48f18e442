"""`alianza demo` works on any date and shows the joint work it exists for.

The demo is loaded at a small scale with the clock moved to several dates derived from now:
today, a year ahead, the next 29 February, the last day of a U.S. fiscal year (30 September,
late evening in Arizona: already 1 October in UTC) and the next U.S. daylight-saving change
(Arizona and Sonora keep their clocks). Each load must show current data: flow events of the
last 30 days on the dashboard, published plans for every shift of the day with mirrored
U.S.–Mexican pairs, open and overdue requests for information, and partners' reports to both
analysts (every demo login vetted and current).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from alianza.agencies.models import Officer
from alianza.demo.loaders.people import DEMO_USERS, PATROL_ROLES, PREFIX
from alianza.flows.analytics_filters import flow_filters_parse
from alianza.flows.dashboard import flow_dashboard
from alianza.flows.models import AmmunitionItem, CurrencyItem, FirearmItem, FlowEvent
from alianza.intel.models import Report, RequestForInformation, Tearline
from alianza.intel.selectors import rfi_turnaround
from alianza.patrols.models import PatrolAssignment, PatrolAssignmentOfficer, PatrolPlan
from alianza.vetting.status import vetting_statuses

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each loads the demo

SCALE = "0.05"
ZONE = zoneinfo.ZoneInfo(settings.ALIANZA_DISPLAY_TIME_ZONE)
SHIFTS = {"day", "swing", "night"}
LOGINS = [f"{prefix}.{suffix}" for prefix in PREFIX.values() for _role, suffix in DEMO_USERS]
ENGLISH_IN_SPANISH = re.compile(r"\b(the|The|Road|Canyon|Mountains|River|port|Forest)\b")


def _on_or_after(day: dt.date, month: int, date: int) -> dt.date:
    candidate = dt.date(day.year, month, date)
    return candidate if candidate >= day else dt.date(day.year + 1, month, date)


def _next_29_february(day: dt.date) -> dt.date:
    year = day.year
    while not calendar.isleap(year) or dt.date(year, 2, 29) < day:
        year += 1
    return dt.date(year, 2, 29)


def _next_us_dst_start(day: dt.date) -> dt.datetime:
    """Half an hour after U.S. clocks spring forward (second Sunday of March, 02:00 Mountain
    Standard Time = 09:00 UTC): Denver moves to UTC-6, Phoenix and Hermosillo stay at UTC-7."""
    year = day.year if day < dt.date(day.year, 3, 15) else day.year + 1
    sundays = [d for d in range(1, 15) if dt.date(year, 3, d).weekday() == calendar.SUNDAY]
    return dt.datetime(year, 3, sundays[1], 9, 30, tzinfo=dt.UTC)


def _moments() -> dict[str, dt.datetime]:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    today = now.astimezone(ZONE).date()
    return {
        "today": now,
        "a year from now": now + dt.timedelta(days=365),
        "29 February": dt.datetime.combine(_next_29_february(today), dt.time(12), tzinfo=ZONE),
        "fiscal year end": dt.datetime.combine(
            _on_or_after(today, 9, 30), dt.time(21, 30), tzinfo=ZONE
        ),
        "U.S. daylight-saving change": _next_us_dst_start(today),
    }


MOMENTS = _moments()


def test_the_moments_are_the_dates_they_claim():
    assert MOMENTS["29 February"].date().month == 2 and MOMENTS["29 February"].day == 29
    end = MOMENTS["fiscal year end"]
    assert (end.month, end.day) == (9, 30) and end.astimezone(dt.UTC).day == 1
    change = MOMENTS["U.S. daylight-saving change"]
    denver = zoneinfo.ZoneInfo("America/Denver")
    before = change - dt.timedelta(hours=1)
    assert change.astimezone(denver).utcoffset() != before.astimezone(denver).utcoffset()
    assert change.astimezone(ZONE).utcoffset() == before.astimezone(ZONE).utcoffset()


@pytest.mark.parametrize("moment", list(MOMENTS), ids=list(MOMENTS))
def test_demo_loaded_on_any_date_shows_current_joint_work(moment):
    with time_machine.travel(MOMENTS[moment], tick=True):
        call_command("demo", "--no-serve", "--scale", SCALE, verbosity=0)
        today = timezone.localdate(timezone=ZONE)
        users = {u.username: u for u in get_user_model().objects.filter(username__in=LOGINS)}
        _dashboard_shows_the_last_30_days(users["us.analyst"], today)
        _every_shift_of_today_has_mirrored_pairs(today)
        _only_patrol_officers_are_crewed()
        _rfis_are_open_and_overdue(users, today)
        _every_login_is_vetted_and_analysts_see_partner_reports(users, today)
        _southbound_firearms_ammunition_and_cash_in_plausible_shares()
        _no_two_people_share_a_name()
        _spanish_texts_have_no_english()


def _dashboard_shows_the_last_30_days(analyst, today):
    since = today - dt.timedelta(days=29)
    filters = flow_filters_parse(
        {"since": since.isoformat(), "until": today.isoformat(), "period": "week"}, today=today
    )
    assert flow_dashboard(reader=analyst, filters=filters).total > 0
    latest = FlowEvent.objects.visible_to(analyst).latest("occurred_at").occurred_at
    assert timezone.now() - latest < dt.timedelta(days=14)


def _every_shift_of_today_has_mirrored_pairs(today):
    plans = PatrolPlan.objects.unrestricted(reason="test").filter(
        date=today, status=PatrolPlan.Status.PUBLISHED
    )
    assert {p.shift for p in plans} == SHIFTS
    paired = (
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan__in=plans, mirror__isnull=False)
        .values_list("plan__shift", "side")
    )
    assert {shift for shift, _side in paired} == SHIFTS
    assert {side for _shift, side in paired} == {"US", "MX"}


def _only_patrol_officers_are_crewed():
    crewed = set(
        PatrolAssignmentOfficer.objects.unrestricted(reason="test").values_list(
            "officer_id", flat=True
        )
    )
    logins = dict(
        Officer.objects.unrestricted(reason="test")
        .filter(pk__in=crewed, user__isnull=False)
        .values_list("pk", "user__username")
    )
    roles = {
        username: set(Group.objects.filter(user__username=username).values_list("name", flat=True))
        for username in logins.values()
    }
    assert {"us.agent", "mx.agent"} <= set(roles)
    assert all(held and held <= PATROL_ROLES for held in roles.values()), roles


def _rfis_are_open_and_overdue(users, today):
    rfis = list(RequestForInformation.objects.unrestricted(reason="test"))
    open_ = [r for r in rfis if r.status == RequestForInformation.Status.OPEN]
    assert [r for r in open_ if r.due_date >= today]
    overdue = [r for r in open_ if r.due_date < today]
    assert overdue
    assert all(r.created_at <= timezone.now() for r in rfis)
    assert all(r.answered_at is None or r.answered_at <= timezone.now() for r in rfis)
    flagged = sum(row.overdue for row in rfi_turnaround(reader=users["us.analyst"]))
    assert flagged == len(overdue)  # us.analyst asked or was asked every one of them


def _every_login_is_vetted_and_analysts_see_partner_reports(users, today):
    officers = {u.officer.pk: u.username for u in users.values()}
    statuses = vetting_statuses(officers, today=today)
    assert {officers[pk]: s.state for pk, s in statuses.items() if s.state != "vetted"} == {}
    for reader, partner in (("mx.analyst", "USBP"), ("us.analyst", "MXFP")):
        seen = Report.objects.visible_to(users[reader]).filter(agency__code=partner)
        assert seen.exists(), f"{reader} sees no {partner} report"


def _southbound_firearms_ammunition_and_cash_in_plausible_shares():
    seizures = FlowEvent.objects.unrestricted(reason="test").filter(kind="seizure")
    southbound = seizures.filter(direction="southbound")
    assert set(southbound.values_list("agency__code", flat=True)) == {"USBP", "MXFP"}
    assert 0.05 <= southbound.count() / seizures.count() <= 0.5
    events = set(southbound.values_list("pk", flat=True))
    guns = FirearmItem.objects.unrestricted(reason="test").filter(event_id__in=events).count()
    ammunition = AmmunitionItem.objects.unrestricted(reason="test").filter(event_id__in=events)
    rounds = sum(ammunition.values_list("rounds", flat=True))
    cash = CurrencyItem.objects.unrestricted(reason="test").filter(
        event_id__in=events, currency="USD"
    )
    dollars = sum(cash.values_list("usd_amount", flat=True))
    assert guns and rounds and dollars
    # FY2019, southwest border: about $19,600 and 30 rounds seized per firearm.
    assert 4_000 <= dollars / guns <= 100_000
    assert 5 <= rounds / guns <= 150


def _no_two_people_share_a_name():
    names = Counter(
        Officer.objects.unrestricted(reason="test").values_list("given_name", "family_name")
    )
    assert [name for name, count in names.items() if count > 1] == []


def _spanish_texts_have_no_english():
    spanish = Report.objects.unrestricted(reason="test").filter(language="es")
    texts = [t for report in spanish for t in (report.title, report.body, report.basis_for_entry)]
    texts += [
        text
        for row in Tearline.objects.unrestricted(reason="test")
        .filter(report__language="es")
        .values_list("title", "body")
        for text in row
    ]
    texts += [
        q
        for q in RequestForInformation.objects.unrestricted(reason="test").values_list(
            "question", flat=True
        )
        if q.startswith("¿")
    ]
    assert texts
    assert [t for t in texts if ENGLISH_IN_SPANISH.search(t)] == []
