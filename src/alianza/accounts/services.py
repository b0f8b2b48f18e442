"""Tokens, language preference and two-factor devices."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from alianza.audit.services import audit_record

from .models import ApiToken, UserPreference

TOKEN_PREFIX = "alz_"  # noqa: S105 - a public marker, not a secret


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor, user, name: str = "", expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the token text (never stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name, prefix=token[:12], token_hash=_hash(token), expires_at=expires_at
    )
    audit_record(
        action="api_token.create",
        actor=actor,
        actor_username="" if actor else "system",
        object_type="accounts.apitoken",
        object_id=str(row.pk),
        details={"user": user.get_username(), "prefix": row.prefix},
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


def api_token_authenticate(token: str):
    """The active user the token belongs to, or None."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if row is None or (row.expires_at and row.expires_at <= now) or not row.user.is_active:
        return None
    # Touch at most once a minute: a busy client must not turn every read into a write.
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


@transaction.atomic
def user_language_set(*, user, language: str) -> None:
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})
    audit_record(action="user.set_language", actor=user, details={"language": language})
