"""Full-text search: both languages, accents optional, and never a trace of hidden records."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from alianza.access.services import marking_get_or_create
from alianza.audit.models import AuditEvent
from alianza.intel.services import report_create
from alianza.search.selectors import report_facets, report_search

from conftest import login_verified

pytestmark = pytest.mark.django_db(transaction=False)


def _report(agency, title, body, *, language="es", releasable_to=(), compartments=()):
    return report_create(
        actor=None,
        agency=agency,
        title=title,
        body=body,
        language=language,
        basis_for_entry="Test basis.",
        marking=marking_get_or_create(
            originating_agency=agency, releasable_to=releasable_to, compartments=compartments
        ),
    )


def _api(client, q, **extra):
    return client.get("/api/search", {"q": q, **extra}).json()


def test_spanish_text_is_found_with_and_without_accents(world, client):
    report = _report(
        world.mx,
        "Informe de la garita",
        "La Policía detuvo a dos personas en la garita.",
        releasable_to=[world.us],
    )
    login_verified(client, world.user("us_analyst"))
    for q in ("policia", "Policía", "POLICIA", "policía garita"):
        ids = [item["id"] for item in _api(client, q)["items"]]
        assert ids == [report.pk], q


def test_english_words_and_titles_are_found(world, client):
    login_verified(client, world.user("us_analyst"))
    data = _api(client, "frobozz")
    assert [i["title"] for i in data["items"]] == [world.reports["us_compartment"].title]
    assert data["count"] == 1


def test_other_agency_analyst_never_sees_hidden_reports_in_results(world, client):
    login_verified(client, world.user("mx_analyst"))
    for word in ("XYZZY", "FROBOZZ", "GRUE"):
        assert _api(client, word) == {"items": [], "count": 0}
    assert _api(client, "PLUGH")["count"] == 1


def test_analyst_without_the_compartment_does_not_find_compartmented_report(world, client):
    login_verified(client, world.user("us_nocomp"))
    assert _api(client, "FROBOZZ")["count"] == 0
    assert _api(client, "XYZZY")["count"] == 1


def test_inactive_officer_finds_nothing(world, client):
    login_verified(client, world.user("us_inactive"))
    assert _api(client, "XYZZY")["count"] == 0


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _normalised(response, q):
    body = _CSRF.sub("", response.content.decode())
    return body.replace(q, "QUERY").replace(q.lower(), "QUERY")


@pytest.mark.parametrize("user_key", ["mx_analyst", "us_nocomp", "mx_unvetted"])
def test_query_matching_only_hidden_records_gives_the_page_of_a_query_matching_nothing(
    user_key, world, client
):
    login_verified(client, world.user(user_key))
    hidden_q, nothing_q = "FROBOZZ", "NOTHINGATALL"
    hidden = client.get(reverse("search:search"), {"q": hidden_q})
    nothing = client.get(reverse("search:search"), {"q": nothing_q})
    assert hidden.status_code == nothing.status_code == 200
    assert _normalised(hidden, hidden_q) == _normalised(nothing, nothing_q)
    api_hidden = client.get("/api/search", {"q": hidden_q}).content
    api_nothing = client.get("/api/search", {"q": nothing_q}).content
    assert api_hidden == api_nothing
    facets_hidden = client.get("/api/search/facets", {"q": hidden_q}).json()
    facets_nothing = client.get("/api/search/facets", {"q": nothing_q}).json()
    assert {**facets_hidden, "q": ""} == {**facets_nothing, "q": ""}


def test_facets_count_only_visible_results(world, client):
    for n in range(3):
        _report(
            world.us, f"Saguaro visible {n}", "Saguaro.", language="en", releasable_to=[world.mx]
        )
    _report(world.us, "Saguaro HIDDENONE", "Saguaro.", language="en")
    _report(
        world.us,
        "Saguaro COMPARTONE",
        "Saguaro.",
        releasable_to=[world.mx],
        compartments=[world.compartment],
    )
    login_verified(client, world.user("mx_analyst"))
    facets = client.get("/api/search/facets", {"q": "saguaro"}).json()
    assert facets["count"] == 3
    assert facets["agency"] == [{"value": "USBP", "count": 3}]
    assert facets["language"] == [{"value": "en", "count": 3}]
    assert sum(f["count"] for f in facets["year"]) == 3
    page = client.get(reverse("search:search"), {"q": "saguaro"}).content.decode()
    assert "USBP (3)" in page and "HIDDENONE" not in page and "COMPARTONE" not in page


def test_every_search_is_audited_with_its_query(world, client):
    login_verified(client, world.user("mx_analyst"))
    client.get(reverse("search:search"), {"q": "contrabando túnel"})
    client.get("/api/search", {"q": "FROBOZZ"})
    events = AuditEvent.objects.unrestricted(reason="test").filter(action="search")
    queries = [e.details["q"] for e in events]
    assert "contrabando túnel" in queries and "FROBOZZ" in queries
    assert all(e.actor_username == "mx.analyst" for e in events)


def test_tearlines_are_searchable_and_never_name_their_report(world, client):
    login_verified(client, world.user("mx_analyst"))
    data = _api(client, "MAGRATHEA", kind="tearline")
    assert [i["title"] for i in data["items"]] == ["US tearline MAGRATHEA"]
    page = client.get(reverse("search:search"), {"q": "MAGRATHEA"}).content.decode()
    assert "MAGRATHEA" in page and "XYZZY" not in page


def test_search_syntax_in_the_query_is_only_text(world, client):
    login_verified(client, world.user("us_analyst"))
    for q in ('"XYZZY', "XYZZY OR *", "title:XYZZY", "NEAR(a b)", "-", "()", "'; DROP"):
        response = client.get("/api/search", {"q": q})
        assert response.status_code == 200, q


def test_index_follows_edits_and_deletes(world):
    report = _report(world.us, "Ocotillo", "Primer texto.", language="es")
    user = world.user("us_analyst")
    assert list(report_search(reader=user, q="ocotillo")) == [report]
    from alianza.intel.models import Report

    Report.objects.unrestricted(reason="test").filter(pk=report.pk).update(body="Mezquite.")
    assert list(report_search(reader=user, q="mezquite")) == [report]
    assert list(report_search(reader=user, q="primer")) == []
    assert report_facets(report_search(reader=user, q="mezquite"))["language"][0].count == 1


def test_both_databases_cut_words_at_punctuation(world):
    """PostgreSQL's parser reads "111-2222" as 111 and the signed number -2222; SQLite's FTS5
    as 111 and 2222. The index folds punctuation first, so a word is a word on both."""
    report = _report(
        world.us,
        "Phone list",
        "Call (631) 111-2222 or e-mail ops@example.org; lot B-17/2025.",
        language="en",
    )
    reader = world.user("us_analyst")
    for q in ("2222", "111 2222", "111-2222", "mail", "example", "17", "2025", "B-17"):
        assert list(report_search(reader=reader, q=q)) == [report], q
    assert list(report_search(reader=reader, q="-2222 call")) == [report]


def test_every_word_is_required_and_or_is_only_a_word_on_both_databases(world):
    reader = world.user("us_analyst")
    assert [r.title for r in report_search(reader=reader, q="XYZZY")] == [
        world.reports["us_internal"].title
    ]
    assert list(report_search(reader=reader, q="XYZZY or GRUE")) == []
    assert list(report_search(reader=reader, q="XYZZY | GRUE")) == []
