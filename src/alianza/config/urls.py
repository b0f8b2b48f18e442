from django.contrib import admin
from django.urls import include, path

from alianza.config.api import api

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("alianza.accounts.urls")),
    path("people/", include("alianza.agencies.urls")),
    path("intel/", include("alianza.intel.urls")),
    path("audit/", include("alianza.audit.urls")),
    path("vetting/", include("alianza.vetting.urls")),
    path("training/", include("alianza.training.urls")),
    path("operations/", include("alianza.operations.urls")),
    path("flows/", include("alianza.flows.urls")),
    path("patrols/", include("alianza.patrols.urls")),
    path("positions/", include("alianza.positions.urls")),
    path("search/", include("alianza.search.urls")),
    path("exports/", include("alianza.exports.urls")),
    path("notifications/", include("alianza.notifications.urls")),
    path("series/", include("alianza.series.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

handler404 = "alianza.config.errors.not_found"
