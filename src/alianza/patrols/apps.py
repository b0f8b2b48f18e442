from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "alianza.patrols"
    label = "patrols"
    verbose_name = _("Patrol planning")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the vetting suspension hook
