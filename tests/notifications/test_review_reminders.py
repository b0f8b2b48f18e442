"""Review-date reminders: the author of a report hears once before its review date and once
after it, and a revalidated report starts again; the text never carries the title."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from alianza.access.services import marking_get_or_create
from alianza.agencies.models import Officer
from alianza.intel.services import report_create, report_revalidate
from alianza.notifications.models import Notification
from alianza.notifications.services import review_reminders_send, review_threshold_for

from conftest import login_verified

pytestmark = pytest.mark.django_db

REVIEW = dt.date(2026, 12, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world(frozen, fresh_world):
    """Built at the frozen instant, so its dates sit where these tests expect them."""
    return fresh_world


@pytest.fixture
def report(world, frozen):
    return report_create(
        actor=world.user("us_analyst"),
        title="Stash house on Calle Elías ORTHANC",
        body="b",
        language="en",
        basis_for_entry="Seizure at DeConcini linked to the address.",
        marking=marking_get_or_create(
            originating_agency=world.us, releasable_to=[world.mx], review_date=REVIEW
        ),
    )


def _notes(report):
    return Notification.objects.unrestricted(reason="test").filter(
        kind__startswith="report_review_", params__report=report.pk
    )


@pytest.mark.parametrize(
    ("days_left", "threshold"), [(-1, "past"), (0, "due"), (7, "due"), (8, None), (60, None)]
)
def test_review_threshold_is_exact_at_the_edges(days_left, threshold):
    assert review_threshold_for(days_left) == threshold


def test_the_author_hears_once_before_and_once_after_the_review_date(world, report):
    assert review_reminders_send(today=REVIEW - dt.timedelta(days=8)) == 0
    assert review_reminders_send(today=REVIEW - dt.timedelta(days=7)) == 1
    assert review_reminders_send(today=REVIEW - dt.timedelta(days=3)) == 0
    assert review_reminders_send(today=REVIEW + dt.timedelta(days=1)) == 1
    assert review_reminders_send(today=REVIEW + dt.timedelta(days=2)) == 0
    notes = _notes(report)
    assert {(n.user.username, n.kind) for n in notes} == {
        ("us.analyst", "report_review_due"),
        ("us.analyst", "report_review_past"),
    }
    for note in notes:
        assert "ORTHANC" not in note.text and str(report.pk) in note.text
        assert note.link == f"/intel/reports/{report.pk}/"


def test_a_revalidated_report_gets_fresh_reminders_for_its_new_date(world, report):
    review_reminders_send(today=REVIEW + dt.timedelta(days=1))
    with time_machine.travel(dt.datetime(2026, 12, 11, 15, 0, tzinfo=dt.UTC), tick=False):
        report_revalidate(
            actor=world.user("us_analyst"), report=report, review_date=dt.date(2027, 6, 1)
        )
    report.refresh_from_db()
    assert review_reminders_send(today=dt.date(2027, 5, 30)) == 1
    assert _notes(report).filter(due_on=dt.date(2027, 6, 1)).count() == 1


def test_an_author_who_may_no_longer_see_the_report_is_not_reminded(world, report):
    Officer.objects.unrestricted(reason="test").filter(
        pk=world.user("us_analyst").officer.pk
    ).update(active=False)
    from alianza.access.rules import forget_reader

    forget_reader(world.user("us_analyst"))
    assert review_reminders_send(today=REVIEW) == 0
    assert not _notes(report).exists()


def test_the_command_sends_them_and_the_page_links_to_the_report(world, report, client):
    call_command("send-reminders", today=(REVIEW - dt.timedelta(days=1)).isoformat())
    assert _notes(report).count() == 1
    login_verified(client, world.user("us_analyst"))
    page = client.get("/notifications/").content.decode()
    assert f"/intel/reports/{report.pk}/" in page
