"""Route by route, user by user: who gets what. Generated from the URL configuration and the
OpenAPI schema; the meta-tests fail when a route or operation is added without a row here."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from alianza.config.api import api

from access_matrix_spec import API, PAGES
from conftest import login_verified

SCENARIOS = ["anonymous", "permitted", "other_agency", "no_compartment", "inactive"]
EXCLUDED_NAMESPACES = {"admin", "api"}  # admin: tests/test_admin.py; api: the OpenAPI matrix


def _named_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from _named_routes(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def _api_operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method, path


def test_every_page_route_is_in_the_matrix():
    missing = set(_named_routes()) - set(PAGES)
    assert not missing, f"routes without access-matrix rows: {sorted(missing)}"


def test_every_api_operation_is_in_the_matrix():
    missing = set(_api_operations()) - set(API)
    assert not missing, f"API operations without access-matrix rows: {sorted(missing)}"


def test_matrix_has_no_stale_rows():
    assert set(PAGES) <= set(_named_routes())
    assert set(API) <= set(_api_operations())


def _request(client, route, world):
    url = route.url(world)
    if route.method == "get":
        return client.get(url)
    payload = route.payload(world) if route.payload else {}
    if url.startswith("/api/"):
        send = getattr(client, route.method)
        return send(url, data=json.dumps(payload), content_type="application/json")
    return client.post(url, data=payload)


def _check(response, expectation, world, label):
    body = response.content.decode()
    if expectation == "404":
        assert response.status_code == 404, f"{label}: {response.status_code}"
        return
    if expectation == "401":
        assert response.status_code == 401, f"{label}: {response.status_code}"
        return
    if expectation == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], label
        return
    if expectation == "redirect":
        assert response.status_code == 302, f"{label}: {response.status_code}"
        return
    if expectation[0] == "ok":
        _kind, shows, hides = expectation
        assert 200 <= response.status_code < 300, f"{label}: {response.status_code} {body[:300]}"
    else:
        _kind, status, shows, hides = expectation
        assert response.status_code == status, f"{label}: {response.status_code} {body[:300]}"
    for text in shows(world):
        assert text in body, f"{label}: expected {text!r}"
    for text in hides(world):
        assert text not in body, f"{label}: leaked {text!r}"


def _cases(table):
    return [
        pytest.param(key, scenario, id=f"{key}-{scenario}")
        for key in table
        for scenario in SCENARIOS
    ]


@pytest.mark.parametrize(("name", "scenario"), _cases(PAGES))
def test_page_access(name, scenario, world, client):
    user_key, expectation = PAGES[name].scenarios[scenario]
    if user_key:
        login_verified(client, world.user(user_key))
    _check(_request(client, PAGES[name], world), expectation, world, f"{name}/{scenario}")


@pytest.mark.parametrize(("operation", "scenario"), _cases(API))
def test_api_access(operation, scenario, world, client):
    user_key, expectation = API[operation].scenarios[scenario]
    if user_key:
        login_verified(client, world.user(user_key))
    label = f"{operation}/{scenario}"
    _check(_request(client, API[operation], world), expectation, world, label)


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.mark.parametrize(
    ("url_for", "user_key"),
    [
        (lambda w, pk: f"/intel/reports/{pk}/", "mx_analyst"),
        (lambda w, pk: f"/api/intel/reports/{pk}", "mx_analyst"),
        (lambda w, pk: f"/intel/reports/{pk}/", "us_nocomp"),
        (lambda w, pk: f"/api/intel/reports/{pk}", "us_inactive"),
    ],
)
def test_forbidden_record_answers_exactly_like_a_missing_one(url_for, user_key, world, client):
    login_verified(client, world.user(user_key))
    forbidden_url = url_for(world, world.reports["us_compartment"].pk)
    missing_url = url_for(world, 987654)
    forbidden, missing = client.get(forbidden_url), client.get(missing_url)
    assert forbidden.status_code == missing.status_code == 404

    def normalised(response, url):  # the page echoes its own address in the language form
        return _CSRF.sub("", response.content.decode()).replace(url, "URL")

    assert normalised(forbidden, forbidden_url) == normalised(missing, missing_url)
    assert forbidden.get("Content-Type") == missing.get("Content-Type")


def test_officer_of_other_agency_answers_like_missing(world, client):
    login_verified(client, world.user("mx_admin"))
    forbidden = client.get(f"/api/officers/{world.officers['us'].pk}")
    missing = client.get("/api/officers/987654")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_list_counts_do_not_include_hidden_records(world, client):
    client.force_login(world.user("mx_analyst"))
    data = client.get("/api/intel/reports").json()
    titles = {item["title"] for item in data["items"]}
    assert data["count"] == len(titles) == 4  # us_shared, us_orcon, mx_shared, mx_internal
    client.force_login(world.user("us_nocomp"))
    data = client.get("/api/intel/reports?q=FROBOZZ").json()
    assert data["count"] == 0 and data["items"] == []
