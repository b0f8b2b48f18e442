"""RFI due-date reminders: due soon and overdue, once each, to the answering agency's analysts
and the requester, and only to those who may see the request."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from alianza.access.models import CompartmentMembership
from alianza.access.rules import forget_reader
from alianza.audit.models import AuditEvent
from alianza.intel.services import rfi_answer, rfi_set_status
from alianza.notifications.models import Notification
from alianza.notifications.services import (
    reminders_send,
    rfi_reminders_send,
    rfi_threshold_for,
)

from conftest import login_verified

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world(frozen, fresh_world):
    """Built at the frozen instant, so its dates sit where these tests expect them."""
    return fresh_world


def _rfi_notes(**filters):
    return Notification.objects.unrestricted(reason="test").filter(
        kind__startswith="rfi_", **filters
    )


def _sent(rfi):
    return {(n.user.username, n.kind) for n in _rfi_notes(params__rfi=rfi.pk)}


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(-30, "overdue"), (-1, "overdue"), (0, "due_soon"), (2, "due_soon"), (3, None), (7, None)],
)
def test_rfi_threshold_is_exact_at_the_edges(days_left, threshold):
    assert rfi_threshold_for(days_left) == threshold


def test_nothing_is_sent_three_days_before_the_due_date(frozen, world):
    due = world.rfis["mx_to_us"].due_date
    assert rfi_reminders_send(today=due - dt.timedelta(days=3)) == 0
    assert not _rfi_notes().exists()


def test_due_soon_reaches_the_answering_analysts_and_the_requester_only(frozen, world):
    rfi = world.rfis["mx_to_us"]
    rfi_reminders_send(today=rfi.due_date - dt.timedelta(days=2))
    # us.inactive is an analyst of the answering agency, but inactive; mx.comp is an analyst of
    # the asking agency but did not ask.
    assert _sent(rfi) == {
        ("us.analyst", "rfi_due_soon"),
        ("us.nocomp", "rfi_due_soon"),
        ("mx.analyst", "rfi_request_due_soon"),
    }


def test_a_compartmented_rfi_reaches_only_analysts_holding_the_compartment(frozen, world):
    rfi = world.rfis["us_to_mx_comp"]
    rfi_reminders_send(today=rfi.due_date - dt.timedelta(days=1))
    # mx.analyst lacks the compartment; mx.unvetted holds it but is not cleared for shared data.
    assert _sent(rfi) == {("mx.comp", "rfi_due_soon"), ("us.analyst", "rfi_request_due_soon")}


def test_a_requester_who_lost_sight_of_the_rfi_is_not_reminded(frozen, world):
    rfi = world.rfis["us_to_mx_comp"]
    requester = world.user("us_analyst")
    CompartmentMembership.objects.filter(officer=requester.officer).delete()
    forget_reader(requester)
    rfi_reminders_send(today=rfi.due_date)
    assert _sent(rfi) == {("mx.comp", "rfi_due_soon")}


def test_each_threshold_is_sent_once(frozen, world):
    rfi = world.rfis["mx_to_us"]
    other = world.rfis["us_to_mx_comp"]
    rfi_set_status(actor=world.user("us_analyst"), rfi=other, status="cancelled")
    due = rfi.due_date
    first = rfi_reminders_send(today=due - dt.timedelta(days=2))
    assert first == 3
    events = AuditEvent.objects.unrestricted(reason="test").filter(action="notification.create")
    audited = events.count()
    for day in (-2, -1, 0):  # still the "due soon" bucket
        assert rfi_reminders_send(today=due + dt.timedelta(days=day)) == 0
    assert events.count() == audited
    assert rfi_reminders_send(today=due + dt.timedelta(days=1)) == 3
    assert rfi_reminders_send(today=due + dt.timedelta(days=5)) == 0
    kinds = sorted(n.kind for n in _rfi_notes(user=world.user("us_analyst")))
    assert kinds == ["rfi_due_soon", "rfi_overdue"]


def test_an_rfi_first_seen_overdue_gets_only_the_overdue_reminder(frozen, world):
    rfi = world.rfis["mx_to_us"]
    rfi_reminders_send(today=rfi.due_date + dt.timedelta(days=3))
    assert _sent(rfi) == {
        ("us.analyst", "rfi_overdue"),
        ("us.nocomp", "rfi_overdue"),
        ("mx.analyst", "rfi_request_overdue"),
    }


def test_answered_and_cancelled_rfis_are_not_reminded(frozen, world):
    answered, cancelled = world.rfis["mx_to_us"], world.rfis["us_to_mx_comp"]
    rfi_answer(actor=world.user("us_analyst"), rfi=answered, answer_text="Done.")
    rfi_set_status(actor=world.user("us_analyst"), rfi=cancelled, status="cancelled")
    assert rfi_reminders_send(today=answered.due_date + dt.timedelta(days=1)) == 0


def test_reminders_carry_no_question_and_no_compartment(frozen, world):
    for rfi in world.rfis.values():
        rfi_reminders_send(today=rfi.due_date + dt.timedelta(days=1))
    notes = list(_rfi_notes())
    assert notes
    for note in notes:
        assert set(note.params) == {"rfi", "agency", "date"}
        text = note.text
        for secret in ("HEARTOFGOLD", "BABELFISH", "OP-TEST", world.compartment.name):
            assert secret not in text and secret not in str(note.params)


def test_the_command_sends_rfi_reminders_and_the_page_links_to_the_rfi(frozen, world, client):
    rfi = world.rfis["mx_to_us"]
    call_command("send-reminders", "--today", (rfi.due_date - dt.timedelta(days=1)).isoformat())
    note = _rfi_notes(user=world.user("us_analyst"), params__rfi=rfi.pk).get()
    assert note.due_on == rfi.due_date
    login_verified(client, world.user("us_analyst"))
    body = client.get("/notifications/").content.decode()
    assert f'href="/intel/rfis/{rfi.pk}/"' in body
    assert f"RFI-{rfi.pk} from MXFP is due on {rfi.due_date.isoformat()}" in body
    # The daily run covers both kinds of reminders and stays idempotent.
    assert reminders_send(today=rfi.due_date - dt.timedelta(days=1)) == 0


def test_rfi_reminder_renders_its_text_and_links_to_the_rfi(world):
    from django.utils import translation

    note = Notification(
        kind="rfi_overdue", params={"rfi": 7, "agency": "MXFP", "date": "2027-01-01"}
    )
    with translation.override("en"):
        assert note.text.startswith("Request for information RFI-7 from MXFP")
    assert note.link == "/intel/rfis/7/"
