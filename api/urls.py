from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api import views
from api.errors import not_found

app_name = "api"

urlpatterns = [
    path("v1/token/", views.TokenView.as_view(), name="token"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("v1/classes/", views.ClassListView.as_view(), name="class-list"),
    path("v1/classes/<objectid:pk>/", views.ClassDetailView.as_view(), name="class-detail"),
    path("v1/classes/<objectid:pk>/join/", views.JoinClassView.as_view(), name="class-join"),
    path("v1/classes/<objectid:pk>/leave/", views.LeaveClassView.as_view(), name="class-leave"),
    path(
        "v1/classes/<objectid:pk>/waitlist/",
        views.WaitlistView.as_view(),
        name="class-waitlist",
    ),
    path("v1/classes/<objectid:pk>/cancel/", views.CancelClassView.as_view(), name="class-cancel"),
    path("v1/tasks/<objectid:pk>/", views.TaskDetailView.as_view(), name="task-detail"),
    path(
        "v1/tasks/<objectid:pk>/complete/",
        views.CompleteTaskView.as_view(),
        name="task-complete",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", not_found),
]
