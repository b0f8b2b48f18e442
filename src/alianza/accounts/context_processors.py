"""The navigation a user sees follows their roles (what they cannot use, they are not shown)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alianza.access.rules import reader_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    reader = reader_for(user)
    items = [(_("Home"), reverse("home"))]
    if reader.may_read_anything:
        items.append((_("Intelligence"), reverse("intel:report_list")))
        items.append((_("Search"), reverse("search:search")))
        items.append((_("Officers"), reverse("agencies:officer_list")))
        items.append((_("Training"), reverse("training:course_list")))
        items.append((_("Operations"), reverse("operations:operation_list")))
        items.append((_("Border flows"), reverse("flows:event_list")))
        items.append((_("Flow dashboard"), reverse("flows:dashboard")))
        items.append((_("Flow map"), reverse("flows:map")))
        items.append((_("Published statistics"), reverse("series:series_list")))
    if reader.may_read_anything and user.has_perm("patrols.view_patrolplan"):
        items.append((_("Patrol plans"), reverse("patrols:plan_list")))
    if reader.may_read_anything:
        items.append((_("My patrols"), reverse("patrols:my_patrols")))
        items.append((_("Live patrol map"), reverse("positions:live_map")))
    if reader.may_read_anything and user.has_perm("vetting.view_vetting_status"):
        items.append((_("Vetting"), reverse("vetting:roster")))
    if reader.may_read_anything and user.has_perm("vetting.view_integrityallegation"):
        items.append((_("Allegations"), reverse("vetting:allegation_list")))
    if reader.may_read_anything and user.has_perm("audit.view_audit_log"):
        items.append((_("Audit log"), reverse("audit:event_list")))
    if reader.may_read_anything:
        from alianza.notifications.selectors import notification_unread_count

        unread = notification_unread_count(reader=reader)
        label = _("Notifications (%(count)s)") % {"count": unread} if unread else _("Notifications")
        items.append((label, reverse("notifications:notification_list")))
    return {"nav_items": items, "reader": reader}
