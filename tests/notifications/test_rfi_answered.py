"""Answering an RFI tells the officer who asked (in the answer's transaction, only if they may
see the RFI, naming nothing but its number and the answering agency) and settles the due-date
reminders about it; cancelling settles them too."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alianza.access.models import CompartmentMembership
from alianza.access.rules import forget_reader
from alianza.audit.models import AuditEvent
from alianza.intel.services import rfi_answer, rfi_set_status
from alianza.notifications.models import Notification
from alianza.notifications.services import rfi_reminders_send

from conftest import login_verified

pytestmark = pytest.mark.django_db


def _notes(**filters):
    return Notification.objects.unrestricted(reason="test").filter(**filters)


@pytest.fixture
def overdue(world):
    """Three days after the RFIs' due date, with the overdue reminders sent."""
    due = world.rfis["mx_to_us"].due_date
    moment = timezone.now() + dt.timedelta(days=(due - timezone.localdate()).days + 3)
    with time_machine.travel(moment, tick=False):
        for rfi in world.rfis.values():
            rfi_reminders_send(today=rfi.due_date + dt.timedelta(days=3))
        yield world


def test_answering_tells_the_asker_and_marks_their_overdue_reminder_read(overdue, client):
    world = overdue
    rfi, asker = world.rfis["mx_to_us"], world.user("mx_analyst")
    reminder = _notes(user=asker, kind="rfi_request_overdue", params__rfi=rfi.pk).get()
    assert reminder.read_at is None
    login_verified(client, world.user("us_analyst"))
    client.post(
        reverse("intel:rfi_answer", args=[rfi.pk]),
        {"answer_text": "The SECRETANSWER", "answer_report": world.reports["us_shared"].number},
    )
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    answered = _notes(user=asker, kind="rfi_request_answered").get()
    assert answered.read_at is None and answered.params == {"rfi": rfi.pk, "agency": "USBP"}
    assert answered.text == f"Your request for information RFI-{rfi.pk} to USBP was answered."
    assert answered.link == reverse("intel:rfi_detail", args=[rfi.pk])
    # The answering analysts' "please answer it" reminders are settled too.
    assert not _notes(kind="rfi_overdue", params__rfi=rfi.pk, read_at__isnull=True).exists()
    # Another RFI's reminders are untouched.
    other = world.rfis["us_to_mx_comp"]
    assert _notes(params__rfi=other.pk, read_at__isnull=True).count() >= 2
    events = AuditEvent.objects.unrestricted(reason="test")
    assert events.filter(action="notification.create", object_id=str(answered.pk)).exists()
    assert events.filter(action="notification.settle", object_id=str(reminder.pk)).exists()
    # The asker sees it among their notifications, without the answer or the report.
    login_verified(client, world.user("mx_analyst"))
    page = client.get("/notifications/").content.decode()
    assert f"RFI-{rfi.pk} to USBP was answered" in page
    for secret in ("SECRETANSWER", world.reports["us_shared"].number, "HEARTOFGOLD"):
        assert secret not in answered.text and secret not in str(answered.params)


def test_an_asker_who_may_no_longer_see_the_rfi_is_not_told(overdue):
    world = overdue
    rfi, asker = world.rfis["us_to_mx_comp"], world.user("us_analyst")
    CompartmentMembership.objects.filter(officer=asker.officer).delete()
    forget_reader(asker)
    rfi_answer(actor=world.user("mx_comp"), rfi=rfi, answer_text="Answered.")
    assert not _notes(user=asker, kind="rfi_request_answered").exists()
    # Their stale reminder is settled all the same (it names only the number).
    assert not _notes(user=asker, params__rfi=rfi.pk, read_at__isnull=True).exists()


def test_an_inactive_asker_is_not_told(overdue):
    world = overdue
    rfi, asker = world.rfis["mx_to_us"], world.user("mx_analyst")
    asker.is_active = False
    asker.save(update_fields=["is_active"])
    rfi_answer(actor=world.user("us_analyst"), rfi=rfi, answer_text="Answered.")
    assert not _notes(user=asker, kind="rfi_request_answered").exists()


def test_an_answer_rolled_back_leaves_no_notification_and_the_reminder_unread(overdue):
    world = overdue
    rfi, asker = world.rfis["mx_to_us"], world.user("mx_analyst")
    with pytest.raises(RuntimeError), transaction.atomic():
        rfi_answer(actor=world.user("us_analyst"), rfi=rfi, answer_text="Answered.")
        assert _notes(user=asker, kind="rfi_request_answered").exists()
        raise RuntimeError("the caller's transaction fails after the answer")
    assert not _notes(user=asker, kind="rfi_request_answered").exists()
    assert _notes(user=asker, params__rfi=rfi.pk, read_at__isnull=True).count() == 1


def test_cancelling_an_rfi_settles_its_reminders(overdue):
    world = overdue
    rfi = world.rfis["us_to_mx_comp"]
    assert _notes(params__rfi=rfi.pk, read_at__isnull=True).exists()
    rfi_set_status(actor=world.user("us_analyst"), rfi=rfi, status="cancelled")
    assert not _notes(params__rfi=rfi.pk, read_at__isnull=True).exists()
    assert not _notes(kind="rfi_request_answered").exists()
