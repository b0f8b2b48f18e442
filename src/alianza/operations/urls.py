from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("", views.OperationListView.as_view(), name="operation_list"),
    path("<int:pk>/", views.OperationDetailView.as_view(), name="operation_detail"),
    path("<int:pk>/members/", views.MembershipRequestView.as_view(), name="membership_request"),
    path(
        "membership-changes/<int:pk>/approve/",
        views.MembershipApproveView.as_view(),
        name="membership_approve",
    ),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("alerts/<int:pk>/", views.AlertDetailView.as_view(), name="alert_detail"),
]
