from django.urls import path

from . import views

app_name = "flows"

urlpatterns = [
    path("events/", views.FlowEventListView.as_view(), name="event_list"),
    path("events/<int:pk>/", views.FlowEventDetailView.as_view(), name="event_detail"),
]
