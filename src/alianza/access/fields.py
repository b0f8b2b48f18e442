"""The marking field every sensitive model carries, declared once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def MarkingField(**kwargs) -> models.ForeignKey:  # noqa: N802 - reads like a field class
    """A foreign key to access.Marking: shared label rows, never deleted while used."""
    options = {"verbose_name": _("marking"), "on_delete": models.PROTECT, "related_name": "+"}
    options.update(kwargs)
    return models.ForeignKey("access.Marking", **options)
