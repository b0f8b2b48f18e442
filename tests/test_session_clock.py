"""The opt-in session clock (`ALIANZA_TEST_TODAY`, tests/conftest.py) that runs the suite at
another date, and the test world, whose dates follow the clock."""

import datetime as dt
import os
import zoneinfo

import pytest
import time_machine
from django.utils import timezone
from session_clock import session_clock_target

from alianza.intel.models import display_today

PHOENIX = zoneinfo.ZoneInfo("America/Phoenix")
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def test_a_date_keeps_the_time_of_day_of_the_display_time_zone():
    target = session_clock_target("2028-02-29", now=NOW, zone=PHOENIX)
    assert target.astimezone(PHOENIX).date() == dt.date(2028, 2, 29)
    assert target.astimezone(PHOENIX).time() == NOW.astimezone(PHOENIX).time()


def test_an_offset_counts_days_from_now():
    assert session_clock_target("+400d", now=NOW, zone=PHOENIX) == NOW + dt.timedelta(days=400)
    assert session_clock_target("-30d", now=NOW, zone=PHOENIX) == NOW - dt.timedelta(days=30)


def test_an_aware_instant_is_taken_as_given_and_a_naive_one_refused():
    target = session_clock_target("2027-01-01T06:30-07:00", now=NOW, zone=PHOENIX)
    assert target == dt.datetime(2027, 1, 1, 13, 30, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="ALIANZA_TEST_TODAY"):
        session_clock_target("2027-01-01T06:30", now=NOW, zone=PHOENIX)


@pytest.mark.skipif(
    "ALIANZA_TEST_TODAY" not in os.environ, reason="the session clock is not shifted"
)
def test_the_session_runs_at_the_requested_date_and_tests_can_still_travel():
    value = os.environ["ALIANZA_TEST_TODAY"].strip()
    real_now = time_machine.escape_hatch.datetime.datetime.now(dt.UTC)
    if value.endswith("d"):  # the shift is constant while the clock ticks
        shift = session_clock_target(value, now=real_now, zone=PHOENIX) - real_now
        assert abs(timezone.now() - real_now - shift) < dt.timedelta(minutes=1)
    elif "T" in value:
        start = session_clock_target(value, now=real_now, zone=PHOENIX)
        assert start <= timezone.now() < start + dt.timedelta(days=1)
    else:  # the next day only if the session crossed midnight
        day = dt.date.fromisoformat(value)
        assert display_today() in (day, day + dt.timedelta(days=1))
    assert abs(timezone.now() - real_now) > dt.timedelta(hours=1)
    with time_machine.travel(dt.datetime(2031, 7, 4, 12, tzinfo=dt.UTC), tick=False):
        assert timezone.now() == dt.datetime(2031, 7, 4, 12, tzinfo=dt.UTC)
    assert abs(timezone.now() - real_now) > dt.timedelta(hours=1)


def test_the_world_operation_and_activities_are_current(world):
    today = display_today()
    assert world.operation.starts_on < today < world.operation.ends_on
    for activity in world.activities.values():
        assert timezone.now() < activity.starts_at < timezone.now() + dt.timedelta(days=30)
    assert world.reports["us_expired"].marking.review_date < today
