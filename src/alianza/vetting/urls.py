from django.urls import path

from . import views

app_name = "vetting"

urlpatterns = [
    path("roster/", views.RosterView.as_view(), name="roster"),
    path("officers/<int:pk>/", views.OfficerVettingView.as_view(), name="officer"),
    path("officers/<int:pk>/open/", views.CaseOpenView.as_view(), name="case_open"),
    path("cases/<int:pk>/results/", views.CheckResultCreateView.as_view(), name="result_create"),
    path("cases/<int:pk>/approve/", views.CaseApproveView.as_view(), name="case_approve"),
    path("allegations/", views.AllegationListView.as_view(), name="allegation_list"),
    path("allegations/new/", views.AllegationCreateView.as_view(), name="allegation_create"),
    path(
        "allegations/<int:pk>/close/", views.AllegationCloseView.as_view(), name="allegation_close"
    ),
]
