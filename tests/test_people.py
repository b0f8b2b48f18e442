"""Agencies' people: an agency administrator manages only their own agency."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from alianza.access.getters import RecordNotFound
from alianza.agencies.models import Officer, Unit
from alianza.agencies.services import officer_create, officer_set_roles, officer_update
from alianza.audit.models import AuditEvent

from conftest import login_verified

pytestmark = pytest.mark.django_db


def test_agency_admin_creates_an_officer_of_their_own_agency(world, client):
    login_verified(client, world.user("us_admin"))
    unit = Unit.objects.get(agency=world.us, code="NGL")
    response = client.post(
        "/people/officers/new/",
        {
            "badge_number": "US-777",
            "given_name": "Rosa",
            "family_name": "Durán",
            "unit": unit.pk,
            "languages": ["en", "es"],
            "username": "us.rosa",
            "roles": ["patrol_agent"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    officer = Officer.objects.unrestricted(reason="test").get(badge_number="US-777")
    assert officer.agency == world.us and officer.user.groups.filter(name="patrol_agent").exists()
    event = AuditEvent.objects.unrestricted(reason="test").get(
        action="officer.create", object_id=str(officer.pk)
    )
    assert event.actor_username == "us.admin"


def test_admin_cannot_pick_a_unit_of_the_other_agency(world, client):
    login_verified(client, world.user("us_admin"))
    mx_unit = Unit.objects.get(agency=world.mx)
    response = client.post(
        "/people/officers/new/",
        {
            "badge_number": "US-778",
            "given_name": "A",
            "family_name": "B",
            "unit": mx_unit.pk,
        },
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Officer.objects.unrestricted(reason="test").filter(badge_number="US-778").exists()


def test_admin_of_one_agency_can_never_edit_the_other(world):
    mx_officer = world.officers["mx"]
    with pytest.raises(RecordNotFound):
        officer_update(actor=world.user("us_admin"), officer=mx_officer, rank="Comandante")
    with pytest.raises(RecordNotFound):
        officer_create(
            actor=world.user("us_admin"),
            agency=world.mx,
            badge_number="X",
            given_name="X",
            family_name="Y",
        )
    with pytest.raises(RecordNotFound):
        officer_set_roles(
            actor=world.user("us_admin"), officer=world.officers["mx"], roles=["agency_admin"]
        )


def test_non_admin_cannot_manage_officers(world):
    with pytest.raises(RecordNotFound):
        officer_update(actor=world.user("us_analyst"), officer=world.officers["us"], rank="Chief")


def test_edit_form_saves_through_the_service(world, client):
    login_verified(client, world.user("us_admin"))
    officer = world.officers["us"]
    response = client.post(
        f"/people/officers/{officer.pk}/edit/",
        {
            "badge_number": officer.badge_number,
            "given_name": officer.given_name,
            "family_name": officer.family_name,
            "rank": "Supervisory Border Patrol Agent",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.rank == "Supervisory Border Patrol Agent"
    event = AuditEvent.objects.unrestricted(reason="test").get(action="officer.update")
    assert event.details["changed"]["rank"][1] == "Supervisory Border Patrol Agent"


def test_duplicate_badge_is_a_clear_field_error(world):
    with pytest.raises(ValidationError):
        officer_create(
            actor=None,
            agency=world.us,
            badge_number=world.officers["us"].badge_number,
            given_name="Dup",
            family_name="Licate",
        )


def test_api_errors_name_the_field(world, client):
    login_verified(client, world.user("us_admin"))
    response = client.post(
        "/api/officers",
        data=json.dumps({"given_name": "A", "family_name": "B"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "badge_number"
    response = client.post(
        "/api/officers",
        data=json.dumps(
            {
                "badge_number": world.officers["us"].badge_number,
                "given_name": "A",
                "family_name": "B",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422 and "field" in response.json()


def test_api_lists_are_paginated(world, client):
    client.force_login(world.user("us_analyst"))
    data = client.get("/api/officers?page=1").json()
    assert set(data) == {"items", "count"} and data["count"] == len(data["items"])


def test_openapi_schema_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Alianza API"
    assert "/api/intel/reports" in schema["paths"]


def test_admin_site_is_limited_to_own_agency(world, client):
    world.user("us_admin").is_staff = True
    world.user("us_admin").save()
    login_verified(client, world.user("us_admin"))
    body = client.get("/admin/agencies/unit/").content.decode()
    assert "Nogales Station" in body and "Zona Nogales" not in body
    mx_unit = Unit.objects.get(agency=world.mx)
    assert client.get(f"/admin/agencies/unit/{mx_unit.pk}/change/").status_code in (302, 404)
    client.force_login(world.user("us_analyst"))
    assert client.get("/admin/agencies/unit/").status_code == 302  # not staff: to admin login
