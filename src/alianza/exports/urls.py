from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("reports/<int:pk>/", views.ReportExportView.as_view(), name="report_export"),
    path("results/", views.ResultsExportView.as_view(), name="results_export"),
    path("trace/", views.TraceView.as_view(), name="trace"),
]
