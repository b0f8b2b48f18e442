from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "alianza.agencies"
    label = "agencies"
    verbose_name = _("Agencies and people")

    def ready(self) -> None:
        from .roles import roles_sync

        post_migrate.connect(roles_sync, dispatch_uid="alianza_roles_sync")
