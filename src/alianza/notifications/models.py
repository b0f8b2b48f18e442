"""Notifications addressed to one user (reminders of expiring vetting and certifications).

The text is stored as a message key (`kind`) and its parameters, and rendered in the reader's
language when shown, so a Spanish-speaking officer reads it in Spanish whoever triggered it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import NotificationQuerySet


class Notification(models.Model):
    class Kind(models.TextChoices):
        VETTING_EXPIRING = "vetting_expiring", _("your vetting expires")
        CERTIFICATION_EXPIRING = "certification_expiring", _("your certification expires")
        STAFF_VETTING_EXPIRING = "staff_vetting_expiring", _("an officer's vetting expires")
        STAFF_CERTIFICATION_EXPIRING = (
            "staff_certification_expiring",
            _("an officer's certification expires"),
        )
        RFI_DUE_SOON = "rfi_due_soon", _("a request for information to answer is due soon")
        RFI_OVERDUE = "rfi_overdue", _("a request for information to answer is overdue")
        RFI_REQUEST_DUE_SOON = "rfi_request_due_soon", _("your request for information is due soon")
        RFI_REQUEST_OVERDUE = "rfi_request_overdue", _("your request for information is overdue")
        RFI_REQUEST_ANSWERED = (
            "rfi_request_answered",
            _("your request for information was answered"),
        )
        REPORT_REVIEW_DUE = "report_review_due", _("your report is due for review")
        REPORT_REVIEW_PAST = "report_review_past", _("your report is past its review date")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("addressee"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"

    @property
    def text(self) -> str:
        """The message in the active language (see messages.py)."""
        from .messages import render

        return render(self.kind, self.params)

    @property
    def link(self) -> str:
        """The page the notification is about (which checks access again), or ""."""
        from django.urls import reverse

        if self.kind.startswith("rfi_") and isinstance(self.params.get("rfi"), int):
            return reverse("intel:rfi_detail", args=[self.params["rfi"]])
        if self.kind.startswith("report_review_") and isinstance(self.params.get("report"), int):
            return reverse("intel:report_detail", args=[self.params["report"]])
        return ""
