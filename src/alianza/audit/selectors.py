from django.db.models import QuerySet

from .models import AuditEvent


def audit_event_list(*, reader, filters: dict) -> QuerySet[AuditEvent]:
    queryset = AuditEvent.objects.visible_to(reader)
    if filters.get("actor"):
        queryset = queryset.filter(actor_username__iexact=filters["actor"])
    if filters.get("action"):
        queryset = queryset.filter(action__startswith=filters["action"])
    if filters.get("object_type"):
        queryset = queryset.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        queryset = queryset.filter(object_id=filters["object_id"])
    if filters.get("since"):
        queryset = queryset.filter(time__gte=filters["since"])
    if filters.get("until"):
        queryset = queryset.filter(time__lte=filters["until"])
    return queryset.order_by("-seq")
