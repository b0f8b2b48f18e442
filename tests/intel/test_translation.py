"""A report's optional translation, with its translator and status, under the report's marking."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alianza.access.getters import RecordNotFound
from alianza.audit.models import AuditEvent
from alianza.intel.models import Report
from alianza.intel.services import report_translate

from conftest import login_verified

pytestmark = pytest.mark.django_db


def _fresh(report) -> Report:
    return Report.objects.unrestricted(reason="test").get(pk=report.pk)


def test_a_new_report_has_no_translation_and_translates_into_the_other_language(world):
    us_report, mx_report = world.reports["us_shared"], world.reports["mx_shared"]
    assert us_report.translation_status == Report.TranslationStatus.NONE
    assert us_report.translated_body == "" and us_report.translator is None
    assert us_report.translation_language == "es"
    mx_report.language = "es"
    assert mx_report.translation_language == "en"


def test_a_partner_analyst_translates_a_shared_report_and_the_audit_records_it(world):
    report = world.reports["us_shared"]
    report_translate(
        actor=world.user("mx_analyst"),
        report=report,
        title="Compartido con MX",
        body="Cuerpo traducido.",
        status="draft",
    )
    report = _fresh(report)
    assert report.translated_title == "Compartido con MX"
    assert report.translated_body == "Cuerpo traducido."
    assert report.translation_status == "draft"
    assert report.translator == world.officers["mx"]
    event = (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="report.translate", object_id=str(report.pk))
        .get()
    )
    assert event.actor_username == "mx.analyst"
    assert event.details["status"] == "draft" and event.details["language"] == "es"
    assert "Cuerpo" not in str(event.details)  # the audit names the change, not the text

    report_translate(
        actor=world.user("us_analyst"), report=report, title="", body="Revisado.", status="reviewed"
    )
    report = _fresh(report)
    assert report.translation_status == "reviewed" and report.translator.user.username == (
        "us.analyst"
    )


@pytest.mark.parametrize(
    ("user_key", "report_key"),
    [
        ("mx_analyst", "us_internal"),  # not releasable to MXFP (a tearline-only reader)
        ("us_nocomp", "us_compartment"),  # compartment not held
        ("us_inactive", "us_shared"),  # inactive officer
        ("us_training", "us_shared"),  # sees the report but is no analyst
    ],
)
def test_only_analysts_who_may_read_the_report_translate_it(world, user_key, report_key):
    report = world.reports[report_key]
    with pytest.raises(RecordNotFound):
        report_translate(actor=world.user(user_key), report=report, title="", body="x")
    assert _fresh(report).translated_body == ""


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [("", "draft", "translated_body"), ("   ", "reviewed", "translated_body"),
     ("Texto", "none", "translation_status"), ("Texto", "final", "translation_status")],
)  # fmt: skip
def test_an_empty_translation_or_an_unknown_status_is_refused(world, body, status, field):
    with pytest.raises(ValidationError) as error:
        report_translate(
            actor=world.user("us_analyst"),
            report=world.reports["us_shared"],
            title="",
            body=body,
            status=status,
        )
    assert field in error.value.message_dict
    assert _fresh(world.reports["us_shared"]).translation_status == "none"


def test_the_report_page_takes_and_shows_the_translation_and_its_translator(world, client):
    report = world.reports["us_shared"]
    login_verified(client, world.user("mx_analyst"))
    page = client.get(reverse("intel:report_detail", args=[report.pk])).content.decode()
    assert 'id="translation-form"' in page and 'id="translation"' not in page
    response = client.post(
        reverse("intel:report_translate", args=[report.pk]),
        {
            "translated_title": "Compartido ZARNIWOOP",
            "translated_body": "Texto traducido ZARNIWOOP.",
            "translation_status": "reviewed",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("intel:report_detail", args=[report.pk])).content.decode()
    assert "Texto traducido ZARNIWOOP." in page and "Compartido ZARNIWOOP" in page
    assert world.officers["mx"].full_name in page and "reviewed translation" in page
    # The API gives it to every reader of the report...
    login_verified(client, world.user("us_nocomp"))
    data = client.get(f"/api/intel/reports/{report.pk}").json()
    assert data["translated_body"] == "Texto traducido ZARNIWOOP."
    assert data["translation_status"] == "reviewed" and data["translation_language"] == "es"
    assert data["translator_id"] == world.officers["mx"].pk


def test_a_reader_who_may_not_see_the_report_gets_404_from_the_translation_page(world, client):
    report = world.reports["us_internal"]
    login_verified(client, world.user("mx_analyst"))
    response = client.post(
        reverse("intel:report_translate", args=[report.pk]),
        {"translated_body": "Filtración.", "translation_status": "draft"},
    )
    assert response.status_code == 404
    assert _fresh(report).translated_body == ""
