"""Issue 13, findings 1 and 5.

1. A re-share decision starts from the access layer: an analyst of the originating agency who
   may not read the report (here: without its compartment) gets the 404 of a missing request,
   and nothing is decided, so the partner's export stays refused.
5. The audit entries of two probes answered with the same 404 (a partner's hidden record, an id
   that does not exist) are the same for the prober's agency's integrity officers, on the page
   and in the API; only the record's owning agency learns that its record was probed.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from alianza.access.getters import RecordNotFound
from alianza.audit.models import AuditEvent
from alianza.audit.verify import verify_chain
from alianza.exports.services import REFUSED_NEEDS_APPROVAL, ExportRefused, export_create
from alianza.intel.models import Report, ReshareRequest
from alianza.intel.services import report_reshare, reshare_decide

from conftest import login_verified, make_report

pytestmark = pytest.mark.django_db


def _audit():
    return AuditEvent.objects.unrestricted(reason="test")


def _compartmented_orcon_request(world) -> tuple[Report, ReshareRequest]:
    """A U.S. ORCON report in the compartment, released to Mexico; a Mexican analyst with the
    compartment asks to share it further with the third agency."""
    report = make_report(
        agency=world.us,
        title="US ORCON compartment MARVIN",
        releasable_to=[world.mx],
        compartments=[world.compartment],
        originator_control=True,
        handling="originator_approval",
    )
    request = report_reshare(
        actor=world.user("mx_comp"),
        report=report,
        add_agencies=[world.third],
        justification="Guatemala holds the courier TRILLIAN",
    )
    assert isinstance(request, ReshareRequest)
    return report, request


def _export_to_third(world, report):
    return export_create(
        actor=world.user("mx_comp"),
        recipient="Lucía Ortega",
        recipient_agency=world.third,
        reports=[Report.objects.visible_to(world.user("mx_comp")).get(pk=report.pk)],
        fmt="csv",
    )


def _nothing_decided(world, report, request) -> None:
    request.refresh_from_db()
    assert request.status == ReshareRequest.Status.PENDING and request.decided_by_id is None
    assert (
        not _audit()
        .filter(action__startswith="report.reshare_", object_id=str(report.pk))
        .exclude(action="report.reshare_request")
        .exists()
    )
    report = Report.objects.unrestricted(reason="test").get(pk=report.pk)
    assert "GTPN" not in report.marking.summary
    with pytest.raises(ExportRefused) as refused:
        _export_to_third(world, report)
    assert refused.value.refused[0][1] == REFUSED_NEEDS_APPROVAL


class TestReshareDecisionNeedsTheReport:
    def test_originating_analyst_without_the_compartment_gets_404_on_the_page(self, world, client):
        report, request = _compartmented_orcon_request(world)
        client.force_login(world.user("us_nocomp"))
        answers = []
        for pk in (request.pk, request.pk + 1000):  # the request, then a missing one
            url = reverse("intel:reshare_decide", args=[pk])
            response = client.post(url, {"decision": "approve"})
            body = re.sub(
                r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode()
            )
            answers.append((response.status_code, body.replace(url, "U")))  # masked CSRF token
        assert answers[0][0] == 404 and answers[0] == answers[1]
        _nothing_decided(world, report, request)

    def test_originating_analyst_without_the_compartment_cannot_decide_in_the_service(self, world):
        report, request = _compartmented_orcon_request(world)
        for approve in (True, False):
            with pytest.raises(RecordNotFound):
                reshare_decide(actor=world.user("us_nocomp"), request=request, approve=approve)
        _nothing_decided(world, report, request)

    def test_the_request_is_not_offered_to_who_cannot_read_the_report(self, world, client):
        _report, request = _compartmented_orcon_request(world)
        client.force_login(world.user("us_nocomp"))
        body = client.get(reverse("intel:reshare_list")).content.decode()
        assert "TRILLIAN" not in body
        assert reverse("intel:reshare_decide", args=[request.pk]) not in body
        client.force_login(world.user("us_analyst"))
        body = client.get(reverse("intel:reshare_list")).content.decode()
        assert "TRILLIAN" in body and reverse("intel:reshare_decide", args=[request.pk]) in body

    def test_analyst_with_the_compartment_decides_and_the_export_goes_through(self, world, client):
        report, request = _compartmented_orcon_request(world)
        client.force_login(world.user("us_analyst"))
        response = client.post(
            reverse("intel:reshare_decide", args=[request.pk]), {"decision": "approve"}
        )
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.status == ReshareRequest.Status.APPROVED
        assert request.decided_by.user_id == world.user("us_analyst").pk
        record, _ = _export_to_third(world, report)
        assert record.recipient_agency == world.third

    def test_a_decided_request_is_refused_only_after_the_access_check(self, world):
        report, request = _compartmented_orcon_request(world)
        reshare_decide(actor=world.user("us_analyst"), request=request, approve=False)
        with pytest.raises(RecordNotFound):  # not "already decided": that would confirm it
            reshare_decide(actor=world.user("us_nocomp"), request=request, approve=True)


# --- finding 5 -----------------------------------------------------------------------------

PROBES = {
    "page": lambda pk: f"/intel/reports/{pk}/",
    "api": lambda pk: f"/api/intel/reports/{pk}",
}

# What differs between any two entries whatever they record.
PER_ENTRY = {"seq", "time", "entry_hash", "request_id", "object_id"}


def _probe(world, client, route, pk) -> int:
    """Probe report `pk` as the Mexican analyst; how many audit entries it appended."""
    login_verified(client, world.user("mx_analyst"))
    before = _audit().count()
    assert client.get(PROBES[route](pk)).status_code == 404
    return _audit().count() - before


def _api_entries(client, user, pk) -> list[dict]:
    login_verified(client, user)
    response = client.get(
        "/api/audit/events",
        {"object_id": str(pk), "object_type": "intel.report", "action": "access."},
    )
    assert response.status_code == 200
    return response.json()["items"]


def _page_rows(client, user, pk) -> list[str]:
    """The audit page's rows for object `pk`, without the sequence number and time cells and
    with the id replaced."""
    login_verified(client, user)
    response = client.get(
        "/audit/", {"object_id": str(pk), "object_type": "intel.report", "action": "access."}
    )
    assert response.status_code == 200
    tbody = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", tbody, flags=re.S)
    rows = [re.sub(r"^<td>\d+</td><td>[^<]*</td>", "", row) for row in rows]
    return [row.replace(f"intel.report {pk}<", "intel.report N<") for row in rows]


@pytest.mark.parametrize("route", sorted(PROBES))
def test_the_probers_agency_cannot_tell_a_hidden_report_from_a_missing_one(world, client, route):
    hidden = world.reports["us_internal"].pk
    missing = Report.objects.unrestricted(reason="test").order_by("-pk").first().pk + 1000
    # The same number of entries, so the sequence numbers left free do not tell either.
    assert _probe(world, client, route, hidden) == _probe(world, client, route, missing)

    mx_integrity = world.user("mx_integrity")
    seen_hidden = _api_entries(client, mx_integrity, hidden)
    seen_missing = _api_entries(client, mx_integrity, missing)
    assert len(seen_hidden) == len(seen_missing) == 1
    assert seen_hidden[0]["actor_username"] == "mx.analyst"
    assert seen_hidden[0]["action"] == "access.not_found"

    def strip(entry):
        return {k: v for k, v in entry.items() if k not in PER_ENTRY}

    assert strip(seen_hidden[0]) == strip(seen_missing[0])
    # The stored entries they see (hashed content included) differ only by the id.
    stored = {
        pk: _audit().get(seq=entries[0]["seq"])
        for pk, entries in ((hidden, seen_hidden), (missing, seen_missing))
    }
    for field in ("action", "outcome", "details", "object_agency_code", "marking_summary"):
        assert getattr(stored[hidden], field) == getattr(stored[missing], field), field

    rows_hidden = _page_rows(client, mx_integrity, hidden)
    rows_missing = _page_rows(client, mx_integrity, missing)
    assert len(rows_hidden) == 1 and rows_hidden == rows_missing

    # The owning agency's integrity officers see that their report was probed, and by whom.
    us_integrity = world.user("us_integrity")
    owner_view = _api_entries(client, us_integrity, hidden)
    assert [(e["action"], e["outcome"], e["actor_username"]) for e in owner_view] == [
        ("access.denied", "denied", "mx.analyst")
    ]
    assert not _api_entries(client, us_integrity, missing)
    assert verify_chain().ok


def test_a_probe_of_the_probers_own_agencys_record_stays_denied_for_that_agency(world, client):
    report = world.reports["us_compartment"]
    login_verified(client, world.user("us_nocomp"))
    assert client.get(f"/intel/reports/{report.pk}/").status_code == 404
    seen = _api_entries(client, world.user("us_integrity"), report.pk)
    assert [(e["action"], e["outcome"], e["actor_username"]) for e in seen] == [
        ("access.denied", "denied", "us.nocomp")
    ]
    assert not _api_entries(client, world.user("mx_integrity"), report.pk)
    assert verify_chain().ok
