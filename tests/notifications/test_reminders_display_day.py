"""`send-reminders` from cron (UTC) counts days as the pages do, in the display time zone: at
20:00 in Arizona on an RFI's due date (already the next day in UTC) it is due, not overdue."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from alianza.config.clock import display_zone
from alianza.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _kinds(rfi):
    return set(
        Notification.objects.unrestricted(reason="test")
        .filter(params__rfi=rfi.pk)
        .values_list("kind", flat=True)
    )


def test_an_rfi_is_not_overdue_on_the_evening_of_its_due_date_in_arizona(world):
    rfi = world.rfis["mx_to_us"]
    evening = dt.datetime.combine(rfi.due_date, dt.time(20), tzinfo=display_zone())
    assert evening.astimezone(dt.UTC).date() > rfi.due_date  # the next day in UTC
    with time_machine.travel(evening, tick=False):
        call_command("send-reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "rfi_overdue" not in _kinds(rfi)
    assert "rfi_due_soon" in _kinds(rfi)
    after_midnight = evening + dt.timedelta(hours=4, minutes=30)
    with time_machine.travel(after_midnight, tick=False):
        call_command("send-reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "rfi_overdue" in _kinds(rfi)
