"""Login, logout, two-factor set-up and verification, language choice."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from alianza.audit.services import audit_record

from .services import user_language_set


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def safe_next_url(request, url: str | None, *, default: str) -> str:
    """`url` if it is a page of this site (the test Django's LoginView applies: same host,
    and https only when this request is https), else `default`. Never an outside address."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    text = buffer.getvalue().decode()
    return text[text.index("<svg") :]


def totp_secret_display(key: bytes, *, group: int = 4) -> str:
    """The TOTP secret as authenticator apps take it when typed: base32 (RFC 4648) without
    padding, the same secret as in the QR code's otpauth URL, in groups of `group` letters."""
    text = base64.b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + group] for i in range(0, len(text), group))


@login_required
def two_factor_setup(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:2fa_verify")
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(action="two_factor.enrol", actor=request.user)
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is now active."))
            return redirect("home")
        form.add_error("token", _("That code is not valid. Check your device's clock."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": totp_secret_display(device.bin_key),
        },
    )


@login_required
def two_factor_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"].strip()):
                otp_login(request, device)
                audit_record(action="two_factor.verify", actor=request.user)
                next_url = request.POST.get("next") or request.GET.get("next")
                return HttpResponseRedirect(
                    safe_next_url(request, next_url, default=reverse("home"))
                )
        audit_record(action="two_factor.verify", actor=request.user, outcome="failure")
        form.add_error("token", _("That code is not valid. Check your device's clock."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@require_POST
def set_language(request):
    """Switch language; remembered on the user's account, and in a cookie before login."""
    from django.conf import settings
    from django.views.i18n import set_language as django_set_language

    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    response = django_set_language(request)
    next_url = safe_next_url(request, request.POST.get("next"), default="/")
    if isinstance(response, HttpResponseRedirect):
        response["Location"] = next_url
    return response
