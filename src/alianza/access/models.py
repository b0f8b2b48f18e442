"""Markings and compartments: the labels the visibility rules read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Compartment(models.Model):
    """A need-to-know group (e.g. a named joint operation). Holding it is a reader attribute."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("compartment")
        verbose_name_plural = _("compartments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class CompartmentMembership(models.Model):
    compartment = models.ForeignKey(
        Compartment,
        verbose_name=_("compartment"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    officer = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("officer"),
        on_delete=models.CASCADE,
        related_name="compartment_memberships",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("compartment membership")
        verbose_name_plural = _("compartment memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["compartment", "officer"], name="compartment_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.compartment_id}:{self.officer_id}"


class Marking(models.Model):
    """An immutable, shared label: who owns a record and who else may read it.

    Markings are values: records with the same label share one row (found by `signature`), so
    the visibility filter is a semi-join against a small table however many records exist.
    Change a record's marking by pointing it at another Marking, never by editing one.
    """

    signature = models.CharField(_("signature"), max_length=512, unique=True, editable=False)
    originating_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("originating agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty only on derived data that combines records of several agencies."),
    )
    releasable_to = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("releasable to"), blank=True, related_name="+"
    )
    compartments = models.ManyToManyField(
        Compartment, verbose_name=_("compartments"), blank=True, related_name="markings"
    )
    originator_control = models.BooleanField(_("originator control (ORCON)"), default=False)
    review_date = models.DateField(_("review date"), null=True, blank=True)

    class Meta:
        verbose_name = _("marking")
        verbose_name_plural = _("markings")

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        """A short, stable text for audit entries and banners, e.g. `USBP REL GNMX [OP-X] ORCON`."""
        parts = [self.originating_agency.code if self.originating_agency_id else "DERIVED"]
        releasable = sorted(a.code for a in self.releasable_to.all())
        if releasable:
            parts.append("REL " + ",".join(releasable))
        compartments = sorted(c.code for c in self.compartments.all())
        if compartments:
            parts.append("[" + ",".join(compartments) + "]")
        if self.originator_control:
            parts.append("ORCON")
        if self.review_date:
            parts.append(f"REVIEW {self.review_date.isoformat()}")
        return " ".join(parts)
