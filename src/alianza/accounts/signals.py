"""Logins, failed logins and logouts go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from alianza.audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="alianza_audit_login")
def _logged_in(sender, request, user, **kwargs):
    audit_record(action="login", actor=user)


@receiver(user_login_failed, dispatch_uid="alianza_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        action="login.failed",
        actor_username=str(credentials.get("username", ""))[:150],
        outcome="failure",
    )


@receiver(user_logged_out, dispatch_uid="alianza_audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action="logout", actor=user)
