"""Session hygiene: idle timeout, the user's language, and two-factor enforcement."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import translation

from .twofactor import two_factor_required

_LAST_SEEN = "alianza_last_seen"
_EXEMPT_PREFIXES = (
    "/static/",
    "/accounts/login",
    "/accounts/logout",
    "/accounts/2fa/",
    "/i18n/",
    "/favicon",
)


class IdleTimeoutMiddleware:
    """Log out a session that has been idle longer than SESSION_IDLE_TIMEOUT_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                from alianza.audit.services import audit_record

                audit_record(action="logout.idle", actor=request.user)
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Session expired."}, status=401)
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
            request.session[_LAST_SEEN] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """Activate the language the user chose (remembered per user, not per browser)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            from .models import UserPreference

            language = (
                UserPreference.objects.filter(user_id=request.user.pk)
                .values_list("language", flat=True)
                .first()
            )
            if language:
                request.LANGUAGE_CODE = language
                # Restored after the response: the thread serves (or a test runs) on after it.
                with translation.override(language):
                    return self.get_response(request)
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Users whose role or agency requires TOTP reach nothing until they have verified it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and two_factor_required(user)
            and not user.is_verified()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor verification required."}, status=401)
            from django_otp import user_has_device

            target = "accounts:2fa_verify" if user_has_device(user) else "accounts:2fa_setup"
            return redirect(target)
        return self.get_response(request)


class DisplayTimeZoneMiddleware:
    """Show local time (Arizona and Sonora: no daylight saving); everything is stored in UTC."""

    def __init__(self, get_response):
        import zoneinfo

        from django.utils import timezone

        self.get_response = get_response
        self.zone = zoneinfo.ZoneInfo(settings.ALIANZA_DISPLAY_TIME_ZONE)
        self.timezone = timezone

    def __call__(self, request):
        self.timezone.activate(self.zone)
        try:
            return self.get_response(request)
        finally:
            self.timezone.deactivate()
