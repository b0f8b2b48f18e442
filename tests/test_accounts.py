"""Login, throttling, idle timeout, two-factor, tokens, language, headers."""

from __future__ import annotations

import base64
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alianza.accounts.models import ApiToken, UserPreference
from alianza.audit.models import AuditEvent

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _actions(**filters):
    return list(
        AuditEvent.objects.unrestricted(reason="test")
        .filter(**filters)
        .values_list("action", flat=True)
    )


def test_login_and_logout_are_audited(world, client):
    response = client.post("/accounts/login/", {"username": "us.analyst", "password": PASSWORD})
    assert response.status_code == 302
    client.post("/accounts/logout/")
    assert _actions(actor_username="us.analyst") == ["login", "logout"][::-1] or set(
        _actions(actor_username="us.analyst")
    ) >= {"login", "logout"}


def test_failed_login_is_audited_and_repeated_failures_lock_out(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "us.analyst", "password": "wrong"})
    assert _actions(action="login.failed").count("login.failed") >= settings.AXES_FAILURE_LIMIT
    # Even the right password is refused while locked out.
    response = client.post("/accounts/login/", {"username": "us.analyst", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_production_hashing_is_argon2():
    from alianza.config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_idle_session_is_logged_out(world, client):
    client.force_login(world.user("us_analyst"))
    assert client.get("/").status_code == 200
    session = client.session
    session["alianza_last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_SECONDS - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "logout.idle" in _actions(actor_username="us.analyst")
    assert client.get("/").status_code == 302


def test_integrity_officer_must_enrol_and_verify_totp(world, client):
    user = world.user("us_integrity")
    client.force_login(user)
    response = client.get("/audit/")
    assert response.status_code == 302 and response["Location"].endswith("/accounts/2fa/setup/")
    assert client.get("/api/audit/events").status_code == 401
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/accounts/2fa/setup/", {"token": code}).status_code == 302
    assert client.get("/audit/").status_code == 200
    # A new session must verify again; a wrong code is refused and audited.
    client.logout()
    client.force_login(user)
    assert client.get("/audit/")["Location"].startswith("/accounts/2fa/verify/")
    assert client.post("/accounts/2fa/verify/", {"token": "000000"}).status_code == 200
    assert client.get("/audit/").status_code == 302
    assert "two_factor.enrol" in _actions(actor_username="us.integrity")


def test_totp_setup_shows_the_base32_secret_of_the_qr_code_grouped_for_typing(world, client):
    user = world.user("us_integrity")
    client.force_login(user)
    page = client.get("/accounts/2fa/setup/").content.decode()
    shown = re.search(r'<code id="totp-secret">([^<]*)</code>', page).group(1)
    device = TOTPDevice.objects.get(user=user)
    # Base32 (RFC 4648 alphabet, no padding) in groups of four, as typed into an app.
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})*( [A-Z2-7]{1,3})?", shown), shown
    typed = shown.replace(" ", "")
    assert typed == base64.b32encode(device.bin_key).decode().rstrip("=")
    assert device.bin_key.hex() not in page
    # The same secret as the QR code's otpauth URL.
    (url_secret,) = parse_qs(urlsplit(device.config_url).query)["secret"]
    assert url_secret.rstrip("=") == typed
    # A code computed from the typed secret alone confirms the device.
    key = base64.b32decode(typed + "=" * (-len(typed) % 8))
    code = f"{totp(key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/accounts/2fa/setup/", {"token": code}).status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed


def test_agency_policy_can_require_two_factor_of_everyone(world, client):
    world.mx.require_two_factor = True
    world.mx.save()
    client.force_login(world.user("mx_analyst"))
    assert client.get("/")["Location"].endswith("/accounts/2fa/setup/")
    client.force_login(world.user("us_analyst"))
    assert client.get("/").status_code == 200


def test_language_choice_is_remembered_on_the_account(world, client):
    client.force_login(world.user("mx_analyst"))
    client.post("/accounts/language/", {"language": "es", "next": "/"})
    assert UserPreference.objects.get(user=world.user("mx_analyst")).language == "es"
    client.cookies.clear()
    client.force_login(world.user("mx_analyst"))
    body = client.get("/").content.decode()
    assert 'lang="es"' in body and "Cerrar sesión" in body


def test_language_switch_refuses_offsite_redirects(world, client):
    response = client.post(
        "/accounts/language/", {"language": "es", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_api_token_authenticates_and_can_be_revoked(world, client, capsys):
    call_command("token", "create", "mx.analyst", "--name", "laptop")
    token = capsys.readouterr().out.strip()
    assert token.startswith("alz_")
    row = ApiToken.objects.get()
    assert row.token_hash != token and token not in row.token_hash  # stored hashed only
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.get("/api/intel/reports", **headers)
    assert response.status_code == 200
    assert world.reports["us_internal"].title not in response.content.decode()
    call_command("token", "revoke", row.prefix)
    assert client.get("/api/intel/reports", **headers).status_code == 401
    assert (
        client.get("/api/intel/reports", HTTP_AUTHORIZATION="Bearer alz_nonsense").status_code
        == 401
    )
    assert set(_actions(object_type="accounts.apitoken")) == {
        "api_token.create",
        "api_token.revoke",
    }


def test_security_headers_and_a_csp_without_outside_origins(world, client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp  # no outside origin, not even a CDN
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Strict"


def test_pages_reference_no_outside_host(world, client):
    client.force_login(world.user("us_analyst"))
    import re

    for url in ["/", "/intel/reports/", "/people/officers/", "/accounts/login/"]:
        body = client.get(url).content.decode()
        outside = re.findall(r'(?:src|href)="(https?://[^"]+)"', body)
        assert not outside, (url, outside)


def test_static_assets_are_served_from_the_package(client):
    from django.contrib.staticfiles import finders

    for asset in ["alianza/alianza.css", "django_htmx/htmx-2.min.js"]:
        assert finders.find(asset), asset
