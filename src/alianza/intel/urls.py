from django.urls import path

from . import views

app_name = "intel"

urlpatterns = [
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/new/", views.ReportCreateView.as_view(), name="report_create"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/tearline/", views.TearlineCreateView.as_view(), name="tearline_create"),
    path("reports/<int:pk>/reshare/", views.ReportReshareView.as_view(), name="report_reshare"),
    path(
        "reports/<int:pk>/revalidate/",
        views.ReportRevalidateView.as_view(),
        name="report_revalidate",
    ),
    path(
        "reports/<int:pk>/translation/",
        views.ReportTranslateView.as_view(),
        name="report_translate",
    ),
    path("tearlines/<int:pk>/", views.TearlineDetailView.as_view(), name="tearline_detail"),
    path("reshare-requests/", views.ReshareRequestListView.as_view(), name="reshare_list"),
    path(
        "reshare-requests/<int:pk>/decide/",
        views.ReshareDecideView.as_view(),
        name="reshare_decide",
    ),
    path("rfis/", views.RfiListView.as_view(), name="rfi_list"),
    path("rfis/new/", views.RfiCreateView.as_view(), name="rfi_create"),
    path("rfis/<int:pk>/", views.RfiDetailView.as_view(), name="rfi_detail"),
    path("rfis/<int:pk>/answer/", views.RfiAnswerView.as_view(), name="rfi_answer"),
    path("rfis/<int:pk>/status/", views.RfiStatusView.as_view(), name="rfi_status"),
    path("entities/", views.EntityListView.as_view(), name="entity_list"),
    path("entities/<int:pk>/", views.EntityDetailView.as_view(), name="entity_detail"),
    path("graph/path/", views.PathView.as_view(), name="graph_path"),
]
