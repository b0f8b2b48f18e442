from django.urls import path

from . import views

app_name = "patrols"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("generate/", views.PlanGenerateView.as_view(), name="plan_generate"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/publish/", views.PlanPublishView.as_view(), name="plan_publish"),
    path("<int:pk>/withdraw/", views.PlanWithdrawView.as_view(), name="plan_withdraw"),
    path("assignments/<int:pk>/edit/", views.AssignmentEditView.as_view(), name="assignment_edit"),
    path("mine/", views.MyPatrolsView.as_view(), name="my_patrols"),
]
