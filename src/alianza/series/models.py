"""Published aggregate statistics (CBP drug seizures, Border Patrol apprehensions) kept as the
publishers published them: one series per measure of a published table, one observation per
published cell. Aggregates, never fake events: nothing here is a FlowEvent.

Not marked: the figures are public. Pages and API routes still require an active task-force
reader (`RoleRequiredMixin`, `may_read_anything`), like the border's reference data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AggregateSeries(models.Model):
    class Publisher(models.TextChoices):
        CBP = "CBP", _("U.S. Customs and Border Protection")
        USBP = "USBP", _("U.S. Border Patrol")

    class Unit(models.TextChoices):
        EVENTS = "events", _("seizure events")
        POUNDS = "lb", _("pounds")
        OUNCES = "oz", _("ounces")
        PERSONS = "persons", _("persons")
        AGENTS = "agents", _("agents")
        USD = "USD", _("US dollars")
        ROUNDS = "rounds", _("rounds")
        COUNT = "count", _("count")

    code = models.CharField(_("code"), max_length=200, unique=True)
    name = models.CharField(_("name"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=8, choices=Publisher.choices)
    kind = models.CharField(_("file format"), max_length=40)
    measure = models.CharField(_("measure (column as published)"), max_length=100)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    source_file = models.CharField(_("source file"), max_length=300)
    source_url = models.CharField(_("source URL"), max_length=500, blank=True)
    source_sha256 = models.CharField(_("SHA-256 of the source file"), max_length=64)
    description = models.TextField(_("description"), blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("published series")
        verbose_name_plural = _("published series")
        ordering = ["publisher", "source_file", "measure"]

    def __str__(self) -> str:
        return self.name


class SeriesObservation(models.Model):
    class Granularity(models.TextChoices):
        MONTH = "month", _("month")
        FISCAL_YEAR = "fiscal_year", _("fiscal year")

    class Level(models.TextChoices):
        # Ports of entry (CBP Office of Field Operations) and the line between them (Border
        # Patrol sectors) are different areas: "Tucson Field Office" is not "Tucson Sector".
        FIELD_OFFICE = "field_office", _("field office (ports of entry)")
        SECTOR = "sector", _("Border Patrol sector")
        REGION = "region", _("border region")
        NATION = "nation", _("nationwide")

    series = models.ForeignKey(
        AggregateSeries,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    granularity = models.CharField(_("granularity"), max_length=16, choices=Granularity.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    area = models.CharField(_("area (as published)"), max_length=100)
    area_key = models.CharField(_("area key"), max_length=100, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    component = models.CharField(_("component"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    land_filter = models.CharField(_("land filter"), max_length=100, blank=True)
    drug_type = models.CharField(_("drug type"), max_length=100, blank=True)
    value = models.FloatField(_("value"))
    line = models.PositiveIntegerField(_("line in the source file"))

    class Meta:
        verbose_name = _("published observation")
        verbose_name_plural = _("published observations")
        ordering = ["period_start", "area", "drug_type"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "series",
                    "granularity",
                    "period_start",
                    "area",
                    "component",
                    "region",
                    "land_filter",
                    "drug_type",
                ],
                name="seriesobservation_one_cell",
            )
        ]
        indexes = [models.Index(fields=["series", "period_start"], name="seriesobs_series_period")]

    def __str__(self) -> str:
        return f"{self.series_id} {self.period_start} {self.area} {self.value}"

    @property
    def unit(self) -> str:
        return self.series.unit
