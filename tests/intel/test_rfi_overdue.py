"""An RFI still open after its due date is flagged overdue on the list, its page and in the API,
by the calendar of the display time zone (America/Phoenix by default), not UTC's."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from alianza.intel.services import rfi_answer

from conftest import login_verified

pytestmark = pytest.mark.django_db

FLAG = '<span class="badge warning overdue">'


def _local(day: dt.date, hour: int) -> dt.datetime:
    """`hour` o'clock on `day` in the display time zone."""
    zone = zoneinfo.ZoneInfo(settings.ALIANZA_DISPLAY_TIME_ZONE)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def _login(client, user):
    client.logout()  # a new session at the travelled-to time (no idle timeout across the jump)
    login_verified(client, user)


def _flags(client, rfi) -> tuple[bool, bool, bool]:
    listing = client.get(reverse("intel:rfi_list")).content.decode()
    row = listing[listing.index(f">RFI-{rfi.pk}<") :].split("</tr>")[0]
    detail = client.get(reverse("intel:rfi_detail", args=[rfi.pk])).content.decode()
    api = {r["id"]: r["overdue"] for r in client.get("/api/intel/rfis").json()["items"]}
    return FLAG in row, FLAG in detail, api[rfi.pk]


def test_an_open_rfi_is_overdue_from_the_day_after_its_due_date_in_the_display_time_zone(
    world, client, settings
):
    settings.ALIANZA_DISPLAY_TIME_ZONE = "America/Phoenix"  # UTC-7 all year
    rfi = world.rfis["mx_to_us"]
    due = rfi.due_date
    # The evening of the due day, local time: in UTC it is already the next day, but the
    # request is not late yet (outside a request too, where UTC is the active zone).
    last_evening = _local(due, 20)
    assert last_evening.astimezone(dt.UTC).date() == due + dt.timedelta(days=1)
    with time_machine.travel(last_evening, tick=False):
        assert rfi.is_overdue is False
        _login(client, world.user("us_analyst"))
        assert _flags(client, rfi) == (False, False, False)
    just_after = _local(due + dt.timedelta(days=1), 0) + dt.timedelta(minutes=1)
    with time_machine.travel(just_after, tick=False):
        _login(client, world.user("us_analyst"))
        assert _flags(client, rfi) == (True, True, True)
        assert rfi.is_overdue is True
        # The asker's side shows it too.
        _login(client, world.user("mx_analyst"))
        assert _flags(client, rfi) == (True, True, True)


def test_an_answered_rfi_is_not_overdue_even_after_its_due_date(world, client):
    rfi = world.rfis["mx_to_us"]
    with time_machine.travel(_local(rfi.due_date + dt.timedelta(days=3), 10), tick=False):
        rfi_answer(actor=world.user("us_analyst"), rfi=rfi, answer_text="Late, but here.")
        _login(client, world.user("us_analyst"))
        assert _flags(client, rfi) == (False, False, False)


def test_an_rfi_due_in_the_future_is_not_overdue(world, client):
    rfi = world.rfis["mx_to_us"]
    with time_machine.travel(_local(rfi.due_date - dt.timedelta(days=1), 12), tick=False):
        _login(client, world.user("us_analyst"))
        assert _flags(client, rfi) == (False, False, False)
