"""Who sees what: the full plan only for supervisors of the operation; each officer only their
own assignment and their mirror partner's contact."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from world_patrols import TODAY

from alianza.agencies.models import Officer
from alianza.audit.models import AuditEvent
from alianza.patrols.models import PatrolAssignment, PatrolAssignmentOfficer, PatrolPlan
from alianza.patrols.services import plan_generate, plan_publish

from world import login_verified, make_user

pytestmark = pytest.mark.django_db
DATE = TODAY + dt.timedelta(days=2)


def _plan(pw, **kwargs):
    return plan_generate(
        actor=pw.user("us_supervisor"),
        operation=pw.operation,
        sector=pw.sector,
        date=DATE,
        shift="night",
        seed=kwargs.pop("seed", 7),
        **kwargs,
    )


def _crew_of(assignment):
    return list(
        PatrolAssignmentOfficer.objects.unrestricted(reason="test")
        .filter(assignment=assignment)
        .values_list("officer_id", flat=True)
    )


def _user_of(officer_id):
    return (
        Officer.objects.unrestricted(reason="test").select_related("user").get(pk=officer_id).user
    )


def _plan_urls(plan):
    assignment = PatrolAssignment.objects.unrestricted(reason="test").filter(plan=plan).first()
    return [
        ("get", reverse("patrols:plan_detail", args=[plan.pk])),
        ("get", reverse("patrols:assignment_edit", args=[assignment.pk])),
        ("post", reverse("patrols:plan_publish", args=[plan.pk])),
        ("post", reverse("patrols:plan_withdraw", args=[plan.pk])),
        ("get", f"/api/patrols/plans/{plan.pk}"),
        ("post", f"/api/patrols/plans/{plan.pk}/publish"),
        ("post", f"/api/patrols/assignments/{assignment.pk}/edit"),
    ]


def test_a_supervisor_generates_a_plan_from_the_page(pw, client):
    login_verified(client, pw.user("us_supervisor"))
    response = client.post(
        reverse("patrols:plan_generate"),
        {
            "operation": pw.operation.pk,
            "sector": pw.sector.pk,
            "date": DATE.isoformat(),
            "shift": "night",
            "seed": "42",
        },
    )
    plan = PatrolPlan.objects.unrestricted(reason="test").get()
    assert response.status_code == 302 and response["Location"].endswith(f"/patrols/{plan.pk}/")
    assert plan.seed == 42 and plan.created_by == pw.user("us_supervisor")
    page = client.get(response["Location"]).content.decode()
    assert "USBP Truck 1" in page and "MXFP Truck 1" in page and "Edited vs solver" in page
    assert (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="patrolplan.view", object_id=str(plan.pk))
        .exists()
    )


def test_the_partner_agencys_supervisor_of_the_operation_sees_the_plan(pw, client):
    plan = _plan(pw)
    login_verified(client, pw.user("mx_supervisor"))
    assert client.get(reverse("patrols:plan_detail", args=[plan.pk])).status_code == 200


@pytest.mark.parametrize("who", ["non_member_supervisor", "member_agent", "other_agency_analyst"])
def test_everyone_but_a_supervisor_of_the_operation_gets_404(pw, client, who):
    plan = _plan(pw)
    if who == "non_member_supervisor":
        user = make_user(agency=pw.w.us, username="us.sup2", roles=["patrol_supervisor"])
        from world import vet_officer

        vet_officer(user.officer)
    elif who == "member_agent":
        user = pw.user("us1")
    else:
        user = pw.user("mx_analyst")
    login_verified(client, user)
    for method, url in _plan_urls(plan):
        if method == "get":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.post(
                url, data=json.dumps({"vehicle": "x"}), content_type="application/json"
            )
        else:
            response = client.post(url)
        assert response.status_code == 404, (who, url, response.status_code)
    listing = client.get(reverse("patrols:plan_list"))
    assert listing.status_code == 404 or "OP-JOINT" not in listing.content.decode()
    api = client.get("/api/patrols/plans")
    assert api.status_code == 404 or api.json()["count"] == 0
    plan.refresh_from_db()
    assert plan.status == PatrolPlan.Status.DRAFT


def test_a_missing_plan_and_a_forbidden_plan_answer_alike(pw, client):
    plan = _plan(pw)
    login_verified(client, pw.user("us1"))
    forbidden = client.get(f"/api/patrols/plans/{plan.pk}")
    missing = client.get("/api/patrols/plans/987654")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_an_officer_sees_only_their_own_assignment_and_their_partners_contact(pw, client):
    plan = _plan(pw)
    plan_publish(actor=pw.user("us_supervisor"), plan=plan)
    mine = (
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan=plan, side="US", mirror__isnull=False)
        .select_related("mirror", "first_segment")
        .first()
    )
    officer_user = _user_of(_crew_of(mine)[0])
    partner = Officer.objects.unrestricted(reason="test").get(pk=_crew_of(mine.mirror)[0])
    own_rows = set(
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan=plan, crew__officer=officer_user.officer)
        .values_list("vehicle", flat=True)
    )
    others = (
        set(
            PatrolAssignment.objects.unrestricted(reason="test")
            .filter(plan=plan, side="US")
            .values_list("vehicle", flat=True)
        )
        - own_rows
    )
    login_verified(client, officer_user)
    page = client.get(reverse("patrols:my_patrols")).content.decode()
    assert mine.vehicle in page and mine.first_segment.segment_id in page
    assert partner.full_name in page and partner.phone in page
    for vehicle in others:
        assert vehicle not in page
    data = client.get("/api/patrols/mine").json()
    assert data["count"] >= 1
    assert {item["vehicle"] for item in data["items"]} == own_rows
    contact = next(item for item in data["items"] if item["id"] == mine.pk)["mirror_partners"]
    assert {
        "name": partner.full_name,
        "agency": partner.agency.name,
        "phone": partner.phone,
        "vehicle": mine.mirror.vehicle,
    } in contact
    assert client.get(reverse("patrols:plan_detail", args=[plan.pk])).status_code == 404


def test_a_draft_plan_shows_nothing_to_its_officers(pw, client):
    plan = _plan(pw)
    assignment = PatrolAssignment.objects.unrestricted(reason="test").filter(plan=plan).first()
    login_verified(client, _user_of(_crew_of(assignment)[0]))
    assert client.get("/api/patrols/mine").json()["count"] == 0
    assert assignment.vehicle not in client.get(reverse("patrols:my_patrols")).content.decode()


def test_the_edit_page_shows_the_rule_an_officer_breaks(pw, client):
    plan = _plan(pw, method={"max_crews": {"truck": 1, "atv": 0}})
    other = _plan(pw, seed=8, method={"max_crews": {"truck": 1, "atv": 0}})
    busy = _crew_of(
        PatrolAssignment.objects.unrestricted(reason="test").filter(plan=plan, side="US").first()
    )[0]
    target = (
        PatrolAssignment.objects.unrestricted(reason="test").filter(plan=other, side="US").first()
    )
    login_verified(client, pw.user("us_supervisor"))
    url = reverse("patrols:assignment_edit", args=[target.pk])
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "officers": [busy],
            "first_segment": target.first_segment.segment_id,
            "last_segment": target.last_segment.segment_id,
            "starts_at": "",
            "ends_at": "",
            "vehicle": target.vehicle,
        },
    )
    assert response.status_code == 200  # the form again, not saved
    from django.utils import timezone

    local_start = timezone.localtime(target.starts_at, timezone=dt.timezone(dt.timedelta(hours=-7)))
    response = client.post(
        url,
        {
            "officers": [busy],
            "first_segment": target.first_segment.segment_id,
            "last_segment": target.last_segment.segment_id,
            "starts_at": local_start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local_start + (target.ends_at - target.starts_at)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "vehicle": target.vehicle,
        },
    )
    body = response.content.decode()
    name = Officer.objects.unrestricted(reason="test").get(pk=busy).full_name
    assert response.status_code == 200 and name in body and "double-booked" in body
