"""Agencies, their units and their officers: the people the task force is made of."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alianza.access.querysets import AgencyScopedQuerySet


class Agency(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. US or MX.")
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication of every user"), default=False
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if (get_language() or "en").startswith("es") else self.name_en


class Unit(models.Model):
    class Kind(models.TextChoices):
        SECTOR = "sector", _("sector")
        STATION = "station", _("station")
        ZONE = "zone", _("zone")
        CONTINGENT = "contingent", _("contingent")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_per_agency")
        ]

    def __str__(self) -> str:
        return self.name


class Officer(models.Model):
    """A member of an agency. Officers are scoped to their own agency by the access layer."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officer",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="officers"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )
    badge_number = models.CharField(_("badge number"), max_length=32)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    rank = models.CharField(_("rank"), max_length=64, blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Language codes, e.g. en, es.")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["family_name", "given_name"]
        permissions = [("manage_officers", _("Can manage the officers of their own agency"))]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "badge_number"], name="officer_badge_unique_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.badge_number})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"
