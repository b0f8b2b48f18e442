"""The live map of joint patrols: a page that draws the latest positions the reader may see
and fetches them again every few seconds (static/positions/live.js, no inline script)."""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from alianza.access.views import RoleRequiredMixin
from alianza.audit.services import audit_record
from alianza.operations.selectors import operation_list

from . import selectors

REFRESH_SECONDS = 15


class LiveMapView(RoleRequiredMixin, TemplateView):
    template_name = "positions/live.html"

    def get_context_data(self, **kwargs):
        operation = None
        raw = self.request.GET.get("operation", "")
        if raw:
            operation = selectors.operation_get(reader=self.request.user, pk=raw)
        audit_record(
            action="latestposition.map_page",
            actor=self.request.user,
            object_type="positions.latestposition",
            details={"operation": operation.code if operation else None},
        )
        max_age = int(selectors.DEFAULT_MAX_AGE.total_seconds() // 60)
        labels = {
            "unit": _("Unit"),
            "agency": _("Agency"),
            "time": _("Reported"),
            "age": _("%(minutes)s min ago"),
            "speed": _("Speed (km/h)"),
            "heading": _("Heading"),
            "segment": _("Segment and side"),
            "operation": _("Operation"),
            "marking": _("Marking"),
            "boundary": _("Boundary"),
            "count": _("%(count)s units shown, updated %(time)s."),
            "loading_failed": _("The positions could not be loaded; retrying."),
            "legend_kind": _("Large: vehicle; small: officer on foot."),
        }
        config = {
            "latest": reverse("api:positions_latest"),
            "boundary": reverse("api:map_boundary"),
            "operation": operation.pk if operation else None,
            "refreshSeconds": REFRESH_SECONDS,
            "maxAgeMinutes": max_age,
            "tileUrl": settings.ALIANZA_MAP_TILE_URL,
            "tileAttribution": settings.ALIANZA_MAP_TILE_ATTRIBUTION,
            "labels": labels,
        }
        return super().get_context_data(
            operation=operation,
            operations=operation_list(reader=self.request.user).order_by("code"),
            refresh_seconds=REFRESH_SECONDS,
            max_age_minutes=max_age,
            map_config=json.dumps(config),
            **kwargs,
        )
