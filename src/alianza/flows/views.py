import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.rules import reader_for
from alianza.access.services import marking_get_or_create
from alianza.access.views import AccessDetailView, AccessListView, RoleRequiredMixin
from alianza.agencies.models import Agency

from . import selectors, services
from .forms import (
    FlowEventCreateForm,
    FlowEventForm,
    FlowEventLinkForm,
    item_formsets,
    items_from,
)
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
            may_report=_may_report(self.request.user),
            **kwargs,
        )


class FlowEventDetailView(AccessDetailView):
    model = FlowEvent
    template_name = "flows/event_detail.html"

    def get_context_data(self, **kwargs):
        reader = reader_for(self.request.user)
        may_change = bool(reader.roles & services.WRITER_ROLES)
        return super().get_context_data(
            items=selectors.flow_event_items(reader=reader, event=self.object),
            may_edit=may_change and self.object.agency_id == reader.agency_id,
            may_link=may_change,
            link_form=FlowEventLinkForm(),
            **kwargs,
        )


def _may_report(user) -> bool:
    reader = reader_for(user)
    return reader.may_read_anything and bool(reader.roles & services.WRITER_ROLES)


def _form_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class FlowEventCreateView(RoleRequiredMixin, View):
    """Report an event with its items. Reporters only; others get the 404 of a missing page."""

    template_name = "flows/event_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _may_report(request.user):
            raise RecordNotFound()
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, form, formsets):
        return render(
            request, self.template_name, {"form": form, "formsets": formsets.values(), "new": True}
        )

    def get(self, request):
        form = FlowEventCreateForm(reader=reader_for(request.user))
        return self._render(request, form, item_formsets())

    def post(self, request):
        reader = reader_for(request.user)
        form = FlowEventCreateForm(request.POST, reader=reader)
        formsets = item_formsets(request.POST)
        if not (form.is_valid() and all(f.is_valid() for f in formsets.values())):
            return self._render(request, form, formsets)
        data = dict(form.cleaned_data)
        marking = marking_get_or_create(
            originating_agency=Agency.objects.get(pk=reader.agency_id),
            releasable_to=data.pop("releasable_to"),
            compartments=data.pop("compartments"),
        )
        try:
            event = services.flow_event_create(
                actor=request.user, marking=marking, items=items_from(formsets), **data
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self._render(request, form, formsets)
        messages.success(request, _("Event recorded."))
        return redirect("flows:event_detail", pk=event.pk)


def _own_event(user, pk) -> FlowEvent:
    """An event the user may change: visible, of their agency, and they report flows. Anything
    else is the same 404 as a missing event."""
    event = access_get(user, FlowEvent, pk=pk)
    if not _may_report(user) or event.agency_id != reader_for(user).agency_id:
        raise RecordNotFound()
    return event


class FlowEventUpdateView(RoleRequiredMixin, View):
    template_name = "flows/event_form.html"

    def _render(self, request, form, event):
        return render(request, self.template_name, {"form": form, "object": event, "new": False})

    def get(self, request, pk):
        event = _own_event(request.user, pk)
        initial = {name: getattr(event, name) for name in services.UPDATABLE}
        initial["occurred_at"] = timezone.localtime(event.occurred_at)
        return self._render(request, FlowEventForm(initial=initial), event)

    def post(self, request, pk):
        event = _own_event(request.user, pk)
        initial = {name: getattr(event, name) for name in services.UPDATABLE}
        form = FlowEventForm(request.POST, initial=initial)
        if not form.is_valid():
            return self._render(request, form, event)
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changes:
            messages.info(request, _("Nothing changed."))
            return redirect("flows:event_detail", pk=event.pk)
        try:
            services.flow_event_update(actor=request.user, event=event, **changes)
        except ValidationError as error:
            _form_errors(form, error)
            return self._render(request, form, event)
        messages.success(request, _("Event updated."))
        return redirect("flows:event_detail", pk=event.pk)


class FlowEventLinkView(RoleRequiredMixin, View):
    """Mark this event and another visible one as the same crossing (counted once)."""

    def post(self, request, pk):
        event = access_get(request.user, FlowEvent, pk=pk)
        if not _may_report(request.user):
            raise RecordNotFound()
        form = FlowEventLinkForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, text)
            return redirect("flows:event_detail", pk=event.pk)
        # An event the user may not see answers like a number that does not exist, and on
        # this page rather than as a 404, so the form stays usable.
        other = FlowEvent.objects.visible_to(request.user).filter(pk=form.cleaned_data["other"])
        other = other.first()
        if other is None:
            messages.error(request, _("No event with that number."))
            return redirect("flows:event_detail", pk=event.pk)
        try:
            services.flow_events_link(actor=request.user, first=event, second=other)
        except ValidationError as error:
            for errors in error.message_dict.values():
                for text in errors:
                    messages.error(request, text)
        else:
            messages.success(request, _("Linked as one crossing."))
        return redirect("flows:event_detail", pk=event.pk)
