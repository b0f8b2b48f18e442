from django.urls import path

from . import views

app_name = "positions"

urlpatterns = [
    path("live/", views.LiveMapView.as_view(), name="live_map"),
]
