"""Tokens, language preference and two-factor devices."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alianza.audit.services import audit_record

from .models import ApiToken, UserPreference
from .twofactor import two_factor_required

TOKEN_PREFIX = "alz_"  # noqa: S105 - a public marker, not a secret
# The name under which django-axes counts bad Bearer tokens, per client address. Parentheses and
# spaces are not allowed in usernames, so no account can share (or reset) this lockout.
TOKEN_LOCKOUT_CREDENTIALS = {"username": "(api token)"}


class ApiTokenRefused(Exception):
    """A genuine token that may not be used yet: its owner's second factor is missing."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class ApiTokenLockedOut(Exception):
    """Too many bad tokens from this client address (the login lockout of django-axes)."""

    def __init__(self, request=None):
        from axes.helpers import get_cool_off

        super().__init__("API token lockout")
        cool_off = get_cool_off(request)
        self.retry_after_seconds = int(cool_off.total_seconds()) if cool_off else None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _second_factor_check(*, actor, user, otp_code: str) -> dt.datetime | None:
    """When `user`'s role or agency requires TOTP: verify `otp_code`, a current code from one of
    their confirmed devices, and return the time of the check (None when no check is needed).

    A token carries its owner's role without a second factor at each request, so the check
    happens when it is created: a web or API route that creates tokens must ask for a fresh
    code too (a verified session is not enough), and pass it here."""
    if not two_factor_required(user):
        return None
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        raise ValidationError(
            {
                "user": _(
                    "%(username)s must set up two-factor authentication (sign in to the web "
                    "application) before an API token can be created for them."
                )
                % {"username": user.get_username()}
            },
            code="two_factor_setup_required",
        )
    code = (otp_code or "").strip()
    if not code:
        raise ValidationError(
            {
                "otp_code": _(
                    "%(username)s must use two-factor authentication: give a current code "
                    "from their authenticator app."
                )
                % {"username": user.get_username()}
            },
            code="two_factor_code_required",
        )
    # Outside any transaction: django-otp's throttling of wrong codes must be kept.
    if any(device.verify_token(code) for device in devices):
        return timezone.now()
    audit_record(
        action="api_token.create",
        actor=actor,
        actor_username="" if actor else "system",
        outcome="failure",
        details={"user": user.get_username(), "reason": "second factor"},
    )
    raise ValidationError(
        {"otp_code": _("That code is not valid. Check your device's clock.")},
        code="two_factor_code_invalid",
    )


def api_token_create(
    *,
    actor,
    user,
    name: str = "",
    expires_at: dt.datetime | None = None,
    otp_code: str = "",
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the token text (never stored).

    Users who must use TOTP get a token only with a current code from their confirmed device
    (`otp_code`); raises ValidationError otherwise."""
    verified_at = _second_factor_check(actor=actor, user=user, otp_code=otp_code)
    with transaction.atomic():
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=token[:12],
            token_hash=_hash(token),
            expires_at=expires_at,
            second_factor_verified_at=verified_at,
        )
        details = {"user": user.get_username(), "prefix": row.prefix}
        if verified_at is not None:
            details["second_factor"] = "totp"
        audit_record(
            action="api_token.create",
            actor=actor,
            actor_username="" if actor else "system",
            object_type="accounts.apitoken",
            object_id=str(row.pk),
            details=details,
        )
    return row, token


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    audit_record(
        action="api_token.revoke",
        actor=actor,
        actor_username="" if actor else "system",
        object_type="accounts.apitoken",
        object_id=str(token.pk),
        details={"user": token.user.get_username(), "prefix": token.prefix},
    )
    return token


def _token_row(token: str) -> ApiToken | None:
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or (row.expires_at and row.expires_at <= timezone.now()):
        return None
    if not row.user.is_active:
        return None
    return row


def _locked_out(request) -> bool:
    if request is None or not settings.AXES_ENABLED:
        return False
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, credentials=TOKEN_LOCKOUT_CREDENTIALS)


def _count_failure(request) -> bool:
    """Count a bad token against the client address, as django-axes counts failed logins (same
    limit and cool-off); True when this failure locks the address out."""
    audit_record(action="api_token.authenticate", outcome="failure")
    if request is None or not settings.AXES_ENABLED:
        return False
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.user_login_failed(
        sender=api_token_authenticate, credentials=TOKEN_LOCKOUT_CREDENTIALS, request=request
    )
    locked = bool(getattr(request, "axes_locked_out", False))
    # Answered here as JSON; AxesMiddleware would swap the API response for the HTML page.
    request.axes_locked_out = False
    return locked


def _second_factor_refusal(row: ApiToken) -> ApiTokenRefused | None:
    if not two_factor_required(row.user):
        return None
    from django_otp import user_has_device

    if not user_has_device(row.user, confirmed=True):
        return ApiTokenRefused(
            _(
                "Two-factor authentication is required for this account and is not set up: "
                "sign in to the web application to set it up before using API tokens."
            ),
            code="two_factor_setup_required",
        )
    if row.second_factor_verified_at is None:
        return ApiTokenRefused(
            _(
                "This API token was created without a second-factor check, which this account "
                "requires: ask for a new token (alianza token create --otp CODE)."
            ),
            code="two_factor_token_unverified",
        )
    return None


def api_token_authenticate(token: str, *, request=None):
    """The active user the token belongs to, or None.

    With `request`, bad tokens count against the client address like failed logins (axes):
    past the limit every Bearer token from that address is refused (ApiTokenLockedOut) until
    the cool-off ends. A genuine token of a user whose role or agency requires TOTP raises
    ApiTokenRefused until a device is confirmed and the token was created with a code."""
    if _locked_out(request):
        raise ApiTokenLockedOut(request)
    row = _token_row(token)
    if row is None:
        if _count_failure(request):
            raise ApiTokenLockedOut(request)
        return None
    if refusal := _second_factor_refusal(row):
        raise refusal
    # Touch at most once a minute: a busy client must not turn every read into a write.
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


@transaction.atomic
def user_language_set(*, user, language: str) -> None:
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})
    audit_record(action="user.set_language", actor=user, details={"language": language})
