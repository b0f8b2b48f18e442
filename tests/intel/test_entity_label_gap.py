"""An entity is shared by every report that names the same selector, but what one report calls
it (a label such as "Informant BLUEJAY") belongs to that report: it reaches only readers of
that report (pages, API, entity search), and other readers see the entity's neutral label."""

from __future__ import annotations

import pytest

from alianza.intel.graph import entity_mention
from alianza.search.selectors import entity_search

from conftest import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_phone(world):
    # The Mexican internal report names the phone first, with a revealing label...
    hidden = entity_mention(
        actor=None,
        report=world.reports["mx_internal"],
        kind="phone",
        raw="+52 631 999 8877",
        label="Informant BLUEJAY",
    ).entity
    # ...then a U.S. report names the same phone, written differently.
    seen = entity_mention(
        actor=None, report=world.reports["us_internal"], kind="phone", raw="(631) 999-8877"
    ).entity
    assert hidden.pk == seen.pk
    return seen


def test_a_label_from_a_hidden_report_is_not_shown(world, shared_phone, client):
    login_verified(client, world.user("us_analyst"))
    body = client.get("/api/intel/entities").content.decode()
    assert "+526319998877" in body or "999" in body
    assert "BLUEJAY" not in body


def test_a_label_from_a_hidden_report_does_not_find_the_entity(world, shared_phone):
    assert not entity_search(reader=world.user("us_analyst"), q="bluejay").exists()


def test_readers_of_the_labelling_report_see_the_label(world, shared_phone, client):
    login_verified(client, world.user("mx_analyst"))
    assert "BLUEJAY" in client.get("/api/intel/entities").content.decode()
    assert "BLUEJAY" in client.get(f"/intel/entities/{shared_phone.pk}/").content.decode()
    assert entity_search(reader=world.user("mx_analyst"), q="bluejay").exists()
    login_verified(client, world.user("us_analyst"))
    page = client.get(f"/intel/entities/{shared_phone.pk}/").content.decode()
    assert "+526319998877" in page and "BLUEJAY" not in page
    assert "BLUEJAY" not in client.get("/search/?q=8877").content.decode()
