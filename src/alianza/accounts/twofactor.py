"""Who must use TOTP: the roles in ALIANZA_2FA_REQUIRED_ROLES, and everyone in an agency whose
policy requires it."""

from django.conf import settings


def two_factor_required(user) -> bool:
    from alianza.agencies.models import Officer

    if user.groups.filter(name__in=settings.ALIANZA_2FA_REQUIRED_ROLES).exists():
        return True
    return Officer._base_manager.filter(user_id=user.pk, agency__require_two_factor=True).exists()
