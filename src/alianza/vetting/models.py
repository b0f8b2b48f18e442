"""Vetting programmes, cases, check results, approvals and integrity allegations.

An officer's vetting status is derived from these rows (status.py), never typed in.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import AllegationQuerySet, CaseChildQuerySet, VettingCaseQuerySet


class VettingProgramme(models.Model):
    """A set of required checks run by `owner_agency` on the officers of `subject_agency`."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    owner_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency that runs it"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency whose officers it applies to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    validity_days = models.PositiveIntegerField(_("validity (days)"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("vetting programme")
        verbose_name_plural = _("vetting programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class CheckType(models.Model):
    programme = models.ForeignKey(
        VettingProgramme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="check_types",
    )
    code = models.CharField(_("code"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    validity_days = models.PositiveIntegerField(
        _("validity (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the programme's validity."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("check type")
        verbose_name_plural = _("check types")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="check_type_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code}/{self.code}"


class VettingPolicy(models.Model):
    """Per-agency settings of the vetting pipeline."""

    agency = models.OneToOneField(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="vetting_policy",
    )
    suspend_on_open_allegation = models.BooleanField(
        _("suspend while an integrity allegation is open"), default=True
    )
    expiring_window_days = models.PositiveIntegerField(_("expiring window (days)"), default=90)

    class Meta:
        verbose_name = _("vetting policy")
        verbose_name_plural = _("vetting policies")

    def __str__(self) -> str:
        return str(self.agency)


class VettingCase(models.Model):
    """One vetting (or re-vetting) of one officer under one programme."""

    officer = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="vetting_cases",
    )
    programme = models.ForeignKey(
        VettingProgramme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    opened_at = models.DateTimeField(_("opened at"))

    objects = VettingCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("vetting case")
        verbose_name_plural = _("vetting cases")
        ordering = ["-opened_at", "-id"]
        permissions = [("view_vetting_status", _("Can view officers' vetting status"))]

    def __str__(self) -> str:
        return f"{self.programme.code} #{self.pk}"


class CheckResult(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", _("pass")
        FAIL = "fail", _("fail")
        INCONCLUSIVE = "inconclusive", _("inconclusive")

    case = models.ForeignKey(
        VettingCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="results"
    )
    check_type = models.ForeignKey(
        CheckType, verbose_name=_("check"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    examiner = models.CharField(_("examiner"), max_length=200)
    examined_on = models.DateField(_("date"))
    expires_on = models.DateField(_("expires on"))
    notes = models.TextField(_("restricted notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        ordering = ["case", "check_type__position", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.check_type}: {self.result}"


class CaseApproval(models.Model):
    case = models.ForeignKey(
        VettingCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="approvals"
    )
    approver = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"))

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("case approval")
        verbose_name_plural = _("case approvals")
        constraints = [
            models.UniqueConstraint(fields=["case", "approver"], name="one_approval_per_approver")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} by {self.approver_id}"


class IntegrityAllegation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        SUBSTANTIATED = "substantiated", _("closed: substantiated")
        UNSUBSTANTIATED = "unsubstantiated", _("closed: unsubstantiated")

    officer = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="allegations",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"))
    summary = models.TextField(_("summary"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    objects = AllegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("integrity allegation")
        verbose_name_plural = _("integrity allegations")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.status})"
