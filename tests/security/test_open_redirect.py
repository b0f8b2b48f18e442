"""Open redirect after the second factor (issue 13, finding 9): `next` is followed only when it
is a page of this site, as Django's LoginView decides (same host; https only over https)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _verify(world, client, next_url, *, secure=False):
    user = world.user("us_integrity")  # a role that must verify a second factor
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return client.post(
        "/accounts/2fa/verify/?" + f"next={next_url}",
        {"token": _code(device)},
        secure=secure,
    )


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/audit/",
        "https:evil.example",
        "javascript:alert(1)",
    ],
)
def test_second_factor_verification_does_not_redirect_off_site(world, client, next_url):
    from urllib.parse import quote

    response = _verify(world, client, quote(next_url, safe=""))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_second_factor_verification_follows_a_local_next(world, client):
    response = _verify(world, client, "/audit/%3Fpage%3D2")
    assert response.status_code == 302
    assert response["Location"] == "/audit/?page=2"
    assert client.get("/audit/").status_code == 200  # verified for the session


def test_second_factor_verification_over_https_refuses_a_plain_http_next(world, client):
    response = _verify(world, client, "http://testserver/audit/", secure=True)
    assert response["Location"] == reverse("home")
    response = _verify(world, client, "https://testserver/audit/", secure=True)
    assert response["Location"] == "https://testserver/audit/"
