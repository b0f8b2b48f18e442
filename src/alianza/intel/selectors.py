from django.db.models import Q, QuerySet

from .models import Report


def report_list(*, reader, search: str = "") -> QuerySet[Report]:
    queryset = Report.objects.visible_to(reader).select_related("agency", "marking")
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(body__icontains=search))
    return queryset
