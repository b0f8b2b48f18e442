from alianza.access.views import AccessListView

from .forms import AuditFilterForm
from .models import AuditEvent
from .selectors import audit_event_list


class AuditEventListView(AccessListView):
    """The audit page for integrity officers. Looking at it is itself audited."""

    model = AuditEvent
    required_permission = "audit.view_audit_log"
    template_name = "audit/event_list.html"
    audit_action = "audit.view"

    def get_base_queryset(self):
        self.filter_form = AuditFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return audit_event_list(reader=self.request.user, filters=filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)
