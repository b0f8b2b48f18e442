from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.CourseListView.as_view(), name="course_list"),
    path("readiness/", views.ReadinessView.as_view(), name="readiness"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/enrol/", views.EnrolView.as_view(), name="enrol"),
    path("enrolments/<int:pk>/assess/", views.AssessView.as_view(), name="assess"),
]
