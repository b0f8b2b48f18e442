"""Exports obey each report's handling code: internal only, only with originator approval,
may be disseminated. Refusals are audited and name only what the exporter may already see."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from alianza.access.services import marking_get_or_create
from alianza.audit.models import AuditEvent
from alianza.exports.models import ExportRecord
from alianza.exports.render import extract_pdf_text
from alianza.exports.services import (
    REFUSED_INTERNAL,
    REFUSED_NEEDS_APPROVAL,
    ExportRefused,
    export_create,
    export_refusal,
)
from alianza.intel.models import Report
from alianza.intel.services import report_create, report_reshare, reshare_decide

from conftest import login_verified

pytestmark = pytest.mark.django_db


def _audits(action):
    return AuditEvent.objects.unrestricted(reason="test").filter(action=action)


def _records():
    return ExportRecord.objects.unrestricted(reason="test")


def _export(world, user_key, report_keys, agency, **kwargs):
    return export_create(
        actor=world.user(user_key),
        recipient="Ramona Vidal",
        recipient_agency=agency,
        reports=[world.reports[k] for k in report_keys],
        fmt=kwargs.pop("fmt", "csv"),
        **kwargs,
    )


class _R:
    """A stand-in report for the pure rule."""

    def __init__(self, handling, orcon=False, agency_id=1):
        self.handling, self.agency_id = handling, agency_id
        self.marking = type("M", (), {"originator_control": orcon})()


US, MX, GT = 1, 2, 3


@pytest.mark.parametrize(
    ("handling", "orcon", "recipient", "exporter", "analyst", "approved", "expected"),
    [
        # a recipient of the originating agency receives anything
        ("internal_only", False, US, MX, True, set(), None),
        ("originator_approval", True, US, MX, True, set(), None),
        # internal only: nobody else, whoever exports, approval or not
        ("internal_only", False, MX, US, True, set(), REFUSED_INTERNAL),
        ("internal_only", False, MX, MX, True, {MX}, REFUSED_INTERNAL),
        # originator approval: the originator's analyst, or a recorded approval
        ("originator_approval", False, MX, MX, True, set(), REFUSED_NEEDS_APPROVAL),
        ("originator_approval", False, MX, MX, True, {GT}, REFUSED_NEEDS_APPROVAL),
        ("originator_approval", False, MX, MX, True, {MX}, None),
        ("originator_approval", False, MX, US, True, set(), None),
        ("originator_approval", False, MX, US, False, set(), REFUSED_NEEDS_APPROVAL),
        # an originator-controlled marking needs approval even when disseminable
        ("disseminate", True, GT, MX, True, set(), REFUSED_NEEDS_APPROVAL),
        ("disseminate", True, GT, MX, True, {GT}, None),
        ("disseminate", False, GT, MX, True, set(), None),
    ],
)
def test_the_handling_rule_cell_by_cell(
    handling, orcon, recipient, exporter, analyst, approved, expected
):
    result = export_refusal(
        _R(handling, orcon, agency_id=US),
        recipient_agency_id=recipient,
        exporter_agency_id=exporter,
        exporter_is_originator_analyst=analyst,
        approved_agency_ids=approved,
    )
    assert result == expected


def test_internal_only_report_for_another_agencys_recipient_is_refused_and_audited(world):
    with pytest.raises(ExportRefused) as refused:
        _export(world, "us_analyst", ["us_internal"], world.mx)
    assert [(r.pk, why) for r, why in refused.value.refused] == [
        (world.reports["us_internal"].pk, REFUSED_INTERNAL)
    ]
    assert "MXFP" in refused.value.messages[0]
    assert not _records().exists()
    event = _audits("export.refuse").get()
    assert event.outcome == "denied" and event.actor_username == "us.analyst"
    assert event.details["refused"] == {str(world.reports["us_internal"].pk): REFUSED_INTERNAL}
    assert event.details["recipient_agency"] == "MXFP"
    assert not _audits("export").exists()


def test_internal_only_report_may_go_to_a_recipient_of_its_originating_agency(world):
    record, data = _export(world, "us_analyst", ["us_internal"], world.us)
    assert world.reports["us_internal"].title in data.decode()
    # The partner's analyst, who may read it, may send it back to the originator too...
    _export(world, "mx_analyst", ["us_shared"], world.us)
    # ...but not to a colleague of their own agency: internal to the originator means that.
    with pytest.raises(ExportRefused):
        _export(world, "mx_analyst", ["us_shared"], world.mx)
    assert _records().count() == 2


def test_originator_approval_report_needs_an_approval_for_the_recipients_agency(world):
    with pytest.raises(ExportRefused) as refused:
        _export(world, "mx_analyst", ["us_orcon"], world.third)
    assert refused.value.refused[0][1] == REFUSED_NEEDS_APPROVAL
    # The originating agency approves the pending request to share it with the third agency.
    reshare_decide(actor=world.user("us_analyst"), request=world.reshares["orcon"], approve=True)
    report = Report.objects.visible_to(world.user("mx_analyst")).get(
        pk=world.reports["us_orcon"].pk
    )
    record, _ = export_create(
        actor=world.user("mx_analyst"),
        recipient="Lucía Ortega",
        recipient_agency=world.third,
        reports=[report],
        fmt="csv",
    )
    assert record.recipient_agency == world.third
    # The approval named the third agency only: a Mexican recipient still needs its own.
    with pytest.raises(ExportRefused):
        _export(world, "mx_analyst", ["us_orcon"], world.mx)


def test_a_refused_request_is_no_approval(world):
    reshare_decide(actor=world.user("us_analyst"), request=world.reshares["orcon"], approve=False)
    with pytest.raises(ExportRefused):
        _export(world, "mx_analyst", ["us_orcon"], world.third)


def test_an_approval_asked_for_the_exporters_own_agency_lets_them_export_to_it(world):
    request = report_reshare(
        actor=world.user("mx_analyst"),
        report=world.reports["us_orcon"],
        add_agencies=[world.mx],
        justification="For the Sonora prosecutor",
    )
    with pytest.raises(ExportRefused):
        _export(world, "mx_analyst", ["us_orcon"], world.mx)
    reshare_decide(actor=world.user("us_analyst"), request=request, approve=True)
    _export(world, "mx_analyst", ["us_orcon"], world.mx)


def test_the_originators_analyst_decides_for_their_own_report_and_the_audit_says_so(world):
    record, _ = _export(world, "us_analyst", ["us_orcon"], world.mx)
    event = _audits("export").get()
    assert event.details["approved_by_originator_exporter"] == [world.reports["us_orcon"].pk]
    assert event.details["recipient_agency"] == "MXFP"


def test_disseminable_report_goes_to_any_agency(world):
    report = report_create(
        actor=None,
        agency=world.mx,
        title="MX difundible OPUNTIA",
        body="Texto.",
        language="es",
        basis_for_entry="Test.",
        marking=marking_get_or_create(originating_agency=world.mx, releasable_to=[world.us]),
        handling="disseminate",
    )
    record, data = export_create(
        actor=world.user("us_analyst"),
        recipient="Guatemalan liaison",
        recipient_agency=world.third,
        reports=[report],
        fmt="csv",
    )
    assert "OPUNTIA" in data.decode()


def test_result_list_with_a_refused_row_is_refused_whole_and_names_only_visible_rows(world, client):
    login_verified(client, world.user("mx_analyst"))
    url = reverse("exports:results_export") + "?q=US"
    data = {"recipient": "Hugo Mena", "recipient_agency": world.mx.pk, "format": "csv"}
    page = client.post(url, data)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    body = page.content.decode()
    refused_block = body.split('id="export-refused"')[1].split("</ul></li></ul>")[0]
    # us_shared is internal only, us_orcon needs approval; mx_shared (their own) is fine.
    for key in ("us_shared", "us_orcon"):
        assert world.reports[key].title in refused_block
    assert world.reports["mx_shared"].title not in refused_block
    for key in ("us_internal", "us_compartment", "us_expired"):
        assert world.reports[key].title not in body
    assert not _records().exists()
    event = _audits("export.refuse").get()
    assert set(event.details["refused"]) == {
        str(world.reports["us_shared"].pk),
        str(world.reports["us_orcon"].pk),
    }


def test_result_list_export_may_leave_the_refused_rows_out_silently_for_the_recipient(
    world, client
):
    login_verified(client, world.user("mx_analyst"))
    url = reverse("exports:results_export") + "?q=US"
    data = {"recipient": "Hugo Mena", "recipient_agency": world.mx.pk, "format": "csv"}
    response = client.post(url, {**data, "omit_refused": "on"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert world.reports["mx_shared"].title in text
    for key in ("us_shared", "us_orcon", "us_internal", "us_compartment"):
        assert world.reports[key].title not in text
    assert "left" not in text.lower() and "omit" not in text.lower()
    record = _records().get()
    assert record.object_ids == [world.reports["mx_shared"].pk]
    event = _audits("export").get()
    assert set(event.details["left_out"]) == {
        str(world.reports["us_shared"].pk),
        str(world.reports["us_orcon"].pk),
    }


def test_leaving_out_every_row_is_still_a_refusal(world):
    with pytest.raises(ExportRefused):
        _export(world, "mx_analyst", ["us_shared", "us_orcon"], world.mx, omit_refused=True)
    assert not _records().exists() and _audits("export.refuse").count() == 1


def test_report_export_page_explains_a_refusal_and_downloads_nothing(world, client):
    login_verified(client, world.user("us_analyst"))
    report = world.reports["us_internal"]
    url = reverse("exports:report_export", args=[report.pk])
    form = client.get(url).content.decode()
    assert "omit_refused" not in form
    page = client.post(url, {"recipient": "X", "recipient_agency": world.mx.pk, "format": "pdf"})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    body = page.content.decode()
    assert "export-refused" in body and "internal only" in body
    assert not _records().exists()


def test_recipients_agency_is_required(world, client):
    login_verified(client, world.user("us_analyst"))
    url = reverse("exports:report_export", args=[world.reports["us_internal"].pk])
    page = client.post(url, {"recipient": "X", "format": "pdf"})
    assert page.status_code == 200
    assert "recipient_agency" in page.context["form"].errors
    assert not _records().exists()


def test_exports_carry_both_gradings(world):
    report = world.reports["us_shared"]
    Report.objects.unrestricted(reason="test").filter(pk=report.pk).update(
        source_reliability="D", information_credibility="5"
    )
    report = Report.objects.visible_to(world.user("us_analyst")).get(pk=report.pk)
    _, data = export_create(
        actor=world.user("us_analyst"),
        recipient="R",
        recipient_agency=world.us,
        reports=[report],
        fmt="csv",
    )
    rows = list(csv.reader(io.StringIO(data.decode())))
    header, row = rows[1], rows[2]
    assert dict(zip(header, row, strict=True))["grading"] == "D5"
    assert dict(zip(header, row, strict=True))["europol_grading"] == "C4"
    _, pdf = export_create(
        actor=world.user("us_analyst"),
        recipient="R",
        recipient_agency=world.us,
        reports=[report],
        fmt="pdf",
    )
    text = extract_pdf_text(pdf)
    assert "D5 (Admiralty)" in text and "C4 (Europol 4x4)" in text
