"""Generic views that apply the access layer and the audit for you (NetBox-style)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.views.generic import DetailView, ListView

from alianza.audit.services import audit_record

from .getters import RecordNotFound, access_get
from .rules import reader_for


class RoleRequiredMixin(LoginRequiredMixin):
    """A page for some roles only. Others get the same 404 as a page that does not exist."""

    required_permission: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not reader_for(request.user).may_read_anything:
            raise RecordNotFound()
        if self.required_permission and not request.user.has_perm(self.required_permission):
            raise RecordNotFound()
        return super().dispatch(request, *args, **kwargs)


class AccessListView(RoleRequiredMixin, ListView):
    """Lists only what the reader may see; audits the listing."""

    paginate_by = 50
    audit_action: str = ""

    def get_base_queryset(self):
        if self.model is None:
            raise ImproperlyConfigured("AccessListView needs a model")
        return self.model.objects.visible_to(self.request.user)

    def filter_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        return self.filter_queryset(self.get_base_queryset())

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        audit_record(
            action=self.audit_action or f"{self.model._meta.model_name}.list",
            actor=request.user,
            object_type=self.model._meta.label_lower,
            details={"query": request.GET.urlencode()[:500]},
        )
        return response


class AccessDetailView(RoleRequiredMixin, DetailView):
    """Shows one record the reader may see (404 otherwise); audits the read."""

    audit_action: str = ""

    def get_object(self, queryset=None):
        obj = access_get(self.request.user, self.model, pk=self.kwargs["pk"])
        audit_record(
            action=self.audit_action or f"{self.model._meta.model_name}.view",
            actor=self.request.user,
            obj=obj,
        )
        return obj
