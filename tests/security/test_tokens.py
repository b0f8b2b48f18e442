"""API tokens (issue 13, finding 3 and the token lockout).

Tokens skip the session middleware, so the two-factor rule and the login lockout are applied by
the token service itself: a token of a role that must use TOTP is refused until a device is
confirmed and the token was created with a current code; bad tokens count against the client
address like failed logins (django-axes), without touching anyone else's valid tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alianza.accounts.models import ApiToken
from alianza.accounts.services import TOKEN_PREFIX, api_token_create
from alianza.agencies.models import Officer
from alianza.audit.models import AuditEvent

ATTACKER = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.20"


def _events():
    return AuditEvent.objects.unrestricted(reason="test")


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _bearer(token: str, address: str = "127.0.0.1") -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "REMOTE_ADDR": address}


def _unchecked_token(user) -> str:
    """A token row as it exists when created without a second-factor check (before this fix,
    or by anything that writes the table directly)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name="legacy",
        prefix=token[:12],
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
    )
    return token


def _checked_token(user) -> str:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _row, token = api_token_create(actor=None, user=user, name="cli", otp_code=_code(device))
    return token


# --- finding 3: the second factor -------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_key", "path"),
    [
        ("us_integrity", "/api/audit/events"),
        ("us_integrity", "/api/vetting/roster"),
        ("us_admin", "/api/audit/events"),
        ("mx_admin", "/api/officers"),
    ],
)
def test_token_of_a_role_that_must_use_totp_is_refused_until_totp_is_set_up(
    world, client, user_key, path
):
    token = _unchecked_token(world.user(user_key))
    response = client.get(path, **_bearer(token))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "two_factor_setup_required"
    assert "Two-factor authentication is required" in body["detail"]


def test_admin_token_without_totp_cannot_create_an_officer(world, client):
    token = _unchecked_token(world.user("us_admin"))
    before = Officer._base_manager.count()
    response = client.post(
        "/api/officers",
        {"badge_number": "X-1", "given_name": "Eve", "family_name": "Mallory"},
        content_type="application/json",
        **_bearer(token),
    )
    assert response.status_code == 403
    assert Officer._base_manager.count() == before


def test_token_created_without_a_code_stays_refused_after_the_device_is_confirmed(world, client):
    user = world.user("us_integrity")
    token = _unchecked_token(user)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.get("/api/audit/events", **_bearer(token))
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_token_unverified"


def test_token_created_with_a_current_code_works_for_an_integrity_officer(world, client):
    token = _checked_token(world.user("us_integrity"))
    assert client.get("/api/audit/events", **_bearer(token)).status_code == 200


def test_token_is_refused_once_its_owner_gains_a_role_that_must_use_totp(world, client):
    user = world.user("mx_analyst")
    _row, token = api_token_create(actor=None, user=user, name="laptop")
    assert client.get("/api/intel/reports", **_bearer(token)).status_code == 200
    user.groups.add(Group.objects.get(name="agency_admin"))
    response = client.get("/api/intel/reports", **_bearer(token))
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_setup_required"


def test_command_refuses_a_token_for_an_admin_without_a_confirmed_device(world):
    TOTPDevice.objects.create(user=world.user("us_admin"), name="phone", confirmed=False)
    with pytest.raises(CommandError, match="must set up two-factor authentication"):
        call_command("token", "create", "us.admin", "--otp", "123456")
    assert not ApiToken.objects.exists()


def test_command_needs_a_current_code_for_a_role_that_must_use_totp(world, capsys):
    user = world.user("us_integrity")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="give a current code"):
        call_command("token", "create", "us.integrity")
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    with pytest.raises(CommandError, match="not valid"):
        call_command("token", "create", "us.integrity", "--otp", wrong)
    assert not ApiToken.objects.exists()
    assert _events().filter(action="api_token.create", outcome=AuditEvent.Outcome.FAILURE).exists()

    # django-otp makes a device wait after a wrong code; a minute later a current code works.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=False):
        call_command("token", "create", "us.integrity", "--otp", _code(device))
    assert capsys.readouterr().out.strip().startswith(TOKEN_PREFIX)
    row = ApiToken.objects.get()
    assert row.second_factor_verified_at is not None
    created = _events().get(action="api_token.create", object_id=str(row.pk))
    assert created.details["second_factor"] == "totp"


def test_command_creates_an_analyst_token_without_a_code(world, capsys):
    call_command("token", "create", "mx.analyst")
    assert capsys.readouterr().out.strip().startswith(TOKEN_PREFIX)
    assert ApiToken.objects.get().second_factor_verified_at is None


# --- the lockout ---------------------------------------------------------------------------------


def _bad_tokens(client, count: int, address: str = ATTACKER) -> list[int]:
    return [
        client.get("/api/intel/reports", **_bearer(TOKEN_PREFIX + f"wrong{i}", address)).status_code
        for i in range(count)
    ]


def test_bad_tokens_below_the_limit_are_401_and_do_not_lock_the_address(world, client):
    limit = settings.AXES_FAILURE_LIMIT
    assert _bad_tokens(client, limit - 1) == [401] * (limit - 1)
    _row, token = api_token_create(actor=None, user=world.user("mx_analyst"))
    assert client.get("/api/intel/reports", **_bearer(token, ATTACKER)).status_code == 200


def test_repeated_bad_tokens_lock_out_the_address_and_only_that_address(world, client):
    limit = settings.AXES_FAILURE_LIMIT
    _row, token = api_token_create(actor=None, user=world.user("mx_analyst"))
    statuses = _bad_tokens(client, limit + 2)
    assert statuses == [401] * (limit - 1) + [429] * 3

    locked = client.get("/api/intel/reports", **_bearer(token, ATTACKER))
    assert locked.status_code == 429  # even a genuine token, as the login lockout does
    assert locked.json()["code"] == "api_token_locked_out"
    assert int(locked["Retry-After"]) > 0
    assert "<html" not in locked.content.decode().lower()

    # Others keep working: a valid token from another address, and logins from the same one.
    assert client.get("/api/intel/reports", **_bearer(token, OTHER_ADDRESS)).status_code == 200
    from world import PASSWORD

    login = client.post(
        "/accounts/login/",
        {"username": "mx.analyst", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
    )
    assert login.status_code == 302


def test_token_lockout_ends_after_the_cool_off(world, client):
    from axes.helpers import get_cool_off

    _row, token = api_token_create(actor=None, user=world.user("mx_analyst"))
    _bad_tokens(client, settings.AXES_FAILURE_LIMIT)
    assert client.get("/api/intel/reports", **_bearer(token, ATTACKER)).status_code == 429
    later = timezone.now() + get_cool_off() + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert client.get("/api/intel/reports", **_bearer(token, ATTACKER)).status_code == 200


def test_bad_tokens_are_audited_as_failures(world, client):
    _bad_tokens(client, 2)
    assert (
        _events()
        .filter(action="api_token.authenticate", outcome=AuditEvent.Outcome.FAILURE)
        .count()
        == 2
    )
