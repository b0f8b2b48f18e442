"""Joint operations (each a compartment), membership changes under a cross-agency two-person
rule, and deconfliction of the agencies' planned activities."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from alianza.access.fields import MarkingField
from alianza.access.querysets import MarkedQuerySet


class JointOperation(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    lead_agencies = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("lead agencies"), related_name="+"
    )
    compartment = models.OneToOneField(
        "access.Compartment",
        verbose_name=_("compartment"),
        on_delete=models.PROTECT,
        related_name="operation",
    )
    # Originator: the creating agency; releasable to the lead agencies; in its compartment.
    marking = MarkingField()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MembershipChange(models.Model):
    class Action(models.TextChoices):
        ADD = "add", _("add")
        REMOVE = "remove", _("remove")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPLIED = "applied", _("applied")
        REFUSED = "refused", _("refused")

    operation = models.ForeignKey(
        JointOperation, verbose_name=_("operation"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        "agencies.Officer", verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    requested_by = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    marking = MarkingField()

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.officer_id} ({self.status})"


class MembershipApproval(models.Model):
    change = models.ForeignKey(
        MembershipChange,
        verbose_name=_("change"),
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    approver = models.ForeignKey(
        "agencies.Officer", verbose_name=_("approver"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership approval")
        verbose_name_plural = _("membership approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["change", "approver"], name="one_membership_approval_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.change_id} by {self.approver_id}"


class PlannedActivity(models.Model):
    class Kind(models.TextChoices):
        SURVEILLANCE = "surveillance", _("surveillance")
        CONTROLLED_DELIVERY = "controlled_delivery", _("controlled delivery")
        ARREST = "arrest", _("arrest operation")
        PATROL = "patrol", _("special patrol")

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "agencies.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    radius_m = models.PositiveIntegerField(_("radius (m)"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    supervisor = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("responsible supervisor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_phone = models.CharField(_("contact phone"), max_length=32)
    marking = MarkingField()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="activity_window_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class DeconflictionAlert(models.Model):
    """Two activities overlap. Each side learns only whom to call, where and when: the
    fields below are copied at match time, and the activities themselves are never shown."""

    activity_a = models.ForeignKey(
        PlannedActivity, verbose_name=_("activity A"), on_delete=models.PROTECT, related_name="+"
    )
    activity_b = models.ForeignKey(
        PlannedActivity, verbose_name=_("activity B"), on_delete=models.PROTECT, related_name="+"
    )
    contact_a = models.CharField(_("contact (side A)"), max_length=300)
    contact_b = models.CharField(_("contact (side B)"), max_length=300)
    agency_a = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency A"), on_delete=models.PROTECT, related_name="+"
    )
    agency_b = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency B"), on_delete=models.PROTECT, related_name="+"
    )
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    window_start = models.DateTimeField(_("overlap starts"))
    window_end = models.DateTimeField(_("overlap ends"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Releasable to both agencies, no compartment: the alert itself reveals nothing more.
    marking = MarkingField()

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("deconfliction alert")
        verbose_name_plural = _("deconfliction alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["activity_a", "activity_b"], name="one_alert_per_pair")
        ]

    def __str__(self) -> str:
        return f"alert {self.pk}"
