"""Position reports of officers and vehicles, the latest position of each, and the units that
report them.

Storage is compact on purpose (a vehicle reporting every 30 s makes ~2,900 rows a day):
coordinates are double precision, accuracy, speed and heading small integers, the located
segment and side a foreign key and two characters, the marking a shared label row. The unique
(unit, time) constraint is the (unit, time) index and makes a re-sent batch harmless.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from alianza.access.fields import MarkingField

from .querysets import LatestPositionQuerySet, PositionReportQuerySet, TrackedUnitQuerySet


class TrackedUnit(models.Model):
    """Something that reports its position: an officer on foot or a vehicle, by call sign."""

    class Kind(models.TextChoices):
        OFFICER = "officer", _("officer")
        VEHICLE = "vehicle", _("vehicle")

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(
        _("call sign"), max_length=32, help_text=_("Unique within the agency, e.g. USBP-T12.")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=100, blank=True)
    officer = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "agencies.Unit",
        verbose_name=_("organisational unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    shared = models.BooleanField(
        _("shared with partner agencies"),
        default=True,
        help_text=_(
            "Within a joint operation, positions of a shared unit are releasable to the "
            "operation's lead agencies; an unshared unit is seen by its own agency only."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TrackedUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("tracked unit")
        verbose_name_plural = _("tracked units")
        ordering = ["agency_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="trackedunit_code_per_agency")
        ]

    def __str__(self) -> str:
        return self.code


class PositionFields(models.Model):
    """What a fix says, shared by the report and the cached latest position."""

    operation = models.ForeignKey(
        "operations.JointOperation",
        verbose_name=_("joint operation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    time = models.DateTimeField(_("time (UTC)"))
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    accuracy_m = models.PositiveSmallIntegerField(_("accuracy (m)"), null=True, blank=True)
    speed_kmh = models.PositiveSmallIntegerField(_("speed (km/h)"), null=True, blank=True)
    heading = models.PositiveSmallIntegerField(_("heading (degrees)"), null=True, blank=True)
    # Located when the report is ingested, never typed in.
    segment = models.ForeignKey(
        "border.Segment", verbose_name=_("segment"), on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(_("side"), max_length=2)
    marking = MarkingField()

    class Meta:
        abstract = True


class PositionReport(PositionFields):
    id = models.BigAutoField(primary_key=True)
    unit = models.ForeignKey(
        TrackedUnit, verbose_name=_("tracked unit"), on_delete=models.PROTECT, related_name="+"
    )

    objects = PositionReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("position report")
        verbose_name_plural = _("position reports")
        ordering = ["unit_id", "time"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "time"], name="positionreport_unit_time")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}@{self.time:%Y-%m-%d %H:%M:%S}"


class LatestPosition(PositionFields):
    """The newest report of each unit, upserted by the ingest: the live map reads only this."""

    unit = models.OneToOneField(
        TrackedUnit,
        verbose_name=_("tracked unit"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )

    objects = LatestPositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("latest position")
        verbose_name_plural = _("latest positions")
        ordering = ["unit_id"]

    def __str__(self) -> str:
        return f"{self.unit_id}@{self.time:%Y-%m-%d %H:%M:%S}"
