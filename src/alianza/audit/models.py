"""The append-only, hash-chained audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alianza.access.querysets import SensitiveQuerySet


class AuditEventQuerySet(SensitiveQuerySet):
    """Integrity officers see what their agency's people did and what was done to its records."""

    def _filter_for(self, reader):
        from alianza.agencies.models import Agency

        if not reader.has_role("integrity_officer"):
            return self.none()
        code = Agency.objects.filter(pk=reader.agency_id).values_list("code", flat=True).first()
        return self.filter(models.Q(agency_code=code) | models.Q(object_agency_code=code))


class AuditEvent(models.Model):
    """One audited action. Rows are never updated or deleted: database triggers refuse it.

    `entry_hash` = SHA-256(previous entry's hash + canonical content), so editing, deleting,
    reordering or truncating entries breaks the chain (`alianza audit verify`).
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("success")
        DENIED = "denied", _("denied")
        NOT_FOUND = "not_found", _("not found")
        FAILURE = "failure", _("failure")

    seq = models.BigIntegerField(_("sequence number"), unique=True)
    time = models.DateTimeField(_("time (UTC)"), db_index=True)
    # No database constraint: a user's deletion must never need to touch the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    agency_code = models.CharField(_("actor's agency"), max_length=16, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_agency_code = models.CharField(
        _("object's originating agency"), max_length=16, blank=True, db_index=True
    )
    marking_summary = models.CharField(_("marking"), max_length=512, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    client_address = models.CharField(_("client address"), max_length=64, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64)
    entry_hash = models.CharField(_("entry hash"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        permissions = [("view_audit_log", _("Can view the audit log"))]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.actor_username}"


class AuditHead(models.Model):
    """The chain's newest (seq, hash): the lock appenders queue on, and the truncation witness."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    seq = models.BigIntegerField(_("sequence number"), default=0)
    entry_hash = models.CharField(_("entry hash"), max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"head {self.seq}"
