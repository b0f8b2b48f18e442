"""A record of every export handed to a named recipient, with its fingerprint."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alianza.access.fields import MarkingField

from . import fingerprint
from .querysets import ExportRecordQuerySet


class ExportRecord(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", _("PDF")
        CSV = "csv", _("CSV")

    export_id = models.CharField(_("export id"), max_length=32, unique=True)
    recipient = models.CharField(_("recipient"), max_length=200)
    recipient_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("recipient's agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("exporting agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    object_type = models.CharField(_("object type"), max_length=64)
    object_ids = models.JSONField(_("exported records"), default=list)
    query = models.CharField(_("search query"), max_length=200, blank=True)
    # The secret per-export key the variations derive from, and what they came out as.
    seed = models.CharField(_("variation key"), max_length=64)
    bits = models.TextField(_("variation bits"), blank=True)
    # Per variation point: [hash of the text as sent, hash of the other variant]. Hashes only,
    # so the record holds no content of the export.
    probes = models.JSONField(_("variation probes"), default=list)
    # The fingerprint scheme the probes were made with (fingerprint.SCHEMES): a leak is read
    # with each record's own scheme. Exports recorded before scheme 2 are scheme 1.
    fingerprint_version = models.PositiveSmallIntegerField(
        _("fingerprint scheme"), default=fingerprint.CURRENT
    )
    marking = MarkingField()
    marking_summary = models.CharField(_("marking summary"), max_length=512)

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.export_id} → {self.recipient}"
