import datetime as dt

from django.utils.dateparse import parse_date

from alianza.access.rules import reader_for
from alianza.access.views import AccessDetailView, AccessListView

from . import selectors
from .models import FlowEvent


def _date(value: str) -> dt.date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


class FlowEventListView(AccessListView):
    model = FlowEvent
    template_name = "flows/event_list.html"

    def _filters(self) -> dict:
        get = self.request.GET
        kind = get.get("kind", "")
        direction = get.get("direction", "")
        return {
            "kind": kind if kind in FlowEvent.Kind.values else "",
            "direction": direction if direction in FlowEvent.Direction.values else "",
            "since": _date(get.get("since", "")),
            "until": _date(get.get("until", "")),
        }

    def get_base_queryset(self):
        return selectors.flow_event_list(reader=self.request.user, **self._filters())

    def get_context_data(self, **kwargs):
        filters = self._filters()
        return super().get_context_data(
            kinds=FlowEvent.Kind.choices,
            directions=FlowEvent.Direction.choices,
            effectiveness=selectors.border_effectiveness(reader=self.request.user, **filters),
            **kwargs,
        )


class FlowEventDetailView(AccessDetailView):
    model = FlowEvent
    template_name = "flows/event_detail.html"

    def get_context_data(self, **kwargs):
        reader = reader_for(self.request.user)
        return super().get_context_data(
            items=selectors.flow_event_items(reader=reader, event=self.object), **kwargs
        )
