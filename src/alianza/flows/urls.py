from django.urls import path

from . import analytics_views, views

app_name = "flows"

urlpatterns = [
    path("events/", views.FlowEventListView.as_view(), name="event_list"),
    path("events/new/", views.FlowEventCreateView.as_view(), name="event_create"),
    path("events/<int:pk>/", views.FlowEventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", views.FlowEventUpdateView.as_view(), name="event_update"),
    path("events/<int:pk>/link/", views.FlowEventLinkView.as_view(), name="event_link"),
    path("dashboard/", analytics_views.FlowDashboardView.as_view(), name="dashboard"),
    path("hotspots/", analytics_views.FlowHotspotsView.as_view(), name="hotspots"),
    path("displacement/", analytics_views.FlowDisplacementView.as_view(), name="displacement"),
    path("map/", analytics_views.FlowMapView.as_view(), name="map"),
]
