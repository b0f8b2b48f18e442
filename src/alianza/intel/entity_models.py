"""Entities and the link graph. An entity or an edge exists for a reader only through a
report (or tearline) that reader may see."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from alianza.access.querysets import MarkedViaQuerySet


class EntityQuerySet(MarkedViaQuerySet):
    marking_path = "mentions__report__marking"


class Entity(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")
        VEHICLE = "vehicle", _("vehicle")
        PHONE = "phone", _("phone")
        FIREARM = "firearm", _("firearm")
        LOCATION = "location", _("location")
        ACCOUNT = "account", _("financial account")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    selector = models.CharField(
        _("normalised selector"),
        max_length=200,
        help_text=_("The canonical key that makes the same thing one entity."),
    )
    # Only what any reader of any mention already knows: the normalised selector, or for a
    # name the name itself. A label a report gives (a role, a nickname) lives on its Mention,
    # so it reaches only readers of that report (see intel.selectors.entities_labelled).
    label = models.CharField(_("label"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "selector"], name="entity_selector_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Mention(models.Model):
    """A report names an entity (with the alias it used): the provenance of the entity."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.PROTECT, related_name="mentions"
    )
    report = models.ForeignKey(
        "intel.Report", verbose_name=_("report"), on_delete=models.PROTECT, related_name="+"
    )
    alias = models.CharField(_("alias used"), max_length=200, blank=True)
    label = models.CharField(
        _("label in this report"),
        max_length=200,
        blank=True,
        help_text=_("What this report calls the entity; shown only to readers of the report."),
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("linked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MarkedViaQuerySet.as_manager()

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["entity", "report", "alias"], name="mention_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.entity_id}"


class Relation(models.Model):
    """An edge between two entities, asserted by a report."""

    source = models.ForeignKey(
        Entity, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        Entity, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("relation"), max_length=100)
    report = models.ForeignKey(
        "intel.Report", verbose_name=_("asserted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("linked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MarkedViaQuerySet.as_manager()

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")

    def __str__(self) -> str:
        return f"{self.source_id} -{self.kind}-> {self.target_id}"
