from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PositionsConfig(AppConfig):
    name = "alianza.positions"
    label = "positions"
    verbose_name = _("Positions and patrol effort")
