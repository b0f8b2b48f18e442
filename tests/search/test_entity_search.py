"""Entity search: names, aliases and selectors, in both languages, behind the access layer.
An entity (or an alias) known only from reports the reader may not see does not exist for them:
not in results, not in counts, and a query matching only such entities answers like nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from alianza.audit.models import AuditEvent
from alianza.intel.entity_models import Entity, Mention
from alianza.intel.graph import entity_mention
from alianza.search.selectors import entity_facets, entity_search

from conftest import login_verified

pytestmark = pytest.mark.django_db


def _ids(user, q):
    return {e.pk for e in entity_search(reader=user, q=q)}


def _api(client, q):
    return client.get("/api/search/entities", {"q": q}).json()


def test_entity_is_found_by_name_with_or_without_accents_in_both_languages(world):
    org = entity_mention(
        actor=None,
        report=world.reports["us_shared"],
        kind="organisation",
        raw="Los Güeros de Peñasco",
    ).entity
    user = world.user("mx_analyst")
    for q in ("gueros", "Güeros", "GUEROS peñasco", "penasco"):
        assert _ids(user, q) == {org.pk}, q
    assert _ids(user, "halcones") == set()


def test_phone_is_found_by_alias_words_and_by_any_writing_of_the_number(world):
    phone = world.entities["phone"]  # +52 631 123 4567, mentioned by us_shared
    user = world.user("mx_analyst")
    for q in ("631 123 4567", "+52 631 123 4567", "6311234567", "(631) 123-4567"):
        assert phone.pk in _ids(user, q), q


def test_alias_used_only_by_a_hidden_report_finds_nothing(world, client):
    van = world.entities["van"]  # mentioned by mx_shared (visible to US analysts)
    entity_mention(
        actor=None,
        report=world.reports["mx_internal"],
        kind="vehicle",
        raw="1m8-gdm9ax-kp042788",
    )
    assert Mention.objects.visible_to(world.user("mx_analyst")).filter(entity=van).count() == 2
    assert _ids(world.user("mx_analyst"), "gdm9ax") == {van.pk}
    # us.analyst sees the van (through mx_shared) but not the report that used this alias.
    assert van.pk in _ids(world.user("us_analyst"), "trillian")
    assert _ids(world.user("us_analyst"), "gdm9ax") == set()
    login_verified(client, world.user("us_analyst"))
    assert _api(client, "gdm9ax") == _api(client, "nothingatall") == {"items": [], "count": 0}


def test_entity_known_only_from_hidden_reports_does_not_exist_for_the_reader(world):
    org = world.entities["org"]  # ZAPHODORG, mentioned only by us_internal
    assert _ids(world.user("us_nocomp"), "zaphodorg") == {org.pk}
    assert _ids(world.user("mx_analyst"), "zaphodorg") == set()
    only_compartment = entity_mention(
        actor=None,
        report=world.reports["us_compartment"],
        kind="person",
        raw="Eduardo Quiñones ELDRAZI",
    ).entity
    assert _ids(world.user("us_analyst"), "eldrazi") == {only_compartment.pk}
    assert _ids(world.user("us_nocomp"), "eldrazi") == set()
    assert _ids(world.user("mx_comp"), "eldrazi") == {only_compartment.pk}
    for key in ("us_inactive", "mx_unvetted"):
        assert _ids(world.user(key), "eldrazi") == set()
        assert _ids(world.user(key), "zaphodorg") == set()


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _normalised(response, q):
    body = _CSRF.sub("", response.content.decode())
    return body.replace(q, "QUERY").replace(q.lower(), "QUERY")


@pytest.mark.parametrize(
    ("user_key", "hidden_q"),
    [
        ("mx_analyst", "ZAPHODORG"),  # the entity is known only from a hidden report
        ("us_analyst", "GDM9AX"),  # the entity is visible, the alias is not
        ("us_nocomp", "ELDRAZI"),  # known only from a compartmented report
    ],
)
def test_only_hidden_entity_matches_answer_byte_for_byte_like_no_match(
    user_key, hidden_q, world, client
):
    entity_mention(
        actor=None, report=world.reports["mx_internal"], kind="vehicle", raw="1M8-GDM9AX-KP042788"
    )
    entity_mention(
        actor=None, report=world.reports["us_compartment"], kind="person", raw="ELDRAZI Quiñones"
    )
    login_verified(client, world.user(user_key))
    nothing_q = "NOTHINGATALL"
    hidden = client.get(reverse("search:search"), {"q": hidden_q})
    nothing = client.get(reverse("search:search"), {"q": nothing_q})
    assert hidden.status_code == nothing.status_code == 200
    assert _normalised(hidden, hidden_q) == _normalised(nothing, nothing_q)
    for url in ("/api/search/entities", "/api/search"):
        assert client.get(url, {"q": hidden_q}).content == client.get(url, {"q": nothing_q}).content
    facets_hidden = client.get("/api/search/facets", {"q": hidden_q}).json()
    facets_nothing = client.get("/api/search/facets", {"q": nothing_q}).json()
    assert {**facets_hidden, "q": ""} == {**facets_nothing, "q": ""}


def test_entity_facets_count_only_visible_entities(world, client):
    for key, raw in [("mx_shared", "Cártel del Saguaro"), ("us_shared", "Saguaro Transportes")]:
        entity_mention(actor=None, report=world.reports[key], kind="organisation", raw=raw)
    entity_mention(
        actor=None, report=world.reports["us_internal"], kind="organisation", raw="Saguaro Oculto"
    )
    entity_mention(
        actor=None, report=world.reports["us_compartment"], kind="person", raw="Saguaro Compartido"
    )
    login_verified(client, world.user("mx_analyst"))
    facets = client.get("/api/search/facets", {"q": "saguaro"}).json()
    assert facets["entity_count"] == 2
    assert facets["entity_kind"] == [{"value": "organisation", "count": 2}]
    data = _api(client, "saguaro")
    assert data["count"] == 2
    assert {i["label"] for i in data["items"]} == {"Cártel del Saguaro", "Saguaro Transportes"}
    page = client.get(reverse("search:search"), {"q": "saguaro"}).content.decode()
    assert "2 entities found" in page and "Oculto" not in page and "Compartido" not in page
    user = world.user("us_analyst")
    assert [(f.value, f.count) for f in entity_facets(entity_search(reader=user, q="saguaro"))] == [
        ("organisation", 3),
        ("person", 1),
    ]


def test_entity_searches_are_audited(world, client):
    login_verified(client, world.user("mx_analyst"))
    client.get("/api/search/entities", {"q": "trillian"})
    client.get(reverse("search:search"), {"q": "trillian"})
    events = AuditEvent.objects.unrestricted(reason="test").filter(action="search")
    entity_event = events.get(object_type="intel.entity")
    assert entity_event.details == {"q": "trillian", "count": 1, "page": 1}
    assert events.get(object_type="intel.report").details["entities"] == 1


def test_index_follows_entity_and_mention_changes(world):
    user = world.user("us_analyst")
    van = world.entities["van"]
    Entity.objects.unrestricted(reason="test").filter(pk=van.pk).update(label="Camioneta blanca")
    assert _ids(user, "camioneta") == {van.pk}
    # "Van TRILLIAN" is what the MX report calls it: its mention's label, indexed with it.
    assert _ids(user, "trillian") == {van.pk}
    Mention.objects.unrestricted(reason="test").filter(entity=van).update(label="Furgoneta")
    assert _ids(user, "trillian") == set()
    assert _ids(user, "furgoneta") == {van.pk}
    mention = entity_mention(
        actor=None, report=world.reports["us_shared"], kind="organisation", raw="Grupo Mezquite"
    )
    assert _ids(user, "mezquite") == {mention.entity_id}
    Mention.objects.unrestricted(reason="test").filter(pk=mention.pk).update(alias="Grupo Nopal")
    assert _ids(user, "nopal") == {mention.entity_id}
    Mention.objects.unrestricted(reason="test").filter(pk=mention.pk).delete()
    # No mention left: the entity is visible through no report, whatever its index says.
    assert _ids(user, "mezquite") == _ids(user, "nopal") == set()


def test_empty_or_syntax_only_queries_find_nothing_and_do_not_fail(world, client):
    user = world.user("us_analyst")
    for q in ("", "   ", '"', "NEAR(a b)", "*", "-"):
        assert _ids(user, q) == set(), q
    login_verified(client, user)
    assert client.get("/api/search/entities", {"q": "'; DROP"}).status_code == 200
