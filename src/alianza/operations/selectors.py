from django.db.models import QuerySet

from .models import DeconflictionAlert, JointOperation, MembershipChange, PlannedActivity


def operation_list(*, reader) -> QuerySet[JointOperation]:
    return JointOperation.objects.visible_to(reader)


def membership_change_list(*, reader) -> QuerySet[MembershipChange]:
    return MembershipChange.objects.visible_to(reader).select_related("operation", "officer")


def activity_list(*, reader) -> QuerySet[PlannedActivity]:
    return PlannedActivity.objects.visible_to(reader).select_related("supervisor", "agency")


def alert_list(*, reader) -> QuerySet[DeconflictionAlert]:
    return DeconflictionAlert.objects.visible_to(reader).select_related("agency_a", "agency_b")
