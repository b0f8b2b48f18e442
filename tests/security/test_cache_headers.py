"""Pages and API answers that may show marked records are never stored by a browser or proxy
(issue 13): every answer to a signed-in user (session or API token) carries
`Cache-Control: no-store, private`; static assets keep their caching."""

from __future__ import annotations

from django.utils.cache import get_max_age
from django.utils.http import parse_http_date

from alianza.accounts.services import api_token_create


def _directives(response) -> set[str]:
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}


def _not_stored(response) -> bool:
    return (
        {"no-store", "private"} <= _directives(response)
        and response.get("Pragma") == "no-cache"
        and get_max_age(response) == 0
    )


def test_a_report_detail_page_is_not_stored(world, client):
    client.force_login(world.user("us_analyst"))
    response = client.get(f"/intel/reports/{world.reports['us_internal'].pk}/")
    assert response.status_code == 200
    assert world.reports["us_internal"].title in response.content.decode()
    assert _not_stored(response), response.get("Cache-Control")
    assert parse_http_date(response["Expires"]) > 0


def test_an_api_list_is_not_stored_with_a_session_or_a_token(world, client):
    client.force_login(world.user("us_analyst"))
    response = client.get("/api/intel/reports")
    assert response.status_code == 200 and _not_stored(response)
    client.logout()
    _, token = api_token_create(actor=None, user=world.user("mx_analyst"), name="t")
    response = client.get("/api/intel/reports", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and _not_stored(response)


def test_a_record_that_answers_404_is_not_stored_either(world, client):
    client.force_login(world.user("mx_analyst"))
    response = client.get(f"/intel/reports/{world.reports['us_internal'].pk}/")
    assert response.status_code == 404 and _not_stored(response)


def test_static_assets_keep_their_caching_for_a_signed_in_user(world, client):
    client.force_login(world.user("us_analyst"))
    response = client.get("/static/alianza/alianza.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response
