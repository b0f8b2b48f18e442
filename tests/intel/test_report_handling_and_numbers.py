"""A report's handling follows its releasability unless the author chooses; "internal only" on a
report releasable to another agency is refused (form and API). Every report shows its number
(agency code and id) on the list, its page and in the API, and an RFI answer cites a report by
that number, resolved through the access layer."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from alianza.access.services import marking_get_or_create
from alianza.audit.models import AuditEvent
from alianza.intel.models import Report, RequestForInformation
from alianza.intel.selectors import report_not_found_message
from alianza.intel.services import report_create

from conftest import login_verified

pytestmark = pytest.mark.django_db


def _form(world, **extra):
    return {
        "title": "Form report ORANGEBOX",
        "body": "Body.",
        "language": "en",
        "basis_for_entry": "Basis.",
        "source_reliability": "F",
        "information_credibility": "6",
        **extra,
    }


def _report_titled(title):
    return Report.objects.unrestricted(reason="test").get(title=title)


def test_the_report_form_leaves_handling_to_follow_the_releasability_by_default(world, client):
    login_verified(client, world.user("us_analyst"))
    page = client.get(reverse("intel:report_create")).content.decode()
    # The blank "automatic" choice is selected, not "internal only".
    assert '<option value="" selected>' in page
    assert '<option value="internal_only" selected>' not in page


@pytest.mark.parametrize(
    ("releasable", "handling"),
    [(True, "originator_approval"), (False, "internal_only")],
)
def test_a_report_saved_with_the_default_handling_gets_one_consistent_with_its_releasability(
    world, client, releasable, handling
):
    login_verified(client, world.user("us_analyst"))
    data = _form(world, handling="", releasable_to=[world.mx.pk] if releasable else [])
    response = client.post(reverse("intel:report_create"), data)
    assert response.status_code == 302
    report = _report_titled("Form report ORANGEBOX")
    assert report.handling == handling
    assert report.marking.releasable_to.filter(pk=world.mx.pk).exists() is releasable


def test_the_report_form_refuses_internal_only_for_a_report_releasable_to_a_partner(world, client):
    login_verified(client, world.user("us_analyst"))
    data = _form(world, handling="internal_only", releasable_to=[world.mx.pk])
    response = client.post(reverse("intel:report_create"), data)
    assert response.status_code == 200
    assert "handling" in response.context["form"].errors
    assert "contradicts releasing the report" in response.context["form"].errors["handling"][0]
    assert not Report.objects.unrestricted(reason="test").filter(title=data["title"]).exists()


def _api_payload(**extra):
    return {
        "title": "API report PANGALACTIC",
        "body": "b",
        "language": "en",
        "basis_for_entry": "basis",
        **extra,
    }


def test_the_api_refuses_internal_only_with_releasable_to_naming_the_field(world, client):
    login_verified(client, world.user("us_analyst"))
    response = client.post(
        "/api/intel/reports",
        _api_payload(handling="internal_only", releasable_to=["MXFP"]),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "handling"
    assert not Report.objects.unrestricted(reason="test").filter(title__contains="API").exists()


@pytest.mark.parametrize(
    ("releasable_to", "handling"),
    [(["MXFP"], "originator_approval"), ([], "internal_only")],
)
def test_the_api_default_handling_follows_the_releasability(world, client, releasable_to, handling):
    login_verified(client, world.user("us_analyst"))
    response = client.post(
        "/api/intel/reports",
        _api_payload(releasable_to=releasable_to),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["handling"] == handling
    assert data["number"] == f"USBP-{data['id']}"


def test_an_analyst_choosing_a_consistent_handling_keeps_it(world):
    marking = marking_get_or_create(originating_agency=world.us, releasable_to=[world.mx])
    report = report_create(
        actor=world.user("us_analyst"),
        title="Disseminate FENCHURCH",
        body="b",
        language="en",
        basis_for_entry="basis",
        marking=marking,
        handling=Report.Handling.DISSEMINATE,
    )
    assert report.handling == Report.Handling.DISSEMINATE


def test_each_report_shows_its_agency_prefixed_number_on_the_list_page_and_api(world, client):
    login_verified(client, world.user("mx_analyst"))
    shared, mine = world.reports["us_shared"], world.reports["mx_shared"]
    assert shared.number == f"USBP-{shared.pk}" and mine.number == f"MXFP-{mine.pk}"
    listing = client.get(reverse("intel:report_list")).content.decode()
    assert shared.number in listing and mine.number in listing
    # A report the reader may not see is not listed, and neither is its number.
    assert world.reports["us_internal"].number not in listing
    detail = client.get(reverse("intel:report_detail", args=[shared.pk])).content.decode()
    assert f'<dd id="report-number">{shared.number}</dd>' in detail
    items = client.get("/api/intel/reports").json()["items"]
    assert {item["id"]: item["number"] for item in items}[shared.pk] == shared.number
    assert client.get(f"/api/intel/reports/{shared.pk}").json()["number"] == shared.number


@pytest.mark.parametrize(
    "typed", ["{number}", "{number_lower}", " USBP {pk} ", "#{pk}", "{pk}", "USBP – {pk}"]
)
def test_an_rfi_answer_cites_a_report_by_its_number(world, client, typed):
    rfi, report = world.rfis["mx_to_us"], world.reports["us_shared"]
    login_verified(client, world.user("us_analyst"))
    text = typed.format(number=report.number, number_lower=report.number.lower(), pk=report.pk)
    response = client.post(reverse("intel:rfi_answer", args=[rfi.pk]), {"answer_report": text})
    assert response.status_code == 302
    rfi.refresh_from_db()
    assert rfi.status == "answered" and rfi.answer_report_id == report.pk
    # The asker sees the answering report by its number.
    login_verified(client, world.user("mx_analyst"))
    page = client.get(reverse("intel:rfi_detail", args=[rfi.pk])).content.decode()
    assert report.number in page


def _answer_messages(client, rfi, number):
    response = client.post(
        reverse("intel:rfi_answer", args=[rfi.pk]), {"answer_report": number}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("intel:rfi_detail", args=[rfi.pk])
    return [str(m) for m in response.context["messages"]], response.content.decode()


def test_an_unseen_report_number_is_not_found_exactly_like_a_missing_one(world, client):
    rfi = world.rfis["mx_to_us"]
    login_verified(client, world.user("us_analyst"))
    hidden = world.reports["mx_internal"]  # exists, but the U.S. analyst may not see it
    missing_pk = Report.objects.unrestricted(reason="test").order_by("-pk").first().pk + 1000
    cases = {
        "hidden": hidden.number,
        "missing": f"MXFP-{missing_pk}",
        "wrong agency": f"MXFP-{world.reports['us_shared'].pk}",
        "nonsense": "the report about the tunnel",
    }
    pages = set()
    for number in cases.values():
        shown, page = _answer_messages(client, rfi, number)
        assert shown == [report_not_found_message(number)]
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
        pages.add(page.replace(number, "N").replace(escape(number), "N"))
    # The same page, word for word, but for the number typed (and the masked CSRF token).
    assert len(pages) == 1
    rfi.refresh_from_db()
    assert rfi.status == "open" and rfi.answer_report_id is None
    denied = AuditEvent.objects.unrestricted(reason="test").filter(
        action="access.denied", object_type="intel.report"
    )
    # The probe of a hidden report is audited; a visible report under a wrong prefix is a typo.
    assert denied.filter(object_id=str(hidden.pk)).exists()
    assert not denied.filter(object_id=str(world.reports["us_shared"].pk)).exists()


def test_the_api_answers_an_rfi_by_report_number_and_hides_unseen_reports(world, client):
    rfi, report = world.rfis["mx_to_us"], world.reports["us_shared"]
    login_verified(client, world.user("us_analyst"))
    url = f"/api/intel/rfis/{rfi.pk}/answer"
    hidden = world.reports["mx_internal"].number
    missing = f"MXFP-{world.reports['mx_internal'].pk + 1000}"
    answers = []
    for number in (hidden, missing):
        response = client.post(url, {"answer_report": number}, content_type="application/json")
        assert response.status_code == 422
        body = response.json()
        assert body["field"] == "answer_report"
        answers.append(response.content.decode().replace(number, "N"))
    assert answers[0] == answers[1]
    response = client.post(url, {"answer_report": report.number}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "answered"
    answered = RequestForInformation.objects.unrestricted(reason="test").get(pk=rfi.pk)
    assert answered.answer_report_id == report.pk
