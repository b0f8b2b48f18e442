from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from alianza.access.getters import access_get
from alianza.access.views import AccessListView, RoleRequiredMixin

from . import selectors, services
from .models import Notification


class NotificationListView(AccessListView):
    """The reader's own notifications, newest first."""

    model = Notification
    template_name = "notifications/notification_list.html"
    context_object_name = "notifications"
    audit_action = "notification.list"

    def filter_queryset(self, queryset):
        if self.request.GET.get("unread") == "1":
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            unread_count=selectors.notification_unread_count(reader=self.request.user),
            unread_only=self.request.GET.get("unread") == "1",
            **kwargs,
        )


class NotificationReadView(RoleRequiredMixin, View):
    """Mark one of the reader's own notifications as read."""

    def post(self, request, pk):
        notification = access_get(request.user, Notification, pk=pk)
        services.notification_mark_read(actor=request.user, notification=notification)
        messages.success(request, _("Notification marked as read."))
        return redirect("notifications:notification_list")
