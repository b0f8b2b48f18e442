"""Expiry reminders: thresholds exact at the edges, idempotent, only to the right people;
notifications visible to their own user only; every write audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from alianza.access.exceptions import AccessLayerBypassed
from alianza.audit.models import AuditEvent
from alianza.notifications.models import Notification
from alianza.notifications.services import reminders_send, threshold_for
from alianza.training.models import Certification, Course
from alianza.vetting.status import vetting_statuses

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


def _all():
    return Notification.objects.unrestricted(reason="test")


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(-1, None), (0, 7), (7, 7), (8, 30), (30, 30), (31, 90), (90, 90), (91, None)],
)
def test_threshold_is_exact_at_the_edges(days_left, threshold):
    assert threshold_for(days_left) == threshold


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world(frozen, fresh_world):
    """Built at the frozen instant, so its dates sit where these tests expect them."""
    return fresh_world


def _certify(officer, *, expires_on, code="JP-101", issued_on=None):
    return Certification.objects.create(
        officer=officer,
        course=Course.objects.get(code=code),
        issued_on=issued_on or min(TODAY, expires_on) - dt.timedelta(days=300),
        expires_on=expires_on,
    )


def test_certification_reminders_reach_the_officer_and_their_coordinator_only(frozen, world):
    officer = world.user("mx_analyst").officer
    _certify(officer, expires_on=TODAY + dt.timedelta(days=30))
    reminders_send(today=TODAY)
    mine = _all().filter(params__badge=officer.badge_number, kind__contains="certification")
    assert {(n.user.username, n.kind) for n in mine} == {
        ("mx.analyst", "certification_expiring"),
        ("mx.training", "staff_certification_expiring"),
    }
    assert {n.dedupe_key.rsplit(":", 1)[1] for n in mine} == {"30"}
    assert all(n.due_on == TODAY + dt.timedelta(days=30) for n in mine)


def test_a_second_run_sends_nothing_twice(frozen, world):
    _certify(world.user("mx_analyst").officer, expires_on=TODAY + dt.timedelta(days=7))
    first = reminders_send(today=TODAY)
    audited = (
        AuditEvent.objects.unrestricted(reason="test").filter(action="notification.create").count()
    )
    assert first > 0 and audited >= first
    assert reminders_send(today=TODAY) == 0
    assert reminders_send(today=TODAY + dt.timedelta(days=1)) == 0  # still the 7-day bucket
    assert (
        AuditEvent.objects.unrestricted(reason="test").filter(action="notification.create").count()
        == audited
    )


def test_each_threshold_sends_once_as_the_date_approaches(frozen, world):
    expires_on = TODAY + dt.timedelta(days=91)
    _certify(world.user("us_analyst").officer, expires_on=expires_on)

    def own():
        return sorted(
            int(n.dedupe_key.rsplit(":", 1)[1])
            for n in _all().filter(user=world.user("us_analyst"), kind="certification_expiring")
        )

    reminders_send(today=TODAY)  # 91 days: nothing yet
    assert own() == []
    for days_left in (90, 89, 31, 30, 8, 7, 0):
        reminders_send(today=expires_on - dt.timedelta(days=days_left))
    assert own() == [7, 30, 90]
    reminders_send(today=expires_on + dt.timedelta(days=1))  # expired: no more reminders
    assert own() == [7, 30, 90]


def test_a_renewed_certification_does_not_remind(frozen, world):
    officer = world.user("us_analyst").officer
    _certify(officer, expires_on=TODAY + dt.timedelta(days=20))
    _certify(officer, expires_on=TODAY + dt.timedelta(days=385), issued_on=TODAY)
    reminders_send(today=TODAY)
    assert not _all().filter(kind="certification_expiring", user=world.user("us_analyst")).exists()


def test_vetting_reminders_reach_the_officer_and_their_vetting_officers(frozen, world):
    officer = world.user("mx_analyst").officer
    expires_on = vetting_statuses([officer.pk], today=TODAY)[officer.pk].expires_on
    day = expires_on - dt.timedelta(days=30)
    reminders_send(today=day)
    mine = _all().filter(params__badge=officer.badge_number, kind__contains="vetting")
    assert {(n.user.username, n.kind) for n in mine} == {
        ("mx.analyst", "vetting_expiring"),
        ("mx.vetting", "staff_vetting_expiring"),
    }
    # No one of the other agency hears about a Mexican officer.
    assert not _all().filter(params__badge=officer.badge_number, user__username__startswith="us.")


def test_officers_without_an_active_account_get_nothing_but_staff_are_told(frozen, world):
    inactive = world.user("us_inactive").officer  # officer inactive: skipped entirely
    _certify(inactive, expires_on=TODAY + dt.timedelta(days=5))
    reminders_send(today=TODAY)
    assert not _all().filter(params__badge=inactive.badge_number).exists()


def test_the_command_sends_reminders(frozen, world, capsys):
    _certify(world.user("mx_analyst").officer, expires_on=TODAY + dt.timedelta(days=60))
    call_command("send-reminders", "--today", TODAY.isoformat())
    assert "reminders sent" in capsys.readouterr().out
    assert _all().filter(user=world.user("mx_analyst"), kind="certification_expiring").exists()


def test_notifications_are_visible_to_their_own_user_only(frozen, world):
    _certify(world.user("mx_analyst").officer, expires_on=TODAY + dt.timedelta(days=60))
    reminders_send(today=TODAY)
    own = Notification.objects.visible_to(world.user("mx_analyst"))
    assert own.count() >= 1 and {n.user_id for n in own} == {world.user("mx_analyst").pk}
    assert not Notification.objects.visible_to(world.user("mx_admin")).filter(
        user=world.user("mx_analyst")
    )
    with pytest.raises(AccessLayerBypassed):
        list(Notification.objects.all())


def test_page_lists_own_notifications_and_marks_them_read(frozen, world, client):
    from conftest import login_verified

    _certify(world.user("mx_analyst").officer, expires_on=TODAY + dt.timedelta(days=60))
    reminders_send(today=TODAY)
    note = _all().get(user=world.user("mx_analyst"), kind="certification_expiring")
    login_verified(client, world.user("mx_analyst"))
    body = client.get("/notifications/").content.decode()
    assert "JP-101" in body and (TODAY + dt.timedelta(days=60)).isoformat() in body
    assert "Notifications (1)" in client.get("/").content.decode()
    response = client.post(f"/notifications/{note.pk}/read/")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="notification.read", object_id=str(note.pk))
        .exists()
    )
    assert "Notifications (1)" not in client.get("/").content.decode()
    # Someone else's notification answers like a missing one.
    login_verified(client, world.user("mx_training"))
    assert client.post(f"/notifications/{note.pk}/read/").status_code == 404


def test_messages_render_in_the_readers_language(world):
    from django.utils import translation

    note = Notification(kind="vetting_expiring", params={"date": "2027-01-01", "days": 7})
    with translation.override("en"):
        assert note.text == "Your vetting expires on 2027-01-01 (in 7 days)."
